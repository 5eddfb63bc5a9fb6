import { Member } from '../member';
import type { HttpStream } from './http-stream';

/**
 * A subscriber over HTTP (SSE or multipart) in a group. Its events are encoded for its transport,
 * once per event for all the group's members of that transport, and written to its response;
 * when the group ends it, its stream completes. One subscription per request, so its id is fixed.
 */
export class HttpMember extends Member {
  constructor(
    readonly stream: HttpStream,
    /** The request's id, for the request id of the identity. */
    requestId: string,
  ) {
    super(stream, 'http', requestId);
  }

  override deliver(payload: Buffer): void {
    if (!this.ended) this.stream.send(this.stream.codec.next(payload));
  }

  override deliverShared(payload: Buffer, shared: Map<string | symbol, Buffer>): void {
    if (this.ended) return;
    const { codec } = this.stream;
    let chunk = shared.get(codec.key);
    if (!chunk) shared.set(codec.key, (chunk = codec.next(payload)));
    this.stream.sendFramed(chunk);
  }

  /** The group ended the subscription (its feed completed or failed), or the client left: the stream ends. */
  override end(): void {
    const wasEnded = this.ended;
    super.end();
    if (!wasEnded) this.stream.complete();
  }
}
