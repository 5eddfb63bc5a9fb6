import path from 'node:path';
import { z } from 'zod';
import { fileStorageConfig, fileStorageEnv, s3KeysRule } from '../../platform/storage/open';
import { baseEnv, optionalString, optionalUrl, parseEnv, port, subgraphConfig, subgraphEnv } from '../../platform/env';

/** Port when run as its own process (BILLING_PORT). */
export const BILLING_DEFAULT_PORT = 4003;

const schema = z.object({
  ...baseEnv,
  ...subgraphEnv,
  /** Default 4003. */
  BILLING_PORT: port(BILLING_DEFAULT_PORT),
  /**
   * Public base URL the payment providers reach this platform at (the gateway, which forwards
   * /webhooks/paymob and /webhooks/fawry here); Paymob is told `<it>/webhooks/paymob` with each
   * intention. Default http://localhost:4000.
   */
  BILLING_PUBLIC_URL: z.string().url().default('http://localhost:4000'),
  /** Where a payer's browser lands after a hosted checkout (Paymob, Fawry card); default BILLING_PUBLIC_URL. */
  PAYMENT_RETURN_URL: z.string().url().optional(),
  /** Largest webhook body accepted; default 64kb (a provider callback is a few kB). */
  WEBHOOK_BODY_LIMIT: z.string().default('64kb'),
  /** Timeout of one call to a payment provider; default 10000 ms. */
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),

  // --- Paymob (unset = Paymob not configured: `subscribe` with PAYMOB answers SERVICE_UNAVAILABLE) ---
  /** e.g. https://accept.paymob.com (no default: nothing real is called unless configured). */
  PAYMOB_BASE_URL: optionalUrl('http', 'https'),
  /** Secret key (`Authorization: Token …` of the intention, refund and void APIs). */
  PAYMOB_SECRET_KEY: optionalString,
  /** Public key, put in the unified checkout URL. */
  PAYMOB_PUBLIC_KEY: optionalString,
  /** HMAC secret of the transaction callbacks. */
  PAYMOB_HMAC_SECRET: optionalString,
  /** Integration id of card payments. */
  PAYMOB_CARD_INTEGRATION_ID: z.coerce.number().int().positive().optional(),
  /** Integration id of mobile-wallet payments; unset = WALLET is refused. */
  PAYMOB_WALLET_INTEGRATION_ID: z.coerce.number().int().positive().optional(),
  /** Unified checkout page; default `<PAYMOB_BASE_URL>/unifiedcheckout/`. */
  PAYMOB_CHECKOUT_URL: optionalUrl('http', 'https'),
  /** Lifetime of an intention (its checkout link); default 3600 s. */
  PAYMOB_INTENTION_EXPIRY_SECONDS: z.coerce.number().int().min(60).default(3600),

  // --- Fawry (unset = Fawry not configured: `subscribe` with FAWRY answers SERVICE_UNAVAILABLE) ---
  /** e.g. https://atfawry.fawrystaging.com (sandbox) or https://www.atfawry.com (no default). */
  FAWRY_BASE_URL: optionalUrl('http', 'https'),
  FAWRY_MERCHANT_CODE: optionalString,
  /** The merchant's secure key (last part of every signature). */
  FAWRY_SECURE_KEY: optionalString,
  /** Lifetime of a PAYATFAWRY reference number; default 48 hours. */
  FAWRY_REFERENCE_EXPIRY_HOURS: z.coerce.number().min(1).default(48),

  // --- Background work ---
  /**
   * Pause between two runs of the billing sweep (subscription expiry, abandoned payments, Fawry
   * reconciliation through its status API); 0 turns it off. Default 60000 ms.
   */
  BILLING_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** A pending Fawry payment without a notification is asked about after this long; default 15 minutes. */
  FAWRY_RECONCILE_AFTER_MINUTES: z.coerce.number().min(0).default(15),
  /** Days a subscription whose period ended stays PAST_DUE (still enrolled) before it EXPIRES; default 3. */
  SUBSCRIPTION_GRACE_DAYS: z.coerce.number().min(0).default(3),

  // --- Invoice PDFs: S3 when a bucket is set, else the local disk (embedded mode) ---
  ...fileStorageEnv,
  /** Local files: the folder of invoice PDFs; default DATA_DIR/invoices. */
  INVOICES_DIR: z.string().optional(),

  /**
   * Test-only fault injection: comma-separated names of points where the process stops and waits
   * (and logs `failpoint reached`) so a test can kill it there (e2e/billing-crash.e2e.ts). Unset in
   * every deployment.
   */
  BILLING_FAILPOINTS: z.string().default(''),
});

export function billingConfigFromEnv(env: Record<string, string | undefined> = process.env) {
  const e = parseEnv(schema.refine(...s3KeysRule), env);
  const publicUrl = e.BILLING_PUBLIC_URL.replace(/\/+$/, '');
  const paymob =
    e.PAYMOB_BASE_URL && e.PAYMOB_SECRET_KEY && e.PAYMOB_PUBLIC_KEY && e.PAYMOB_HMAC_SECRET && e.PAYMOB_CARD_INTEGRATION_ID
      ? {
          baseUrl: e.PAYMOB_BASE_URL.replace(/\/+$/, ''),
          secretKey: e.PAYMOB_SECRET_KEY,
          publicKey: e.PAYMOB_PUBLIC_KEY,
          hmacSecret: e.PAYMOB_HMAC_SECRET,
          cardIntegrationId: e.PAYMOB_CARD_INTEGRATION_ID,
          walletIntegrationId: e.PAYMOB_WALLET_INTEGRATION_ID,
          checkoutUrl: e.PAYMOB_CHECKOUT_URL ?? `${e.PAYMOB_BASE_URL.replace(/\/+$/, '')}/unifiedcheckout/`,
          intentionExpirySeconds: e.PAYMOB_INTENTION_EXPIRY_SECONDS,
        }
      : undefined;
  const fawry =
    e.FAWRY_BASE_URL && e.FAWRY_MERCHANT_CODE && e.FAWRY_SECURE_KEY
      ? {
          baseUrl: e.FAWRY_BASE_URL.replace(/\/+$/, ''),
          merchantCode: e.FAWRY_MERCHANT_CODE,
          secureKey: e.FAWRY_SECURE_KEY,
          referenceExpiryHours: e.FAWRY_REFERENCE_EXPIRY_HOURS,
        }
      : undefined;
  return {
    ...subgraphConfig(e, e.BILLING_PORT),
    publicUrl,
    returnUrl: e.PAYMENT_RETURN_URL ?? `${publicUrl}/`,
    webhookBodyLimit: e.WEBHOOK_BODY_LIMIT,
    providerTimeoutMs: e.PROVIDER_TIMEOUT_MS,
    paymob,
    fawry,
    sweep: {
      intervalMs: e.BILLING_SWEEP_INTERVAL_MS,
      fawryReconcileAfterMs: Math.round(e.FAWRY_RECONCILE_AFTER_MINUTES * 60_000),
      graceMs: Math.round(e.SUBSCRIPTION_GRACE_DAYS * 24 * 3600_000),
    },
    files: fileStorageConfig(e, e.INVOICES_DIR ?? path.join(e.DATA_DIR, 'invoices'), 'invoice-files-secret'),
    failpoints: new Set(
      e.BILLING_FAILPOINTS.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  };
}
export type BillingConfig = ReturnType<typeof billingConfigFromEnv>;
