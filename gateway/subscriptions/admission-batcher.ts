import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { valueFromASTUntyped, type GraphQLFormattedError } from 'graphql';
import { vouchFor, type InternalContext, type InternalContextSigner } from '../../platform/auth/internal-context';
import { ErrorCode } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { Sharing } from '../../platform/graphql/subscription-protocol';
import type { BatchAdmission } from './runtime';
import type { AdmissionAnswer } from './upstream';

export interface AdmissionBatcherOptions {
  sign: InternalContextSigner;
  /** POSTs a GraphQL request body to the subgraph under the signed context `context`. */
  post(service: string, body: string, context: string, timeoutMs: number): Promise<GatewayGraphQLResponse>;
  logger: Logger;
  /** Called once per call sent to a subgraph (metrics, and the tests' count). */
  onCall?: (service: string) => void;
  /**
   * How long a batch waits for one more admission: it goes once none has joined it for this long.
   * Default 20 ms: a lone subscriber hardly notices it.
   */
  windowMs?: number;
  /**
   * How long the first admission of a batch waits at most, however steadily others keep joining
   * (at least `windowMs`). Default 150 ms. A class starting (a thousand subscribers a second,
   * arriving in clumps) is then sent in calls of ~140 rather than ~20: each call costs the
   * subgraph ~6 ms of CPU whatever its size (its queries, its request), each admission in it
   * ~0.16 ms (bench/admissions.ts).
   */
  maxWaitMs?: number;
  /** Admissions per call at most. Default 500. */
  maxBatch?: number;
  /**
   * Calls in flight per subgraph; while they run, new admissions gather into the next ones, so
   * the busier the subgraph, the larger its batches. Default 4.
   */
  maxCallsInFlight?: number;
  /** How long an admission may wait (gathered, queued, or for an unreachable subgraph). Default 30000 ms. */
  admissionTimeoutMs?: number;
  /** Milliseconds to wait before attempt `attempt + 1` after a call failed. */
  backoff(attempt: number): number;
}

interface Waiting {
  viewer: InternalContext;
  arguments: Record<string, unknown>;
  deadline: number;
  attempts: number;
  resolve(answer: AdmissionAnswer): void;
}

/** The admissions gathered for one (subgraph, field, school). */
interface Queue {
  key: string;
  service: string;
  batch: BatchAdmission;
  tenant: NonNullable<InternalContext['tenant']> | undefined;
  waiting: Waiting[];
  /** When the first admission of the batch and the latest one joined (ms). */
  first: number;
  last: number;
  /** Quiet for `windowMs`, past `maxWaitMs`, or full: goes out as soon as the subgraph has a free slot. */
  due: boolean;
  timer?: NodeJS.Timeout;
}

export const DEFAULT_ADMISSION_WINDOW_MS = 20;
export const DEFAULT_ADMISSION_MAX_WAIT_MS = 150;

const unavailable = (): AdmissionAnswer => ({
  errors: [{ message: 'Live updates are unavailable right now; try again', extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } }],
});

/**
 * Subscription admissions, many per subgraph call. Admissions arriving close together (each
 * within `windowMs` of the last, for at most `maxWaitMs`) are gathered per (subgraph, field,
 * school) and sent as one call to the field's batch admission
 * (runtime.ts `BatchAdmission`), each element carrying the subscriber's identity (which the
 * call's signed context vouches for, internal-context.ts `vouchFor`) and the arguments of its
 * own subscription; the subgraph judges each element on its own and answers
 * each at its index. A batch never mixes schools (the call is signed for that school). A call
 * that fails (subgraph unreachable, timed out, or answering without the list) is retried for the
 * admissions still within their deadline; the others are refused with SERVICE_UNAVAILABLE.
 */
export class AdmissionBatcher {
  private readonly queues = new Map<string, Queue>();
  private readonly inFlight = new Map<string, number>();
  private sequence = 0;
  private closed = false;

  constructor(private readonly opts: AdmissionBatcherOptions) {}

  admit(service: string, batch: BatchAdmission, variables: Record<string, unknown>, viewer: InternalContext): Promise<AdmissionAnswer> {
    const args: Record<string, unknown> = {};
    for (const node of batch.arguments) {
      const value = valueFromASTUntyped(node.value, variables);
      if (value !== undefined) args[node.name.value] = value;
    }
    return new Promise((resolve) =>
      this.enqueue(service, batch, {
        viewer,
        arguments: args,
        deadline: Date.now() + (this.opts.admissionTimeoutMs ?? 30_000),
        attempts: 0,
        resolve,
      }),
    );
  }

  /** Refuses every admission still waiting (the gateway is stopping). */
  close(): void {
    this.closed = true;
    for (const queue of this.queues.values()) {
      clearTimeout(queue.timer);
      for (const w of queue.waiting) w.resolve(unavailable());
    }
    this.queues.clear();
  }

  private enqueue(service: string, batch: BatchAdmission, waiting: Waiting): void {
    if (this.closed) return waiting.resolve(unavailable());
    const tenant = waiting.viewer.tenant;
    // The field and response key too: a batch is one request shape to one Query field.
    const key = `${service}\n${batch.field}\n${batch.responseKey}\n${tenant?.id ?? ''}`;
    const now = Date.now();
    let queue = this.queues.get(key);
    if (!queue) this.queues.set(key, (queue = { key, service, batch, tenant, waiting: [], first: now, last: now, due: false }));
    queue.waiting.push(waiting);
    queue.last = now;
    if (queue.waiting.length >= (this.opts.maxBatch ?? 500)) this.markDue(queue);
    else if (!queue.due && !queue.timer) queue.timer = setTimeout(() => this.ripen(queue), this.window);
  }

  private get window(): number {
    return this.opts.windowMs ?? DEFAULT_ADMISSION_WINDOW_MS;
  }

  /**
   * A batch's timer: due once it has been quiet for the window or its first admission has waited
   * `maxWaitMs`, else the timer is set again for whichever comes first. One timer per batch, not
   * one reset per admission: a burst's thousands of admissions cost a few timers.
   */
  private ripen(queue: Queue): void {
    queue.timer = undefined;
    const maxWait = Math.max(this.opts.maxWaitMs ?? DEFAULT_ADMISSION_MAX_WAIT_MS, this.window);
    const dueAt = Math.min(queue.last + this.window, queue.first + maxWait);
    const now = Date.now();
    if (dueAt > now) queue.timer = setTimeout(() => this.ripen(queue), dueAt - now);
    else this.markDue(queue);
  }

  private markDue(queue: Queue): void {
    clearTimeout(queue.timer);
    queue.timer = undefined;
    queue.due = true;
    this.pump(queue.service);
  }

  /** Sends the due batches of `service` while it has free slots. */
  private pump(service: string): void {
    const max = this.opts.maxCallsInFlight ?? 4;
    for (const queue of this.queues.values()) {
      if (queue.service !== service || !queue.due) continue;
      while (queue.waiting.length > 0 && (this.inFlight.get(service) ?? 0) < max) {
        const waiting = queue.waiting.splice(0, this.opts.maxBatch ?? 500);
        if (queue.waiting.length === 0) this.queues.delete(queue.key);
        this.inFlight.set(service, (this.inFlight.get(service) ?? 0) + 1);
        void this.send(queue, waiting).finally(() => {
          this.inFlight.set(service, this.inFlight.get(service)! - 1);
          this.pump(service);
        });
      }
    }
  }

  private async send(queue: Queue, waiting: Waiting[]): Promise<void> {
    const { service, batch } = queue;
    let answers: AdmissionAnswer[];
    try {
      // One signature for the batch: the call's context vouches for each element's identity.
      const { identities, vouches } = vouchFor(waiting.map((w) => w.viewer));
      const context = await this.opts.sign(
        { tenant: queue.tenant, requestId: `admissions-${process.pid}-${++this.sequence}`, vouches },
        service,
      );
      const body = JSON.stringify({
        query: `query SubscriptionAdmissions($requests: ${batch.requestsType}) { ${batch.field}(requests: $requests) { sharing replays } }`,
        variables: { requests: waiting.map((w, i) => ({ ...w.arguments, viewer: identities[i] })) },
      });
      const timeoutMs = Math.max(1, Math.max(...waiting.map((w) => w.deadline)) - Date.now());
      this.opts.onCall?.(service);
      answers = answersOf(await this.opts.post(service, body, context, timeoutMs), batch, waiting.length);
    } catch (err) {
      return this.retry(queue, waiting, err as Error);
    }
    waiting.forEach((w, i) => w.resolve(answers[i]));
  }

  /** A failed call: its admissions past their deadline are refused, the others go again after a pause. */
  private retry(queue: Queue, waiting: Waiting[], err: Error): void {
    this.opts.logger.warn({ err, service: queue.service, admissions: waiting.length }, 'subscription admission call failed');
    const now = Date.now();
    for (const w of waiting) {
      if (now >= w.deadline) {
        w.resolve(unavailable());
        continue;
      }
      const pause = Math.min(this.opts.backoff(w.attempts++), w.deadline - now);
      setTimeout(() => this.enqueue(queue.service, queue.batch, w), pause);
    }
  }
}

/**
 * Each element's answer: its admission, or the errors at its index (located at the client's
 * root field, as a refusal over graphql-ws was). Throws when the call failed as a whole.
 */
function answersOf(response: GatewayGraphQLResponse, batch: BatchAdmission, count: number): AdmissionAnswer[] {
  const list = (response.data as Record<string, unknown> | null | undefined)?.[batch.field];
  if (!Array.isArray(list) || list.length !== count) {
    const first = response.errors?.[0];
    throw new Error(`batch admission failed: ${first ? `${String(first.extensions?.code)} ${first.message}` : 'no answer list'}`);
  }
  const errorsAt: GraphQLFormattedError[][] = list.map(() => []);
  for (const error of response.errors ?? []) {
    const index = error.path?.[0] === batch.field ? error.path[1] : undefined;
    if (typeof index === 'number' && index >= 0 && index < count) {
      errorsAt[index].push({
        message: error.message,
        path: [batch.responseKey],
        ...(error.extensions ? { extensions: error.extensions } : {}),
      });
    }
  }
  return list.map((admission: { sharing?: Sharing; replays?: boolean } | null, i): AdmissionAnswer => {
    if (admission && errorsAt[i].length === 0) {
      return { admission: { sharing: admission.sharing === 'role' ? 'role' : 'viewer', replays: admission.replays === true } };
    }
    return { errors: errorsAt[i].length > 0 ? errorsAt[i] : [{ message: 'Subscription refused', path: [batch.responseKey] }] };
  });
}
