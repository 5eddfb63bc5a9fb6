import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { requestScope } from './request-context';
import { ErrorCode, errorBody } from './errors';
import { traceHttpRequest } from './tracing/spans';
import { tracingOn } from './tracing/tracing';

export interface HttpServiceOptions {
  name: string;
  logger: Logger;
  metrics: Metrics;
  /** Answers /readyz: true when every dependency the service needs answers. */
  ready: () => Promise<boolean>;
  /** Largest JSON body accepted; default 1 MB (Apollo Router's default is 2 MB; our operations are small). */
  bodyLimit?: string;
  /** Trust X-Forwarded-For from this many proxies in front (k8s ingress); default 0 in dev, set in prod. */
  trustProxy?: number | boolean;
  /**
   * Paths whose request bodies stay raw bytes (a Buffer in `req.body`, whatever the content type,
   * up to `limit`, default `bodyLimit`), never parsed as JSON: signed webhooks verify, keep and
   * forward exactly what was sent. Default none.
   */
  rawBodies?: { paths: string[]; limit?: string };
  /**
   * With tracing on: a request's `traceparent` header continues its caller's trace (subgraphs,
   * called by the gateway). Default false: each request starts a trace of its own (the public
   * edge, where clients must not pick our trace ids or sampling).
   */
  continueTraces?: boolean;
}

/** Probes and scrapes: never traced (they would drown the requests in traces of their own). */
const UNTRACED = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The express app every service is built on: request ids in the async scope (so logs carry
 * them), request metrics, /healthz, /readyz and /metrics, JSON parsing with a size limit, and
 * a JSON error answer (stable code, no stack) for bodies that never reach GraphQL.
 */
export function createHttpApp(opts: HttpServiceOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxy ?? false);

  app.use((req, res, next) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    // Read now: middleware mounted with app.use('/graphql', …) (Apollo's) sees req.path without
    // its mount path while it answers, which is when 'finish' fires.
    const path = req.path;
    opts.metrics.inFlight.inc();
    res.on('close', () => opts.metrics.inFlight.dec());
    const routeOf = () =>
      req.route
        ? `${req.baseUrl}${String(req.route.path)}`.replace(/(.)\/$/, '$1') // a router's route, under its mount path
        : path === '/graphql' || path.startsWith('/graphql/')
          ? '/graphql'
          : 'other';
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      opts.metrics.httpDuration.observe({ method: req.method, route: routeOf(), status: String(res.statusCode) }, seconds);
    });
    const run = () => requestScope.run({ requestId }, () => next());
    if (tracingOn() && !UNTRACED.has(path)) traceHttpRequest(opts.name, req, res, path, routeOf, opts.continueTraces ?? false, run);
    else run();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: opts.name });
  });
  app.get('/readyz', async (_req, res) => {
    const ok = await opts.ready().catch(() => false);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', service: opts.name });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', opts.metrics.registry.contentType);
    res.send(await opts.metrics.registry.metrics());
  });
  if (opts.rawBodies?.paths.length) {
    app.use(opts.rawBodies.paths, express.raw({ type: () => true, limit: opts.rawBodies.limit ?? opts.bodyLimit ?? '1mb' }));
  }
  app.use(express.json({ limit: opts.bodyLimit ?? '1mb' }));
  return app;
}

/** Last handler: body-parser failures and anything unexpected become a JSON error with a stable code. */
export function jsonErrorHandler(logger: Logger) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.too.large') {
      res.status(413).json(errorBody(ErrorCode.PAYLOAD_TOO_LARGE, 'Request body is too large'));
    } else if (e.type === 'entity.parse.failed') {
      res.status(400).json(errorBody(ErrorCode.BAD_REQUEST, 'Request body is not valid JSON'));
    } else if (e.status && e.status >= 400 && e.status < 500) {
      res.status(e.status).json(errorBody(ErrorCode.BAD_REQUEST, e.message ?? 'Bad request'));
    } else {
      logger.error({ err }, 'unhandled HTTP error');
      res.status(500).json(errorBody(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error'));
    }
  };
}

export interface RunningServer {
  server: http.Server;
  port: number;
  url: string;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then cuts the rest. */
  close(graceMs?: number): Promise<void>;
}

/**
 * The HTTP server of an app, not yet listening (so that upgrade handlers can be attached before
 * the first connection arrives).
 */
export function createServer(app: Express | http.RequestListener): http.Server {
  const server = http.createServer(app as http.RequestListener);
  // Node's default keep-alive (5 s) is shorter than most load balancers' idle timeout; a longer
  // one avoids the LB reusing a socket the server is closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  return server;
}

/** Listens on `port` (0 = any free port) on `host`; resolves once listening. */
export async function listen(target: Express | http.RequestListener | http.Server, port: number, host = '0.0.0.0'): Promise<RunningServer> {
  const server = target instanceof http.Server ? target : createServer(target);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    server,
    port: actual,
    url: `http://127.0.0.1:${actual}`,
    close: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        // Keep-alive sockets turn idle as their last response ends; close them as they do,
        // instead of waiting for clients to hang up.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => {
          clearTimeout(cut);
          clearInterval(sweep);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
