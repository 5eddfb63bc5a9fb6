import type { IncomingHttpHeaders } from 'node:http';
import type { InternalContextSigner } from '../../platform/auth/internal-context';
import { INTERNAL_CONTEXT_HEADER } from '../../platform/auth/internal-context';
import { ErrorCode, httpError } from '../../platform/errors';

export interface Tenant {
  id: string;
  slug: string;
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

/**
 * Resolves slugs to schools through the users subgraph (gateway-signed call), caching answers
 * (60 s for a school, 10 s for an unknown slug) so the lookup costs nothing per request.
 */
export function createTenantResolver(opts: {
  usersBaseUrl: () => string;
  sign: InternalContextSigner;
  ttlMs?: number;
  missTtlMs?: number;
}) {
  const cache = new Map<string, { tenant: Tenant | null; until: number }>();
  const inflight = new Map<string, Promise<Tenant | null>>();
  const MAX = 10_000;

  async function fetchTenant(slug: string): Promise<Tenant | null> {
    const res = await fetch(`${opts.usersBaseUrl()}/internal/tenants/${encodeURIComponent(slug)}`, {
      headers: { [INTERNAL_CONTEXT_HEADER]: await opts.sign({}, 'users') },
      signal: AbortSignal.timeout(5000),
    });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`tenant lookup answered ${res.status}`);
    const body = (await res.json()) as Tenant;
    return { id: body.id, slug: body.slug };
  }

  return async (slug: string | undefined): Promise<Tenant> => {
    if (!slug) throw httpError(ErrorCode.TENANT_REQUIRED, 'Name the school with the X-Tenant-ID header or a <school>.<domain> host');
    if (!SLUG.test(slug)) throw httpError(ErrorCode.TENANT_NOT_FOUND, `Unknown school "${slug.slice(0, 63)}"`);
    const hit = cache.get(slug);
    let tenant: Tenant | null;
    if (hit && hit.until > Date.now()) {
      tenant = hit.tenant;
    } else {
      let pending = inflight.get(slug);
      if (!pending) {
        pending = fetchTenant(slug).finally(() => inflight.delete(slug));
        inflight.set(slug, pending);
      }
      try {
        tenant = await pending;
      } catch {
        throw httpError(ErrorCode.INTERNAL_SERVER_ERROR, 'School directory unavailable; try again');
      }
      if (cache.size >= MAX) cache.delete(cache.keys().next().value!);
      cache.set(slug, { tenant, until: Date.now() + (tenant ? (opts.ttlMs ?? 60_000) : (opts.missTtlMs ?? 10_000)) });
    }
    if (!tenant) throw httpError(ErrorCode.TENANT_NOT_FOUND, `Unknown school "${slug}"`);
    return tenant;
  };
}
export type TenantResolver = ReturnType<typeof createTenantResolver>;
