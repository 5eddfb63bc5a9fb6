import type http from 'node:http';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import type { FormattedExecutionResult } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { InternalContextError, type InternalContext, type InternalContextVerifier } from '../auth/internal-context';
import type { EventBus } from '../bus/event-bus';
import type { Logger } from '../logger';
import { redisUnavailable } from '../redis';
import { createFormatError } from './format-error';
import { createLiveFeeds, feedInfo, type LiveFeeds } from './live-stream';
import type { SubgraphContext } from './subgraph-server';
import { SUBSCRIPTION_EXTENSION, type ResultExtension, type SubscribeExtension } from './subscription-protocol';

/** The context a subscription field's `subscribe` gets: the usual one plus bus-backed feeds. */
export type SubscriptionContext<Loaders = unknown> = SubgraphContext<Loaders> & { live: LiveFeeds };

export interface SubgraphSubscriptionOptions<Loaders> {
  /** Subgraph name: the audience the gateway signs contexts for. */
  name: string;
  /** The subgraph's HTTP server; WebSocket upgrades on `path` are served, others refused. */
  server: http.Server;
  /** Default '/graphql' (the gateway derives the WebSocket URL from the routing URL). */
  path?: string;
  schema: GraphQLSchema;
  verifyContext: InternalContextVerifier;
  /** Same factory as for HTTP requests (subgraphContextFactory); called once per event. */
  createContext: (internal: InternalContext) => SubgraphContext<Loaders>;
  bus: EventBus;
  logger: Logger;
  /** Server ping interval; a peer that does not answer within it is dropped. Default 12000 ms. */
  keepAliveMs?: number;
}

interface Pending {
  extension: SubscribeExtension;
  principal?: InternalContext;
}

/**
 * Serves a subgraph's `Subscription` fields to the gateway over graphql-ws, on the same path as
 * its HTTP endpoint. Only the gateway may connect (signed context in `connection_init`), and
 * every operation names who it is for (signed contexts in `extensions`, see
 * subscription-protocol.ts): `admit` runs the field's `subscribe` as the client and answers how
 * the feed may be shared; `stream` runs it as an admitted member and resolves every event as
 * the group's principal, with the event's cursor in the result.
 */
export function serveSubgraphSubscriptions<Loaders>(opts: SubgraphSubscriptionOptions<Loaders>): { close(): Promise<void> } {
  const formatError = createFormatError(opts.logger);
  const pending = new WeakMap<object, Pending>();
  const documents = new Map<string, DocumentNode>();
  const MAX_DOCUMENTS = 1000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  const path = opts.path ?? '/graphql';

  const onUpgrade = (req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://subgraph').pathname !== path) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  opts.server.on('upgrade', onUpgrade);

  const verify = async (token: unknown): Promise<InternalContext> => {
    if (typeof token !== 'string') throw new InternalContextError('missing internal context');
    return opts.verifyContext(token);
  };

  /** Parsed and validated once per distinct operation text: the gateway sends few, many times. */
  const documentFor = (query: string): DocumentNode | readonly GraphQLError[] => {
    const hit = documents.get(query);
    if (hit) return hit;
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (err) {
      return [err as GraphQLError];
    }
    const errors = validate(opts.schema, document);
    if (errors.length > 0) return errors;
    if (documents.size >= MAX_DOCUMENTS) documents.delete(documents.keys().next().value!);
    documents.set(query, document);
    return document;
  };

  const format = (result: ExecutionResult): FormattedExecutionResult => ({
    ...result,
    errors: result.errors?.map((e) => formatError(e.toJSON(), e)),
  });

  const server = useServer(
    {
      schema: opts.schema,
      async onConnect(ctx) {
        try {
          await verify(ctx.connectionParams?.context);
          return true;
        } catch {
          return false;
        }
      },
      async onSubscribe(_ctx, _id, payload) {
        const extension = payload.extensions?.[SUBSCRIPTION_EXTENSION] as SubscribeExtension | undefined;
        if (!extension || (extension.mode !== 'admit' && extension.mode !== 'stream')) {
          return [new GraphQLError('Subscriptions are served to the gateway only')];
        }
        let viewer: InternalContext;
        let principal: InternalContext | undefined;
        try {
          viewer = await verify(extension.viewer);
          if (extension.mode === 'stream') principal = await verify(extension.principal);
        } catch {
          return [new GraphQLError('Invalid internal context', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        const document = documentFor(payload.query);
        if (!('kind' in document)) return document;
        if (getOperationAST(document, payload.operationName)?.operation !== 'subscription') {
          return [new GraphQLError('Only subscriptions are served over WebSocket')];
        }
        const contextValue: SubscriptionContext<Loaders> = {
          ...opts.createContext(viewer),
          live: createLiveFeeds(opts.bus, extension.resumeAfter),
        };
        pending.set(contextValue, { extension, principal });
        return {
          schema: opts.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        } satisfies ExecutionArgs;
      },
      async subscribe(args) {
        const { extension, principal } = pending.get(args.contextValue as object)!;
        const stream = await createSourceEventStream(args);
        if (!isAsyncIterable(stream)) return stream;
        const source = stream as AsyncIterableIterator<unknown>;
        const info = feedInfo(source);
        if (extension.mode === 'admit') {
          await source.return?.();
          // Feeds are lazy and would wait silently for the bus to come back; a client admitted
          // now could not tell that from a quiet room, so it is told to retry instead. Feeds
          // already running (and re-opened ones) keep waiting: they resume without a gap.
          if (info && !opts.bus.available()) return { errors: [redisUnavailable('Live updates')] };
          const admission = { sharing: info?.sharing ?? 'viewer', replays: info?.replays ?? false };
          return { data: null, extensions: { [SUBSCRIPTION_EXTENSION]: { admission } satisfies ResultExtension } };
        }
        return mapEvents(source, async (event): Promise<ExecutionResult> => {
          const result = await execute({ ...args, rootValue: event, contextValue: opts.createContext(principal!) });
          const cursor = info?.cursorOf(event);
          return cursor === undefined
            ? result
            : { ...result, extensions: { ...result.extensions, [SUBSCRIPTION_EXTENSION]: { cursor } satisfies ResultExtension } };
        });
      },
      // graphql-ws sends `error.toJSON()`; formatting here masks unexpected errors (and keeps
      // their stack in our logs, not in the gateway's) before they leave the subgraph.
      onNext: (_ctx, _id, _payload, _args, result) => format(result as ExecutionResult),
    },
    wss,
    opts.keepAliveMs ?? 12_000,
  );

  return {
    async close() {
      opts.server.off('upgrade', onUpgrade);
      await server.dispose();
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === 'function';
}

/**
 * Maps each event of `source` through `fn`, one at a time, as an explicit iterator whose
 * `return()` closes the source at once (graphql-ws calls it when the gateway completes).
 */
function mapEvents<T, R>(source: AsyncIterator<T>, fn: (event: T) => Promise<R>): AsyncIterableIterator<R> {
  const iterator: AsyncIterableIterator<R> = {
    async next() {
      const step = await source.next();
      if (step.done) return { value: undefined, done: true };
      return { value: await fn(step.value), done: false };
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
