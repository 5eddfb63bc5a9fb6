/**
 * A report of 100,000 rows exported by the report worker, against a baseline that loads the rows
 * whole and builds the CSV in memory, each in a process of its own, sampled every 20 ms.
 *
 *   npm run bench:reports            (MariaDB on 127.0.0.1, like the tests)
 *
 * One MariaDB analytics database gets 100,000 enrollment facts of one school (students named in
 * Arabic, in the people read model) and a report job over all of them. Ours: the job run through
 * the report worker (keyset pages of 1,000 → csv-stringify → `putStream` to local file storage).
 * Baseline: `em.find` of every fact (and the names), the whole CSV built as one string with
 * csv-stringify's sync API, then written to a file. The parent reads each child's resident
 * memory (VmRSS in /proc) every 20 ms from the moment the export starts (after the database is
 * open) until it ends; it prints rows, seconds, peak RSS and the growth over the RSS at the start.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { stringify } from 'csv-stringify/sync';
import { dropMysqlDatabase, openDatabase } from '../../platform/db/orm';
import { scopeToTenant } from '../../platform/db/tenant';
import { createLogger } from '../../platform/logger';
import { Person } from '../../platform/people/person.entity';
import { createLocalStorage } from '../../platform/storage/local-storage';
import { CourseFact } from '../../subgraphs/analytics/course/course-fact.entity';
import { analyticsDatabase } from '../../subgraphs/analytics/database';
import { EnrollmentFact } from '../../subgraphs/analytics/enrollment/enrollment-fact.entity';
import { ReportJob, ReportKind } from '../../subgraphs/analytics/report/report-job.entity';
import { reportHeaders, textCell, timeFormatter } from '../../subgraphs/analytics/report/report-rows';
import { reportConsumer } from '../../subgraphs/analytics/report/report.worker';
import { testServices, uniqueName } from '../../testkit/services';
import { fmt } from '../support';

const ROWS = 100_000;
const STUDENTS = 2_000;
const COURSES = 20;
const SAMPLE_MS = 20;
const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2027-01-01T00:00:00Z');
const ARABIC = ['أحمد محمود', 'فاطمة الزهراء', 'يوسف عبد الله', 'مريم حسن', 'عمر خالد', 'نور الهدى'];

type Mode = 'worker' | 'baseline';
interface ChildArgs {
  mode: Mode;
  dbName: string;
  schoolId: string;
  jobId: string;
  dir: string;
}
/** Child → parent. */
type ChildMessage = { started: true; rssMiB: number } | { done: true; rows: number; bytes: number; seconds: number; maxRssMiB: number };

const mib = (bytes: number) => bytes / 1024 / 1024;
const dbOptions = (dbName: string) => ({ ...analyticsDatabase, url: testServices.mysqlUrl, dbName, logger: createLogger('bench', 'warn') });

async function main() {
  const dbName = uniqueName('bench_reports');
  const dir = mkdtempSync(path.join(tmpdir(), 'manassa-bench-reports-'));
  const schoolId = randomUUID();
  try {
    const orm = await openDatabase(dbOptions(dbName));
    let jobId: string;
    try {
      const seeding = Date.now();
      jobId = await seed(orm, schoolId);
      console.log(`seeded ${fmt(ROWS)} enrollment facts in ${fmt((Date.now() - seeding) / 1000, 1)} s`);
    } finally {
      await orm.close();
    }
    const ours = await measure({ mode: 'worker', dbName, schoolId, jobId, dir });
    const baseline = await measure({ mode: 'baseline', dbName, schoolId, jobId, dir });

    console.log(`\nReport export of ${fmt(ROWS)} enrollment rows (MariaDB → CSV on local disk), RSS sampled every ${SAMPLE_MS} ms`);
    console.log('');
    console.log('                                         rows   seconds   file MiB   RSS at start   peak RSS   RSS growth   (MiB)');
    for (const [name, r] of [
      ['report worker (keyset pages, stream)', ours],
      ['baseline (em.find, CSV string)      ', baseline],
    ] as const) {
      console.log(
        `  ${name}  ${fmt(r.rows).padStart(7)}   ${fmt(r.seconds, 2).padStart(7)}   ${fmt(mib(r.bytes), 1).padStart(8)}   ${fmt(r.startMiB).padStart(12)}   ${fmt(r.peakMiB).padStart(8)}   ${fmt(r.peakMiB - r.startMiB).padStart(10)}`,
      );
    }
    console.log(
      `\n  peak RSS per quarter of the run (MiB): worker ${ours.quarters.map((q) => fmt(q)).join(' / ')}, baseline ${baseline.quarters.map((q) => fmt(q)).join(' / ')}`,
    );
    console.log(`  kernel peak (VmHWM) of the whole process: worker ${fmt(ours.maxRssMiB)} MiB, baseline ${fmt(baseline.maxRssMiB)} MiB`);
    console.log(`  samples: worker ${ours.samples}, baseline ${baseline.samples}\n`);
    if (ours.rows !== ROWS || baseline.rows !== ROWS) throw new Error(`expected ${ROWS} rows in both files`);
  } finally {
    await dropMysqlDatabase(testServices.mysqlUrl, dbName);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 100,000 enrollments over the year, 2,000 students with Arabic names, 20 courses, and the job over them. */
async function seed(orm: MikroORM, schoolId: string): Promise<string> {
  const em = scopeToTenant(orm.em.fork(), schoolId);
  const observedAt = new Date('2025-12-01T00:00:00Z');
  const teacherId = randomUUID();
  const courses = Array.from({ length: COURSES }, (_, i) => ({
    id: randomUUID(),
    schoolId,
    teacherId,
    title: `المقرر ${i + 1}`,
    status: 'PUBLISHED',
    deleted: false,
    observedAt,
  }));
  await em.insertMany(CourseFact, courses);
  const students = Array.from({ length: STUDENTS }, (_, i) => ({
    id: randomUUID(),
    schoolId,
    roles: ['STUDENT' as const],
    active: true,
    displayName: `${ARABIC[i % ARABIC.length]} ${i + 1}`,
    observedAt,
  }));
  await em.insertMany(Person, students);
  const span = TO.getTime() - FROM.getTime();
  for (let start = 0; start < ROWS; start += 2_000) {
    const batch = Array.from({ length: Math.min(2_000, ROWS - start) }, (_, k) => {
      const i = start + k;
      return {
        id: randomUUID(),
        schoolId,
        courseId: courses[i % COURSES].id,
        studentId: students[i % STUDENTS].id,
        enrolledAt: new Date(FROM.getTime() + Math.floor((i / ROWS) * span)),
        state: i % 7 ? 'ACTIVE' : 'DROPPED',
        stateAt: observedAt,
        progress: (i % 5) / 4,
      } as const;
    });
    await em.insertMany(EnrollmentFact, batch);
  }
  const job = em.create(ReportJob, {
    schoolId,
    requestedBy: randomUUID(),
    kind: ReportKind.ENROLLMENTS,
    scope: 'SCHOOL',
    windowStart: FROM,
    windowEnd: TO,
    timeZone: 'Africa/Cairo',
    locale: 'ar',
    storageKey: `schools/${schoolId}/reports/bench/enrollments.csv`,
    fileName: 'enrollments.csv',
  });
  await em.flush();
  return job.id;
}

/** Runs one mode in a child process, reading its VmRSS every 20 ms while it exports. */
function measure(args: ChildArgs) {
  return new Promise<{
    rows: number;
    bytes: number;
    seconds: number;
    startMiB: number;
    peakMiB: number;
    maxRssMiB: number;
    samples: number;
    quarters: number[];
  }>((resolve, reject) => {
    const child = fork(__filename, ['--child', JSON.stringify(args)], { env: { ...process.env, LOG_LEVEL: 'warn' } });
    let startMiB = 0;
    let peakMiB = 0;
    const series: number[] = [];
    let sampler: NodeJS.Timeout | undefined;
    const sample = () => {
      try {
        const line = readFileSync(`/proc/${child.pid}/status`, 'utf8')
          .split('\n')
          .find((l) => l.startsWith('VmRSS:'));
        const rss = line ? Number(line.split(/\s+/)[1]) / 1024 : 0;
        peakMiB = Math.max(peakMiB, rss);
        series.push(rss);
      } catch {
        // The child is gone.
      }
    };
    /** Peak RSS of each quarter of the run: flat memory levels off, loaded rows climb to the end. */
    const quarters = () =>
      [0, 1, 2, 3].map((q) => Math.max(...series.slice(Math.floor((q * series.length) / 4), Math.floor(((q + 1) * series.length) / 4)), 0));
    child.on('message', (message: ChildMessage) => {
      if ('started' in message) {
        startMiB = message.rssMiB;
        peakMiB = startMiB;
        sampler = setInterval(sample, SAMPLE_MS);
      } else {
        clearInterval(sampler);
        sample();
        resolve({ ...message, startMiB, peakMiB, samples: series.length, quarters: quarters() });
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(sampler);
      if (code) reject(new Error(`${args.mode} child exited with ${code}`));
    });
  });
}

async function child(args: ChildArgs) {
  const send = (message: ChildMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
  const orm = await openDatabase(dbOptions(args.dbName));
  const logger = createLogger('bench-worker', 'warn');
  const file = path.join(args.dir, `${args.mode}.csv`);
  try {
    await send({ started: true, rssMiB: mib(process.memoryUsage().rss) });
    const started = Date.now();
    let rows: number;
    let bytes: number;
    if (args.mode === 'worker') {
      const storage = createLocalStorage({ dir: args.dir, baseUrl: 'http://127.0.0.1:9/files', secret: 'x'.repeat(32) });
      const handle = reportConsumer({ storage }).handler({ orm, logger });
      await handle({
        id: randomUUID(),
        routingKey: 'report.requested',
        headers: {},
        attempt: 1,
        payload: {
          id: randomUUID(),
          type: 'report.requested',
          version: 1,
          tenantId: args.schoolId,
          occurredAt: new Date().toISOString(),
          payload: { jobId: args.jobId, kind: 'ENROLLMENTS', from: FROM.toISOString(), to: TO.toISOString(), requestedBy: randomUUID() },
        },
      });
      const job = await scopeToTenant(orm.em.fork(), args.schoolId).findOneOrFail(ReportJob, { id: args.jobId });
      if (job.status !== 'SUCCEEDED') throw new Error(`report job ${job.status}: ${job.error}`);
      rows = job.rows!;
      bytes = (await storage.head(job.storageKey))!.size;
    } else {
      rows = await baseline(orm, args.schoolId, file);
      bytes = statSync(file).size;
    }
    await send({ done: true, rows, bytes, seconds: (Date.now() - started) / 1000, maxRssMiB: process.resourceUsage().maxRSS / 1024 });
  } finally {
    await orm.close();
  }
}

/** What one would write without streaming: every row loaded as entities, the file built as one string. */
async function baseline(orm: MikroORM, schoolId: string, file: string): Promise<number> {
  const em = scopeToTenant(orm.em.fork(), schoolId);
  const facts = await em.find(
    EnrollmentFact,
    { enrolledAt: { $gte: FROM, $lt: TO }, state: { $in: ['ACTIVE', 'DROPPED'] } },
    { orderBy: { enrolledAt: 'asc', id: 'asc' } },
  );
  const names = new Map((await em.find(Person, {})).map((p) => [p.id, p.displayName]));
  const titles = new Map((await em.find(CourseFact, {})).map((c) => [c.id, c.title]));
  const time = timeFormatter('Africa/Cairo');
  const records = facts.map((f) => [
    time(f.enrolledAt),
    textCell(titles.get(f.courseId)),
    textCell(names.get(f.studentId)),
    f.state,
    (Math.round(f.progress * 1000) / 10).toFixed(1),
    f.courseId,
    f.studentId,
    f.id,
  ]);
  const text = stringify(records, {
    bom: true,
    header: true,
    columns: reportHeaders(ReportKind.ENROLLMENTS, 'ar', 'Africa/Cairo'),
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
  });
  writeFileSync(file, text);
  return records.length;
}

if (process.argv[2] === '--child') {
  child(JSON.parse(process.argv[3]) as ChildArgs).then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
