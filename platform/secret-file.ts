import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The content of a secret file of the embedded mode (keys, tokens), writing `create()` there
 * (mode 0600) when it does not exist yet. Creation uses 'wx', so when two processes race the
 * loser reads the winner's file and both end up with the same secret.
 */
export async function readOrCreateSecretFile(file: string, create: () => string | Promise<string>): Promise<string> {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const content = await create();
    try {
      writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return readFileSync(file, 'utf8');
}
