import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { optionalViewer, viewerOf } from '../../../platform/auth/viewer';
import { PageArgs } from '../../../platform/graphql/connection';
import type { MessagingContext } from '../context';
import { UserRef, userRef } from '../references';
import { Conversation } from './conversation.entity';
import { conversationPolicy } from './conversation.policy';
import type { ConversationService } from './conversation.service';
import { ConversationConnection, MessageConnection } from './conversation.types';
import { isUuid } from '../../../platform/graphql/ids';
import { Message } from './message.entity';

/**
 * Conversations between the school's people. Everyone reads the conversations they are in;
 * school admins may read any of their school's (and write only in those they are in). Who may
 * start one with whom: conversation.policy.ts.
 */
@Resolver(() => Conversation)
export class ConversationResolver {
  constructor(private readonly service: ConversationService) {}

  @Authorized()
  @Query(() => ConversationConnection, { description: "The viewer's conversations, most recent activity first." })
  conversations(@Args() page: PageArgs, @Ctx() ctx: MessagingContext): Promise<ConversationConnection> {
    return this.service.list(ctx, viewerOf(ctx), page);
  }

  @Authorized()
  @Query(() => Conversation, {
    nullable: true,
    description: 'A conversation the viewer takes part in (or any of the school, for its admins); null otherwise.',
  })
  conversation(@Arg('id', () => ID) id: string, @Ctx() ctx: MessagingContext): Promise<Conversation | null> {
    return visibleConversation(ctx, id);
  }

  @Authorized()
  @Mutation(() => Conversation, {
    description:
      'Starts a conversation with 1 to 10 other people of the school and its first message. Parents write to the teachers of ' +
      "their children's courses and to school admins; teachers to the parents of their students and to school admins; school " +
      'admins to anyone in the school. With `studentId`, about that student: every parent in it must be theirs, every teacher teach them.',
  })
  startConversation(
    @Arg('participantIds', () => [ID]) participantIds: string[],
    @Arg('subject') subject: string,
    @Arg('body') body: string,
    @Arg('studentId', () => ID, { nullable: true }) studentId: string | undefined,
    @Ctx() ctx: MessagingContext,
  ): Promise<Conversation> {
    return this.service.start(ctx, viewerOf(ctx), { participantIds, subject, body, studentId });
  }

  @Authorized()
  @Mutation(() => Message, { description: 'Writes to a conversation the viewer takes part in (1 to 4000 characters).' })
  sendMessage(
    @Arg('conversationId', () => ID) conversationId: string,
    @Arg('body') body: string,
    @Ctx() ctx: MessagingContext,
  ): Promise<Message> {
    return this.service.send(ctx, viewerOf(ctx), conversationId, body);
  }

  @Authorized()
  @Mutation(() => Conversation, {
    description: 'Marks every message of the conversation read for the viewer (its `unreadCount` becomes 0).',
  })
  markConversationRead(@Arg('id', () => ID) id: string, @Ctx() ctx: MessagingContext): Promise<Conversation> {
    return this.service.markRead(ctx, viewerOf(ctx), id);
  }

  @FieldResolver(() => [UserRef], {
    description: 'Everyone in the conversation, the viewer included: who started it, then the others as they were named.',
  })
  async participants(@Root() conversation: Conversation, @Ctx() ctx: MessagingContext): Promise<UserRef[]> {
    return (await ctx.loaders.participantsOfConversation.load(conversation.id)).map((p) => userRef(p.userId));
  }

  @FieldResolver(() => UserRef, { nullable: true, description: 'The student the conversation is about, if any.' })
  student(@Root() conversation: Conversation): UserRef | null {
    return conversation.studentId ? userRef(conversation.studentId) : null;
  }

  @FieldResolver(() => MessageConnection, { description: 'Its messages, newest first: `after` pages back in time.' })
  messages(@Root() conversation: Conversation, @Args() page: PageArgs, @Ctx() ctx: MessagingContext): Promise<MessageConnection> {
    return this.service.messages(ctx, conversation, page);
  }

  @FieldResolver(() => Message, { nullable: true, description: 'The newest message.' })
  lastMessage(@Root() conversation: Conversation, @Ctx() ctx: MessagingContext): Promise<Message | null> {
    return conversation.lastMessageId ? ctx.loaders.message.load(conversation.lastMessageId) : Promise.resolve(null);
  }

  @FieldResolver(() => Int, {
    description: 'Messages of the others since the viewer last marked it read or wrote in it (0 for an admin who is not in it).',
  })
  unreadCount(@Root() conversation: Conversation, @Ctx() ctx: MessagingContext): Promise<number> {
    return ctx.loaders.unreadCount.load(conversation.id);
  }

  @FieldResolver(() => Date, { description: 'When the last message was written (the order of `conversations`).' })
  updatedAt(@Root() conversation: Conversation): Date {
    return conversation.lastMessageAt;
  }
}

/** The conversation if the viewer may read it (conversation.policy.ts); null otherwise, and for another school's id. */
export async function visibleConversation(ctx: MessagingContext, id: string): Promise<Conversation | null> {
  const viewer = optionalViewer(ctx);
  if (!viewer || !isUuid(id)) return null;
  return conversationPolicy.readable(ctx, viewer, id.toLowerCase());
}

/** `_entities` lookups of a Conversation: as `conversation(id)`. */
export const conversationReference = {
  __resolveReference: (ref: { id: string }, ctx: MessagingContext) => visibleConversation(ctx, ref.id),
};
