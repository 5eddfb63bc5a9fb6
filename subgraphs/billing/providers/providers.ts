import type { BillingConfig } from '../env';
import { PaymentProvider } from '../payment/payment.entity';
import { fawryGateway } from './fawry/fawry.gateway';
import { paymobGateway } from './paymob/paymob.gateway';
import { providerNotConfigured, type PaymentGateway } from './provider';

/** The configured payment providers. */
export interface Providers {
  /** The provider's adapter, or SERVICE_UNAVAILABLE (with `service`) when it is not configured here. */
  get(provider: PaymentProvider): PaymentGateway;
  /** The adapter when configured (background work skips the others). */
  configured(provider: PaymentProvider): PaymentGateway | undefined;
}

/**
 * Adapters for the providers whose base URL and keys are set; a provider left unconfigured (the
 * default, and so in the embedded mode) refuses payments with SERVICE_UNAVAILABLE rather than
 * pretending to take money.
 */
export function createProviders(config: Pick<BillingConfig, 'paymob' | 'fawry' | 'providerTimeoutMs'>): Providers {
  const gateways = new Map<PaymentProvider, PaymentGateway>();
  if (config.paymob) gateways.set(PaymentProvider.PAYMOB, paymobGateway(config.paymob, config.providerTimeoutMs));
  if (config.fawry) gateways.set(PaymentProvider.FAWRY, fawryGateway(config.fawry, config.providerTimeoutMs));
  return {
    get(provider) {
      const gateway = gateways.get(provider);
      if (!gateway) throw providerNotConfigured(provider.toLowerCase());
      return gateway;
    },
    configured: (provider) => gateways.get(provider),
  };
}
