import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { badInput } from '../../../platform/errors';

/** Numbers written without a country code are read as Egyptian (01xxxxxxxxx), the platform's home. */
const DEFAULT_COUNTRY = 'EG';

/**
 * A phone number as people type it (`+20 100 123 4567`, `01001234567`, `00201001234567`) in
 * E.164 (`+201001234567`), checked against the numbering plan of its country (libphonenumber's
 * full metadata); null for blank (clears it). BAD_USER_INPUT naming `field` otherwise.
 */
export function normalizePhone(input: string | null, field = 'phone'): string | null {
  const raw = input?.trim() ?? '';
  if (!raw) return null;
  const parsed = raw.length <= 40 ? parsePhoneNumberFromString(raw, DEFAULT_COUNTRY) : undefined;
  if (!parsed?.isValid()) throw badInput(`${field} must be a valid phone number, e.g. +201001234567`, field);
  return parsed.number;
}
