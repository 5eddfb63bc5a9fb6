import { Entity, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { TenantOwned } from '../../../platform/db/tenant';
import { Conversation } from './conversation.entity';

/**
 * One message of a conversation. Its id is a UUIDv7 (message-id.ts) so that ids made one after
 * the other sort in that order: the messages connection pages on (sentAt, id), indexed per
 * conversation. `sender` is the users subgraph's User, resolved by the gateway.
 */
@ObjectType({ description: 'A message of a conversation.' })
@Entity()
@Index({ properties: ['conversation', 'sentAt', 'id'] })
export class Message extends TenantOwned {
  @Field(() => ID)
  override id!: string;

  @ManyToOne(() => Conversation, { deleteRule: 'cascade' })
  conversation!: Conversation;

  @Property({ type: 'uuid' })
  senderId!: string;

  @Field()
  @Property({ type: 'text' })
  body!: string;

  @Field(() => Date)
  @Property({ length: 3 })
  sentAt!: Date;

  /**
   * Id of the bus event that announced the message (`Subscription.messageAdded`), kept once it is
   * published: `messageAdded(after: <message id>)` resumes from it. Unset until then.
   */
  @Property({ length: 48, nullable: true })
  eventId?: string;
}
