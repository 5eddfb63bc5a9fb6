import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
}

export interface StubAnswer {
  status?: number;
  /** An object is sent as JSON; a string as text. */
  body?: unknown;
}

export interface StubServer {
  url: string;
  /** Every request received, in order. */
  requests: StubRequest[];
  /**
   * While set, every request answers 503 (a provider that is up but failing); `'refuse'` makes the
   * server drop connections instead (a provider that cannot be reached).
   */
  outage: false | 503 | 'refuse';
  close(): Promise<void>;
}

/** A loopback HTTP server answering with `route` (404 when it returns undefined), for provider stand-ins. */
export async function startStub(
  route: (req: StubRequest) => StubAnswer | undefined | Promise<StubAnswer | undefined>,
): Promise<StubServer> {
  const requests: StubRequest[] = [];
  const stub: StubServer = {
    url: '',
    requests,
    outage: false,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    if (stub.outage === 'refuse') {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const text = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      const request: StubRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        text,
        json,
      };
      requests.push(request);
      if (stub.outage === 503) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
        return;
      }
      try {
        const answer = (await route(request)) ?? { status: 404, body: { detail: 'Not found' } };
        const isText = typeof answer.body === 'string';
        res
          .writeHead(answer.status ?? 200, { 'content-type': isText ? 'text/plain' : 'application/json' })
          .end(isText ? (answer.body as string) : JSON.stringify(answer.body ?? {}));
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}
