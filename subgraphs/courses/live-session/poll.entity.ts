import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';
import { StringListType } from '../list-column';
import { LiveSession } from './live-session.entity';

/** A question put to the room during a live session; students answer once (PollVote). */
@Entity()
export class Poll extends TenantOwned {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => LiveSession, { deleteRule: 'cascade' })
  session!: LiveSession;

  @Property({ length: 500 })
  question!: string;

  @Property({ type: StringListType })
  options!: string[];

  @Property({ type: 'uuid' })
  createdById!: string;

  @Property({ length: 3, nullable: true })
  closedAt?: Date;

  @Property({ length: 3 })
  createdAt: Date = new Date();
}
