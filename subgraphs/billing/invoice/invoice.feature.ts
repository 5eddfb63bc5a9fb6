import type { Feature } from '../../../platform/subgraph/feature';
import { invoicePdfConsumer } from './invoice.consumer';
import { Invoice, InvoiceSequence } from './invoice.entity';
import { invoiceLoaders } from './invoice.loaders';
import { InvoiceResolver, PaymentInvoiceResolver } from './invoice.resolver';

/** Invoices of paid payments: gap-free numbers per school, PDFs rendered from `invoice.issued`. */
export const invoiceFeature = {
  entities: [Invoice, InvoiceSequence],
  resolvers: [InvoiceResolver, PaymentInvoiceResolver],
  loaders: invoiceLoaders,
  consumers: [invoicePdfConsumer],
} satisfies Feature;
