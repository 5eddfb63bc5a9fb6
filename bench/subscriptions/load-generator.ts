/**
 * The subscribers of the subscription benchmark, in a process of their own (forked by run.ts) so
 * that their CPU is not the gateway's. Holds thousands of connections: graphql-ws clients of the
 * gateway, SSE streams of the gateway (one POST with `Accept: text/event-stream` each, graphql-sse's
 * distinct connections mode), or plain WebSocket clients of the baseline; records for every
 * message the publish timestamp it carries (the event's `text`) and the latency to its receipt.
 */
import http from 'node:http';
import WebSocket from 'ws';

export type LoadCommand =
  | {
      type: 'connect';
      /**
       * 'graphql-ws': connection_init + subscribe on the gateway; 'sse': one SSE request per
       * subscriber on the gateway's /graphql; 'plain': the baseline, one URL per subscriber.
       */
      protocol: 'graphql-ws' | 'sse' | 'plain';
      subscribers: Array<{ url: string; token?: string; variables?: Record<string, unknown> }>;
      query?: string;
      tenant?: string;
      /** Handshakes in flight at once. */
      concurrency: number;
    }
  | { type: 'report'; from: number; to: number }
  | { type: 'close' };

export type LoadReply =
  | { type: 'connected'; sockets: number; failed: number; ms: number }
  | {
      type: 'report';
      delivered: number;
      p50: number;
      p99: number;
      max: number;
      outOfOrder: number;
      closed: number;
      errors: number;
      sampleError?: string;
    }
  | { type: 'closed' };

const CAPACITY = 4_000_000;
/** Publish time (ms since the epoch) of each message received, and its latency (ms). */
const published = new Float64Array(CAPACITY);
const latency = new Float64Array(CAPACITY);
let recorded = 0;
let outOfOrder = 0;
let closedUnexpectedly = 0;
let errors = 0;
/** The first error message seen since the last report, to tell what went wrong. */
let sampleError: string | undefined;
let sockets: WebSocket[] = [];
let streams: http.ClientRequest[] = [];
let closing = false;
/** One connection per SSE stream, as browsers over HTTP/1.1 and the WebSocket clients have. */
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

const now = () => performance.timeOrigin + performance.now();
const send = (reply: LoadReply) => process.send!(reply);

/** The publish timestamp in `"text":"<ms>"`, found without parsing the whole message. */
function publishTimeOf(message: string): number {
  const at = message.indexOf('"text":"');
  if (at < 0) return NaN;
  const start = at + 8;
  return Number(message.slice(start, message.indexOf('"', start)));
}

/** Records one received event message (a WebSocket message or an SSE `data` line). */
function received(message: string, last: { ts: number }): void {
  const ts = publishTimeOf(message);
  if (!Number.isFinite(ts)) {
    if (message.includes('"errors"')) {
      errors++;
      sampleError ??= message.slice(0, 300);
    }
    return;
  }
  if (ts < last.ts) outOfOrder++;
  last.ts = ts;
  if (recorded < CAPACITY) {
    published[recorded] = ts;
    latency[recorded++] = now() - ts;
  }
}

/** An SSE subscription on the gateway: resolves once its stream is accepted (200), or undefined. */
function openSse(
  cmd: Extract<LoadCommand, { type: 'connect' }>,
  subscriber: (typeof cmd.subscribers)[number],
): Promise<http.ClientRequest | undefined> {
  return new Promise((resolve) => {
    const last = { ts: 0 };
    let settled = false;
    const done = (req?: http.ClientRequest) => {
      if (settled) return;
      settled = true;
      resolve(req);
    };
    const req = http.request(
      subscriber.url,
      {
        method: 'POST',
        agent,
        headers: {
          accept: 'text/event-stream',
          'content-type': 'application/json',
          authorization: `Bearer ${subscriber.token}`,
          'x-tenant-id': cmd.tenant ?? '',
        },
      },
      (res) => {
        if (res.statusCode !== 200) {
          errors++;
          res.setEncoding('utf8');
          res.once('data', (text: string) => (sampleError ??= `HTTP ${res.statusCode}: ${text.slice(0, 300)}`));
          res.resume();
          return done();
        }
        done(req);
        let buffer = '';
        res.setEncoding('latin1');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (event.startsWith('event: next')) received(event.slice(event.indexOf('data: ') + 6), last);
            else if (event.startsWith('event: complete')) {
              errors++;
              sampleError ??= 'stream completed';
            }
          }
        });
        res.on('close', () => {
          if (!closing) closedUnexpectedly++;
        });
      },
    );
    req.on('error', () => {
      errors++;
      done();
    });
    req.end(JSON.stringify({ query: cmd.query, variables: subscriber.variables }));
  });
}

function open(
  cmd: Extract<LoadCommand, { type: 'connect' }>,
  subscriber: (typeof cmd.subscribers)[number],
): Promise<WebSocket | undefined> {
  return new Promise((resolve) => {
    const ws = new WebSocket(subscriber.url, cmd.protocol === 'graphql-ws' ? 'graphql-transport-ws' : undefined, {
      perMessageDeflate: false,
    });
    let last = 0;
    let ready = false;
    const done = (ok: boolean) => {
      if (ready) return;
      ready = true;
      resolve(ok ? ws : undefined);
    };
    ws.on('open', () => {
      if (cmd.protocol === 'plain') return done(true);
      ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${subscriber.token}`, tenant: cmd.tenant } }));
    });
    ws.on('message', (data: Buffer) => {
      const message = data.toString('latin1');
      const ts = publishTimeOf(message);
      if (Number.isFinite(ts)) {
        if (ts < last) outOfOrder++;
        last = ts;
        if (recorded < CAPACITY) {
          published[recorded] = ts;
          latency[recorded++] = now() - ts;
        }
        return;
      }
      const parsed = JSON.parse(message) as { type?: string };
      if (parsed.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: cmd.query, variables: subscriber.variables } }));
        done(true);
      } else if (parsed.type === 'error' || parsed.type === 'complete' || (parsed.type === 'next' && message.includes('"errors"'))) {
        errors++;
        sampleError ??= message.slice(0, 300);
      }
    });
    ws.on('error', () => {
      errors++;
      done(false);
    });
    ws.on('close', () => {
      if (!closing) closedUnexpectedly++;
      done(false);
    });
  });
}

async function connect(cmd: Extract<LoadCommand, { type: 'connect' }>): Promise<void> {
  const started = Date.now();
  let next = 0;
  let failed = 0;
  closing = false;
  const worker = async () => {
    while (next < cmd.subscribers.length) {
      const subscriber = cmd.subscribers[next++];
      if (cmd.protocol === 'sse') {
        const req = await openSse(cmd, subscriber);
        if (req) streams.push(req);
        else failed++;
        continue;
      }
      const ws = await open(cmd, subscriber);
      if (ws) sockets.push(ws);
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: cmd.concurrency }, worker));
  send({ type: 'connected', sockets: sockets.length + streams.length, failed, ms: Date.now() - started });
}

/** Messages published within [from, to]: how many arrived, and their latency percentiles. */
function report(from: number, to: number): void {
  const window: number[] = [];
  for (let i = 0; i < recorded; i++) if (published[i] >= from && published[i] <= to) window.push(latency[i]);
  window.sort((a, b) => a - b);
  const pct = (p: number) => (window.length ? window[Math.min(window.length - 1, Math.floor(p * window.length))] : NaN);
  send({
    type: 'report',
    delivered: window.length,
    p50: pct(0.5),
    p99: pct(0.99),
    max: window.at(-1) ?? NaN,
    outOfOrder,
    closed: closedUnexpectedly,
    errors,
    sampleError,
  });
  recorded = 0;
  sampleError = undefined;
  outOfOrder = 0;
  closedUnexpectedly = 0;
  errors = 0;
}

async function close(): Promise<void> {
  closing = true;
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close(1000);
          setTimeout(() => ws.terminate(), 2000).unref();
        }),
    ),
  );
  sockets = [];
  // Hanging up is how an SSE client ends its subscription.
  for (const req of streams) req.destroy();
  streams = [];
  send({ type: 'closed' });
}

process.on('message', (cmd: LoadCommand) => {
  if (cmd.type === 'connect') void connect(cmd);
  else if (cmd.type === 'report') report(cmd.from, cmd.to);
  else void close();
});
process.on('disconnect', () => process.exit(0));
