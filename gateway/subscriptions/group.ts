import type { ServiceMap } from '@apollo/gateway';
import type { DocumentNode, GraphQLFormattedError } from 'graphql';
import type { Logger } from '../../platform/logger';
import { resolveEvent, type FormatError, type UpstreamEvent } from './event-resolver';
import type { Member } from './member';
import type { SubscriptionMetrics } from './metrics';
import type { Principal } from './principal';
import type { SubscriptionPlan, SupergraphRuntime } from './runtime';
import { Semaphore } from './semaphore';
import type { UpstreamClients, UpstreamFeed, UpstreamRequest } from './upstream';

export interface GroupLimits {
  /** Events of one group resolved at the same time (delivered in order regardless). Default 16. */
  concurrency?: number;
  /**
   * Events received but not yet delivered. Past it the gateway cannot keep up with the feed:
   * members get an error and are completed (they resubscribe with `after`). Default 5000.
   */
  maxPending?: number;
  /**
   * For feeds that replay from the client's cursor (`after`): an identical subscription arriving
   * later joins the group only within this many results and milliseconds of its start, and
   * first gets everything it already delivered (the clients of a class reconnecting together
   * after a gateway restart share one feed). Later ones get a group of their own, which bounds
   * the memory kept. Defaults 1000 results, 30000 ms.
   */
  replayLog?: { results?: number; ms?: number };
}

export interface GroupDeps {
  upstreams: UpstreamClients;
  services: ServiceMap;
  formatError: FormatError;
  logger: Logger;
  metrics: SubscriptionMetrics;
  limits: GroupLimits;
  /** The group can no longer take new members, or is closed: called on each such change. */
  onRetire(group: Group): void;
}

export interface GroupOperation {
  text: string;
  document: DocumentNode;
  operationName?: string;
  /** Coerced. */
  variables: Record<string, unknown>;
}

let sequence = 0;
const END = Symbol('end of feed');

/**
 * Identical subscriptions (same operation, variables and principal): one upstream feed, each
 * event resolved once and serialized once, then written to every member's socket.
 */
export class Group {
  readonly members = new Set<Member>();
  readonly id = `sub-${process.pid}-${++sequence}`;
  private readonly feed: UpstreamFeed;
  /** Results in arrival order; each settles to the serialized payload, or END after the last one. */
  private readonly pending: Promise<Buffer | typeof END>[] = [];
  private flushing = false;
  private ending = false;
  private readonly resolving: Semaphore;
  private log?: Buffer[];
  private joinable = true;
  private logTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    readonly key: string,
    private plan: SubscriptionPlan,
    private readonly operation: GroupOperation,
    readonly principal: Principal,
    first: Member,
    replays: boolean,
    private readonly deps: GroupDeps,
  ) {
    if (replays) {
      this.log = [];
      this.logTimer = setTimeout(() => this.closeLog(), deps.limits.replayLog?.ms ?? 30_000);
    }
    this.resolving = new Semaphore(deps.limits.concurrency ?? 16);
    this.add(first);
    deps.metrics.groups.inc();
    this.feed = deps.upstreams.open(
      plan.primary.serviceName,
      upstreamRequest(plan, operation.variables),
      () => this.anyMember(),
      principal,
      {
        event: (event) => this.receive(event),
        end: () => this.finish(),
      },
    );
  }

  /** Whether an identical new subscription may join rather than open its own feed. */
  get acceptsMembers(): boolean {
    return this.joinable && !this.ending && !this.closed;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** A new member first gets what a replaying group already delivered, then what follows. */
  add(member: Member): void {
    for (const payload of this.log ?? []) member.deliver(payload);
    this.members.add(member);
    member.leave = () => this.remove(member);
    this.deps.metrics.members.inc();
  }

  /**
   * Switches to a new supergraph version. The running feed is kept when the primary request is
   * unchanged and its subgraph did not move; otherwise it is re-opened from the last cursor.
   * An operation that is no longer valid ends the group with an error.
   */
  replan(runtime: SupergraphRuntime, movedServices: ReadonlySet<string>): void {
    const errors = runtime.validate(this.operation.text, this.operation.document);
    let plan: SubscriptionPlan;
    try {
      if (errors.length > 0) throw errors[0];
      plan = runtime.plan(this.operation.text, this.operation.document, this.operation.operationName);
    } catch (err) {
      const error = err as { message: string };
      this.deps.logger.info({ group: this.id, err: error.message }, 'subscription no longer valid after a supergraph update');
      this.fail([{ message: `This subscription is no longer valid: ${error.message}`, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
      return;
    }
    const old = this.plan;
    this.plan = plan;
    if (plan.upstreamSignature !== old.upstreamSignature || movedServices.has(plan.primary.serviceName)) {
      this.feed.restart(plan.primary.serviceName, upstreamRequest(plan, this.operation.variables));
    }
  }

  /** Ends every member with these errors (after what is already pending) and closes the feed. */
  fail(errors: GraphQLFormattedError[]): void {
    if (this.ending || this.closed) return;
    this.pending.push(Promise.resolve(serialize({ data: null, errors })));
    this.finish();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.logTimer);
    this.feed.close();
    this.pending.length = 0;
    this.deps.metrics.groups.dec();
    this.deps.metrics.members.dec(this.members.size);
    for (const member of this.members) member.end();
    this.members.clear();
    this.deps.onRetire(this);
  }

  private remove(member: Member): void {
    if (!this.members.delete(member)) return;
    this.deps.metrics.members.dec();
    if (this.members.size === 0) this.close();
  }

  private anyMember() {
    return this.members.values().next().value?.identity;
  }

  private receive(event: UpstreamEvent): void {
    if (this.ending || this.closed) return;
    if (this.pending.length >= (this.deps.limits.maxPending ?? 5000)) {
      this.deps.logger.warn({ group: this.id, pending: this.pending.length }, 'subscription group overloaded');
      this.fail([{ message: 'Too many events pending; resubscribe with `after`', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
      return;
    }
    this.deps.metrics.events.inc();
    const plan = this.plan;
    this.pending.push(this.resolving.run(() => this.resolve(event, plan)));
    void this.flush();
  }

  private async resolve(event: UpstreamEvent, plan: SubscriptionPlan): Promise<Buffer> {
    try {
      return serialize(
        await resolveEvent(event, {
          plan,
          variables: this.operation.variables,
          context: { principal: this.principal, requestId: this.id },
          services: this.deps.services,
          formatError: this.deps.formatError,
          logger: this.deps.logger,
        }),
      );
    } catch (err) {
      this.deps.logger.error({ err, group: this.id }, 'subscription event could not be resolved');
      return serialize({ data: null, errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    }
  }

  /** Delivers results strictly in arrival order, each as soon as it and all before it are ready. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0 && !this.closed) {
        const payload = await this.pending[0];
        if (this.closed) return;
        this.pending.shift();
        if (payload === END) return this.close();
        this.deliver(payload);
      }
    } finally {
      this.flushing = false;
    }
  }

  private deliver(payload: Buffer): void {
    // One frame per distinct subscription id (clients mostly use the same few), or per HTTP
    // transport, written to each member that takes it: the sockets only read it, so it is shared
    // rather than copied per member (Member.deliverShared).
    const frames = new Map<string | symbol, Buffer>();
    for (const member of this.members) member.deliverShared(payload, frames);
    this.deps.metrics.messages.inc(this.members.size);
    if (!this.log) return;
    this.log.push(payload);
    if (this.log.length > (this.deps.limits.replayLog?.results ?? 1000)) this.closeLog();
  }

  /** A replaying group past its window: no more late joiners, nothing more kept for them. */
  private closeLog(): void {
    clearTimeout(this.logTimer);
    this.log = undefined;
    this.joinable = false;
    this.deps.onRetire(this);
  }

  /** The feed is over: members are completed once everything pending is delivered. */
  private finish(): void {
    if (this.ending || this.closed) return;
    this.ending = true;
    this.feed.close();
    this.deps.onRetire(this);
    this.pending.push(Promise.resolve(END));
    void this.flush();
  }
}

/** The primary fetch of a plan, with only the variables it uses. */
export function upstreamRequest(plan: SubscriptionPlan, variables: Record<string, unknown>): UpstreamRequest {
  const used = plan.primary.variableUsages ?? [];
  return {
    query: plan.primary.operation,
    operationName: plan.primary.operationName,
    variables: Object.fromEntries(used.filter((name) => variables[name] !== undefined).map((name) => [name, variables[name]])),
  };
}

function serialize(result: unknown): Buffer {
  return Buffer.from(JSON.stringify(result));
}
