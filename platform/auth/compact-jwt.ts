import { KeyObject, verify as verifySignature } from 'node:crypto';
import type { CryptoKey, JWTVerifyGetKey } from 'jose';

/**
 * A compact JWT checked by hand with node:crypto, for the kinds verified on every request and
 * connection (EdDSA, pinned): the gateway's access tokens, and the subgraphs' internal contexts
 * (internal-context.ts). jose's `jwtVerify` does the same checks through WebCrypto (a CryptoKey
 * per call, promise layers, ~0.2 ms of CPU per token here, a third of it on the event loop);
 * `crypto.verify` with a callback on an imported KeyObject runs the
 * signature in libuv's thread pool and leaves ~15 µs on the event loop, which is what bounds how
 * fast 10,000 classroom sockets are let in. The checks and their order are jose's
 * (`compactVerify`, then `validateClaimsSet`): header, algorithm, key, signature, then claims;
 * this file is the whole of what is accepted.
 */

/** Why a token was refused; `expired` only for a genuine token past its `exp`. */
export class JwtRefused extends Error {
  constructor(
    message: string,
    readonly expired = false,
  ) {
    super(message);
  }
}

export interface CompactJwt {
  header: Record<string, unknown>;
  /** `<header>.<payload>`, what the signature covers. */
  signingInput: string;
  payloadPart: string;
  signature: Buffer;
}

export interface JwtExpectations {
  /** The one algorithm accepted (never `none`). */
  algorithm: string;
  typ: string;
  issuer: string;
  audience: string;
  requiredClaims: readonly string[];
  /** Seconds of skew allowed on `exp`, `nbf` and `iat` (jose's `clockTolerance`). */
  clockToleranceSec: number;
  /** Seconds after `iat` that the token is refused, and `iat` then required (jose's `maxTokenAge`). */
  maxTokenAgeSec?: number;
}

/** jose's CryptoKeys (one per key of a set) as KeyObjects, imported once each. */
const keyObjects = new WeakMap<CryptoKey, KeyObject>();

/**
 * The key a jose key set (local or remote: jose picks it by kid, alg, use and key_ops, and
 * fetches a remote set) chooses for a token's header, as a KeyObject for `verifyCompactJwt`.
 */
export async function keyFromSet(keys: JWTVerifyGetKey, header: Record<string, unknown>): Promise<KeyObject> {
  const key = (await keys(header as never, undefined as never)) as CryptoKey;
  let object = keyObjects.get(key);
  if (!object) keyObjects.set(key, (object = KeyObject.from(key)));
  return object;
}

/** base64url that decodes and re-encodes to itself: no padding, no stray bits, nothing dropped. */
function decodeStrict(part: string): Buffer {
  const bytes = Buffer.from(part, 'base64url');
  if (bytes.toString('base64url') !== part) throw new JwtRefused('malformed base64url');
  return bytes;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decodeStrict(part).toString('utf8'));
  } catch (err) {
    throw err instanceof JwtRefused ? err : new JwtRefused('not JSON');
  }
  if (!isObject(value)) throw new JwtRefused('not a JSON object');
  return value;
}

/** `application/at+jwt` and `at+jwt` are the same type (RFC 7515 §4.1.9), in any case. */
const normalizeTyp = (typ: string) => typ.toLowerCase().replace(/^application\//, '');

/** Splits and decodes the header; checks what needs no key: algorithm, type, no `crit`. */
export function parseCompactJwt(token: string, expect: Pick<JwtExpectations, 'algorithm' | 'typ'>): CompactJwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtRefused('not a compact JWS');
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = parseJson(headerPart);
  if (header.alg !== expect.algorithm) throw new JwtRefused('unexpected alg');
  // No extension is understood here, so a header that makes one critical is refused (RFC 7515 §4.1.11).
  if ('crit' in header || 'b64' in header) throw new JwtRefused('unsupported header parameter');
  if (typeof header.typ !== 'string' || normalizeTyp(header.typ) !== normalizeTyp(expect.typ)) throw new JwtRefused('unexpected typ');
  if (typeof header.kid !== 'string') throw new JwtRefused('no kid');
  const signature = decodeStrict(signaturePart);
  if (signature.length === 0) throw new JwtRefused('no signature');
  return { header, signingInput: `${headerPart}.${payloadPart}`, payloadPart, signature };
}

/** Whether `signature` is `key`'s over `data`, computed in the thread pool. */
const signatureValid = (data: Buffer, key: KeyObject, signature: Buffer) =>
  new Promise<boolean>((resolve, reject) => verifySignature(null, data, key, signature, (err, ok) => (err ? reject(err) : resolve(ok))));

/** The signature with `key` (an Ed25519/Ed448 public key), then the claims at `now()`; returns the claims. */
export async function verifyCompactJwt(
  jwt: CompactJwt,
  key: KeyObject,
  expect: JwtExpectations,
  nowMs: () => number,
): Promise<Record<string, unknown>> {
  const type = key.asymmetricKeyType;
  if (key.type !== 'public' || (type !== 'ed25519' && type !== 'ed448')) throw new JwtRefused('key is not an EdDSA public key');
  if (!(await signatureValid(Buffer.from(jwt.signingInput), key, jwt.signature))) throw new JwtRefused('signature verification failed');
  const claims = parseJson(jwt.payloadPart);
  for (const claim of expect.requiredClaims) if (!Object.hasOwn(claims, claim)) throw new JwtRefused(`missing ${claim}`);
  if (claims.iss !== expect.issuer) throw new JwtRefused('unexpected iss');
  const aud = claims.aud;
  if (!(aud === expect.audience || (Array.isArray(aud) && aud.includes(expect.audience)))) throw new JwtRefused('unexpected aud');
  const now = Math.floor(nowMs() / 1000);
  const numericDate = (name: string): number | undefined => {
    const value = claims[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new JwtRefused(`${name} is not a number`);
    return value;
  };
  const iat = numericDate('iat');
  const nbf = numericDate('nbf');
  if (nbf !== undefined && nbf > now + expect.clockToleranceSec) throw new JwtRefused('not yet valid');
  const exp = numericDate('exp');
  if (exp !== undefined && exp <= now - expect.clockToleranceSec) throw new JwtRefused('expired', true);
  if (expect.maxTokenAgeSec !== undefined) {
    if (iat === undefined) throw new JwtRefused('missing iat');
    const age = now - iat;
    if (age - expect.clockToleranceSec > expect.maxTokenAgeSec) throw new JwtRefused('too old', true);
    if (age < -expect.clockToleranceSec) throw new JwtRefused('issued in the future');
  }
  return claims;
}
