import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { viewerOf } from '../../../platform/auth/viewer';
import type { BusEvent } from '../../../platform/bus/event-bus';
import { badInput } from '../../../platform/errors';
import type { SubscriptionContext } from '../../../platform/graphql/subgraph-ws';
import type { MessagingContext, MessagingLoaders } from '../context';
import { conversationTopic, messageFromEvent, type MessageAddedData } from './conversation-events';
import { conversationPolicy } from './conversation.policy';
import { isUuid, uuidArg } from '../../../platform/graphql/ids';
import { Message } from './message.entity';
import { idBefore } from '../../../platform/bus/ids';

/**
 * `Subscription.messageAdded`, served to the gateway over graphql-ws: each client is admitted
 * with its own identity (a participant of the conversation; anyone else is refused as if it did
 * not exist); the feed is the conversation's bus topic, replayed after `after` then live. Every
 * admitted participant sees the same messages, so the gateway may share one feed between the
 * participants with the same roles (`sharing: 'role'`).
 */
@Resolver()
export class ConversationSubscription {
  @Subscription(() => Message, {
    description:
      'New messages of a conversation the viewer takes part in, in order. With `after` (the `id` of the last message received), ' +
      'the messages the feed still holds after it are replayed first, then new ones follow.',
    subscribe: async ({ args, context }) => {
      const ctx = context as SubscriptionContext<MessagingLoaders>;
      const viewer = viewerOf(ctx);
      const { conversationId, after } = args as { conversationId: string; after?: string | null };
      const conversation = await conversationPolicy.participating(ctx, viewer, uuidArg(conversationId, 'conversationId'));
      return ctx.live.topic(conversationTopic(viewer.schoolId, conversation.id), {
        after: after == null ? after : await feedPositionOf(ctx, conversation.id, after),
        sharing: 'role',
      });
    },
  })
  messageAdded(
    @Root() event: BusEvent<MessageAddedData>,
    @Arg('conversationId', () => ID) _conversationId: string,
    @Arg('after', () => ID, { nullable: true }) _after?: string,
  ): Message {
    return messageFromEvent(event);
  }
}

/**
 * Where the feed resumes for a client's `after`: a message id (what the client got) maps to the
 * bus event that announced it (kept on the message once published). A message of the conversation
 * whose event id is not known yet resumes from its time: the messages announced since then,
 * possibly itself again. A bus event id (`<ms>-<seq>`) is taken as it is.
 */
async function feedPositionOf(ctx: MessagingContext, conversationId: string, after: string): Promise<string> {
  if (!isUuid(after)) return after; // validated as an event id by the feed
  const message = await ctx.loaders.message.load(after.toLowerCase());
  if (!message || message.conversation.id !== conversationId) throw badAfter();
  return message.eventId ?? idBefore(message.sentAt);
}

const badAfter = () => badInput('`after` must be the id of a message of this conversation', 'after');
