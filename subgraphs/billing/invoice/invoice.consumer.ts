import type { MikroORM } from '@mikro-orm/core';
import type { BrokerMessage, ConsumeOptions } from '../../../platform/broker/message-broker';
import { scopeToTenant } from '../../../platform/db/tenant';
import type { DomainEventOf } from '../../../platform/events/domain-events';
import type { ConsumerDefinition, ConsumerRuntime } from '../../../platform/subgraph/feature';
import { Invoice } from './invoice.entity';
import type { InvoiceService } from './invoice.service';

/**
 * The invoice service of each running billing service, by its ORM (a consumer definition is
 * static; the storage it needs is made when the service starts: app.ts registers it).
 */
const services = new WeakMap<MikroORM, InvoiceService>();

export function registerInvoiceService(orm: MikroORM, service: InvoiceService): void {
  services.set(orm, service);
}

export const invoicePdfConsumer: ConsumerDefinition<DomainEventOf<'invoice.issued'>> = {
  queue: 'billing.invoice-pdfs',
  options: { bindings: ['invoice.issued'] } satisfies ConsumeOptions,

  /**
   * Renders and stores the PDF of a newly issued invoice, off the webhook's path (a callback is
   * answered once its transaction commits; the PDF follows here). Idempotent without a
   * processed-message record: an invoice with its PDF is skipped, and a render repeated after a
   * crash stores the same object under the same key. A failure is retried by the broker; a
   * `pdfUrl` asked for meanwhile renders it on the spot.
   */
  handler({ orm }: ConsumerRuntime) {
    return async (message: BrokerMessage<DomainEventOf<'invoice.issued'>>): Promise<void> => {
      const service = services.get(orm);
      if (!service) throw new Error('no invoice service registered for this billing service');
      const event = message.payload;
      const em = scopeToTenant(orm.em.fork(), event.tenantId);
      const invoice = await em.findOne(Invoice, { id: event.payload.invoiceId });
      if (!invoice || invoice.pdfKey) return;
      await service.ensurePdf(em, invoice);
    };
  },
};
