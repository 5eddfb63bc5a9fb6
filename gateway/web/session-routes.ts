import type { ApolloServer } from '@apollo/server';
import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { appError, badInput, ErrorCode, errorBody, statusOf } from '../../platform/errors';
import { chooseLocale, type Locale } from '../../platform/i18n/locale';
import { translate } from '../../platform/i18n/translate';
import type { Logger } from '../../platform/logger';
import type { GatewayContext } from '../edge/context';
import { declaresJson, originAllowed } from './csrf';
import type { RefreshCookie } from './refresh-cookie';

/** Largest body of a sign-in route: an email and a password (the app-wide BODY_LIMIT has already bounded the read). */
export const SESSION_BODY_LIMIT_BYTES = 4096;
/** RFC 5321's longest address. */
export const EMAIL_MAX = 254;
/** Above users' own maximum (which answers "Invalid email or password"): a bound on what reaches it, not the policy. */
export const PASSWORD_MAX = 256;

const SESSION_FIELDS = 'accessToken accessTokenExpiresAt refreshToken user { id displayName roles locale }';
const LOGIN = `mutation WebSessionLogin($email: String!, $password: String!) { login(email: $email, password: $password) { ${SESSION_FIELDS} } }`;
const REFRESH = `mutation WebSessionRefresh($refreshToken: String!) { refreshToken(refreshToken: $refreshToken) { ${SESSION_FIELDS} } }`;
const LOGOUT = 'mutation WebSessionLogout($refreshToken: String!) { logout(refreshToken: $refreshToken) }';

interface AuthPayload {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  user: { id: string; displayName: string; roles: string[]; locale: string };
}

export interface SessionRouteDeps {
  /** The gateway's Apollo Server: the mutations run through its plugins (limits, localization, usage) like any operation. */
  apollo: Pick<ApolloServer<GatewayContext>, 'executeOperation'>;
  /** The edge context of /graphql (edge/context.ts): school, per-IP and per-school limits, language. */
  context: (req: Request) => Promise<GatewayContext>;
  cookie: RefreshCookie;
  /** CORS_ORIGINS: pages there may call these routes too (Origin check). */
  corsOrigins: string[];
  logger: Logger;
}

/** A refusal: its HTTP status, and the error as GraphQL would report it. */
class Refusal {
  constructor(
    readonly status: number,
    readonly errors: readonly GraphQLFormattedError[],
  ) {}
}

const refusal = (status: number, body: { errors: GraphQLFormattedError[] } | GraphQLError) =>
  new Refusal(status, body instanceof GraphQLError ? [body.toJSON()] : body.errors);

/**
 * The browser's sign-in (web/src/api/session.ts): POST /auth/login, /auth/refresh, /auth/logout,
 * mounted at /auth. The access token goes in the JSON answer (the page keeps it in memory); the
 * refresh token only ever in the HttpOnly cookie of the school (refresh-cookie.ts). The routes
 * call the users subgraph's login, refreshToken and logout mutations through the gateway's own
 * Apollo Server, with the context /graphql builds, so the school, the limits and the language
 * are decided exactly as for /graphql; errors have its shape and codes.
 *
 * Returns the router and the error handler of the body parser's failures on these paths, to
 * mount together: `app.use('/auth', ...sessionRoutes(deps))`.
 */
export function sessionRoutes(deps: SessionRouteDeps): [Router, ErrorRequestHandler] {
  const router = Router();
  const guarded = (handler: (req: Request, res: Response) => Promise<void>): RequestHandler[] => [
    (req, res, next) => {
      res.setHeader('Cache-Control', 'no-store');
      const refused = preflight(req);
      if (refused) return answerError(res, refused, chooseLocale({ acceptLanguage: req.header('accept-language') }));
      // These routes act for whoever holds the cookie; a bearer token (possibly stale) plays no part.
      delete req.headers.authorization;
      next();
    },
    (req, res, next) => handler(req, res).catch(next),
  ];

  /** CSRF and size checks, before anything else is done for the request. */
  function preflight(req: Request): Refusal | undefined {
    if (!declaresJson(req)) return refusal(415, errorBody(ErrorCode.BAD_REQUEST, 'Send the body as JSON (Content-Type: application/json)'));
    if (!originAllowed(req, deps.corsOrigins)) return refusal(403, errorBody(ErrorCode.FORBIDDEN, 'Not allowed'));
    const declared = Number(req.header('content-length'));
    const size = Number.isFinite(declared) && declared > 0 ? declared : Buffer.byteLength(JSON.stringify(req.body ?? ''));
    if (size > SESSION_BODY_LIMIT_BYTES) return refusal(413, errorBody(ErrorCode.PAYLOAD_TOO_LARGE, 'Request body is too large'));
    return undefined;
  }

  /** The edge context, or the refusal /graphql would answer (already in the caller's language). */
  async function contextOf(req: Request): Promise<GatewayContext> {
    try {
      return await deps.context(req);
    } catch (err) {
      if (!(err instanceof GraphQLError)) throw err;
      const { http, ...extensions } = err.extensions as { http?: { status?: number } } & Record<string, unknown>;
      throw new Refusal(http?.status ?? statusFor(extensions.code), [{ message: err.message, extensions }]);
    }
  }

  /** Runs one of the mutations as /graphql would; its errors become the answer. */
  async function run<T>(ctx: GatewayContext, query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await deps.apollo.executeOperation<T>({ query, variables }, { contextValue: ctx });
    if (response.body.kind !== 'single') throw new Error('unexpected incremental answer');
    const { data, errors } = response.body.singleResult;
    if (errors?.length || !data) {
      const given = response.http.status;
      throw new Refusal(given && given >= 400 ? given : statusFor(errors?.[0]?.extensions?.code), errors ?? []);
    }
    return data;
  }

  /** The answer of a login or a refresh: the access token and who it is for; the refresh token goes in the cookie only. */
  function signedIn(req: Request, res: Response, ctx: GatewayContext, payload: AuthPayload) {
    deps.cookie.set(req, res, ctx.tenant.slug, payload.refreshToken);
    const { accessToken, accessTokenExpiresAt, user } = payload;
    res.setHeader('Content-Language', ctx.locale);
    res.status(200).json({ accessToken, accessTokenExpiresAt, user });
  }

  /**
   * One route: the edge context first (school, limits, language, as for /graphql: even a malformed
   * login is counted), then `action`; a refusal from either is the answer, in the caller's language.
   */
  const route = (
    action: (req: Request, res: Response, ctx: GatewayContext) => Promise<void>,
    onRefusal?: (req: Request, res: Response, ctx: GatewayContext, refused: Refusal) => void,
  ) =>
    guarded(async (req, res) => {
      let ctx: GatewayContext | undefined;
      try {
        ctx = await contextOf(req);
        await action(req, res, ctx);
      } catch (err) {
        if (!(err instanceof Refusal)) throw err;
        if (ctx) onRefusal?.(req, res, ctx, err);
        answerError(res, err, ctx?.locale ?? chooseLocale({ acceptLanguage: req.header('accept-language') }));
      }
    });

  router.post(
    '/login',
    ...route(async (req, res, ctx) => {
      const { login } = await run<{ login: AuthPayload }>(ctx, LOGIN, credentialsOf(req.body));
      signedIn(req, res, ctx, login);
    }),
  );

  router.post(
    '/refresh',
    ...route(
      async (req, res, ctx) => {
        const token = deps.cookie.read(req, ctx.tenant.slug);
        if (!token) throw refusal(401, errorBody(ErrorCode.UNAUTHENTICATED, 'Authentication required'));
        const { refreshToken } = await run<{ refreshToken: AuthPayload }>(ctx, REFRESH, { refreshToken: token });
        signedIn(req, res, ctx, refreshToken);
      },
      // A refused token is gone for good (used, revoked, expired); a busy or unreachable users service is not.
      (req, res, ctx, refused) => refused.status === 401 && deps.cookie.clear(req, res, ctx.tenant.slug),
    ),
  );

  router.post(
    '/logout',
    ...route(async (req, res, ctx) => {
      const token = deps.cookie.read(req, ctx.tenant.slug);
      // Signed out on this browser whatever happens next; an error below says the session may outlive it.
      deps.cookie.clear(req, res, ctx.tenant.slug);
      // `false` (an unknown token) is success too: that session is not live.
      if (token) await run<{ logout: boolean }>(ctx, LOGOUT, { refreshToken: token });
      res.status(204).end();
    }),
  );

  /** Body-parser failures on these paths (malformed or oversized JSON), in the caller's language. */
  const bodyErrors: ErrorRequestHandler = (err: { type?: string }, req, res, next) => {
    if (res.headersSent) return next(err);
    const locale = chooseLocale({ acceptLanguage: req.header('accept-language') });
    res.setHeader('Cache-Control', 'no-store');
    if (err.type === 'entity.too.large') {
      return answerError(res, refusal(413, errorBody(ErrorCode.PAYLOAD_TOO_LARGE, 'Request body is too large')), locale);
    }
    if (err.type === 'entity.parse.failed') {
      return answerError(res, refusal(400, errorBody(ErrorCode.BAD_REQUEST, 'Request body is not valid JSON')), locale);
    }
    deps.logger.error({ err }, 'sign-in route failed');
    answerError(res, refusal(500, errorBody(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error')), locale);
  };

  return [router, bodyErrors];
}

/** `{ email, password }`, each a non-blank string within its bound. */
function credentialsOf(body: unknown): { email: string; password: string } {
  const given = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const check = (field: 'email' | 'password', max: number): string => {
    const value = given[field];
    if (typeof value !== 'string' || !value.trim()) throw refusal(400, badInput(`${field} must not be blank`, field));
    if (value.length > max) throw refusal(400, badInput(`${field} must be at most ${max} characters`, field));
    return value;
  };
  return { email: check('email', EMAIL_MAX), password: check('password', PASSWORD_MAX) };
}

/** The HTTP status of an error code when it is the whole answer (as for /graphql's request-level errors). */
function statusFor(code: unknown): number {
  if (code === ErrorCode.INTERNAL_SERVER_ERROR || code === ErrorCode.SUBGRAPH_INVALID_RESPONSE) return 500;
  return typeof code === 'string' ? statusOf(code as ErrorCode) : 500;
}

/**
 * `{ errors: [{ message, extensions: { code } }] }` with the status, Retry-After when the error
 * says when to retry, and messages in `locale` (a translated message stays as it is).
 */
function answerError(res: Response, refused: Refusal, locale: Locale) {
  const errors = refused.errors.length ? refused.errors : [appError(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error').toJSON()];
  const retryAfter = errors[0].extensions?.retryAfterSeconds;
  if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(Math.ceil(retryAfter)));
  res.setHeader('Content-Language', locale);
  res.status(refused.status).json({
    errors: errors.map(({ message, extensions }) => ({ message: translate(message, locale), extensions: { ...extensions } })),
  });
}
