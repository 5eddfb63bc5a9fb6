import { timingSafeEqual } from 'node:crypto';
import { appError, ErrorCode } from '../../../platform/errors';
import type { Payment, PaymentMethod, PaymentProvider } from '../payment/payment.entity';

/** What a provider says happened to a payment (a verified callback, or its status API). */
export type ProviderOutcome = 'PENDING' | 'PAID' | 'FAILED' | 'EXPIRED' | 'REFUND_NOTICE';

/** A verified, normalized statement of a provider about one of our payments. */
export interface ProviderUpdate {
  provider: PaymentProvider;
  /** How the payment is found: Paymob's order id or our merchant reference, both covered by the provider's signature. */
  match: { providerOrderId: string } | { merchantRef: string };
  /** The provider's transaction (Paymob) or reference (Fawry) id: with the outcome, the idempotency key. */
  transactionId: string;
  outcome: ProviderOutcome;
  /** What was paid, in piasters, and in which currency, as the provider states it. */
  amountPiasters: number;
  currency: string;
  /** Paymob `source_data.type`, Fawry `paymentMethod`. */
  sourceType?: string;
  /** The provider's reference number, when it gives one (Fawry). */
  referenceNumber?: string;
  /** What arrived, byte for byte as text (kept with the event). */
  raw: string;
  via: 'webhook' | 'reconciliation';
}

/** Who pays, for the provider's checkout page and receipts. Unknown parts are omitted. */
export interface Payer {
  id: string;
  name?: string;
  email?: string;
  phone?: string;
}

export interface CheckoutRequest {
  payment: Payment;
  /** What is bought, as shown on the checkout page. */
  description: string;
  payer: Payer;
  /** Where the payer's browser returns after a hosted checkout. */
  returnUrl: string;
  /** Where the provider posts its callback (Paymob takes it per intention; Fawry's is set in its portal). */
  notificationUrl: string;
  locale: 'ar' | 'en';
}

export interface Checkout {
  /** The provider's order or reference id, when it gives one now (Paymob order, Fawry reference number). */
  providerOrderId?: string;
  checkoutUrl?: string;
  referenceNumber?: string;
  expiresAt?: Date;
}

export interface RefundRequest {
  payment: Payment;
  amountPiasters: number;
  reason?: string;
}

export interface RefundOutcome {
  /** VOID when the provider cancelled the whole transaction before settlement instead of refunding it. */
  kind: 'REFUND' | 'VOID';
  providerRefundId?: string;
}

/** One payment provider: the adapter the payment, refund and reconciliation code talks to. */
export interface PaymentGateway {
  provider: PaymentProvider;
  /** The methods it takes (validated before any call). */
  methods: readonly PaymentMethod[];
  createCheckout(request: CheckoutRequest): Promise<Checkout>;
  /** Refunds (or voids) part or all of a paid payment; throws ProviderRejected when the provider refuses. */
  refund(request: RefundRequest): Promise<RefundOutcome>;
  /** The provider's current word on a payment, for reconciliation; null when it does not know it or cannot say. */
  status(payment: Payment): Promise<ProviderUpdate | null>;
}

/** The provider could not be reached, timed out or answered 5xx: the same request may work later. */
export class ProviderUnavailable extends Error {
  constructor(
    readonly service: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProviderUnavailable';
  }
}

/** The provider answered and refused (bad request, declined refund): retrying the same request will not help. */
export class ProviderRejected extends Error {
  constructor(
    readonly service: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProviderRejected';
  }
}

/** How a provider is named to people. */
const PROVIDER_NAMES: Record<string, string> = { paymob: 'Paymob', fawry: 'Fawry' };

/**
 * SERVICE_UNAVAILABLE naming the provider in `service` (`serviceName` is the subgraph's, which
 * the gateway sets to billing), for the client to retry later.
 */
export function providerUnavailable(service: string) {
  const name = PROVIDER_NAMES[service] ?? service;
  return appError(ErrorCode.SERVICE_UNAVAILABLE, `${name} cannot be reached right now; try again later`, {
    service,
    retryAfterSeconds: 30,
  });
}

/** SERVICE_UNAVAILABLE for a provider this deployment has no settings for (its base URL and keys). */
export function providerNotConfigured(service: string) {
  const name = PROVIDER_NAMES[service] ?? service;
  return appError(ErrorCode.SERVICE_UNAVAILABLE, `${name} payments are not configured on this deployment`, { service });
}

/**
 * Calls a provider's HTTP API: JSON in, text (and JSON when it parses) out. A network failure, a
 * timeout or a 5xx is ProviderUnavailable; a 4xx ProviderRejected with the provider's words.
 */
export async function callProvider(
  service: string,
  url: string,
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: unknown },
  timeoutMs: number,
): Promise<{ status: number; text: string; json: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method,
      headers: { accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as Error).message;
    throw new ProviderUnavailable(service, `${service} could not be reached: ${reason}`);
  }
  const text = await res.text().catch(() => '');
  if (res.status >= 500) throw new ProviderUnavailable(service, `${service} answered ${res.status}`);
  if (res.status >= 400) throw new ProviderRejected(service, `${service} refused the request (${res.status}): ${text.slice(0, 300)}`);
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** Whether two hex digests are equal, in constant time (case-insensitive; different lengths are unequal). */
export function sameDigest(given: string, expected: string): boolean {
  const a = Buffer.from(given.toLowerCase(), 'utf8');
  const b = Buffer.from(expected.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
