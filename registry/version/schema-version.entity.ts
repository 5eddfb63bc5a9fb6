import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * One successful composition, immutable once written: the supergraph gateways run, the API
 * schema clients see, and the partner contract. `number` orders history; its unique index also
 * turns two registry replicas publishing at once into one winner and one retry.
 */
@Entity({ tableName: 'schema_version' })
export class SchemaVersion {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Unique()
  @Property()
  number!: number;

  /** SHA-256 of the supergraph SDL: the ETag of GET /v1/supergraph. */
  @Property({ length: 64 })
  hash!: string;

  @Property({ type: 'text', columnType: 'mediumtext' })
  supergraphSdl!: string;

  @Property({ type: 'text', columnType: 'mediumtext' })
  apiSdl!: string;

  /** Null while nothing is tagged for partners. */
  @Property({ type: 'text', columnType: 'mediumtext', nullable: true })
  contractSdl?: string;

  @Property({ length: 64, nullable: true })
  contractHash?: string;

  /** Names of the subgraphs this publish changed, comma-separated. */
  @Property({ length: 500 })
  subgraphs!: string;

  /** The publishing token's name, plus the person or commit the CLI named (`--author`). */
  @Property({ length: 200 })
  author!: string;

  /** What the publisher said about it (`--message`); the computed changes are SchemaChange rows. */
  @Property({ length: 1000, nullable: true })
  message?: string;

  @Property({ type: 'uuid', nullable: true })
  approvalId?: string;

  /**
   * Set when the publish was forced although a subgraph did not serve the proposed SDL (or could
   * not be asked): what did not match. Null = every published subgraph served what was published.
   */
  @Property({ length: 1000, nullable: true })
  forced?: string;

  @Property({ length: 3 })
  createdAt: Date = new Date();
}
