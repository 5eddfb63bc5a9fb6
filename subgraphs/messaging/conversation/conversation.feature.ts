import type { Feature } from '../../../platform/subgraph/feature';
import { ConversationParticipant } from './conversation-participant.entity';
import { conversationReference, ConversationResolver } from './conversation.resolver';
import { Conversation } from './conversation.entity';
import { Message } from './message.entity';
import { conversationLoaders } from './conversation.loaders';
import { ConversationSubscription } from './conversation.subscription';
import { MessageResolver } from './message.resolver';

/** Private conversations between the school's people: parents, teachers and admins. */
export const conversationFeature = {
  entities: [Conversation, ConversationParticipant, Message],
  resolvers: [ConversationResolver, MessageResolver, ConversationSubscription],
  loaders: conversationLoaders,
  references: { Conversation: conversationReference },
} satisfies Feature;
