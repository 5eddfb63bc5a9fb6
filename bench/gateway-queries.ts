/**
 * Query throughput and latency of our gateway against a bare `@apollo/gateway` over the same
 * users subgraph, side by side in one run.
 *
 *   npm run bench:gateway            (BENCH_SECONDS=10 BENCH_CONNECTIONS=50 to change the load)
 *
 * Each gateway runs in its own process; the load comes from this process (autocannon). Our
 * gateway does its full edge work per request (tenant from the header, JWT verification, rate
 * limits, graphql-armor, a freshly signed internal context per subgraph call); the baseline
 * sends one pre-signed context. The difference is the price of those duties.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { DEMO } from '../platform/demo';
import { gql } from '../testkit/graphql-client';
import { testKeys } from '../testkit/keys';
import { fmt, listening, startNode, type BenchProcess } from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  cpuPerRequestMs: number;
}

async function load(target: BenchProcess, body: string, headers: Record<string, string>): Promise<Result> {
  const opts = {
    url: target.url,
    method: 'POST' as const,
    body,
    headers: { 'content-type': 'application/json', ...headers },
    connections: CONNECTIONS,
  };
  await autocannon({ ...opts, duration: 2 }); // warm-up: JIT, plans, caches
  const cpu0 = target.cpuSeconds();
  const r = await autocannon({ ...opts, duration: SECONDS });
  const cpu = target.cpuSeconds() - cpu0;
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
    cpuPerRequestMs: (cpu * 1000) / Math.max(1, r.requests.total),
  };
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
    const routes = `users=${users.url}/graphql`;
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
    const identity = { tenant: { id: DEMO.schools.demo.id, slug: 'demo' }, user: { id: DEMO.users.demoTeacher.id, roles: ['TEACHER'] } };
    const plain = await startNode(
      'bench/plain-gateway.js',
      { ...env, PORT: '0', INTERNAL_SIGNING_KEYS: keys.internal, SUBGRAPH_URLS: routes, BENCH_CONTEXT: JSON.stringify(identity) },
      /plain gateway listening (http:\/\/\S+)/,
    );
    started.push(plain);

    const login = await gql<{ login: { accessToken: string } }>(
      ours.url,
      `mutation { login(email: "${DEMO.users.demoTeacher.email}", password: "${DEMO.password}") { accessToken } }`,
      { tenant: 'demo' },
    );
    const token = login.body.data!.login.accessToken;

    const scenarios: Array<{ name: string; body: string; headers: Record<string, string> }> = [
      { name: 'anonymous { school { name } }', body: JSON.stringify({ query: '{ school { name } }' }), headers: { 'x-tenant-id': 'demo' } },
      {
        name: 'signed-in { me { displayName school { slug } } }',
        body: JSON.stringify({ query: '{ me { displayName school { slug } } }' }),
        headers: { 'x-tenant-id': 'demo', authorization: `Bearer ${token}` },
      },
    ];
    console.log(`\nGateway query benchmark: ${CONNECTIONS} connections, ${SECONDS} s per run, 2 cores shared by all processes\n`);
    console.log(['scenario', 'gateway', 'req/s', 'p50 ms', 'p99 ms', 'gateway CPU ms/req', 'errors'].join(' | '));
    for (const s of scenarios) {
      const base = await load(plain, s.body, s.headers);
      const mine = await load(ours, s.body, s.headers);
      for (const [label, r] of [
        ['plain @apollo/gateway', base],
        ['El-Manassa gateway', mine],
      ] as const) {
        console.log([s.name, label, fmt(r.rps), fmt(r.p50, 1), fmt(r.p99, 1), fmt(r.cpuPerRequestMs, 3), r.errors].join(' | '));
      }
      console.log(
        `${s.name}: throughput ${fmt((mine.rps / base.rps) * 100, 1)}% of baseline, p99 ${fmt(mine.p99 / Math.max(0.1, base.p99), 2)}x\n`,
      );
    }
    console.log(`peak memory: ours ${fmt(ours.memory().peakMiB)} MiB, plain ${fmt(plain.memory().peakMiB)} MiB`);
  } finally {
    for (const p of started.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
