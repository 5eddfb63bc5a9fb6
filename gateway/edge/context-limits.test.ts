import type { Request } from 'express';
import { GraphQLError } from 'graphql';
import { unauthenticated } from '../../platform/errors';
import { createLimiter } from '../../platform/rate-limit';
import type { AuthenticatedUser } from './access-token';
import { createContextFactory } from './context';
import { configuredSchoolLimits, createSchoolRequestLimiter } from './school-limits';
import type { Tenant, TenantResolver } from './tenant';

const schools: Record<string, Tenant> = { demo: { id: 'school-demo', slug: 'demo' }, nile: { id: 'school-nile', slug: 'nile' } };
const user: AuthenticatedUser = { id: 'u1', roles: ['STUDENT'], sessionId: 's1' } as AuthenticatedUser;

/**
 * The edge's limits now run side by side (edge/context.ts): what each request is answered is the
 * same as when they ran one after the other. The first refusal in the order of the checks wins
 * (the IP's, the school lookup's, the school's rate, the token's, the user's), and a school that
 * is not cached is looked up only for a client within its IP limit.
 */
describe('edge limits, side by side', () => {
  const setup = (limits: { ip?: number; school?: number; user?: number }, known: string[] = ['demo', 'nile']) => {
    const lookups: string[] = [];
    const tenants = Object.assign(
      async (slug: string | undefined) => {
        lookups.push(slug ?? '');
        const tenant = slug && known.includes(slug) ? schools[slug] : undefined;
        if (!tenant) throw new GraphQLError('Unknown school', { extensions: { code: 'TENANT_NOT_FOUND' } });
        return tenant;
      },
      { cached: (slug: string | undefined) => !!slug && known.includes(slug) },
    ) as TenantResolver;
    const contextFor = createContextFactory({
      tenants,
      verifyAccessToken: async (authorization) => {
        if (!authorization) return undefined;
        if (authorization !== 'Bearer good') throw unauthenticated('Access token is invalid');
        return user;
      },
      tenantDomains: [],
      limits: {
        perIp: createLimiter({ name: 'ip', points: limits.ip ?? 1000, duration: 60 }),
        perUser: createLimiter({ name: 'user', points: limits.user ?? 1000, duration: 60 }),
        perSchool: createSchoolRequestLimiter(configuredSchoolLimits({ requestsPerMinute: limits.school ?? 1000, maxSubscriptions: 1 })),
      },
      revokedSessions: { has: () => false, onRevoked: () => () => undefined },
    });
    const ask = async (school: string, authorization?: string) => {
      const req = {
        ip: '10.0.0.1',
        headers: { 'x-tenant-id': school },
        header: (name: string) => (name === 'authorization' ? authorization : undefined),
      } as unknown as Request;
      try {
        const ctx = await contextFor(req);
        return `ok ${ctx.tenant.slug}${ctx.user ? ` ${ctx.user.id}` : ''}`;
      } catch (err) {
        const e = err as GraphQLError;
        const http = e.extensions.http as { status: number; headers?: Map<string, string> } | undefined;
        return `${e.extensions.code} ${http?.status ?? ''} ${http?.headers?.get('retry-after') ?? ''} ${e.message}`.trim();
      }
    };
    return { ask, lookups };
  };

  it('answers a school over its rate 429 with Retry-After, and another school as before', async () => {
    const { ask } = setup({ school: 2 });
    expect([await ask('demo'), await ask('demo', 'Bearer good')]).toEqual(['ok demo', 'ok demo u1']);
    expect(await ask('demo')).toMatch(/^RATE_LIMITED 429 \d+ This school has made too many requests; try again in \d+ s$/);
    expect(await ask('nile', 'Bearer good')).toBe('ok nile u1');
  });

  it('reports the IP’s refusal before anything else, and looks up no uncached school for a client over its IP limit', async () => {
    const { ask, lookups } = setup({ ip: 1, school: 1 }, ['demo']);
    expect(await ask('demo')).toBe('ok demo');
    expect(await ask('demo', 'Bearer bad')).toMatch(/^RATE_LIMITED 429 \d+ Too many attempts/);
    expect(await ask('atlantis')).toMatch(/^RATE_LIMITED 429 \d+ Too many attempts/);
    expect(lookups).not.toContain('atlantis');
  });

  it('reports the school lookup’s refusal, then the school’s rate before the token’s, then the user’s rate', async () => {
    const { ask, lookups } = setup({ school: 1, user: 1 }, ['demo']);
    expect(await ask('atlantis')).toBe('TENANT_NOT_FOUND 404  Unknown school');
    expect(lookups).toEqual(['atlantis']);
    expect(await ask('demo', 'Bearer good')).toBe('ok demo u1');
    expect(await ask('demo', 'Bearer bad')).toMatch(/^RATE_LIMITED 429 \d+ This school/);

    const other = setup({ user: 1 });
    expect(await other.ask('demo', 'Bearer bad')).toBe('UNAUTHENTICATED 401  Access token is invalid');
    expect(await other.ask('demo', 'Bearer good')).toBe('ok demo u1');
    expect(await other.ask('demo', 'Bearer good')).toMatch(/^RATE_LIMITED 429 \d+ Too many attempts/);
  });
});
