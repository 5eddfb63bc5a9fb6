import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL, MessageType, parseMessage, type Message, type SubscribePayload } from 'graphql-ws';
import { ErrorCode } from '../../platform/errors';
import { consumeOrThrow } from '../../platform/rate-limit';
import type { ClientSocket } from './client-socket';
import { CloseCodes } from './close-codes';
import { ConnectionRefused } from './connection-auth';
import type { ConnectionRegistry } from './connection-registry';
import type { PreparedSubscription } from './engine';
import { Member } from './member';
import type { SubscriptionServerOptions } from './subscription-server';

export type ProtocolOptions = Pick<
  SubscriptionServerOptions,
  | 'engine'
  | 'authenticate'
  | 'perUser'
  | 'perSchool'
  | 'logger'
  | 'metrics'
  | 'formatError'
  | 'connectionInitTimeoutMs'
  | 'maxSubscriptionsPerSocket'
  | 'onAdmitted'
  | 'trusted'
>;

/** The protocol as the binding drives it, one call per socket event. */
export interface Protocol {
  /** A socket was upgraded: it has `connectionInitTimeoutMs` to send `connection_init`. */
  opened(client: ClientSocket): void;
  /** A text message from the client. */
  message(client: ClientSocket, data: string): Promise<void>;
  /** The socket closed: its subscriptions end. */
  closed(client: ClientSocket): void;
}

/**
 * graphql-ws's protocol (graphql-transport-ws: its message parsing, codes and semantics), with
 * what the edge owes every connection: authentication in `connection_init` (then the registry
 * watches its token and session), a subscription and rate limit per client, and subscriptions
 * served by the engine's groups rather than by graphql-js's `subscribe`.
 *
 * Served here rather than by graphql-ws's `makeServer`, for the memory of idle classrooms: it keeps
 * per connection a context, its closures and a connection-init timer for as long as the connection
 * lives, and per subscription an async function suspended for the subscription's life (its
 * message, emit closures, execution arguments, a generator and half a dozen promises), about
 * 4 KB per subscriber in all, a third of the gateway's memory at 10,000 subscribers. Here a
 * connection is its ClientSocket, a subscription its Member in the connection's map, and one timer
 * watches every connection that has not sent `connection_init` (InitDeadlines). The messages, their
 * validation (graphql-ws's `parseMessage`), the close codes and the answers are graphql-ws's, and
 * the graphql-ws client is what the tests connect with.
 */
export function createProtocol(opts: ProtocolOptions, registry: ConnectionRegistry): Protocol {
  const deadlines = new InitDeadlines(opts.connectionInitTimeoutMs ?? 3000);
  return {
    opened(client) {
      if (client.ws.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) {
        return client.close({ code: CloseCode.SubprotocolNotAcceptable, reason: 'Subprotocol not acceptable' });
      }
      deadlines.watch(client);
    },
    async message(client, data) {
      let message: Message;
      try {
        message = parseMessage(data);
      } catch {
        return client.close({ code: CloseCode.BadRequest, reason: 'Invalid message received' });
      }
      switch (message.type) {
        case MessageType.ConnectionInit:
          if (client.initReceived) {
            return client.close({ code: CloseCode.TooManyInitialisationRequests, reason: 'Too many initialisation requests' });
          }
          client.initReceived = true;
          deadlines.received(client);
          return connect(opts, registry, client, message.payload ?? undefined);
        case MessageType.Ping:
          return client.send(
            JSON.stringify(message.payload ? { type: MessageType.Pong, payload: message.payload } : { type: MessageType.Pong }),
          );
        case MessageType.Pong:
          return;
        case MessageType.Subscribe:
          return subscribe(opts, client, message.id, message.payload);
        case MessageType.Complete:
          return complete(client, message.id);
        default:
          // What a server may not receive (connection_ack, next, error): the client does not speak the protocol.
          return client.close({ code: CloseCode.BadRequest, reason: `Unexpected message of type ${message.type} received` });
      }
    },
    closed(client) {
      deadlines.received(client);
      cancelAll(client);
      registry.untrack(client);
    },
  };
}

/** `connection_init`: authenticated, then acknowledged; a refused client is closed with the refusal's code. */
async function connect(opts: ProtocolOptions, registry: ConnectionRegistry, client: ClientSocket, params?: Record<string, unknown>) {
  try {
    client.viewer = await opts.authenticate(params, client.headers ?? {}, client.ip);
  } catch (err) {
    const refused = err instanceof ConnectionRefused ? err : new ConnectionRefused(CloseCodes.internalError, 'Internal server error');
    if (refused.close === CloseCodes.internalError) opts.logger.error({ err }, 'subscription connection could not be authenticated');
    opts.metrics.closes.inc({ reason: `refused_${refused.close.code}` });
    return client.close(refused.close, refused.message);
  }
  // Only the client's name is read from now on: thousands of idle classroom connections need not
  // keep every upgrade header (a dozen strings each).
  const clientName = client.headers?.['apollographql-client-name'];
  client.clientName = typeof clientName === 'string' ? clientName : undefined;
  client.headers = undefined;
  // The client may have left while it was being authenticated.
  if (!client.open) return;
  registry.track(client);
  client.acknowledged = true;
  client.send(JSON.stringify({ type: MessageType.ConnectionAck }));
}

/**
 * A `subscribe` message, as graphql-ws answers one: refused before `connection_ack` (4401) or for
 * an id in use (4409); a refusal of the message itself (limits, parse, validation) is an `error`
 * message; an admission refused by the owning subgraph is a `next` with the errors, then
 * `complete`. An admitted subscription stays in the connection's map until the client completes
 * it, the connection closes, or its feed ends (then the client is sent `complete`).
 */
async function subscribe(opts: ProtocolOptions, client: ClientSocket, id: string, payload: SubscribePayload): Promise<void> {
  if (!client.acknowledged) return client.close({ code: CloseCode.Unauthorized, reason: 'Unauthorized' });
  const operations = (client.operations ??= new Map());
  if (operations.has(id)) return client.close({ code: CloseCode.SubscriberAlreadyExists, reason: `Subscriber for ${id} already exists` });
  if (operations.size >= (opts.maxSubscriptionsPerSocket ?? 100)) {
    return sendErrors(opts, client, id, [
      new GraphQLError('Too many subscriptions on this connection', { extensions: { code: ErrorCode.RATE_LIMITED } }),
    ]);
  }
  operations.set(id, null);
  let member: Member | undefined;
  try {
    const prepared = await prepare(opts, client, payload);
    if (!('plan' in prepared)) {
      if (operations.get(id) === null) {
        operations.delete(id);
        sendErrors(opts, client, id, prepared);
      }
      return;
    }
    // Completed by the client (or its connection closed) while it was being prepared.
    if (operations.get(id) !== null) return;
    member = new Member(client, id, client.connectionId);
    operations.set(id, member);
    const admitted = member;
    // Before it joins a group, which may end it (and its feed) at any time from then on.
    admitted.onEnd = () => {
      if (operations.get(id) !== admitted) return;
      operations.delete(id);
      client.send(JSON.stringify({ id, type: MessageType.Complete }));
    };
    const refusal = await opts.engine.subscribe(client.viewer!, admitted, prepared);
    if (refusal) {
      if (operations.get(id) === admitted) finish(client, id, { errors: refusal });
      return;
    }
    // Completed by the client, or its connection closed, while it was being admitted.
    if (operations.get(id) !== admitted) return admitted.cancel();
    opts.onAdmitted?.(opts.engine.usageOf(prepared, client.clientName));
  } catch (err) {
    opts.logger.error({ err }, 'subscription could not start');
    member?.cancel();
    const current = operations.get(id);
    if (current === null || (current && current === member)) {
      const error = new GraphQLError('Internal server error', { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });
      finish(client, id, { errors: [opts.formatError(error.toJSON(), error)] });
    }
  }
}

/** Limits, the trusted-only list, then parse, validate and plan. */
async function prepare(
  opts: ProtocolOptions,
  client: ClientSocket,
  payload: SubscribePayload,
): Promise<PreparedSubscription | readonly GraphQLError[]> {
  const user = client.viewer?.user;
  // The school's rate and the user's, side by side (two Redis round trips at once); the school's refusal first.
  const school = client.viewer && opts.perSchool?.consume(client.viewer.tenant);
  const own = user && consumeOrThrow(opts.perUser, `${client.viewer!.tenant.id}:${user.id}`);
  for (const check of [school, own]) check?.catch(() => undefined);
  try {
    await school;
    await own;
  } catch (err) {
    if (err instanceof GraphQLError && err.extensions.code === ErrorCode.RATE_LIMITED) return [err];
    throw err;
  }
  // A trusted-only client (its name from the upgrade request) subscribes only to its registered
  // operations: in full, or by hash / documentId alone with an empty `query`.
  const verdict = opts.trusted?.check(client.clientName, payload as SubscribePayload & { documentId?: unknown });
  if (verdict && !verdict.open) {
    if ('error' in verdict) return [verdict.error];
    payload = { ...payload, query: verdict.query };
  }
  return opts.engine.prepare(payload);
}

/** A `complete` from the client: the subscription is over, and nothing more is sent for it. */
async function complete(client: ClientSocket, id: string): Promise<void> {
  const member = client.operations?.get(id);
  client.operations?.delete(id);
  member?.cancel();
}

/** The connection closed: every subscription on it leaves its group. */
function cancelAll(client: ClientSocket): void {
  const operations = client.operations;
  if (!operations) return;
  client.operations = undefined;
  // Cleared too: a subscription still being admitted finds itself gone, and lets go at once.
  const members = [...operations.values()];
  operations.clear();
  for (const member of members) member?.cancel();
}

/** An `error` message: the subscribe message was refused (and the subscription is over). */
function sendErrors(opts: ProtocolOptions, client: ClientSocket, id: string, errors: readonly GraphQLError[]): void {
  const payload = errors.map((e) => opts.formatError(e.toJSON(), e));
  client.send(JSON.stringify({ id, type: MessageType.Error, payload }));
}

/** A last `next` (a refused admission's errors), then `complete`. */
function finish(client: ClientSocket, id: string, result: { errors: readonly GraphQLFormattedError[] }): void {
  client.operations?.delete(id);
  client.send(JSON.stringify({ id, type: MessageType.Next, payload: result }));
  client.send(JSON.stringify({ id, type: MessageType.Complete }));
}

/**
 * Closes connections that send no `connection_init` in time (4408, as graphql-ws would): one timer
 * for every connection waiting, rather than one per connection kept for as long as it lives.
 */
class InitDeadlines {
  /** In arrival order, hence deadline order. */
  private readonly waiting = new Map<ClientSocket, number>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly timeoutMs: number) {}

  watch(client: ClientSocket): void {
    if (!(this.timeoutMs > 0 && Number.isFinite(this.timeoutMs))) return;
    this.waiting.set(client, Date.now() + this.timeoutMs);
    this.timer ??= setInterval(() => this.sweep(), Math.min(250, Math.max(10, this.timeoutMs / 10))).unref();
  }

  received(client: ClientSocket): void {
    this.waiting.delete(client);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [client, deadline] of this.waiting) {
      if (deadline > now) break;
      this.waiting.delete(client);
      client.close({ code: CloseCode.ConnectionInitialisationTimeout, reason: 'Connection initialisation timeout' });
    }
    if (this.waiting.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
