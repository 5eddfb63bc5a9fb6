import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { readOrCreateSecretFile } from '../../../platform/secret-file';

/** Format tag of a sealed value, so that the scheme can change without guessing. */
const VERSION = 'v1';

/**
 * Seals the secret variables of a pending notification (a reset token, an invitation link) for
 * the time it waits in the database: AES-256-GCM, so a row changed or moved to another column
 * fails to open rather than render something else. Erased by the delivery worker once the
 * notification is SENT, FAILED or CANCELED.
 */
export class Sealer {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the seal key must be 32 bytes');
    this.key = key;
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
  seal(secrets: Record<string, string>): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** The secrets `seal` was given; throws on a value sealed with another key or altered. */
  unseal(sealed: string): Record<string, string> {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const json = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    return JSON.parse(json) as Record<string, string>;
  }
}

/** Where the embedded mode keeps its generated seal key (beside the other generated keys). */
export const sealKeyFile = (dataDir: string) => path.join(dataDir, 'keys', 'messaging-seal.key');

/**
 * The subgraph's sealer: from MESSAGING_SEAL_KEY (any string of 32+ characters, hashed to 256
 * bits), else (outside production, which env.ts refuses to start without it) from a random key
 * generated once under DATA_DIR, so that sealed rows survive restarts of the embedded mode.
 */
export async function openSealer(config: { sealKey?: string; database: { dataDir: string } }): Promise<Sealer> {
  if (config.sealKey) return new Sealer(createHash('sha256').update(config.sealKey, 'utf8').digest());
  const stored = await readOrCreateSecretFile(sealKeyFile(config.database.dataDir), () => randomBytes(32).toString('base64'));
  return new Sealer(Buffer.from(stored.trim(), 'base64'));
}
