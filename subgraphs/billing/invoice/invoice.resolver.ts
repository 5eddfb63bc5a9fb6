import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import { money, Money } from '../money/money';
import { Payment } from '../payment/payment.entity';
import { Invoice } from './invoice.entity';
import type { InvoiceService } from './invoice.service';

/**
 * An invoice is reached only through its payment (`Payment.invoice`), whose visibility was
 * checked there (the payer and school admins).
 */
@Resolver(() => Invoice)
export class InvoiceResolver {
  constructor(private readonly invoices: InvoiceService) {}

  @FieldResolver(() => Money)
  total(@Root() invoice: Invoice): Money {
    return money(invoice.totalPiasters);
  }

  @FieldResolver(() => String, { description: 'A download link of the PDF, valid for 15 minutes.' })
  pdfUrl(@Root() invoice: Invoice, @Ctx() ctx: BillingContext): Promise<string> {
    return this.invoices.downloadUrl(ctx.em, invoice);
  }
}

/** The field invoices add to a payment. */
@Resolver(() => Payment)
export class PaymentInvoiceResolver {
  @FieldResolver(() => Invoice, { nullable: true, description: 'Issued when the payment is paid.' })
  invoice(@Root() payment: Payment, @Ctx() ctx: BillingContext): Promise<Invoice | null> {
    return ctx.loaders.invoiceByPayment.load(payment.id);
  }
}
