import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ACCESS_TOKEN } from '../../platform/auth/access-token';
import { ErrorCode, httpError, unauthenticated } from '../../platform/errors';
import type { Tenant } from './tenant';

/**
 * Whether verification failed because the key set could not be fetched (users down, timeout, an
 * error status, a broken answer), not because of the token: jose's token errors all carry an
 * ERR_J… code; a failed fetch is a plain TypeError.
 */
function keysUnreachable(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JWKS_INVALID') return true;
  if (code === 'ERR_JOSE_GENERIC') return /JSON Web Key Set HTTP response/.test(String(message));
  return typeof code !== 'string' || !code.startsWith('ERR_J');
}

export interface AuthenticatedUser {
  id: string;
  roles: string[];
  sessionId?: string;
  /** The person's saved language, when the token carries it. */
  locale?: string;
  /** Seconds since epoch when the access token expires (subscriptions close then). */
  expiresAt: number;
}

/**
 * Verifies `Authorization: Bearer` access tokens against the users subgraph's JWKS with the
 * algorithm, issuer, audience and type pinned (RFC 8725), and binds them to the request's
 * school: a token of one school is refused on another's host or X-Tenant-ID.
 */
export function createAccessTokenVerifier(
  jwksUrl: () => string,
  opts: {
    /** How long fetched keys are used before jose fetches them again. Default 10 min. */
    cacheMaxAgeMs?: number;
  } = {},
) {
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  let jwksFor: string | undefined;
  const keySet = () => {
    const url = jwksUrl();
    if (!jwks || jwksFor !== url) {
      jwks = createRemoteJWKSet(new URL(url), {
        cooldownDuration: 30_000,
        cacheMaxAge: opts.cacheMaxAgeMs ?? 10 * 60_000,
        timeoutDuration: 5000,
      });
      jwksFor = url;
    }
    return jwks;
  };

  return async (authorization: string | undefined, tenant: Tenant): Promise<AuthenticatedUser | undefined> => {
    if (!authorization) return undefined;
    const match = /^Bearer\s+([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/.exec(authorization.trim());
    if (!match) throw unauthenticated('Authorization must be "Bearer <access token>"');
    const verify = (keys: JWTVerifyGetKey) =>
      jwtVerify(match[1], keys, {
        algorithms: [...ACCESS_TOKEN.algorithms],
        issuer: ACCESS_TOKEN.issuer,
        audience: ACCESS_TOKEN.audience,
        typ: ACCESS_TOKEN.typ,
        requiredClaims: ['sub', 'exp', 'iat', 'tid'],
      });
    let payload: JWTPayload;
    try {
      const remote = keySet();
      try {
        ({ payload } = await verify(remote));
      } catch (err) {
        if (!keysUnreachable(err)) throw err;
        // jose refetches the set once it is older than cacheMaxAge and fails if it cannot:
        // the keys it last had still verify tokens while users is down. Without any, the
        // token cannot be judged: a refusal would make clients drop a good session.
        const last = remote.jwks();
        if (!last) {
          throw httpError(ErrorCode.SERVICE_UNAVAILABLE, 'Sign-in keys are unavailable; try again shortly', {
            serviceName: 'users',
            retryAfterSeconds: 5,
          });
        }
        ({ payload } = await verify(createLocalJWKSet(last)));
      }
    } catch (err) {
      if ((err as { extensions?: { code?: unknown } }).extensions?.code === ErrorCode.SERVICE_UNAVAILABLE) throw err;
      const expired = (err as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw unauthenticated(expired ? 'Access token expired' : 'Access token is invalid');
    }
    if (payload.tid !== tenant.id) throw unauthenticated('Access token belongs to another school');
    return {
      id: payload.sub!,
      roles: Array.isArray(payload.roles) ? (payload.roles as string[]) : [],
      sessionId: typeof payload.sid === 'string' ? payload.sid : undefined,
      locale: typeof payload.loc === 'string' ? payload.loc : undefined,
      expiresAt: payload.exp!,
    };
  };
}
export type AccessTokenVerifier = ReturnType<typeof createAccessTokenVerifier>;
