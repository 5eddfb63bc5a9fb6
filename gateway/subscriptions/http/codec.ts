import type { GraphQLFormattedError } from 'graphql';
import type { HttpTransport } from './negotiate';

/** How one HTTP transport writes a subscription's stream (sse.ts, multipart.ts). */
export interface StreamCodec {
  transport: HttpTransport;
  /** Key of this transport's encoding of an event, shared by its members (Member.deliverShared). */
  key: symbol;
  /** Headers of the 200 answer that opens the stream. */
  headers: Record<string, string>;
  /** Written right after the headers, if anything. */
  opening?: Buffer;
  /** An event's result, already serialized. */
  next(payload: Buffer): Buffer;
  /** Keeps the connection (and proxies in front) from going idle; ignored by clients. */
  heartbeat: Buffer;
  /** Milliseconds between heartbeats, given the configured keep-alive. */
  heartbeatMs(keepAliveMs: number): number;
  /** The end of a completed stream. */
  complete: Buffer;
  /** The operation's result is these errors (a refusal, a bad request): the last message, then the end. */
  refusal(errors: readonly GraphQLFormattedError[]): Buffer;
  /** The stream is cut short by the server (token expired, session revoked, shutdown): the last message, then the end. */
  fatal(errors: readonly GraphQLFormattedError[]): Buffer;
}
