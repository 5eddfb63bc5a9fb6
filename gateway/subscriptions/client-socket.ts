import type http from 'node:http';
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import { CloseCodes } from './close-codes';
import type { Member } from './member';
import type { Viewer } from './principal';

export interface ClientSocketOptions {
  /**
   * Bytes a client may leave unsent (its socket's userland buffer) before it is disconnected
   * with CloseCodes.slowConsumer; writes never wait for a client, so one slow reader cannot
   * hold up the others. Default 4 MiB.
   */
  maxBufferedBytes?: number;
  /** After a close frame is queued, how long before the socket is cut (a stalled reader never reads it). Default 5000 ms. */
  closeGraceMs?: number;
  /** Called once when the client is dropped for being slow. */
  onSlow?: () => void;
}

/** What a connection is opened with (protocol-binding.ts). */
export interface ConnectionInfo {
  /** The upgrade request's headers (tenant host, client name): read at `connection_init`, then dropped. */
  headers: http.IncomingHttpHeaders;
  /** The client's address (trusted proxies applied), for the per-IP limit at `connection_init`. */
  ip: string;
  /** For the request ids of the identity the connection's subscriptions are admitted as. */
  connectionId: string;
}

/** One client connection: bounded writes and a single, explicit close, and its protocol state (protocol.ts). */
export class ClientSocket {
  /** Set once connection_init is accepted. */
  viewer?: Viewer;
  /**
   * The upgrade request's headers until `connection_init` is answered; not the request itself,
   * which would keep its stream state and raw headers for as long as the connection lives.
   */
  headers?: http.IncomingHttpHeaders;
  readonly ip: string;
  readonly connectionId: string;
  /** The client's name (`apollographql-client-name` header), kept for usage reporting. */
  clientName?: string;
  /** `connection_init` arrived (a second one closes the connection). */
  initReceived = false;
  /** True once `connection_ack` is due: subscribe messages are served from then on. */
  acknowledged = false;
  /** The client's subscriptions by id (protocol.ts); null while one is being prepared. Made by the first. */
  operations?: Map<string, Member | null>;
  /** For the keep-alive sweep: false once a ping is unanswered. */
  alive = true;
  private closing = false;

  constructor(
    readonly ws: WebSocket,
    private readonly opts: ClientSocketOptions = {},
    info: ConnectionInfo = { headers: {}, ip: '', connectionId: '' },
  ) {
    this.headers = info.headers;
    this.ip = info.ip;
    this.connectionId = info.connectionId;
  }

  get open(): boolean {
    return !this.closing && this.ws.readyState === this.ws.OPEN;
  }

  /** Queues a text frame, or disconnects the client when what it left unsent is past the limit. */
  send(frame: Buffer | string): void {
    if (!this.open) return;
    if (this.ws.bufferedAmount > (this.opts.maxBufferedBytes ?? 4 * 1024 * 1024)) {
      this.close(CloseCodes.slowConsumer);
      this.opts.onSlow?.();
      return;
    }
    this.ws.send(frame, { binary: false });
  }

  /**
   * Writes a complete WebSocket text frame (`nextWebSocketFrame`) straight to the TCP socket,
   * under the same limit as `send`. Equivalent to `send` of its message because the server
   * negotiates no extension (perMessageDeflate: false, protocol-binding.ts) and sends no Blob, so
   * ws never holds frames back in a queue of its own that this write could overtake; its
   * `bufferedAmount` counts these bytes too (it reads the socket's buffer).
   */
  sendFramed(frame: Buffer): void {
    if (!this.open) return;
    if (this.ws.bufferedAmount > (this.opts.maxBufferedBytes ?? 4 * 1024 * 1024)) {
      this.close(CloseCodes.slowConsumer);
      this.opts.onSlow?.();
      return;
    }
    const socket = (this.ws as unknown as { _socket?: Socket })._socket;
    if (socket) socket.write(frame);
    else this.ws.send(frame.subarray(frameHeaderLength(frame)), { binary: false });
  }

  close(code: { code: number; reason: string }, reason: string = code.reason): void {
    if (this.closing) return;
    this.closing = true;
    if (this.ws.readyState === this.ws.CLOSED) return;
    this.ws.close(code.code, reason.slice(0, 120));
    const cut = setTimeout(() => this.ws.terminate(), this.opts.closeGraceMs ?? 5000);
    this.ws.once('close', () => clearTimeout(cut));
  }
}

/** The header length of an unmasked frame built by `nextWebSocketFrame`. */
function frameHeaderLength(frame: Buffer): number {
  const length = frame[1]! & 0x7f;
  return length < 126 ? 2 : length === 126 ? 4 : 10;
}
