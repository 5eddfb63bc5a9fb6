import { randomBytes } from 'node:crypto';
import argon2, { type HashOptions } from 'argon2';
import { badInput } from '../../../platform/errors';

export interface PasswordOptions {
  /** KiB; default 19456 (19 MiB), OWASP's argon2id minimum with t=2, p=1. */
  memoryCost?: number;
  /** Default 2. */
  timeCost?: number;
  /** Default 1. */
  parallelism?: number;
}

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/**
 * The password policy (OWASP ASVS 2.1: length, not composition rules): 8 to 128 characters.
 * BAD_USER_INPUT naming `field` otherwise.
 */
export function checkPassword(password: string, field = 'password'): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw badInput(`Password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters long`, field);
  }
}

/** argon2id with explicit parameters (library defaults differ between argon2 packages). */
export function createPasswordHasher(opts: PasswordOptions = {}) {
  const params: HashOptions = {
    type: argon2.argon2id,
    memoryCost: opts.memoryCost ?? 19456,
    timeCost: opts.timeCost ?? 2,
    parallelism: opts.parallelism ?? 1,
  };
  // Verified against when the email is unknown, so both answers take as long.
  let dummy: Promise<string> | undefined;
  return {
    hash: (password: string) => argon2.hash(password, params),
    /** False for a missing hash too, after spending the same time as a real check. */
    async verify(hash: string | null | undefined, password: string): Promise<boolean> {
      if (!hash) {
        dummy ??= argon2.hash(randomBytes(16).toString('hex'), params);
        await argon2.verify(await dummy, password).catch(() => false);
        return false;
      }
      return argon2.verify(hash, password).catch(() => false);
    },
    /** True when the stored hash used weaker parameters than today's: rehash on login. */
    needsRehash: (hash: string) => argon2.needsRehash(hash, params),
  };
}
export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
