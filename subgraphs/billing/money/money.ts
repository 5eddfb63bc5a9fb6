export { formatMoney } from '../../../platform/i18n/money';
// The value type is shared with analytics (revenue): one definition in the platform.
export { CURRENCY, Locale, Money, money } from '../../../platform/graphql/money';
