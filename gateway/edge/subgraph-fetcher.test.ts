import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { createInternalContextSigner, createInternalContextVerifier, INTERNAL_CONTEXT_HEADER } from '../../platform/auth/internal-context';
import { generatePrivateJwk, keySetFromJwks, publicJwk } from '../../platform/auth/keys';
import { isUnavailable } from '../errors/subgraph-failure';
import type { GatewayContext } from './context';
import { createSubgraphFetcher, type SubgraphFetcher } from './subgraph-fetcher';
import { SubgraphSource } from './subgraph-source';

/** A stand-in subgraph: answers as `handle` says and counts the connections it was opened. */
async function fakeSubgraph(handle: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void) {
  let connections = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handle(req, body, res));
  });
  server.keepAliveTimeout = 65_000;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    url,
    server,
    connections: () => connections,
    /** Stops listening and cuts every connection: the subgraph is gone. */
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
type FakeSubgraph = Awaited<ReturnType<typeof fakeSubgraph>>;

const answer = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** What a call rejected with. */
const failureOf = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => err as { code?: string; message: string },
  );

describe('subgraph fetcher', () => {
  const fetchers: SubgraphFetcher[] = [];
  const subgraphs: FakeSubgraph[] = [];
  const fetcherOf = (options?: Parameters<typeof createSubgraphFetcher>[0]) => {
    const fetcher = createSubgraphFetcher(options);
    fetchers.push(fetcher);
    return fetcher;
  };
  const subgraph = async (handle: Parameters<typeof fakeSubgraph>[0]) => {
    const s = await fakeSubgraph(handle);
    subgraphs.push(s);
    return s;
  };
  afterEach(async () => {
    for (const f of fetchers.splice(0)) f.close();
    for (const s of subgraphs.splice(0)) if (s.server.listening) await s.stop();
  });

  const post = (fetcher: SubgraphFetcher, url: string, body = '{"query":"{ __typename }"}') =>
    fetcher(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'r1' }, body });

  it('sends the call as given and reads the whole answer, over one kept-alive connection', async () => {
    const seen: Array<{ method?: string; path?: string; headers: http.IncomingHttpHeaders; body: string }> = [];
    const s = await subgraph((req, body, res) => {
      seen.push({ method: req.method, path: req.url, headers: req.headers, body });
      res.setHeader('cache-control', 'max-age=30, public');
      answer(res, 200, { data: { n: seen.length, text: 'مرحبا' } });
    });
    const fetcher = fetcherOf();
    for (let i = 1; i <= 3; i++) {
      const r = await post(fetcher, s.url, `{"query":"{ __typename }","n":${i}}`);
      expect([r.ok, r.status, r.url]).toEqual([true, 200, s.url]);
      expect(r.headers.get('Content-Type')).toBe('application/json');
      expect(r.headers.get('cache-control')).toBe('max-age=30, public');
      expect(await r.json()).toEqual({ data: { n: i, text: 'مرحبا' } });
    }
    expect(seen[2]).toMatchObject({
      method: 'POST',
      path: '/graphql',
      body: '{"query":"{ __typename }","n":3}',
      headers: { 'content-type': 'application/json', 'x-request-id': 'r1', connection: 'keep-alive' },
    });
    expect(s.connections()).toBe(1);
  });

  it('opens at most maxConnections at once; the other calls wait for one', async () => {
    let inFlight = 0;
    let most = 0;
    const s = await subgraph((_req, _body, res) => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => {
        inFlight--;
        answer(res, 200, { data: {} });
      }, 20);
    });
    const fetcher = fetcherOf({ maxConnections: 3 });
    const answers = await Promise.all(Array.from({ length: 12 }, () => post(fetcher, s.url)));
    expect(answers.every((r) => r.ok)).toBe(true);
    expect(most).toBe(3);
    expect(s.connections()).toBe(3);
  });

  it('goes on over a new connection when the subgraph closed an idle one', async () => {
    const s = await subgraph((_req, _body, res) => answer(res, 200, { data: {} }));
    const fetcher = fetcherOf();
    await post(fetcher, s.url);
    s.server.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await post(fetcher, s.url)).ok).toBe(true);
    expect(s.connections()).toBe(2);
  });

  it('hands HTTP error answers back as answers (RemoteGraphQLDataSource decides)', async () => {
    const s = await subgraph((_req, _body, res) => answer(res, 503, { errors: [{ message: 'overloaded' }] }));
    const r = await post(fetcherOf(), s.url);
    expect([r.ok, r.status, r.statusText]).toEqual([false, 503, 'Service Unavailable']);
    expect(await r.text()).toBe('{"errors":[{"message":"overloaded"}]}');
  });

  describe('a call that gets no answer fails as unavailable', () => {
    it('the subgraph stopped: connection refused', async () => {
      const s = await subgraph((_req, _body, res) => answer(res, 200, { data: {} }));
      const fetcher = fetcherOf();
      expect((await post(fetcher, s.url)).ok).toBe(true);
      await s.stop();
      await new Promise((resolve) => setTimeout(resolve, 50)); // the kept connection's close reaches the client
      const err = await failureOf(post(fetcher, s.url));
      expect(err.code).toBe('ECONNREFUSED');
      expect(isUnavailable(err)).toBe(true);
    });

    it('the subgraph stopped just now: its kept connection reset, or refused', async () => {
      const s = await subgraph((_req, _body, res) => answer(res, 200, { data: {} }));
      const fetcher = fetcherOf();
      expect((await post(fetcher, s.url)).ok).toBe(true);
      await s.stop();
      // The kept connection may be handed out before its close is read: not retried (a mutation
      // may have reached the subgraph), reported as unavailable all the same.
      const err = await failureOf(post(fetcher, s.url));
      expect(['ECONNRESET', 'ECONNREFUSED', 'EPIPE']).toContain(err.code);
      expect(isUnavailable(err)).toBe(true);
    });

    it('the connection dropped before the answer: reset', async () => {
      const s = await subgraph((req) => req.socket.destroy());
      const err = await failureOf(post(fetcherOf(), s.url));
      expect(err.code).toBe('ECONNRESET');
      expect(isUnavailable(err)).toBe(true);
    });

    it('the answer cut short', async () => {
      const s = await subgraph((_req, _body, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"data":');
        setTimeout(() => res.socket?.destroy(), 20);
      });
      const err = await failureOf(post(fetcherOf(), s.url));
      expect(err.code).toBe('ECONNRESET');
      expect(isUnavailable(err)).toBe(true);
    });

    it('no answer in time: timed out, and the connection is not reused', async () => {
      let calls = 0;
      const s = await subgraph((_req, _body, res) => {
        if (++calls === 1) return; // never answers
        answer(res, 200, { data: {} });
      });
      const fetcher = fetcherOf({ timeoutMs: 150 });
      const started = Date.now();
      const err = await failureOf(post(fetcher, s.url));
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(err.code).toBe('ETIMEDOUT');
      expect(err.message).not.toContain('undefined');
      expect(isUnavailable(err)).toBe(true);
      expect((await post(fetcher, s.url)).ok).toBe(true);
      expect(s.connections()).toBe(2);
    });

    it('aborted by its signal', async () => {
      const s = await subgraph(() => undefined);
      const controller = new AbortController();
      const call = failureOf(fetcherOf()(s.url, { method: 'POST', body: '{}', signal: controller.signal }));
      setTimeout(() => controller.abort(), 20);
      expect(isUnavailable(await call)).toBe(true);
    });
  });

  describe('as the fetcher of a SubgraphSource', () => {
    let sign: ReturnType<typeof createInternalContextSigner>;
    let verify: ReturnType<typeof createInternalContextVerifier>;
    beforeAll(async () => {
      const jwk = await generatePrivateJwk();
      sign = createInternalContextSigner(await keySetFromJwks({ keys: [jwk] }));
      verify = createInternalContextVerifier({ keys: [publicJwk(jwk)] }, 'courses');
    });
    const context: GatewayContext = {
      requestId: 'req-1',
      ip: '10.0.0.7',
      tenant: { id: 't1', slug: 'demo' } as GatewayContext['tenant'],
      locale: 'en',
    };
    /** One fetch of a client's operation, as the gateway's executor makes it. */
    const operation = (query: string) =>
      ({
        kind: 'incoming operation',
        request: { query, variables: {} },
        incomingRequestContext: { overallCachePolicy: undefined },
        context,
      }) as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;

    it('calls the subgraph with the signed context and request id, and returns its answer', async () => {
      let token: string | undefined;
      let requestId: string | undefined;
      const s = await subgraph((req, _body, res) => {
        token = req.headers[INTERNAL_CONTEXT_HEADER] as string;
        requestId = req.headers['x-request-id'] as string;
        answer(res, 200, { data: { courses: [] } });
      });
      const source = new SubgraphSource('courses', s.url, sign, undefined, { fetcher: fetcherOf() });
      const response = await source.process(operation('{ courses { id } }'));
      expect(response.data).toEqual({ courses: [] });
      expect(requestId).toBe('req-1');
      expect(await verify(token)).toMatchObject({ tenant: { id: 't1', slug: 'demo' }, ip: '10.0.0.7' });
    });

    it('answers SERVICE_UNAVAILABLE on the fields of a subgraph that stopped, INTERNAL_SERVER_ERROR on a 500', async () => {
      let status = 500;
      const s = await subgraph((_req, _body, res) => answer(res, status, { errors: [{ message: 'boom at /srv/app.js' }] }));
      const source = new SubgraphSource('courses', s.url, sign, undefined, { fetcher: fetcherOf() });
      expect((await source.process(operation('{ courses { id } }'))).errors).toEqual([
        { message: 'Internal server error', path: ['courses'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ]);
      status = 503;
      expect((await source.process(operation('{ courses { id } }'))).errors).toEqual([
        expect.objectContaining({ path: ['courses'], extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }) }),
      ]);
      await s.stop();
      expect((await source.process(operation('{ courses { id } teacher: course { id } }'))).errors).toEqual([
        {
          message: 'The courses service is unavailable; try again shortly',
          path: ['courses'],
          extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5 },
        },
        expect.objectContaining({ path: ['teacher'], extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }) }),
      ]);
    });
  });
});
