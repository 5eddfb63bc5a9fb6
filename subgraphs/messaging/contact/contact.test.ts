import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { Roles } from '../../../platform/auth/roles';
import type { BrokerMessage } from '../../../platform/broker/message-broker';
import { openDatabase } from '../../../platform/db/orm';
import { scopeToTenant, TENANT_FILTER } from '../../../platform/db/tenant';
import { DEMO } from '../../../platform/demo';
import type { DomainEventOf, UserUpserted } from '../../../platform/events/domain-events';
import { createLogger } from '../../../platform/logger';
import { ProcessedMessage } from '../../../platform/outbox/outbox';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import type { SubgraphService } from '../../../platform/subgraph/host';
import { testDatabase } from '../../../testkit/database';
import { eventually } from '../../../testkit/eventually';
import { startStack, type Stack } from '../../../testkit/stack';
import { messagingDatabase } from '../database';
import { contactsConsumer } from './contact.consumer';
import { Contact } from './contact.entity';
import { contactLoaders } from './contact.loaders';

const schoolA = randomUUID();
const schoolB = randomUUID();

const upserted = (tenantId: string, payload: Partial<UserUpserted> & { userId: string }, occurredAt: Date) => {
  const event: DomainEventOf<'user.upserted'> = {
    id: randomUUID(),
    type: 'user.upserted',
    version: 1,
    tenantId,
    occurredAt: occurredAt.toISOString(),
    payload: { roles: [Roles.PARENT], active: true, displayName: 'Someone', ...payload },
  };
  return { id: event.id, routingKey: event.type, payload: event, headers: {}, attempt: 1 } satisfies BrokerMessage;
};

/**
 * Messaging's read model of people (contacts: roles, active, email, phone, language), kept from
 * users' `user.upserted`, on its own database: the consumer's handler is called with messages as
 * the broker would deliver them (twice, late, at once).
 */
describe.each(['mysql', 'sqlite'] as const)('contacts read model (%s)', (dialect) => {
  const db = testDatabase(dialect, 'messaging');
  let orm: MikroORM;
  let handle: (m: BrokerMessage<DomainEventOf<'user.upserted'>>) => Promise<void>;
  beforeAll(async () => {
    orm = await openDatabase({ ...messagingDatabase, ...db.options });
    handle = contactsConsumer.handler({ orm, logger: createLogger('test') });
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });
  const contactOf = (schoolId: string, id: string) => scopeToTenant(orm.em.fork(), schoolId).findOne(Contact, { id });

  it('keeps the whole state of a person from the event, once however often it arrives', async () => {
    const userId = randomUUID();
    const message = upserted(
      schoolA,
      {
        userId,
        roles: [Roles.PARENT, Roles.TEACHER],
        displayName: 'Mona Fathy',
        email: 'mona@a.test',
        phone: '+201001234567',
        locale: 'EN',
      },
      new Date(),
    );
    await handle(message);
    await handle(message);
    expect(await contactOf(schoolA, userId)).toMatchObject({
      schoolId: schoolA,
      roles: [Roles.PARENT, Roles.TEACHER],
      active: true,
      displayName: 'Mona Fathy',
      email: 'mona@a.test',
      phone: '+201001234567',
      locale: 'EN',
      observedAt: new Date(message.payload.occurredAt),
    });
    expect(await orm.em.fork().count(ProcessedMessage, { consumer: contactsConsumer.queue, messageId: message.id })).toBe(1);
    expect(await orm.em.fork().count(Contact, { id: userId }, { filters: { [TENANT_FILTER]: false } })).toBe(1);
  });

  it('never lets an older event overwrite a newer one; a newer one replaces the whole state', async () => {
    const userId = randomUUID();
    const now = Date.now();
    await handle(upserted(schoolA, { userId, email: 'new@a.test', phone: '+201001111111', locale: 'EN' }, new Date(now)));
    // Late: a retried delivery overtaken by the change above.
    await handle(upserted(schoolA, { userId, email: 'old@a.test', phone: '+201002222222', active: false }, new Date(now - 60_000)));
    expect(await contactOf(schoolA, userId)).toMatchObject({ email: 'new@a.test', phone: '+201001111111', locale: 'EN', active: true });

    // The person removed their phone and went back to the default language (an event from before
    // users sent languages reads the same): absent fields are "none", not "unchanged".
    await handle(upserted(schoolA, { userId, email: 'new@a.test', active: false }, new Date(now + 1000)));
    const contact = (await contactOf(schoolA, userId))!;
    expect(contact).toMatchObject({ email: 'new@a.test', locale: 'AR', active: false });
    expect(contact.phone ?? null).toBeNull();
  });

  it('applies two first events of one person delivered at once: the newer state wins, the loser is retried', async () => {
    const userId = randomUUID();
    const now = Date.now();
    const older = upserted(schoolA, { userId, displayName: 'Older' }, new Date(now - 1000));
    const newer = upserted(schoolA, { userId, displayName: 'Newer' }, new Date(now));
    const outcomes = await Promise.allSettled([handle(newer), handle(older)]);
    // A delivery that failed (its insert lost the race on the key) comes back: the broker redelivers it.
    for (const [i, outcome] of outcomes.entries()) if (outcome.status === 'rejected') await handle([newer, older][i]);
    expect((await contactOf(schoolA, userId))!.displayName).toBe('Newer');
    expect(
      await orm.em.fork().count(ProcessedMessage, { consumer: contactsConsumer.queue, messageId: { $in: [older.id, newer.id] } }),
    ).toBe(2);
  });

  it("keeps each school's contacts apart: another school's rows are invisible, and its events cannot touch them", async () => {
    const inA = randomUUID();
    const inB = randomUUID();
    await handle(upserted(schoolA, { userId: inA, email: 'a@a.test' }, new Date()));
    await handle(upserted(schoolB, { userId: inB, email: 'b@b.test' }, new Date()));
    expect(await contactOf(schoolA, inB)).toBeNull();
    expect(await contactOf(schoolB, inA)).toBeNull();
    expect((await scopeToTenant(orm.em.fork(), schoolB).find(Contact, {})).map((c) => c.id)).toEqual([inB]);

    // A forged event naming school A's person in school B fails (the id is taken) and changes nothing.
    const forged = upserted(schoolB, { userId: inA, email: 'attacker@b.test' }, new Date(Date.now() + 60_000));
    await expect(handle(forged)).rejects.toThrow();
    expect((await contactOf(schoolA, inA))!.email).toBe('a@a.test');
    expect(await orm.em.fork().count(ProcessedMessage, { consumer: contactsConsumer.queue, messageId: forged.id })).toBe(0);

    // The request loader answers through the request's school only.
    const loaders = contactLoaders({ em: scopeToTenant(orm.em.fork(), schoolA) } as unknown as LoaderContext);
    const [mine, theirs, unknown] = await Promise.all([inA, inB, randomUUID()].map((id) => loaders.contact.load(id)));
    expect(mine).toMatchObject({ id: inA, email: 'a@a.test' });
    expect(theirs).toBeNull();
    expect(unknown).toBeNull();
  });
});

/**
 * End to end: a messaging that starts with no contacts asks users for every person (people
 * backfill) and learns of later changes (updateMe) through the broker.
 */
describe.each(['mysql', 'sqlite'] as const)('contacts through users (%s)', (dialect) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(dialect, {}, { subgraphs: ['users', 'messaging'] });
  });
  afterAll(() => stack.stop());
  const messaging = () => stack.service<SubgraphService>('messaging');
  const contact = (id: string, schoolId: string = DEMO.schools.demo.id) =>
    scopeToTenant(messaging().orm().em.fork(), schoolId).findOne(Contact, { id });

  it('knows every seeded person of every school after its first start, with their contact details', async () => {
    await eventually(async () => {
      for (const user of Object.values(DEMO.users))
        expect(
          await messaging()
            .orm()
            .em.fork()
            .count(Contact, { id: user.id }, { filters: { [TENANT_FILTER]: false } }),
        ).toBe(1);
    });
    expect(await contact(DEMO.users.demoParent.id)).toMatchObject({
      roles: [Roles.PARENT],
      active: true,
      email: DEMO.users.demoParent.email,
      displayName: DEMO.users.demoParent.displayName,
      locale: 'AR',
    });
    expect(await contact(DEMO.users.nileAdmin.id, DEMO.schools.nile.id)).toMatchObject({ roles: [Roles.SCHOOL_ADMIN] });
    // In its own school only.
    expect(await contact(DEMO.users.nileAdmin.id)).toBeNull();
  });

  it('learns a change of phone and language from user.upserted', async () => {
    const { accessToken, userId } = await stack.login(DEMO.users.demoParent.email);
    const r = await stack.gql('mutation { updateMe(input: { phone: "01001234567", locale: EN }) { id } }', {
      tenant: 'demo',
      token: accessToken,
    });
    expect(r.body.errors).toBeUndefined();
    await eventually(async () => expect(await contact(userId)).toMatchObject({ phone: '+201001234567', locale: 'EN' }));
  });
});
