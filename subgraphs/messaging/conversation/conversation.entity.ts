import { Collection, Entity, Index, OneToMany, OptionalProps, Property } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { TenantOwned } from '../../../platform/db/tenant';
import type { ConversationParticipant } from './conversation-participant.entity';

/**
 * A private thread between people of one school (a parent and their child's teacher, a teacher
 * and the school's admins…), optionally about one student. Who may start one with whom is
 * conversation.policy.ts; its people are ConversationParticipant rows, its messages Message rows.
 * `lastMessageAt`/`lastMessageId` follow the newest message (the viewer's list is ordered by
 * them, and `lastMessage` is one lookup by id).
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A private conversation between people of the school.' })
@Entity()
@Index({ properties: ['schoolId', 'lastMessageAt', 'id'] })
export class Conversation extends TenantOwned {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  override id!: string;

  @Field()
  @Property({ length: 200 })
  subject!: string;

  /** The student the conversation is about, when it is about one (a parent and a teacher about a child). */
  @Property({ type: 'uuid', nullable: true })
  studentId?: string;

  @Property({ type: 'uuid' })
  createdBy!: string;

  @Field(() => Date)
  @Property({ length: 3 })
  createdAt: Date = new Date();

  /** `sentAt` of the newest message: the list's order and the conversation's `updatedAt`. */
  @Property({ length: 3 })
  lastMessageAt!: Date;

  @Property({ type: 'uuid', nullable: true })
  lastMessageId?: string;

  // By name: the participant's module imports this one (its ManyToOne), and an import back would be a cycle.
  @OneToMany({ entity: 'ConversationParticipant', mappedBy: 'conversation' })
  participants = new Collection<ConversationParticipant>(this);
}
