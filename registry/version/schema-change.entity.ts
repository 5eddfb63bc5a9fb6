import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

export enum ChangeLevel {
  breaking = 'breaking',
  dangerous = 'dangerous',
  safe = 'safe',
}

export enum ChangeTarget {
  /** The API schema every client sees. */
  api = 'api',
  /** The partner contract. */
  contract = 'contract',
}

/** One line of a version's changelog, as @graphql-inspector/core classed it (usage applied). */
@Entity({ tableName: 'schema_change' })
export class SchemaChange {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  versionId!: string;

  /** Order within the version. */
  @Property()
  position!: number;

  // Plain strings, not @Enum: MikroORM misreads SQLite check constraints of three or more values
  // as a pending schema change.
  @Property({ type: 'string', length: 16 })
  target!: ChangeTarget;

  @Property({ type: 'string', length: 16 })
  level!: ChangeLevel;

  /** Inspector's change type, e.g. FIELD_REMOVED. */
  @Property({ length: 64 })
  type!: string;

  /** Schema coordinate, e.g. School.timezone. */
  @Property({ length: 500, nullable: true })
  path?: string;

  @Property({ length: 1000 })
  message!: string;
}
