import type { IncomingHttpHeaders } from 'node:http';
import type { InternalContextSigner } from '../../platform/auth/internal-context';
import { INTERNAL_CONTEXT_HEADER } from '../../platform/auth/internal-context';
import { ErrorCode, httpError } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import { withTraceHeaders } from '../../platform/tracing/propagation';

export interface Tenant {
  id: string;
  slug: string;
  /** The school's default language (`AR`, `EN`). */
  locale?: string;
  /** The school's IANA time zone (its calendar days: "live sessions today"). */
  timezone?: string;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The school slug of a request: the X-Tenant-ID header, else the host's first label when the
 * host is `<slug>.<one of the tenant domains>` (demo.localhost, demo.manassa.eg).
 */
export function tenantSlugOf(headers: IncomingHttpHeaders, domains: string[]): string | undefined {
  const header = headers['x-tenant-id'];
  if (typeof header === 'string' && header.trim()) return header.trim().toLowerCase();
  const host = (headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
  for (const domain of domains) {
    if (host.endsWith(`.${domain}`)) {
      const label = host.slice(0, -(domain.length + 1));
      if (label && !label.includes('.')) return label;
    }
  }
  return undefined;
}

/** Seconds a client is told to wait when the school directory cannot answer. */
export const DIRECTORY_RETRY_AFTER_SECONDS = 5;

/**
 * Resolves slugs to schools through the users subgraph (gateway-signed call), caching answers
 * (60 s for a school, 10 s for an unknown slug) so the lookup costs nothing per request. When
 * the directory cannot answer, a school it knew within `staleMs` is still served (schools are
 * rarely renamed or removed, and courses can keep answering while users is down); otherwise the
 * request gets SERVICE_UNAVAILABLE (HTTP 503, Retry-After).
 */
export function createTenantResolver(opts: {
  usersBaseUrl: () => string;
  sign: InternalContextSigner;
  /** Default 60000 ms. */
  ttlMs?: number;
  /** Default 10000 ms. */
  missTtlMs?: number;
  /** How long past its ttl a known school is served while the directory is unreachable. Default 1 h. */
  staleMs?: number;
  /** Default 5000 ms. */
  timeoutMs?: number;
  logger?: Logger;
}) {
  /** `until`: when to ask again; `knownUntil`: how long a school may be served while the directory is down. */
  const cache = new Map<string, { tenant: Tenant | null; until: number; knownUntil: number }>();
  const inflight = new Map<string, Promise<Tenant | null>>();
  const MAX = 10_000;

  async function fetchTenant(slug: string): Promise<Tenant | null> {
    const res = await fetch(`${opts.usersBaseUrl()}/internal/tenants/${encodeURIComponent(slug)}`, {
      // Tracing on: the lookup is part of the trace of the request that missed the cache.
      headers: withTraceHeaders({ [INTERNAL_CONTEXT_HEADER]: await opts.sign({}, 'users') }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
    });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`tenant lookup answered ${res.status}`);
    const body = (await res.json()) as Tenant;
    return { id: body.id, slug: body.slug, locale: body.locale, timezone: body.timezone };
  }

  const resolve = async (slug: string | undefined): Promise<Tenant> => {
    if (!slug) throw httpError(ErrorCode.TENANT_REQUIRED, 'Name the school with the X-Tenant-ID header or a <school>.<domain> host');
    if (!SLUG.test(slug)) throw httpError(ErrorCode.TENANT_NOT_FOUND, `Unknown school "${slug.slice(0, 63)}"`);
    const hit = cache.get(slug);
    let tenant: Tenant | null;
    if (hit && hit.until > Date.now()) {
      tenant = hit.tenant;
    } else {
      let pending = inflight.get(slug);
      if (!pending) {
        pending = fetchTenant(slug)
          .catch((err: unknown) => {
            // Once per lookup, not per request waiting on it.
            opts.logger?.warn({ err, slug }, 'school directory unavailable');
            throw err;
          })
          .finally(() => inflight.delete(slug));
        inflight.set(slug, pending);
      }
      try {
        tenant = await pending;
      } catch {
        if (hit?.tenant && hit.knownUntil > Date.now()) {
          // Ask again in a few seconds, not on every request: a hanging directory would delay each one.
          hit.until = Date.now() + DIRECTORY_RETRY_AFTER_SECONDS * 1000;
          return hit.tenant;
        }
        throw httpError(ErrorCode.SERVICE_UNAVAILABLE, 'The school directory is unavailable; try again shortly', {
          serviceName: 'users',
          retryAfterSeconds: DIRECTORY_RETRY_AFTER_SECONDS,
        });
      }
      if (cache.size >= MAX) cache.delete(cache.keys().next().value!);
      const until = Date.now() + (tenant ? (opts.ttlMs ?? 60_000) : (opts.missTtlMs ?? 10_000));
      cache.set(slug, { tenant, until, knownUntil: until + (opts.staleMs ?? 3_600_000) });
    }
    if (!tenant) throw httpError(ErrorCode.TENANT_NOT_FOUND, `Unknown school "${slug}"`);
    return tenant;
  };
  const cached = (slug: string | undefined) => !!slug && (cache.get(slug)?.until ?? 0) > Date.now();
  return Object.assign(resolve, { cached }) as TenantResolver;
}

export interface TenantResolver {
  (slug: string | undefined): Promise<Tenant>;
  /**
   * Whether a lookup of `slug` is answered from the cache, without calling the directory: the edge
   * then runs it alongside the per-IP limit instead of after it (edge/context.ts).
   */
  cached?(slug: string | undefined): boolean;
}
