import type { BillingConfig } from '../../env';
import { PaymentMethod, PaymentProvider, type Payment } from '../../payment/payment.entity';
import {
  callProvider,
  ProviderRejected,
  type Checkout,
  type CheckoutRequest,
  type PaymentGateway,
  type ProviderOutcome,
  type ProviderUpdate,
  type RefundOutcome,
  type RefundRequest,
} from '../provider';
import { paymobSignedString } from './paymob-hmac';

export type PaymobConfig = NonNullable<BillingConfig['paymob']>;
const SERVICE = 'paymob';

/** `obj` of a Paymob transaction callback: the fields billing reads (all of them signed). */
export interface PaymobTransaction {
  id: number | string;
  amount_cents: number;
  currency: string;
  success: boolean;
  pending: boolean;
  is_refunded: boolean;
  is_voided: boolean;
  has_parent_transaction: boolean;
  order: { id: number | string };
  source_data: { type: string; sub_type: string; pan: string };
}

/** Paymob's `source_data.type` of kiosk (Aman/Masary) payments, which Paymob cannot refund. */
export const KIOSK_SOURCE = 'aggregator';

/**
 * What a verified transaction callback says. Refund and void transactions (a child with a parent
 * transaction) and their echoes on the parent (`is_refunded`, `is_voided`) are notices: billing's
 * refunds follow Paymob's answer to the refund call itself.
 */
export function paymobOutcome(obj: PaymobTransaction): ProviderOutcome {
  if (obj.has_parent_transaction || obj.is_refunded || obj.is_voided) return 'REFUND_NOTICE';
  if (obj.pending) return 'PENDING';
  return obj.success ? 'PAID' : 'FAILED';
}

/** A verified processed callback (`obj`) as a provider update. Call after the HMAC check (which also proves every field is there). */
export function paymobUpdate(obj: PaymobTransaction, raw: string): ProviderUpdate {
  paymobSignedString(obj);
  return {
    provider: PaymentProvider.PAYMOB,
    match: { providerOrderId: String(obj.order.id) },
    transactionId: String(obj.id),
    outcome: paymobOutcome(obj),
    amountPiasters: Number(obj.amount_cents),
    currency: obj.currency,
    sourceType: obj.source_data.type,
    raw,
    via: 'webhook',
  };
}

/** First and last name for Paymob's billing data, which requires both ("NA" where unknown, as Paymob's docs advise). */
function splitName(name: string | undefined): { first_name: string; last_name: string } {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return { first_name: 'NA', last_name: 'NA' };
  return { first_name: parts[0], last_name: parts.slice(1).join(' ') || 'NA' };
}

/** Cairo calendar day of a time: Paymob voids only on the day of the transaction, before settlement. */
const cairoDay = (at: Date) => at.toLocaleDateString('en-CA', { timeZone: 'Africa/Cairo' });

/**
 * Paymob (Accept): payments through the Intention API and its unified checkout; refunds and
 * voids through `void_refund`, all authenticated with the secret key
 * (../shared/reference/payments.md §1).
 */
export function paymobGateway(config: PaymobConfig, timeoutMs: number): PaymentGateway {
  const auth = { authorization: `Token ${config.secretKey}` };
  const integrationFor = (method: PaymentMethod): number => {
    if (method === PaymentMethod.WALLET && config.walletIntegrationId) return config.walletIntegrationId;
    if (method === PaymentMethod.CARD) return config.cardIntegrationId;
    throw new ProviderRejected(SERVICE, `Paymob takes no ${method} payments here`);
  };

  return {
    provider: PaymentProvider.PAYMOB,
    methods: config.walletIntegrationId ? [PaymentMethod.CARD, PaymentMethod.WALLET] : [PaymentMethod.CARD],

    async createCheckout(req: CheckoutRequest): Promise<Checkout> {
      const { payment } = req;
      const name = splitName(req.payer.name);
      const email = req.payer.email ?? 'NA';
      const phone = req.payer.phone ?? 'NA';
      const res = await callProvider(
        SERVICE,
        `${config.baseUrl}/v1/intention/`,
        {
          method: 'POST',
          headers: auth,
          body: {
            amount: payment.amountPiasters,
            currency: payment.currency,
            payment_methods: [integrationFor(payment.method)],
            items: [{ name: req.description.slice(0, 50), amount: payment.amountPiasters, description: req.description, quantity: 1 }],
            billing_data: {
              ...name,
              email,
              phone_number: phone,
              apartment: 'NA',
              floor: 'NA',
              building: 'NA',
              street: 'NA',
              city: 'NA',
              state: 'NA',
              country: 'EG',
            },
            customer: { ...name, email },
            // Comes back as the callback's merchant_order_id; not signed, so only a label.
            special_reference: payment.merchantRef,
            extras: { paymentId: payment.id },
            expiration: config.intentionExpirySeconds,
            notification_url: req.notificationUrl,
            redirection_url: req.returnUrl,
          },
        },
        timeoutMs,
      );
      const body = res.json as { client_secret?: string; intention_order_id?: number | string } | undefined;
      if (!body?.client_secret || body.intention_order_id === undefined) {
        throw new ProviderRejected(
          SERVICE,
          `Paymob's intention answer lacks client_secret or intention_order_id: ${res.text.slice(0, 200)}`,
        );
      }
      const url = new URL(config.checkoutUrl);
      url.searchParams.set('publicKey', config.publicKey);
      url.searchParams.set('clientSecret', body.client_secret);
      return {
        providerOrderId: String(body.intention_order_id),
        checkoutUrl: url.toString(),
        expiresAt: new Date(Date.now() + config.intentionExpirySeconds * 1000),
      };
    },

    /**
     * A full refund of a card payment on the day it was made is a void (no fee, before
     * settlement); anything else a refund. Kiosk payments cannot be refunded through Paymob.
     */
    async refund(req: RefundRequest): Promise<RefundOutcome> {
      const { payment } = req;
      if (!payment.providerTransactionId) throw new ProviderRejected(SERVICE, 'the payment has no Paymob transaction to refund');
      if (payment.sourceType === KIOSK_SOURCE) throw new ProviderRejected(SERVICE, 'Paymob cannot refund kiosk payments');
      const whole = req.amountPiasters === payment.amountPiasters && payment.refundedPiasters === 0;
      const sameDay = !!payment.paidAt && cairoDay(payment.paidAt) === cairoDay(new Date());
      const voidable = whole && sameDay && payment.sourceType === 'card';
      const transactionId = Number(payment.providerTransactionId);
      const res = voidable
        ? await callProvider(
            SERVICE,
            `${config.baseUrl}/api/acceptance/void_refund/void`,
            { method: 'POST', headers: auth, body: { transaction_id: transactionId } },
            timeoutMs,
          )
        : await callProvider(
            SERVICE,
            `${config.baseUrl}/api/acceptance/void_refund/refund`,
            { method: 'POST', headers: auth, body: { transaction_id: transactionId, amount_cents: req.amountPiasters } },
            timeoutMs,
          );
      const body = res.json as { id?: number | string; success?: boolean; pending?: boolean; data?: { message?: string } } | undefined;
      if (!body || body.success !== true) {
        throw new ProviderRejected(
          SERVICE,
          `Paymob declined the ${voidable ? 'void' : 'refund'}: ${body?.data?.message ?? res.text.slice(0, 200)}`,
        );
      }
      return { kind: voidable ? 'VOID' : 'REFUND', providerRefundId: body.id === undefined ? undefined : String(body.id) };
    },

    /** Paymob's inquiry needs a transaction id, which a payment without a callback does not have: its intention simply expires. */
    async status(_payment: Payment): Promise<ProviderUpdate | null> {
      return null;
    },
  };
}
