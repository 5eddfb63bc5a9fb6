import { createRemoteJWKSet, jwtVerify } from 'jose';
import { ACCESS_TOKEN } from '../../platform/auth/access-token';
import { unauthenticated } from '../../platform/errors';
import type { Tenant } from './tenant';

export interface AuthenticatedUser {
  id: string;
  roles: string[];
  sessionId?: string;
  /** Seconds since epoch when the access token expires (subscriptions close then). */
  expiresAt: number;
}

/**
 * Verifies `Authorization: Bearer` access tokens against the users subgraph's JWKS with the
 * algorithm, issuer, audience and type pinned (RFC 8725), and binds them to the request's
 * school: a token of one school is refused on another's host or X-Tenant-ID.
 */
export function createAccessTokenVerifier(jwksUrl: () => string) {
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  let jwksFor: string | undefined;
  const keySet = () => {
    const url = jwksUrl();
    if (!jwks || jwksFor !== url) {
      jwks = createRemoteJWKSet(new URL(url), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5000 });
      jwksFor = url;
    }
    return jwks;
  };

  return async (authorization: string | undefined, tenant: Tenant): Promise<AuthenticatedUser | undefined> => {
    if (!authorization) return undefined;
    const match = /^Bearer\s+([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/.exec(authorization.trim());
    if (!match) throw unauthenticated('Authorization must be "Bearer <access token>"');
    let payload;
    try {
      ({ payload } = await jwtVerify(match[1], keySet(), {
        algorithms: [...ACCESS_TOKEN.algorithms],
        issuer: ACCESS_TOKEN.issuer,
        audience: ACCESS_TOKEN.audience,
        typ: ACCESS_TOKEN.typ,
        requiredClaims: ['sub', 'exp', 'iat', 'tid'],
      }));
    } catch (err) {
      const expired = (err as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw unauthenticated(expired ? 'Access token expired' : 'Access token is invalid');
    }
    if (payload.tid !== tenant.id) throw unauthenticated('Access token belongs to another school');
    return {
      id: payload.sub!,
      roles: Array.isArray(payload.roles) ? (payload.roles as string[]) : [],
      sessionId: typeof payload.sid === 'string' ? payload.sid : undefined,
      expiresAt: payload.exp!,
    };
  };
}
export type AccessTokenVerifier = ReturnType<typeof createAccessTokenVerifier>;
