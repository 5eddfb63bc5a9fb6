import path from 'node:path';
import { z } from 'zod';
import { baseEnv, subgraphEnv, flag, parseEnv, port } from '../../platform/env';

const schema = z.object({
  ...baseEnv,
  ...subgraphEnv,
  /** Default 4001. */
  USERS_PORT: port(4001),
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
});

export function usersConfigFromEnv(env: Record<string, string | undefined> = process.env) {
  const e = parseEnv(schema, env);
  const keysDir = path.join(e.DATA_DIR, 'keys');
  return {
    port: e.USERS_PORT,
    host: e.HOST,
    production: e.NODE_ENV === 'production',
    database: { url: e.DATABASE_URL, dataDir: e.DATA_DIR },
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_KEY_PREFIX,
    amqpUrl: e.AMQP_URL,
    accessKeys: { json: e.ACCESS_TOKEN_SIGNING_KEYS, file: path.join(keysDir, 'access-token.json') },
    internalKeys: { json: e.INTERNAL_JWKS, file: path.join(keysDir, 'internal-context.json') },
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    argon2: { memoryCost: e.ARGON2_MEMORY_KIB },
    seedDemo: flag(e.NODE_ENV !== 'production').parse(e.SEED_DEMO),
  };
}
export type UsersConfig = ReturnType<typeof usersConfigFromEnv>;
