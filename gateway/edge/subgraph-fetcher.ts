import http from 'node:http';
import https from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';

/** What RemoteGraphQLDataSource calls subgraphs with (@apollo/utils.fetcher's `Fetcher`). */
export type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type FetcherHeaders = FetcherResponse['headers'];

export interface SubgraphFetcherOptions {
  /** Connections kept open and used at once per subgraph origin; calls beyond it wait for one. Default 128. */
  maxConnections?: number;
  /**
   * How long an idle connection is kept for the next call. Default 15 000 ms: well under our
   * subgraphs' keep-alive (65 s, platform/http.ts), so the gateway never reuses a connection
   * the subgraph is closing; a subgraph announcing a shorter one (`Keep-Alive: timeout=`) is
   * heeded by node's agent.
   */
  idleMs?: number;
  /** Time to open a connection before the call fails with ETIMEDOUT. Default 5 000 ms. */
  connectTimeoutMs?: number;
  /** Time from sending a call to the last byte of its answer before it fails with ETIMEDOUT. Default 30 000 ms (the clients' own request timeout, platform/http.ts). */
  timeoutMs?: number;
}

export interface SubgraphFetcher extends Fetcher {
  /** Closes every connection (at shutdown, once no call is in flight). */
  close(): void;
}

/**
 * The subgraph calls' HTTP client: node:http over keep-alive agents, in place of
 * RemoteGraphQLDataSource's default stack (make-fetch-happen, minipass-fetch, @npmcli/agent),
 * which cost about a quarter of the gateway's CPU under load (issue 14). Answers are read
 * whole before the call resolves (GraphQL answers are parsed whole anyway).
 *
 * A call that gets no answer fails with node's own error codes (ECONNREFUSED, ECONNRESET, …)
 * or ETIMEDOUT for the timeouts above: errors/subgraph-failure.ts `isUnavailable` takes all of
 * them for SERVICE_UNAVAILABLE. Nothing is retried: a call that may have reached the subgraph
 * (a mutation) must not run twice; the client is told to retry instead.
 */
export function createSubgraphFetcher(options: SubgraphFetcherOptions = {}): SubgraphFetcher {
  const maxConnections = options.maxConnections ?? 128;
  const agentOptions: http.AgentOptions = {
    keepAlive: true,
    maxSockets: maxConnections,
    maxFreeSockets: maxConnections,
    timeout: options.idleMs ?? 15_000,
    scheduling: 'lifo',
  };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  // A gateway calls a handful of URLs: parse each once.
  const targets = new Map<string, Target>();

  const fetcher = (url: string, init: Parameters<Fetcher>[1] = {}): Promise<FetcherResponse> => {
    let target = targets.get(url);
    if (!target) {
      target = targetOf(url, agents);
      targets.set(url, target);
    }
    const body = init.body ?? '';
    const headers = { ...init.headers, 'content-length': String(Buffer.byteLength(body)) };
    return send(target, { method: init.method ?? 'GET', headers, body, signal: init.signal }, connectTimeoutMs, timeoutMs);
  };
  return Object.assign(fetcher, {
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  });
}

interface Target {
  url: string;
  request: typeof http.request;
  options: http.RequestOptions;
}

function targetOf(url: string, agents: { http: http.Agent; https: https.Agent }): Target {
  const u = new URL(url);
  const secure = u.protocol === 'https:';
  if (!secure && u.protocol !== 'http:') throw new Error(`subgraph URL ${url}: only http and https are supported`);
  return {
    url,
    request: secure ? https.request : http.request,
    options: {
      agent: secure ? agents.https : agents.http,
      protocol: u.protocol,
      hostname: u.hostname.replace(/^\[|\]$/g, ''),
      port: u.port || (secure ? 443 : 80),
      path: `${u.pathname}${u.search}`,
    },
  };
}

const timedOut = (what: string, ms: number, url: string) =>
  Object.assign(new Error(`subgraph call to ${url}: no ${what} within ${ms} ms`), { code: 'ETIMEDOUT' });

function send(
  target: Target,
  init: { method: string; headers: Record<string, string>; body: string | Buffer; signal?: AbortSignal },
  connectTimeoutMs: number,
  timeoutMs: number,
): Promise<FetcherResponse> {
  return new Promise((resolve, reject) => {
    if (init.signal?.aborted) return reject(init.signal.reason);
    const req = target.request({ ...target.options, method: init.method, headers: init.headers });
    let connectTimer: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => req.destroy(timedOut('answer', timeoutMs, target.url)), timeoutMs);
    const onAbort = () => req.destroy(init.signal!.reason);
    init.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(deadline);
      clearTimeout(connectTimer);
      init.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (err: Error) => {
      done();
      reject(err);
    };

    req.on('socket', (socket) => {
      if (!socket.connecting) return;
      connectTimer = setTimeout(() => req.destroy(timedOut('connection', connectTimeoutMs, target.url)), connectTimeoutMs);
      socket.once('connect', () => clearTimeout(connectTimer));
    });
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      // Cut mid-answer (the subgraph died or closed the connection): node may not say so as an error.
      res.on('close', () => {
        if (!res.complete) fail(Object.assign(new Error(`subgraph call to ${target.url}: answer cut short`), { code: 'ECONNRESET' }));
      });
      res.on('end', () => {
        done();
        const status = res.statusCode ?? 0;
        resolve(
          new BufferedResponse(
            target.url,
            status,
            res.statusMessage ?? '',
            new ResponseHeaders(res.headers),
            chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
          ),
        );
      });
    });
    req.end(init.body);
  });
}

/** A whole answer, as RemoteGraphQLDataSource reads it (status, headers, text or JSON body). */
class BufferedResponse implements FetcherResponse {
  bodyUsed = false;
  readonly redirected = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: FetcherHeaders,
    private readonly body: Buffer,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  async text(): Promise<string> {
    if (this.bodyUsed) throw new TypeError('body used already');
    this.bodyUsed = true;
    return this.body.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    if (this.bodyUsed) throw new TypeError('body used already');
    this.bodyUsed = true;
    return new Uint8Array(this.body).buffer;
  }

  clone(): FetcherResponse {
    return new BufferedResponse(this.url, this.status, this.statusText, this.headers, this.body);
  }
}

/** Node's parsed response headers (names lower-cased, repeats joined) behind the fetch Headers interface. */
class ResponseHeaders implements FetcherHeaders {
  constructor(private readonly headers: http.IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.headers[name.toLowerCase()] !== undefined;
  }

  set(name: string, value: string): void {
    this.headers[name.toLowerCase()] = value;
  }

  append(name: string, value: string): void {
    const current = this.get(name);
    this.set(name, current === null ? value : `${current}, ${value}`);
  }

  delete(name: string): void {
    delete this.headers[name.toLowerCase()];
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.headers)) {
      const value = this.get(name);
      if (value !== null) yield [name, value];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}
