import { createHash, KeyObject, randomUUID, sign as signEd25519 } from 'node:crypto';
import { createLocalJWKSet, type JWK } from 'jose';
import { isObject, keyFromSet, parseCompactJwt, verifyCompactJwt, type JwtExpectations } from './compact-jwt';
import { asLocale, type Locale } from '../i18n/locale';
import { SIGNING_ALG, type SigningKeySet } from './keys';

/**
 * The identity the gateway vouches for on every subgraph call (OWASP "protocol-agnostic identity
 * propagation"): a short-lived token signed by the gateway, audience-bound to one subgraph, so a
 * subgraph reached directly, or with a replayed token for another subgraph, refuses.
 */
export interface InternalContext {
  /** The school; `timezone` (IANA) when the gateway knows it. */
  tenant?: { id: string; slug: string; timezone?: string };
  user?: { id: string; roles: string[]; sessionId?: string };
  /** The client's address as the gateway saw it (for per-IP limits downstream). */
  ip?: string;
  requestId?: string;
  /** The language the caller is answered in (platform/i18n/locale.ts `chooseLocale`). */
  locale?: Locale;
  /**
   * For a call that carries other identities in its body (a batch of subscription admissions):
   * the digest of those identities (`vouchFor`), so that one signature vouches for them all.
   */
  vouches?: string;
}

export const INTERNAL_CONTEXT_HEADER = 'x-manassa-context';
const ISSUER = 'el-manassa/gateway';
const TYP = 'internal+jwt';
/** Long enough for one request's fan-out; short enough that a leaked token is soon useless. */
export const INTERNAL_TOKEN_TTL_SECONDS = 60;

export const audienceFor = (service: string) => `subgraph:${service}`;

const base64url = (json: unknown) => Buffer.from(JSON.stringify(json)).toString('base64url');

/** The claims that name an identity (the token's payload without its registered claims). */
function identityClaims(ctx: InternalContext) {
  // Undefined claims are left out by JSON.stringify, as jose leaves them out.
  return {
    tid: ctx.tenant?.id,
    tslug: ctx.tenant?.slug,
    ttz: ctx.tenant?.timezone,
    roles: ctx.user?.roles,
    sid: ctx.user?.sessionId,
    ip: ctx.ip,
    rid: ctx.requestId,
    loc: ctx.locale,
    sub: ctx.user?.id ?? 'anonymous',
  };
}

/** An identity as a token's claims name it (what `identityClaims` wrote, after any signature was checked). */
function contextOf(p: Record<string, unknown>): InternalContext {
  return {
    tenant:
      typeof p.tid === 'string' && typeof p.tslug === 'string'
        ? { id: p.tid, slug: p.tslug, ...(typeof p.ttz === 'string' ? { timezone: p.ttz } : {}) }
        : undefined,
    user:
      typeof p.sub === 'string' && p.sub !== 'anonymous' && Array.isArray(p.roles) && p.roles.every((r) => typeof r === 'string')
        ? { id: p.sub, roles: p.roles as string[], sessionId: typeof p.sid === 'string' ? p.sid : undefined }
        : undefined,
    ip: typeof p.ip === 'string' ? p.ip : undefined,
    requestId: typeof p.rid === 'string' ? p.rid : undefined,
    locale: asLocale(typeof p.loc === 'string' ? p.loc : undefined),
    ...(typeof p.vch === 'string' ? { vouches: p.vch } : {}),
  };
}

/**
 * Identities for one call's body, with the digest its signed context carries (`vouches`): a
 * batch of admissions then costs the gateway one Ed25519 signature and the subgraph one
 * verification, instead of one each per subscriber (0.05 ms to sign, 0.14–0.18 ms of CPU to
 * verify: a tenth of what admitting a subscriber costs the machine, issue 14).
 */
export function vouchFor(contexts: readonly InternalContext[]): { identities: string[]; vouches: string } {
  const identities = contexts.map((ctx) => JSON.stringify(identityClaims(ctx)));
  return { identities, vouches: digestOf(identities) };
}

/** JSON texts hold no raw newline, so joined by one they are read back one way only. */
const digestOf = (identities: readonly string[]) => createHash('sha256').update(identities.join('\n')).digest('base64url');

/**
 * The identities a call's body carries, in order, if they are exactly those its verified context
 * vouches for (same texts, same order, same count); InternalContextError otherwise, for all of them.
 */
export function vouchedIdentities(call: InternalContext, identities: readonly string[]): InternalContext[] {
  if (!call.vouches) throw new InternalContextError('the call vouches for no identities');
  if (digestOf(identities) !== call.vouches) throw new InternalContextError('identities differ from those the call vouches for');
  return identities.map((text) => {
    let claims: unknown;
    try {
      claims = JSON.parse(text);
    } catch {
      throw new InternalContextError('identity is not JSON');
    }
    if (!isObject(claims)) throw new InternalContextError('identity is not an object');
    // An identity never vouches for others.
    const { vouches: _none, ...ctx } = contextOf(claims);
    return ctx;
  });
}

/**
 * Signs internal contexts: a compact JWS (EdDSA over Ed25519, `typ` internal+jwt), exactly what
 * jose's SignJWT makes and what the verifier below checks by jose's jwtVerify rules, but signed
 * by node:crypto's synchronous Ed25519. jose signs through WebCrypto's promise machinery: 0.076–0.082 ms of CPU per token
 * against 0.046–0.047 ms here (issue 14), and the gateway signs for every subgraph and identity.
 */
export function createInternalContextSigner(keys: SigningKeySet) {
  const key = KeyObject.from(keys.active.key);
  const header = base64url({ alg: SIGNING_ALG, kid: keys.active.kid, typ: TYP });
  return async (ctx: InternalContext, service: string): Promise<string> => {
    const iat = Math.floor(Date.now() / 1000);
    const payload = base64url({
      ...identityClaims(ctx),
      vch: ctx.vouches,
      iss: ISSUER,
      aud: audienceFor(service),
      jti: randomUUID(),
      iat,
      exp: iat + INTERNAL_TOKEN_TTL_SECONDS,
    });
    const signingInput = `${header}.${payload}`;
    return `${signingInput}.${signEd25519(null, Buffer.from(signingInput), key).toString('base64url')}`;
  };
}
export type InternalContextSigner = ReturnType<typeof createInternalContextSigner>;

export class InternalContextError extends Error {}

/** How many verified tokens a subgraph remembers (a few hundred bytes each). */
export const VERIFIED_TOKENS_MAX = 10_000;

/**
 * Verifies internal contexts for one subgraph (`service` is the audience it accepts). The gateway
 * reuses a signed context for the same identity and audience while it is fresh, so the same token
 * string arrives many times: a token that verified is remembered by its exact string, bounded
 * (oldest first out), until it would stop verifying (its `exp`, or `iat` + the maximum age,
 * whichever is first). A remembered token is one this verifier, with its key, issuer, audience
 * and typ, already accepted, so the answer is the same without an Ed25519 verification (most of
 * a small fetch's CPU, issue 14). Refusals are not remembered.
 */
export function createInternalContextVerifier(jwks: { keys: JWK[] }, service: string, maxRemembered = VERIFIED_TOKENS_MAX) {
  const keySet = createLocalJWKSet(jwks);
  const expect: JwtExpectations = {
    algorithm: SIGNING_ALG,
    typ: TYP,
    issuer: ISSUER,
    audience: audienceFor(service),
    requiredClaims: ['exp', 'iat', 'sub'],
    clockToleranceSec: 0,
    maxTokenAgeSec: INTERNAL_TOKEN_TTL_SECONDS,
  };
  /** Token → its context and the time (ms) from which it no longer verifies; Map order is insertion order. */
  const verified = new Map<string, { ctx: InternalContext; until: number }>();
  return async (token: string | undefined): Promise<InternalContext> => {
    if (!token) throw new InternalContextError('missing internal context');
    const known = verified.get(token);
    if (known) {
      if (Date.now() < known.until) return copyOf(known.ctx);
      verified.delete(token);
    }
    let payload: Record<string, unknown>;
    try {
      // jose's jwtVerify checks, by compact-jwt.ts: the signature in libuv's thread pool, ~15 µs
      // of the event loop per token rather than ~0.2 ms.
      const jwt = parseCompactJwt(token, expect);
      payload = await verifyCompactJwt(jwt, await keyFromSet(keySet, jwt.header), expect, Date.now);
    } catch {
      throw new InternalContextError('invalid internal context');
    }
    const ctx = contextOf(payload);
    // Both claims were required, and checked to be numbers (seconds).
    const until = Math.min(payload.exp as number, (payload.iat as number) + INTERNAL_TOKEN_TTL_SECONDS) * 1000;
    if (maxRemembered > 0) {
      if (verified.size >= maxRemembered) verified.delete(verified.keys().next().value!);
      verified.set(token, { ctx, until });
    }
    return copyOf(ctx);
  };
}
export type InternalContextVerifier = ReturnType<typeof createInternalContextVerifier>;

/** Each caller gets its own objects: a request that changed its context must not change the next one's. */
function copyOf(ctx: InternalContext): InternalContext {
  return {
    ...ctx,
    tenant: ctx.tenant && { ...ctx.tenant },
    user: ctx.user && { ...ctx.user, roles: [...ctx.user.roles] },
  };
}
