import { KeyObject } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { ACCESS_TOKEN } from '../../platform/auth/access-token';
import { ErrorCode, httpError, unauthenticated } from '../../platform/errors';
import { JwtRefused, keyFromSet, parseCompactJwt, verifyCompactJwt, type JwtExpectations } from '../../platform/auth/compact-jwt';
import type { Tenant } from './tenant';

const EXPECTED: JwtExpectations = {
  algorithm: ACCESS_TOKEN.algorithms[0],
  typ: ACCESS_TOKEN.typ,
  issuer: ACCESS_TOKEN.issuer,
  audience: ACCESS_TOKEN.audience,
  requiredClaims: ['sub', 'exp', 'iat', 'tid'],
  // As jose's default: the users subgraph and the gateway share a clock source.
  clockToleranceSec: 0,
};

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

/** A token verified once: who it names, its school, and until when the verification stands (ms). */
interface Verified {
  user: AuthenticatedUser;
  tenantId: unknown;
  until: number;
}

/**
 * Verifies `Authorization: Bearer` access tokens against the users subgraph's JWKS with the
 * algorithm, issuer, audience and type pinned (RFC 8725), and binds them to the request's
 * school: a token of one school is refused on another's host or X-Tenant-ID. jose fetches, caches
 * and refetches the key set; the token itself is checked by compact-jwt.ts (node:crypto on keys
 * imported once each), the same checks as jose's `jwtVerify` at a fraction of the CPU.
 *
 * A client sends the same token with every request of its 15 minutes, so a signature checked
 * once is remembered by the exact token string (any other string, a tampered one included, is
 * checked in full) in a bounded map: until the token expires, and no longer than fetched keys are
 * trusted (`cacheMaxAgeMs`: a key withdrawn from the set stops verifying tokens by then either
 * way). Only what depends on the token alone is remembered: the school binding is checked on every
 * request, and so is revocation (callers ask `RevokedSessions.has` after this, every request).
 */
export function createAccessTokenVerifier(
  jwksUrl: () => string,
  opts: {
    /** How long fetched keys are used before jose fetches them again. Default 10 min. */
    cacheMaxAgeMs?: number;
    /** Verified tokens remembered at most (least recently used go first). Default 10000; 0 turns it off. */
    maxVerifiedTokens?: number;
    /** The clock, ms since epoch (tests). */
    now?: () => number;
  } = {},
) {
  const now = opts.now ?? Date.now;
  const keysMaxAge = opts.cacheMaxAgeMs ?? 10 * 60_000;
  const maxVerified = opts.maxVerifiedTokens ?? 10_000;
  /** Token → its verification; a Map iterates in insertion order, so re-inserting on use makes it an LRU. */
  const verified = new Map<string, Verified>();
  const remember = (token: string, entry: Verified) => {
    if (maxVerified <= 0 || entry.until <= now()) return;
    verified.delete(token);
    while (verified.size >= maxVerified) verified.delete(verified.keys().next().value!);
    verified.set(token, entry);
  };

  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  let jwksFor: string | undefined;
  const keySet = () => {
    const url = jwksUrl();
    if (!jwks || jwksFor !== url) {
      jwks = createRemoteJWKSet(new URL(url), {
        cooldownDuration: 30_000,
        cacheMaxAge: keysMaxAge,
        timeoutDuration: 5000,
      });
      jwksFor = url;
    }
    return jwks;
  };
  /**
   * The public key the token's header names, from the set jose fetches, caches and refetches (an
   * unknown kid makes it fetch again, at most once per cooldown). jose's token errors all carry
   * an ERR_J… code; anything else means the set could not be fetched, and then the keys it last
   * had still verify tokens while users is down. Without any, the token cannot be judged: a
   * refusal would make clients drop a good session.
   */
  const keyFor = async (header: Record<string, unknown>): Promise<KeyObject> => {
    const remote = keySet();
    const lookup = (keys: JWTVerifyGetKey) => keyFromSet(keys, header);
    try {
      return await lookup(remote);
    } catch (err) {
      if (!keysUnreachable(err)) throw err;
      const last = remote.jwks();
      if (!last) {
        throw httpError(ErrorCode.SERVICE_UNAVAILABLE, 'Sign-in keys are unavailable; try again shortly', {
          serviceName: 'users',
          retryAfterSeconds: 5,
        });
      }
      return lookup(createLocalJWKSet(last));
    }
  };

  /**
   * `remember: false` for a token sent once (a WebSocket's connection_init): it is verified in
   * full and not kept, so thousands of connections do not hold a cache entry each.
   */
  return async (
    authorization: string | undefined,
    tenant: Tenant,
    use: { remember?: boolean } = {},
  ): Promise<AuthenticatedUser | undefined> => {
    if (!authorization) return undefined;
    const match = /^Bearer\s+([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/.exec(authorization.trim());
    if (!match) throw unauthenticated('Authorization must be "Bearer <access token>"');
    const token = match[1];
    const known = verified.get(token);
    if (known) {
      if (known.until > now()) {
        // Most recently used last.
        verified.delete(token);
        verified.set(token, known);
        if (known.tenantId !== tenant.id) throw unauthenticated('Access token belongs to another school');
        return known.user;
      }
      // Expired (or its keys are due for a refetch): judged again in full below.
      verified.delete(token);
    }
    let payload: Record<string, unknown>;
    try {
      // Header, algorithm and type first: a malformed or foreign token needs no keys.
      const jwt = parseCompactJwt(token, EXPECTED);
      const key = await keyFor(jwt.header);
      payload = await verifyCompactJwt(jwt, key, EXPECTED, now);
    } catch (err) {
      if ((err as { extensions?: { code?: unknown } }).extensions?.code === ErrorCode.SERVICE_UNAVAILABLE) throw err;
      const expired = err instanceof JwtRefused && err.expired;
      throw unauthenticated(expired ? 'Access token expired' : 'Access token is invalid');
    }
    // Shared by every request that sends this token: frozen, so no request can change another's.
    const user: AuthenticatedUser = Object.freeze({
      id: payload.sub as string,
      roles: Object.freeze(Array.isArray(payload.roles) ? (payload.roles as string[]).slice() : []) as string[],
      sessionId: typeof payload.sid === 'string' ? payload.sid : undefined,
      locale: typeof payload.loc === 'string' ? payload.loc : undefined,
      expiresAt: payload.exp as number,
    });
    if (use.remember !== false)
      remember(token, { user, tenantId: payload.tid, until: Math.min(user.expiresAt * 1000, now() + keysMaxAge) });
    if (payload.tid !== tenant.id) throw unauthenticated('Access token belongs to another school');
    return user;
  };
}
export type AccessTokenVerifier = ReturnType<typeof createAccessTokenVerifier>;
