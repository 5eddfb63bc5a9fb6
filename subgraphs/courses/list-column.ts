import { Type } from '@mikro-orm/core';

/**
 * A short list (quiz options, accepted answers, chosen indexes) kept as JSON in a TEXT column.
 * Not a JSON column: MariaDB and SQLite disagree on those, and these lists are only ever read
 * and written whole with their row, never queried into.
 */
abstract class JsonListType<T> extends Type<T[] | null | undefined, string | null> {
  convertToDatabaseValue(value: T[] | null | undefined): string | null {
    return value == null ? null : JSON.stringify(value);
  }

  convertToJSValue(value: string | T[] | null): T[] | null | undefined {
    if (value == null) return null;
    return Array.isArray(value) ? value : (JSON.parse(value) as T[]);
  }

  getColumnType(): string {
    return 'text';
  }

  compareAsType(): string {
    return 'string';
  }
}

export class StringListType extends JsonListType<string> {}
export class IntListType extends JsonListType<number> {}
