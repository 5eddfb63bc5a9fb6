import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { SIGNING_ALG, type SigningKeySet } from './keys';

/** The claims every verifier (the gateway) checks; kept in one place for both sides. */
export const ACCESS_TOKEN = {
  issuer: 'el-manassa/users',
  audience: 'el-manassa',
  /** RFC 9068 access-token type, distinct from the internal-context tokens (RFC 8725 §3.11–3.12). */
  typ: 'at+jwt',
  algorithms: [SIGNING_ALG],
} as const;

export interface AccessClaims {
  userId: string;
  schoolId: string;
  schoolSlug: string;
  roles: string[];
  /** Refresh-token family: lets a revoked session's access tokens be recognised. */
  sessionId: string;
  /** The person's saved language (`ar`, `en`); the gateway answers in it unless the request asks otherwise. */
  locale?: string;
}

export function createAccessTokenIssuer(keys: SigningKeySet, ttlSeconds: number) {
  return async (claims: AccessClaims): Promise<{ token: string; expiresAt: Date }> => {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + ttlSeconds;
    const token = await new SignJWT({
      tid: claims.schoolId,
      tslug: claims.schoolSlug,
      roles: claims.roles,
      sid: claims.sessionId,
      loc: claims.locale,
    })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: keys.active.kid, typ: ACCESS_TOKEN.typ })
      .setIssuer(ACCESS_TOKEN.issuer)
      .setAudience(ACCESS_TOKEN.audience)
      .setSubject(claims.userId)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(keys.active.key);
    return { token, expiresAt: new Date(exp * 1000) };
  };
}
export type AccessTokenIssuer = ReturnType<typeof createAccessTokenIssuer>;
