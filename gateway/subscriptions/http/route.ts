import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Registry } from 'prom-client';
import { getOperationAST, GraphQLError, parse, type GraphQLFormattedError, type ParseOptions } from 'graphql';
import { appError, ErrorCode, errorBody, statusOf } from '../../../platform/errors';
import { message } from '../../../platform/i18n/message';
import { chooseLocale, type Locale } from '../../../platform/i18n/locale';
import { translate } from '../../../platform/i18n/translate';
import type { Logger } from '../../../platform/logger';
import type { GatewayContext } from '../../edge/context';
import { API_KEY_HEADER } from '../../partner/partner-keys';
import type { RevokedSessions } from '../../edge/revoked-sessions';
import type { ExecutedOperation } from '../../usage/usage-reporting';
import type { SubscriptionEngine } from '../engine';
import type { FormatError } from '../event-resolver';
import type { SubscriptionMetrics } from '../metrics';
import type { Viewer } from '../principal';
import { remember } from '../remember';
import type { StreamCodec } from './codec';
import { HttpMember } from './http-member';
import { HttpStream } from './http-stream';
import { multipart } from './multipart';
import { negotiate, type HttpTransport } from './negotiate';
import { sse } from './sse';
import { createHttpStreamGauge, HttpStreamRegistry } from './stream-registry';

export interface HttpSubscriptionOptions {
  engine: SubscriptionEngine;
  /**
   * The HTTP side's edge checks (edge/context.ts), as for any request: per-IP and per-user limits
   * (one point per subscription, as graphql-ws's per-user point per subscribe), the school, the
   * access token bound to it, a revoked session, and the language of the answer.
   */
  context: (req: Request) => Promise<GatewayContext>;
  revokedSessions: Pick<RevokedSessions, 'onRevoked'>;
  logger: Logger;
  metrics: SubscriptionMetrics;
  /** The gateway's registry, for the open-streams gauge. */
  registry: Registry;
  formatError: FormatError;
  parseOptions?: ParseOptions;
  /** Unsent bytes per client before it is cut as a slow consumer. Default 4 MiB. */
  maxBufferedBytes?: number;
  /** SSE keep-alive comment interval (multipart's heartbeat is the protocol's 5 s). Default 12000 ms. */
  keepAliveMs?: number;
  onAdmitted?: (op: ExecutedOperation) => void;
}

const codecs: Record<HttpTransport, StreamCodec> = { sse, multipart };

const UNSUPPORTED_SPEC = (spec: string) => message(`Unsupported multipart subscription spec "${spec}"; use subscriptionSpec="1.0"`);

/** GraphQL-over-HTTP parameters of a POST body or GET query string; undefined when they are not well formed. */
interface Params {
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
}

/**
 * Subscriptions over plain HTTP on /graphql, in front of Apollo Server: Server-Sent Events
 * (graphql-sse's distinct connections mode) and Apollo's multipart protocol, chosen by the Accept
 * header (negotiate.ts). Only subscription operations with one of those Accept headers are
 * served here; every other request goes on to Apollo unchanged. A subscription takes the same
 * path as over graphql-ws: the edge checks of any HTTP request, then the engine's `prepare`
 * (operation limits, parse, validation, plan) and `subscribe` (admission by the owning subgraph,
 * then its group), so resume (`after`), dedup and authorization are the same. Events reach the
 * response through an HttpMember (http-member.ts), encoded once per event per transport.
 *
 * graphql-sse's own server handler is not used: it serializes every result for every client and
 * owns the write path, where the groups serialize each event once and bound each client's buffer.
 */
export function httpSubscriptions(opts: HttpSubscriptionOptions) {
  const registry = new HttpStreamRegistry(opts.revokedSessions, opts.metrics, createHttpStreamGauge(opts.registry));
  /** Whether each operation text (and name) is a subscription: parsed here once per distinct text, not per request. */
  const kinds = new Map<string, 'subscription' | 'other' | 'unparseable'>();
  let closing = false;
  const streamOptions = {
    maxBufferedBytes: opts.maxBufferedBytes ?? 4 * 1024 * 1024,
    keepAliveMs: opts.keepAliveMs ?? 12_000,
    onSlow: () => opts.metrics.closes.inc({ reason: 'slow_consumer' }),
  };

  const kindOf = (params: Params) => {
    const key = `${params.operationName ?? ''}\n${params.query}`;
    let kind = kinds.get(key);
    if (!kind) {
      try {
        const document = parse(params.query, opts.parseOptions);
        const operation = getOperationAST(document, params.operationName);
        kind = operation ? (operation.operation === 'subscription' ? 'subscription' : 'other') : 'unparseable';
      } catch {
        kind = 'unparseable';
      }
      // Operations are small; a large text is not kept (1000 of them could be a gigabyte).
      if (key.length <= 8192) remember(kinds, key, kind, 1000);
    }
    return kind;
  };

  const handler: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    // Partners (API keys) are held to their contract by Apollo Server's validation: theirs go on.
    if ((req.method !== 'POST' && req.method !== 'GET') || req.headers[API_KEY_HEADER] !== undefined) return next();
    const negotiated = negotiate(req.headers.accept);
    if (!negotiated) return next();
    const params = paramsOf(req);
    if (!params) return next();
    const kind = kindOf(params);
    // Apollo answers other operations (and, in JSON, documents it cannot parse); an SSE client
    // gets its parse errors on the stream, as the protocol asks.
    if (kind === 'other' || (kind === 'unparseable' && !('transport' in negotiated && negotiated.transport === 'sse'))) return next();
    const locale = () => chooseLocale({ acceptLanguage: req.header('accept-language') });
    if ('unsupported' in negotiated) {
      return sendErrors(res, 400, [
        { message: translate(UNSUPPORTED_SPEC(negotiated.unsupported), locale()), extensions: { code: ErrorCode.BAD_REQUEST } },
      ]);
    }
    if (closing) return sendRequestError(res, shuttingDown(), locale(), opts.logger);
    void serve(req, res, codecs[negotiated.transport], params).catch((err: unknown) => {
      opts.logger.error({ err }, 'HTTP subscription failed');
      if (!res.headersSent) sendErrors(res, 500, [internalError()]);
      else res.destroy();
    });
  };

  async function serve(req: Request, res: Response, codec: StreamCodec, params: Params): Promise<void> {
    let ctx: GatewayContext;
    try {
      ctx = await opts.context(req);
    } catch (err) {
      // Already localized, with its HTTP status (401, 404, 429 with Retry-After, 503…).
      return sendRequestError(res, err, 'en', opts.logger);
    }
    const viewer: Viewer = { tenant: ctx.tenant, user: ctx.user, ip: ctx.ip };
    const stream = new HttpStream(codec, res, viewer, streamOptions);
    const localized = (errors: readonly GraphQLFormattedError[]) =>
      errors.map((e) => ({ ...e, message: translate(e.message, ctx.locale) }));

    const prepared = opts.engine.prepare(params);
    if (Array.isArray(prepared)) {
      const errors = localized(prepared.map((e) => opts.formatError(e.toJSON(), e)));
      // SSE: on the stream (the protocol's rule); multipart: the JSON answer the request also accepts.
      if (codec === sse) return stream.refuse(errors);
      return sendErrors(res, statusOf(errors[0]?.extensions?.code as ErrorCode), errors);
    }

    const member = new HttpMember(stream, ctx.requestId);
    // The client hung up (or the server ended the stream): leave the group at once.
    res.once('close', () => member.cancel());
    let refusal: readonly GraphQLFormattedError[] | undefined;
    try {
      refusal = await opts.engine.subscribe(viewer, member, prepared);
    } catch (err) {
      opts.logger.error({ err }, 'HTTP subscription could not start');
      refusal = [internalError()];
    }
    if (refusal) return stream.refuse(localized(refusal));
    // It left while it was being admitted: the first `cancel` found no group to leave.
    if (!stream.open) return member.cancel();
    stream.start();
    registry.track(stream, ctx.locale);
    opts.onAdmitted?.(opts.engine.usageOf(prepared, req.header('apollographql-client-name')));
  }

  return {
    /** Mount on /graphql before Apollo Server's middleware. */
    handler,
    /** Open streams (the tests read it). */
    get size() {
      return registry.size;
    },
    /** New subscriptions get 503 from now on; open streams end with SERVICE_UNAVAILABLE (subscribe again with `after`). */
    async close(graceMs = 5000): Promise<void> {
      closing = true;
      await registry.closeAll(graceMs);
    },
  };
}

/** `query`, `operationName`, `variables` of a POST JSON body or a GET query string (variables as JSON there). */
function paramsOf(req: Request): Params | undefined {
  const source = (req.method === 'GET' ? req.query : req.body) as Record<string, unknown> | undefined;
  if (!source || typeof source !== 'object' || Array.isArray(source)) return undefined;
  const { query, operationName } = source;
  let variables = source.variables;
  if (typeof query !== 'string' || !query) return undefined;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return undefined;
  if (typeof variables === 'string') {
    try {
      variables = JSON.parse(variables);
    } catch {
      return undefined;
    }
  }
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
  return {
    query,
    operationName: operationName ?? undefined,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
  };
}

const internalError = (): GraphQLFormattedError => ({
  message: message('Internal server error'),
  extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
});

const shuttingDown = () =>
  appError(ErrorCode.SERVICE_UNAVAILABLE, 'The gateway is shutting down; subscribe again with `after`', { retryAfterSeconds: 1 });

function sendErrors(res: Response, status: number, errors: readonly GraphQLFormattedError[], headers: Record<string, string> = {}): void {
  res.status(status).set(headers).json({ errors });
}

/** A refusal before any stream (edge checks, shutdown) as the platform's JSON error, with its status and Retry-After. */
function sendRequestError(res: Response, err: unknown, locale: Locale, logger: Logger): void {
  if (!(err instanceof GraphQLError) || typeof err.extensions.code !== 'string') {
    logger.error({ err }, 'HTTP subscription refused unexpectedly');
    res.status(500).json(errorBody(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error'));
    return;
  }
  const { http, ...extensions } = err.extensions as { http?: { status?: number; headers?: Map<string, string> } } & Record<string, unknown>;
  const code = extensions.code as ErrorCode;
  const retryAfter = extensions.retryAfterSeconds;
  const headers: Record<string, string> = Object.fromEntries(http?.headers ?? []);
  if (typeof retryAfter === 'number') headers['retry-after'] ??= String(Math.ceil(retryAfter));
  sendErrors(res, http?.status ?? statusOf(code), [{ message: translate(err.message, locale), extensions }], headers);
}
