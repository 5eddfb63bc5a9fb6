import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * How partners know a notice came from us (documented in registry/README.md):
 *   X-Manassa-Timestamp: <unix seconds when this attempt was sent>
 *   X-Manassa-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 * Signing the timestamp with the body lets a receiver refuse replays of an old notice; the
 * version prefix lets us add a scheme later without breaking verifiers.
 */
export const SIGNATURE_HEADER = 'x-manassa-signature';
export const TIMESTAMP_HEADER = 'x-manassa-timestamp';
export const DELIVERY_HEADER = 'x-manassa-delivery';
export const EVENT_HEADER = 'x-manassa-event';

export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

export function signature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * The receiver's side, for partners and our tests: true when the signature matches and the
 * timestamp is within `toleranceSeconds` (default 300) of `now`.
 */
export function verifySignature(
  secret: string,
  headers: { signature?: string; timestamp?: string },
  body: string,
  opts: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !Number.isSafeInteger(timestamp)) return false;
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signature(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
