import { createHash, randomBytes, randomInt } from 'node:crypto';

/** 256-bit opaque token, URL-safe. */
export const opaqueToken = (prefix = '') => `${prefix}${randomBytes(32).toString('base64url')}`;

/** SHA-256 hex: stored instead of high-entropy tokens (slow hashes are for passwords). */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Letters and digits people can read aloud without confusion (no 0/O, 1/I/L). */
const READABLE = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A short human-typed code, uniformly random (randomInt has no modulo bias). */
export function readableCode(length = 8): string {
  let code = '';
  for (let i = 0; i < length; i++) code += READABLE[randomInt(READABLE.length)];
  return code;
}
