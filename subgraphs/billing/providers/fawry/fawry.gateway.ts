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
import {
  chargeSignature,
  checkoutSignature,
  fawryAmount,
  piastersOf,
  refundSignature,
  statusSignature,
  type FawryNotificationSigned,
} from './fawry-signature';

export type FawryConfig = NonNullable<BillingConfig['fawry']>;
const SERVICE = 'fawry';

/** Fawry's method code of reference-number payments (paid at a Fawry point). */
export const PAY_AT_FAWRY = 'PAYATFAWRY';

/**
 * A Fawry order status (V2 notification `orderStatus`, status API `orderStatus`/`paymentStatus`)
 * as an outcome. Unknown values change nothing (PENDING).
 */
export function fawryOutcome(status: string): ProviderOutcome {
  switch (status.toUpperCase()) {
    case 'PAID':
    case 'DELIVERED':
      return 'PAID';
    case 'EXPIRED':
      return 'EXPIRED';
    case 'CANCELED':
    case 'CANCELLED':
    case 'FAILED':
      return 'FAILED';
    case 'REFUNDED':
    case 'PARTIAL_REFUNDED':
      return 'REFUND_NOTICE';
    default:
      return 'PENDING';
  }
}

/** The body of a V2 server notification (the fields billing reads). */
export interface FawryNotification extends FawryNotificationSigned {
  messageSignature?: unknown;
}

/** A verified V2 notification as a provider update (call after the signature check). */
export function fawryUpdate(n: FawryNotification, raw: string, via: ProviderUpdate['via'] = 'webhook'): ProviderUpdate {
  return {
    provider: PaymentProvider.FAWRY,
    match: { merchantRef: String(n.merchantRefNumber) },
    transactionId: String(n.fawryRefNumber),
    outcome: fawryOutcome(String(n.orderStatus)),
    // The order amount is the price; paymentAmount may add Fawry's fees.
    amountPiasters: piastersOf(n.orderAmount),
    currency: 'EGP',
    sourceType: String(n.paymentMethod),
    referenceNumber: String(n.fawryRefNumber),
    raw,
    via,
  };
}

interface FawryAnswer {
  statusCode?: number | string;
  statusDescription?: string;
}

/** Fawry answers HTTP 200 with its own `statusCode`: anything but 200 is a refusal. */
function accepted<T extends FawryAnswer>(json: unknown, text: string, what: string): T {
  const body = json as T | undefined;
  if (!body || Number(body.statusCode) !== 200) {
    throw new ProviderRejected(
      SERVICE,
      `Fawry refused the ${what}: ${body?.statusDescription ?? text.slice(0, 200)} (${body?.statusCode ?? 'no status'})`,
    );
  }
  return body;
}

/**
 * FawryPay: PAYATFAWRY reference numbers through the charge API, card payments through the
 * express checkout link, the status API (V2) for reconciliation and the refund API, each signed
 * with SHA-256 as documented (../shared/reference/payments.md §2).
 */
export function fawryGateway(config: FawryConfig, timeoutMs: number): PaymentGateway {
  const { merchantCode, secureKey } = config;

  return {
    provider: PaymentProvider.FAWRY,
    methods: [PaymentMethod.CARD, PaymentMethod.FAWRY_REFERENCE],

    async createCheckout(req: CheckoutRequest): Promise<Checkout> {
      const { payment } = req;
      const amount = fawryAmount(payment.amountPiasters);
      const expiresAt = new Date(Date.now() + config.referenceExpiryHours * 3600_000);
      const item = { itemId: payment.planId, description: req.description.slice(0, 100), price: amount, quantity: 1 };
      const customer = {
        customerProfileId: req.payer.id,
        ...(req.payer.name ? { customerName: req.payer.name } : {}),
        ...(req.payer.phone ? { customerMobile: req.payer.phone } : {}),
        ...(req.payer.email ? { customerEmail: req.payer.email } : {}),
      };

      if (payment.method === PaymentMethod.FAWRY_REFERENCE) {
        const res = await callProvider(
          SERVICE,
          `${config.baseUrl}/ECommerceWeb/Fawry/payments/charge`,
          {
            method: 'POST',
            body: {
              merchantCode,
              merchantRefNum: payment.merchantRef,
              ...customer,
              paymentMethod: PAY_AT_FAWRY,
              // Sent as a number with the very digits signed (2 decimals).
              amount: Number(amount),
              currencyCode: payment.currency,
              description: req.description,
              paymentExpiry: expiresAt.getTime(),
              chargeItems: [{ ...item, price: Number(amount) }],
              signature: chargeSignature(
                { merchantCode, merchantRefNum: payment.merchantRef, customerProfileId: req.payer.id, paymentMethod: PAY_AT_FAWRY, amount },
                secureKey,
              ),
            },
          },
          timeoutMs,
        );
        const body = accepted<FawryAnswer & { referenceNumber?: string | number; expirationTime?: number }>(res.json, res.text, 'charge');
        if (body.referenceNumber === undefined) throw new ProviderRejected(SERVICE, 'Fawry answered the charge without a reference number');
        return {
          providerOrderId: String(body.referenceNumber),
          referenceNumber: String(body.referenceNumber),
          expiresAt: typeof body.expirationTime === 'number' ? new Date(body.expirationTime) : expiresAt,
        };
      }

      // A card on Fawry's hosted page: the express checkout link answers with the page's URL.
      const res = await callProvider(
        SERVICE,
        `${config.baseUrl}/fawrypay-api/api/payments/init`,
        {
          method: 'POST',
          body: {
            merchantCode,
            merchantRefNum: payment.merchantRef,
            ...customer,
            paymentExpiry: String(expiresAt.getTime()),
            language: req.locale === 'en' ? 'en-gb' : 'ar-eg',
            chargeItems: [{ ...item, price: Number(amount) }],
            returnUrl: req.returnUrl,
            authCaptureModePayment: false,
            signature: checkoutSignature(
              {
                merchantCode,
                merchantRefNum: payment.merchantRef,
                customerProfileId: req.payer.id,
                returnUrl: req.returnUrl,
                items: [{ itemId: item.itemId, quantity: 1, price: amount }],
              },
              secureKey,
            ),
          },
        },
        timeoutMs,
      );
      const url = typeof res.json === 'string' ? res.json : res.text.trim();
      if (!/^https?:\/\//.test(url)) throw new ProviderRejected(SERVICE, `Fawry's checkout answer is not a URL: ${res.text.slice(0, 200)}`);
      return { checkoutUrl: url, expiresAt };
    },

    async refund(req: RefundRequest): Promise<RefundOutcome> {
      const referenceNumber = req.payment.fawryReferenceNumber ?? req.payment.providerTransactionId;
      if (!referenceNumber) throw new ProviderRejected(SERVICE, 'the payment has no Fawry reference number to refund');
      const refundAmount = fawryAmount(req.amountPiasters);
      const reason = req.reason?.trim() || undefined;
      const res = await callProvider(
        SERVICE,
        `${config.baseUrl}/ECommerceWeb/Fawry/payments/refund`,
        {
          method: 'POST',
          body: {
            merchantCode,
            referenceNumber,
            refundAmount: Number(refundAmount),
            ...(reason ? { reason } : {}),
            signature: refundSignature({ merchantCode, referenceNumber, refundAmount, reason }, secureKey),
          },
        },
        timeoutMs,
      );
      accepted(res.json, res.text, 'refund');
      return { kind: 'REFUND' };
    },

    /** Get Payment Status V2: what Fawry knows of our merchant reference; null when it knows nothing (9938). */
    async status(payment: Payment): Promise<ProviderUpdate | null> {
      const query = new URLSearchParams({
        merchantCode,
        merchantRefNumber: payment.merchantRef,
        signature: statusSignature(merchantCode, payment.merchantRef, secureKey),
      });
      const res = await callProvider(
        SERVICE,
        `${config.baseUrl}/ECommerceWeb/Fawry/payments/status/v2?${query}`,
        { method: 'GET' },
        timeoutMs,
      );
      const body = res.json as
        | (FawryAnswer & {
            referenceNumber?: string | number;
            fawryRefNumber?: string | number;
            merchantRefNumber?: string;
            orderAmount?: number | string;
            paymentAmount?: number | string;
            orderStatus?: string;
            paymentStatus?: string;
            paymentMethod?: string;
          })
        | undefined;
      if (Number(body?.statusCode) === 9938) return null;
      const answer = accepted<NonNullable<typeof body>>(body, res.text, 'status query');
      const status = answer.orderStatus ?? answer.paymentStatus;
      const reference = answer.referenceNumber ?? answer.fawryRefNumber;
      if (!status || reference === undefined || answer.merchantRefNumber !== payment.merchantRef) return null;
      return {
        provider: PaymentProvider.FAWRY,
        match: { merchantRef: payment.merchantRef },
        transactionId: String(reference),
        outcome: fawryOutcome(status),
        amountPiasters: piastersOf(answer.orderAmount ?? answer.paymentAmount),
        currency: 'EGP',
        sourceType: answer.paymentMethod,
        referenceNumber: String(reference),
        raw: res.text,
        via: 'reconciliation',
      };
    },
  };
}
