import { createClient, type Client } from 'graphql-ws';
import type { GraphQLFormattedError } from 'graphql';
import WebSocket from 'ws';
import type { InternalContext, InternalContextSigner } from '../../platform/auth/internal-context';
import { ErrorCode } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import {
  SUBSCRIPTION_EXTENSION,
  type Admission,
  type ResultExtension,
  type SubscribeExtension,
} from '../../platform/graphql/subscription-protocol';
import type { UpstreamEvent } from './event-resolver';
import type { Principal } from './principal';
import { Semaphore } from './semaphore';

/** The primary fetch as sent to the owning subgraph. */
export interface UpstreamRequest {
  query: string;
  operationName?: string;
  /** Only the variables the primary uses. */
  variables: Record<string, unknown>;
}

export type AdmissionAnswer = { admission: Admission } | { errors: readonly GraphQLFormattedError[] };

export interface FeedHandlers {
  event(event: UpstreamEvent): void;
  /** The feed is over for good: the subgraph completed it, or refused it when it was re-opened. */
  end(): void;
}

export interface UpstreamOptions {
  sign: InternalContextSigner;
  /** The subgraph's WebSocket URL (its routing URL with ws:/wss:), looked up on every connect. */
  wsUrl: (service: string) => string;
  logger: Logger;
  /** Called whenever a feed is (re)opened on a subgraph. */
  onOpen?: (service: string) => void;
  /** How long an admission may wait (queued, or for an unreachable subgraph). Default 30000 ms. */
  admissionTimeoutMs?: number;
  /**
   * Admissions in flight per subgraph; more wait in line. A class starting is a burst of
   * thousands of subscribes: queued here, they reach the subgraph at the pace it answers instead
   * of piling up behind each other there (and behind the keep-alive pongs). Default 64.
   */
  maxAdmissionsInFlight?: number;
  /** Ping interval on subgraph connections; a connection without a pong within it is dropped. Default 10000 ms. */
  keepAliveMs?: number;
  /** Backoff between re-opening attempts of a feed: from `min` doubling to `max`. Default 100 / 5000 ms. */
  retryMs?: { min: number; max: number };
  /** Consecutive refusals (GraphQL errors, not connection losses) before a feed gives up. Default 5. */
  maxRefusals?: number;
}

/**
 * Connections to the subgraphs that own `Subscription` fields: one graphql-ws client per
 * subgraph, every admission and feed multiplexed over it. The clients never retry on their own
 * (they would re-send a subscribe message with expired signed contexts and no resume cursor);
 * feeds re-open themselves with fresh signatures and `resumeAfter`.
 */
export class UpstreamClients {
  private readonly clients = new Map<string, { url: string; client: Client }>();
  private readonly retired: Client[] = [];
  private readonly admitting = new Map<string, Semaphore>();

  constructor(private readonly opts: UpstreamOptions) {}

  /** Asks the owning subgraph whether this client may subscribe, as the client. */
  async admit(service: string, request: UpstreamRequest, viewer: InternalContext): Promise<AdmissionAnswer> {
    const deadline = Date.now() + (this.opts.admissionTimeoutMs ?? 30_000);
    let slots = this.admitting.get(service);
    if (!slots) this.admitting.set(service, (slots = new Semaphore(this.opts.maxAdmissionsInFlight ?? 64)));
    for (let attempt = 0; ; attempt++) {
      const answer = await slots.run(() => this.tryAdmit(service, request, viewer, deadline)).catch((err: Error) => err);
      if (!(answer instanceof Error)) return answer;
      if (Date.now() >= deadline) {
        this.opts.logger.warn({ err: answer, service }, 'subscription admission failed: subgraph unreachable');
        return {
          errors: [{ message: 'Live updates are unavailable right now; try again', extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } }],
        };
      }
      await sleep(Math.min(this.backoff(attempt), Math.max(0, deadline - Date.now())));
    }
  }

  /** Opens the shared feed of a group; it re-opens itself until closed. */
  open(
    service: string,
    request: UpstreamRequest,
    member: () => InternalContext | undefined,
    principal: Principal,
    handlers: FeedHandlers,
  ): UpstreamFeed {
    const feed = new UpstreamFeed(this, service, request, member, principal, handlers);
    feed.start();
    return feed;
  }

  async close(): Promise<void> {
    const clients = [...[...this.clients.values()].map((c) => c.client), ...this.retired];
    this.clients.clear();
    await Promise.all(clients.map((c) => c.dispose()));
  }

  /** @internal */
  client(service: string): Client {
    const url = this.opts.wsUrl(service);
    const current = this.clients.get(service);
    if (current?.url === url) return current.client;
    // A moved subgraph: feeds on the old connection are re-opened by the engine; it closes once idle.
    if (current) this.retired.push(current.client);
    const client = this.connect(service, url);
    this.clients.set(service, { url, client });
    return client;
  }

  /** @internal */
  backoff(attempt: number): number {
    const { min, max } = this.opts.retryMs ?? { min: 100, max: 5000 };
    const ms = Math.min(max, min * 2 ** Math.min(attempt, 16));
    return ms / 2 + Math.random() * (ms / 2);
  }

  /** @internal */
  get options(): UpstreamOptions {
    return this.opts;
  }

  private connect(service: string, url: string): Client {
    const keepAliveMs = this.opts.keepAliveMs ?? 10_000;
    let pongTimer: NodeJS.Timeout | undefined;
    const client: Client = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: true,
      // Short: its timer outlives dispose(), and admission and stream follow each other at once anyway.
      lazyCloseTimeout: 500,
      retryAttempts: 0,
      keepAlive: keepAliveMs,
      connectionParams: async () => ({ context: await this.opts.sign({}, service) }),
      on: {
        ping: (received) => {
          if (!received) pongTimer = setTimeout(() => client.terminate(), keepAliveMs);
        },
        pong: (received) => {
          if (received) clearTimeout(pongTimer);
        },
        closed: (event) => {
          clearTimeout(pongTimer);
          const code = (event as { code?: number })?.code;
          if (code !== 1000) this.opts.logger.warn({ service, code }, 'subscription connection to subgraph closed');
        },
      },
    });
    return client;
  }

  private async tryAdmit(service: string, request: UpstreamRequest, viewer: InternalContext, deadline: number): Promise<AdmissionAnswer> {
    const extension: SubscribeExtension = { mode: 'admit', viewer: await this.opts.sign(viewer, service) };
    return new Promise<AdmissionAnswer>((resolve, reject) => {
      let answer: AdmissionAnswer | undefined;
      const timer = setTimeout(
        () => {
          dispose();
          reject(new Error('admission timed out'));
        },
        Math.max(1, deadline - Date.now()),
      );
      const dispose = this.client(service).subscribe<Record<string, unknown>, Record<string, unknown>>(
        { ...request, extensions: { [SUBSCRIPTION_EXTENSION]: extension } },
        {
          next(result) {
            const admission = (result.extensions?.[SUBSCRIPTION_EXTENSION] as ResultExtension | undefined)?.admission;
            answer ??= admission ? { admission } : { errors: result.errors ?? [{ message: 'Subscription refused' }] };
          },
          error(err) {
            clearTimeout(timer);
            if (Array.isArray(err)) resolve({ errors: err as GraphQLFormattedError[] });
            else reject(err instanceof Error ? err : new Error(`subgraph connection closed (${(err as { code?: number })?.code})`));
          },
          complete() {
            clearTimeout(timer);
            resolve(answer ?? { errors: [{ message: 'Subscription refused' }] });
          },
        },
      );
    });
  }
}

/** The upstream subscription of one group. */
export class UpstreamFeed {
  /** Cursor of the last event received; a re-opened feed continues after it. */
  private lastCursor?: string;
  private dispose?: () => void;
  private retryTimer?: NodeJS.Timeout;
  private closed = false;
  private attempts = 0;
  private refusals = 0;

  constructor(
    private readonly clients: UpstreamClients,
    private service: string,
    private request: UpstreamRequest,
    private readonly member: () => InternalContext | undefined,
    private readonly principal: Principal,
    private readonly handlers: FeedHandlers,
  ) {}

  start(): void {
    void this.open();
  }

  /** Re-opens on a new request (a re-planned primary) or a moved subgraph, resuming after the last cursor. */
  restart(service = this.service, request = this.request): void {
    this.service = service;
    this.request = request;
    this.dispose?.();
    this.dispose = undefined;
    clearTimeout(this.retryTimer);
    void this.open();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.dispose?.();
  }

  private async open(): Promise<void> {
    const member = this.member();
    if (this.closed || !member) return;
    const { sign, onOpen, maxRefusals = 5 } = this.clients.options;
    let extension: SubscribeExtension;
    try {
      const [viewer, principal] = await Promise.all([sign(member, this.service), sign(this.principal.context, this.service)]);
      extension = { mode: 'stream', viewer, principal, ...(this.lastCursor ? { resumeAfter: this.lastCursor } : {}) };
    } catch (err) {
      this.clients.options.logger.error({ err, service: this.service }, 'could not sign a subscription context');
      return this.retryLater();
    }
    if (this.closed) return;
    onOpen?.(this.service);
    let live = true;
    const dispose = this.clients.client(this.service).subscribe<Record<string, unknown>, Record<string, unknown>>(
      { ...this.request, extensions: { [SUBSCRIPTION_EXTENSION]: extension } },
      {
        next: (result) => {
          if (!live) return;
          this.attempts = 0;
          this.refusals = 0;
          const { extensions, ...event } = result;
          const cursor = (extensions?.[SUBSCRIPTION_EXTENSION] as ResultExtension | undefined)?.cursor;
          if (cursor) this.lastCursor = cursor;
          this.handlers.event(event as UpstreamEvent);
        },
        error: (err) => {
          if (!live || this.closed) return;
          live = false;
          // A GraphQL refusal of a feed that was admitted before is retried a few times (the
          // subgraph may be mid-deploy); a lost connection is retried for as long as it takes.
          if (Array.isArray(err) && ++this.refusals > maxRefusals) {
            this.handlers.event({ data: null, errors: err as GraphQLFormattedError[] });
            this.handlers.end();
            return;
          }
          this.retryLater();
        },
        complete: () => {
          if (!live || this.closed) return;
          live = false;
          this.handlers.end();
        },
      },
    );
    this.dispose = () => {
      live = false;
      dispose();
    };
  }

  private retryLater(): void {
    if (this.closed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.open(), this.clients.backoff(this.attempts++));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
