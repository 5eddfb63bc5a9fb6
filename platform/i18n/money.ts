/**
 * An amount of the platform's currency as written for people: `١٬٥٠٠٫٠٠ ج.م.‏` in Arabic (ar-EG),
 * `EGP 1,500.00` in English. Amounts are integer piasters everywhere (1 EGP = 100); only here
 * (and at a payment provider's edge) do they become decimals, and Intl rounds nothing since
 * piasters are exactly two decimals. Shared by billing (prices, invoices) and messaging (receipts).
 */
export function formatMoney(amountPiasters: number, locale: 'AR' | 'EN'): string {
  return new Intl.NumberFormat(locale === 'EN' ? 'en-EG' : 'ar-EG', { style: 'currency', currency: 'EGP' }).format(amountPiasters / 100);
}
