import { createHash } from 'node:crypto';

/**
 * A UUID-shaped key made from the parts of a natural key (a student's attendance of a session:
 * session id + student id), for read models whose rows are identified by a pair but stored, like
 * every tenant-owned row, under one `id`. The same parts always give the same id, so inserting the
 * same fact twice meets the primary key instead of making a second row. (SHA-256, version 8:
 * RFC 9562's "custom" UUID.)
 */
export function derivedId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
