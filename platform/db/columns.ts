import { Property, Type } from '@mikro-orm/core';

/**
 * An enum kept in a plain VARCHAR(20) column. Not MikroORM's @Enum: on SQLite it becomes a CHECK
 * list that MikroORM 6.6 reads back wrongly from three values on (only the first and the last),
 * so every schema diff would rebuild the table and the migration drift check could never pass.
 * The values are still checked where they come in: GraphQL enums and TypeScript types.
 */
export const EnumColumn = () => Property({ type: 'string', length: 20 });

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
