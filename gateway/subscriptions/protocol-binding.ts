import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { handleProtocols, type Server } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../platform/logger';
import { ClientSocket, type ClientSocketOptions } from './client-socket';
import { CloseCodes } from './close-codes';
import type { ConnectionRegistry } from './connection-registry';
import type { KeepAliveSweeper } from './keep-alive-sweeper';
import type { SubscriptionMetrics } from './metrics';
import type { ConnectionExtra } from './protocol';

export interface ProtocolBindingOptions {
  server: http.Server;
  path: string;
  protocol: Server<ConnectionExtra>;
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
 * ClientSockets (bounded writes) handed to graphql-ws, watched by the keep-alive sweep and the
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

  const onConnection = (ws: WebSocket, request: http.IncomingMessage) => {
    const client = new ClientSocket(ws, socketOptions);
    registry.add(client);
    const closed = opts.protocol.opened(
      {
        protocol: ws.protocol,
        send: (data) => client.send(data),
        close: (code, reason) => client.close({ code: code ?? CloseCodes.internalError.code, reason: reason ?? '' }),
        onMessage: (handle) =>
          ws.on('message', (data) => {
            // Not awaited here: a subscription lives inside the `handle` of its subscribe message,
            // and awaiting it would keep this message's buffer for as long as the subscription.
            handle(String(data)).catch((err: unknown) => {
              logger.error({ err }, 'subscription message failed');
              client.close(CloseCodes.internalError);
            });
          }),
      },
      { headers: request.headers, client, ip: clientIp(request, opts.trustProxy ?? 0), connectionId: randomUUID() },
    );
    opts.sweeper.watch(client);
    ws.on('error', (err) => logger.debug({ err }, 'client socket error'));
    ws.once('close', (code, reason) => {
      registry.delete(client);
      void closed(code, reason.toString());
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
