/**
 * CPU per fetch of the users and courses subgraphs (issue 14), optionally against a baseline build
 * of them, side by side in one run.
 *
 *   npm run bench:subgraphs
 *   BENCH_BASELINE=/tmp/before/dist BENCH_SECONDS=10 BENCH_ROUNDS=2 npm run bench:subgraphs
 *   BENCH_CURRENT=/tmp/other/dist BENCH_BASELINE=/tmp/before/dist node dist/bench/subgraph-cpu.js
 *
 * The subgraph fetches of the teacher's dashboard (bench/gateway-queries.ts, ~3 users and ~2
 * courses fetches) are recorded once through a plain `@apollo/gateway` whose subgraph URLs point at
 * a recording proxy in this process. Then each subgraph is loaded on its own with exactly those
 * fetches, in turn, sent straight to it by autocannon with gateway-style internal contexts: one
 * per (session, subgraph), re-signed every 30 s as our gateway reuses them (BENCH_USERS sessions).
 * CPU per fetch is the subgraph process's CPU seconds (/proc) over the fetches it answered, which
 * leaves the gateway's work out of the figure. With BENCH_BASELINE (a `dist/` directory built from
 * another checkout, e.g. `git worktree add /tmp/before HEAD`, node_modules symlinked, `npm run
 * build` there), that build's users and courses run too, on their own data, every recorded fetch
 * must answer the same bytes from both, and rounds alternate which build is loaded first (or, with
 * BENCH_TOGETHER=1, load both at once, which a machine busy with other work disturbs less).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { createInternalContextSigner, INTERNAL_CONTEXT_HEADER, type InternalContext } from '../platform/auth/internal-context';
import { keySetFromJwks } from '../platform/auth/keys';
import { DEMO } from '../platform/demo';
import { gql, request } from '../testkit/graphql-client';
import { testKeys } from '../testkit/keys';
import { TEACHER_DASHBOARD } from './queries';
import { cpuSecondsOf, fmt, listening, startNode, type BenchProcess } from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARM_SECONDS = Number(process.env.BENCH_WARM_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const USERS = Number(process.env.BENCH_USERS ?? 500);
const BASELINE = process.env.BENCH_BASELINE;
/** BENCH_TOGETHER=1: load both builds at the same time (on a shared, busy machine), not in turn. */
const TOGETHER = process.env.BENCH_TOGETHER === '1';
/** Another `dist/` to measure as the current build (default: this checkout's). */
const CURRENT = process.env.BENCH_CURRENT;
/** NODE_OPTIONS of the current build's subgraphs (a `--require` of a profiler preload, say). */
const NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS;
const SUBGRAPHS = ['users', 'courses'] as const;
type Subgraph = (typeof SUBGRAPHS)[number];

/** One build's users and courses processes. */
type Build = { label: string } & Record<Subgraph, BenchProcess>;

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-subgraphs-'));
  const keys = await testKeys();
  const started: { stop(): Promise<unknown> }[] = [];
  const teacher = DEMO.users.demoTeacher;
  const identity: InternalContext = {
    tenant: { id: DEMO.schools.demo.id, slug: 'demo' },
    user: { id: teacher.id, roles: ['TEACHER'] },
  };
  try {
    const startBuild = async (label: string, distDir?: string): Promise<Build> => {
      const procs = {} as Record<Subgraph, BenchProcess>;
      for (const name of SUBGRAPHS) {
        // startNode resolves entries under this checkout's dist/; a baseline's are reached from there.
        const entry = distDir
          ? path.relative(path.resolve(__dirname, '..'), path.join(distDir, 'subgraphs', name, 'index.js'))
          : `subgraphs/${name}/index.js`;
        procs[name] = await startNode(
          entry,
          {
            DATA_DIR: path.join(dir, label),
            HOST: '127.0.0.1',
            LOG_LEVEL: 'info',
            [`${name.toUpperCase()}_PORT`]: '0',
            SEED_DEMO: '1',
            ACCESS_TOKEN_SIGNING_KEYS: keys.access,
            INTERNAL_JWKS: keys.internalPublic,
            ...(NODE_OPTIONS && label === 'current' ? { NODE_OPTIONS } : {}),
          },
          listening(name),
        );
        started.push(procs[name]);
      }
      return { label, ...procs };
    };
    // Seed once and record; the baseline then starts on a copy of the same rows (random ids, times).
    const seeded = await startBuild('current', CURRENT && path.resolve(CURRENT));
    const fetches = await recordFetches(seeded, identity, keys.internal);
    for (const name of SUBGRAPHS) await seeded[name].stop();
    if (BASELINE) cpSync(path.join(dir, 'current'), path.join(dir, 'baseline'), { recursive: true });
    const builds = [await startBuild('current', CURRENT && path.resolve(CURRENT))];
    if (BASELINE) builds.push(await startBuild('baseline', path.resolve(BASELINE)));

    for (const name of SUBGRAPHS) {
      const n = fetches.filter((f) => f.subgraph === name).length;
      console.log(`${name}: ${n} fetch${n === 1 ? '' : 'es'} per dashboard`);
      if (process.env.BENCH_VERBOSE) for (const f of fetches.filter((x) => x.subgraph === name)) console.log(`  ${f.body}`);
    }

    // Gateway-style contexts: one per (session, subgraph), reused for 30 s (gateway/edge/reused-tokens.ts).
    const sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(keys.internal)));
    const sessions = Array.from({ length: USERS }, () => randomUUID());
    const tokens = new Map<string, { token: string; until: number }>();
    const tokenFor = async (session: string, subgraph: Subgraph) => {
      const key = `${session}:${subgraph}`;
      const hit = tokens.get(key);
      if (hit && hit.until > Date.now()) return hit.token;
      const token = await sign({ ...identity, user: { ...identity.user!, sessionId: session } }, subgraph);
      tokens.set(key, { token, until: Date.now() + 30_000 });
      return token;
    };
    // autocannon's setupRequest is synchronous: sign ahead, refresh in the background.
    const presign = async () => {
      for (const s of sessions) for (const g of SUBGRAPHS) await tokenFor(s, g);
    };
    await presign();
    const refresher = setInterval(() => void presign(), 5_000);
    started.push({ stop: async () => clearInterval(refresher) });

    for (const name of SUBGRAPHS) await sameAnswers(name, fetches, builds, await tokenFor(sessions[0], name));

    const load = async (target: BenchProcess, subgraph: Subgraph) => {
      let errors = 0;
      let turn = 0;
      const mine = fetches.filter((f) => f.subgraph === subgraph);
      const opts = {
        url: `${target.url}/graphql`,
        connections: CONNECTIONS,
        requests: mine.map((f) => ({
          method: 'POST' as const,
          body: f.body,
          setupRequest: (r: autocannon.Request) => ({
            ...r,
            headers: {
              'content-type': 'application/json',
              [INTERNAL_CONTEXT_HEADER]: tokens.get(`${sessions[turn++ % sessions.length]}:${subgraph}`)!.token,
            },
          }),
          onResponse: (status: number, body: string) => void ((status !== 200 || body.includes('"errors"')) && errors++),
        })),
      };
      await autocannon({ ...opts, duration: WARM_SECONDS });
      errors = 0;
      const before = cpuSecondsOf(target.proc.pid!);
      const r = await autocannon({ ...opts, duration: SECONDS });
      const cpu = cpuSecondsOf(target.proc.pid!) - before;
      return { fetches: r.requests.total, cpuMsPerFetch: (cpu * 1000) / Math.max(1, r.requests.total), rps: r.requests.average, errors };
    };

    console.log(
      `\nSubgraph CPU per fetch: ${CONNECTIONS} connections, ${WARM_SECONDS} s warm-up + ${SECONDS} s per run, ${ROUNDS} rounds, ${USERS} sessions\n`,
    );
    console.log('round | subgraph | build | fetches/s | CPU ms/fetch | CPU ms per dashboard | errors');
    const results = new Map<string, number[]>();
    const record = (round: number, subgraph: Subgraph, build: Build, r: Awaited<ReturnType<typeof load>>) => {
      const key = `${subgraph}:${build.label}`;
      results.set(key, [...(results.get(key) ?? []), r.cpuMsPerFetch]);
      const perDashboard = fetches.filter((f) => f.subgraph === subgraph).length;
      console.log(
        [round + 1, subgraph, build.label, fmt(r.rps), fmt(r.cpuMsPerFetch, 3), fmt(r.cpuMsPerFetch * perDashboard, 2), r.errors].join(
          ' | ',
        ),
      );
      if (r.errors) throw new Error(`${build.label} ${subgraph}: ${r.errors} failed fetches`);
    };
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? builds : [...builds].reverse();
      for (const subgraph of SUBGRAPHS) {
        if (TOGETHER) {
          // Both builds under the same load at the same time: a busy machine slows both alike.
          const rs = await Promise.all(order.map((build) => load(build[subgraph], subgraph)));
          order.forEach((build, i) => record(round, subgraph, build, rs[i]));
        } else {
          for (const build of order) record(round, subgraph, build, await load(build[subgraph], subgraph));
        }
      }
    }
    console.log('\nSummary (mean CPU ms per fetch)');
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const subgraph of SUBGRAPHS) {
      const now = mean(results.get(`${subgraph}:current`)!);
      const base = BASELINE ? mean(results.get(`${subgraph}:baseline`)!) : undefined;
      console.log(
        `- ${subgraph}: current ${fmt(now, 3)}` +
          (base !== undefined ? `, baseline ${fmt(base, 3)}, current/baseline ${fmt(now / base, 2)}x` : ''),
      );
    }
  } finally {
    for (const p of started.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Fetch {
  subgraph: Subgraph;
  body: string;
}

/**
 * The subgraph fetches of one dashboard: a plain `@apollo/gateway` answers the query once with
 * its subgraph URLs pointing at a proxy here, which records each request body and forwards it.
 */
async function recordFetches(build: Build, identity: InternalContext, signingKeys: string) {
  const fetches: Fetch[] = [];
  const proxy = http.createServer((req, res) => {
    const subgraph = req.url!.slice(1).split('/')[0] as Subgraph;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      fetches.push({ subgraph, body });
      const headers = { 'content-type': 'application/json', [INTERNAL_CONTEXT_HEADER]: String(req.headers[INTERNAL_CONTEXT_HEADER]) };
      request(`${build[subgraph].url}/graphql`, { headers, body }).then(
        (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(r.text),
        (err: Error) => res.writeHead(502).end(err.message),
      );
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const at = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const gateway = await startNode(
    'bench/plain-gateway.js',
    {
      HOST: '127.0.0.1',
      PORT: '0',
      INTERNAL_SIGNING_KEYS: signingKeys,
      SUBGRAPH_URLS: SUBGRAPHS.map((s) => `${s}=${at}/${s}`).join(','),
      BENCH_CONTEXT: JSON.stringify(identity),
    },
    /plain gateway listening (http:\/\/\S+)/,
  );
  try {
    const r = await gql(gateway.url, TEACHER_DASHBOARD, { tenant: 'demo' });
    if (r.body.errors || !r.body.data) throw new Error(`the dashboard failed: ${JSON.stringify(r.body)}`);
  } finally {
    await gateway.stop();
    await new Promise((resolve) => proxy.close(resolve));
  }
  return fetches;
}

/** Every recorded fetch answers the same bytes from every build (a faster build gives the same data). */
async function sameAnswers(subgraph: Subgraph, fetches: Fetch[], builds: Build[], token: string) {
  for (const f of fetches.filter((x) => x.subgraph === subgraph)) {
    const answers = await Promise.all(
      builds.map((b) =>
        request(`${b[subgraph].url}/graphql`, {
          headers: { 'content-type': 'application/json', [INTERNAL_CONTEXT_HEADER]: token },
          body: f.body,
        }),
      ),
    );
    for (const [i, a] of answers.entries()) {
      if (a.status !== 200 || a.text.includes('"errors"')) throw new Error(`${builds[i].label} ${subgraph} failed: ${a.status} ${a.text}`);
      if (a.text !== answers[0].text) {
        throw new Error(`${subgraph} answers differ:\n${builds[0].label}: ${answers[0].text}\n${builds[i].label}: ${a.text}`);
      }
    }
  }
  console.log(`${subgraph}: the same answers from ${builds.map((b) => b.label).join(' and ')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
