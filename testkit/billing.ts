import { scopeToTenant } from '../platform/db/tenant';
import { DEMO } from '../platform/demo';
import type { SubgraphService } from '../platform/subgraph/host';
import { request } from './graphql-client';
import { startFawryServer, type FawryServer } from './providers/fawry-server';
import { startPaymobServer, type PaymobCallback, type PaymobServer } from './providers/paymob-server';
import type { Stack } from './stack';

/** Loopback stand-ins of both payment providers, and the billing settings that point at them. */
export interface TestProviders {
  paymob: PaymobServer;
  fawry: FawryServer;
  /** Billing environment: base URLs and keys of the stand-ins. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startTestProviders(): Promise<TestProviders> {
  const paymob = await startPaymobServer({
    secretKey: 'egy_sk_test_billing',
    publicKey: 'egy_pk_test_billing',
    hmacSecret: 'hmac-secret-of-the-test-account',
    cardIntegrationId: 4097558,
    walletIntegrationId: 4097559,
  });
  const fawry = await startFawryServer({ merchantCode: '1tSa6uxz2nRbgY+b+cZGyA==', secureKey: 'fawry-secure-key-of-the-test-merchant' });
  return {
    paymob,
    fawry,
    env: {
      PAYMOB_BASE_URL: paymob.url,
      PAYMOB_SECRET_KEY: paymob.options.secretKey,
      PAYMOB_PUBLIC_KEY: paymob.options.publicKey,
      PAYMOB_HMAC_SECRET: paymob.options.hmacSecret,
      PAYMOB_CARD_INTEGRATION_ID: String(paymob.options.cardIntegrationId),
      PAYMOB_WALLET_INTEGRATION_ID: String(paymob.options.walletIntegrationId),
      FAWRY_BASE_URL: fawry.url,
      FAWRY_MERCHANT_CODE: fawry.options.merchantCode,
      FAWRY_SECURE_KEY: fawry.options.secureKey,
      // No timer: tests run the sweep's parts themselves (reconcilePayments, expireSubscriptions), so
      // a reconciliation never races the callback a test is about to deliver.
      BILLING_SWEEP_INTERVAL_MS: '0',
    },
    async close() {
      await Promise.all([paymob.close(), fawry.close()]);
    },
  };
}

/** The stack's billing subgraph, typed (its ORM and outbox). */
export const billingService = (stack: Stack) => stack.service<SubgraphService>('billing');

/** An EntityManager on the billing database, scoped to a school (demo by default). */
export const billingEm = (stack: Stack, schoolId: string = DEMO.schools.demo.id) =>
  scopeToTenant(billingService(stack).orm().em.fork(), schoolId);

/** The public webhook URL of a provider: the gateway's, which forwards to billing. */
export const webhookUrl = (stack: Stack, provider: 'paymob' | 'fawry') =>
  `${stack.gatewayUrl.replace(/\/graphql$/, '')}/webhooks/${provider}`;

/** POSTs a Paymob processed callback as Paymob does: the JSON body, the HMAC in the query string. */
export function postPaymobCallback(stack: Stack, callback: PaymobCallback, opts: { hmac?: string | null; body?: string } = {}) {
  const hmac = opts.hmac === undefined ? callback.hmac : opts.hmac;
  const url = hmac === null ? webhookUrl(stack, 'paymob') : `${webhookUrl(stack, 'paymob')}?hmac=${hmac}`;
  return request(url, { headers: { 'content-type': 'application/json' }, body: opts.body ?? JSON.stringify(callback.body), fresh: true });
}

/** POSTs a Fawry V2 server notification as Fawry does (JSON body). */
export function postFawryNotification(stack: Stack, notification: Record<string, unknown>) {
  return request(webhookUrl(stack, 'fawry'), {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(notification),
    fresh: true,
  });
}

/** The subscribe mutation, with what the tests read back. */
export const SUBSCRIBE = `mutation($p: ID!, $s: ID!, $provider: PaymentProvider!, $method: PaymentMethod!, $contact: PaymentContactInput) {
  subscribe(planId: $p, studentId: $s, provider: $provider, method: $method, contact: $contact) {
    id status provider method checkoutUrl fawryReferenceNumber expiresAt amount { amountPiasters currency }
  }
}`;
