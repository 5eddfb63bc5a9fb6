import { randomUUID } from 'node:crypto';
import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A recorded decision to let breaking changes through: who, why, which changes, for exactly
 * which proposed schemas (`proposalHash`), and the version it let through once used.
 */
@Entity({ tableName: 'approval' })
export class Approval {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** SHA-256 over the proposed subgraphs' names, URLs and SDLs. */
  @Index()
  @Property({ length: 64 })
  proposalHash!: string;

  /** Names of the proposed subgraphs, comma-separated. */
  @Property({ length: 500 })
  subgraphs!: string;

  /** The approved breaking changes, one `TYPE path` per line. */
  @Property({ type: 'text' })
  changes!: string;

  @Property({ length: 1000 })
  reason!: string;

  @Property({ length: 100 })
  approvedBy!: string;

  @Property({ length: 3 })
  createdAt: Date = new Date();

  @Property({ type: 'uuid', nullable: true })
  versionId?: string;
}
