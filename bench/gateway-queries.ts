/**
 * Query throughput, latency and gateway CPU of our gateway against its Node peers, a bare
 * `@apollo/gateway` and Hive Gateway, over the same users and courses subgraph processes, side by
 * side in one run (issue 14).
 *
 *   npm run bench:gateway
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=50 BENCH_ROUNDS=2 BENCH_USERS=500 BENCH_SCENARIOS=federated,me npm run bench:gateway
 *   BENCH_GATEWAYS=ours,plain npm run bench:gateway
 *   BENCH_PROFILE_DIR=/tmp/prof BENCH_GATEWAYS=ours BENCH_SCENARIOS=me npm run bench:gateway   (CPU profiles of ours)
 *
 * Gateways (each its own process, one process each, no fork):
 * - `ours`: El-Manassa's gateway, caches and deduplication off (the default);
 * - `ours-cached`: the same with GATEWAY_CACHE=1 GATEWAY_DEDUP=1, in production wiring (Redis
 *   store, RabbitMQ invalidations, a prefix of its own);
 * - `plain`: bench/plain-gateway.ts, a bare `@apollo/gateway`;
 * - `hive`: bench/hive-gateway.ts, Hive Gateway with its upstream deduplication off;
 * - `hive-dedup`: the same with it on (Hive's default).
 * The subgraphs and the load (autocannon, this process) are shared.
 *
 * Every scenario runs BENCH_ROUNDS rounds, the gateways in the order above in even rounds and in
 * reverse in odd ones, each warmed before it is measured. Signed-in scenarios are sent by many
 * users: BENCH_USERS sessions of the demo teacher (access tokens minted with the users subgraph's
 * key, one per session), taken in turn request after request; the `new session` scenario never
 * repeats one (the worst case for anything reused per session).
 *
 * Our gateway does its full edge work per request (tenant from the header, JWT verification,
 * revoked sessions, rate limits, graphql-armor, signed internal contexts); the peers send one
 * pre-signed context for the demo teacher, so all answer the same data. Every response of every
 * measured run is compared with the reference answer (plain's, taken before measuring); a
 * mismatch is counted, printed, and fails the bench. The subgraphs' request counters give the
 * fetches per request each gateway made, so deduplication and caching show.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { createAccessTokenIssuer } from '../platform/auth/access-token';
import { keySetFromJwks } from '../platform/auth/keys';
import { DEMO } from '../platform/demo';
import { request } from '../testkit/graphql-client';
import { testKeys } from '../testkit/keys';
import { TEACHER_DASHBOARD } from './queries';
import { fmt, listening, startNode as startProcess, type BenchProcess } from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARM_SECONDS = Number(process.env.BENCH_WARM_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const USERS = Number(process.env.BENCH_USERS ?? 500);
const ONLY = process.env.BENCH_SCENARIOS?.split(',');
const GATEWAYS = process.env.BENCH_GATEWAYS?.split(',');

const KINDS = ['ours', 'ours-cached', 'plain', 'hive', 'hive-dedup'] as const;
type Kind = (typeof KINDS)[number];
const LABELS: Record<Kind, string> = {
  ours: 'El-Manassa (caches off)',
  'ours-cached': 'El-Manassa (cache + dedup)',
  plain: 'plain @apollo/gateway',
  hive: 'Hive Gateway (dedup off)',
  'hive-dedup': 'Hive Gateway (dedup on)',
};
/** The ratio lines the issue asks for: [numerator, denominator]. */
const RATIOS: Array<[Kind, Kind]> = [
  ['ours', 'plain'],
  ['ours', 'hive'],
  ['ours-cached', 'plain'],
  ['ours-cached', 'hive-dedup'],
  ['hive-dedup', 'plain'],
];

interface Result {
  rps: number;
  p50: number;
  p99: number;
  /** Connection errors and timeouts (autocannon's own timeout, 10 s), non-2xx answers, answers with GraphQL errors. */
  errors: { connection: number; non2xx: number; graphql: number };
  /** Answers that differ from the reference answer. */
  mismatches: number;
  requests: number;
  /** CPU ms per request, by process. */
  cpu: { gateway: number; users: number; courses: number };
  /** Subgraph requests (POST /graphql) per gateway request sent. */
  fetches: { users: number; courses: number };
}

interface Scenario {
  key: string;
  name: string;
  body: string;
  /** Headers of the next request (a token per request for the signed-in ones). */
  headers: () => Record<string, string>;
}

/** Requests a subgraph has answered on /graphql so far, from its Prometheus counter. */
async function graphqlRequests(subgraph: BenchProcess): Promise<number> {
  const { text } = await request(`${subgraph.url}/metrics`, { method: 'GET' });
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('http_request_duration_seconds_count{') && line.includes('route="/graphql"'))
      total += Number(line.split(' ').pop());
  }
  return total;
}

/**
 * Waits until the processes are idle: autocannon stops with requests in flight that the gateway
 * and subgraphs still serve, which would otherwise be charged to the next run (at most 10 s).
 */
async function settle(processes: BenchProcess[]): Promise<void> {
  const busy = () => processes.reduce((sum, p) => sum + p.cpuSeconds(), 0);
  const deadline = Date.now() + 10_000;
  let last = busy();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = busy();
    if (now - last < 0.02) return; // under 10% of one core
    last = now;
  }
}

/** The same JSON whatever its spacing: raw text first (the cheap, usual case), then parsed. */
function sameJson(body: string, expected: string, expectedCanonical: string): boolean {
  if (body === expected) return true;
  try {
    return JSON.stringify(JSON.parse(body)) === expectedCanonical;
  } catch {
    return false;
  }
}

/** BENCH_PROFILE_DIR: a V8 CPU profile of every gateway, written there when it stops (bench/cpu-profile-hook.ts). */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;

/** Starts a process of the bench, profiled when BENCH_PROFILE_DIR is set and it is a gateway (`label`). */
function startNode(entry: string, processEnv: Record<string, string>, ready: RegExp, label?: Kind) {
  const profiled: Record<string, string> =
    PROFILE_DIR && label
      ? {
          NODE_OPTIONS: `--require ${path.join(__dirname, 'cpu-profile-hook.js')}`,
          BENCH_PROFILE_DIR: PROFILE_DIR,
          BENCH_PROFILE_LABEL: label,
        }
      : {};
  return startProcess(entry, { ...processEnv, ...profiled }, ready);
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-gw-'));
  const keys = await testKeys();
  const env = { DATA_DIR: dir, HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  const started: BenchProcess[] = [];
  const wanted = (k: Kind) => k === 'plain' || !GATEWAYS || GATEWAYS.includes(k);
  try {
    const users = await startNode(
      'subgraphs/users/index.js',
      {
        ...env,
        LOG_LEVEL: 'info',
        USERS_PORT: '0',
        SEED_DEMO: '1',
        ACCESS_TOKEN_SIGNING_KEYS: keys.access,
        INTERNAL_JWKS: keys.internalPublic,
      },
      listening('users'),
    );
    started.push(users);
    const courses = await startNode(
      'subgraphs/courses/index.js',
      { ...env, LOG_LEVEL: 'info', COURSES_PORT: '0', SEED_DEMO: '1', INTERNAL_JWKS: keys.internalPublic },
      listening('courses'),
    );
    started.push(courses);
    const routes = `users=${users.url}/graphql,courses=${courses.url}/graphql`;
    const oursEnv = {
      ...env,
      LOG_LEVEL: 'info',
      PORT: '0',
      INTERNAL_SIGNING_KEYS: keys.internal,
      SUBGRAPH_URLS: routes,
      RATE_LIMIT_IP_PER_MINUTE: '100000000',
      RATE_LIMIT_USER_PER_MINUTE: '100000000',
      SCHOOL_REQUESTS_PER_MINUTE: '100000000',
      SCHOOL_MAX_SUBSCRIPTIONS: '100000000',
    };
    const teacher = DEMO.users.demoTeacher;
    const identity = { tenant: { id: DEMO.schools.demo.id, slug: 'demo' }, user: { id: teacher.id, roles: ['TEACHER'] } };
    const peerEnv = {
      ...env,
      PORT: '0',
      INTERNAL_SIGNING_KEYS: keys.internal,
      SUBGRAPH_URLS: routes,
      BENCH_CONTEXT: JSON.stringify(identity),
    };
    // A prefix of this run's own: its Redis keys and broker queue meet no one else's.
    const run = `bench-gw-${randomUUID().slice(0, 8)}:`;
    const start: Record<Kind, () => Promise<BenchProcess>> = {
      ours: () => startNode('gateway/index.js', oursEnv, listening('gateway'), 'ours'),
      'ours-cached': () =>
        startNode(
          'gateway/index.js',
          {
            ...oursEnv,
            GATEWAY_CACHE: '1',
            GATEWAY_DEDUP: '1',
            REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
            AMQP_URL: process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
            REDIS_KEY_PREFIX: run,
            AMQP_QUEUE_PREFIX: run,
          },
          listening('gateway'),
          'ours-cached',
        ),
      plain: () => startNode('bench/plain-gateway.js', peerEnv, /plain gateway listening (http:\/\/\S+)/, 'plain'),
      hive: () => startNode('bench/hive-gateway.js', peerEnv, /hive gateway listening (http:\/\/\S+)/, 'hive'),
      'hive-dedup': () =>
        startNode('bench/hive-gateway.js', { ...peerEnv, HIVE_DEDUP: '1' }, /hive gateway listening (http:\/\/\S+)/, 'hive-dedup'),
    };
    const gateways = new Map<Kind, BenchProcess>();
    for (const kind of KINDS.filter(wanted)) {
      const p = await start[kind]();
      started.push(p);
      gateways.set(kind, p);
    }

    // Many users: sessions of the demo teacher, each its own identity at the gateway and downstream.
    const issue = createAccessTokenIssuer(await keySetFromJwks(JSON.parse(keys.access)), 3600);
    const mint = async (n: number) =>
      Promise.all(
        Array.from({ length: n }, async () => {
          const claims = {
            userId: teacher.id,
            schoolId: DEMO.schools.demo.id,
            schoolSlug: 'demo',
            roles: ['TEACHER'],
            sessionId: randomUUID(),
          };
          return (await issue(claims)).token;
        }),
      );
    const sessions = await mint(USERS);
    // Enough never to repeat one for a gateway that cares (ours, ours-cached): their runs at a generous rate.
    const oneOff = await mint(Math.ceil(ROUNDS * (SECONDS + WARM_SECONDS) * 3000));
    const inTurn = (tokens: string[]) => {
      let i = 0;
      return () => ({ 'x-tenant-id': 'demo', authorization: `Bearer ${tokens[i++ % tokens.length]}` });
    };

    const all: Scenario[] = [
      {
        key: 'school',
        name: 'anonymous { school { name } }',
        body: JSON.stringify({ query: '{ school { name } }' }),
        headers: () => ({ 'x-tenant-id': 'demo' }),
      },
      {
        key: 'me',
        name: `signed-in { me { displayName school { slug } } }, ${USERS} sessions`,
        body: JSON.stringify({ query: '{ me { displayName school { slug } } }' }),
        headers: inTurn(sessions),
      },
      {
        key: 'federated',
        name: `teacher dashboard (3 users + 2 courses fetches), ${USERS} sessions`,
        body: JSON.stringify({ query: TEACHER_DASHBOARD }),
        headers: inTurn(sessions),
      },
      {
        key: 'federated-new',
        name: 'teacher dashboard, a new session every request',
        body: JSON.stringify({ query: TEACHER_DASHBOARD }),
        headers: inTurn(oneOff),
      },
    ];
    const scenarios = all.filter((s) => !ONLY || ONLY.includes(s.key));

    /** The reference answer of each scenario: plain's, checked against every other gateway's first. */
    const expected = new Map<string, { raw: string; canonical: string }>();
    const mismatchSamples: string[] = [];
    const post = (target: BenchProcess, s: Scenario) =>
      request(target.url, { body: s.body, headers: { 'content-type': 'application/json', ...s.headers() } });
    for (const s of scenarios) {
      const ref = await post(gateways.get('plain')!, s);
      if (ref.status !== 200 || ref.text.includes('"errors"')) throw new Error(`${s.name}: plain answers ${ref.status} ${ref.text}`);
      const canonical = JSON.stringify(JSON.parse(ref.text));
      expected.set(s.key, { raw: ref.text, canonical });
      for (const [kind, target] of gateways) {
        const answer = await post(target, s);
        if (!sameJson(answer.text, ref.text, canonical))
          throw new Error(`${s.name}: ${LABELS[kind]} answers differently\n${kind}: ${answer.text}\nplain: ${ref.text}`);
      }
      console.log(`${s.name}: same answer from all ${gateways.size} gateways (${ref.text.length} bytes)`);
    }

    const load = async (kind: Kind, s: Scenario): Promise<Result> => {
      const target = gateways.get(kind)!;
      const want = expected.get(s.key)!;
      let graphqlErrors = 0;
      let mismatches = 0;
      const opts = {
        url: target.url,
        method: 'POST' as const,
        connections: CONNECTIONS,
        requests: [
          {
            method: 'POST' as const,
            body: s.body,
            setupRequest: (r: autocannon.Request) => ({ ...r, headers: { 'content-type': 'application/json', ...s.headers() } }),
            onResponse: (_status: number, body: string) => {
              if (body.includes('"errors"')) graphqlErrors++;
              if (!sameJson(body, want.raw, want.canonical)) {
                mismatches++;
                if (mismatchSamples.length < 5) mismatchSamples.push(`${s.key} ${kind}: ${body.slice(0, 500)}`);
              }
            },
          },
        ],
      };
      await settle([target, users, courses]); // the previous run's backlog
      await autocannon({ ...opts, duration: WARM_SECONDS }); // JIT, plans, caches, connections
      await settle([target, users, courses]); // requests in flight when the warm-up stopped
      const before = {
        gateway: target.cpuSeconds(),
        users: users.cpuSeconds(),
        courses: courses.cpuSeconds(),
        usersFetches: await graphqlRequests(users),
        coursesFetches: await graphqlRequests(courses),
      };
      graphqlErrors = 0;
      mismatches = 0;
      const r = await autocannon({ ...opts, duration: SECONDS });
      const cpu = { gateway: target.cpuSeconds(), users: users.cpuSeconds(), courses: courses.cpuSeconds() };
      // Every request sent, the ones still in flight at the end included, has made its fetches once the processes are idle.
      await settle([target, users, courses]);
      const fetched = { users: await graphqlRequests(users), courses: await graphqlRequests(courses) };
      const sent = Math.max(1, (r.requests as { sent?: number }).sent ?? r.requests.total);
      const n = Math.max(1, r.requests.total);
      const per = (seconds: number) => (seconds * 1000) / n;
      return {
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: { connection: r.errors, non2xx: r.non2xx, graphql: graphqlErrors },
        mismatches,
        requests: r.requests.total,
        cpu: {
          gateway: per(cpu.gateway - before.gateway),
          users: per(cpu.users - before.users),
          courses: per(cpu.courses - before.courses),
        },
        fetches: { users: (fetched.users - before.usersFetches) / sent, courses: (fetched.courses - before.coursesFetches) / sent },
      };
    };

    console.log(
      `\nGateway query benchmark: ${CONNECTIONS} connections, ${WARM_SECONDS} s warm-up + ${SECONDS} s per run, ${ROUNDS} rounds in alternating order, 2 cores shared by all processes\n`,
    );
    const header = [
      'round',
      'gateway',
      'req/s',
      'p50 ms',
      'p99 ms',
      'gateway CPU ms/req',
      'users CPU ms/req',
      'courses CPU ms/req',
      'users fetches/req',
      'courses fetches/req',
      'errors (connection/non-2xx/GraphQL)',
      'mismatches',
    ];
    const summary: string[] = [];
    let totalMismatches = 0;
    const kinds = [...gateways.keys()];
    for (const s of scenarios) {
      console.log(`## ${s.name}`);
      console.log(header.join(' | '));
      const results = new Map<Kind, Result[]>(kinds.map((k) => [k, []]));
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? kinds : [...kinds].reverse();
        for (const kind of order) {
          const r = await load(kind, s);
          results.get(kind)!.push(r);
          totalMismatches += r.mismatches;
          console.log(
            [
              round + 1,
              LABELS[kind],
              fmt(r.rps),
              fmt(r.p50, 1),
              fmt(r.p99, 1),
              fmt(r.cpu.gateway, 3),
              fmt(r.cpu.users, 3),
              fmt(r.cpu.courses, 3),
              fmt(r.fetches.users, 2),
              fmt(r.fetches.courses, 2),
              `${r.errors.connection}/${r.errors.non2xx}/${r.errors.graphql}`,
              r.mismatches,
            ].join(' | '),
          );
        }
      }
      const mean = (k: Kind, f: (r: Result) => number) => {
        const rs = results.get(k)!;
        return rs.reduce((sum, r) => sum + f(r), 0) / rs.length;
      };
      for (const [a, b] of RATIOS) {
        if (!results.has(a) || !results.has(b)) continue;
        const [ra, rb] = [results.get(a)!, results.get(b)!];
        const line =
          `${s.key}: ${a}/${b} requests/s ${fmt(mean(a, (r) => r.rps) / mean(b, (r) => r.rps), 2)}x ` +
          `(per round ${ra.map((r, i) => fmt(r.rps / rb[i].rps, 2)).join(', ')}), ` +
          `p99 ${fmt(
            mean(a, (r) => r.p99) /
              Math.max(
                0.1,
                mean(b, (r) => r.p99),
              ),
            2,
          )}x, ` +
          `gateway CPU/req ${fmt(mean(a, (r) => r.cpu.gateway) / mean(b, (r) => r.cpu.gateway), 2)}x ` +
          `(${fmt(
            mean(a, (r) => r.cpu.gateway),
            3,
          )} vs ${fmt(
            mean(b, (r) => r.cpu.gateway),
            3,
          )} ms)`;
        console.log(line);
        summary.push(line);
      }
      console.log('');
    }
    console.log('Summary');
    for (const line of summary) console.log(`- ${line}`);
    console.log(`peak memory MiB: ${kinds.map((k) => `${k} ${fmt(gateways.get(k)!.memory().peakMiB)}`).join(', ')}`);
    console.log(`answers different from the reference in measured runs: ${totalMismatches}`);
    if (totalMismatches > 0) {
      for (const sample of mismatchSamples) console.log(`  ${sample}`);
      throw new Error(`${totalMismatches} answers differed from the reference`);
    }
  } finally {
    for (const p of started.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
