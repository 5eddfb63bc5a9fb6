import { Entity, Index, ManyToOne, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';
import { Conversation } from './conversation.entity';

/**
 * One person of a conversation, with how far they have read: the (sentAt, id) of the last message
 * they saw, the same keyset the messages are ordered by, so "unread" is every message after it
 * (from the others) and stays exact when two messages share a millisecond.
 */
@Entity()
@Unique({ properties: ['conversation', 'userId'] })
@Index({ properties: ['userId'] })
export class ConversationParticipant extends TenantOwned {
  [OptionalProps]?: 'joinedAt';

  @ManyToOne(() => Conversation, { deleteRule: 'cascade' })
  conversation!: Conversation;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ length: 3 })
  joinedAt: Date = new Date();

  /** Order in the conversation's list of people: 0 for who started it, then the others as they were named. */
  @Property()
  position!: number;

  /** `sentAt` of the last message read; unset: nothing read yet. */
  @Property({ length: 3, nullable: true })
  lastReadAt?: Date;

  @Property({ type: 'uuid', nullable: true })
  lastReadMessageId?: string;
}
