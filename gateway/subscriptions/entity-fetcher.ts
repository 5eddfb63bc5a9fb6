import http from 'node:http';
import https from 'node:https';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLFormattedError } from 'graphql';
import { INTERNAL_CONTEXT_HEADER } from '../../platform/auth/internal-context';
import type { Principal } from './principal';
import { remember } from './remember';
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
  /** Called once per entity answered from the short-lived cache instead of a fetch. */
  onCacheHit?: (service: string) => void;
  /** Default 10000 ms. */
  timeoutMs?: number;
  /**
   * How long an entity's answer is reused for the same principal, selection and representation,
   * counted from before its fetch was sent; 0 (default): never, each event fetches its own.
   */
  entityTtlMs?: number;
  /** Entities kept at most; the oldest go first. Default 10000. */
  maxEntities?: number;
  /** The clock entity answers age by (tests move it). Default Date.now. */
  now?: () => number;
}

interface Waiting {
  representations: unknown[];
  resolve(response: GatewayGraphQLResponse): void;
  reject(err: Error): void;
}

/**
 * One representation's answer, shared by every request for it until `expires`: kept as JSON so
 * that each taker gets its own copy (the executor merges into the objects it is handed).
 */
interface Kept {
  expires: number;
  answer: Promise<string>;
}

/** What a kept answer holds: the entity, or the errors it was answered with (never kept beyond its fetch). */
interface EntityAnswer {
  entity?: unknown;
  errors?: GraphQLFormattedError[];
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
 *
 * With `entityTtlMs`, an entity's answer is also reused by later events for that long, under the
 * same key (principal, selection, variables) plus the representation: a classroom's chat names
 * the same few people hundreds of times a second, and without it every event of every group asks
 * users again. The key holds the principal, so nothing is shared across schools or scopes; the
 * TTL (at most a second, SUBSCRIPTION_ENTITY_TTL_MS) bounds how long a rename can go unseen;
 * answers with errors and failed fetches are never kept.
 */
export class EntityFetcher implements GraphQLDataSource<EventContext> {
  private batches = new Map<string, Batch>();
  /** Kept entity answers by key + representation, oldest first (Map order). */
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly opts: EntityFetcherOptions) {}

  process({ request, context }: GraphQLDataSourceProcessOptions<EventContext>): Promise<GatewayGraphQLResponse> {
    const ctx = context as EventContext;
    const { representations, ...variables } = request.variables ?? {};
    if (!Array.isArray(representations)) return this.send(request.query!, request.operationName, request.variables ?? {}, ctx);
    const query = request.query!.replace(OPERATION_NAME, '$1');
    const key = `${ctx.principal.key}\n${query}\n${JSON.stringify(variables)}`;
    const batch = { key, query, variables, ctx };
    return (this.opts.entityTtlMs ?? 0) > 0 ? this.reusing(batch, representations) : this.enqueue(batch, representations);
  }

  /** The representations' answers, each from a kept answer when there is one, the rest fetched (batched). */
  private async reusing(batch: BatchOf, representations: unknown[]): Promise<GatewayGraphQLResponse> {
    const now = (this.opts.now ?? Date.now)();
    const answers = representations.map((rep) => {
      const k = `${batch.key}\n${JSON.stringify(rep)}`;
      const kept = this.kept.get(k);
      if (kept && kept.expires > now) {
        this.opts.onCacheHit?.(this.opts.service);
        return kept.answer;
      }
      // The expiry counts from now, before the fetch is sent: an answer never outlives the TTL from its read.
      const fetched = this.enqueue(batch, [rep]);
      const entry: Kept = { expires: now + this.opts.entityTtlMs!, answer: fetched.then(onlyEntity) };
      this.keep(k, entry);
      // An answer with errors, or a failure, serves only the requests already waiting for it.
      fetched.then(
        (response) => keepable(response) || this.forget(k, entry),
        () => this.forget(k, entry),
      );
      return entry.answer;
    });
    const parts = (await Promise.all(answers)).map((json) => JSON.parse(json) as EntityAnswer);
    const failed = parts.find((p) => !('entity' in p));
    if (failed) return { data: null, errors: failed.errors ?? [{ message: 'Invalid _entities answer' }] };
    // Each part's errors at `_entities.0` belong at its own index; others (not about one entity) once.
    const errors = new Map<string, GraphQLFormattedError>();
    parts.forEach((p, i) =>
      p.errors?.forEach((e) => {
        const at = e.path?.[0] === '_entities' ? { ...e, path: ['_entities', i, ...e.path.slice(2)] } : e;
        errors.set(JSON.stringify(at), at);
      }),
    );
    return { data: { _entities: parts.map((p) => p.entity) }, ...(errors.size ? { errors: [...errors.values()] } : {}) };
  }

  private keep(k: string, entry: Kept): void {
    this.kept.delete(k);
    remember(this.kept, k, entry, this.opts.maxEntities ?? 10_000);
  }

  private forget(k: string, entry: Kept): void {
    if (this.kept.get(k) === entry) this.kept.delete(k);
  }

  /** Joins (or starts) this turn's batch of requests with the same key. */
  private enqueue({ key, query, variables, ctx }: BatchOf, representations: unknown[]): Promise<GatewayGraphQLResponse> {
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

/** What identifies a batch: the key, and what its request is made of. */
interface BatchOf {
  key: string;
  query: string;
  variables: Record<string, unknown>;
  ctx: EventContext;
}

const entitiesOf = (response: GatewayGraphQLResponse) => (response.data as { _entities?: unknown[] } | null | undefined)?._entities;

/** A one-representation answer that later events may reuse: its entity, and no error. */
function keepable(response: GatewayGraphQLResponse): boolean {
  const entities = entitiesOf(response);
  return !response.errors?.length && Array.isArray(entities) && entities.length === 1;
}

/**
 * A one-representation answer as its takers parse it: `{"entity":…}` (with its errors, if any),
 * or `{"errors":…}` when the fetch gave no entity.
 */
function onlyEntity(response: GatewayGraphQLResponse): string {
  const entities = entitiesOf(response);
  const errors = response.errors?.length ? response.errors : undefined;
  if (!Array.isArray(entities) || entities.length !== 1)
    return JSON.stringify({ errors: errors ?? [{ message: 'Invalid _entities answer' }] });
  return JSON.stringify({ entity: entities[0], ...(errors ? { errors } : {}) });
}

/** Hands each waiting request its part of a combined `_entities` answer. */
function split(response: GatewayGraphQLResponse, waiting: Waiting[]): void {
  const entities = entitiesOf(response);
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
