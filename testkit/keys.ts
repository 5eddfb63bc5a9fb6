import { generatePrivateJwk, publicJwk } from '../platform/auth/keys';

/** Fresh private JWKS documents (JSON strings), as the env variables carry them. */
export async function testKeys() {
  const internalKey = await generatePrivateJwk();
  const internal = JSON.stringify({ keys: [internalKey] });
  const access = JSON.stringify({ keys: [await generatePrivateJwk()] });
  const internalPublic = JSON.stringify({ keys: [publicJwk(internalKey)] });
  return { internal, internalPublic, access };
}
