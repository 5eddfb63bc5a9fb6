import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { handleProtocols } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../platform/logger';
import { ClientSocket, type ClientSocketOptions } from './client-socket';
import { CloseCodes } from './close-codes';
import type { ConnectionRegistry } from './connection-registry';
import type { KeepAliveSweeper } from './keep-alive-sweeper';
import type { SubscriptionMetrics } from './metrics';
import type { Protocol } from './protocol';

/**
 * A random UUID as one flat string. `randomUUID()` builds its text by concatenation, and V8 keeps
 * that as a rope of ~13 strings (about 0.4 KB) for as long as the connection lives: 4 MB of the
 * gateway's heap at 10,000 subscribers.
 */
const flatUuid = () => Buffer.from(randomUUID(), 'latin1').toString('latin1');

export interface ProtocolBindingOptions {
  server: http.Server;
  path: string;
  protocol: Protocol;
  registry: ConnectionRegistry;
  sweeper: KeepAliveSweeper;
  logger: Logger;
  metrics: SubscriptionMetrics;
  trustProxy?: number;
  maxPayloadBytes?: number;
  socket?: Omit<ClientSocketOptions, 'onSlow'>;
}

/**
 * Serves the protocol on the gateway's own HTTP server: WebSocket upgrades on `path` become
 * ClientSockets (bounded writes) whose messages the protocol serves, watched by the keep-alive sweep and the
 * registry. Upgrades on any other path are answered 404: the HTTP side serves none.
 */
export function bindProtocol(opts: ProtocolBindingOptions) {
  const { logger, metrics, registry } = opts;
  let closing = false;
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols,
    maxPayload: opts.maxPayloadBytes ?? 64 * 1024,
    // Compression costs a zlib context per socket and CPU per frame, for frames that are mostly small.
    perMessageDeflate: false,
    // The registry keeps the open connections; ws's own set would be a second one, with a listener per socket.
    clientTracking: false,
  });

  // One options object for every socket, not one (and a closure) per connection.
  const socketOptions: ClientSocketOptions = { ...opts.socket, onSlow: () => metrics.closes.inc({ reason: 'slow_consumer' }) };

  const onError = (err: Error) => logger.debug({ err }, 'client socket error');
  const onConnection = (ws: WebSocket, request: http.IncomingMessage) => {
    const client = new ClientSocket(ws, socketOptions, {
      headers: request.headers,
      ip: clientIp(request, opts.trustProxy ?? 0),
      connectionId: flatUuid(),
    });
    registry.add(client);
    opts.protocol.opened(client);
    opts.sweeper.watch(client);
    ws.on('message', (data) => {
      // Not awaited: a message's work (authentication, an admission) must not hold up the next.
      opts.protocol.message(client, String(data)).catch((err: unknown) => {
        logger.error({ err }, 'subscription message failed');
        client.close(CloseCodes.internalError);
      });
    });
    ws.on('error', onError);
    ws.once('close', () => {
      registry.delete(client);
      opts.protocol.closed(client);
    });
  };

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://gateway').pathname !== opts.path || closing) {
      socket.end(`HTTP/1.1 ${closing ? '503 Service Unavailable' : '404 Not Found'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req));
  };
  opts.server.on('upgrade', onUpgrade);

  return {
    /** New upgrades are refused from now on; open connections stay. */
    stopAccepting(): void {
      closing = true;
      opts.server.off('upgrade', onUpgrade);
    },
    close(): void {
      wss.close();
    },
  };
}

/** The client's address: the socket's, or the one `trustProxy` proxies in front reported (as express does). */
export function clientIp(req: http.IncomingMessage, trustProxy: number): string {
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .reverse();
  const hops = [req.socket.remoteAddress ?? 'unknown', ...forwarded];
  return hops[Math.min(trustProxy, hops.length - 1)];
}
