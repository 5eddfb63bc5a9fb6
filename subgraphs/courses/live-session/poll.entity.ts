import { Entity, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';
import { StringListType } from '../../../platform/db/columns';
import { LiveSession } from './live-session.entity';

/** A question put to the room during a live session; students answer once (PollVote). */
@Entity()
export class Poll extends TenantOwned {
  [OptionalProps]?: 'createdAt';

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
