import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { getOperationAST, GraphQLError, type ExecutionArgs, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { handleProtocols, makeServer } from 'graphql-ws';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { WebSocketServer, type WebSocket } from 'ws';
import { ErrorCode } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import { consumeOrThrow } from '../../platform/rate-limit';
import { sha256 } from '../../platform/secrets';
import type { RevokedSessions } from '../edge/revoked-sessions';
import type { ExecutedOperation } from '../usage/usage-reporting';
import { ClientSocket, type ClientSocketOptions } from './client-socket';
import { CloseCodes } from './close-codes';
import { ConnectionRefused, type ConnectionAuthenticator } from './connection-auth';
import type { PreparedSubscription, SubscriptionEngine } from './engine';
import type { FormatError } from './event-resolver';
import { Member } from './member';
import type { SubscriptionMetrics } from './metrics';
import { viewerContext } from './principal';

export interface SubscriptionServerOptions {
  /** The gateway's HTTP server: WebSocket upgrades on `path` are served here. */
  server: http.Server;
  /** Default '/graphql', the same path as HTTP operations. */
  path?: string;
  engine: SubscriptionEngine;
  authenticate: ConnectionAuthenticator;
  /** One point per subscribe message, by user. */
  perUser: RateLimiterAbstract;
  /** Login sessions revoked while connected have their connections closed at once. */
  revokedSessions: Pick<RevokedSessions, 'onRevoked'>;
  logger: Logger;
  metrics: SubscriptionMetrics;
  formatError: FormatError;
  /** Proxies in front whose X-Forwarded-For is trusted, as the HTTP side. Default 0. */
  trustProxy?: number;
  /** Protocol ping interval; a client that has not answered the previous ping is dropped. Default 12000 ms. */
  keepAliveMs?: number;
  /** Time allowed between the upgrade and `connection_init`. Default 3000 ms. */
  connectionInitTimeoutMs?: number;
  /** Largest message a client may send. Default 64 KiB. */
  maxPayloadBytes?: number;
  /** Subscriptions one connection may hold at once (apps need a handful). Default 100. */
  maxSubscriptionsPerSocket?: number;
  socket?: Omit<ClientSocketOptions, 'onSlow'>;
  /** Told about every subscription the owning subgraph admitted (the registry's field-usage reporting). */
  onAdmitted?: (op: ExecutedOperation) => void;
}

interface Extra {
  request: http.IncomingMessage;
  client: ClientSocket;
  ip: string;
  connectionId: string;
}

interface SubscribeContext {
  client: ClientSocket;
  id: string;
  connectionId: string;
  prepared: PreparedSubscription;
  clientName?: string;
}

/**
 * graphql-ws (`graphql-transport-ws`) for clients, on the gateway's own HTTP server and path.
 * graphql-ws's protocol engine (`makeServer`) handles the messages; this binding adds what the
 * edge owes every connection: authentication in `connection_init`, closing when the token
 * expires or its session is revoked, keep-alive, bounded per-socket buffers, and event frames
 * written straight to the socket (see Member).
 */
export function startSubscriptionServer(opts: SubscriptionServerOptions) {
  const path = opts.path ?? '/graphql';
  const { logger, metrics, engine } = opts;
  const clients = new Set<ClientSocket>();
  const expiries = new Map<ClientSocket, NodeJS.Timeout>();
  const bySession = new Map<string, Set<ClientSocket>>();
  let closing = false;

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols,
    maxPayload: opts.maxPayloadBytes ?? 64 * 1024,
    perMessageDeflate: false,
  });

  const track = (client: ClientSocket) => {
    const { user } = client.viewer!;
    if (!user) return;
    const delay = user.expiresAt * 1000 - Date.now();
    const expire = () => {
      metrics.closes.inc({ reason: 'token_expired' });
      client.close(CloseCodes.unauthorized, 'Access token expired');
    };
    if (delay <= 0) return expire();
    expiries.set(client, setTimeout(expire, delay).unref());
    if (user.sessionId) {
      let set = bySession.get(user.sessionId);
      if (!set) bySession.set(user.sessionId, (set = new Set()));
      set.add(client);
    }
  };
  const untrack = (client: ClientSocket) => {
    clearTimeout(expiries.get(client));
    expiries.delete(client);
    const sessionId = client.viewer?.user?.sessionId;
    const set = sessionId ? bySession.get(sessionId) : undefined;
    if (set?.delete(client) && set.size === 0) bySession.delete(sessionId!);
  };

  const stopRevocations = opts.revokedSessions.onRevoked((sessionId) => {
    for (const client of bySession.get(sessionId) ?? []) {
      metrics.closes.inc({ reason: 'session_revoked' });
      client.close(CloseCodes.sessionRevoked, 'Session has ended; sign in again');
    }
  });

  const format = (result: ExecutionResult): ExecutionResult => {
    if (!result.errors) return result;
    const errors = result.errors.map((e) => (e instanceof GraphQLError ? opts.formatError(e.toJSON(), e) : (e as GraphQLFormattedError)));
    return { ...result, errors } as unknown as ExecutionResult;
  };

  const protocol = makeServer<Record<string, unknown>, Extra>({
    connectionInitWaitTimeout: opts.connectionInitTimeoutMs ?? 3000,
    async onConnect(ctx) {
      const { client } = ctx.extra;
      try {
        client.viewer = await opts.authenticate(ctx.connectionParams, ctx.extra.request, ctx.extra.ip);
      } catch (err) {
        const refused = err instanceof ConnectionRefused ? err : new ConnectionRefused(CloseCodes.internalError, 'Internal server error');
        if (refused.close === CloseCodes.internalError) logger.error({ err }, 'subscription connection could not be authenticated');
        metrics.closes.inc({ reason: `refused_${refused.close.code}` });
        client.close(refused.close, refused.message);
        return false;
      }
      if (!client.open) return false;
      track(client);
      return true;
    },
    async onSubscribe(ctx, id, payload) {
      const { client } = ctx.extra;
      // graphql-ws registered this one already, hence ">".
      if (Object.keys(ctx.subscriptions).length > (opts.maxSubscriptionsPerSocket ?? 100)) {
        return [new GraphQLError('Too many subscriptions on this connection', { extensions: { code: ErrorCode.RATE_LIMITED } })];
      }
      const user = client.viewer?.user;
      if (user) {
        try {
          await consumeOrThrow(opts.perUser, `${client.viewer!.tenant.id}:${user.id}`);
        } catch (err) {
          if (err instanceof GraphQLError && err.extensions.code === ErrorCode.RATE_LIMITED) return [err];
          throw err;
        }
      }
      const prepared = engine.prepare(payload);
      if (Array.isArray(prepared)) return prepared;
      const clientName = ctx.extra.request.headers['apollographql-client-name'];
      const contextValue: SubscribeContext = {
        client,
        id,
        connectionId: ctx.extra.connectionId,
        prepared,
        clientName: typeof clientName === 'string' ? clientName : undefined,
      };
      return {
        schema: engine.schema!,
        document: prepared.document,
        operationName: prepared.operationName,
        variableValues: prepared.variables,
        contextValue,
      } satisfies ExecutionArgs;
    },
    async subscribe(args) {
      const { client, id, connectionId, prepared, clientName } = args.contextValue as SubscribeContext;
      const member = new Member(client, id, viewerContext(client.viewer!, `${connectionId}:${id}`));
      try {
        const errors = await engine.subscribe(client.viewer!, member, prepared);
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
        logger.error({ err }, 'subscription could not start');
        return { errors: [new GraphQLError('Internal server error', { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } })] };
      }
    },
    // Results that reach graphql-ws's own `next` (refusals, startup errors) get the same
    // formatting as events: no stack, no unexpected message.
    onNext: (_ctx, _id, _payload, _args, result) => format(result as ExecutionResult),
    onClose: (ctx) => untrack(ctx.extra.client),
  });

  const onConnection = (ws: WebSocket, request: http.IncomingMessage) => {
    const client = new ClientSocket(ws, { ...opts.socket, onSlow: () => metrics.closes.inc({ reason: 'slow_consumer' }) });
    clients.add(client);
    metrics.sockets.inc();
    const closed = protocol.opened(
      {
        protocol: ws.protocol,
        send: (data) => client.send(data),
        close: (code, reason) => client.close({ code: code ?? CloseCodes.internalError.code, reason: reason ?? '' }),
        onMessage: (handle) =>
          ws.on('message', async (data) => {
            try {
              await handle(String(data));
            } catch (err) {
              logger.error({ err }, 'subscription message failed');
              client.close(CloseCodes.internalError);
            }
          }),
      },
      { request, client, ip: clientIp(request, opts.trustProxy ?? 0), connectionId: randomUUID() },
    );
    ws.on('pong', () => (client.alive = true));
    ws.on('error', (err) => logger.debug({ err }, 'client socket error'));
    ws.once('close', (code, reason) => {
      clients.delete(client);
      metrics.sockets.dec();
      untrack(client);
      void closed(code, reason.toString());
    });
  };

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://gateway').pathname !== path || closing) {
      socket.end(`HTTP/1.1 ${closing ? '503 Service Unavailable' : '404 Not Found'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req));
  };
  opts.server.on('upgrade', onUpgrade);

  // Each client is pinged once per keepAliveMs and dropped if it has not answered the previous
  // ping. The sweep is spread over the interval in small slices: pinging 10,000 sockets in one
  // go stalls the event loop long enough to show in every subscriber's latency.
  const keepAliveMs = opts.keepAliveMs ?? 12_000;
  const SLICES = 48;
  let sweep = clients.values();
  let round = Date.now();
  const keepAlive = setInterval(() => {
    for (let n = Math.ceil(clients.size / SLICES); n > 0; n--) {
      const next = sweep.next();
      if (next.done) {
        // One visit per client per round, and rounds at least keepAliveMs apart.
        if (Date.now() - round >= keepAliveMs) [sweep, round] = [clients.values(), Date.now()];
        return;
      }
      const client = next.value;
      if (!client.alive) {
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }, keepAliveMs / SLICES);
  keepAlive.unref();

  return {
    /** Stops taking connections, closes every client with 1001 (they reconnect elsewhere), then ends the feeds. */
    async close(graceMs = 5000): Promise<void> {
      closing = true;
      opts.server.off('upgrade', onUpgrade);
      clearInterval(keepAlive);
      stopRevocations();
      const gone = [...clients].map(
        (client) =>
          new Promise<void>((resolve) => {
            if (client.ws.readyState === client.ws.CLOSED) return resolve();
            client.ws.once('close', () => resolve());
            client.close(CloseCodes.goingAway);
          }),
      );
      const timer = setTimeout(() => clients.forEach((c) => c.ws.terminate()), graceMs);
      await Promise.all(gone);
      clearTimeout(timer);
      await engine.close();
      wss.close();
    },
  };
}

/** The client's address: the socket's, or the one `trustProxy` proxies in front reported (as express does). */
function clientIp(req: http.IncomingMessage, trustProxy: number): string {
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .reverse();
  const hops = [req.socket.remoteAddress ?? 'unknown', ...forwarded];
  return hops[Math.min(trustProxy, hops.length - 1)];
}
