import { createHash } from 'node:crypto';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLSchema } from 'graphql';
import type Redis from 'ioredis';
import type { Registry } from 'prom-client';
import type { Consumer, MessageBroker } from '../../platform/broker/message-broker';
import type { Logger } from '../../platform/logger';
import type { DomainEvent } from '../../platform/outbox/domain-event';
import { internalContextOf, type GatewayContext } from '../edge/context';
import { analyzeOperation, FetchAnalyzer, type Analysis, type Cacheable } from './analysis';
import { clientCacheControl } from './client-cache-control';
import { hintOf, type FetchHint } from './hint';
import { changedBy, INVALIDATING_EVENTS, type ChangedEntity } from './invalidation';
import { Lru } from './lru';
import { createCacheMetrics } from './metrics';
import { DEFAULT_CACHE_POLICY, type CachePolicy, type CacheScope } from './policy';
import { createMemoryStore, createRedisStore, type CacheStore } from './store';

export interface GatewayCacheConfig {
  /** Entity, fetch and response caching (GATEWAY_CACHE). Default false. */
  enabled: boolean;
  /** In-flight deduplication of identical subgraph fetches (GATEWAY_DEDUP). Default false. */
  dedup: boolean;
  /** Entries the in-process store keeps (no Redis). Default 10000. */
  maxEntries?: number;
  /** What may be cached. Default DEFAULT_CACHE_POLICY (policy.ts). */
  policy?: CachePolicy;
}

export interface GatewayCacheDeps {
  /** The shared store; this process's memory when absent. */
  redis?: Redis;
  /** Prefix of every Redis key (REDIS_KEY_PREFIX). */
  keyPrefix: string;
  /** Where the domain events that invalidate come from. */
  broker: MessageBroker;
  /** The broker queue the gateway consumes them from. */
  queue: string;
  registry: Registry;
  logger: Logger;
}

export interface GatewayCache {
  /** The subgraph's data source with the cache and deduplication in front (itself when both are off). */
  wrap(name: string, source: GraphQLDataSource<GatewayContext>): GraphQLDataSource<GatewayContext>;
  /** Every supergraph version: what the allow-list is checked against. */
  updateSchema(apiSchema: GraphQLSchema, supergraphSdl: string): void;
  /** `no-store` on every answer to clients; whole responses of cacheable queries (when caching is on). */
  plugins: ApolloServerPlugin<GatewayContext>[];
  /** Starts consuming invalidating events (when caching is on). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What one client request's fetches told about it, for its response entry. */
interface RequestRecord {
  /** Tag → value, as read before the data of each of its fetches was. */
  versions: Record<string, string>;
  /** A fetch (or the store) could not be cached: neither can the response. */
  uncacheable: boolean;
  /** A fetch was scoped to the user (by the allow-list, or marked private by its subgraph). */
  userScoped: boolean;
  /** Seconds the response may be kept: the least time left of any of its fetches' answers. */
  maxAge: number;
  /** Where its response goes, once known cacheable; set only by a miss of the response cache. */
  responseEntry?: { key: string; scope: CacheScope; analysisKey: string };
  servedFromCache: boolean;
}

interface Flight {
  joiners: number;
  result: Promise<{ response: GatewayGraphQLResponse; json?: string; hint?: FetchHint }>;
}

/** What a fetch answered, whether it rode on another caller's, and the subgraph's hint for its answer. */
interface Fetched {
  response: GatewayGraphQLResponse;
  joined: boolean;
  hint?: FetchHint;
}

type Options = GraphQLDataSourceProcessOptions<GatewayContext>;
type Ctx = Partial<GatewayContext>;

const sha = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('base64url');
const plain = (r: GatewayGraphQLResponse) => ({ data: r.data, errors: r.errors, extensions: r.extensions });
const ENTITIES = '_entities';

/**
 * Entity and response caching and in-flight deduplication, in front of the subgraph data sources
 * and Apollo Server (see README in this folder: keys, scope rule, TTLs, invalidation).
 */
export function createGatewayCache(config: GatewayCacheConfig, deps: GatewayCacheDeps): GatewayCache {
  const policy = config.policy ?? DEFAULT_CACHE_POLICY;
  const metrics = createCacheMetrics(deps.registry);
  const store: CacheStore = deps.redis ? createRedisStore(deps.redis) : createMemoryStore(config.maxEntries ?? 10_000);
  const prefix = `${deps.keyPrefix}cache:`;
  const EPOCH = `${prefix}t:epoch`;
  const tagKey = (tenant: string, type: string, id?: string) => `${prefix}t:${tenant}:${type}${id === undefined ? '' : `:${id}`}`;
  const entryKey = (tenant: string, parts: unknown[]) => `${prefix}e:${tenant}:${sha([schemaId, ...parts])}`;

  let analyzer: FetchAnalyzer | undefined;
  let schemaId = '';
  const responseAnalyses = new Lru<string, Cacheable | null>(2_000);
  /**
   * Subgraph documents (`<subgraph>\n<query>`) and client operations (their analysis key) whose
   * answer came back `private` while the allow-list said ROLES: looked up and stored under the
   * user's scope from then on (the subgraph's hint is only known once it has answered).
   */
  const privateFetches = new Lru<string, true>(5_000);
  const privateResponses = new Lru<string, true>(2_000);
  const records = new WeakMap<object, RequestRecord>();
  const inflight = new Map<string, Flight>();
  /** Per school, moves on every change this gateway hears of: a fetch started before never takes a caller who came after. */
  const changes = new Map<string, number>();
  const changed = (tenant: string) => changes.set(tenant, (changes.get(tenant) ?? 0) + 1);
  /** An invalidation did not reach the store: nothing in it is trusted until the epoch is renewed. */
  let distrusted = false;
  let renewing: Promise<boolean> | undefined;
  let consumer: Consumer | undefined;

  /** Caching on, and its invalidating events flowing (off when their queue could not be consumed). */
  let caching = config.enabled;
  const recordOf = (ctx: object): RequestRecord | undefined => (caching ? records.get(ctx) : undefined);
  const noteUncacheable = (ctx: object) => {
    const record = recordOf(ctx);
    if (record) record.uncacheable = true;
  };
  /** A cached or cacheable fetch of the request: under which scope, and for how long its answer stays good. */
  const noteFetch = (ctx: object, scope: CacheScope, seconds: number) => {
    const record = recordOf(ctx);
    if (!record) return;
    record.userScoped ||= scope === 'USER';
    record.maxAge = Math.min(record.maxAge, seconds);
  };

  /** The callers who may share an answer of `scope`: same school, locale and roles (and user, for USER). */
  const scopeKey = (ctx: Ctx, scope: CacheScope): string | undefined => {
    if (!ctx.tenant) return undefined;
    const roles = ctx.user ? [...new Set(ctx.user.roles)].sort().join(',') : '-';
    return JSON.stringify([ctx.tenant.id, ctx.locale ?? '', roles, scope === 'USER' ? (ctx.user?.id ?? '-') : '*']);
  };
  /** Everything the subgraph is told of the caller but the request id: only the same identity shares an uncacheable fetch. */
  const identityKey = (ctx: Ctx) => {
    const { requestId: _requestId, ...identity } = internalContextOf(ctx);
    return JSON.stringify(identity);
  };
  const bypassed = (ctx: Ctx, cacheable: Cacheable) => !!ctx.user?.roles.some((r) => cacheable.bypassRoles.has(r));

  /** False while the store cannot be trusted and renewing its epoch fails. */
  const trusted = async (): Promise<boolean> => {
    if (store.takeReconnected()) distrusted = true;
    if (!distrusted) return true;
    renewing ??= store.invalidate([EPOCH]).then((ok) => {
      renewing = undefined;
      if (ok) {
        distrusted = false;
        metrics.invalidations.inc({ cause: 'epoch' });
      }
      return ok;
    });
    return renewing;
  };

  const lookup = async (tags: string[], entries: string[]) => {
    const found = (await trusted()) ? await store.lookup(tags, entries) : undefined;
    if (!found) metrics.unavailable.inc({ operation: 'lookup' });
    return found;
  };

  /** Keeps `value` for `seconds` (the subgraph's max-age, or for a response the least left of its fetches'). */
  const put = (key: string, versions: Record<string, string>, tenant: string, value: unknown, seconds: number) => {
    // Serialised now: the executor merges into (mutates) the objects it is handed.
    const body = JSON.stringify({ tenant, value, expiresAt: Date.now() + seconds * 1000 });
    store.put(key, versions, body, seconds).catch(() => metrics.unavailable.inc({ operation: 'put' }));
  };

  /** A stored answer, and the seconds it has left (what a response built from it may be kept for). */
  const parseBody = (body: string, tenant: string): { value: unknown; secondsLeft: number } | undefined => {
    const parsed = JSON.parse(body) as { tenant?: string; value: unknown; expiresAt?: number };
    // Keys carry the tenant; so does the value, checked again in case a key was ever built wrong.
    if (parsed.tenant !== tenant || typeof parsed.expiresAt !== 'number') return undefined;
    return { value: parsed.value, secondsLeft: Math.max(0, (parsed.expiresAt - Date.now()) / 1000) };
  };

  /** The scope a fetch is cached under: the allow-list's, or the user's once its subgraph has said `private`. */
  const fetchScope = (cacheable: Cacheable, fetchKey: string, userOnly: boolean): CacheScope =>
    userOnly || cacheable.scope === 'USER' || privateFetches.get(fetchKey) ? 'USER' : 'ROLES';

  /** What an entity or root fetch is kept under: its school, its key for `privateFetches`, its scope. */
  function fetchTarget(name: string, options: Options, ctx: Ctx, cacheable: Cacheable, userOnly: boolean) {
    const fetchKey = `${name}\n${options.request.query}`;
    const scopeName = fetchScope(cacheable, fetchKey, userOnly);
    return { tenant: ctx.tenant!.id, fetchKey, scopeName, scope: scopeKey(ctx, scopeName)! };
  }

  /**
   * Whether an answer marked `private` came from a fetch looked up under ROLES: the fetch is the
   * user's from now on, and if the answer was another caller's (joined) this caller may not have it.
   */
  function othersPrivate(fetched: Fetched, scope: CacheScope, fetchKey: string): boolean {
    if (!fetched.hint?.private || scope === 'USER') return false;
    privateFetches.set(fetchKey, true);
    return fetched.joined;
  }

  /**
   * Where an answer the allow-list let through is stored, by the subgraph's hint: for its max-age,
   * under the user's scope if it says `private` (whatever the rule), not at all without a max-age,
   * nor when it was another caller's fetch (that caller stores it).
   */
  function storeTarget(name: string, ctx: Ctx, fetched: Fetched, scope: CacheScope): { scope: string; seconds: number } | undefined {
    const { hint } = fetched;
    if (!hint) {
      metrics.unhinted.inc({ subgraph: name });
      noteUncacheable(ctx);
      return undefined;
    }
    const stored: CacheScope = hint.private ? 'USER' : scope;
    noteFetch(ctx, stored, hint.maxAge);
    return fetched.joined ? undefined : { scope: scopeKey(ctx, stored)!, seconds: hint.maxAge };
  }

  /** Every entry of the school carries this tag too: renewing it drops them all. */
  const everything = (tenant: string) => tagKey(tenant, '*');

  async function invalidate(tenant: string, entities: ChangedEntity[], cause: string, wholeSchool = false): Promise<void> {
    changed(tenant);
    if (!entities.length && !wholeSchool) return;
    // An entity's own tag and its type's (every list of the type); the type's alone for "all of them".
    const tagsOf = (e: ChangedEntity) =>
      e.id === undefined ? [tagKey(tenant, e.type)] : [tagKey(tenant, e.type, e.id), tagKey(tenant, e.type)];
    const tags = [...new Set(entities.flatMap(tagsOf))];
    if (wholeSchool) tags.push(everything(tenant));
    metrics.invalidations.inc({ cause });
    if (!(await store.invalidate(tags))) {
      distrusted = true;
      metrics.unavailable.inc({ operation: 'invalidate' });
      deps.logger.warn({ cause, tenant }, 'cache invalidation did not reach the store; the cache is bypassed until it does');
    }
  }

  /** The fetch, shared with identical ones in flight under the same `key`; `joined` when it rode on another's. */
  async function fetchOnce(name: string, source: GraphQLDataSource<GatewayContext>, options: Options, key: string): Promise<Fetched> {
    if (!config.dedup) {
      const response = await source.process(options);
      return { response, joined: false, hint: hintOf(response) };
    }
    const tenant = (options.context as Ctx).tenant?.id ?? '';
    const k = `${tenant}\n${changes.get(tenant) ?? 0}\n${name}\n${key}`;
    const flight = inflight.get(k);
    if (flight) {
      flight.joiners++;
      metrics.dedupJoins.inc({ subgraph: name });
      const { json, hint } = await flight.result;
      return { response: JSON.parse(json!) as GatewayGraphQLResponse, joined: true, hint };
    }
    const created: Flight = { joiners: 0, result: undefined as never };
    const done = () => {
      if (inflight.get(k) === created) inflight.delete(k);
    };
    created.result = source.process(options).then(
      (response) => {
        done();
        // A copy for the others, taken before the leader's executor touches the answer (the copy has no headers: the hint goes with it).
        return { response, json: created.joiners ? JSON.stringify(plain(response)) : undefined, hint: hintOf(response) };
      },
      (err: unknown) => {
        done();
        throw err;
      },
    );
    inflight.set(k, created);
    const { response, hint } = await created.result;
    return { response, joined: false, hint };
  }

  const versionsOf = (found: Record<string, string>, tags: string[]) => Object.fromEntries(tags.map((t) => [t, found[t]]));

  async function entities(
    name: string,
    source: GraphQLDataSource<GatewayContext>,
    options: Options,
    ctx: Ctx,
    cacheable: Cacheable,
    userOnly = false,
  ): Promise<GatewayGraphQLResponse | undefined> {
    const { tenant, fetchKey, scopeName, scope } = fetchTarget(name, options, ctx, cacheable, userOnly);
    const { representations, ...rest } = (options.request.variables ?? {}) as { representations?: unknown[] } & Record<string, unknown>;
    const query = options.request.query;
    const nested = [...cacheable.dataTypes].filter((t) => !cacheable.entityTypes!.has(t)).map((t) => tagKey(tenant, t));
    const keyOf = (rep: unknown, inScope: string) => entryKey(tenant, [name, query, rest, rep, inScope]);
    const plan = (representations ?? []).map((rep) => {
      const r = rep as { __typename?: unknown; id?: unknown } | null;
      if (!r || typeof r.__typename !== 'string' || !cacheable.entityTypes!.has(r.__typename)) return undefined;
      const id = typeof r.id === 'string' ? r.id : undefined;
      return { key: keyOf(rep, scope), tags: [EPOCH, everything(tenant), tagKey(tenant, r.__typename, id), ...nested] };
    });
    if (!representations?.length || plan.some((p) => !p)) return undefined;
    const slots = plan as Array<{ key: string; tags: string[] }>;
    const found = await lookup(
      [...new Set(slots.flatMap((s) => s.tags))],
      slots.map((s) => s.key),
    );
    if (!found) return undefined;
    const record = recordOf(ctx);
    if (record) Object.assign(record.versions, found.tags);
    const results: unknown[] = new Array(slots.length);
    const missing: number[] = [];
    let secondsLeft = Infinity;
    found.entries.forEach((body, i) => {
      const hit = body === null ? undefined : parseBody(body, tenant);
      if (!hit) return missing.push(i);
      results[i] = hit.value;
      secondsLeft = Math.min(secondsLeft, hit.secondsLeft);
    });
    if (missing.length < slots.length) noteFetch(ctx, scopeName, secondsLeft);
    metrics.hits.inc({ layer: 'entity', subgraph: name }, slots.length - missing.length);
    if (!missing.length) return { data: { [ENTITIES]: results } } as GatewayGraphQLResponse;
    metrics.misses.inc({ layer: 'entity', subgraph: name }, missing.length);

    const subset = missing.map((i) => representations[i]);
    const variables = { ...rest, representations: subset };
    const sent: Options = missing.length === slots.length ? options : { ...options, request: { ...options.request, variables } };
    const versions = missing.map((i) => versionsOf(found.tags, slots[i].tags));
    const fetchedOnce = await fetchOnce(name, source, sent, JSON.stringify([query, variables, scope, versions]));
    if (othersPrivate(fetchedOnce, scopeName, fetchKey)) return entities(name, source, options, ctx, cacheable, true);
    const { response } = fetchedOnce;
    const fetched = response.data?.[ENTITIES];
    if (!Array.isArray(fetched) || fetched.length !== subset.length) {
      noteUncacheable(ctx);
      if (sent === options) return response;
      // No usable answer for the subset: the whole fetch, uncached, answers for itself.
      return (await fetchOnce(name, source, options, JSON.stringify([query, options.request.variables, identityKey(ctx)]))).response;
    }
    missing.forEach((slot, j) => (results[slot] = fetched[j]));
    if (response.errors?.length) {
      noteUncacheable(ctx);
      const errors = response.errors.map((e) =>
        Array.isArray(e.path) && e.path[0] === ENTITIES && typeof e.path[1] === 'number'
          ? { ...e, path: [ENTITIES, missing[e.path[1]] ?? e.path[1], ...e.path.slice(2)] }
          : e,
      );
      return { ...response, data: { [ENTITIES]: results }, errors } as GatewayGraphQLResponse;
    }
    const target = storeTarget(name, ctx, fetchedOnce, scopeName);
    if (target) {
      missing.forEach((slot, j) => {
        const key = target.scope === scope ? slots[slot].key : keyOf(representations[slot], target.scope);
        put(key, versions[j], tenant, fetched[j], target.seconds);
      });
    }
    return { ...response, data: { [ENTITIES]: results } } as GatewayGraphQLResponse;
  }

  async function rootFetch(
    name: string,
    source: GraphQLDataSource<GatewayContext>,
    options: Options,
    ctx: Ctx,
    cacheable: Cacheable,
    userOnly = false,
  ): Promise<GatewayGraphQLResponse | undefined> {
    const { tenant, fetchKey, scopeName, scope } = fetchTarget(name, options, ctx, cacheable, userOnly);
    const { query } = options.request;
    const keyOf = (inScope: string) => entryKey(tenant, [name, query, options.request.variables ?? {}, inScope]);
    const key = keyOf(scope);
    const tags = [EPOCH, everything(tenant), ...[...cacheable.dataTypes].map((t) => tagKey(tenant, t))];
    const found = await lookup(tags, [key]);
    if (!found) return undefined;
    const record = recordOf(ctx);
    if (record) Object.assign(record.versions, found.tags);
    const hit = found.entries[0] === null ? undefined : parseBody(found.entries[0], tenant);
    if (hit) {
      metrics.hits.inc({ layer: 'fetch', subgraph: name });
      noteFetch(ctx, scopeName, hit.secondsLeft);
      return { data: hit.value } as GatewayGraphQLResponse;
    }
    metrics.misses.inc({ layer: 'fetch', subgraph: name });
    const versions = versionsOf(found.tags, tags);
    const fetched = await fetchOnce(name, source, options, JSON.stringify([query, options.request.variables, scope, versions]));
    if (othersPrivate(fetched, scopeName, fetchKey)) return rootFetch(name, source, options, ctx, cacheable, true);
    const { response } = fetched;
    if (response.errors?.length || !response.data) {
      noteUncacheable(ctx);
      return response;
    }
    const target = storeTarget(name, ctx, fetched, scopeName);
    if (target) put(target.scope === scope ? key : keyOf(target.scope), versions, tenant, response.data, target.seconds);
    return response;
  }

  async function process(name: string, source: GraphQLDataSource<GatewayContext>, options: Options): Promise<GatewayGraphQLResponse> {
    // Only a client's operation (not health checks or schema loading; the package exports the kind enum as a type only).
    if (!('incomingRequestContext' in options) || !analyzer || !options.request.query) return source.process(options);
    const ctx = options.context as Ctx;
    const analysis: Analysis = analyzer.analyze(options.request.query, options.document);
    if (analysis.operation === 'mutation') {
      noteUncacheable(ctx);
      const response = await source.process(options);
      changed(ctx.tenant?.id ?? '');
      if (caching && ctx.tenant) {
        // Read-your-writes: what the answer names as changed is invalidated before the client hears of it.
        // An allowed type named without its id: whatever it was, nothing of the school is trusted any more.
        const { entities, unidentified } = analyzer.changedEntities(analysis, response.data);
        if (entities.length || unidentified) await invalidate(ctx.tenant.id, entities, 'mutation', unidentified);
      }
      return response;
    }
    if (analysis.operation !== 'query') return source.process(options);
    const allowed = analysis.cacheable;
    const cacheable = caching && ctx.tenant && allowed && !bypassed(ctx, allowed) ? allowed : undefined;
    if (cacheable) {
      const answer = cacheable.entityTypes
        ? await entities(name, source, options, ctx, cacheable)
        : await rootFetch(name, source, options, ctx, cacheable);
      if (answer) return answer;
    }
    noteUncacheable(ctx);
    // Shared only by the same identity: nothing says the answer would be the same for anyone else.
    return (await fetchOnce(name, source, options, JSON.stringify([options.request.query, options.request.variables, identityKey(ctx)])))
      .response;
  }

  const responsePlugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ contextValue }) {
      const record: RequestRecord = { versions: {}, uncacheable: false, userScoped: false, maxAge: Infinity, servedFromCache: false };
      records.set(contextValue, record);
      return {
        async responseForOperation(rc) {
          const ctx = rc.contextValue as Ctx;
          if (!caching || !ctx.tenant || rc.operation.operation !== 'query' || !analyzer) return null;
          const analysisKey = `${schemaId}\n${rc.queryHash}\n${rc.operationName ?? ''}`;
          let cacheable = responseAnalyses.get(analysisKey);
          if (cacheable === undefined) {
            cacheable = analyzeOperation(analyzer.schema, policy, rc.document, rc.operation) ?? null;
            responseAnalyses.set(analysisKey, cacheable);
          }
          if (!cacheable || bypassed(ctx, cacheable)) return null;
          const scope: CacheScope = cacheable.scope === 'USER' || privateResponses.get(analysisKey) ? 'USER' : 'ROLES';
          const key = entryKey(ctx.tenant.id, [
            'response',
            rc.queryHash,
            rc.operationName,
            rc.request.variables ?? {},
            scopeKey(ctx, scope),
          ]);
          const found = await lookup([], [key]);
          const hit = found?.entries[0] ? parseBody(found.entries[0], ctx.tenant.id) : undefined;
          if (hit) {
            metrics.hits.inc({ layer: 'response', subgraph: '' });
            record.servedFromCache = true;
            return {
              http: { status: undefined, headers: new HeaderMap() },
              body: { kind: 'single', singleResult: { data: hit.value as never } },
            };
          }
          if (found) {
            metrics.misses.inc({ layer: 'response', subgraph: '' });
            record.responseEntry = { key, scope, analysisKey };
          }
          return null;
        },
        async willSendResponse(rc) {
          const entry = record.responseEntry;
          const body = rc.response.body;
          if (!entry || record.servedFromCache || record.uncacheable || body.kind !== 'single') return;
          const result = body.singleResult;
          if (result.errors?.length || !result.data) return;
          // Every fetch was cached under a scope no wider than the response's own: one scoped to
          // the user (its subgraph said private) makes the operation the user's from now on.
          if (record.userScoped && entry.scope !== 'USER') {
            privateResponses.set(entry.analysisKey, true);
            return;
          }
          // Kept no longer than the answer of any of its fetches would have been.
          if (!Object.keys(record.versions).length || !(record.maxAge > 0) || !Number.isFinite(record.maxAge)) return;
          put(entry.key, record.versions, (rc.contextValue as Ctx).tenant!.id, result.data, record.maxAge);
        },
      };
    },
  };

  return {
    wrap(name, source) {
      if (!config.enabled && !config.dedup) return source;
      return { process: (options) => process(name, source, options) };
    },
    updateSchema(apiSchema, supergraphSdl) {
      schemaId = createHash('sha256').update(supergraphSdl).digest('base64url').slice(0, 16);
      analyzer = new FetchAnalyzer(apiSchema, policy);
      responseAnalyses.clear();
      privateFetches.clear();
      privateResponses.clear();
    },
    plugins: config.enabled ? [clientCacheControl, responsePlugin] : [clientCacheControl],
    async start() {
      if (!config.enabled) return;
      // Without its events the cache could not be trusted: it stays off, and the gateway serves uncached.
      consumer = await deps.broker
        .consume<DomainEvent>(
          deps.queue,
          async (message) => {
            const event = message.payload;
            const entities = changedBy(message.routingKey, event?.payload);
            if (entities.length && typeof event.tenantId === 'string') await invalidate(event.tenantId, entities, message.routingKey);
          },
          // A failed invalidation distrusts the whole store (above) rather than failing the message.
          { bindings: Object.keys(INVALIDATING_EVENTS), retryDelaysMs: [1_000] },
        )
        .catch((err: unknown) => {
          caching = false;
          deps.logger.error({ err, queue: deps.queue }, 'cache invalidations cannot be consumed: caching is off');
          return undefined;
        });
    },
    async stop() {
      await consumer?.cancel();
      consumer = undefined;
    },
  };
}
