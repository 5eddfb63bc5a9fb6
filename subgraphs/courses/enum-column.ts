import { Property } from '@mikro-orm/core';

/**
 * An enum kept in a plain VARCHAR(20) column. Not MikroORM's @Enum: on SQLite it becomes a CHECK
 * list that MikroORM 6.6 reads back wrongly from three values on (only the first and the last),
 * so every schema diff would rebuild the table and the migration drift check could never pass.
 * The values are still checked where they come in: GraphQL enums and TypeScript types.
 */
export const EnumColumn = () => Property({ type: 'string', length: 20 });
