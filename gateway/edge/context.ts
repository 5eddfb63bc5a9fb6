import type { Request } from 'express';
import type { InternalContext } from '../../platform/auth/internal-context';
import { unauthenticated, withHttpStatus } from '../../platform/errors';
import { chooseLocale, type Locale } from '../../platform/i18n/locale';
import { consumeOrThrow, type ConsumingLimiter } from '../../platform/rate-limit';
import { requestScope } from '../../platform/request-context';
import type { AccessTokenVerifier, AuthenticatedUser } from './access-token';
import { localizeError } from './localize';
import type { RevokedSessions } from './revoked-sessions';
import type { SchoolRequestLimiter } from './school-limits';
import { tenantSlugOf, type Tenant, type TenantResolver } from './tenant';

export interface GatewayContext {
  requestId: string;
  ip: string;
  tenant: Tenant;
  user?: AuthenticatedUser;
  /** The language of the answer (platform/i18n/locale.ts). */
  locale: Locale;
  /** A partner calling with an API key (gateway/partner): no user, the key's school, the partner contract. */
  partner?: { name: string; keyId: string };
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
  limits: { perIp: ConsumingLimiter; perUser: ConsumingLimiter; perSchool?: SchoolRequestLimiter };
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

  /**
   * The limits' Redis round trips run side by side rather than one after the other: the per-IP
   * count while a cached school is looked up, the school's while the token is verified, the
   * user's with them. A refusal is still reported in the order of the checks: the IP's, the
   * school lookup's, the school's rate, the token's, the user's rate.
   */
  async function build(req: Request, seen: { tenant?: Tenant }): Promise<GatewayContext> {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const ipCheck = pending(consumeOrThrow(deps.limits.perIp, ip));
    const slug = tenantSlugOf(req.headers, deps.tenantDomains);
    // A school not in the cache costs a directory call: only for a client within its IP limit.
    if (!deps.tenants.cached?.(slug)) await ipCheck.done();
    const tenant = await ipCheck.before(deps.tenants(slug));
    seen.tenant = tenant;
    requestScope.assign({ tenant: tenant.slug });
    const schoolCheck = pending(deps.limits.perSchool?.consume(tenant));
    const user = await ipCheck.before(schoolCheck.before(deps.verifyAccessToken(req.header('authorization'), tenant)));
    if (user && deps.revokedSessions.has(user.sessionId)) {
      await ipCheck.done();
      await schoolCheck.done();
      throw unauthenticated('Session has ended; sign in again');
    }
    if (user) requestScope.assign({ userId: user.id });
    const userCheck = user ? consumeOrThrow(deps.limits.perUser, `${tenant.id}:${user.id}`) : undefined;
    userCheck?.catch(() => undefined);
    await ipCheck.done();
    await schoolCheck.done();
    await userCheck;
    const locale = chooseLocale({ acceptLanguage: req.header('accept-language'), userLocale: user?.locale, schoolLocale: tenant.locale });
    return { requestId: requestScope.get()?.requestId ?? 'unknown', ip, tenant, user, locale };
  }
}

/**
 * A check started now and awaited later, that reports its refusal first: `before(p)` settles like
 * `p` once the check has passed (its rejection wins otherwise). Never an unhandled rejection.
 */
function pending(check: Promise<void> | undefined) {
  check?.catch(() => undefined);
  const done = async () => {
    await check;
  };
  return {
    done,
    async before<T>(next: Promise<T>): Promise<T> {
      try {
        return await next;
      } finally {
        // Reached on both outcomes: a refused check then rejects in place of `next`'s own error.
        await done();
      }
    },
  };
}
