/**
 * The benchmark's bare baseline: what fan-out costs with nothing on top. One ioredis subscriber
 * on the same bus channels the courses subgraph listens to, and a `ws` server; each Redis
 * message (already JSON) is sent as it is to every client of its session. No authentication,
 * no GraphQL, no entity fetch, no per-client buffering policy.
 *
 *   BENCH_REDIS_URL, BENCH_CHANNEL_PREFIX (channel of session s: <prefix><s>), PORT (default 0)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import WebSocket, { WebSocketServer } from 'ws';

const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = process.env.BENCH_CHANNEL_PREFIX ?? '';
const subscriber = new Redis(redisUrl);
const clients = new Map<string, Set<WebSocket>>();
let subscribed = 0;

subscriber.on('message', (channel: string, message: string) => {
  const json = message.slice(message.indexOf(' ') + 1); // "<stream id> <json>"
  for (const ws of clients.get(channel) ?? []) ws.send(json);
});

const server = http.createServer((req, res) => {
  // GET /stats: how many clients and channels are live (the benchmark waits for all of them).
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ clients: [...clients.values()].reduce((n, s) => n + s.size, 0), channels: subscribed }));
});
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (ws, req) => {
  const channel = prefix + new URL(req.url ?? '/', 'http://baseline').searchParams.get('session');
  let set = clients.get(channel);
  if (!set) {
    clients.set(channel, (set = new Set()));
    void subscriber.subscribe(channel).then(() => subscribed++);
  }
  set.add(ws);
  ws.on('close', () => set.delete(ws));
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`baseline listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate();
  server.close();
  subscriber.disconnect();
  process.exit(0);
});
