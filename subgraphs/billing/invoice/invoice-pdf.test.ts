import { Locale } from '../money/money';
import { directionOf, visualPieces } from './bidi-line';
import { renderInvoicePdf, type InvoiceDocument } from './invoice-pdf';

/**
 * The invoice PDF and the bidirectional layout under it. That Arabic comes out shaped and right to
 * left was checked by eye (pdftoppm → PNG); these tests pin the order the pieces are laid out in.
 */
describe('bidirectional lines', () => {
  const texts = (text: string, direction: 'rtl' | 'ltr') => visualPieces(text, direction).map((p) => p.text);

  it('lays the words of an Arabic name right to left, each in logical order for shaping', () => {
    // Display order, left to right: the last word first. Each Arabic word stays in logical order:
    // the font layout reverses it while joining its letters.
    expect(texts('مريم عادل', 'rtl')).toEqual(['عادل', ' ', 'مريم']);
  });

  it('keeps numbers and Latin text left to right inside Arabic, and mirrors brackets', () => {
    expect(texts('المبلغ 1,500.00 EGP (شهري)', 'rtl')).toEqual(['(', 'شهري', ')', ' ', 'EGP', ' ', '1,500.00', ' ', 'المبلغ']);
    // Arabic-Indic digits are Arabic script: given reversed, so that the font layout puts them back in order.
    expect(texts('الإجمالي: ١٥٠٫٠٠', 'rtl')).toEqual(['٠٠٫٠٥١', ' ', ':', 'الإجمالي']);
  });

  it('places an Arabic name inside an English line', () => {
    expect(texts('Payer: مريم عادل', 'ltr')).toEqual(['Payer:', ' ', 'عادل', ' ', 'مريم']);
    expect(directionOf('مريم عادل')).toBe('rtl');
    expect(directionOf('Mariam Adel')).toBe('ltr');
  });
});

describe('invoice PDF', () => {
  const invoice: InvoiceDocument = {
    locale: Locale.AR,
    school: { name: 'مدرسة المنصة التجريبية', taxRegistrationNumber: '100-200-300', address: 'القاهرة، مصر' },
    number: 'INV-000042',
    issuedAt: new Date('2026-03-01T09:30:00Z'),
    payerName: 'عادل محمود',
    studentName: 'مريم عادل',
    lines: [
      {
        description: 'الرياضيات — اشتراك شهري',
        periodStart: new Date('2026-03-01T09:30:00Z'),
        periodEnd: new Date('2026-04-01T09:30:00Z'),
        amountPiasters: 15_000,
      },
    ],
    totalPiasters: 15_000,
    payment: { provider: 'PAYMOB', method: 'CARD', reference: '192036465', paidAt: new Date('2026-03-01T09:30:00Z') },
  };

  it('renders a one-page PDF with the Arabic font embedded, in Arabic and in English', async () => {
    for (const locale of [Locale.AR, Locale.EN]) {
      const pdf = await renderInvoicePdf({ ...invoice, locale });
      const text = pdf.toString('latin1');
      expect(text.startsWith('%PDF-1.')).toBe(true);
      expect(text).toMatch(/\/FontName \/[A-Z]{6}\+Amiri-Regular/);
      expect(text).toMatch(/\/FontName \/[A-Z]{6}\+Amiri-Bold/);
      expect(text.match(/\/Type \/Page\b/g)).toHaveLength(1);
    }
  });

  it('renders the same invoice to the same bytes', async () => {
    expect((await renderInvoicePdf(invoice)).equals(await renderInvoicePdf(invoice))).toBe(true);
  });
});
