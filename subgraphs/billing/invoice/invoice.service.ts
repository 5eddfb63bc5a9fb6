import type { EntityManager } from '@mikro-orm/core';
import type { FileStorage } from '../../../platform/storage/storage';
import { Locale } from '../money/money';
import { Payment } from '../payment/payment.entity';
import { Person } from '../../../platform/people/person.entity';
import { BillingProfile } from '../profile/billing-profile.entity';
import { Invoice } from './invoice.entity';
import { renderInvoicePdf, type InvoiceDocument } from './invoice-pdf';

/** An invoice PDF is a few tens of kB; anything near this is a bug. */
const MAX_PDF_BYTES = 5 * 1024 * 1024;

/** Where an invoice's PDF lives: per school, named by its number (one object per invoice, re-rendering replaces it). */
export const invoicePdfKey = (invoice: Pick<Invoice, 'schoolId' | 'number'>) =>
  `schools/${invoice.schoolId}/invoices/${invoice.number}.pdf`;

/**
 * Renders invoices to PDF and keeps them in file storage, through the storage interface alone:
 * a presigned upload URL (S3, or this service's own /files in the embedded mode) takes the bytes,
 * a presigned download URL hands them out.
 */
export class InvoiceService {
  constructor(private readonly storage: FileStorage) {}

  /**
   * The invoice's PDF in storage (rendered and stored now unless it already is), its key recorded
   * on the invoice. Idempotent: the key is the invoice's, so two renders store the same object.
   */
  async ensurePdf(em: EntityManager, invoice: Invoice): Promise<string> {
    if (invoice.pdfKey) return invoice.pdfKey;
    const pdf = await renderInvoicePdf(await this.document(em, invoice));
    if (pdf.length > MAX_PDF_BYTES) throw new Error(`invoice ${invoice.number} rendered to ${pdf.length} bytes`);
    const key = invoicePdfKey(invoice);
    const upload = await this.storage.presignUpload(key, { contentType: 'application/pdf', size: pdf.length, maxBytes: MAX_PDF_BYTES });
    const res = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: pdf, signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`storing invoice ${invoice.number} failed: ${res.status} ${await res.text().catch(() => '')}`);
    await em.nativeUpdate(Invoice, { id: invoice.id }, { pdfKey: key });
    invoice.pdfKey = key;
    return key;
  }

  /** A short-lived download URL of the PDF (rendering it first if it is not there yet). */
  async downloadUrl(em: EntityManager, invoice: Invoice): Promise<string> {
    const key = await this.ensurePdf(em, invoice);
    return (await this.storage.presignDownload(key, { fileName: `${invoice.number}.pdf`, expiresInSeconds: 900 })).url;
  }

  /** What the invoice prints: the school's billing profile, the people's names (read model), the payment. */
  private async document(em: EntityManager, invoice: Invoice): Promise<InvoiceDocument> {
    const payment = await em.findOneOrFail(Payment, { id: invoice.payment.id });
    const profile = await em.findOne(BillingProfile, { schoolId: invoice.schoolId });
    const people = new Map(
      (await em.find(Person, { id: { $in: [payment.payerId, payment.studentId] } })).map((p) => [p.id, p.displayName]),
    );
    return {
      locale: profile?.locale ?? Locale.AR,
      school: {
        name: profile?.legalName ?? payment.schoolSlug ?? invoice.schoolId,
        taxRegistrationNumber: profile?.taxRegistrationNumber,
        address: profile?.address,
      },
      number: invoice.number,
      issuedAt: invoice.issuedAt,
      payerName: people.get(payment.payerId) ?? '—',
      studentName: people.get(payment.studentId) ?? '—',
      lines: [
        {
          description: invoice.description,
          periodStart: invoice.periodStart,
          periodEnd: invoice.periodEnd,
          amountPiasters: invoice.totalPiasters,
        },
      ],
      totalPiasters: invoice.totalPiasters,
      payment: { provider: payment.provider, method: payment.method, reference: payment.providerTransactionId, paidAt: payment.paidAt },
    };
  }
}
