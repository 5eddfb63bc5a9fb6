/**
 * CPU of the courses subgraph per subscriber admitted through its batched admission
 * (`liveSessionEventsAdmissions`), without the gateway and the sockets of bench:subscriptions.
 *
 *   npm run bench:admissions
 *   (BENCH_SUBSCRIBERS=10000 BENCH_SESSIONS=200 BENCH_BATCHES=20,200 BENCH_CALLS_IN_FLIGHT=4
 *    BENCH_REDIS_URL=redis://127.0.0.1:6379 change the load; BENCH_PROFILE_DIR=<dir> writes a V8
 *    CPU profile of each measured courses process there, `courses-batch-<size>-<pid>.cpuprofile`)
 *
 * The data is bench:subscriptions' (subscriptions/classrooms.ts): the demo teacher's 10 courses
 * with SESSIONS live sessions started, made through courses by a teacher call signed as the
 * gateway signs it, and SUBSCRIBERS students enrolled, student i in session i % SESSIONS. Then,
 * per batch size, a fresh courses process (SQLite, Redis bus, as bench:subscriptions runs it)
 * admits every student twice, in student order, BENCH_CALLS_IN_FLIGHT calls at a time: the calls
 * the gateway's admission batcher (gateway/subscriptions/admission-batcher.ts) sends, each element
 * carrying its subscriber's identity, which the call's signed context vouches for. The first pass is what
 * bench:subscriptions' fresh process meets; the second, a warm one (JIT, SQLite page cache), is
 * steadier. CPU per admitted subscriber is the courses process's CPU seconds (/proc) over a pass.
 * Last, the same service runs in this process with its SQL counted, for the statements of one call.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createInternalContextSigner,
  INTERNAL_CONTEXT_HEADER,
  type InternalContext,
  type InternalContextSigner,
  vouchFor,
} from '../platform/auth/internal-context';
import { keySetFromJwks } from '../platform/auth/keys';
import { Roles } from '../platform/auth/roles';
import { DEMO } from '../platform/demo';
import { requestScope } from '../platform/request-context';
import { coursesSubgraph } from '../subgraphs/courses/app';
import { deleteRedisKeys } from '../testkit/cleanup';
import { request } from '../testkit/graphql-client';
import { testKeys } from '../testkit/keys';
import { fmt, listening, profileEnv, serviceEnv, startNode, type BenchProcess } from './support';
import { arrangeClassrooms, BENCH_SCHOOL, enrollStudents } from './subscriptions/classrooms';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 200);
const BATCHES = (process.env.BENCH_BATCHES ?? '20,200').split(',').map(Number);
/** As the gateway's batcher (`maxCallsInFlight`, default 4). */
const CALLS_IN_FLIGHT = Number(process.env.BENCH_CALLS_IN_FLIGHT ?? 4);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const COURSES = 10;
/** What the gateway's batcher sends for `liveSessionEvents` (its `requestsType` and selection). */
const ADMISSIONS =
  'query SubscriptionAdmissions($requests: [LiveSessionEventsAdmissionRequest!]!) { liveSessionEventsAdmissions(requests: $requests) { sharing replays } }';
const school = BENCH_SCHOOL;

type Student = { id: string; sessionId: string };

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-admissions-'));
  const keys = await testKeys();
  const sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(keys.internal)));
  const prefix = `bench-admissions-${Date.now().toString(36)}:`;
  const env = {
    ...serviceEnv(dir, REDIS_URL, prefix),
    COURSES_PORT: '0',
    SEED_DEMO: '1',
    INTERNAL_JWKS: keys.internalPublic,
  };
  const started: BenchProcess[] = [];
  try {
    log(`setting up: ${fmt(SUBSCRIBERS)} enrolled students over ${SESSIONS} live sessions`);
    // The setup's own process: the measured one (and its profile) then sees admissions only.
    const setup = await startNode('subgraphs/courses/index.js', env, listening('courses'));
    started.push(setup);
    const sessionIds = await arrangeClassrooms(teacherCall(`${setup.url}/graphql`, sign), SESSIONS, COURSES);
    await setup.stop();
    started.pop();
    const students = await enrollStudents(dir, sessionIds, SUBSCRIBERS);

    const rows: Array<{ size: number; calls: number; firstMs: number; secondMs: number }> = [];
    for (const size of BATCHES) {
      // A fresh process per batch size: its first pass is a cold start's, as a class starting meets it.
      const courses = await startNode(
        'subgraphs/courses/index.js',
        { ...env, ...profileEnv(`courses-batch-${size}`) },
        listening('courses'),
      );
      started.push(courses);
      const pass = async () => {
        const cpu0 = courses.cpuSeconds();
        const t0 = performance.now();
        const { calls } = await admitAll(`${courses.url}/graphql`, sign, students, size);
        const cpuMs = (courses.cpuSeconds() - cpu0) * 1000;
        log(
          `batches of ${size}: ${fmt(students.length)} admitted in ${fmt((performance.now() - t0) / 1000, 1)} s, ` +
            `${fmt(cpuMs / students.length, 3)} ms of courses CPU each`,
        );
        return { calls, cpuMs };
      };
      const first = await pass();
      const second = await pass();
      rows.push({ size, calls: first.calls, firstMs: first.cpuMs, secondMs: second.cpuMs });
      await courses.stop();
      started.pop();
    }
    if (process.env.BENCH_PROFILE_DIR) log(`CPU profiles of courses written to ${process.env.BENCH_PROFILE_DIR}`);

    const statements = await countStatements(env, sign, students);

    console.log(
      `\nBatched admissions (liveSessionEventsAdmissions): ${fmt(students.length)} students, ${SESSIONS} sessions in ${COURSES} courses, ` +
        `${CALLS_IN_FLIGHT} calls in flight, courses on SQLite; each batch size in a fresh courses process, every student admitted twice\n`,
    );
    console.log(
      '| batch size | calls per pass | courses CPU per admitted subscriber, first pass (ms) | second pass (ms) | courses CPU per call, second pass (ms) | SQL statements per call |',
    );
    console.log('|---|---|---|---|---|---|');
    const count = (size: number) => [...(statements.get(size)?.values() ?? [])].reduce((a, b) => a + b, 0);
    for (const { size, calls, firstMs, secondMs } of rows) {
      const n = students.length;
      console.log(
        `| ${size} | ${fmt(calls)} | ${fmt(firstMs / n, 3)} | ${fmt(secondMs / n, 3)} | ${fmt(secondMs / calls, 1)} | ${count(size)} |`,
      );
    }
    console.log('\nThe SQL statements of one call (the service in this process, its background work left out):');
    for (const [size, shapes] of statements) {
      console.log(`\nbatch of ${size}:`);
      for (const [shape, n] of [...shapes].sort((a, b) => b[1] - a[1])) console.log(`  ${n} × ${shape}`);
    }
  } finally {
    for (const p of started.reverse()) await p.stop();
    await deleteRedisKeys(prefix, REDIS_URL);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Calls courses as the demo teacher, with a context signed as the gateway signs it. */
function teacherCall(url: string, sign: InternalContextSigner) {
  const teacher: InternalContext = {
    tenant: { id: school.id, slug: school.slug },
    user: { id: DEMO.users.demoTeacher.id, roles: [Roles.TEACHER] },
  };
  return async (query: string, variables: Record<string, unknown> = {}) => {
    const body = await post(url, JSON.stringify({ query, variables }), await sign(teacher, 'courses'));
    if (body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
}

/** Admits every student once, `size` per call, CALLS_IN_FLIGHT calls at a time; throws unless every one is admitted. */
async function admitAll(url: string, sign: InternalContextSigner, students: Student[], size: number): Promise<{ calls: number }> {
  // Made and signed before the calls go: the gateway's work is not the subgraph's CPU.
  const calls: { body: string; context: string }[] = [];
  for (let i = 0; i < students.length; i += size) {
    const { body, vouches } = admissionsBody(students.slice(i, i + size));
    calls.push({
      body,
      context: await sign({ tenant: { id: school.id, slug: school.slug }, requestId: `bench-admissions-${i}`, vouches }, 'courses'),
    });
  }
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < calls.length; i = next++) {
      const body = await post(url, calls[i].body, calls[i].context);
      const answers = body.data?.liveSessionEventsAdmissions as unknown[] | undefined;
      if (!answers || body.errors || answers.some((a) => !a)) throw new Error(`admissions refused: ${JSON.stringify(body).slice(0, 500)}`);
    }
  };
  await Promise.all(Array.from({ length: CALLS_IN_FLIGHT }, worker));
  return { calls: calls.length };
}

/** One call's body: each student's identity and its session, and the digest its context vouches for, as the batcher sends them. */
function admissionsBody(batch: Student[]): { body: string; vouches: string } {
  const { identities, vouches } = vouchFor(
    batch.map((s) => ({
      tenant: { id: school.id, slug: school.slug },
      user: { id: s.id, roles: [Roles.STUDENT] },
      ip: '127.0.0.1',
      locale: 'en' as const,
    })),
  );
  const body = JSON.stringify({
    query: ADMISSIONS,
    variables: { requests: batch.map((s, i) => ({ sessionId: s.sessionId, viewer: identities[i] })) },
  });
  return { body, vouches };
}

/**
 * The SQL statements of one call per batch size, by shape (literals and `?` lists folded), from the
 * courses service run in this process on the same data with its statements counted.
 */
async function countStatements(env: Record<string, string>, sign: InternalContextSigner, students: Student[]) {
  let counting: string[] | undefined;
  // The in-process bus (no REDIS_URL): always available, and the statements do not depend on it.
  const { REDIS_URL: _redis, ...rest } = env;
  const service = coursesSubgraph.create({ ...rest, NODE_ENV: 'production', LOG_LEVEL: 'warn' }, undefined, {
    // Only the request's own statements: the outbox relay and the pruner run outside any request's scope.
    onQuery: (sql) => {
      if (counting && requestScope.get()?.requestId && !sql.includes('outbox_message')) counting.push(sql);
    },
  });
  const url = `${(await service.start()).url}/graphql`;
  try {
    const result = new Map<number, Map<string, number>>();
    for (const size of BATCHES) {
      const batch = students.slice(0, size);
      await admitAll(url, sign, batch, size); // warm
      counting = [];
      await admitAll(url, sign, batch, size);
      const shapes = new Map<string, number>();
      for (const sql of counting) {
        const shape = sql.replace(/'[^']*'/g, '?').replace(/(\?\s*,\s*)+\?/g, '?…');
        shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
      }
      result.set(size, shapes);
      counting = undefined;
    }
    return result;
  } finally {
    await service.stop();
  }
}

async function post(url: string, body: string, context: string): Promise<{ data?: any; errors?: unknown[] }> {
  const res = await request(url, { headers: { 'content-type': 'application/json', [INTERNAL_CONTEXT_HEADER]: context }, body });
  try {
    return JSON.parse(res.text);
  } catch {
    throw new Error(`non-JSON answer (${res.status}): ${res.text.slice(0, 300)}`);
  }
}

const log = (message: string) => console.log(`[bench] ${message}`);

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
