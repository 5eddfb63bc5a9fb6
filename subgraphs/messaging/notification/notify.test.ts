import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { openDatabase } from '../../../platform/db/orm';
import { scopeToTenant } from '../../../platform/db/tenant';
import { OutboxMessage } from '../../../platform/outbox/outbox';
import { testDatabase } from '../../../testkit/database';
import { Contact } from '../contact/contact.entity';
import { messagingDatabase } from '../database';
import { PushDevice } from '../device/push-device.entity';
import { deliveryRoutingKey } from './delivery-job';
import { nextDigestAt } from './digest';
import { Channel, DeliveryStatus, Notification } from './notification.entity';
import { NotificationService } from './notification.service';
import type { NotifyRequest } from './notify';
import { NotificationFrequency, NotificationPreference } from './preference/notification-preference.entity';
import { Sealer } from './seal';
import { renderNotification } from './template/render';

const sealer = new Sealer(createHash('sha256').update('notify-tests-seal-key-0123456789abcdef').digest());
const { IN_APP, EMAIL, SMS, PUSH, WHATSAPP } = Channel;

interface PersonSpec {
  locale?: 'AR' | 'EN';
  email?: string | null;
  phone?: string | null;
  device?: boolean;
  active?: boolean;
  name?: string;
}

/**
 * `notify` (notification.service.ts) on its own database: the read models and preferences are
 * arranged as rows, the notifications and their outbox jobs read back. Which channels each person
 * gets (asked, preferred, turned off, unreachable), in which language, when (now, later, in a
 * digest), made once per source however often it is called, and in bulk.
 */
describe.each(['mysql', 'sqlite'] as const)('notify (%s)', (dialect) => {
  const db = testDatabase(dialect, 'messaging');
  let orm: MikroORM;
  const notify = new NotificationService(sealer).notify;
  const school: string = randomUUID();
  const otherSchool: string = randomUUID();
  const em = (schoolId = school) => scopeToTenant(orm.em.fork(), schoolId);

  beforeAll(async () => {
    orm = await openDatabase({ ...messagingDatabase, ...db.options });
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  async function people(specs: PersonSpec[], schoolId = school): Promise<string[]> {
    const e = em(schoolId);
    const ids = specs.map((s) => {
      const id = randomUUID();
      e.create(Contact, {
        id,
        schoolId,
        roles: ['PARENT'],
        active: s.active ?? true,
        displayName: s.name ?? `Person ${id.slice(0, 4)}`,
        email: s.email === undefined ? `${id.slice(0, 8)}@families.test` : (s.email ?? undefined),
        phone: s.phone === undefined ? '+201001234567' : (s.phone ?? undefined),
        locale: s.locale ?? 'AR',
        observedAt: new Date(),
      });
      if (s.device) e.create(PushDevice, { schoolId, userId: id, token: `token-${id}`, platform: 'android' });
      return id;
    });
    await e.flush();
    return ids;
  }

  async function prefer(userId: string, category: string, channels: Channel[], frequency: NotificationFrequency) {
    const e = em();
    e.create(NotificationPreference, { schoolId: school, userId, category, channels, frequency });
    await e.flush();
  }

  const run = (request: Partial<NotifyRequest> & Pick<NotifyRequest, 'recipients'>, schoolId = school) =>
    em(schoolId).transactional((tx) =>
      notify(tx, { schoolId, category: 'announcement', templateKey: 'announcement.general', source: `test:${randomUUID()}`, ...request }),
    );

  const made = (where: Record<string, unknown>) => em().find(Notification, where, { orderBy: { channel: 'asc' } });
  const channelsOf = async (userId: string, source?: string) =>
    (await made({ recipientId: userId, ...(source ? { dedupeKey: { $like: `${source}:%` } } : {}) })).map((n) => n.channel).sort();

  it('sends on the channels asked, minus those a person turned off and those without an address', async () => {
    const [reachable, bare, inAppOnly, quiet, muted, inactive] = await people([
      { device: true },
      { email: null, phone: null },
      {},
      {},
      {},
      { active: false },
    ]);
    await prefer(inAppOnly, 'announcement', [IN_APP], NotificationFrequency.IMMEDIATELY);
    // A person who chose no channel at all still gets the in-app one a sender asks for.
    await prefer(quiet, 'announcement', [], NotificationFrequency.IMMEDIATELY);
    await prefer(muted, 'announcement', [IN_APP, EMAIL], NotificationFrequency.NEVER);
    const source = `announcement:${randomUUID()}`;
    const count = await run({
      recipients: [reachable, bare, inAppOnly, quiet, muted, inactive, randomUUID()].map((userId) => ({ userId })),
      channels: [IN_APP, EMAIL, SMS, PUSH, WHATSAPP],
      source,
    });
    expect(await channelsOf(reachable, source)).toEqual([EMAIL, IN_APP, PUSH, SMS, WHATSAPP].sort());
    expect(await channelsOf(bare, source)).toEqual([IN_APP]);
    expect(await channelsOf(inAppOnly, source)).toEqual([IN_APP]);
    expect(await channelsOf(quiet, source)).toEqual([IN_APP]);
    expect(await channelsOf(muted, source)).toEqual([]);
    expect(await channelsOf(inactive, source)).toEqual([]);
    expect(count).toBe(5 + 1 + 1 + 1);
    // Addresses of the address channels are on the rows (the worker sends there); in-app has none.
    const rows = await made({ recipientId: reachable });
    expect(rows.find((n) => n.channel === EMAIL)?.address).toMatch(/@families\.test$/);
    expect(rows.find((n) => n.channel === SMS)?.address).toBe('+201001234567');
    expect(rows.find((n) => n.channel === IN_APP)?.address).toBeNull();
  });

  it("uses the person's preferred channels, else the category's, when the sender names none", async () => {
    const [chooser, fallback] = await people([{ device: true }, { device: true }]);
    await prefer(chooser, 'quiz.result', [SMS, PUSH], NotificationFrequency.IMMEDIATELY);
    const source = `quiz:${randomUUID()}`;
    await run({
      category: 'quiz.result',
      templateKey: 'announcement.general',
      recipients: [{ userId: chooser }, { userId: fallback }],
      source,
    });
    expect(await channelsOf(chooser, source)).toEqual([PUSH, SMS]);
    // categories.ts: quiz.result goes in-app and by email.
    expect(await channelsOf(fallback, source)).toEqual([EMAIL, IN_APP]);
  });

  it("renders in-app notifications at once in the person's language; the others wait for the worker", async () => {
    const [arabic, english] = await people([{ locale: 'AR' }, { locale: 'EN' }]);
    const source = `announcement:${randomUUID()}`;
    await run({
      recipients: [{ userId: arabic }, { userId: english }],
      channels: [IN_APP, EMAIL],
      variables: { title: 'رحلة الجمعة', message: 'الحضور الساعة ٨ صباحًا <لا تتأخروا>', courseTitle: 'العلوم' },
      source,
    });
    const [ar] = await made({ recipientId: arabic, channel: IN_APP });
    expect(ar.locale).toBe('AR');
    expect(ar.title).toBe('العلوم: رحلة الجمعة');
    // Plain text: nothing escaped.
    expect(ar.body).toBe('الحضور الساعة ٨ صباحًا <لا تتأخروا>');
    const [en] = await made({ recipientId: english, channel: EMAIL });
    expect(en.locale).toBe('EN');
    expect(en.title).toBeNull();
    expect(en.variables).toMatchObject({ title: 'رحلة الجمعة' });
  });

  it('makes nothing twice for one source, and queues a delivery job with each queued notification', async () => {
    const ids = await people([{}, {}, {}]);
    const source = `announcement:${randomUUID()}`;
    const request = { recipients: ids.map((userId) => ({ userId })), channels: [IN_APP, EMAIL], source };
    const jobsBefore = await orm.em.fork().count(OutboxMessage, { type: { $in: [deliveryRoutingKey(IN_APP), deliveryRoutingKey(EMAIL)] } });
    expect(await run(request)).toBe(6);
    // Again, and with a recipient listed twice and a new one: only the new one's are made.
    const [late] = await people([{}]);
    expect(await run({ ...request, recipients: [...request.recipients, { userId: ids[0] }, { userId: late }] })).toBe(2);
    expect(await run({ ...request, recipients: [...request.recipients, { userId: late }] })).toBe(0);
    const rows = await made({ dedupeKey: { $like: `${source}:%` } });
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.dedupeKey)).size).toBe(8);
    expect(rows.every((r) => r.status === DeliveryStatus.QUEUED)).toBe(true);
    expect(rows.find((r) => r.recipientId === late && r.channel === EMAIL)?.dedupeKey).toBe(`${source}:${late}:EMAIL`);
    const jobs = await orm.em.fork().find(OutboxMessage, { type: { $in: [deliveryRoutingKey(IN_APP), deliveryRoutingKey(EMAIL)] } });
    expect(jobs.length - jobsBefore).toBe(8);
    const jobIds = new Set(jobs.map((j) => (JSON.parse(j.payload) as { notificationId: string }).notificationId));
    expect(rows.every((r) => jobIds.has(r.id))).toBe(true);
  });

  it('rolls back with the caller: no notification and no job without the transaction', async () => {
    const [someone] = await people([{}]);
    const source = `announcement:${randomUUID()}`;
    await expect(
      em().transactional(async (tx) => {
        await notify(tx, {
          schoolId: school,
          category: 'announcement',
          templateKey: 'announcement.general',
          recipients: [{ userId: someone }],
          channels: [EMAIL],
          source,
        });
        throw new Error('the caller fails after notify');
      }),
    ).rejects.toThrow('the caller fails after notify');
    expect(await made({ recipientId: someone })).toEqual([]);
  });

  it('holds back a daily or weekly digest, and a later scheduledAt, without a job', async () => {
    const [daily, weekly, now] = await people([{}, {}, {}]);
    await prefer(daily, 'announcement', [IN_APP, EMAIL], NotificationFrequency.DAILY);
    await prefer(weekly, 'announcement', [EMAIL], NotificationFrequency.WEEKLY);
    const before = new Date();
    await run({ recipients: [{ userId: daily }, { userId: weekly }, { userId: now }], channels: [EMAIL] });
    const [d] = await made({ recipientId: daily });
    expect(d).toMatchObject({ status: DeliveryStatus.SCHEDULED, digest: 'DAILY' });
    const dailyAt = nextDigestAt('DAILY', before);
    expect([dailyAt.getTime(), nextDigestAt('DAILY', new Date()).getTime()]).toContain(d.scheduledAt!.getTime());
    const [w] = await made({ recipientId: weekly });
    expect(w).toMatchObject({ status: DeliveryStatus.SCHEDULED, digest: 'WEEKLY' });
    expect(w.scheduledAt!.getTime()).toBeGreaterThan(before.getTime());
    const [n] = await made({ recipientId: now });
    expect(n).toMatchObject({ status: DeliveryStatus.QUEUED, digest: null });

    const [later] = await people([{}]);
    const at = new Date(Date.now() + 3600_000);
    await run({ recipients: [{ userId: later }], channels: [EMAIL, IN_APP], scheduledAt: at });
    const rows = await made({ recipientId: later });
    expect(rows.map((r) => [r.status, r.scheduledAt?.getTime()])).toEqual([
      [DeliveryStatus.SCHEDULED, at.getTime()],
      [DeliveryStatus.SCHEDULED, at.getTime()],
    ]);
    const jobs = await orm.em.fork().find(OutboxMessage, { payload: { $like: `%${rows[0].id}%` } });
    expect(jobs).toEqual([]);
  });

  it('sends essential messages whatever the preferences, by SMS when there is no email, with sealed secrets', async () => {
    const [withEmail, phoneOnly] = await people([{}, { email: null }]);
    // A preference row for an essential category (written before the rule, or by hand) changes nothing.
    await prefer(withEmail, 'account', [], NotificationFrequency.NEVER);
    const source = `password.reset:${randomUUID()}`;
    await run({
      category: 'account',
      templateKey: 'announcement.general',
      recipients: [{ userId: withEmail }, { userId: phoneOnly }],
      variables: { title: 'Reset', message: 'Your code' },
      secretVariables: { message: 'secret-code-4242' },
      source,
    });
    expect(await channelsOf(withEmail, source)).toEqual([EMAIL]);
    expect(await channelsOf(phoneOnly, source)).toEqual([SMS]);
    const [row] = await em().find(Notification, { recipientId: withEmail }, { populate: ['sealed'] });
    expect(row.status).toBe(DeliveryStatus.QUEUED);
    expect(row.sealed).toBeTruthy();
    expect(row.sealed).not.toContain('secret-code-4242');
    expect(JSON.stringify(row.variables)).not.toContain('secret-code-4242');
    // The worker opens them to render: the secret wins over the stored variable of the same name.
    const fresh = await em().findOneOrFail(Notification, { id: row.id });
    expect((await renderNotification(em(), fresh, sealer)).text).toContain('secret-code-4242');
    expect((await renderNotification(em(), fresh)).text).not.toContain('secret-code-4242');
  });

  it('reaches someone without an account by email only, in the language given', async () => {
    const source = `invitation:${randomUUID()}`;
    const count = await run({
      category: 'account',
      recipients: [
        { email: 'New.Teacher@School.test', locale: 'EN' },
        { email: 'new.teacher@school.test', locale: 'EN' },
      ],
      channels: [EMAIL, IN_APP],
      source,
    });
    expect(count).toBe(1);
    const [row] = await made({ dedupeKey: { $like: `${source}:%` } });
    expect(row).toMatchObject({ channel: EMAIL, address: 'New.Teacher@School.test', locale: 'EN', recipientId: null });
    expect(row.dedupeKey).toBe(`${source}:new.teacher@school.test:EMAIL`);
  });

  it("never reads another school's people, and refuses an EntityManager of another school", async () => {
    const [elsewhere] = await people([{}], otherSchool);
    expect(await run({ recipients: [{ userId: elsewhere }], channels: [EMAIL] })).toBe(0);
    await expect(
      em(otherSchool).transactional((tx: EntityManager) =>
        notify(tx, {
          schoolId: school,
          category: 'announcement',
          templateKey: 'announcement.general',
          recipients: [{ userId: elsewhere }],
          source: 'x',
        }),
      ),
    ).rejects.toThrow(/scoped to/);
    await expect(run({ category: 'no.such.category', recipients: [{ userId: elsewhere }] })).rejects.toThrow(
      /unknown notification category/,
    );
  });

  it('makes 2,000 recipients × 2 channels in one call with a bounded number of queries', async () => {
    const ids = await people(Array.from({ length: 2000 }, (_, i) => ({ locale: i % 2 ? 'EN' : 'AR', device: i % 10 === 0 }) as PersonSpec));
    const source = `announcement:${randomUUID()}`;
    const queries: string[] = [];
    const counting = await openDatabase({ ...messagingDatabase, ...db.options, migrate: false, onQuery: (sql) => queries.push(sql) });
    try {
      const count = await scopeToTenant(counting.em.fork(), school).transactional((tx) =>
        notify(tx, {
          schoolId: school,
          category: 'announcement',
          templateKey: 'announcement.general',
          recipients: ids.map((userId) => ({ userId })),
          channels: [IN_APP, EMAIL],
          variables: { title: 'Exams', message: 'Exams start on Sunday.' },
          source,
        }),
      );
      expect(count).toBe(4000);
    } finally {
      await counting.close();
    }
    expect(await em().count(Notification, { dedupeKey: { $like: `${source}:%` } })).toBe(4000);
    // Reads: 3 per 1,000 recipients, 1 for the existing keys, 1 per template; writes: batches of 500.
    expect(queries.length).toBeLessThan(80);
    // Again: nothing new.
    expect(await run({ recipients: ids.map((userId) => ({ userId })), channels: [IN_APP, EMAIL], source })).toBe(0);
  });
});
