import type http from 'node:http';
import { getOperationAST, GraphQLError, type ExecutionArgs, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { makeServer, type Context, type OperationResult, type SubscribePayload } from 'graphql-ws';
import { ErrorCode } from '../../platform/errors';
import { consumeOrThrow } from '../../platform/rate-limit';
import { sha256 } from '../../platform/secrets';
import type { ClientSocket } from './client-socket';
import { CloseCodes } from './close-codes';
import { ConnectionRefused } from './connection-auth';
import type { ConnectionRegistry } from './connection-registry';
import type { PreparedSubscription } from './engine';
import type { FormatError } from './event-resolver';
import { Member } from './member';
import type { SubscriptionServerOptions } from './subscription-server';

/** What the protocol binding hands graphql-ws with each connection. */
export interface ConnectionExtra {
  /**
   * The upgrade request's headers (tenant host, client name). Not the request itself: held for as
   * long as the connection lives, it would keep its stream state and raw headers for nothing.
   * Trimmed to what is still read once `connection_init` is accepted.
   */
  headers: http.IncomingHttpHeaders;
  client: ClientSocket;
  ip: string;
  connectionId: string;
}

type ConnectionContext = Context<Record<string, unknown>, ConnectionExtra>;

/** From `onSubscribe` to `subscribe`, through graphql-ws's ExecutionArgs. */
interface SubscribeContext {
  client: ClientSocket;
  id: string;
  connectionId: string;
  prepared: PreparedSubscription;
  clientName?: string;
}

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

/**
 * graphql-ws's protocol engine (`makeServer`), with what the edge owes every connection:
 * authentication in `connection_init` (then the registry watches its token and session), a
 * subscription and rate limit per client, and subscriptions served by the engine's groups
 * rather than by graphql-js's `subscribe`.
 */
export function createProtocol(opts: ProtocolOptions, registry: ConnectionRegistry) {
  return makeServer<Record<string, unknown>, ConnectionExtra>({
    connectionInitWaitTimeout: opts.connectionInitTimeoutMs ?? 3000,
    onConnect: (ctx) => connect(opts, registry, ctx),
    onSubscribe: (ctx, id, payload) => prepare(opts, ctx, id, payload),
    subscribe: (args) => join(opts, args),
    // Results that reach graphql-ws's own `next` (refusals, startup errors) get the same
    // formatting as events: no stack, no unexpected message.
    onNext: (_ctx, _id, _payload, _args, result) => formatResult(opts.formatError, result as ExecutionResult),
    // Refusals of a subscribe message (limits, parse, validation) likewise, and counted in metrics.
    onError: (_ctx, _id, _payload, errors) => errors.map((e) => opts.formatError(e.toJSON(), e)),
    onClose: (ctx) => registry.untrack(ctx.extra.client),
  });
}

/** `connection_init`: true to acknowledge; a refused client is closed with the refusal's code. */
async function connect(opts: ProtocolOptions, registry: ConnectionRegistry, ctx: ConnectionContext): Promise<boolean> {
  const { client } = ctx.extra;
  try {
    client.viewer = await opts.authenticate(ctx.connectionParams, ctx.extra.headers, ctx.extra.ip);
  } catch (err) {
    const refused = err instanceof ConnectionRefused ? err : new ConnectionRefused(CloseCodes.internalError, 'Internal server error');
    if (refused.close === CloseCodes.internalError) opts.logger.error({ err }, 'subscription connection could not be authenticated');
    opts.metrics.closes.inc({ reason: `refused_${refused.close.code}` });
    client.close(refused.close, refused.message);
    return false;
  }
  // Held by graphql-ws for as long as the connection lives, and the access token in it was
  // needed only now: thousands of idle classroom connections need not keep theirs. Nor every
  // upgrade header (a dozen strings each): only the client's name is read from now on.
  (ctx as { connectionParams?: unknown }).connectionParams = undefined;
  ctx.extra.headers = keptHeaders(ctx.extra.headers);
  // The client may have left while it was being authenticated.
  if (!client.open) return false;
  registry.track(client);
  return true;
}

/** `subscribe` message: limits, then parse, validate and plan; errors go to the client as they are. */
async function prepare(
  opts: ProtocolOptions,
  ctx: ConnectionContext,
  id: string,
  payload: SubscribePayload,
): Promise<ExecutionArgs | readonly GraphQLError[]> {
  const { client } = ctx.extra;
  // graphql-ws registered this one already, hence ">".
  if (Object.keys(ctx.subscriptions).length > (opts.maxSubscriptionsPerSocket ?? 100)) {
    return [new GraphQLError('Too many subscriptions on this connection', { extensions: { code: ErrorCode.RATE_LIMITED } })];
  }
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
  const clientName = ctx.extra.headers['apollographql-client-name'];
  const appName = typeof clientName === 'string' ? clientName : undefined;
  // A trusted-only client (its name from the upgrade request) subscribes only to its registered
  // operations: in full, or by hash / documentId alone with an empty `query`.
  const verdict = opts.trusted?.check(appName, payload as SubscribePayload & { documentId?: unknown });
  if (verdict && !verdict.open) {
    if ('error' in verdict) return [verdict.error];
    (payload as { query: string }).query = verdict.query;
  }
  const prepared = opts.engine.prepare(payload);
  if (Array.isArray(prepared)) return prepared;
  // graphql-ws keeps the subscribe message with the subscription: let it keep the shared text,
  // and not the variables, which `prepared` has (coerced) from now on.
  (payload as { query: string }).query = prepared.text;
  (payload as { variables?: unknown }).variables = undefined;
  const contextValue: SubscribeContext = {
    client,
    id,
    connectionId: ctx.extra.connectionId,
    prepared,
    clientName: appName,
  };
  return {
    schema: opts.engine.schema!,
    document: prepared.document,
    operationName: prepared.operationName,
    variableValues: prepared.variables,
    contextValue,
  } satisfies ExecutionArgs;
}

/**
 * Admits the client through the owning subgraph and puts it in its group. The Member returned
 * is the result stream graphql-ws waits on; events bypass it, written straight to the socket.
 */
async function join(opts: ProtocolOptions, args: ExecutionArgs): Promise<Awaited<OperationResult>> {
  const { client, id, connectionId, prepared, clientName } = args.contextValue as SubscribeContext;
  const member = new Member(client, id, connectionId);
  // graphql-ws keeps these arguments as long as the subscription lives, and they were needed
  // only until now (its hooks that receive them, `onNext`, read none of them).
  const kept = args as { contextValue?: unknown; variableValues?: unknown };
  kept.contextValue = undefined;
  kept.variableValues = undefined;
  try {
    const errors = await opts.engine.subscribe(client.viewer!, member, prepared);
    if (errors) return { errors } as unknown as ExecutionResult;
    opts.onAdmitted?.({
      schema: args.schema,
      document: prepared.document,
      // Clients may leave operationName out when the document has one operation.
      operationName: prepared.operationName ?? getOperationAST(prepared.document)?.name?.value,
      queryHash: sha256(prepared.text),
      client: clientName,
    });
    return member;
  } catch (err) {
    opts.logger.error({ err }, 'subscription could not start');
    return { errors: [new GraphQLError('Internal server error', { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } })] };
  }
}

const NO_HEADERS: http.IncomingHttpHeaders = Object.freeze({});

/** The upgrade headers still read once a connection is accepted (`prepare`). */
function keptHeaders(headers: http.IncomingHttpHeaders): http.IncomingHttpHeaders {
  const clientName = headers['apollographql-client-name'];
  return clientName === undefined ? NO_HEADERS : { 'apollographql-client-name': clientName };
}

function formatResult(formatError: FormatError, result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result;
  const errors = result.errors.map((e) => (e instanceof GraphQLError ? formatError(e.toJSON(), e) : (e as GraphQLFormattedError)));
  return { ...result, errors } as unknown as ExecutionResult;
}
