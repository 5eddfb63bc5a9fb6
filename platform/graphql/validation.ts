import { Matches, type ValidationOptions } from 'class-validator';
import { badInput } from '../errors';

/** class-validator: at least one non-space character (Length(1, n) alone lets "   " through). */
export const NotBlank = (options?: ValidationOptions) => Matches(/\S/, { message: '$property must not be blank', ...options });

/** Trimmed text, or BAD_USER_INPUT naming the field when it is blank or too long. */
export function text(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  if (!trimmed) throw badInput(`${field} must not be blank`, field);
  if (trimmed.length > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return trimmed;
}

/** Like text(), for optional fields: undefined stays undefined, blank becomes null (cleared). */
export function optionalText(value: string | null | undefined, field: string, max: number): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || !value.trim()) return null;
  return text(value, field, max);
}
