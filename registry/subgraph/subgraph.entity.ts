import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** The latest published schema of one subgraph: the set of these is what gets composed. */
@Entity({ tableName: 'subgraph' })
export class Subgraph {
  [OptionalProps]?: 'updatedAt';

  @PrimaryKey({ length: 64 })
  name!: string;

  /** Routing URL written into the supergraph (gateways may override it per deployment). */
  @Property({ length: 2000 })
  url!: string;

  @Property({ type: 'text', columnType: 'mediumtext' })
  sdl!: string;

  @Property({ length: 64 })
  sdlHash!: string;

  /** Number of the version that last changed it. */
  @Property()
  versionNumber!: number;

  @Property({ length: 3 })
  updatedAt: Date = new Date();
}
