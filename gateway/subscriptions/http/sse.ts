import type { GraphQLFormattedError } from 'graphql';
import type { StreamCodec } from './codec';

const NEXT = Buffer.from('event: next\ndata: ');
const END_OF_EVENT = Buffer.from('\n\n');
const COMPLETE = Buffer.from('event: complete\ndata: \n\n');

/** A `next` event around an already serialized result (JSON has no raw newline: one `data` line). */
function nextEvent(payload: Buffer): Buffer {
  return Buffer.concat([NEXT, payload, END_OF_EVENT], NEXT.length + payload.length + END_OF_EVENT.length);
}

const errorsEvent = (errors: readonly GraphQLFormattedError[]) =>
  Buffer.concat([nextEvent(Buffer.from(JSON.stringify({ errors }))), COMPLETE]);

/**
 * GraphQL over Server-Sent Events, distinct connections mode (graphql-sse's PROTOCOL.md): one
 * request per operation, `text/event-stream` answered, results as `next` events, `complete` at
 * the end. Errors found before execution are reported on the accepted stream too (a `next` event
 * with the errors, then `complete`), as the protocol requires: an EventSource would learn nothing
 * from a 400. The client ends a subscription by closing the connection.
 */
export const sse: StreamCodec = {
  transport: 'sse',
  key: Symbol('sse'),
  headers: {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    // nginx and other proxies buffer answers unless told not to.
    'x-accel-buffering': 'no',
  },
  next: nextEvent,
  // A comment line: ignored by every SSE parser.
  heartbeat: Buffer.from(':\n\n'),
  heartbeatMs: (keepAliveMs) => keepAliveMs,
  complete: COMPLETE,
  refusal: errorsEvent,
  fatal: errorsEvent,
};
