import { generatePrivateJwk } from '../auth/keys';

/** Fresh private JWKS documents (JSON strings), as the env variables carry them. */
export async function testKeys() {
  const internal = JSON.stringify({ keys: [await generatePrivateJwk()] });
  const access = JSON.stringify({ keys: [await generatePrivateJwk()] });
  const internalPublic = JSON.stringify({ keys: JSON.parse(internal).keys.map(({ d: _d, ...k }: { d: string }) => k) });
  return { internal, internalPublic, access };
}
