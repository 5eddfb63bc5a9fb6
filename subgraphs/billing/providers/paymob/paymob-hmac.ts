import { createHmac } from 'node:crypto';
import { sameDigest } from '../provider';

/**
 * The 20 fields of a Paymob transaction callback its HMAC covers, in the order they are
 * concatenated (../shared/reference/payments.md §1.3; Paymob "HMAC transaction callback";
 * Maatify/php-paymob WebhookValidator). Paths inside `obj` of the processed (POST) callback;
 * `error_occured` is Paymob's spelling.
 */
export const PAYMOB_HMAC_FIELDS = [
  'amount_cents',
  'created_at',
  'currency',
  'error_occured',
  'has_parent_transaction',
  'id',
  'integration_id',
  'is_3d_secure',
  'is_auth',
  'is_capture',
  'is_refunded',
  'is_standalone_payment',
  'is_voided',
  'order.id',
  'owner',
  'pending',
  'source_data.pan',
  'source_data.sub_type',
  'source_data.type',
  'success',
] as const;

/** A signed field is absent from the callback: it cannot be verified (the reference validator treats every field as required). */
export class MissingSignedField extends Error {
  constructor(readonly field: string) {
    super(`the callback lacks the signed field ${field}`);
    this.name = 'MissingSignedField';
  }
}

function valueAt(obj: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), obj);
}

/** One field as Paymob writes it into the signed string: booleans as `true`/`false`, numbers and strings as they are. */
function written(value: unknown, field: string): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return value;
  throw new MissingSignedField(field);
}

/** The string Paymob signs: the 20 values in order, with no separator. */
export function paymobSignedString(obj: unknown): string {
  return PAYMOB_HMAC_FIELDS.map((field) => written(valueAt(obj, field), field)).join('');
}

/** HMAC-SHA512 of the signed string, keyed with the account's HMAC secret, as lowercase hex. */
export function paymobHmac(obj: unknown, secret: string): string {
  return createHmac('sha512', secret).update(paymobSignedString(obj), 'utf8').digest('hex');
}

/** Whether `given` (the `hmac` query parameter) signs `obj`, compared in constant time. Throws MissingSignedField. */
export function verifyPaymobHmac(obj: unknown, given: string, secret: string): boolean {
  return sameDigest(given, paymobHmac(obj, secret));
}
