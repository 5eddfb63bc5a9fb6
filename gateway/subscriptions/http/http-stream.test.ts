import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { readMultipart } from '../../../testkit/subscriptions/http-clients';
import { createSubscriptionMetrics } from '../metrics';
import type { Viewer } from '../principal';
import type { StreamCodec } from './codec';
import { HttpStream } from './http-stream';
import { multipart } from './multipart';
import { sse } from './sse';
import { createHttpStreamGauge, HttpStreamRegistry } from './stream-registry';

const viewer = (sessionId: string): Viewer => ({
  tenant: { id: 'school-1', slug: 'demo' },
  user: { id: 'user-1', roles: ['STUDENT'], sessionId, expiresAt: Math.floor(Date.now() / 1000) + 600 },
  ip: '127.0.0.1',
});

/**
 * The streams the gateway ends on its own, without a subgraph: at shutdown, when a login
 * session is revoked, and a client that does not read (slow consumer), on both transports,
 * read by real HTTP clients.
 */
describe('HTTP subscription streams', () => {
  let server: http.Server;
  let url: string;
  let accepted: (res: http.ServerResponse) => void;
  const revocations: Array<(sessionId: string) => void> = [];
  const registry = new Registry();
  const metrics = createSubscriptionMetrics(registry);
  const streams = new HttpStreamRegistry(
    { onRevoked: (fn) => (revocations.push(fn), () => undefined) },
    metrics,
    createHttpStreamGauge(registry),
  );

  beforeAll(async () => {
    server = http.createServer((_req, res) => accepted(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** A client request and the server's stream for it, admitted and tracked. */
  async function open(codec: StreamCodec, sessionId: string, maxBufferedBytes = 1 << 20) {
    const response = new Promise<http.ServerResponse>((resolve) => (accepted = resolve));
    const control = new AbortController();
    const client = fetch(url, { signal: control.signal });
    const stream = new HttpStream(codec, await response, viewer(sessionId), {
      maxBufferedBytes,
      keepAliveMs: 60_000,
      onSlow: () => undefined,
    });
    stream.start();
    streams.track(stream, 'en');
    return { stream, res: await client, control };
  }

  it('ends every stream with SERVICE_UNAVAILABLE at shutdown, or on a revoked session with UNAUTHENTICATED', async () => {
    const sseRevoked = await open(sse, 'revoked');
    const multipartRevoked = await open(multipart, 'revoked');
    const kept = await open(sse, 'kept');
    revocations.forEach((fn) => fn('revoked'));
    expect(await sseRevoked.res.text()).toBe(
      'event: next\ndata: {"errors":[{"message":"Session has ended; sign in again","extensions":{"code":"UNAUTHENTICATED"}}]}\n\n' +
        'event: complete\ndata: \n\n',
    );
    const parts: unknown[] = [];
    await readMultipart(multipartRevoked.res, multipartRevoked.res.headers.get('content-type')!, (p) => void parts.push(p));
    expect(parts).toEqual([
      { payload: null, errors: [{ message: 'Session has ended; sign in again', extensions: { code: 'UNAUTHENTICATED' } }] },
    ]);
    expect(kept.stream.open).toBe(true);

    const closing = streams.closeAll(5000);
    expect(await kept.res.text()).toContain('"extensions":{"code":"SERVICE_UNAVAILABLE","retryAfterSeconds":1}');
    await closing;
    expect(streams.size).toBe(0);
    expect((await registry.getSingleMetricAsString('subscription_http_streams')).match(/ 0$/gm)).toHaveLength(2);
  });

  it('cuts a client that does not read once its unsent bytes pass the limit', async () => {
    const { stream, control } = await open(sse, 'slow', 64 * 1024);
    const event = Buffer.from(`{"data":{"text":"${'x'.repeat(16 * 1024)}"}}`);
    // The client reads nothing: the socket's buffers fill, then the response's own.
    for (let i = 0; i < 10_000 && stream.open; i++) stream.sendFramed(sse.next(event));
    expect(stream.open).toBe(false);
    expect(stream.res.destroyed).toBe(true);
    control.abort();
  });
});
