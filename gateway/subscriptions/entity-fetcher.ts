import http from 'node:http';
import https from 'node:https';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLFormattedError } from 'graphql';
import { INTERNAL_CONTEXT_HEADER } from '../../platform/auth/internal-context';
import type { Principal } from './principal';
import type { SignedContexts } from './signed-contexts';

/** `query Name__users__1(` → `query(`: the planner names every fetch node, even identical ones. */
const OPERATION_NAME = /^(\s*query)\s+[_A-Za-z][_0-9A-Za-z]*/;

/** The executor's context while it resolves one event of a group. */
export interface EventContext {
  principal: Principal;
  requestId: string;
}

export interface EntityFetcherOptions {
  service: string;
  /** The subgraph's GraphQL URL, looked up on every fetch (it follows supergraph reloads). */
  url: () => string;
  contexts: SignedContexts;
  /** Keep-alive agents shared by every subgraph; they bound the sockets per host. */
  agents: { http: http.Agent; https: https.Agent };
  /** Called once per HTTP request sent (metrics, and the tests' fetch count). */
  onFetch: (service: string) => void;
  /** Default 10000 ms. */
  timeoutMs?: number;
}

interface Waiting {
  representations: unknown[];
  resolve(response: GatewayGraphQLResponse): void;
  reject(err: Error): void;
}

interface Batch {
  /** The query without its operation name: fetch nodes that differ only by name share a batch. */
  query: string;
  /** Every variable but `representations`: equal in all waiting requests. */
  variables: Record<string, unknown>;
  context: EventContext;
  waiting: Waiting[];
}

/**
 * The data source for the per-event `_entities` fetches of subscriptions. Requests for the same
 * selection, variables and principal made in one turn of the event loop go out as one request
 * with all their representations, and each gets its slice back: the fetch nodes of one event
 * that ask the same subgraph the same thing at different paths (`actor` and `course.teacher`),
 * and the events of many groups resolved together. Plain `node:http` keep-alive: RemoteGraphQLDataSource costs about three times the
 * CPU per fetch (reference/subscriptions.md §11).
 */
export class EntityFetcher implements GraphQLDataSource<EventContext> {
  private batches = new Map<string, Batch>();

  constructor(private readonly opts: EntityFetcherOptions) {}

  process({ request, context }: GraphQLDataSourceProcessOptions<EventContext>): Promise<GatewayGraphQLResponse> {
    const ctx = context as EventContext;
    const { representations, ...variables } = request.variables ?? {};
    if (!Array.isArray(representations)) return this.send(request.query!, request.operationName, request.variables ?? {}, ctx);
    const query = request.query!.replace(OPERATION_NAME, '$1');
    const key = `${ctx.principal.key}\n${query}\n${JSON.stringify(variables)}`;
    let batch = this.batches.get(key);
    if (!batch) {
      if (this.batches.size === 0) setImmediate(() => this.flush());
      batch = { query, variables, context: ctx, waiting: [] };
      this.batches.set(key, batch);
    }
    const target = batch;
    return new Promise((resolve, reject) => target.waiting.push({ representations, resolve, reject }));
  }

  private flush(): void {
    const batches = [...this.batches.values()];
    this.batches = new Map();
    for (const batch of batches) {
      const all = batch.waiting.flatMap((w) => w.representations);
      this.send(batch.query, undefined, { ...batch.variables, representations: all }, batch.context).then(
        (response) => split(response, batch.waiting),
        (err: Error) => batch.waiting.forEach((w) => w.reject(err)),
      );
    }
  }

  private async send(
    query: string,
    operationName: string | undefined,
    variables: Record<string, unknown>,
    ctx: EventContext,
  ): Promise<GatewayGraphQLResponse> {
    const token = await this.opts.contexts.for(ctx.principal, this.opts.service);
    this.opts.onFetch(this.opts.service);
    return postJson(
      new URL(this.opts.url()),
      JSON.stringify({ query, operationName, variables }),
      {
        [INTERNAL_CONTEXT_HEADER]: token,
        'x-request-id': ctx.requestId,
      },
      this.opts.agents,
      this.opts.timeoutMs ?? 10_000,
    );
  }
}

/** Hands each waiting request its part of a combined `_entities` answer. */
function split(response: GatewayGraphQLResponse, waiting: Waiting[]): void {
  const entities = (response.data as { _entities?: unknown[] } | null | undefined)?._entities;
  const total = waiting.reduce((n, w) => n + w.representations.length, 0);
  if (!Array.isArray(entities) || entities.length !== total) {
    for (const w of waiting) w.resolve({ data: null, errors: response.errors ?? [{ message: 'Invalid _entities answer' }] });
    return;
  }
  let offset = 0;
  for (const w of waiting) {
    const start = offset;
    const end = (offset += w.representations.length);
    const errors: GraphQLFormattedError[] = [];
    for (const error of response.errors ?? []) {
      const index = error.path?.[0] === '_entities' ? error.path[1] : undefined;
      if (typeof index !== 'number') errors.push(error);
      else if (index >= start && index < end) errors.push({ ...error, path: ['_entities', index - start, ...error.path!.slice(2)] });
    }
    w.resolve({ data: { _entities: entities.slice(start, end) }, ...(errors.length ? { errors } : {}) });
  }
}

export function postJson(
  url: URL,
  body: string,
  headers: Record<string, string>,
  agents: { http: http.Agent; https: https.Agent },
  timeoutMs: number,
): Promise<GatewayGraphQLResponse> {
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(
      url,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        timeout: timeoutMs,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve(JSON.parse(text) as GatewayGraphQLResponse);
          } catch {
            reject(new Error(`subgraph answered ${res.statusCode} without JSON`));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`subgraph did not answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
