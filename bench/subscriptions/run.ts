/**
 * Federated subscriptions under classroom load, against a bare fan-out baseline, in one run.
 *
 *   npm run bench:subscriptions
 *   (BENCH_SUBSCRIBERS=10000 BENCH_SESSIONS=200 BENCH_EVENTS_PER_SECOND=2 BENCH_SECONDS=30
 *    BENCH_WARMUP_SECONDS=5 BENCH_REDIS_URL=redis://127.0.0.1:6379 change the load;
 *    BENCH_TRANSPORT=sse subscribes to the gateway over Server-Sent Events instead of graphql-ws)
 *
 * Separate processes: users and courses subgraphs (SQLite, the real Redis bus), the gateway,
 * the subscribers (load-generator.ts), and this one, which arranges the data and publishes the
 * classroom events to the sessions' bus topics exactly as the courses subgraph does. Every
 * subscriber is a different enrolled student with their own token; each event resolves
 * `actor { displayName }` from the users subgraph. The same subscribers and events then go
 * through the baseline (baseline-server.ts): an ioredis subscriber broadcasting the
 * pre-serialized JSON over `ws`.
 */
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { keySetFromJwks } from '../../platform/auth/keys';
import { createRedisBus } from '../../platform/bus/redis-bus';
import { DEMO } from '../../platform/demo';
import { printSubgraphSdl } from '../../platform/graphql/federation';
import { deleteRedisKeys } from '../../testkit/cleanup';
import { gql } from '../../testkit/graphql-client';
import { testKeys } from '../../testkit/keys';
import { metric, metricSamples } from '../../testkit/metrics';
import { composeSupergraph } from '../../scripts/schema-artifacts';
import { subgraphs } from '../../subgraphs/catalog';
import { LiveSessionEventKind, liveSessionTopic, type LiveSessionEventData } from '../../subgraphs/courses/live-session/live-event';
import { createAccessTokenIssuer } from '../../platform/auth/access-token';
import { cpuSecondsOf, fmt, listening, profileEnv, serviceEnv, startNode, type BenchProcess } from '../support';
import { arrangeClassrooms, enrollStudents } from './classrooms';
import type { LoadCommand, LoadReply } from './load-generator';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 200);
const EVENTS_PER_SECOND = Number(process.env.BENCH_EVENTS_PER_SECOND ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** How subscribers reach the gateway: 'graphql-ws' (default) or 'sse'. The baseline is plain WebSockets either way. */
const TRANSPORT = (process.env.BENCH_TRANSPORT ?? 'graphql-ws') as 'graphql-ws' | 'sse';
if (TRANSPORT !== 'graphql-ws' && TRANSPORT !== 'sse')
  throw new Error(`BENCH_TRANSPORT must be graphql-ws or sse, not ${String(TRANSPORT)}`);
const COURSES = 10;
const QUERY = 'subscription Live($id: ID!) { liveSessionEvents(sessionId: $id) { id kind text actor { displayName } } }';
const school = DEMO.schools.demo;

interface PhaseResult {
  msgsPerSecond: number;
  expected: number;
  delivered: number;
  p50: number;
  p99: number;
  max: number;
  cpuPercent: number;
  peakMiB: number;
  machineBusyPercent: number;
  /** CPU of the other processes over the window, % of one core, by name. */
  others: Record<string, number>;
  outOfOrder: number;
  errors: number;
  closed: number;
  extra: Record<string, string>;
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-subscriptions-'));
  const keys = await testKeys();
  const prefix = `bench-subs-${Date.now().toString(36)}:`;
  const env = {
    ...serviceEnv(dir, REDIS_URL, prefix),
    // For the gateway and the subgraphs, e.g. `--require ./profiler.js` to see where their time goes.
    ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
    // BENCH_PROFILE_DIR: a V8 CPU profile of the gateway and each subgraph (each labels its own).
    ...profileEnv(),
  };
  const started: BenchProcess[] = [];
  const bus = createRedisBus({ url: REDIS_URL, keyPrefix: prefix });
  let loadGenerator: ChildProcess | undefined;
  try {
    log(`setting up: ${SUBSCRIBERS} subscribers over ${SESSIONS} live sessions, ${EVENTS_PER_SECOND} events/s per session`);
    const users = await startNode(
      'subgraphs/users/index.js',
      {
        ...env,
        BENCH_PROFILE_LABEL: 'users',
        USERS_PORT: '0',
        SEED_DEMO: '1',
        ARGON2_MEMORY_KIB: '8192',
        ACCESS_TOKEN_SIGNING_KEYS: keys.access,
        INTERNAL_JWKS: keys.internalPublic,
      },
      listening('users'),
    );
    started.push(users);
    const courses = await startNode(
      'subgraphs/courses/index.js',
      { ...env, BENCH_PROFILE_LABEL: 'courses', COURSES_PORT: '0', SEED_DEMO: '1', INTERNAL_JWKS: keys.internalPublic },
      listening('courses'),
    );
    started.push(courses);
    const urls: Record<string, string> = { users: `${users.url}/graphql`, courses: `${courses.url}/graphql` };
    const supergraphFile = path.join(dir, 'supergraph.graphql');
    const sdls = await Promise.all(
      subgraphs
        .filter((s) => s.name in urls)
        .map(async (s) => ({ name: s.name, sdl: printSubgraphSdl(await s.buildSchema()), url: urls[s.name] })),
    );
    writeFileSync(supergraphFile, composeSupergraph(sdls));
    const gateway = await startNode(
      'gateway/index.js',
      {
        ...env,
        PORT: '0',
        INTERNAL_SIGNING_KEYS: keys.internal,
        SUPERGRAPH_PATH: supergraphFile,
        SUBGRAPH_URLS: Object.entries(urls)
          .map(([name, url]) => `${name}=${url}`)
          .join(','),
        RATE_LIMIT_IP_PER_MINUTE: '100000000',
        RATE_LIMIT_USER_PER_MINUTE: '100000000',
        SCHOOL_REQUESTS_PER_MINUTE: '100000000',
        SCHOOL_MAX_SUBSCRIPTIONS: '100000000',
        // The gateway's subscription settings under test (e.g. SUBSCRIPTION_ADMISSION_BATCH_MS), as given to the bench.
        ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('SUBSCRIPTION_') && !!e[1])),
      },
      listening('gateway'),
    );
    started.push(gateway);

    const sessionIds = await arrangeGatewayClassrooms(gateway.url);
    const students = await enrollStudents(dir, sessionIds, SUBSCRIBERS);
    const issue = createAccessTokenIssuer(await keySetFromJwks(JSON.parse(keys.access)), 3600);
    const tokens = await Promise.all(
      students.map(
        async (s) =>
          (await issue({ userId: s.id, roles: ['STUDENT'], schoolId: school.id, schoolSlug: school.slug, sessionId: randomUUID() })).token,
      ),
    );

    loadGenerator = fork(path.join(__dirname, 'load-generator.js'), { stdio: 'inherit' });
    const lg = commander(loadGenerator);
    const publisher = classroomPublisher(bus, sessionIds);

    // 1. The gateway: graphql-ws (or SSE), admission per student, one group per session, actor from users.
    const gatewayBase = gateway.url.replace(/\/graphql$/, '');
    const subscribeUrl = TRANSPORT === 'sse' ? gateway.url : gateway.url.replace(/^http/, 'ws');
    const admitting = Date.now();
    const admittingCpu = gateway.cpuSeconds();
    const admittingCoursesCpu = courses.cpuSeconds();
    const admittingSubscribersCpu = cpuSecondsOf(loadGenerator.pid!);
    const connected = await lg.connect({
      type: 'connect',
      protocol: TRANSPORT,
      query: QUERY,
      tenant: school.slug,
      concurrency: 100,
      subscribers: students.map((s, i) => ({ url: subscribeUrl, token: tokens[i], variables: { id: s.sessionId } })),
    });
    log(
      `gateway (${TRANSPORT}): ${connected.sockets} subscribers connected in ${fmt(connected.ms / 1000, 1)} s (${connected.failed} failed)`,
    );
    // Read every 100 ms (not every second, which made the time up to a second late): by now every
    // client has connected and the gateway has only the last batches to admit.
    await until(
      async () => (await metric(gatewayBase, 'subscription_members')) >= connected.sockets,
      'every subscription admitted',
      async () =>
        `members ${await metric(gatewayBase, 'subscription_members')}, admissions ${await labelled(gatewayBase, 'subscription_admissions_total')}, ` +
        `first error: ${(await lg.report(0, 0)).sampleError ?? 'none'}`,
      { everyMs: 100 },
    );
    const admittedSeconds = (Date.now() - admitting) / 1000;
    const perSubscriberMs = (cpuSeconds: number) => (cpuSeconds * 1000) / Math.max(1, connected.sockets);
    // What each connection costs the server: its CPU from the first upgrade to the last admission.
    const admissionCpuMs = perSubscriberMs(gateway.cpuSeconds() - admittingCpu);
    // And what it costs the others sharing the two cores: admission is bound by their sum.
    const coursesAdmissionCpuMs = perSubscriberMs(courses.cpuSeconds() - admittingCoursesCpu);
    const subscribersAdmissionCpuMs = perSubscriberMs(cpuSecondsOf(loadGenerator.pid!) - admittingSubscribersCpu);
    const admittedRss = gateway.memory().rssMiB;
    // How much of that is V8's heap, used and reserved (prom-client's default metrics).
    const mib = (bytes: number) => fmt(bytes / 2 ** 20);
    const admittedHeap = `${mib(await metric(gatewayBase, 'nodejs_heap_size_used_bytes'))} / ${mib(await metric(gatewayBase, 'nodejs_heap_size_total_bytes'))}`;
    const admissionCalls = await metric(gatewayBase, 'subscription_admission_calls_total');
    log(
      `gateway: every subscription admitted ${fmt(admittedSeconds, 1)} s after the first connection, ` +
        `in ${fmt(admissionCalls)} calls to the subgraph`,
    );
    const groups = await metric(gatewayBase, 'subscription_groups');
    const counters = async () => ({
      fetches: await metric(gatewayBase, 'subscription_entity_fetches_total'),
      reused: await metric(gatewayBase, 'subscription_entity_cache_hits_total'),
      events: await metric(gatewayBase, 'subscription_events_total'),
    });
    const subscribersCpu = () => cpuSecondsOf(loadGenerator!.pid!);
    const publisherCpu = () => (process.cpuUsage().user + process.cpuUsage().system) / 1e6;
    const others = {
      'users subgraph': users.cpuSeconds,
      'courses subgraph': courses.cpuSeconds,
      subscribers: subscribersCpu,
      publisher: publisherCpu,
    };
    const ours = await measure('gateway', gateway, publisher, lg, students.length / SESSIONS, others, async (run) => {
      const before = await counters();
      await run();
      const after = await counters();
      const events = Math.max(1, after.events - before.events);
      const perEvent = (after.fetches - before.fetches) / events;
      return {
        'subscribers admitted in (s)': fmt(admittedSeconds, 1),
        'server CPU per admitted subscriber (ms)': fmt(admissionCpuMs, 2),
        'courses subgraph / subscribers CPU per admitted subscriber (ms)': `${fmt(coursesAdmissionCpuMs, 2)} / ${fmt(subscribersAdmissionCpuMs, 2)}`,
        'server memory once all admitted (MiB)': fmt(admittedRss),
        'of which JS heap used / reserved (MiB)': admittedHeap,
        'admission calls to subgraphs': fmt(admissionCalls),
        'upstream subscriptions (groups)': fmt(groups),
        'entity fetches per event': fmt(perEvent, 2),
        'entities reused per event (SUBSCRIPTION_ENTITY_TTL_MS)': fmt((after.reused - before.reused) / events, 2),
        'events resolved': fmt(after.events - before.events),
      };
    });
    await lg.close();
    await gateway.stop();
    started.splice(started.indexOf(gateway), 1);

    // 2. The baseline: the same subscribers and events, no GraphQL at all.
    const baseline = await startNode(
      'bench/subscriptions/baseline-server.js',
      { BENCH_REDIS_URL: REDIS_URL, BENCH_CHANNEL_PREFIX: `${prefix}bus:${liveSessionTopic(school.id, '')}` },
      /baseline listening (http:\/\/\S+)/,
    );
    started.push(baseline);
    const plainUrl = baseline.url.replace(/^http/, 'ws');
    const plainCpu = baseline.cpuSeconds();
    const plainConnected = await lg.connect({
      type: 'connect',
      protocol: 'plain',
      concurrency: 100,
      subscribers: students.map((s) => ({ url: `${plainUrl}/?session=${s.sessionId}` })),
    });
    log(
      `baseline: ${plainConnected.sockets} subscribers connected in ${fmt(plainConnected.ms / 1000, 1)} s (${plainConnected.failed} failed)`,
    );
    await until(async () => {
      const stats = (await (await fetch(`${baseline.url}/stats`)).json()) as { clients: number; channels: number };
      return stats.clients >= plainConnected.sockets && stats.channels >= SESSIONS;
    }, 'every baseline channel subscribed');
    const plainCpuMs = ((baseline.cpuSeconds() - plainCpu) * 1000) / Math.max(1, plainConnected.sockets);
    const plainRss = baseline.memory().rssMiB;
    const base = await measure(
      'baseline',
      baseline,
      publisher,
      lg,
      students.length / SESSIONS,
      { subscribers: subscribersCpu, publisher: publisherCpu },
      async (run) => {
        await run();
        return {
          'server CPU per connected subscriber (ms)': fmt(plainCpuMs, 2),
          'server memory once all connected (MiB)': fmt(plainRss),
        };
      },
    );
    await lg.close();

    print(ours, base, students.length);
  } finally {
    loadGenerator?.kill();
    for (const p of started.reverse()) await p.stop();
    await bus.close();
    await deleteRedisKeys(prefix, REDIS_URL);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The demo teacher's published courses, with their live sessions started (through the gateway, as the apps do). */
async function arrangeGatewayClassrooms(gatewayUrl: string): Promise<string[]> {
  const call = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const { body } = await gql(gatewayUrl, query, { tenant: school.slug, token, variables });
    if (body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const { login } = await call('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', {
    e: DEMO.users.demoTeacher.email,
    p: DEMO.password,
  });
  const token = login.accessToken as string;
  return arrangeClassrooms((query, variables) => call(query, variables, token), SESSIONS, COURSES);
}

/** Publishes EVENTS_PER_SECOND chat messages per session, evenly spread, each carrying its publish time. */
function classroomPublisher(bus: ReturnType<typeof createRedisBus>, sessionIds: string[]) {
  return {
    /** Runs for `seconds`; resolves with how many events were published with a timestamp inside [from, to]. */
    async run(seconds: number, from: number, to: number): Promise<{ published: number; failures: number }> {
      const perSecond = sessionIds.length * EVENTS_PER_SECOND;
      const start = Date.now();
      let sent = 0;
      let inWindow = 0;
      let failures = 0;
      while (Date.now() - start < seconds * 1000) {
        const due = Math.floor(((Date.now() - start) / 1000) * perSecond);
        for (; sent < due; sent++) {
          const at = performance.timeOrigin + performance.now();
          if (at >= from && at <= to) inWindow++;
          const sessionId = sessionIds[sent % sessionIds.length];
          const data: LiveSessionEventData = {
            kind: LiveSessionEventKind.CHAT_MESSAGE,
            schoolId: school.id,
            sessionId,
            actorId: DEMO.users.demoTeacher.id,
            at: new Date(at).toISOString(),
            text: String(at),
          };
          bus.publish(liveSessionTopic(school.id, sessionId), data).catch(() => failures++);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return { published: inWindow, failures };
    },
  };
}

/** Warm-up, then the measured window; CPU and machine load are taken over the window only. */
async function measure(
  name: string,
  target: BenchProcess,
  publisher: ReturnType<typeof classroomPublisher>,
  lg: ReturnType<typeof commander>,
  subscribersPerSession: number,
  /** The other processes of the run, whose CPU over the window is reported too. */
  others: Record<string, () => number>,
  around: (run: () => Promise<void>) => Promise<Record<string, string>>,
): Promise<PhaseResult> {
  const now = () => performance.timeOrigin + performance.now();
  const from = now() + WARMUP_SECONDS * 1000;
  const to = from + SECONDS * 1000;
  let published = 0;
  let failures = 0;
  let cpu = 0;
  let busy = 0;
  const otherCpu: Record<string, number> = {};
  log(`${name}: ${WARMUP_SECONDS} s warm-up, then ${SECONDS} s measured`);
  const extra = await around(async () => {
    const publishing = publisher.run(WARMUP_SECONDS + SECONDS, from, to);
    await sleep(from - now());
    const cpu0 = target.cpuSeconds();
    const machine0 = machineTicks();
    const others0 = Object.fromEntries(Object.entries(others).map(([k, f]) => [k, f()]));
    await sleep(to - now());
    cpu = target.cpuSeconds() - cpu0;
    const machine1 = machineTicks();
    for (const [k, f] of Object.entries(others)) otherCpu[k] = ((f() - others0[k]) / SECONDS) * 100;
    busy = (machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total);
    ({ published, failures } = await publishing);
    await sleep(3000); // let the last events of the window arrive
  });
  const report = await lg.report(from, to);
  if (failures) log(`${name}: ${failures} publishes failed`);
  if (report.sampleError) log(`${name}: ${report.errors} error messages, e.g. ${report.sampleError}`);
  return {
    msgsPerSecond: report.delivered / SECONDS,
    expected: published * subscribersPerSession,
    delivered: report.delivered,
    p50: report.p50,
    p99: report.p99,
    max: report.max,
    cpuPercent: (cpu / SECONDS) * 100,
    peakMiB: target.memory().peakMiB,
    machineBusyPercent: busy * 100,
    others: otherCpu,
    outOfOrder: report.outOfOrder,
    errors: report.errors,
    closed: report.closed,
    extra,
  };
}

function print(ours: PhaseResult, base: PhaseResult, subscribers: number): void {
  const rows: Array<[string, (r: PhaseResult) => string]> = [
    ['delivered msgs/s', (r) => fmt(r.msgsPerSecond)],
    ['delivered / expected in window', (r) => `${fmt(r.delivered)} / ${fmt(r.expected)}`],
    ['latency publish→receipt p50 (ms)', (r) => fmt(r.p50, 1)],
    ['latency publish→receipt p99 (ms)', (r) => fmt(r.p99, 1)],
    ['latency max (ms)', (r) => fmt(r.max, 1)],
    ['server CPU (% of one core)', (r) => fmt(r.cpuPercent, 1)],
    ['server peak memory (MiB)', (r) => fmt(r.peakMiB)],
    ['machine busy, both cores (%)', (r) => fmt(r.machineBusyPercent, 1)],
    ...Object.keys(ours.others).map((k): [string, (r: PhaseResult) => string] => [
      `CPU of ${k} (% of one core)`,
      (r) => (k in r.others ? fmt(r.others[k], 1) : '–'),
    ]),
    [
      'CPU of the rest: Redis, other work on the machine (% of one core)',
      (r) => fmt(r.machineBusyPercent * cpus().length - r.cpuPercent - Object.values(r.others).reduce((a, b) => a + b, 0), 1),
    ],
    ['out-of-order / errors / dropped sockets', (r) => `${r.outOfOrder} / ${r.errors} / ${r.closed}`],
  ];
  console.log(
    `\nSubscriptions benchmark: ${fmt(subscribers)} subscribers (gateway over ${TRANSPORT}), ${SESSIONS} sessions, ${EVENTS_PER_SECOND} events/s each, ${SECONDS} s measured, 2 cores shared by every process\n`,
  );
  console.log(`| metric | El-Manassa gateway (${TRANSPORT}) | baseline (ioredis + ws) |`);
  console.log(`|---|---|---|`);
  for (const [label, f] of rows) console.log(`| ${label} | ${f(ours)} | ${f(base)} |`);
  for (const [label, value] of Object.entries(ours.extra)) console.log(`| ${label} | ${value} | – |`);
  for (const [label, value] of Object.entries(base.extra)) console.log(`| ${label} | – | ${value} |`);
  console.log(`\nthroughput: ${fmt((ours.msgsPerSecond / base.msgsPerSecond) * 100, 1)}% of baseline (issue 14's aim: 100%)`);
  console.log(
    `p99 latency: ${fmt(ours.p99, 1)} ms (aim < 50 ms), ${fmt(ours.p99 / base.p99, 1)}x baseline; p50 ${fmt(ours.p50 / base.p50, 1)}x`,
  );
  console.log(
    `CPU: ${fmt(ours.cpuPercent / Math.max(0.1, base.cpuPercent), 2)}x baseline (aim ≤ 1.5x); ` +
      `peak memory ${fmt(ours.peakMiB / base.peakMiB, 2)}x baseline (aim ≤ 2x); admission: aim < 10 s for 10,000\n`,
  );
}

/** The load generator as an async API over its IPC channel. */
function commander(child: ChildProcess) {
  const next = <T extends LoadReply['type']>(type: T) =>
    new Promise<Extract<LoadReply, { type: T }>>((resolve, reject) => {
      const onMessage = (reply: LoadReply) => {
        if (reply.type !== type) return;
        child.off('message', onMessage);
        resolve(reply as Extract<LoadReply, { type: T }>);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`load generator exited (${code})`)));
    });
  const ask = <T extends LoadReply['type']>(cmd: LoadCommand, type: T) => {
    const reply = next(type);
    child.send(cmd);
    return reply;
  };
  return {
    connect: (cmd: Extract<LoadCommand, { type: 'connect' }>) => ask(cmd, 'connected'),
    report: (from: number, to: number) => ask({ type: 'report', from, to }, 'report'),
    close: () => ask({ type: 'close' }, 'closed'),
  };
}

/** Busy and total CPU ticks of the whole machine, from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const ticks = fields.map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: total - ticks[3] - ticks[4], total };
}

/** Checks every `everyMs` (default a second: a /metrics scrape of a gateway holding 10,000 sockets costs it milliseconds). */
async function until(
  check: () => Promise<boolean>,
  what: string,
  state?: () => Promise<string>,
  { everyMs = 1000, timeoutMs = 120_000 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}${state ? ` (${await state()})` : ''}`);
    await sleep(everyMs);
  }
}

/** The samples of a labelled metric, as text. */
async function labelled(base: string, name: string): Promise<string> {
  const samples = await metricSamples(base, name);
  return samples.map((s) => `${JSON.stringify(s.labels)} ${s.value}`).join(', ');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const log = (message: string) => console.log(`[bench] ${message}`);

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
