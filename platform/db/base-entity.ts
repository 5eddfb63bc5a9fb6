import { randomUUID } from 'node:crypto';
import { OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Base of entities keyed by a UUID the application makes (`randomUUID()`), so a new row has its
 * id before the flush (events, references and responses can use it at once). Stored as
 * VARCHAR(36) on MySQL, TEXT on SQLite.
 *
 * A subclass that exposes the id in GraphQL redeclares it for the decorator only, with no
 * initializer (`@Field(() => ID) override id!: string;`): with `useDefineForClassFields: false`
 * that emits nothing, so this class's `randomUUID()` stays the value.
 */
export abstract class UuidEntity {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();
}

/**
 * UuidEntity with creation and last-change times (DATETIME(3), UTC), both set by the application:
 * `createdAt` when the object is made, `updatedAt` then and on every flush that changes the row.
 * `Optional` names the subclass's own properties that `em.create` may leave out (MikroORM's
 * OptionalProps); the timestamps are already in it.
 */
export abstract class BaseEntity<Optional = never> extends UuidEntity {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | Optional;

  @Property({ length: 3 })
  createdAt: Date = new Date();

  @Property({ length: 3, onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
