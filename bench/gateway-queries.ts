/**
 * Query throughput, latency and gateway CPU of our gateway against a bare `@apollo/gateway` over
 * the same users and courses subgraph processes, side by side in one run.
 *
 *   npm run bench:gateway
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=50 BENCH_ROUNDS=2 BENCH_USERS=500 BENCH_SCENARIOS=federated,me npm run bench:gateway
 *
 * Each gateway and subgraph runs in its own process; the load comes from this process
 * (autocannon). Every scenario runs BENCH_ROUNDS rounds, plain first in even rounds and ours first
 * in odd ones, each gateway warmed before it is measured. Signed-in scenarios are sent by many
 * users: BENCH_USERS sessions of the demo teacher (access tokens minted with the users subgraph's
 * key, one per session), taken in turn request after request; the `new session` scenario never
 * repeats one (the worst case for reused signatures).
 *
 * Our gateway does its full edge work per request (tenant from the header, JWT verification,
 * rate limits, graphql-armor, signed internal contexts); the baseline sends one pre-signed
 * context for the demo teacher, so both gateways answer the same data, which is checked before
 * measuring. The difference is the price of those duties.
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
import { gql } from '../testkit/graphql-client';
import { testKeys } from '../testkit/keys';
import { fmt, listening, startNode, type BenchProcess } from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARM_SECONDS = Number(process.env.BENCH_WARM_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const USERS = Number(process.env.BENCH_USERS ?? 500);
const ONLY = process.env.BENCH_SCENARIOS?.split(',');

/** About 3 users and 2 courses fetches: a teacher's dashboard (issue 14). */
const FEDERATED = `query TeacherDashboard {
  me {
    displayName
    teachingCourses {
      title
      lessons { id title kind }
      liveSessions { id title startsAt status }
      enrollments { totalCount edges { node { status progress student { displayName } } } }
    }
  }
  courses { edges { node { title teacher { displayName } lessons { id title } liveSessions { id title startsAt } } } }
}`;

interface Result {
  rps: number;
  p50: number;
  p99: number;
  /** Connection errors and timeouts (autocannon's own timeout, 10 s), non-2xx answers, answers with GraphQL errors. */
  errors: { connection: number; non2xx: number; graphql: number };
  requests: number;
  /** CPU ms per request, by process. */
  cpu: { gateway: number; users: number; courses: number };
}

interface Scenario {
  key: string;
  name: string;
  body: string;
  /** Headers of the next request (a token per request for the signed-in ones). */
  headers: () => Record<string, string>;
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-gw-'));
  const keys = await testKeys();
  const env = { DATA_DIR: dir, HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  const started: BenchProcess[] = [];
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
    const ours = await startNode(
      'gateway/index.js',
      {
        ...env,
        LOG_LEVEL: 'info',
        PORT: '0',
        INTERNAL_SIGNING_KEYS: keys.internal,
        SUBGRAPH_URLS: routes,
        RATE_LIMIT_IP_PER_MINUTE: '100000000',
        RATE_LIMIT_USER_PER_MINUTE: '100000000',
      },
      listening('gateway'),
    );
    started.push(ours);
    const teacher = DEMO.users.demoTeacher;
    const identity = { tenant: { id: DEMO.schools.demo.id, slug: 'demo' }, user: { id: teacher.id, roles: ['TEACHER'] } };
    const plain = await startNode(
      'bench/plain-gateway.js',
      { ...env, PORT: '0', INTERNAL_SIGNING_KEYS: keys.internal, SUBGRAPH_URLS: routes, BENCH_CONTEXT: JSON.stringify(identity) },
      /plain gateway listening (http:\/\/\S+)/,
    );
    started.push(plain);

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
    // Enough never to repeat one: every run's requests at a generous rate.
    const oneOff = await mint(Math.ceil(ROUNDS * (SECONDS + WARM_SECONDS) * 600));
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
        body: JSON.stringify({ query: FEDERATED }),
        headers: inTurn(sessions),
      },
      {
        key: 'federated-new',
        name: 'teacher dashboard, a new session every request',
        body: JSON.stringify({ query: FEDERATED }),
        headers: inTurn(oneOff),
      },
    ];
    const scenarios = all.filter((s) => !ONLY || ONLY.includes(s.key));

    const load = async (target: BenchProcess, s: Scenario): Promise<Result> => {
      let graphqlErrors = 0;
      const opts = {
        url: target.url,
        method: 'POST' as const,
        connections: CONNECTIONS,
        requests: [
          {
            method: 'POST' as const,
            body: s.body,
            setupRequest: (r: autocannon.Request) => ({ ...r, headers: { 'content-type': 'application/json', ...s.headers() } }),
            onResponse: (_status: number, body: string) => void (body.includes('"errors"') && graphqlErrors++),
          },
        ],
      };
      await autocannon({ ...opts, duration: WARM_SECONDS }); // JIT, plans, caches, connections
      const gatewayCpu = target.cpuSeconds();
      const usersCpu = users.cpuSeconds();
      const coursesCpu = courses.cpuSeconds();
      graphqlErrors = 0;
      const r = await autocannon({ ...opts, duration: SECONDS });
      const per = (seconds: number) => (seconds * 1000) / Math.max(1, r.requests.total);
      return {
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: { connection: r.errors, non2xx: r.non2xx, graphql: graphqlErrors },
        requests: r.requests.total,
        cpu: {
          gateway: per(target.cpuSeconds() - gatewayCpu),
          users: per(users.cpuSeconds() - usersCpu),
          courses: per(courses.cpuSeconds() - coursesCpu),
        },
      };
    };

    console.log(
      `\nGateway query benchmark: ${CONNECTIONS} connections, ${WARM_SECONDS} s warm-up + ${SECONDS} s per run, ${ROUNDS} rounds in alternating order, 2 cores shared by all processes\n`,
    );
    for (const s of scenarios) await sameAnswers(s, ours, plain);
    const header = [
      'round',
      'gateway',
      'req/s',
      'p50 ms',
      'p99 ms',
      'gateway CPU ms/req',
      'users CPU ms/req',
      'courses CPU ms/req',
      'errors (connection/non-2xx/GraphQL)',
    ];
    const summary: string[] = [];
    for (const s of scenarios) {
      console.log(`## ${s.name}`);
      console.log(header.join(' | '));
      const results: Record<'plain' | 'ours', Result[]> = { plain: [], ours: [] };
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? (['plain', 'ours'] as const) : (['ours', 'plain'] as const);
        for (const which of order) {
          const r = await load(which === 'plain' ? plain : ours, s);
          results[which].push(r);
          const label = which === 'plain' ? 'plain @apollo/gateway' : 'El-Manassa gateway';
          console.log(
            [
              round + 1,
              label,
              fmt(r.rps),
              fmt(r.p50, 1),
              fmt(r.p99, 1),
              fmt(r.cpu.gateway, 3),
              fmt(r.cpu.users, 3),
              fmt(r.cpu.courses, 3),
              `${r.errors.connection}/${r.errors.non2xx}/${r.errors.graphql}`,
            ].join(' | '),
          );
        }
      }
      const mean = (rs: Result[], f: (r: Result) => number) => rs.reduce((sum, r) => sum + f(r), 0) / rs.length;
      const [p, o] = [results.plain, results.ours];
      const line =
        `${s.name}: ours/plain requests/s ${fmt(mean(o, (r) => r.rps) / mean(p, (r) => r.rps), 2)}x ` +
        `(per round ${o.map((r, i) => fmt(r.rps / p[i].rps, 2)).join(', ')}), ` +
        `p99 ${fmt(
          mean(o, (r) => r.p99) /
            Math.max(
              0.1,
              mean(p, (r) => r.p99),
            ),
          2,
        )}x, ` +
        `gateway CPU/req ${fmt(mean(o, (r) => r.cpu.gateway) / mean(p, (r) => r.cpu.gateway), 2)}x ` +
        `(${fmt(
          mean(o, (r) => r.cpu.gateway),
          3,
        )} vs ${fmt(
          mean(p, (r) => r.cpu.gateway),
          3,
        )} ms)`;
      console.log(`${line}\n`);
      summary.push(line);
    }
    console.log('Summary');
    for (const line of summary) console.log(`- ${line}`);
    console.log(`peak memory: ours ${fmt(ours.memory().peakMiB)} MiB, plain ${fmt(plain.memory().peakMiB)} MiB`);
  } finally {
    for (const p of started.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Both gateways give the scenario's request the same data and no errors; the bench stops otherwise. */
async function sameAnswers(s: Scenario, ours: BenchProcess, plain: BenchProcess): Promise<void> {
  const { query } = JSON.parse(s.body) as { query: string };
  const headers = s.headers();
  const token = headers.authorization?.replace(/^Bearer /, '');
  const [mine, base] = await Promise.all([gql(ours.url, query, { tenant: 'demo', token }), gql(plain.url, query, { tenant: 'demo' })]);
  const a = JSON.stringify(mine.body);
  const b = JSON.stringify(base.body);
  if (mine.body.errors || a !== b) throw new Error(`${s.name}: the gateways answer differently\nours:  ${a}\nplain: ${b}`);
  console.log(`${s.name}: same answer from both (${a.length} bytes)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
