import { Entity, ManyToOne, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';
import { Poll } from './poll.entity';

/** One student's answer to a poll. The unique key makes a second vote fail even when two race. */
@Entity()
@Unique({ properties: ['poll', 'voterId'] })
export class PollVote extends TenantOwned {
  [OptionalProps]?: 'createdAt';

  @ManyToOne(() => Poll, { deleteRule: 'cascade' })
  poll!: Poll;

  @Property({ type: 'uuid' })
  voterId!: string;

  /** 0-based index into the poll's options. */
  @Property()
  option!: number;

  @Property({ length: 3 })
  createdAt: Date = new Date();
}
