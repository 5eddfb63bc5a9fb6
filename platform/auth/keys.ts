import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readOrCreateSecretFile } from '../secret-file';
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';

/** EdDSA (Ed25519): recommended by OWASP's JWT cheat sheet and cheap to sign and verify. */
export const SIGNING_ALG = 'EdDSA';

export interface SigningKeySet {
  /** Signs new tokens: the first key of the set. */
  active: { kid: string; key: CryptoKey };
  /** Public keys of every key in the set, as served at /.well-known/jwks.json. */
  jwks: { keys: JWK[] };
}

export async function generatePrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: randomUUID(), alg: SIGNING_ALG, use: 'sig' };
}

export function publicJwk(jwk: JWK): JWK {
  const { d: _d, ...pub } = jwk;
  return pub;
}

/**
 * Builds a key set from private JWKs. Listing a second key lets a rotation publish the new
 * public key before it signs anything (verifiers refetch on an unknown `kid`).
 */
export async function keySetFromJwks(jwks: { keys: JWK[] }): Promise<SigningKeySet> {
  if (!jwks.keys?.length) throw new Error('signing key set is empty');
  for (const k of jwks.keys) {
    if (!k.kid || !k.d || k.alg !== SIGNING_ALG) throw new Error(`signing keys must be private ${SIGNING_ALG} JWKs with a kid`);
  }
  const first = jwks.keys[0];
  const key = (await importJWK(first, SIGNING_ALG)) as CryptoKey;
  return { active: { kid: first.kid!, key }, jwks: { keys: jwks.keys.map(publicJwk) } };
}

/** Reads a private JWKS from `json` (env), else from `file`, creating the file on first use (embedded mode). */
export async function loadSigningKeys(json: string | undefined, file: string): Promise<SigningKeySet> {
  if (json) return keySetFromJwks(JSON.parse(json));
  const created = async () => JSON.stringify({ keys: [await generatePrivateJwk()] }, null, 2);
  return keySetFromJwks(JSON.parse(await readOrCreateSecretFile(file, created)));
}

/** Public JWKS from `json` (env) or derived from the private key file (embedded mode). */
export function loadPublicJwks(json: string | undefined, file: string): { keys: JWK[] } {
  if (json) return JSON.parse(json);
  if (!existsSync(file)) throw new Error(`no public keys: set the JWKS variable or create ${file}`);
  return { keys: (JSON.parse(readFileSync(file, 'utf8')) as { keys: JWK[] }).keys.map(publicJwk) };
}
