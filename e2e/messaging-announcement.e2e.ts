import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createInternalContextSigner, INTERNAL_CONTEXT_HEADER } from '../platform/auth/internal-context';
import { keySetFromJwks } from '../platform/auth/keys';
import type { MessageBroker } from '../platform/broker/message-broker';
import { createRabbitBroker } from '../platform/broker/rabbit-broker';
import { mysqlDbName, onMysqlServer } from '../platform/db/orm';
import { domainEvent, type DomainEvents, type DomainEventType } from '../platform/events/domain-events';
import { eventually } from '../testkit/eventually';
import { gql } from '../testkit/graphql-client';
import { testKeys } from '../testkit/keys';
import { deleteMessagingQueues, startMessagingProviders, type MessagingProviders } from '../testkit/messaging';
import { testServices, uniqueName } from '../testkit/services';
import { listening, productionEnv, removeProductionData, startProcess, type RunningProcess } from './support/process';

const run = promisify(execFile);
const STUDENTS = 500;
const CHANNELS = ['WHATSAPP', 'SMS', 'EMAIL', 'PUSH', 'IN_APP'] as const;
const ARABIC = /[\u0600-\u06FF]/;

/**
 * The messaging subgraph as its own process on MariaDB, Redis and RabbitMQ, with Twilio, an SMTP
 * server and FCM as loopback stand-ins. A teacher announces to a course of 500 students, each
 * with a guardian, on every channel; the worker is killed with SIGKILL in the middle of the batch
 * and started again, and later its RabbitMQ connection is closed under it. Every recipient gets
 * the announcement once per channel, in their own language (counted at the providers), and every
 * status ends where the provider's reports take it.
 *
 * The audience reaches messaging the way production feeds it: `user.upserted`,
 * `course.upserted`, `enrollment.created` and `guardian.linked` events on the broker.
 */
describe('an announcement to 500 families across a killed worker', () => {
  const prefix = uniqueName('e2e_msg');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'manassa-messaging-'));
  const schoolId = randomUUID();
  const teacherId = randomUUID();
  const adminId = randomUUID();
  const courseId = randomUUID();
  const students = Array.from({ length: STUDENTS }, (_, i) => ({
    id: randomUUID(),
    email: `student${i}@families.test`,
    phone: `+2010${String(i).padStart(8, '0')}`,
    locale: i % 2 === 0 ? ('AR' as const) : ('EN' as const),
  }));
  const guardians = students.map((s, i) => ({
    id: randomUUID(),
    studentId: s.id,
    email: `guardian${i}@families.test`,
    phone: `+2011${String(i).padStart(8, '0')}`,
    locale: i % 3 === 0 ? ('EN' as const) : ('AR' as const),
  }));
  const recipients = [...students, ...guardians];
  const running: RunningProcess[] = [];
  let providers: MessagingProviders;
  let keys: Awaited<ReturnType<typeof testKeys>>;
  let sign: ReturnType<typeof createInternalContextSigner>;
  let broker: MessageBroker;
  let port: number;

  const start = async () => {
    const proc = await startProcess(
      'subgraphs/messaging/index.js',
      {
        ...productionEnv(prefix, dataDir),
        MESSAGING_PORT: String(port),
        MESSAGING_PUBLIC_URL: `http://127.0.0.1:${port}`,
        INTERNAL_JWKS: keys.internalPublic,
        MESSAGING_SEAL_KEY: 'seal-key-of-the-messaging-e2e-run-0123456789',
        SEED_DEMO: '0',
        DELIVERY_RETRY_DELAYS_MS: '500,2000,5000',
        DELIVERY_IN_DOUBT_MS: '5000',
        DELIVERY_STATUS_POLL_AFTER_MS: '3000',
        MESSAGING_SWEEP_INTERVAL_MS: '1000',
        ...providers.env,
      },
      listening('messaging'),
    );
    running.push(proc);
    return proc;
  };
  const call = async (messaging: RunningProcess, user: { id: string; roles: string[] }, query: string, variables = {}) => {
    const token = await sign({ tenant: { id: schoolId, slug: 'families' }, user }, 'messaging');
    const r = await gql(`${messaging.url}/graphql`, query, { headers: { [INTERNAL_CONTEXT_HEADER]: token }, variables });
    if (r.body.errors?.length) throw new Error(JSON.stringify(r.body.errors));
    return r.body.data;
  };
  /** Publishes a domain event as the source subgraph's outbox relay would. */
  const publish = <T extends DomainEventType>(type: T, payload: DomainEvents[T]) => {
    const id = randomUUID();
    const event = { ...domainEvent(type, schoolId, payload), id, occurredAt: new Date().toISOString() };
    return broker.publish(type, event, { id });
  };
  const sql = (query: string, params: unknown[] = []) =>
    onMysqlServer(testServices.mysqlUrl, async (conn) => {
      const [rows] = await conn.query(query.replaceAll('$db', mysqlDbName(`${testServices.mysqlUrl}/${prefix}`, 'messaging')), params);
      return rows as Array<Record<string, unknown>>;
    });
  const count = async (query: string, params: unknown[] = []) => Number((await sql(query, params))[0].n);
  /** Closes the broker connections of the messaging process (what a RabbitMQ restart or a network cut does to it). */
  const closeRabbitConnections = async () => {
    const { stdout } = await run('rabbitmqctl', ['list_connections', '-q', '--no-table-headers', 'pid', 'client_properties']);
    const pids = stdout
      .split('\n')
      .filter((line) => line.includes('"messaging"') || line.includes('<<"messaging">>'))
      .map((line) => line.split(/\s+/)[0]);
    for (const pid of pids) await run('rabbitmqctl', ['close_connection', pid, 'e2e: connection dropped']);
    return pids.length;
  };

  beforeAll(async () => {
    keys = await testKeys();
    sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(keys.internal)));
    providers = await startMessagingProviders({ twilioCallbackDelayMs: 20 });
    broker = createRabbitBroker({ url: testServices.amqpUrl, connectionName: 'e2e-publisher' });
    port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
  });
  afterAll(async () => {
    for (const proc of running) if (proc.proc.exitCode === null && proc.proc.signalCode === null) await proc.stop();
    await broker?.close();
    await providers?.close();
    // The reactions' and channel workers' queues (the workers' retry delays are this run's).
    await deleteMessagingQueues(`${prefix}.`, [500, 2000, 5000]);
    await removeProductionData(prefix, dataDir);
  });

  it('reaches every recipient once per channel in their language, with the statuses tracked, across SIGKILL and a dropped connection', async () => {
    let messaging = await start();

    // The audience, as users and courses announce it.
    await publish('user.upserted', { userId: teacherId, roles: ['TEACHER'], active: true, displayName: 'Omar Farouk', locale: 'AR' });
    await publish('user.upserted', { userId: adminId, roles: ['SCHOOL_ADMIN'], active: true, displayName: 'Admin', locale: 'AR' });
    for (const s of students) await publish('user.upserted', { userId: s.id, roles: ['STUDENT'], active: true, ...s });
    for (const g of guardians) await publish('user.upserted', { userId: g.id, roles: ['PARENT'], active: true, ...g });
    await publish('course.upserted', { courseId, title: 'Mathematics 3', teacherId, status: 'PUBLISHED' });
    for (const s of students) {
      await publish('enrollment.created', { enrollmentId: randomUUID(), courseId, studentId: s.id, enrolledAt: new Date().toISOString() });
    }
    for (const g of guardians) await publish('guardian.linked', { guardianId: g.id, studentId: g.studentId });
    await eventually(
      async () => {
        expect(await count('select count(*) as n from $db.contact where school_id = ?', [schoolId])).toBe(2 + 2 * STUDENTS);
        expect(await count('select count(*) as n from $db.course_enrollment where school_id = ? and active', [schoolId])).toBe(STUDENTS);
        expect(await count('select count(*) as n from $db.guardian_link where school_id = ?', [schoolId])).toBe(STUDENTS);
      },
      120_000,
      250,
    );

    // Every family's phone takes push; the school words its announcement in both languages.
    const pending = [...recipients];
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let r = pending.pop(); r; r = pending.pop()) {
          const roles = students.includes(r as (typeof students)[number]) ? ['STUDENT'] : ['PARENT'];
          await call(messaging, { id: r.id, roles }, 'mutation($t: String!) { registerPushDevice(token: $t, platform: "android") }', {
            t: `device-${r.id}`,
          });
        }
      }),
    );
    const admin = { id: adminId, roles: ['SCHOOL_ADMIN'] };
    const template = 'mutation($i: TemplateInput!) { upsertTemplate(input: $i) { key } }';
    await call(messaging, admin, template, {
      i: { key: 'exam.moved', locale: 'AR', subject: 'تغيير موعد: {{courseTitle}}', text: 'الاختبار يوم {{day}}.' },
    });
    await call(messaging, admin, template, {
      i: { key: 'exam.moved', locale: 'EN', subject: 'Schedule change: {{courseTitle}}', text: 'The exam is on {{day}}.' },
    });

    // The students' welcome emails (their enrollments) are out first, so the count below is the announcement's.
    await eventually(() => expect(providers.smtp.messages.length).toBe(STUDENTS), 120_000, 100);
    const before = providers.accepted();
    const { sendAnnouncement } = await call(
      messaging,
      { id: teacherId, roles: ['TEACHER'] },
      'mutation($c: ID!, $ch: [Channel!]!) { sendAnnouncement(courseId: $c, templateKey: "exam.moved", variables: { day: "Sunday" }, channels: $ch) { id } }',
      { c: courseId, ch: CHANNELS },
    );
    expect(sendAnnouncement.id).toEqual(expect.any(String));
    const atProviders = 4 * recipients.length; // every channel but in-app reaches a provider
    const sent = () => providers.accepted() - before;

    // SIGKILL in the middle of the batch, then a fresh process takes over.
    await eventually(() => expect(sent()).toBeGreaterThanOrEqual(atProviders * 0.25), 120_000);
    messaging.proc.kill('SIGKILL');
    await new Promise((resolve) => (messaging.proc.exitCode !== null ? resolve(null) : messaging.proc.once('exit', resolve)));
    const atKill = sent();
    expect(atKill).toBeLessThan(atProviders);
    messaging = await start();

    // Later, its broker connection is closed under it.
    await eventually(() => expect(sent()).toBeGreaterThanOrEqual(Math.max(atKill + 200, atProviders * 0.6)), 120_000);
    if (sent() < atProviders) expect(await closeRabbitConnections()).toBeGreaterThan(0);

    // Everything settles: the providers' reports tracked to the end, those whose callback came while
    // the process was down caught up by asking Twilio (email and push end at SENT: SMTP and FCM
    // accept a message but report nothing after).
    const expected: Record<string, string> = { WHATSAPP: 'READ', SMS: 'DELIVERED', EMAIL: 'SENT', PUSH: 'SENT', IN_APP: 'DELIVERED' };
    await eventually(
      async () => {
        const rows = await sql(
          'select channel, status, count(*) as n from $db.notification where school_id = ? and announcement_id = ? group by channel, status',
          [schoolId, sendAnnouncement.id],
        );
        const byChannel = Object.fromEntries(rows.map((r) => [`${String(r.channel)} ${String(r.status)}`, Number(r.n)]));
        expect(byChannel).toEqual(Object.fromEntries(CHANNELS.map((c) => [`${c} ${expected[c]}`, recipients.length])));
      },
      180_000,
      500,
    );

    // Once per recipient and channel, in the recipient's language (the students' welcome emails of
    // their enrollment also went out: only the announcement's are counted). Twilio's count is exact:
    // a send in doubt is checked against its message list before any resend. SMTP and FCM cannot be
    // asked, so an email or push whose outcome was lost (the worker killed between the provider's
    // answer and the commit, or a timeout on a loaded machine) goes out again under the same
    // Message-ID or collapse id: one per person, which mail clients and devices show once.
    const announced = (text?: string) => Boolean(text?.includes('Sunday'));
    for (const r of recipients) {
      const texts = [
        ...providers.twilio.sentTo(r.phone).filter((m) => m.channel === 'sms'),
        ...providers.twilio.sentTo(`whatsapp:${r.phone}`),
      ]
        .map((m) => m.body ?? '')
        .filter(announced);
      const emails = providers.smtp.sentTo(r.email).filter((m) => announced(m.text));
      const pushes = providers.fcm.sentTo(`device-${r.id}`).filter((m) => announced(JSON.stringify(m.message)));
      const collapseIds = pushes.map((m) => (m.message.android as { collapse_key?: string } | undefined)?.collapse_key);
      expect([r.id, texts.length, new Set(emails.map((m) => m.messageId)).size, new Set(collapseIds).size]).toEqual([r.id, 2, 1, 1]);
      expect(collapseIds[0]).toEqual(expect.any(String));
      const arabic = r.locale === 'AR';
      for (const text of [...texts, emails[0].subject ?? '', JSON.stringify(pushes[0].message)]) {
        expect([r.id, text, ARABIC.test(text)]).toEqual([r.id, text, arabic]);
      }
    }
  }, 600_000);
});
