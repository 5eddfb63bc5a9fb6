import { ConnectionType } from '../../../platform/graphql/connection';
import { Conversation } from './conversation.entity';
import { Message } from './message.entity';

/** The viewer's conversations, most recent activity first. */
export const ConversationConnection = ConnectionType(Conversation);
export type ConversationConnection = InstanceType<typeof ConversationConnection>;

/** A conversation's messages, newest first: `after` pages back in time. */
export const MessageConnection = ConnectionType(Message);
export type MessageConnection = InstanceType<typeof MessageConnection>;
