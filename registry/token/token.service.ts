import type { EntityManager } from '@mikro-orm/core';
import { readOrCreateSecretFile } from '../../platform/secret-file';
import { opaqueToken, sha256 } from '../../platform/secrets';
import { ApiToken } from './api-token.entity';
import { parseScopes, type Scope } from './scopes';

/** Who called: the token's name and scopes. */
export interface Principal {
  name: string;
  scopes: Scope[];
}

/** The admin token's name; rows with it are managed from the configuration. */
const BOOTSTRAP = 'bootstrap';

/** Tokens prefixed so secret scanners can recognise a leaked one. */
const newToken = () => opaqueToken('mreg_');

export const tokenView = (t: ApiToken) => ({
  id: t.id,
  name: t.name,
  scopes: parseScopes(t.scopes),
  createdBy: t.createdBy,
  createdAt: t.createdAt,
  revokedAt: t.revokedAt ?? null,
});

export class TokenService {
  async create(em: EntityManager, input: { name: string; scopes: Scope[] }, createdBy: string): Promise<{ token: string; row: ApiToken }> {
    const token = newToken();
    const row = em.create(ApiToken, {
      name: input.name,
      scopes: [...new Set(input.scopes)].join(' '),
      tokenHash: sha256(token),
      createdBy,
    });
    await em.flush();
    return { token, row };
  }

  /** The principal of a presented token, or undefined when it is unknown or revoked. */
  async authenticate(em: EntityManager, presented: string): Promise<Principal | undefined> {
    const row = await em.findOne(ApiToken, { tokenHash: sha256(presented), revokedAt: null });
    return row ? { name: row.name, scopes: parseScopes(row.scopes) } : undefined;
  }

  list(em: EntityManager): Promise<ApiToken[]> {
    return em.find(ApiToken, {}, { orderBy: { createdAt: 'asc' } });
  }

  /** False when there is no such token; revoking twice keeps the first time. */
  async revoke(em: EntityManager, id: string): Promise<boolean> {
    const row = await em.findOne(ApiToken, { id });
    if (!row) return false;
    row.revokedAt ??= new Date();
    await em.flush();
    return true;
  }

  /**
   * Makes the configured admin token the only live bootstrap token: a new value in the
   * configuration revokes the previous one.
   */
  async installAdminToken(em: EntityManager, token: string): Promise<void> {
    const hash = sha256(token);
    for (const row of await em.find(ApiToken, { name: BOOTSTRAP, createdBy: BOOTSTRAP, revokedAt: null })) {
      if (row.tokenHash !== hash) row.revokedAt = new Date();
    }
    if (!(await em.findOne(ApiToken, { tokenHash: hash })))
      em.create(ApiToken, { name: BOOTSTRAP, scopes: 'admin', tokenHash: hash, createdBy: BOOTSTRAP });
    await em.flush();
  }
}

/** The admin token from the configuration, else from `file`, created there on first use (embedded mode). */
export async function loadAdminToken(config: { value?: string; file: string }): Promise<string> {
  if (config.value) return config.value;
  return (await readOrCreateSecretFile(config.file, () => `${newToken()}\n`)).trim();
}
