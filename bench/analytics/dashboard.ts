/**
 * Live dashboards: how long a domain event takes to reach N dashboard subscribers, and how many
 * updates they get under a stream of events, through the gateway against a bare socket broadcast
 * of the very same dashboard publications, printed side by side.
 *
 *   npm run bench:dashboards
 *   (BENCH_SUBSCRIBERS=200 BENCH_ROUNDS=10 BENCH_EVENTS_PER_SECOND=20 BENCH_SECONDS=10 change the load)
 *
 * One process runs users and analytics and the gateway (testkit's stack, on MariaDB, Redis and
 * RabbitMQ), the subscribers and the baseline server, so both fan-outs share the same machine
 * and process as equals (figures are lower bounds of a real deployment's). Events are `enrollment.created` domain events published to the broker as the
 * courses outbox does, each for a new student, so the school's `enrollments30d` counts them; the
 * school's dashboard (`Subscription.schoolAnalytics`, every subscriber an admin of the school with
 * their own token) is what is watched. Both paths share everything up to the analytics subgraph's
 * publication on the bus (broker → consumer → database → coalescer → Redis); they differ in the
 * fan-out: the gateway (graphql-ws to the subgraph, one shared group, a socket per client) or an
 * ioredis subscriber writing each message to every socket as it is.
 *
 * Latency: one event at a time, further apart than the dashboard interval (each goes out at once),
 * timed from its publish to each subscriber seeing the figure it made. Updates: events at a steady
 * rate, where the coalescer lets at most one update per interval through (the last value winning).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import WebSocket, { WebSocketServer } from 'ws';
import { Roles } from '../../platform/auth/roles';
import { DEMO } from '../../platform/demo';
import { domainEvent } from '../../platform/events/domain-events';
import { printSubgraphSdl } from '../../platform/graphql/federation';
import { metric } from '../../testkit/metrics';
import { uniqueName } from '../../testkit/services';
import { startStack, type Stack } from '../../testkit/stack';
import { tempSupergraphFile } from '../../testkit/subscriptions/supergraph-file';
import { tokenIssuer } from '../../testkit/subscriptions/tokens';
import { connectClient, wsUrlOf, type TestClient } from '../../testkit/subscriptions/ws-clients';
import { subgraphs } from '../../subgraphs/catalog';
import { fmt } from '../support';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const EVENTS_PER_SECOND = Number(process.env.BENCH_EVENTS_PER_SECOND ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const INTERVAL_MS = Number(process.env.DASHBOARD_INTERVAL_MS ?? 1000);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const school = DEMO.schools.demo;
const topic = `analytics:${school.id}:school`;
const QUERY = 'subscription { schoolAnalytics { enrollments30d activeStudents7d } }';

/** What one subscriber saw: each update's figure and when it arrived. */
interface Seen {
  arrivals: Array<{ at: number; enrollments: number }>;
}

/** One way of reaching the subscribers: connects them, and closes them. */
interface Path {
  name: string;
  seen: Seen[];
  close(): Promise<void>;
}

interface Result {
  p50: number;
  p99: number;
  max: number;
  missed: number;
  /** Mean updates per subscriber during the stream of events, and the seconds they came over. */
  updatesPerSubscriber: number;
  updateSeconds: number;
  eventsSent: number;
  deliveriesPerSecond: number;
  minGapMs: number;
  lastValueRight: boolean;
}

async function main() {
  process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
  const prefix = `${uniqueName('bench_dash')}:`;
  const supergraph = tempSupergraphFile('bench-dashboards-');
  supergraph.write(
    await Promise.all(
      subgraphs.map(async (sg) => ({
        name: sg.name,
        sdl: printSubgraphSdl(await sg.buildSchema()),
        url: `http://127.0.0.1:${sg.defaultPort}/graphql`,
      })),
    ),
  );
  log(`setting up: users, analytics and the gateway (MariaDB, Redis, RabbitMQ); ${SUBSCRIBERS} subscribers`);
  const stack: Stack = await startStack(
    'mysql',
    {
      SUPERGRAPH_PATH: supergraph.file,
      REDIS_KEY_PREFIX: prefix,
      ANALYTICS_INITIAL_REBUILD: 'off',
      DASHBOARD_INTERVAL_MS: String(INTERVAL_MS),
      RATE_LIMIT_IP_PER_MINUTE: '100000000',
      RATE_LIMIT_USER_PER_MINUTE: '100000000',
      SCHOOL_REQUESTS_PER_MINUTE: '100000000',
      SCHOOL_MAX_SUBSCRIPTIONS: '100000000',
    },
    { subgraphs: ['users', 'analytics'] },
  );
  let baseline: Awaited<ReturnType<typeof startBaseline>> | undefined;
  try {
    const courseId = randomUUID();
    let enrolled = 0;
    const publishEvent = async () => {
      enrolled++;
      const event = domainEvent('enrollment.created', school.id, {
        enrollmentId: randomUUID(),
        courseId,
        studentId: randomUUID(),
        enrolledAt: new Date().toISOString(),
      });
      const id = randomUUID();
      await stack.transport.broker.publish(event.type, { ...event, id, occurredAt: new Date().toISOString() }, { id });
      return enrolled;
    };

    // 1. Through the gateway.
    const issue = await tokenIssuer(stack);
    const gatewayBase = stack.gatewayUrl.replace(/\/graphql$/, '');
    const gateway = await gatewayPath(stack, issue, gatewayBase);
    const ours = await measure(gateway, publishEvent);
    await gateway.close();

    // 2. The bare broadcast of the same publications.
    baseline = await startBaseline(`${prefix}bus:${topic}`);
    const plain = await plainPath(baseline);
    const bare = await measure(plain, publishEvent);
    await plain.close();

    print(ours, bare);
  } finally {
    await baseline?.close();
    await stack.stop();
    supergraph.remove();
  }
}

/** N admins of the school, each on their own graphql-ws connection to the gateway. */
async function gatewayPath(stack: Stack, issue: Awaited<ReturnType<typeof tokenIssuer>>, gatewayBase: string): Promise<Path> {
  const clients: TestClient[] = [];
  const seen: Seen[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const client = connectClient(wsUrlOf(stack.gatewayUrl), {
      token: await issue({ userId: randomUUID(), roles: [Roles.SCHOOL_ADMIN] }, 3600),
      tenant: school.slug,
    });
    clients.push(client);
    const s: Seen = { arrivals: [] };
    seen.push(s);
    client.client.subscribe(
      { query: QUERY },
      {
        next: (r) => {
          const figures = (r.data as { schoolAnalytics?: { enrollments30d: number } } | undefined)?.schoolAnalytics;
          if (figures) s.arrivals.push({ at: Date.now(), enrollments: figures.enrollments30d });
          if (r.errors) log(`gateway subscriber refused: ${JSON.stringify(r.errors[0])}`);
        },
        error: (err) => log(`gateway subscriber failed: ${JSON.stringify(err)}`),
        complete: () => undefined,
      },
    );
  }
  await until(async () => {
    const members = await metric(gatewayBase, 'subscription_members');
    if (process.env.BENCH_DEBUG) log(`members ${members}`);
    return members === SUBSCRIBERS;
  }, 'every gateway subscription admitted');
  log(`gateway: ${SUBSCRIBERS} subscribers in ${fmt(await metric(gatewayBase, 'subscription_groups'))} group(s)`);
  return { name: 'gateway', seen, close: async () => void (await Promise.all(clients.map((c) => c.dispose()))) };
}

/** N raw WebSocket clients of the baseline server, on the school dashboard's bus channel. */
async function plainPath(baseline: { url: string; clients(): number }): Promise<Path> {
  const baseUrl = baseline.url;
  const sockets: WebSocket[] = [];
  const seen: Seen[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const ws = new WebSocket(baseUrl, { perMessageDeflate: false });
    const s: Seen = { arrivals: [] };
    seen.push(s);
    ws.on('message', (raw) => {
      const figures = JSON.parse(raw.toString()) as { enrollments30d: number };
      s.arrivals.push({ at: Date.now(), enrollments: figures.enrollments30d });
    });
    sockets.push(ws);
  }
  await until(async () => baseline.clients() === SUBSCRIBERS, 'every baseline socket connected');
  return {
    name: 'baseline',
    seen,
    close: async () => {
      for (const ws of sockets) ws.close();
    },
  };
}

/**
 * The bare baseline, in this process like the gateway: one ioredis subscriber on the dashboard's
 * bus channel (the bus publishes `<stream id> <json>` there) and a `ws` server writing each JSON
 * as it is to every socket. No authentication, no GraphQL, no per-client queue.
 */
async function startBaseline(channel: string) {
  const subscriber = new Redis(REDIS_URL);
  await new Promise<void>((resolve) => subscriber.once('ready', () => resolve()));
  await subscriber.subscribe(channel);
  const server = http.createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  subscriber.on('message', (_channel: string, message: string) => {
    const json = message.slice(message.indexOf(' ') + 1);
    for (const ws of wss.clients) ws.send(json);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clients: () => wss.clients.size,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise((resolve) => server.close(resolve));
      subscriber.disconnect();
    },
  };
}

async function measure(p: Path, publishEvent: () => Promise<number>): Promise<Result> {
  // Latency: one event per round, after a quiet interval, so the coalescer sends it at once.
  const latencies: number[] = [];
  let missed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    await sleep(INTERVAL_MS + 300);
    const t0 = Date.now();
    const expected = await publishEvent();
    const deadline = t0 + 10_000;
    while (Date.now() < deadline && p.seen.some((s) => !s.arrivals.some((a) => a.enrollments >= expected))) await sleep(2);
    for (const s of p.seen) {
      const hit = s.arrivals.find((a) => a.enrollments >= expected);
      if (hit) latencies.push(hit.at - t0);
      else missed++;
    }
  }
  log(`${p.name}: latency measured over ${ROUNDS} events`);

  // Updates under a steady stream of events.
  await sleep(INTERVAL_MS + 300);
  const from = p.seen.map((s) => s.arrivals.length);
  const started = Date.now();
  let last = 0;
  let eventsSent = 0;
  while (Date.now() - started < SECONDS * 1000) {
    last = await publishEvent();
    eventsSent++;
    await sleep(1000 / EVENTS_PER_SECOND);
  }
  // The trailing update of the last interval.
  const settle = Date.now() + INTERVAL_MS * 2 + 3000;
  while (Date.now() < settle && p.seen.some((s) => s.arrivals.at(-1)?.enrollments !== last)) await sleep(10);
  const windowSeconds = (Date.now() - started) / 1000;
  const updates = p.seen.map((s, i) => s.arrivals.slice(from[i]));
  const total = updates.reduce((n, u) => n + u.length, 0);
  const minGapMs = Math.min(...updates.flatMap((u) => u.slice(1).map((a, i) => a.at - u[i].at)), Infinity);
  log(`${p.name}: ${SECONDS} s of ${EVENTS_PER_SECOND} events/s done`);
  const sorted = latencies.sort((a, b) => a - b);
  const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] ?? NaN;
  return {
    p50: q(0.5),
    p99: q(0.99),
    max: sorted.at(-1) ?? NaN,
    missed,
    updatesPerSubscriber: total / SUBSCRIBERS,
    updateSeconds: windowSeconds,
    eventsSent,
    deliveriesPerSecond: total / windowSeconds,
    minGapMs,
    lastValueRight: p.seen.every((s) => s.arrivals.at(-1)?.enrollments === last),
  };
}

function print(ours: Result, bare: Result) {
  const rows: Array<[string, (r: Result) => string]> = [
    ['event → subscriber p50 (ms)', (r) => fmt(r.p50)],
    ['event → subscriber p99 (ms)', (r) => fmt(r.p99)],
    ['event → subscriber max (ms)', (r) => fmt(r.max)],
    ['updates missed (latency rounds)', (r) => fmt(r.missed)],
    [`events sent over ${SECONDS} s (aiming at ${EVENTS_PER_SECOND}/s)`, (r) => fmt(r.eventsSent)],
    ['updates per subscriber meanwhile', (r) => `${fmt(r.updatesPerSubscriber, 1)} in ${fmt(r.updateSeconds, 1)} s`],
    ['deliveries per s, all subscribers', (r) => fmt(r.deliveriesPerSecond, 1)],
    ['least gap between two updates (ms)', (r) => (Number.isFinite(r.minGapMs) ? fmt(r.minGapMs) : '-')],
    ['every subscriber ended on the last value', (r) => (r.lastValueRight ? 'yes' : 'NO')],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${SUBSCRIBERS} subscribers of one school dashboard, interval ${INTERVAL_MS} ms`);
  console.log(`${''.padEnd(width)}  ${'gateway'.padStart(14)}  ${'raw socket'.padStart(14)}`);
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value(ours).padStart(14)}  ${value(bare).padStart(14)}`);
  console.log('\nBoth columns include the analytics path (broker, consumer, database, coalescer, Redis); the difference is the fan-out.');
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (
    !(await check().catch((err: unknown) => {
      if (process.env.BENCH_DEBUG) log(`${what}: ${String(err)}`);
      return false;
    }))
  ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message: string) => console.log(`[bench] ${message}`);

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
