import { z } from 'zod';
import { baseEnv, keyFiles, parseEnv, port, subgraphConfig, subgraphEnv } from '../../platform/env';

/** Port when run as its own process (USERS_PORT). */
export const USERS_DEFAULT_PORT = 4001;

const schema = z.object({
  ...baseEnv,
  ...subgraphEnv,
  /** Default 4001. */
  USERS_PORT: port(USERS_DEFAULT_PORT),
  /** Private JWKS (JSON) signing access tokens; unset = generated once under DATA_DIR/keys. */
  ACCESS_TOKEN_SIGNING_KEYS: z.string().optional(),
  /** Default 900 (15 minutes). */
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  /** Default 604800 (7 days). */
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(3600)
    .default(7 * 24 * 3600),
  /** argon2id memory in KiB; default 19456 (OWASP minimum). */
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(8192).default(19456),
  /** How long a password reset token works, in seconds; default 1800 (30 minutes). */
  PASSWORD_RESET_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(24 * 3600)
    .default(30 * 60),
});

export function usersConfigFromEnv(env: Record<string, string | undefined> = process.env) {
  const e = parseEnv(schema, env);
  return {
    ...subgraphConfig(e, e.USERS_PORT),
    accessKeys: { json: e.ACCESS_TOKEN_SIGNING_KEYS, file: keyFiles(e.DATA_DIR).accessToken },
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    argon2: { memoryCost: e.ARGON2_MEMORY_KIB },
    passwordResetTtlSeconds: e.PASSWORD_RESET_TTL_SECONDS,
  };
}
export type UsersConfig = ReturnType<typeof usersConfigFromEnv>;
