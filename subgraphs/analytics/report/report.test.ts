import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { MikroORM } from '@mikro-orm/core';
import express from 'express';
import { createInternalContextSigner, INTERNAL_CONTEXT_HEADER } from '../../../platform/auth/internal-context';
import { keySetFromJwks } from '../../../platform/auth/keys';
import type { RoleName } from '../../../platform/auth/roles';
import type { BrokerMessage } from '../../../platform/broker/message-broker';
import { scopeToTenant, TENANT_FILTER } from '../../../platform/db/tenant';
import type { DomainEventOf } from '../../../platform/events/domain-events';
import type { Locale } from '../../../platform/i18n/locale';
import { openDatabase } from '../../../platform/db/orm';
import { createLogger } from '../../../platform/logger';
import { OutboxMessage } from '../../../platform/outbox/outbox';
import { Person } from '../../../platform/people/person.entity';
import { openFileStorage } from '../../../platform/storage/open';
import type { FileStorage } from '../../../platform/storage/storage';
import type { SubgraphService } from '../../../platform/subgraph/host';
import { createTransport, type Transport } from '../../../platform/transport';
import { deleteRabbitQueues, deleteRedisKeys } from '../../../testkit/cleanup';
import { testDatabase, type TestDialect } from '../../../testkit/database';
import { eventually } from '../../../testkit/eventually';
import { codes, gql, type GqlResult } from '../../../testkit/graphql-client';
import { testKeys } from '../../../testkit/keys';
import { startTestS3, type TestS3 } from '../../../testkit/s3-server';
import { testServices, uniqueName } from '../../../testkit/services';
import type { GraphQLError } from 'graphql';
import { analyticsSubgraph } from '../app';
import type { AnalyticsContext } from '../context';
import { analyticsDatabase } from '../database';
import { CourseFact } from '../course/course-fact.entity';
import { EnrollmentFact, type EnrollmentState } from '../enrollment/enrollment-fact.entity';
import { analyticsConfigFromEnv, type AnalyticsConfig } from '../env';
import { AttendanceFact } from '../live-session/attendance-fact.entity';
import { LiveSessionFact } from '../live-session/live-session-fact.entity';
import { PaymentFact } from '../payment/payment-fact.entity';
import { RefundFact } from '../payment/refund-fact.entity';
import { QuizAttemptFact } from '../quiz/quiz-attempt-fact.entity';
import { ReportJob, ReportJobStatus, ReportKind } from './report-job.entity';
import { ReportService } from './report.service';
import { reportConsumer } from './report.worker';

/**
 * Report exports end to end in one analytics service: `exportReport` → the outbox → the broker →
 * the report worker → file storage → `downloadUrl`, on MariaDB with RabbitMQ and S3 (s3rver,
 * behind a switchable proxy so the storage can go down), and on SQLite with the in-process broker
 * and files on disk. Every file is compared whole with one written out here from the facts.
 */

const W = { from: new Date('2026-01-01T00:00:00.000Z'), to: new Date('2026-04-01T00:00:00.000Z') };
const MINUTE = 60_000;
const ARABIC = ['أحمد محمود', 'فاطمة الزهراء', 'يوسف عبد الله', 'مريم حسن', 'عمر خالد', 'نور الهدى'];
const ENROLLMENTS = 2_500;
const logger = createLogger('report-test', 'silent');

/** RFC 4180 as the files are written: CRLF, fields with a comma, quote or line break quoted. */
const cell = (value: string | number) => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const csv = (header: string[], rows: Array<Array<string | number>>) =>
  [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
const utc = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');
const byTimeThenId = <T extends { at: Date; id: string }>(a: T, b: T) =>
  a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** An S3 endpoint in front of s3rver that answers 503 while `down`. */
async function startSwitchableProxy(target: string) {
  const upstream = new URL(target);
  let down = false;
  const server: Server = createServer((req, res) => {
    if (down) {
      req.resume();
      res.writeHead(503, { 'Content-Type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>ServiceUnavailable</Code><Message>storage switched off by the test</Message></Error>',
      );
      return;
    }
    // Headers as sent (Host included): the signatures cover them.
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (err) => res.destroy(err));
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set: (isDown: boolean) => (down = isDown),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

interface Harness {
  service: SubgraphService;
  orm: MikroORM;
  url: string;
  config: AnalyticsConfig;
  /** A storage of the test's own on the service's files (same folder and secret, or same bucket). */
  storage: FileStorage;
  /** Page queries of the report worker, as the database ran them. */
  pageQueries: string[];
  /** Signs an internal context as the gateway would, for this service. */
  sign: ReturnType<typeof createInternalContextSigner>;
  storageDown(down: boolean): void;
  close(): Promise<void>;
}

async function startAnalytics(dialect: TestDialect): Promise<Harness> {
  const db = testDatabase(dialect, 'analytics');
  const keys = await testKeys();
  const production = dialect === 'mysql';
  const exchange = uniqueName('test_events');
  const redisPrefix = `${uniqueName('test')}:`;
  const s3: TestS3 | undefined = production ? await startTestS3() : undefined;
  const proxy = s3 ? await startSwitchableProxy(s3.endpoint) : undefined;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1',
    ANALYTICS_PORT: '0',
    INTERNAL_JWKS: keys.internalPublic,
    SEED_DEMO: '0',
    ANALYTICS_INITIAL_REBUILD: 'off',
    AMQP_QUEUE_PREFIX: `${uniqueName('t')}.`,
    OUTBOX_POLL_INTERVAL_MS: '50',
    // Three attempts a second apart: long enough for a test to bring the storage back in between.
    REPORT_RETRY_DELAYS_MS: '1000,1000',
    ...(db.env as Record<string, string>),
    ...(production
      ? {
          REDIS_URL: testServices.redisUrl,
          AMQP_URL: testServices.amqpUrl,
          REDIS_KEY_PREFIX: redisPrefix,
          S3_BUCKET: s3!.bucket,
          S3_ENDPOINT: proxy!.url,
          S3_REGION: s3!.region,
          S3_ACCESS_KEY_ID: s3!.accessKeyId,
          S3_SECRET_ACCESS_KEY: s3!.secretAccessKey,
        }
      : {}),
  };
  const transport: Transport = createTransport(
    production ? { name: 'test', redisUrl: testServices.redisUrl, amqpUrl: testServices.amqpUrl, redisPrefix, exchange } : { name: 'test' },
  );
  const pageQueries: string[] = [];
  const service = analyticsSubgraph.create(env, transport, {
    onQuery: (sql) => void (sql.includes(' as page_at') && pageQueries.push(sql)),
  });
  const { url } = await service.start();
  const config = analyticsConfigFromEnv(env);
  const storage = await openFileStorage(config.files, express(), () => url);
  const localTmp = path.join(db.dir, 'reports', 'tmp');
  return {
    service,
    orm: service.orm(),
    url,
    config,
    storage,
    pageQueries,
    sign: createInternalContextSigner(await keySetFromJwks(JSON.parse(keys.internal))),
    storageDown(down) {
      if (proxy) return void proxy.set(down);
      // The local storage streams into reports/tmp: a file in its place fails every write.
      rmSync(localTmp, { recursive: true, force: true });
      if (down) writeFileSync(localTmp, 'not a folder');
      else mkdirSync(localTmp, { recursive: true });
    },
    async close() {
      await storage.close();
      await service.stop();
      await transport.close();
      if (production) {
        await deleteRabbitQueues(service.queues(), [], exchange);
        await deleteRedisKeys(redisPrefix);
      }
      await proxy?.close();
      await s3?.close();
      await db.drop();
    },
  };
}

describe.each(['mysql', 'sqlite'] as const)('report exports (%s)', (dialect) => {
  let h: Harness;
  const schoolA: string = randomUUID();
  const schoolB: string = randomUUID();
  const admin = { id: randomUUID(), roles: ['SCHOOL_ADMIN'] as RoleName[] };
  const teacher = { id: randomUUID(), roles: ['TEACHER'] as RoleName[] };
  const otherTeacher = randomUUID();
  const adminB = { id: randomUUID(), roles: ['SCHOOL_ADMIN'] as RoleName[] };
  const courses = { physics: randomUUID(), chemistry: randomUUID(), deleted: randomUUID(), ofB: randomUUID() };
  const titles: Record<string, string> = {
    [courses.physics]: 'الفيزياء',
    [courses.chemistry]: 'Chemistry, "advanced"',
    [courses.deleted]: 'Old algebra',
  };
  const students = Array.from({ length: 30 }, (_, i): { id: string; name: string } => ({
    id: randomUUID(),
    name: `${ARABIC[i % ARABIC.length]} ${i}`,
  }));
  // A name a spreadsheet would run as a formula: written as text.
  students[7].name = '=HYPERLINK("http://x.test")';
  const nameOf = new Map<string, string>(students.map((s) => [s.id, s.name]));
  const parent = { id: randomUUID(), name: 'والد الطالب' };

  type Expected = { at: Date; id: string; cells: Array<string | number> };
  const expected: Record<'enrollments' | 'attendance' | 'quiz' | 'payments', Expected[]> = {
    enrollments: [],
    attendance: [],
    quiz: [],
    payments: [],
  };
  const idsOfB: string[] = [];

  const as = async (who: { id: string; roles: RoleName[] }, school = schoolA, opts: { locale?: Locale; timezone?: string } = {}) =>
    h.sign(
      {
        tenant: { id: school, slug: 'school', timezone: opts.timezone ?? 'UTC' },
        user: { id: who.id, roles: who.roles },
        locale: opts.locale ?? 'en',
      },
      'analytics',
    );
  const call = async <T = any>(
    who: { id: string; roles: RoleName[] },
    query: string,
    variables: Record<string, unknown> = {},
    opts: { school?: string; locale?: Locale; timezone?: string } = {},
  ): Promise<GqlResult<T>> =>
    gql<T>(`${h.url}/graphql`, query, { headers: { [INTERNAL_CONTEXT_HEADER]: await as(who, opts.school, opts) }, variables });

  const JOB = 'id kind from to status rows downloadUrl expiresAt error createdAt finishedAt';
  const exportReport = (who: { id: string; roles: RoleName[] }, kind: ReportKind, from = W.from, to = W.to, opts = {}) =>
    call(
      who,
      `mutation($k: ReportKind!, $f: DateTime!, $t: DateTime!) { exportReport(kind: $k, from: $f, to: $t) { ${JOB} } }`,
      { k: kind, f: from.toISOString(), t: to.toISOString() },
      opts,
    );
  const jobOf = async (who: { id: string; roles: RoleName[] }, id: string, opts = {}) =>
    (await call(who, `query($id: ID!) { reportJob(id: $id) { ${JOB} } }`, { id }, opts)).body.data?.reportJob;

  /** The job once SUCCEEDED or FAILED. */
  async function settled(who: { id: string; roles: RoleName[] }, id: string, opts = {}) {
    let job: any;
    await eventually(async () => {
      job = await jobOf(who, id, opts);
      expect(['SUCCEEDED', 'FAILED']).toContain(job.status);
    }, 30_000);
    return job;
  }

  /** Asks for a report and waits until it is done; returns the job and the file's bytes. */
  async function exported(
    who: { id: string; roles: RoleName[] },
    kind: ReportKind,
    opts: { school?: string; locale?: Locale; timezone?: string } = {},
  ) {
    const asked = await exportReport(who, kind, W.from, W.to, opts);
    expect(asked.body.errors).toBeUndefined();
    const id = asked.body.data.exportReport.id as string;
    const job = await settled(who, id, opts);
    expect(job).toMatchObject({ status: 'SUCCEEDED', error: null });
    const response = await fetch(job.downloadUrl);
    expect(response.status).toBe(200);
    return { job, bytes: Buffer.from(await response.arrayBuffer()) };
  }
  const text = (bytes: Buffer) => {
    // UTF-8 byte order mark first: spreadsheet programs then read the Arabic as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    return bytes.subarray(3).toString('utf8');
  };

  beforeAll(async () => {
    h = await startAnalytics(dialect);
    await arrange();
  }, 120_000);
  afterAll(() => h?.close());

  async function arrange() {
    const observedAt = new Date('2025-12-01T00:00:00Z');
    const emA = scopeToTenant(h.orm.em.fork(), schoolA);
    const emB = scopeToTenant(h.orm.em.fork(), schoolB);
    const course = (em: typeof emA, schoolId: string, id: string, teacherId: string, title: string, deleted = false) =>
      em.create(CourseFact, { id, schoolId, teacherId, title, status: 'PUBLISHED', deleted, observedAt });
    course(emA, schoolA, courses.physics, teacher.id, titles[courses.physics]);
    course(emA, schoolA, courses.chemistry, otherTeacher, titles[courses.chemistry]);
    course(emA, schoolA, courses.deleted, teacher.id, titles[courses.deleted], true);
    course(emB, schoolB, courses.ofB, teacher.id, 'Physics of B');
    for (const s of students) emA.create(Person, { id: s.id, schoolId: schoolA, roles: ['STUDENT'], displayName: s.name, observedAt });
    emA.create(Person, { id: parent.id, schoolId: schoolA, roles: ['PARENT'], displayName: parent.name, observedAt });

    // Enrollments: 2,500 in the window, three to a minute (ties across the 1,000-row page boundaries).
    const states: EnrollmentState[] = ['ACTIVE', 'ACTIVE', 'DROPPED'];
    const progress = [0, 0.25, 0.5, 0.75, 1];
    const percent = ['0.0', '25.0', '50.0', '75.0', '100.0'];
    const enrollment = (
      em: typeof emA,
      schoolId: string,
      courseId: string,
      studentId: string,
      enrolledAt: Date | undefined,
      state: EnrollmentState,
      p = 0,
    ) => em.create(EnrollmentFact, { schoolId, courseId, studentId, enrolledAt, state, stateAt: observedAt, progress: progress[p] });
    for (let i = 0; i < ENROLLMENTS; i++) {
      const courseId = i % 2 ? courses.chemistry : courses.physics;
      const student = students[i % students.length];
      const at = new Date(W.from.getTime() + Math.floor(i / 3) * MINUTE);
      const row = enrollment(emA, schoolA, courseId, student.id, at, states[i % 3], i % 5);
      expected.enrollments.push({
        at,
        id: row.id,
        cells: [
          utc(at),
          titles[courseId],
          student.name.startsWith('=') ? `'${student.name}` : student.name,
          states[i % 3],
          percent[i % 5],
          courseId,
          student.id,
          row.id,
        ],
      });
    }
    // Left out: before and at the end of the window, removed, of a deleted course, not yet known as enrollments.
    enrollment(emA, schoolA, courses.physics, students[0].id, new Date(W.from.getTime() - 1), 'ACTIVE');
    enrollment(emA, schoolA, courses.physics, students[0].id, W.to, 'ACTIVE');
    enrollment(emA, schoolA, courses.physics, students[1].id, new Date(W.from.getTime() + MINUTE), 'REMOVED');
    enrollment(emA, schoolA, courses.deleted, students[2].id, new Date(W.from.getTime() + MINUTE), 'ACTIVE');
    enrollment(emA, schoolA, courses.physics, students[3].id, undefined, 'UNKNOWN');
    for (let i = 0; i < 50; i++) {
      const id = randomUUID();
      idsOfB.push(enrollment(emB, schoolB, courses.ofB, id, new Date(W.from.getTime() + i * MINUTE), 'ACTIVE').id, id);
    }

    // Live sessions: two in the window (one per course), a canceled one, one before the window; one of school B.
    const session = (em: typeof emA, schoolId: string, courseId: string, startsAt: Date, canceledAt?: Date) =>
      em.create(LiveSessionFact, { schoolId, courseId, startsAt, startsAtObservedAt: observedAt, startedAt: startsAt, canceledAt });
    const attendance = [
      { status: 'PRESENT', seconds: 1800, minutes: '30.0' },
      { status: 'LATE', seconds: 90, minutes: '1.5' },
      { status: 'ABSENT', seconds: 0, minutes: '0.0' },
    ];
    const sessions = [
      session(emA, schoolA, courses.physics, new Date('2026-02-10T08:00:00Z')),
      session(emA, schoolA, courses.chemistry, new Date('2026-02-11T08:00:00Z')),
      session(emA, schoolA, courses.physics, new Date('2026-02-12T08:00:00Z'), new Date('2026-02-01T00:00:00Z')),
      session(emA, schoolA, courses.physics, new Date('2025-12-20T08:00:00Z')),
    ];
    sessions.forEach((s, n) =>
      attendance.forEach((a, i) => {
        const studentId = students[n + i].id;
        const row = emA.create(AttendanceFact, {
          schoolId: schoolA,
          sessionId: s.id,
          courseId: s.courseId,
          studentId,
          status: a.status,
          totalSeconds: a.seconds,
          observedAt,
        });
        if (n < 2) {
          expected.attendance.push({
            at: s.startsAt,
            id: row.id,
            cells: [utc(s.startsAt), titles[s.courseId], nameOf.get(studentId)!, a.status, a.minutes, s.id, s.courseId, studentId],
          });
        }
      }),
    );
    const sessionOfB = session(emB, schoolB, courses.ofB, new Date('2026-02-10T08:00:00Z'));
    idsOfB.push(
      sessionOfB.id,
      emB.create(AttendanceFact, {
        schoolId: schoolB,
        sessionId: sessionOfB.id,
        courseId: courses.ofB,
        studentId: randomUUID(),
        status: 'PRESENT',
        totalSeconds: 60,
        observedAt,
      }).id,
    );

    // Quiz attempts: four in the window, one after it; one of school B.
    const quizId = randomUUID();
    const attempts = [
      { courseId: courses.physics, student: students[4], score: 7.5, max: 10, pct: '75.0', at: new Date('2026-03-01T09:30:00Z') },
      { courseId: courses.chemistry, student: students[5], score: 3, max: 4, pct: '75.0', at: new Date('2026-03-01T09:30:00Z') },
      { courseId: courses.physics, student: students[6], score: 10, max: 10, pct: '100.0', at: new Date('2026-03-02T10:00:00Z') },
      { courseId: courses.chemistry, student: students[8], score: 0, max: 5, pct: '0.0', at: new Date('2026-03-31T23:59:59.999Z') },
      { courseId: courses.physics, student: students[9], score: 1, max: 5, pct: '20.0', at: W.to },
    ];
    for (const [n, a] of attempts.entries()) {
      const row = emA.create(QuizAttemptFact, {
        schoolId: schoolA,
        quizId,
        courseId: a.courseId,
        studentId: a.student.id,
        score: a.score,
        maxScore: a.max,
        submittedAt: a.at,
      });
      if (n < 4) {
        expected.quiz.push({
          at: a.at,
          id: row.id,
          cells: [utc(a.at), titles[a.courseId], a.student.name, a.score, a.max, a.pct, quizId, a.courseId, a.student.id, row.id],
        });
      }
    }
    idsOfB.push(
      emB.create(QuizAttemptFact, {
        schoolId: schoolB,
        quizId,
        courseId: courses.ofB,
        studentId: randomUUID(),
        score: 1,
        maxScore: 1,
        submittedAt: new Date('2026-03-01T09:30:00Z'),
      }).id,
    );

    // Payments and refunds, merged by time; refunds negative; a refund of a payment made before the window is in it.
    const pay = (id: string, amount: number, at: Date, student = students[10]) =>
      emA.create(PaymentFact, {
        id,
        schoolId: schoolA,
        payerId: parent.id,
        studentId: student.id,
        amountPiasters: amount,
        provider: 'PAYMOB',
        paidAt: at,
      });
    const refund = (paymentId: string, amount: number, at: Date) =>
      emA.create(RefundFact, { schoolId: schoolA, paymentId, amountPiasters: amount, refundedAt: at });
    const p0 = pay(randomUUID(), 50000, new Date('2025-12-15T10:00:00Z'));
    const p1 = pay(randomUUID(), 15000, new Date('2026-01-05T10:00:00Z'));
    const r1 = refund(p1.id, 2550, new Date('2026-01-06T10:00:00Z'));
    const p2 = pay(randomUUID(), 120000, new Date('2026-02-01T12:00:00Z'), students[11]);
    const r2 = refund(p0.id, 50000, new Date('2026-02-02T12:00:00Z'));
    refund(p2.id, 100, W.to);
    const paymentRow = (p: PaymentFact): Expected => ({
      at: p.paidAt,
      id: p.id,
      cells: [
        utc(p.paidAt),
        'PAYMENT',
        (p.amountPiasters / 100).toFixed(2),
        p.amountPiasters,
        'PAYMOB',
        parent.name,
        nameOf.get(p.studentId)!,
        p.id,
        '',
        parent.id,
        p.studentId,
      ],
    });
    const refundRow = (r: RefundFact, p: PaymentFact): Expected => ({
      at: r.refundedAt,
      id: r.id,
      cells: [
        utc(r.refundedAt),
        'REFUND',
        `-${(r.amountPiasters / 100).toFixed(2)}`,
        -r.amountPiasters,
        'PAYMOB',
        parent.name,
        nameOf.get(p.studentId)!,
        p.id,
        r.id,
        parent.id,
        p.studentId,
      ],
    });
    expected.payments.push(paymentRow(p1), refundRow(r1, p1), paymentRow(p2), refundRow(r2, p0));
    idsOfB.push(
      emB.create(PaymentFact, {
        schoolId: schoolB,
        payerId: randomUUID(),
        studentId: randomUUID(),
        amountPiasters: 999,
        provider: 'FAWRY',
        paidAt: new Date('2026-01-05T10:00:00Z'),
      }).id,
    );
    await emA.flush();
    await emB.flush();
    for (const list of Object.values(expected)) list.sort(byTimeThenId);
  }

  const HEADERS = {
    enrollments: ['Enrolled at (UTC)', 'Course', 'Student', 'State', 'Progress (%)', 'Course ID', 'Student ID', 'Enrollment ID'],
    attendance: ['Session starts at (UTC)', 'Course', 'Student', 'Attendance', 'Minutes attended', 'Session ID', 'Course ID', 'Student ID'],
    quiz: [
      'Submitted at (UTC)',
      'Course',
      'Student',
      'Score',
      'Max score',
      'Score (%)',
      'Quiz ID',
      'Course ID',
      'Student ID',
      'Attempt ID',
    ],
    payments: [
      'Time (UTC)',
      'Type',
      'Amount (EGP)',
      'Amount (piasters)',
      'Provider',
      'Payer',
      'Student',
      'Payment ID',
      'Refund ID',
      'Payer ID',
      'Student ID',
    ],
  };

  it("writes an admin's enrollments report over several pages equal to the facts: BOM, header, every row in order, Arabic intact", async () => {
    const before = h.pageQueries.length;
    const { job, bytes } = await exported(admin, ReportKind.ENROLLMENTS);
    expect(text(bytes)).toBe(
      csv(
        HEADERS.enrollments,
        expected.enrollments.map((r) => r.cells),
      ),
    );
    expect(job).toMatchObject({ kind: 'ENROLLMENTS', from: W.from.toISOString(), to: W.to.toISOString(), rows: ENROLLMENTS, error: null });
    expect(new Date(job.expiresAt).getTime()).toBeGreaterThan(Date.now() + 600_000);
    expect(new Date(job.finishedAt).getTime()).toBeGreaterThanOrEqual(new Date(job.createdAt).getTime());
    // Keyset pages of 1,000: 2,500 rows in three range reads.
    const pages = h.pageQueries.slice(before);
    expect(pages).toHaveLength(3);
    for (const sql of pages) expect(sql).toMatch(/limit 1000/);
    expect(text(bytes)).toContain('أحمد محمود 0');
    expect(text(bytes)).toContain(`"'=HYPERLINK(""http://x.test"")"`);
    // The file is served under its own name and type.
    const served = await fetch(job.downloadUrl);
    expect(served.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(served.headers.get('content-disposition')).toContain('enrollments_2026-01-01_2026-04-01.csv');
    await served.arrayBuffer();
    if (dialect === 'mysql') expect(job.downloadUrl.startsWith(h.config.files.s3!.endpoint!)).toBe(true);
    else expect(job.downloadUrl.startsWith(`${h.url}/files/schools/${schoolA}/reports/${job.id}/`)).toBe(true);
  });

  it('writes attendance, quiz results and payments (refunds as negative rows) over [from, to)', async () => {
    const attendance = await exported(admin, ReportKind.ATTENDANCE);
    expect(text(attendance.bytes)).toBe(
      csv(
        HEADERS.attendance,
        expected.attendance.map((r) => r.cells),
      ),
    );
    const quiz = await exported(admin, ReportKind.QUIZ_RESULTS);
    expect(text(quiz.bytes)).toBe(
      csv(
        HEADERS.quiz,
        expected.quiz.map((r) => r.cells),
      ),
    );
    const payments = await exported(admin, ReportKind.PAYMENTS);
    expect(text(payments.bytes)).toBe(
      csv(
        HEADERS.payments,
        expected.payments.map((r) => r.cells),
      ),
    );
    expect(payments.job.rows).toBe(4);
  });

  it("writes times in the school's time zone and the header in the requester's language", async () => {
    const { bytes } = await exported(admin, ReportKind.QUIZ_RESULTS, { locale: 'ar', timezone: 'Africa/Cairo' });
    const [header, first] = text(bytes).split('\r\n');
    expect(header.split(',').slice(0, 3)).toEqual(['وقت التسليم (Africa/Cairo)', 'المقرر', 'الطالب']);
    // 09:30 UTC is 11:30 in Cairo in March (UTC+2).
    expect(first.startsWith('2026-03-01 11:30:00,الفيزياء,') || first.startsWith('2026-03-01 11:30:00,"Chemistry')).toBe(true);
  });

  it("gives a teacher only the rows of the courses they teach, and no school's money", async () => {
    const { job, bytes } = await exported(teacher, ReportKind.ENROLLMENTS);
    const mine = expected.enrollments.filter((r) => r.cells[5] === courses.physics);
    expect(mine.length).toBe(ENROLLMENTS / 2);
    expect(text(bytes)).toBe(
      csv(
        HEADERS.enrollments,
        mine.map((r) => r.cells),
      ),
    );
    expect(job.rows).toBe(ENROLLMENTS / 2);
    const attendance = await exported(teacher, ReportKind.ATTENDANCE);
    expect(text(attendance.bytes)).toBe(
      csv(
        HEADERS.attendance,
        expected.attendance.filter((r) => r.cells[6] === courses.physics).map((r) => r.cells),
      ),
    );
    const payments = await exportReport(teacher, ReportKind.PAYMENTS);
    expect(codes(payments)).toEqual(['FORBIDDEN']);
  });

  it("never shows another school's rows", async () => {
    const files = await Promise.all(
      [ReportKind.ENROLLMENTS, ReportKind.ATTENDANCE, ReportKind.QUIZ_RESULTS, ReportKind.PAYMENTS].map((kind) => exported(admin, kind)),
    );
    for (const { bytes } of files) for (const id of idsOfB) expect(text(bytes)).not.toContain(id);
    // School B's admin sees B's 50 enrollments and nothing of A (the same teacher teaches in both).
    const ofB = await exported(adminB, ReportKind.ENROLLMENTS, { school: schoolB });
    expect(ofB.job.rows).toBe(50);
    for (const row of expected.enrollments.slice(0, 100)) expect(text(ofB.bytes)).not.toContain(row.id);
    const teacherInB = await exported(teacher, ReportKind.ENROLLMENTS, { school: schoolB });
    expect(teacherInB.job.rows).toBe(50);
  });

  it('refuses students and parents (FORBIDDEN), and bad windows (BAD_USER_INPUT naming the argument)', async () => {
    const jobs = () => h.orm.em.fork().count(ReportJob, {}, { filters: { [TENANT_FILTER]: false } });
    const before = await jobs();
    for (const roles of [['STUDENT'], ['PARENT'], ['STUDENT', 'PARENT']] as RoleName[][]) {
      const who = { id: randomUUID(), roles };
      expect(codes(await exportReport(who, ReportKind.ENROLLMENTS))).toEqual(['FORBIDDEN']);
      expect(codes(await call(who, '{ reportJobs { id } }'))).toEqual(['FORBIDDEN']);
    }
    const refused = async (from: Date, to: Date) => {
      const r = await exportReport(admin, ReportKind.ENROLLMENTS, from, to);
      expect(r.body.data).toBeNull();
      return r.body.errors?.map((e) => [e.extensions?.code, e.extensions?.field]);
    };
    expect(await refused(W.from, W.from)).toEqual([['BAD_USER_INPUT', 'to']]);
    expect(await refused(W.to, W.from)).toEqual([['BAD_USER_INPUT', 'to']]);
    expect(await refused(W.from, new Date(W.from.getTime() + 367 * 86_400_000))).toEqual([['BAD_USER_INPUT', 'to']]);
    expect(await refused(new Date('1999-12-31T00:00:00Z'), W.to)).toEqual([['BAD_USER_INPUT', 'from']]);
    // 366 days is allowed.
    const widest = await exportReport(admin, ReportKind.QUIZ_RESULTS, W.from, new Date(W.from.getTime() + 366 * 86_400_000));
    expect(widest.body.errors).toBeUndefined();
    const garbled = await call(
      admin,
      'mutation($f: DateTime!) { exportReport(kind: ENROLLMENTS, from: $f, to: "2026-02-01T00:00:00Z") { id } }',
      {
        f: 'not a date',
      },
    );
    expect(codes(garbled)).toEqual(['BAD_USER_INPUT']);
    // Nothing refused was recorded: only the widest window's job.
    expect(await jobs()).toBe(before + 1);
  });

  it('allows at most 5 unfinished reports per person (RATE_LIMITED), and shows each person only their own jobs', async () => {
    const someone = { id: randomUUID(), roles: ['TEACHER'] as RoleName[] };
    const em = scopeToTenant(h.orm.em.fork(), schoolA);
    const waiting = Array.from({ length: 5 }, (_, i) =>
      em.create(ReportJob, {
        schoolId: schoolA,
        requestedBy: someone.id,
        kind: ReportKind.ENROLLMENTS,
        scope: 'TEACHER',
        windowStart: W.from,
        windowEnd: W.to,
        timeZone: 'UTC',
        locale: 'en',
        storageKey: `schools/${schoolA}/reports/waiting-${i}/x.csv`,
        fileName: 'x.csv',
        status: i % 2 ? ReportJobStatus.RUNNING : ReportJobStatus.QUEUED,
      }),
    );
    await em.flush();
    const limited = await exportReport(someone, ReportKind.ENROLLMENTS);
    expect(codes(limited)).toEqual(['RATE_LIMITED']);
    expect(limited.body.errors![0].message).toMatch(/5 reports being prepared/);
    // Someone else is not held back; and once one of the five is done there is room again.
    expect((await exportReport({ id: randomUUID(), roles: ['TEACHER'] }, ReportKind.QUIZ_RESULTS)).body.errors).toBeUndefined();
    waiting[0].status = ReportJobStatus.SUCCEEDED;
    await em.flush();
    const allowed = await exportReport(someone, ReportKind.QUIZ_RESULTS);
    expect(allowed.body.errors).toBeUndefined();

    const listed = (await call(someone, '{ reportJobs { id status } }')).body.data.reportJobs as Array<{ id: string }>;
    expect(listed[0].id).toBe(allowed.body.data.exportReport.id);
    expect(listed.map((j) => j.id).sort()).toEqual([...waiting.map((j) => j.id), allowed.body.data.exportReport.id].sort());
    // Another person's job, another school's, and a malformed id all answer null.
    expect(await jobOf(admin, allowed.body.data.exportReport.id)).toBeNull();
    expect(await jobOf(someone, allowed.body.data.exportReport.id, { school: schoolB })).toBeNull();
    expect(await jobOf(someone, 'not-an-id')).toBeNull();
  });

  it('counts unfinished reports under a lock: of 8 requests at once, 5 are taken', async () => {
    // A database of its own, with no relay or worker: the jobs stay QUEUED whatever the timing.
    const db = testDatabase(dialect, 'analytics');
    const orm = await openDatabase({ ...analyticsDatabase, ...db.options, service: 'analytics' });
    try {
      const service = new ReportService(h.storage, () => 'UTC');
      const someone = { id: randomUUID(), roles: ['TEACHER'] };
      const ctx = () =>
        ({
          em: scopeToTenant(orm.em.fork(), schoolA),
          tenant: { id: schoolA, slug: 'school' },
          user: someone,
          requestId: randomUUID(),
          loaders: {},
        }) as unknown as AnalyticsContext;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, () => service.request(ctx(), { kind: ReportKind.ENROLLMENTS, ...W })),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
      const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as GraphQLError).extensions.code] : []));
      expect(refusals).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
      expect(await orm.em.fork().count(ReportJob, {}, { filters: { [TENANT_FILTER]: false } })).toBe(5);
      // Each job was recorded with its event.
      expect(await orm.em.fork().count(OutboxMessage, { type: 'report.requested' })).toBe(5);
    } finally {
      await orm.close();
      await db.drop();
    }
  });

  describe('the worker', () => {
    const message = (job: ReportJob, attempt = 1): BrokerMessage<DomainEventOf<'report.requested'>> => ({
      id: randomUUID(),
      routingKey: 'report.requested',
      headers: {},
      attempt,
      payload: {
        id: randomUUID(),
        type: 'report.requested',
        version: 1,
        tenantId: job.schoolId,
        occurredAt: new Date().toISOString(),
        payload: {
          jobId: job.id,
          kind: job.kind,
          from: job.windowStart.toISOString(),
          to: job.windowEnd.toISOString(),
          requestedBy: job.requestedBy,
        },
      },
    });
    const worker = () => reportConsumer({ storage: h.storage, retryDelaysMs: [1000, 1000] }).handler({ orm: h.orm, logger });
    const load = (id: string) => scopeToTenant(h.orm.em.fork(), schoolA).findOneOrFail(ReportJob, { id });
    const read = async (key: string) => Buffer.from(await (await fetch((await h.storage.presignDownload(key)).url)).arrayBuffer());

    it('does nothing for a redelivered job that SUCCEEDED, and writes one found RUNNING (a crashed worker) again from scratch', async () => {
      const { job: done } = await exported(admin, ReportKind.PAYMENTS);
      const succeeded = await load(done.id);
      // A marker in place of the file: a run would replace it.
      await h.storage.putStream(succeeded.storageKey, Readable.from([Buffer.from('marker')]), { contentType: 'text/csv' });
      await worker()(message(succeeded));
      expect(await load(done.id)).toMatchObject({ status: ReportJobStatus.SUCCEEDED, attempts: succeeded.attempts, rows: 4 });
      expect((await read(succeeded.storageKey)).toString()).toBe('marker');

      // A worker died half-way: the job is RUNNING with half a file behind.
      const crashed = await load(done.id);
      crashed.status = ReportJobStatus.RUNNING;
      await h.orm.em.fork().persistAndFlush(crashed);
      await h.storage.putStream(crashed.storageKey, Readable.from([Buffer.from('\ufeffTime (UTC),Type\r\n2026-01-05 10:00:00,PAY')]), {
        contentType: 'text/csv',
      });
      await worker()(message(crashed));
      const rerun = await load(done.id);
      expect(rerun).toMatchObject({ status: ReportJobStatus.SUCCEEDED, attempts: succeeded.attempts + 1, rows: 4, error: null });
      expect(text(await read(rerun.storageKey))).toBe(
        csv(
          HEADERS.payments,
          expected.payments.map((r) => r.cells),
        ),
      );
    });

    it('retries a storage outage, then FAILS with a readable error; succeeds on a retry once the storage is back', async () => {
      h.storageDown(true);
      try {
        const failing = (await exportReport(admin, ReportKind.QUIZ_RESULTS)).body.data.exportReport.id as string;
        let job = await settled(admin, failing);
        expect(job.status).toBe('FAILED');
        expect(job.error).toMatch(/^The report file could not be stored \(.+\); gave up after 3 attempts\.$/);
        // The cause in a few words: the S3 error's code and message, the file system's error code (no path).
        expect(job.error).toContain(dialect === 'mysql' ? '(ServiceUnavailable: storage switched off by the test)' : '(EEXIST)');
        expect(job).toMatchObject({ rows: null, downloadUrl: null, expiresAt: null });
        expect(job.finishedAt).not.toBeNull();
        expect((await load(failing)).attempts).toBe(3);

        const recovering = (await exportReport(admin, ReportKind.QUIZ_RESULTS)).body.data.exportReport.id as string;
        await eventually(async () => {
          job = await jobOf(admin, recovering);
          // The first attempt failed and was recorded; the broker retries it.
          expect(job).toMatchObject({ status: 'QUEUED', error: expect.stringMatching(/attempt 1 failed, it will be tried again\.$/) });
        }, 30_000);
        h.storageDown(false);
        job = await settled(admin, recovering);
        expect(job).toMatchObject({ status: 'SUCCEEDED', error: null });
        const response = await fetch(job.downloadUrl);
        expect(text(Buffer.from(await response.arrayBuffer()))).toBe(
          csv(
            HEADERS.quiz,
            expected.quiz.map((r) => r.cells),
          ),
        );
      } finally {
        h.storageDown(false);
      }
    });
  });
});
