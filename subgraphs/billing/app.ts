import { openFileStorage } from '../../platform/storage/open';
import { createSubgraphService, type SubgraphRuntime, type SubgraphService } from '../../platform/subgraph/host';
import { defineSubgraph } from '../../platform/subgraph/manifest';
import type { Transport } from '../../platform/transport';
import { billingDatabase } from './database';
import { billingFactsRoute } from './facts/facts.route';
import { BILLING_DEFAULT_PORT, billingConfigFromEnv, type BillingConfig } from './env';
import { createFailpoints } from './failpoints';
import { billing } from './features';
import { registerInvoiceService } from './invoice/invoice.consumer';
import { InvoiceResolver } from './invoice/invoice.resolver';
import { InvoiceService } from './invoice/invoice.service';
import { periodic } from '../../platform/jobs';
import { PaymentResolver } from './payment/payment.resolver';
import { PaymentService } from './payment/payment.service';
import { planPeopleBackfill } from './person/person.backfill';
import { PlanResolver } from './plan/plan.resolver';
import { PlanService } from './plan/plan.service';
import { createProviders } from './providers/providers';
import { RefundResolver } from './refund/refund.resolver';
import { RefundService } from './refund/refund.service';
import { seedDemo } from './seed';
import { reconcilePayments } from './settlement/reconciliation';
import { expireSubscriptions } from './subscription/expiry';
import { PlanSubscriptionResolver } from './subscription/plan-subscription.resolver';
import { PlanSubscriptionService } from './subscription/plan-subscription.service';
import { WEBHOOK_PATHS, webhookRoutes } from './webhook/webhook.routes';

/**
 * The billing subgraph: plans, plan subscriptions, payments through Paymob and Fawry, refunds
 * and invoices. Serves /graphql (gateway-signed calls only), the providers' callbacks
 * POST /webhooks/paymob and /webhooks/fawry (signed by the providers; the gateway forwards them
 * from the public host) and, with local file storage, /files (invoice PDFs). Publishes its domain
 * events through the outbox; consumes users' guardian links and people, and its own
 * `invoice.issued` (PDF rendering). A periodic sweep reconciles pending payments and expires
 * subscriptions. The lifecycle is the platform's subgraph host's.
 */
export function createBillingService(config: BillingConfig, shared?: Transport): SubgraphService {
  return createSubgraphService(
    {
      name: 'billing',
      config,
      database: billingDatabase,
      parts: billing,
      rawBodies: { paths: WEBHOOK_PATHS, limit: config.webhookBodyLimit },
      wire: wireBilling,
    },
    shared,
  );
}

/** The subgraph's manifest (subgraphs/catalog.ts). */
export const billingSubgraph = defineSubgraph({
  name: 'billing',
  defaultPort: BILLING_DEFAULT_PORT,
  database: billingDatabase,
  configFromEnv: billingConfigFromEnv,
  parts: billing,
  createService: createBillingService,
});

async function wireBilling({ config, orm, logger, app, url, onStop, verifyContext }: SubgraphRuntime<BillingConfig>) {
  // Local file URLs name this service's own address, known once it listens.
  const storage = await openFileStorage(config.files, app, url);
  onStop('file storage', () => storage.close());
  const providers = createProviders(config);
  const failpoint = createFailpoints(config.failpoints, logger);
  const invoices = new InvoiceService(storage);
  registerInvoiceService(orm, invoices);
  app.use(webhookRoutes({ orm, logger, failpoint, config }));
  app.use(billingFactsRoute({ orm, verify: verifyContext, logger }));

  const sweep = periodic(
    'billing sweep',
    config.sweep.intervalMs,
    async () => {
      await reconcilePayments({ orm, logger, failpoint, providers, askAfterMs: config.sweep.fawryReconcileAfterMs });
      await expireSubscriptions(orm, config.sweep.graceMs);
    },
    logger,
  );
  onStop('billing sweep', () => sweep.stop());

  // Before the consumers are bound: what is empty now (platform/people/backfill.ts says why not later).
  const people = await planPeopleBackfill(orm, logger);
  return {
    resolvers: [
      new PlanResolver(new PlanService()),
      new PlanSubscriptionResolver(new PlanSubscriptionService()),
      new PaymentResolver(new PaymentService(providers, { publicUrl: config.publicUrl, returnUrl: config.returnUrl }, logger)),
      new RefundResolver(new RefundService(providers, logger)),
      new InvoiceResolver(invoices),
    ],
    seed: () => seedDemo(orm, logger),
    // After the consumers are bound: users answers with events this service must not miss.
    afterStart: () => people.request(),
  };
}
