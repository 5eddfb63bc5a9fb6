/**
 * The subscribers of the subscription benchmark, in a process of their own (forked by run.ts) so
 * that their CPU is not the gateway's. Holds thousands of WebSockets, either graphql-ws clients
 * of the gateway or plain clients of the baseline, and records for every message the publish
 * timestamp it carries (the event's `text`) and the latency to its receipt.
 */
import WebSocket from 'ws';

export type LoadCommand =
  | {
      type: 'connect';
      /** 'graphql-ws': connection_init + subscribe on the gateway; 'plain': the baseline, one URL per subscriber. */
      protocol: 'graphql-ws' | 'plain';
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
let closing = false;

const now = () => performance.timeOrigin + performance.now();
const send = (reply: LoadReply) => process.send!(reply);

/** The publish timestamp in `"text":"<ms>"`, found without parsing the whole message. */
function publishTimeOf(message: string): number {
  const at = message.indexOf('"text":"');
  if (at < 0) return NaN;
  const start = at + 8;
  return Number(message.slice(start, message.indexOf('"', start)));
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
      const ws = await open(cmd, cmd.subscribers[next++]);
      if (ws) sockets.push(ws);
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: cmd.concurrency }, worker));
  send({ type: 'connected', sockets: sockets.length, failed, ms: Date.now() - started });
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
  send({ type: 'closed' });
}

process.on('message', (cmd: LoadCommand) => {
  if (cmd.type === 'connect') void connect(cmd);
  else if (cmd.type === 'report') report(cmd.from, cmd.to);
  else void close();
});
process.on('disconnect', () => process.exit(0));
