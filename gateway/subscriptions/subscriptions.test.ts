import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { DEMO } from '../../platform/demo';
import { eventually } from '../../testkit/eventually';
import { codes } from '../../testkit/graphql-client';
import { feedsSdl, feedTopic, personalTopic, startFeedsSubgraph, type FeedData } from '../../testkit/subscriptions/feeds-subgraph';
import { startFeedsStack, type FeedsStack } from '../../testkit/subscriptions/feeds-stack';
import { metric } from '../../testkit/metrics';
import { connectClient, subscribe, type TestClient, type TestSubscription } from '../../testkit/subscriptions/ws-clients';

const FEED = `subscription Feed($channel: String!, $after: ID) {
  feedEvents(channel: $channel, after: $after) { id kind text seenAs actor { id displayName email } }
}`;

const demo = DEMO.schools.demo.id;
const student = DEMO.users.demoStudent;
const teacher = DEMO.users.demoTeacher;

/**
 * The gateway's federated subscriptions end to end, against a test-only subgraph that owns the
 * `Subscription` fields (served over graphql-ws from the Redis bus) and the real users subgraph
 * for the entity fields: real graphql-ws clients, real Redis, MariaDB behind users.
 */
describe('federated subscriptions', () => {
  let s: FeedsStack;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    s = await startFeedsStack();
  });
  beforeEach(async () => {
    // Groups of the previous test close as its sockets do; start from none.
    await eventually(async () => expect([await gauge('subscription_members'), await gauge('subscription_groups')]).toEqual([0, 0]));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  afterAll(() => s.stop());

  const publish = (channel: string, data: FeedData) => s.stack.transport.bus.publish(feedTopic(demo, channel), data);
  const open = async (claims: { userId: string; roles: string[]; school?: 'demo' | 'nile' }, tenant = 'demo') => {
    const client = connectClient(s.wsUrl, { token: await s.token(claims), tenant });
    clients.push(client);
    return client;
  };
  const asStudent = (userId: string = student.id) => open({ userId, roles: ['STUDENT'] });
  const kinds = (sub: TestSubscription) => sub.results.map((r) => r.data?.feedEvents?.kind);
  /** The stream position clients subscribe after, so nothing published from here on can be missed. */
  const mark = (channel: string) => publish(channel, { kind: 'MARK' });
  const gauge = (name: string) => metric(s.gatewayBase, name);

  it('delivers every event, in order, with the actor resolved by the users subgraph', async () => {
    const after = await mark('order');
    const subs = await Promise.all(
      [student.id, randomUUID(), randomUUID()].map(async (id) =>
        subscribe((await asStudent(id)).client, FEED, { channel: 'order', after }),
      ),
    );
    const sent = Array.from({ length: 20 }, (_, i) => `E${i}`);
    for (const kind of sent) await publish('order', { kind, actorId: teacher.id, text: kind });

    await eventually(() => subs.forEach((sub) => expect(kinds(sub)).toEqual(sent)));
    for (const sub of subs) {
      expect(sub.results.every((r) => r.data.feedEvents.actor.displayName === teacher.displayName && !r.errors)).toBe(true);
      const ids = sub.results.map((r) => r.data.feedEvents.id);
      expect([...ids].sort((a, b) => (BigInt(a.split('-')[0]) < BigInt(b.split('-')[0]) ? -1 : 1))).toEqual(ids);
    }
  });

  it('gives 200 identical subscribers one upstream subscription and one entity resolution per event', async () => {
    const after = await mark('crowd');
    const streams = s.feeds.streamsOpened();
    const opens = await metric(s.gatewayBase, 'subscription_upstream_opens_total', { service: 'feeds' });
    // 200 different students: the group is shared by role, not by person.
    const subs = await Promise.all(
      Array.from({ length: 200 }, async () => subscribe((await asStudent(randomUUID())).client, FEED, { channel: 'crowd', after })),
    );
    await eventually(async () => expect(await gauge('subscription_members')).toBe(200));

    // Each event's actor is resolved once for the group: fetched, or reused from an earlier event (entity TTL).
    const fetches = () => metric(s.gatewayBase, 'subscription_entity_fetches_total', { service: 'users' });
    const resolutions = async () =>
      (await fetches()) + (await metric(s.gatewayBase, 'subscription_entity_cache_hits_total', { service: 'users' }));
    const [fetchesBefore, resolutionsBefore] = [await fetches(), await resolutions()];
    // Requests that reached the users subgraph, counted by users itself.
    const usersCalls = await metric(s.stack.url('users'), 'http_request_duration_seconds_count', { method: 'POST', route: '/graphql' });
    for (let i = 1; i <= 5; i++) {
      await publish('crowd', { kind: `E${i}`, actorId: student.id });
      await eventually(() => subs.forEach((sub) => expect(sub.results).toHaveLength(i)));
    }

    expect(s.feeds.streamsOpened() - streams).toBe(1);
    expect((await metric(s.gatewayBase, 'subscription_upstream_opens_total', { service: 'feeds' })) - opens).toBe(1);
    expect(await gauge('subscription_groups')).toBe(1);
    expect((await resolutions()) - resolutionsBefore).toBe(5);
    const fetched = (await fetches()) - fetchesBefore;
    expect(fetched).toBeGreaterThanOrEqual(1);
    expect(
      (await metric(s.stack.url('users'), 'http_request_duration_seconds_count', { method: 'POST', route: '/graphql' })) - usersCalls,
    ).toBe(fetched);
    for (const sub of subs) expect(sub.results.map((r) => r.data.feedEvents.actor.displayName)).toEqual(Array(5).fill(student.displayName));
  });

  it('resolves a shared group as its role, so nothing decided from one member’s identity reaches another', async () => {
    const after = await mark('privacy');
    // The actor herself, a classmate, and the teacher (who may see students' contact details).
    const [self, classmate, staff] = await Promise.all([
      asStudent(student.id),
      asStudent(randomUUID()),
      open({ userId: teacher.id, roles: ['TEACHER'] }),
    ]);
    const [selfSub, classmateSub, staffSub] = [self, classmate, staff].map((c) => subscribe(c.client, FEED, { channel: 'privacy', after }));
    await eventually(async () => expect(await gauge('subscription_members')).toBe(3));
    expect(await gauge('subscription_groups')).toBe(2);

    await publish('privacy', { kind: 'CHAT', actorId: student.id });
    await eventually(() => [selfSub, classmateSub, staffSub].forEach((sub) => expect(sub.results).toHaveLength(1)));
    for (const sub of [selfSub, classmateSub]) {
      // Not even the actor sees her own email here: the group resolves as "a student", never as one of them.
      expect(sub.results[0].data.feedEvents).toMatchObject({ seenAs: 'group:STUDENT', actor: { id: student.id, email: null } });
    }
    expect(staffSub.results[0].data.feedEvents).toMatchObject({ seenAs: 'group:TEACHER', actor: { email: student.email } });

    // A personal feed (sharing "viewer") is one group per person, resolved as that person.
    const mine = subscribe(self.client, 'subscription { myFeed { kind seenAs } }');
    const theirs = subscribe(classmate.client, 'subscription { myFeed { kind seenAs } }');
    await eventually(async () => expect(await gauge('subscription_members')).toBe(5));
    expect(await gauge('subscription_groups')).toBe(4);
    // No `after` on this field: publish until the feed is live.
    await eventually(async () => {
      await s.stack.transport.bus.publish(personalTopic(demo, student.id), { kind: 'FOR_YOU' });
      expect(mine.results.length).toBeGreaterThan(0);
    });
    expect(new Set(mine.results.map((r) => JSON.stringify(r)))).toEqual(
      new Set([JSON.stringify({ data: { myFeed: { kind: 'FOR_YOU', seenAs: student.id } } })]),
    );
    await publish('privacy', { kind: 'FLUSH' });
    await eventually(() => expect(classmateSub.results).toHaveLength(2));
    expect(theirs.results).toEqual([]);
  });

  it('refuses other schools, missing or bad credentials and fields the person may not watch', async () => {
    const otherSchoolToken = connectClient(s.wsUrl, {
      token: await s.token({ userId: DEMO.users.nileAdmin.id, roles: ['SCHOOL_ADMIN'], school: 'nile' }),
      tenant: 'demo',
    });
    const unknownSchool = connectClient(s.wsUrl, { tenant: 'atlantis' });
    const anonymous = connectClient(s.wsUrl, { tenant: 'demo' });
    clients.push(otherSchoolToken, unknownSchool, anonymous);
    const refusedToken = subscribe(otherSchoolToken.client, FEED, { channel: 'x' });
    const refusedSchool = subscribe(unknownSchool.client, FEED, { channel: 'x' });
    const noUser = subscribe(anonymous.client, FEED, { channel: 'x' });
    const staffOnly = subscribe((await asStudent()).client, FEED, { channel: 'staff' });

    await eventually(() => {
      expect(otherSchoolToken.closes).toEqual([{ code: 4401, reason: 'Access token belongs to another school' }]);
      expect(unknownSchool.closes).toEqual([{ code: 4400, reason: 'Unknown school "atlantis"' }]);
      expect(noUser.completed && staffOnly.completed).toBe(true);
    });
    expect(refusedToken.error).toMatchObject({ code: 4401 });
    expect(refusedSchool.error).toMatchObject({ code: 4400 });
    expect(noUser.results.map((r) => r.errors?.[0].extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(staffOnly.results.map((r) => r.errors?.[0].extensions?.code)).toEqual(['FORBIDDEN']);

    // Another school's member subscribed to the same channel name never sees this school's events.
    const nile = await open({ userId: DEMO.users.nileAdmin.id, roles: ['SCHOOL_ADMIN'], school: 'nile' }, 'nile');
    const nileSub = subscribe(nile.client, FEED, {
      channel: 'shared-name',
      after: await s.stack.transport.bus.publish(feedTopic(DEMO.schools.nile.id, 'shared-name'), { kind: 'MARK' }),
    });
    const demoSub = subscribe((await asStudent()).client, FEED, { channel: 'shared-name', after: await mark('shared-name') });
    await eventually(async () => expect(await gauge('subscription_members')).toBe(2));
    await publish('shared-name', { kind: 'DEMO_ONLY' });
    await s.stack.transport.bus.publish(feedTopic(DEMO.schools.nile.id, 'shared-name'), { kind: 'NILE_ONLY' });
    await eventually(() => expect(kinds(demoSub)).toEqual(['DEMO_ONLY']));
    await eventually(() => expect(kinds(nileSub)).toEqual(['NILE_ONLY']));
  });

  it('gives a client that reconnects with `after` exactly what it missed, and a late identical one the same stream', async () => {
    const after = await mark('resume');
    const first = await asStudent();
    const sub = subscribe(first.client, FEED, { channel: 'resume', after });
    for (const kind of ['A', 'B', 'C']) await publish('resume', { kind });
    await eventually(() => expect(kinds(sub)).toEqual(['A', 'B', 'C']));
    await first.dispose();

    for (const kind of ['D', 'E', 'F']) await publish('resume', { kind });
    const lastSeen = sub.results[2].data.feedEvents.id;
    const again = subscribe((await asStudent()).client, FEED, { channel: 'resume', after: lastSeen });
    await eventually(() => expect(kinds(again)).toEqual(['D', 'E', 'F']));
    // The same subscription again, once the first has delivered: it joins the group and still gets all of it.
    const late = subscribe((await asStudent()).client, FEED, { channel: 'resume', after: lastSeen });
    await eventually(async () => expect(await gauge('subscription_members')).toBe(2));
    await publish('resume', { kind: 'G' });
    await eventually(() => [again, late].forEach((x) => expect(kinds(x)).toEqual(['D', 'E', 'F', 'G'])));
    expect(await gauge('subscription_groups')).toBe(1);
  });

  it('keeps subscriptions running through supergraph reloads, resuming when the owning subgraph moves', async () => {
    const after = await mark('reload');
    const sub = subscribe((await asStudent()).client, FEED, { channel: 'reload', after });
    await publish('reload', { kind: 'BEFORE', actorId: teacher.id });
    await eventually(() => expect(kinds(sub)).toEqual(['BEFORE']));
    const opens = await metric(s.gatewayBase, 'subscription_upstream_opens_total', { service: 'feeds' });

    // A new version (users without School.timezone): same primary request, so the feed stays open.
    s.writeSupergraph({ usersSdl: s.usersSdl.replace(/\n\s*timezone: String!/, '') });
    await eventually(async () =>
      expect(codes(await s.stack.gql('{ school { timezone } }', { tenant: 'demo' }))).toEqual(['GRAPHQL_VALIDATION_FAILED']),
    );
    await publish('reload', { kind: 'AFTER_RELOAD', actorId: teacher.id });
    await eventually(() => expect(kinds(sub)).toEqual(['BEFORE', 'AFTER_RELOAD']));
    expect((await metric(s.gatewayBase, 'subscription_upstream_opens_total', { service: 'feeds' })) - opens).toBe(0);

    // The feeds subgraph moves to another instance; events published around the switch are not lost.
    const moved = await startFeedsSubgraph({
      redisUrl: s.redisUrl,
      redisPrefix: s.redisPrefix,
      internalJwks: () => s.stack.keys.internalPublic,
    });
    try {
      await publish('reload', { kind: 'DURING_1' });
      s.writeSupergraph({ feedsUrl: moved.url });
      await publish('reload', { kind: 'DURING_2' });
      await eventually(() => expect(moved.streamsOpened()).toBe(1));
      await publish('reload', { kind: 'MOVED', actorId: teacher.id });
      await eventually(() => expect(kinds(sub)).toEqual(['BEFORE', 'AFTER_RELOAD', 'DURING_1', 'DURING_2', 'MOVED']));
      expect(sub.results.at(-1)!.data.feedEvents.actor.displayName).toBe(teacher.displayName);
    } finally {
      s.writeSupergraph();
      await eventually(async () =>
        expect((await s.stack.gql('{ school { timezone } }', { tenant: 'demo' })).body.data?.school?.timezone).toBe('Africa/Cairo'),
      );
      await moved.close();
    }
  });

  it('ends a subscription with an error when a new supergraph no longer has what it selects', async () => {
    const after = await mark('schema');
    const sub = subscribe((await asStudent()).client, FEED, { channel: 'schema', after });
    await publish('schema', { kind: 'BEFORE' });
    await eventually(() => expect(kinds(sub)).toEqual(['BEFORE']));
    try {
      s.writeSupergraph({ feedsSdl: feedsSdl().replace(/\n\s*text: String/, '') });
      await eventually(() => expect(sub.completed).toBe(true));
      expect(sub.results.at(-1)).toEqual({
        data: null,
        errors: [
          {
            message: expect.stringMatching(/^This subscription is no longer valid: .*text/),
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      });
    } finally {
      s.writeSupergraph();
      await eventually(async () =>
        expect(
          (await (await asStudent()).client.iterate({ query: FEED, variables: { channel: 'schema', after } }).next()).value,
        ).toMatchObject({ data: { feedEvents: { kind: 'BEFORE' } } }),
      );
    }
  });

  it('resumes the feed after the owning subgraph restarts, with nothing lost', async () => {
    const after = await mark('restart');
    const sub = subscribe((await asStudent()).client, FEED, { channel: 'restart', after });
    await publish('restart', { kind: 'UP' });
    await eventually(() => expect(kinds(sub)).toEqual(['UP']));

    await s.feeds.stop();
    for (const kind of ['WHILE_DOWN_1', 'WHILE_DOWN_2']) await publish('restart', { kind, actorId: teacher.id });
    await s.feeds.start();
    await publish('restart', { kind: 'BACK' });
    await eventually(() => expect(kinds(sub)).toEqual(['UP', 'WHILE_DOWN_1', 'WHILE_DOWN_2', 'BACK']));
    expect(sub.results[1].data.feedEvents.actor.displayName).toBe(teacher.displayName);
    expect(sub.completed).toBe(false);
  });

  it('closes the connection when the access token expires (4401) or its session is revoked (4403)', async () => {
    const expiring = connectClient(s.wsUrl, { token: await s.token({ userId: student.id, roles: ['STUDENT'] }, 2), tenant: 'demo' });
    clients.push(expiring);
    subscribe(expiring.client, FEED, { channel: 'expiry' });
    await eventually(() => expect(expiring.closes).toEqual([{ code: 4401, reason: 'Access token expired' }]));

    const session = await s.stack.login(student.email);
    const revoked = connectClient(s.wsUrl, { token: session.accessToken, tenant: 'demo' });
    clients.push(revoked);
    const live = subscribe(revoked.client, FEED, { channel: 'revoke', after: await mark('revoke') });
    await publish('revoke', { kind: 'LIVE' });
    await eventually(() => expect(kinds(live)).toEqual(['LIVE']));
    const out = await s.stack.gql('mutation($t: String!) { logout(refreshToken: $t) }', {
      tenant: 'demo',
      token: session.accessToken,
      variables: { t: session.refreshToken },
    });
    expect(out.body.data.logout).toBe(true);
    await eventually(() => expect(revoked.closes).toEqual([{ code: 4403, reason: 'Session has ended; sign in again' }]));
  });

  it('disconnects a client that stops reading (4008) without holding up the others', async () => {
    const after = await mark('slow');
    const healthy = subscribe((await asStudent()).client, FEED, { channel: 'slow', after });
    const slow = await rawSubscriber(s.wsUrl, await s.token({ userId: randomUUID(), roles: ['STUDENT'] }), {
      query: FEED,
      variables: { channel: 'slow', after },
    });
    await eventually(async () => expect(await gauge('subscription_members')).toBe(2));
    slow.ws.pause();

    const text = 'x'.repeat(64 * 1024);
    const slowClosed = () => metric(s.gatewayBase, 'subscription_socket_closes_total', { reason: 'slow_consumer' });
    let sent = 0;
    // Kernel socket buffers absorb a few MB before the gateway's own 4 MiB limit is reached.
    while ((await slowClosed()) === 0 && sent < 2000) {
      await publish('slow', { kind: `E${sent++}`, text });
      if (sent % 20 === 0) await eventually(() => expect(healthy.results).toHaveLength(sent));
    }
    expect(await slowClosed()).toBe(1);
    await eventually(() => expect(healthy.results).toHaveLength(sent));
    expect(kinds(healthy)).toEqual(Array.from({ length: sent }, (_, i) => `E${i}`));
    slow.ws.resume();
    await eventually(() => expect(slow.closed).toEqual({ code: 4008, reason: 'Slow consumer: unsent buffer limit reached' }));
  });

  it('refuses queries over WebSocket and more than 100 subscriptions on one connection', async () => {
    const client = await asStudent();
    const query = subscribe(client.client, '{ school { name } }');
    await eventually(() =>
      expect(query.error).toEqual([expect.objectContaining({ message: 'Queries and mutations are served over HTTP POST /graphql' })]),
    );
    const hundred = Array.from({ length: 100 }, (_, i) => subscribe(client.client, FEED, { channel: `many-${i}` }));
    await eventually(async () => expect(await gauge('subscription_members')).toBe(100));
    const oneTooMany = subscribe(client.client, FEED, { channel: 'many-100' });
    await eventually(() =>
      expect(oneTooMany.error).toEqual([
        expect.objectContaining({ message: 'Too many subscriptions on this connection', extensions: { code: 'RATE_LIMITED' } }),
      ]),
    );
    expect(hundred.every((sub) => !sub.error && !sub.completed)).toBe(true);
  });

  it('releases every upstream once clients are gone', async () => {
    const client = await asStudent();

    const sub = subscribe(client.client, FEED, { channel: 'release', after: await mark('release') });
    await eventually(async () => expect(await gauge('subscription_groups')).toBe(1));
    await publish('release', { kind: 'ONE' });
    await eventually(() => expect(kinds(sub)).toEqual(['ONE']));
    await client.dispose();

    const redis = new Redis(s.redisUrl);
    try {
      const channel = `${s.redisPrefix}bus:${feedTopic(demo, 'release')}`;
      await eventually(async () => {
        expect(await gauge('subscription_members')).toBe(0);
        expect(await gauge('subscription_groups')).toBe(0);
        expect(await redis.pubsub('NUMSUB', channel)).toEqual([channel, 0]);
      });
    } finally {
      redis.disconnect();
    }
  });
});

/** A bare graphql-transport-ws client on `ws`, so a test can stop reading (`ws.pause()`). */
async function rawSubscriber(url: string, token: string, payload: { query: string; variables: Record<string, unknown> }) {
  const ws = new WebSocket(url, 'graphql-transport-ws');
  const state = { ws, closed: undefined as { code: number; reason: string } | undefined };
  ws.on('close', (code, reason) => (state.closed = { code, reason: reason.toString() }));
  ws.on('message', (data) => {
    if (JSON.parse(String(data)).type === 'connection_ack') ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload }));
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}`, tenant: 'demo' } }));
  return state;
}
