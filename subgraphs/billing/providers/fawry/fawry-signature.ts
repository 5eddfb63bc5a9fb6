import { createHash } from 'node:crypto';
import { sameDigest } from '../provider';

/*
 * Fawry's signatures: SHA-256 (not an HMAC) in lowercase hex over a plain concatenation, the
 * merchant's secure key last; amounts as 2-decimal strings (../shared/reference/payments.md §2).
 */

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Piasters as the 2-decimal EGP string Fawry signs and takes: 10050 → "100.50". */
export function fawryAmount(piasters: number): string {
  if (!Number.isInteger(piasters) || piasters < 0) throw new RangeError(`not an amount in piasters: ${piasters}`);
  return `${Math.floor(piasters / 100)}.${String(piasters % 100).padStart(2, '0')}`;
}

/** A decimal EGP amount from Fawry (a JSON number or string) in piasters: 20.1 → 2010. */
export function piastersOf(amount: unknown): number {
  const n = typeof amount === 'string' ? Number(amount) : amount;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new RangeError(`not an amount: ${String(amount)}`);
  return Math.round(n * 100);
}

/** A decimal amount as signed: the number written with exactly two decimals. */
const signedAmount = (amount: unknown) => fawryAmount(piastersOf(amount));

/** Charge API (card token or PAYATFAWRY): merchantCode + merchantRefNum + customerProfileId + paymentMethod + amount + cardToken (not for PAYATFAWRY) + secureKey. */
export function chargeSignature(
  p: { merchantCode: string; merchantRefNum: string; customerProfileId: string; paymentMethod: string; amount: string; cardToken?: string },
  secureKey: string,
): string {
  return sha256(`${p.merchantCode}${p.merchantRefNum}${p.customerProfileId}${p.paymentMethod}${p.amount}${p.cardToken ?? ''}${secureKey}`);
}

/** Hosted (express) checkout: merchantCode + merchantRefNum + customerProfileId (or "") + returnUrl + (itemId + quantity + price) per item + secureKey. */
export function checkoutSignature(
  p: {
    merchantCode: string;
    merchantRefNum: string;
    customerProfileId?: string;
    returnUrl: string;
    items: Array<{ itemId: string; quantity: number; price: string }>;
  },
  secureKey: string,
): string {
  const items = p.items.map((i) => `${i.itemId}${i.quantity}${i.price}`).join('');
  return sha256(`${p.merchantCode}${p.merchantRefNum}${p.customerProfileId ?? ''}${p.returnUrl}${items}${secureKey}`);
}

/** Payment status (V1 and V2): merchantCode + merchantRefNumber + secureKey. */
export function statusSignature(merchantCode: string, merchantRefNumber: string, secureKey: string): string {
  return sha256(`${merchantCode}${merchantRefNumber}${secureKey}`);
}

/** Refund: merchantCode + referenceNumber + refundAmount (2 decimals) + reason (when sent) + secureKey. */
export function refundSignature(
  p: { merchantCode: string; referenceNumber: string; refundAmount: string; reason?: string },
  secureKey: string,
): string {
  return sha256(`${p.merchantCode}${p.referenceNumber}${p.refundAmount}${p.reason ?? ''}${secureKey}`);
}

/** The fields of a V2 server notification its `messageSignature` covers. */
export interface FawryNotificationSigned {
  fawryRefNumber: unknown;
  merchantRefNumber: unknown;
  paymentAmount: unknown;
  orderAmount: unknown;
  orderStatus: unknown;
  paymentMethod: unknown;
  paymentRefrenceNumber?: unknown;
}

/** The signed fields a V2 notification must carry (`paymentRefrenceNumber`, Fawry's spelling, may be absent). */
export const FAWRY_NOTIFICATION_FIELDS = [
  'fawryRefNumber',
  'merchantRefNumber',
  'paymentAmount',
  'orderAmount',
  'orderStatus',
  'paymentMethod',
] as const;

/**
 * V2 server notification: fawryRefNumber + merchantRefNumber + paymentAmount (2dp) + orderAmount (2dp)
 * + orderStatus + paymentMethod + (paymentRefrenceNumber or "") + secureKey.
 */
export function notificationSignature(n: FawryNotificationSigned, secureKey: string): string {
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  return sha256(
    `${text(n.fawryRefNumber)}${text(n.merchantRefNumber)}${signedAmount(n.paymentAmount)}${signedAmount(n.orderAmount)}${text(n.orderStatus)}${text(n.paymentMethod)}${text(n.paymentRefrenceNumber)}${secureKey}`,
  );
}

/** Whether `messageSignature` signs the notification, compared in constant time. */
export function verifyNotification(n: FawryNotificationSigned & { messageSignature?: unknown }, secureKey: string): boolean {
  return typeof n.messageSignature === 'string' && sameDigest(n.messageSignature, notificationSignature(n, secureKey));
}
