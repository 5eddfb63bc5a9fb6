import type { InternalContext } from '../../platform/auth/internal-context';
import type { ClientSocket } from './client-socket';
import { viewerContext } from './principal';

/**
 * What a member writes to: a client WebSocket (ClientSocket), or an HTTP stream
 * (http/http-stream.ts, whose members encode events for their own transport).
 */
export type MemberSocket = Pick<ClientSocket, 'viewer' | 'send' | 'sendFramed'>;

const SUFFIX = Buffer.from('}');

/** A `next` message for subscription `id` around an already serialized payload. */
export function nextFrame(id: string, payload: Buffer): Buffer {
  const prefix = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
  return Buffer.concat([prefix, payload, SUFFIX], prefix.length + payload.length + 1);
}

/**
 * `nextFrame` already framed as one unmasked, unfragmented WebSocket text frame (RFC 6455 §5.2),
 * header and message in a single buffer. A group builds it once and every member's socket
 * writes it as it is: ws would otherwise frame it again per client and write header and
 * message as two chunks (cork, writev), the larger part of the gateway's CPU per event.
 */
export function nextWebSocketFrame(id: string, payload: Buffer): Buffer {
  const prefix = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
  const length = prefix.length + payload.length + 1;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN, opcode 1 (text)
  if (headerLength === 2) frame[1] = length;
  else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  prefix.copy(frame, headerLength);
  payload.copy(frame, headerLength + prefix.length);
  SUFFIX.copy(frame, headerLength + prefix.length + payload.length);
  return frame;
}

/**
 * One client subscription inside a group. Events are written straight to the socket as prebuilt
 * `next` frames: the payload is serialized once per group, only the `{"id":…}` envelope differs
 * per client (and clients mostly number their subscriptions alike, so the group builds one frame
 * per distinct id). The protocol (protocol.ts) keeps it in its connection's map of operations; an
 * HTTP stream (http/route.ts) holds its own.
 */
export class Member {
  protected ended = false;
  /** Set by the group that holds the member; called once when the client leaves. */
  leave?: () => void;
  /** Set by the protocol: the feed ended or failed, so the client is sent `complete`. */
  onEnd?: () => void;
  /** Told once when the subscription ends, whatever ends it (whenEnded). */
  private ending?: () => void;

  constructor(
    readonly socket: MemberSocket,
    readonly id: string,
    /** The connection's id, for the request id of the identity. */
    private readonly connectionId: string,
  ) {}

  /**
   * The client's own identity (its admission is asked as it; a group's stream is authorized as one
   * of its members). Built when asked, which is rarely, rather than kept by every member of a
   * classroom: it is the socket's viewer, decided once at `connection_init`.
   */
  get identity(): InternalContext {
    return viewerContext(this.socket.viewer!, `${this.connectionId}:${this.id}`);
  }

  /** Writes a `next` message with an already serialized payload. */
  deliver(payload: Buffer): void {
    if (!this.ended) this.socket.send(nextFrame(this.id, payload));
  }

  /** Writes a prebuilt `next` WebSocket frame (`nextWebSocketFrame` of this member's id), shared with other members. */
  send(frame: Buffer): void {
    if (!this.ended) this.socket.sendFramed(frame);
  }

  /**
   * Writes an event a group delivers to all its members. `shared` holds the encodings already
   * built for this event by other members, by key: a WebSocket member's key is its subscription
   * id (members mostly share a few), an HTTP transport's a symbol of its own (http-member.ts).
   */
  deliverShared(payload: Buffer, shared: Map<string | symbol, Buffer>): void {
    let frame = shared.get(this.id);
    if (!frame) shared.set(this.id, (frame = nextWebSocketFrame(this.id, payload)));
    this.send(frame);
  }

  /** The subscription is over (its feed ended or failed, or the client left): the protocol completes it. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const onEnd = this.onEnd;
    this.onEnd = undefined;
    onEnd?.();
    const ending = this.ending;
    this.ending = undefined;
    ending?.();
  }

  /**
   * Calls `fn` once the subscription is over, for any reason: the client completed it or left,
   * its feed ended or failed, the gateway shut down (every path goes through `end`). At once if it
   * is already over (the client left while it was being admitted). The engine frees the school's
   * slot with it (school-subscriptions.ts).
   */
  whenEnded(fn: () => void): void {
    if (this.ended) fn();
    else this.ending = fn;
  }

  /** The client completed the subscription or disconnected: it leaves its group, and is sent nothing more. */
  cancel(): void {
    const leave = this.leave;
    this.leave = undefined;
    this.onEnd = undefined;
    this.end();
    leave?.();
  }
}
