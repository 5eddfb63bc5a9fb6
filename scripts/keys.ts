/**
 * Creates the signing keys a deployment needs, once: the gateway's internal-context key and the
 * users subgraph's access-token key (EdDSA private JWKS).
 *
 *   node dist/scripts/keys.js          write them under $DATA_DIR/keys (default data/keys) if missing
 *   node dist/scripts/keys.js --env    print them as environment variables (for a k8s Secret)
 */
import { readFileSync } from 'node:fs';
import { loadPublicJwks, loadSigningKeys } from '../platform/auth/keys';
import { keyFiles } from '../platform/env';

async function main() {
  const { internalContext: internal, accessToken: access } = keyFiles(process.env.DATA_DIR ?? 'data');
  await loadSigningKeys(undefined, internal);
  await loadSigningKeys(undefined, access);
  if (process.argv.includes('--env')) {
    const read = (f: string): unknown => JSON.parse(readFileSync(f, 'utf8'));
    const oneLine = (o: unknown) => `'${JSON.stringify(o)}'`;
    console.log(`INTERNAL_SIGNING_KEYS=${oneLine(read(internal))}`);
    console.log(`INTERNAL_JWKS=${oneLine(loadPublicJwks(undefined, internal))}`);
    console.log(`ACCESS_TOKEN_SIGNING_KEYS=${oneLine(read(access))}`);
  } else {
    console.log(`keys ready: ${internal}, ${access}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
