/**
 * An announcement of 10,000 notifications through the local fake providers, against a bare
 * amqplib publish/consume loop sending the same messages to the same providers, in one run.
 *
 *   npm run bench:messaging            (MariaDB, Redis and RabbitMQ on 127.0.0.1, like the tests)
 *
 * Ours: the messaging subgraph as its own production process (MariaDB, RabbitMQ, Redis); its
 * audience (5,000 students and guardians) arrives as domain events, a teacher announces on SMS
 * and email, and the clock runs from the mutation's answer until every notification is SENT or
 * further in the database. Baseline: 10,000 jobs published to one queue and consumed with the same
 * prefetch, each sent through the same adapters (Twilio client, pooled nodemailer) with no
 * database, claim, outbox or status: what the providers and the broker cost alone. Prints
 * notifications per second, the ratio, and the peak memory (VmHWM) of the worker process.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from 'amqplib';
import { createInternalContextSigner, INTERNAL_CONTEXT_HEADER } from '../../platform/auth/internal-context';
import { keySetFromJwks } from '../../platform/auth/keys';
import { createRabbitBroker } from '../../platform/broker/rabbit-broker';
import { mysqlDbName, onMysqlServer } from '../../platform/db/orm';
import { domainEvent, type DomainEvents, type DomainEventType } from '../../platform/events/domain-events';
import { emailAdapter } from '../../subgraphs/messaging/channels/smtp/email.adapter';
import { smsAdapter } from '../../subgraphs/messaging/channels/twilio/sms.adapter';
import { TwilioClient } from '../../subgraphs/messaging/channels/twilio/twilio-client';
import { Channel } from '../../subgraphs/messaging/notification/notification.entity';
import { deleteRedisKeys } from '../../testkit/cleanup';
import { dropDatabasesWithPrefix } from '../../testkit/database';
import { gql } from '../../testkit/graphql-client';
import { testKeys } from '../../testkit/keys';
import { deleteMessagingQueues, startMessagingProviders, type MessagingProviders } from '../../testkit/messaging';
import { testServices, uniqueName } from '../../testkit/services';
import { productionEnv } from '../../testkit/production-env';
import { fmt, listening, startNode, type BenchProcess } from '../support';

const FAMILIES = 2_500; // students, each with a guardian: 5,000 people
const CHANNELS = [Channel.SMS, Channel.EMAIL];
const NOTIFICATIONS = 2 * FAMILIES * CHANNELS.length;
const CONCURRENCY = 20; // DELIVERY_CONCURRENCY, and the baseline's prefetch

interface Person {
  id: string;
  email: string;
  phone: string;
  locale: 'AR' | 'EN';
}

const people = (prefix: string, offset: number): Person[] =>
  Array.from({ length: FAMILIES }, (_, i) => ({
    id: randomUUID(),
    email: `${prefix}${i}@bench.test`,
    phone: `+20${offset}${String(i).padStart(8, '0')}`,
    locale: i % 2 ? 'EN' : 'AR',
  }));

async function main() {
  const prefix = uniqueName('bench_msg');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'manassa-bench-msg-'));
  const providers = await startMessagingProviders();
  const keys = await testKeys();
  const sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(keys.internal)));
  const broker = createRabbitBroker({ url: testServices.amqpUrl, connectionName: 'bench-publisher' });
  let messaging: BenchProcess | undefined;
  try {
    const baseline = await bareLoop(providers);
    providers.twilio.messages.length = 0;
    providers.smtp.messages.length = 0;

    const schoolId = randomUUID();
    const teacherId = randomUUID();
    const courseId = randomUUID();
    const students = people('student', 10);
    const guardians = people('guardian', 11);
    messaging = await startNode(
      'subgraphs/messaging/index.js',
      {
        ...productionEnv(prefix, dataDir),
        MESSAGING_PORT: '0',
        INTERNAL_JWKS: keys.internalPublic,
        MESSAGING_SEAL_KEY: 'seal-key-of-the-messaging-benchmark-0123456789',
        SEED_DEMO: '0',
        DELIVERY_CONCURRENCY: String(CONCURRENCY),
        ...providers.env,
        // Callbacks are not part of the measure (the clock stops at SENT); they still arrive.
      },
      listening('messaging'),
    );
    const publish = <T extends DomainEventType>(type: T, payload: DomainEvents[T]) => {
      const id = randomUUID();
      return broker.publish(type, { ...domainEvent(type, schoolId, payload), id, occurredAt: new Date().toISOString() }, { id });
    };
    await publish('user.upserted', { userId: teacherId, roles: ['TEACHER'], active: true, displayName: 'Teacher', locale: 'AR' });
    await Promise.all([...students, ...guardians].map((p) => publish('user.upserted', { userId: p.id, roles: [], active: true, ...p })));
    await publish('course.upserted', { courseId, title: 'Benchmark course', teacherId, status: 'PUBLISHED' });
    await Promise.all(
      students.map((s) =>
        publish('enrollment.created', { enrollmentId: randomUUID(), courseId, studentId: s.id, enrolledAt: new Date().toISOString() }),
      ),
    );
    await Promise.all(students.map((s, i) => publish('guardian.linked', { guardianId: guardians[i].id, studentId: s.id })));
    const db = mysqlDbName(`${testServices.mysqlUrl}/${prefix}`, 'messaging');
    const count = (sql: string, params: unknown[]) =>
      onMysqlServer(testServices.mysqlUrl, async (conn) => {
        const [rows] = await conn.query(sql.replaceAll('$db', db), params);
        return Number((rows as Array<{ n: number }>)[0].n);
      });
    // The audience is in, and the students' welcome messages (their enrollments) are out, before the clock starts.
    await until(
      async () => (await count('select count(*) as n from $db.guardian_link where school_id = ?', [schoolId])) === FAMILIES,
      900_000,
    );
    await until(
      async () => (await count('select count(*) as n from $db.contact where school_id = ?', [schoolId])) === 2 * FAMILIES + 1,
      900_000,
    );
    await until(
      async () =>
        (await count(
          "select count(*) as n from $db.notification where school_id = ? and category = 'enrollment' and status in ('SENT', 'DELIVERED')",
          [schoolId],
        )) ===
        2 * FAMILIES,
      900_000,
    );
    providers.twilio.messages.length = 0;
    providers.smtp.messages.length = 0;

    const token = await sign({ tenant: { id: schoolId, slug: 'bench' }, user: { id: teacherId, roles: ['TEACHER'] } }, 'messaging');
    const cpuBefore = messaging.cpuSeconds();
    const started = Date.now();
    const answer = await gql(
      `${messaging.url}/graphql`,
      'mutation($c: ID!, $ch: [Channel!]!) { sendAnnouncement(courseId: $c, templateKey: "announcement.general", variables: { title: "Bench", message: "Ten thousand" }, channels: $ch) { id } }',
      { headers: { [INTERNAL_CONTEXT_HEADER]: token }, variables: { c: courseId, ch: CHANNELS } },
    );
    if (answer.body.errors) throw new Error(JSON.stringify(answer.body.errors));
    const announcementId = (answer.body.data as { sendAnnouncement: { id: string } }).sendAnnouncement.id;
    await until(
      async () =>
        (await count("select count(*) as n from $db.notification where announcement_id = ? and status in ('SENT', 'DELIVERED', 'READ')", [
          announcementId,
        ])) === NOTIFICATIONS,
      600_000,
      200,
    );
    const seconds = (Date.now() - started) / 1000;
    const ours = NOTIFICATIONS / seconds;
    const cpu = messaging.cpuSeconds() - cpuBefore;
    const memory = messaging.memory();
    const atProviders = providers.twilio.messages.length + providers.smtp.messages.length;
    const failed = await count("select count(*) as n from $db.notification where announcement_id = ? and status = 'FAILED'", [
      announcementId,
    ]);

    console.log(
      `\nAnnouncement of ${fmt(NOTIFICATIONS)} notifications (${fmt(2 * FAMILIES)} people × SMS + email), worker concurrency ${CONCURRENCY}`,
    );
    console.log('');
    console.log('                                   notifications/s   seconds   peak RSS (MiB)   CPU s');
    console.log(
      `  bare amqplib publish/consume      ${fmt(baseline.rate).padStart(15)}   ${fmt(baseline.seconds, 1).padStart(7)}   ${fmt(baseline.peakMiB).padStart(14)}   ${fmt(baseline.cpu, 1).padStart(5)}`,
    );
    console.log(
      `  messaging (outbox, claims, status) ${fmt(ours).padStart(14)}   ${fmt(seconds, 1).padStart(7)}   ${fmt(memory.peakMiB).padStart(14)}   ${fmt(cpu, 1).padStart(5)}`,
    );
    console.log(`\n  ratio messaging / bare loop: ${fmt(ours / baseline.rate, 2)}×`);
    console.log(
      `  accepted at the providers: ${fmt(atProviders)} of ${fmt(NOTIFICATIONS)} (duplicates: ${fmt(atProviders - NOTIFICATIONS)}), failed: ${failed}`,
    );
    console.log('  (baseline peak RSS: the benchmark process itself, which also runs the fake providers)\n');
  } finally {
    await messaging?.stop();
    await broker.close();
    await providers.close();
    await deleteMessagingQueues(`${prefix}.`);
    await deleteRedisKeys(`${prefix}:`);
    await dropDatabasesWithPrefix(prefix);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The baseline: the same 10,000 sends through a bare publish/consume loop on one queue. */
async function bareLoop(providers: MessagingProviders) {
  const queue = uniqueName('bench.bare');
  const client = new TwilioClient(
    { baseUrl: providers.twilio.url, accountSid: providers.env.TWILIO_ACCOUNT_SID, authToken: providers.env.TWILIO_AUTH_TOKEN },
    10_000,
  );
  const sms = smsAdapter({ client, from: providers.env.TWILIO_SMS_FROM, publicUrl: 'http://127.0.0.1:9' });
  const email = emailAdapter({ url: providers.smtp.url, from: providers.env.MAIL_FROM, maxConnections: 5, timeoutMs: 10_000 });
  const connection = await connect(testServices.amqpUrl);
  providers.twilio.dropCallbacks = true;
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: true });
    await channel.prefetch(CONCURRENCY);
    const cpuBefore = process.cpuUsage();
    const started = Date.now();
    let done = 0;
    const finished = new Promise<void>((resolve, reject) => {
      void channel.consume(queue, (msg) => {
        if (!msg) return;
        const job = JSON.parse(msg.content.toString()) as { id: string; channel: Channel; to: string };
        const message = {
          notificationId: job.id,
          idempotencyKey: `${job.id}:1`,
          to: job.to,
          locale: 'EN' as const,
          subject: 'Bench',
          text: 'Ten thousand',
        };
        (job.channel === Channel.SMS ? sms : email)
          .send(message)
          .then(() => {
            channel.ack(msg);
            if (++done === NOTIFICATIONS) resolve();
          })
          .catch(reject);
      });
    });
    for (let i = 0; i < NOTIFICATIONS; i++) {
      const job = {
        id: randomUUID(),
        channel: i % 2 ? Channel.EMAIL : Channel.SMS,
        to: i % 2 ? `bare${i}@bench.test` : `+2012${String(i).padStart(8, '0')}`,
      };
      channel.sendToQueue(queue, Buffer.from(JSON.stringify(job)), { persistent: true });
    }
    await channel.waitForConfirms();
    await finished;
    const seconds = (Date.now() - started) / 1000;
    const used = process.cpuUsage(cpuBefore);
    await channel.deleteQueue(queue);
    return { rate: NOTIFICATIONS / seconds, seconds, cpu: (used.user + used.system) / 1e6, peakMiB: process.resourceUsage().maxRSS / 1024 };
  } finally {
    providers.twilio.dropCallbacks = false;
    await email.close();
    await connection.close();
  }
}

async function until(check: () => Promise<boolean>, timeoutMs = 120_000, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('benchmark: timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
