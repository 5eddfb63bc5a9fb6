import type { Request } from 'express';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { appError, ErrorCode, forbidden, unauthenticated, withHttpStatus } from '../../platform/errors';
import { chooseLocale } from '../../platform/i18n/locale';
import { consumeOrThrow } from '../../platform/rate-limit';
import { requestScope } from '../../platform/request-context';
import type { EdgeDeps, GatewayContext } from '../edge/context';
import { localizeError } from '../edge/localize';
import { tenantSlugOf, type Tenant } from '../edge/tenant';
import { API_KEY_HEADER, type PartnerKeys } from './partner-keys';

export interface PartnerEdgeDeps extends Pick<EdgeDeps, 'tenants' | 'tenantDomains' | 'limits'> {
  keys: Pick<PartnerKeys, 'lookup' | 'loaded'>;
  /** The limiter of keys allowed `ratePerMinute` requests a minute (one per distinct rate). */
  perKey: (ratePerMinute: number) => RateLimiterAbstract;
}

/** One limiter per distinct key rate (rate-limiter-flexible fixes the points per limiter). */
export function keyLimiters(create: (ratePerMinute: number) => RateLimiterAbstract) {
  const limiters = new Map<number, RateLimiterAbstract>();
  return (rate: number) => {
    let limiter = limiters.get(rate);
    if (!limiter) limiters.set(rate, (limiter = create(rate)));
    return limiter;
  };
}

/**
 * The context of a call with a partner API key (`X-Api-Key`); any other call goes to `forUser`.
 * A key has no user: it acts, anonymously, for the one school it was issued for, so it reaches
 * what an anonymous caller of that school reaches, narrowed to the partner contract. A request
 * naming another school (X-Tenant-ID or subdomain) is refused, never served for it. Limits: the
 * per-IP one, the school's (when configured) and the key's own rate.
 */
export function partnerContextFactory(deps: PartnerEdgeDeps, forUser: (req: Request) => Promise<GatewayContext>) {
  return async (req: Request): Promise<GatewayContext> => {
    const presented = req.header(API_KEY_HEADER);
    if (presented === undefined) return forUser(req);
    const seen: { tenant?: Tenant } = {};
    try {
      return await build(req, presented, seen);
    } catch (err) {
      const locale = chooseLocale({ acceptLanguage: req.header('accept-language'), schoolLocale: seen.tenant?.locale });
      throw localizeError(withHttpStatus(err), locale);
    }
  };

  async function build(req: Request, presented: string, seen: { tenant?: Tenant }): Promise<GatewayContext> {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    await consumeOrThrow(deps.limits.perIp, ip);
    if (req.header('authorization')) throw appError(ErrorCode.BAD_REQUEST, 'Send an API key or a sign-in token, not both');
    if (!deps.keys.loaded)
      throw appError(ErrorCode.SERVICE_UNAVAILABLE, 'Partner access is not ready yet; try again shortly', { retryAfterSeconds: 5 });
    const key = deps.keys.lookup(presented.trim());
    if (!key) throw unauthenticated('This API key is unknown or revoked');
    await consumeOrThrow(deps.perKey(key.ratePerMinute), key.id);
    const named = tenantSlugOf(req.headers, deps.tenantDomains);
    if (named !== undefined && named !== key.school) throw forbidden('This API key is for another school');
    const tenant = await deps.tenants(key.school);
    seen.tenant = tenant;
    await deps.limits.perSchool?.consume(tenant);
    requestScope.assign({ tenant: tenant.slug });
    const locale = chooseLocale({ acceptLanguage: req.header('accept-language'), schoolLocale: tenant.locale });
    return {
      requestId: requestScope.get()?.requestId ?? 'unknown',
      ip,
      tenant,
      locale,
      partner: { name: key.partner, keyId: key.id },
    };
  }
}
