import PDFDocument from 'pdfkit';
import { formatMoney, Locale } from '../money/money';
import { visualPieces } from './bidi-line';

/**
 * Amiri (SIL Open Font License), shipped by @expo-google-fonts/amiri: a Naskh face with Arabic
 * and Latin glyphs, so one font sets Arabic names, English labels and digits alike.
 */
const FONTS = {
  regular: require.resolve('@expo-google-fonts/amiri/400Regular/Amiri_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/amiri/700Bold/Amiri_700Bold.ttf'),
};

/** What an invoice prints: its own frozen fields, and the names known when it is rendered (right after it is issued). */
export interface InvoiceDocument {
  locale: Locale;
  school: { name: string; taxRegistrationNumber?: string; address?: string };
  number: string;
  issuedAt: Date;
  payerName: string;
  studentName: string;
  lines: Array<{ description: string; periodStart?: Date; periodEnd?: Date; amountPiasters: number }>;
  totalPiasters: number;
  payment: { provider: string; method: string; reference?: string; paidAt?: Date };
}

const LABELS = {
  [Locale.AR]: {
    title: 'فاتورة',
    number: 'رقم الفاتورة',
    issued: 'تاريخ الإصدار',
    tax: 'رقم التسجيل الضريبي',
    payer: 'الدافع',
    student: 'الطالب',
    item: 'البيان',
    period: 'الفترة',
    amount: 'المبلغ',
    total: 'الإجمالي',
    paidVia: 'طريقة الدفع',
    reference: 'مرجع العملية',
    paidAt: 'تاريخ الدفع',
    thanks: 'شكرًا لكم.',
    oneTime: 'دفعة واحدة',
  },
  [Locale.EN]: {
    title: 'Invoice',
    number: 'Invoice number',
    issued: 'Issued',
    tax: 'Tax registration number',
    payer: 'Billed to',
    student: 'Student',
    item: 'Description',
    period: 'Period',
    amount: 'Amount',
    total: 'Total',
    paidVia: 'Paid with',
    reference: 'Transaction reference',
    paidAt: 'Paid on',
    thanks: 'Thank you.',
    oneTime: 'One-time',
  },
} as const;

const METHODS: Record<Locale, Record<string, string>> = {
  [Locale.AR]: { CARD: 'بطاقة', WALLET: 'محفظة إلكترونية', FAWRY_REFERENCE: 'رقم مرجعي فوري' },
  [Locale.EN]: { CARD: 'card', WALLET: 'mobile wallet', FAWRY_REFERENCE: 'Fawry reference number' },
};
const PROVIDERS: Record<Locale, Record<string, string>> = {
  [Locale.AR]: { PAYMOB: 'باي موب', FAWRY: 'فوري' },
  [Locale.EN]: { PAYMOB: 'Paymob', FAWRY: 'Fawry' },
};

/** A date as people of the locale write it, in Cairo time. */
function day(at: Date, locale: Locale): string {
  return at.toLocaleDateString(locale === Locale.EN ? 'en-EG' : 'ar-EG', {
    timeZone: 'Africa/Cairo',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  });
}

type Align = 'start' | 'end' | 'center';

/**
 * The invoice as a one-page A4 PDF (pdfkit), laid out right to left in Arabic and left to right in
 * English; every line goes through the bidirectional algorithm (bidi-line.ts), so an Arabic name
 * in an English invoice, or a Latin one in an Arabic invoice, is shaped and ordered correctly.
 */
export function renderInvoicePdf(invoice: InvoiceDocument): Promise<Buffer> {
  const rtl = invoice.locale !== Locale.EN;
  const direction = rtl ? 'rtl' : 'ltr';
  const t = LABELS[invoice.locale];
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    // Fixed metadata: the same invoice renders to the same document.
    info: { Title: `${t.title} ${invoice.number}`, Author: invoice.school.name, CreationDate: invoice.issuedAt, ModDate: invoice.issuedAt },
    lang: rtl ? 'ar-EG' : 'en-EG',
  });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;

  /** One line of text in the box [x, x + w], at the start (right in Arabic) or end of it. */
  const line = (
    text: string,
    y: number,
    opts: { x?: number; w?: number; align?: Align; size?: number; font?: 'regular' | 'bold' } = {},
  ) => {
    const x = opts.x ?? left;
    const w = opts.w ?? width;
    let size = opts.size ?? 11;
    doc.font(opts.font ?? 'regular').fontSize(size);
    let pieces = visualPieces(text, direction);
    const measure = () => pieces.map((p) => doc.widthOfString(p.text));
    let widths = measure();
    // A long name shrinks to fit its box rather than running into the next column.
    while (widths.reduce((a, b) => a + b, 0) > w && size > 6) {
      doc.fontSize(--size);
      pieces = visualPieces(text, direction);
      widths = measure();
    }
    const total = widths.reduce((a, b) => a + b, 0);
    const align = opts.align ?? 'start';
    const toRight = (align === 'start') === rtl;
    let cx = align === 'center' ? x + (w - total) / 2 : toRight ? x + w - total : x;
    pieces.forEach((p, i) => {
      if (!p.space) doc.text(p.text, cx, y, { lineBreak: false });
      cx += widths[i];
    });
  };
  /** A label and its value on one line: the label at the start, the value after it. */
  const field = (label: string, value: string, y: number) => line(`${label}: ${value}`, y);
  const rule = (y: number) =>
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.7)
      .strokeColor('#888888')
      .stroke();

  let y = 50;
  line(invoice.school.name, y, { size: 18, font: 'bold' });
  y += 28;
  if (invoice.school.address) {
    line(invoice.school.address, y, { size: 10 });
    y += 16;
  }
  if (invoice.school.taxRegistrationNumber) {
    field(t.tax, invoice.school.taxRegistrationNumber, y);
    y += 16;
  }
  y += 10;
  line(t.title, y, { size: 22, font: 'bold', align: 'end' });
  y += 36;
  field(t.number, invoice.number, y);
  y += 18;
  field(t.issued, day(invoice.issuedAt, invoice.locale), y);
  y += 28;
  field(t.payer, invoice.payerName, y);
  y += 18;
  field(t.student, invoice.studentName, y);
  y += 30;

  // Items: description, period and amount columns, mirrored in Arabic.
  const columns = { item: width * 0.45, period: width * 0.33, amount: width * 0.22 };
  const at = (start: number, w: number) => (rtl ? left + width - start - w : left + start);
  const cols = {
    item: { x: at(0, columns.item), w: columns.item },
    period: { x: at(columns.item, columns.period), w: columns.period },
    amount: { x: at(columns.item + columns.period, columns.amount), w: columns.amount },
  };
  rule(y - 4);
  line(t.item, y, { ...cols.item, font: 'bold' });
  line(t.period, y, { ...cols.period, font: 'bold' });
  line(t.amount, y, { ...cols.amount, font: 'bold', align: 'end' });
  y += 20;
  rule(y - 2);
  for (const item of invoice.lines) {
    const period =
      item.periodStart && item.periodEnd ? `${day(item.periodStart, invoice.locale)} – ${day(item.periodEnd, invoice.locale)}` : t.oneTime;
    line(item.description, y + 2, { ...cols.item });
    line(period, y + 2, { ...cols.period, size: 9 });
    line(formatMoney(item.amountPiasters, invoice.locale), y + 2, { ...cols.amount, align: 'end' });
    y += 24;
  }
  rule(y);
  y += 8;
  line(`${t.total}: ${formatMoney(invoice.totalPiasters, invoice.locale)}`, y, { size: 14, font: 'bold', align: 'end' });
  y += 40;
  const via = `${PROVIDERS[invoice.locale][invoice.payment.provider] ?? invoice.payment.provider} (${METHODS[invoice.locale][invoice.payment.method] ?? invoice.payment.method})`;
  field(t.paidVia, via, y);
  y += 18;
  if (invoice.payment.paidAt) {
    field(t.paidAt, day(invoice.payment.paidAt, invoice.locale), y);
    y += 18;
  }
  if (invoice.payment.reference) {
    field(t.reference, invoice.payment.reference, y);
    y += 18;
  }
  line(t.thanks, y + 20, { size: 10 });
  doc.end();
  return done;
}
