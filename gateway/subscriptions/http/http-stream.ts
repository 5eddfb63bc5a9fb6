import type { ServerResponse } from 'node:http';
import type { GraphQLFormattedError } from 'graphql';
import type { MemberSocket } from '../member';
import type { Viewer } from '../principal';
import type { StreamCodec } from './codec';

export interface HttpStreamOptions {
  /** Bytes a client may leave unsent before it is cut as a slow consumer (SUBSCRIPTION_BUFFER_BYTES). */
  maxBufferedBytes: number;
  /** The configured keep-alive; each transport derives its heartbeat interval from it. */
  keepAliveMs: number;
  /** After the last message of a stream the server ends, how long before the connection is cut. Default 5000 ms. */
  closeGraceMs?: number;
  /** Called once when the client is cut for being slow. */
  onSlow(): void;
}

/**
 * One subscription over HTTP: the response stream, written in its transport's encoding, with
 * the same rules as a WebSocket client: writes never wait for the client, what it leaves unsent
 * is bounded (past the bound the connection is cut: the client resubscribes with `after`), and a
 * stream the server ends is cut if the client does not read its end. The headers go out with the
 * first write or once the subscription is admitted, whichever comes first: a group that replays
 * its log delivers to a new member before its admission has returned.
 */
export class HttpStream implements MemberSocket {
  private started = false;
  private finished = false;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    readonly codec: StreamCodec,
    readonly res: ServerResponse,
    readonly viewer: Viewer,
    private readonly opts: HttpStreamOptions,
  ) {
    res.once('close', () => {
      this.finished = true;
      clearInterval(this.heartbeat);
    });
  }

  /** The stream can still be written: neither ended by the server nor closed by the client. */
  get open(): boolean {
    return !this.finished && !this.res.destroyed;
  }

  /** Sends the 200 head (once) and starts the heartbeat. */
  start(): void {
    if (this.started || !this.open) return;
    this.started = true;
    this.res.writeHead(200, this.codec.headers);
    if (this.codec.opening) this.res.write(this.codec.opening);
    else this.res.flushHeaders();
    this.heartbeat = setInterval(() => this.send(this.codec.heartbeat), this.codec.heartbeatMs(this.opts.keepAliveMs));
    this.heartbeat.unref();
  }

  /** Writes an encoded message of this stream's transport, or cuts a client that has too much unsent. */
  send(chunk: Buffer | string): void {
    if (!this.open) return;
    this.start();
    // The response's own buffer plus its socket's: what the client has not read yet.
    if (this.res.writableLength > this.opts.maxBufferedBytes) {
      this.opts.onSlow();
      this.cut();
      return;
    }
    this.res.write(chunk);
  }

  /** Writes a message encoded once for every member of a group (Member.deliverShared): the same as `send` over HTTP. */
  sendFramed(chunk: Buffer): void {
    this.send(chunk);
  }

  /** The subscription is over: the transport's end. */
  complete(): void {
    this.end(this.codec.complete);
  }

  /** The operation's only result is these errors (refused, or not valid). */
  refuse(errors: readonly GraphQLFormattedError[]): void {
    this.end(this.codec.refusal(errors));
  }

  /** The server ends the stream early (token expired, session revoked, shutdown). */
  fail(errors: readonly GraphQLFormattedError[]): void {
    this.end(this.codec.fatal(errors));
  }

  /** Drops the connection without a word (a slow consumer, or a client that did not read its end in time). */
  cut(): void {
    this.finished = true;
    clearInterval(this.heartbeat);
    this.res.destroy();
  }

  private end(last: Buffer): void {
    if (!this.open) return;
    this.start();
    this.finished = true;
    clearInterval(this.heartbeat);
    this.res.end(last);
    // A client that stopped reading never lets the end through: cut it after a grace period.
    const cut = setTimeout(() => this.res.destroy(), this.opts.closeGraceMs ?? 5000);
    cut.unref();
    this.res.once('close', () => clearTimeout(cut));
  }
}
