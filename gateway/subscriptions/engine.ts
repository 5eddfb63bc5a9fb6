import http from 'node:http';
import https from 'node:https';
import type { Supergraph } from '@apollo/federation-internals';
import type { ServiceMap } from '@apollo/gateway';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  type DocumentNode,
  type GraphQLFormattedError,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import { INTERNAL_CONTEXT_HEADER, type InternalContext, type InternalContextSigner } from '../../platform/auth/internal-context';
import type { Logger } from '../../platform/logger';
import { parseFailure, validationFailure } from '../../platform/graphql/operation-errors';
import { sha256 } from '../../platform/secrets';
import { AdmissionBatcher, DEFAULT_ADMISSION_WINDOW_MS } from './admission-batcher';
import { EntityFetcher, postJson } from './entity-fetcher';
import type { FormatError } from './event-resolver';
import { Group, upstreamRequest, type GroupLimits, type GroupOperation } from './group';
import type { Member } from './member';
import type { SubscriptionMetrics } from './metrics';
import { principalFor, type Viewer } from './principal';
import { remember } from './remember';
import { SupergraphRuntime, type SubscriptionPlan } from './runtime';
import type { SchoolSubscriptionSlots } from './school-subscriptions';
import type { ExecutedOperation } from '../usage/usage-reporting';
import { SignedContexts } from './signed-contexts';
import { UpstreamClients, type UpstreamOptions } from './upstream';

export interface SubscriptionEngineOptions {
  sign: InternalContextSigner;
  /** Per-subgraph URL overrides of the supergraph's routing URLs (the gateway's SUBGRAPH_URLS). */
  subgraphUrls: Record<string, string>;
  logger: Logger;
  metrics: SubscriptionMetrics;
  formatError: FormatError;
  /** Extra validation rules (the gateway's operation limits); graphql's own always apply. */
  validationRules?: readonly ValidationRule[];
  /** Parser limits (maxTokens), as for HTTP operations. */
  parseOptions?: ParseOptions;
  limits?: GroupLimits;
  upstream?: Pick<UpstreamOptions, 'admissionTimeoutMs' | 'maxAdmissionsInFlight' | 'keepAliveMs' | 'retryMs' | 'maxRefusals'>;
  /** Keep-alive sockets per subgraph host for the per-event entity fetches and batched admissions. Default 32. */
  maxSocketsPerSubgraph?: number;
  /**
   * Admissions are gathered into one call to the owning subgraph's batch admission, for the
   * fields that have one (runtime.ts `BatchAdmission`), until none has joined for this many ms;
   * 0: one graphql-ws admission per subscriber. Default 20.
   */
  admissionBatchMs?: number;
  /** The longest an admission waits to be gathered while others keep joining. Default 150. */
  admissionMaxWaitMs?: number;
  /**
   * How long the entities resolved for events are reused by later events of the same principal
   * (entity-fetcher.ts); 0: every event fetches its own. Default 0.
   */
  entityTtlMs?: number;
  /** Admissions per batched call at most. Default 500. */
  maxAdmissionBatch?: number;
  /**
   * Concurrent subscriptions per school (school-subscriptions.ts): a slot is taken before the
   * owning subgraph is asked, and given back when the subscription ends. Default: no limit.
   */
  schoolSlots?: SchoolSubscriptionSlots;
}

/** A subscribe message that parsed, validated and planned. */
export interface PreparedSubscription extends GroupOperation {
  plan: SubscriptionPlan;
}

/**
 * Federated subscriptions: plans each operation over the current supergraph, admits each client
 * through the subgraph that owns the root field, and puts it in the group of identical
 * subscriptions (same operation, variables and principal), opening the group's upstream feed
 * when it is the first. Nothing here knows any particular field: every `Subscription` field of
 * every subgraph is served the same way.
 */
export class SubscriptionEngine {
  private runtime?: SupergraphRuntime;
  private readonly documents = new Map<string, DocumentNode>();
  /** Each cached operation text, by itself (the first copy received). */
  private readonly texts = new Map<string, string>();
  /** Groups a new identical subscription may join, by key. */
  private readonly joinable = new Map<string, Group>();
  private readonly groups = new Set<Group>();
  private readonly services: ServiceMap = {};
  private readonly upstreams: UpstreamClients;
  private readonly contexts: SignedContexts;
  private readonly agents: { http: http.Agent; https: https.Agent };
  private readonly batcher?: AdmissionBatcher;
  private urls: Record<string, string> = {};

  constructor(private readonly opts: SubscriptionEngineOptions) {
    this.contexts = new SignedContexts(opts.sign);
    const maxSockets = opts.maxSocketsPerSubgraph ?? 32;
    this.agents = { http: new http.Agent({ keepAlive: true, maxSockets }), https: new https.Agent({ keepAlive: true, maxSockets }) };
    this.upstreams = new UpstreamClients({
      ...opts.upstream,
      sign: opts.sign,
      logger: opts.logger,
      wsUrl: (service) => this.urlOf(service).replace(/^http/, 'ws'),
      onOpen: (service) => opts.metrics.upstreamOpens.inc({ service }),
    });
    if ((opts.admissionBatchMs ?? DEFAULT_ADMISSION_WINDOW_MS) > 0) {
      this.batcher = new AdmissionBatcher({
        sign: opts.sign,
        logger: opts.logger,
        windowMs: opts.admissionBatchMs,
        maxBatch: opts.maxAdmissionBatch,
        maxWaitMs: opts.admissionMaxWaitMs,
        admissionTimeoutMs: opts.upstream?.admissionTimeoutMs,
        backoff: (attempt) => this.upstreams.backoff(attempt),
        onCall: (service) => opts.metrics.admissionCalls.inc({ service }),
        post: (service, body, context, timeoutMs) =>
          postJson(new URL(this.urlOf(service)), body, { [INTERNAL_CONTEXT_HEADER]: context }, this.agents, timeoutMs),
      });
    }
  }

  /** The API schema of the current supergraph (undefined until the first one loads). */
  get schema() {
    return this.runtime?.apiGql;
  }

  /**
   * Applies a new supergraph version without dropping anyone: every group re-plans; a group whose
   * primary request is unchanged keeps its feed, others re-open theirs after their last cursor;
   * a group whose operation became invalid is ended with an error. A version that cannot be
   * loaded is logged and the current one stays.
   */
  updateSupergraph(supergraph: Supergraph): void {
    let next: SupergraphRuntime;
    try {
      next = new SupergraphRuntime(supergraph, this.opts.validationRules);
    } catch (err) {
      this.opts.logger.error({ err }, 'subscriptions: supergraph rejected; keeping the current one');
      return;
    }
    const previous = this.urls;
    this.runtime = next;
    this.urls = Object.fromEntries(
      Object.keys(next.routingUrls).map((name) => [name, this.opts.subgraphUrls[name] ?? next.routingUrls[name]]),
    );
    for (const name of Object.keys(this.urls)) {
      this.services[name] ??= new EntityFetcher({
        service: name,
        url: () => this.urlOf(name),
        contexts: this.contexts,
        agents: this.agents,
        onFetch: (service) => this.opts.metrics.entityFetches.inc({ service }),
        onCacheHit: (service) => this.opts.metrics.entityCacheHits.inc({ service }),
        entityTtlMs: this.opts.entityTtlMs,
      });
    }
    const moved = new Set(Object.keys(this.urls).filter((name) => previous[name] !== undefined && previous[name] !== this.urls[name]));
    for (const group of [...this.groups]) group.replan(next, moved);
  }

  /** Parses, validates and plans a subscribe message; errors are meant for the client as they are. */
  prepare(payload: {
    query: string;
    operationName?: string | null;
    variables?: Record<string, unknown> | null;
  }): PreparedSubscription | GraphQLError[] {
    const runtime = this.runtime;
    if (!runtime) {
      return [
        new GraphQLError('The gateway is starting; retry shortly', { extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 } }),
      ];
    }
    let text = payload.query;
    const operationName = payload.operationName ?? undefined;
    let document = this.documents.get(text);
    if (document) {
      // The text the document was cached under: each client's copy of the same operation (held
      // with its subscription) is then garbage, not one more string per subscriber.
      text = this.texts.get(text) ?? text;
    } else {
      try {
        document = parse(text, this.opts.parseOptions);
      } catch (err) {
        // The codes an HTTP client gets for the same document (the token limit has its own).
        return [err instanceof GraphQLError ? parseFailure(err) : new GraphQLError('Invalid query')];
      }
      remember(this.documents, text, document, 1000);
      remember(this.texts, text, text, 1000);
    }
    const invalid = runtime.validate(text, document);
    if (invalid.length > 0) return invalid.map(validationFailure);
    const operation = getOperationAST(document, operationName);
    if (!operation) return [new GraphQLError('Name the operation to run (operationName)', { extensions: { code: 'BAD_REQUEST' } })];
    if (operation.operation !== 'subscription') {
      return [new GraphQLError('Queries and mutations are served over HTTP POST /graphql', { extensions: { code: 'BAD_REQUEST' } })];
    }
    const coerced = getVariableValues(runtime.apiGql, operation.variableDefinitions ?? [], payload.variables ?? {});
    if (coerced.errors) return coerced.errors.map((e) => new GraphQLError(e.message, { extensions: { code: 'BAD_USER_INPUT' } }));
    try {
      return { text, document, operationName, variables: { ...coerced.coerced }, plan: runtime.plan(text, document, operationName) };
    } catch (err) {
      return [err as GraphQLError];
    }
  }

  /**
   * Admits the client (as itself) through the owning subgraph, then adds it to its group.
   * Returns the errors of a refusal, for the client.
   */
  async subscribe(viewer: Viewer, member: Member, prepared: PreparedSubscription): Promise<readonly GraphQLFormattedError[] | undefined> {
    // Every transport passes here: the school's slot first, so a school at its limit costs its
    // subgraphs no admission (whose capacity all schools share).
    const slot = await this.opts.schoolSlots?.acquire(viewer.tenant);
    if (slot instanceof GraphQLError) {
      this.opts.metrics.admissions.inc({ outcome: 'refused' });
      return [slot.toJSON()];
    }
    let refusal: readonly GraphQLFormattedError[] | undefined;
    try {
      refusal = await this.join(viewer, member, prepared);
    } catch (err) {
      slot?.();
      throw err;
    }
    if (slot) {
      if (refusal) slot();
      else member.whenEnded(slot);
    }
    return refusal;
  }

  private async join(
    viewer: Viewer,
    member: Member,
    prepared: PreparedSubscription,
  ): Promise<readonly GraphQLFormattedError[] | undefined> {
    const answer = await this.admit(prepared, member.identity);
    this.opts.metrics.admissions.inc({ outcome: 'errors' in answer ? 'refused' : 'admitted' });
    if ('errors' in answer) return answer.errors;
    // The supergraph may have changed while the subgraph answered: plan on the current one.
    const runtime = this.runtime!;
    let plan: SubscriptionPlan;
    try {
      plan = prepared.plan.runtime === runtime ? prepared.plan : runtime.plan(prepared.text, prepared.document, prepared.operationName);
    } catch (err) {
      return [(err as GraphQLError).toJSON()];
    }
    const principal = principalFor(viewer, answer.admission.sharing);
    const key = sha256(JSON.stringify([prepared.text, prepared.operationName ?? null, canonical(prepared.variables), principal.key]));
    const existing = this.joinable.get(key);
    if (existing?.acceptsMembers) {
      existing.add(member);
      return undefined;
    }
    const group = new Group(key, plan, prepared, principal, member, answer.admission.replays, {
      upstreams: this.upstreams,
      services: this.services,
      formatError: this.opts.formatError,
      logger: this.opts.logger,
      metrics: this.opts.metrics,
      limits: this.opts.limits ?? {},
      onRetire: (retired) => {
        if (!retired.acceptsMembers && this.joinable.get(retired.key) === retired) this.joinable.delete(retired.key);
        if (retired.isClosed) this.groups.delete(retired);
      },
    });
    this.joinable.set(key, group);
    this.groups.add(group);
    return undefined;
  }

  /** What field-usage reporting is told of an admitted subscription (every transport's `onAdmitted`). */
  usageOf(prepared: PreparedSubscription, client: string | undefined): ExecutedOperation {
    return {
      schema: this.schema!,
      document: prepared.document,
      // Clients may leave operationName out when the document has one operation.
      operationName: prepared.operationName ?? getOperationAST(prepared.document)?.name?.value,
      queryHash: sha256(prepared.text),
      client,
    };
  }

  async close(): Promise<void> {
    this.batcher?.close();
    for (const group of [...this.groups]) group.close();
    await this.upstreams.close();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /** Asks the owning subgraph, as the client, whether it may subscribe: batched with others when the field allows it. */
  private admit(prepared: PreparedSubscription, viewer: InternalContext) {
    const { primary, batchAdmission } = prepared.plan;
    if (this.batcher && batchAdmission) return this.batcher.admit(primary.serviceName, batchAdmission, prepared.variables, viewer);
    this.opts.metrics.admissionCalls.inc({ service: primary.serviceName });
    return this.upstreams.admit(primary.serviceName, upstreamRequest(prepared.plan, prepared.variables), viewer);
  }

  private urlOf(service: string): string {
    const url = this.urls[service] ?? this.opts.subgraphUrls[service];
    if (!url) throw new Error(`no URL for subgraph ${service}`);
    return url;
  }
}

/** JSON with object keys sorted, so equal variables give equal keys whatever their order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
