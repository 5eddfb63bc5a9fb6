import { createHash, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { DEMO } from '../../../platform/demo';
import { scopeToTenant } from '../../../platform/db/tenant';
import type { SubgraphService } from '../../../platform/subgraph/host';
import { codes, demoPeople } from '../../../testkit/courses';
import { eventually } from '../../../testkit/eventually';
import { startStack, type Stack } from '../../../testkit/stack';
import { connectClient, subscribe, wsUrlOf, type TestClient } from '../../../testkit/subscriptions/ws-clients';
import { Contact } from '../contact/contact.entity';
import type { MessagingContext } from '../context';
import { createInAppAdapter } from './in-app.adapter';
import { Channel, DeliveryStatus, Notification } from './notification.entity';
import { notificationReference } from './notification.resolver';
import { NotificationService } from './notification.service';
import { Sealer } from './seal';

const demo = DEMO.schools.demo.id;
const LIST = `query($first: Int, $after: String, $unread: Boolean) {
  notifications(first: $first, after: $after, unreadOnly: $unread) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id title body category channel status readAt recipient { id } } }
  }
}`;
const READ = 'mutation($id: ID!) { markNotificationRead(id: $id) { id status readAt } }';
const RECEIVED =
  'subscription($after: ID) { notificationReceived(after: $after) { id title body category channel status recipient { id displayName } } }';

/**
 * The in-app inbox through the gateway: each person lists, reads and follows (graphql-ws) their
 * own notifications, and nobody else's.
 */
describe('in-app notifications (mysql)', () => {
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  let orm: MikroORM;
  const clients: TestClient[] = [];
  const notify = new NotificationService(new Sealer(createHash('sha256').update('inbox-tests').digest())).notify;
  const em = () => scopeToTenant(orm.em.fork(), demo);

  beforeAll(async () => {
    stack = await startStack('mysql', { DELIVERY_WORKERS: 'off', MESSAGING_SWEEP_INTERVAL_MS: '0' }, { subgraphs: ['users', 'messaging'] });
    people = await demoPeople(stack);
    orm = stack.service<SubgraphService>('messaging').orm();
    // The people read model is filled from users at start (backfill); the demo people must be in it.
    const ids = [DEMO.users.demoAdmin, DEMO.users.demoTeacher, DEMO.users.demoStudent, DEMO.users.demoParent].map((u) => u.id);
    await eventually(async () => {
      await stack.service<SubgraphService>('users').outbox().drain();
      const known = await em().count(Contact, { id: { $in: ids } });
      if (known < ids.length) throw new Error(`messaging knows ${known} of ${ids.length} demo people`);
    }, 30_000);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await stack?.stop();
  });

  /** In-app notifications (and an email, and a scheduled one) for `userIds`, as `notify` makes them; their ids per user, in order made. */
  async function arrive(userIds: string[], title: string, opts: { scheduledAt?: Date } = {}): Promise<Map<string, string>> {
    const source = `test:${randomUUID()}`;
    await em().transactional((tx) =>
      notify(tx, {
        schoolId: demo,
        category: 'announcement',
        templateKey: 'announcement.general',
        recipients: userIds.map((userId) => ({ userId })),
        channels: [Channel.IN_APP, Channel.EMAIL],
        variables: { title, message: `${title} body` },
        scheduledAt: opts.scheduledAt,
        source,
      }),
    );
    const rows = await em().find(Notification, { dedupeKey: { $like: `${source}:%` }, channel: Channel.IN_APP });
    return new Map(rows.map((r) => [r.recipientId!, r.id]));
  }

  it("lists the viewer's own in-app notifications, newest first, in pages, unread ones on request", async () => {
    const titles = ['First', 'Second', 'Third'];
    const ids: string[] = [];
    for (const t of titles) ids.push((await arrive([people.parent.id, people.student.id], t)).get(people.parent.id)!);
    // Not listed: one still waiting for its time.
    await arrive([people.parent.id], 'Later', { scheduledAt: new Date(Date.now() + 3600_000) });

    const page1 = (await people.parent.ok(LIST, { first: 2 })).notifications;
    expect(page1.totalCount).toBe(3);
    expect(page1.edges.map((e: { node: { title: string } }) => e.node.title)).toEqual(['Third', 'Second']);
    expect(page1.edges[0].node).toMatchObject({
      id: ids[2],
      body: 'Third body',
      category: 'announcement',
      channel: 'IN_APP',
      status: 'QUEUED',
      readAt: null,
      recipient: { id: people.parent.id },
    });
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await people.parent.ok(LIST, { first: 2, after: page1.pageInfo.endCursor })).notifications;
    expect(page2.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ids[0]]);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    await people.parent.ok(READ, { id: ids[1] });
    const unread = (await people.parent.ok(LIST, { unread: true })).notifications;
    expect([unread.totalCount, unread.edges.map((e: { node: { id: string } }) => e.node.id)]).toEqual([2, [ids[2], ids[0]]]);
    // The student's list is the student's own.
    const student = (await people.student.ok(LIST, {})).notifications;
    expect(student.totalCount).toBe(3);
    expect(student.edges.every((e: { node: { recipient: { id: string } } }) => e.node.recipient.id === people.student.id)).toBe(true);
    expect(codes(await people.parent.q(LIST, { after: 'not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await stack.gql(LIST, { tenant: 'demo' }))).toEqual(['UNAUTHENTICATED']);
  });

  it("marks the viewer's own notifications read, and finds nobody else's", async () => {
    const made = await arrive([people.parent.id, people.student.id], 'Trip');
    const mine = made.get(people.student.id)!;
    const theirs = made.get(people.parent.id)!;
    const read = (await people.student.ok(READ, { id: mine })).markNotificationRead;
    expect(read).toMatchObject({ id: mine, status: 'READ' });
    expect(read.readAt).toBeTruthy();
    // Again: unchanged.
    expect((await people.student.ok(READ, { id: mine })).markNotificationRead.readAt).toBe(read.readAt);

    for (const [who, id] of [
      [people.student, theirs],
      [people.admin, theirs],
      [people.nileAdmin, theirs],
      [people.student, randomUUID()],
      [people.student, 'not-an-id'],
    ] as const) {
      expect(codes(await who.q(READ, { id }))).toEqual(['NOT_FOUND']);
    }
    expect(await em().findOneOrFail(Notification, { id: theirs })).toMatchObject({ status: DeliveryStatus.QUEUED, readAt: null });

    // Everything of the viewer's at once: the parent's others stay unread.
    const before = (await people.parent.ok(LIST, { unread: true })).notifications.totalCount;
    const all = (await people.student.ok('mutation { markAllNotificationsRead }')).markAllNotificationsRead;
    expect(all).toBeGreaterThanOrEqual(1);
    expect((await people.student.ok(LIST, { unread: true })).notifications.totalCount).toBe(0);
    expect((await people.parent.ok(LIST, { unread: true })).notifications.totalCount).toBe(before);
    expect((await people.student.ok('mutation { markAllNotificationsRead }')).markAllNotificationsRead).toBe(0);
  });

  it('resolves a Notification reference for its recipient only', async () => {
    const made = await arrive([people.parent.id], 'Reference');
    const id = made.get(people.parent.id)!;
    const ctx = (userId: string, schoolId: string = demo) =>
      ({
        em: scopeToTenant(orm.em.fork(), schoolId),
        user: { id: userId, roles: ['PARENT'] },
        tenant: { id: schoolId, slug: 'x' },
      }) as unknown as MessagingContext;
    expect(await notificationReference.__resolveReference({ id }, ctx(people.parent.id))).toMatchObject({ id });
    expect(await notificationReference.__resolveReference({ id }, ctx(people.student.id))).toBeNull();
    expect(await notificationReference.__resolveReference({ id }, ctx(people.parent.id, DEMO.schools.nile.id))).toBeNull();
  });

  it('delivers in-app notifications to their recipient over graphql-ws, and resumes after the last one received', async () => {
    const adapter = createInAppAdapter(orm, stack.transport.bus);
    const deliver = async (id: string) => {
      const result = await adapter.send({ notificationId: id, idempotencyKey: `${id}:1`, to: '', locale: 'EN', subject: '', text: '' });
      // What the delivery worker records from the answer.
      await em().nativeUpdate(Notification, { id }, { status: DeliveryStatus.DELIVERED, providerMessageId: result.providerMessageId });
      return result;
    };
    // A job for something that is not an in-app notification (or no longer exists) is refused for good, not retried.
    await expect(
      adapter.send({ notificationId: randomUUID(), idempotencyKey: 'x:1', to: '', locale: 'EN', subject: '', text: '' }),
    ).rejects.toMatchObject({ name: 'ProviderError', permanent: true });
    const connect = (token: string) => {
      const client = connectClient(wsUrlOf(stack.gatewayUrl), { token, tenant: 'demo' });
      clients.push(client);
      return client;
    };
    const parentClient = connect(people.parent.token);
    const studentClient = connect(people.student.token);
    const live = subscribe(parentClient.client, RECEIVED);
    const other = subscribe(studentClient.client, RECEIVED);

    const first = await arrive([people.parent.id, people.student.id], 'Live one');
    // Until the subscription is in place at the gateway, deliveries may come before it: deliver until one arrives.
    await eventually(async () => {
      if (!live.results.length) await deliver(first.get(people.parent.id)!);
      expect(live.results.length).toBeGreaterThan(0);
    });
    const got = live.results[0];
    expect(got.errors).toBeUndefined();
    expect(got.data.notificationReceived).toMatchObject({
      id: first.get(people.parent.id),
      title: 'Live one',
      body: 'Live one body',
      category: 'announcement',
      channel: 'IN_APP',
      status: 'DELIVERED',
      recipient: { id: people.parent.id, displayName: DEMO.users.demoParent.displayName },
    });
    live.stop();

    // While the parent is away: two more.
    const second = await arrive([people.parent.id], 'Missed one');
    const third = await arrive([people.parent.id], 'Missed two');
    await deliver(second.get(people.parent.id)!);
    await deliver(third.get(people.parent.id)!);
    const resumed = subscribe(parentClient.client, RECEIVED, { after: got.data.notificationReceived.id });
    await eventually(() => expect(resumed.results.map((r) => r.data?.notificationReceived.title)).toEqual(['Missed one', 'Missed two']));
    // By event id too (what a client may hold instead).
    const byEvent = subscribe(parentClient.client, RECEIVED, {
      after: (await em().findOneOrFail(Notification, { id: second.get(people.parent.id)! })).providerMessageId,
    });
    await eventually(() => expect(byEvent.results.map((r) => r.data?.notificationReceived.title)).toEqual(['Missed two']));

    // Resuming after someone else's notification is refused.
    const foreign = subscribe(parentClient.client, RECEIVED, { after: first.get(people.student.id) });
    await eventually(() => expect(foreign.error ?? foreign.results[0]?.errors).toBeTruthy());

    // The student saw only the student's own (the parent's three never reached them).
    await eventually(async () => {
      if (!other.results.length) await deliver(first.get(people.student.id)!);
      expect(other.results.length).toBeGreaterThan(0);
    });
    expect([...new Set(other.results.map((r) => r.data?.notificationReceived.id))]).toEqual([first.get(people.student.id)]);
  });
});
