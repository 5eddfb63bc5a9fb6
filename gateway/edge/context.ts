import type { Request } from 'express';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { InternalContext } from '../../platform/auth/internal-context';
import { unauthenticated, withHttpStatus } from '../../platform/errors';
import { chooseLocale, type Locale } from '../../platform/i18n/locale';
import { consumeOrThrow } from '../../platform/rate-limit';
import { requestScope } from '../../platform/request-context';
import type { AccessTokenVerifier, AuthenticatedUser } from './access-token';
import { localizeError } from './localize';
import type { RevokedSessions } from './revoked-sessions';
import { tenantSlugOf, type Tenant, type TenantResolver } from './tenant';

export interface GatewayContext {
  requestId: string;
  ip: string;
  tenant: Tenant;
  user?: AuthenticatedUser;
  /** The language of the answer (platform/i18n/locale.ts). */
  locale: Locale;
}

/** What subgraphs are told of a request's (or a subscriber's) identity: the user without its token's details. */
export function internalContextOf(ctx: Partial<GatewayContext>): InternalContext {
  const { user } = ctx;
  return {
    tenant: ctx.tenant && { id: ctx.tenant.id, slug: ctx.tenant.slug, timezone: ctx.tenant.timezone },
    user: user && { id: user.id, roles: user.roles, sessionId: user.sessionId },
    ip: ctx.ip,
    requestId: ctx.requestId,
    locale: ctx.locale,
  };
}

export interface EdgeDeps {
  tenants: TenantResolver;
  verifyAccessToken: AccessTokenVerifier;
  tenantDomains: string[];
  limits: { perIp: RateLimiterAbstract; perUser: RateLimiterAbstract };
  revokedSessions: Pick<RevokedSessions, 'has' | 'onRevoked'>;
}

/**
 * Everything the edge decides before any subgraph is called: rate limit by IP, the school,
 * the user (a token must belong to that school), rate limit by user.
 */
export function createContextFactory(deps: EdgeDeps) {
  return async (req: Request): Promise<GatewayContext> => {
    const seen: { tenant?: Tenant } = {};
    try {
      return await build(req, seen);
    } catch (err) {
      // Refused before execution: in the language asked for, else the school's when it is known.
      const locale = chooseLocale({ acceptLanguage: req.header('accept-language'), schoolLocale: seen.tenant?.locale });
      throw localizeError(withHttpStatus(err), locale);
    }
  };

  async function build(req: Request, seen: { tenant?: Tenant }): Promise<GatewayContext> {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    await consumeOrThrow(deps.limits.perIp, ip);
    const tenant = await deps.tenants(tenantSlugOf(req.headers, deps.tenantDomains));
    seen.tenant = tenant;
    requestScope.assign({ tenant: tenant.slug });
    const user = await deps.verifyAccessToken(req.header('authorization'), tenant);
    if (user && deps.revokedSessions.has(user.sessionId)) throw unauthenticated('Session has ended; sign in again');
    if (user) {
      requestScope.assign({ userId: user.id });
      await consumeOrThrow(deps.limits.perUser, `${tenant.id}:${user.id}`);
    }
    const locale = chooseLocale({ acceptLanguage: req.header('accept-language'), userLocale: user?.locale, schoolLocale: tenant.locale });
    return { requestId: requestScope.get()?.requestId ?? 'unknown', ip, tenant, user, locale };
  }
}
