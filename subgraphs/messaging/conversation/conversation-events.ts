import type { EntityManager } from '@mikro-orm/core';
import { publishSoon, type BusEvent, type EventBus } from '../../../platform/bus/event-bus';
import type { Logger } from '../../../platform/logger';
import { Message } from './message.entity';

/** Bus topic of one conversation. The school id is part of it so no two tenants ever share a topic. */
export const conversationTopic = (schoolId: string, conversationId: string) => `messaging:${schoolId}:conversation:${conversationId}`;

/** What goes on a conversation's topic: the new message whole, so serving it needs no query. */
export interface MessageAddedData {
  schoolId: string;
  conversationId: string;
  messageId: string;
  senderId: string;
  body: string;
  /** ISO time. */
  sentAt: string;
}

/** The message an event carries, as the type the schema serves (not a managed row). */
export function messageFromEvent(event: BusEvent<MessageAddedData>): Message {
  const d = event.data;
  return Object.assign(new Message(), {
    id: d.messageId,
    schoolId: d.schoolId,
    senderId: d.senderId,
    body: d.body,
    sentAt: new Date(d.sentAt),
  });
}

/** How long a new message holds its request up while the bus is away; it is delivered later. */
const ANNOUNCE_WAIT_MS = 1000;

/**
 * Announces committed messages on their conversation's topic (`Subscription.messageAdded`). The
 * message is already stored, so the bus being away never fails the request: the event waits in
 * the bus and is delivered once Redis is back. Once published, the event id is kept on the
 * message: a client that resumes with the id of the last message it got is served from there.
 */
export class ConversationEvents {
  constructor(
    private readonly bus: EventBus,
    private readonly logger: Logger,
  ) {}

  async announce(em: EntityManager, message: Message): Promise<void> {
    const data: MessageAddedData = {
      schoolId: message.schoolId,
      conversationId: message.conversation.id,
      messageId: message.id,
      senderId: message.senderId,
      body: message.body,
      sentAt: message.sentAt.toISOString(),
    };
    const eventId = await publishSoon(this.bus, conversationTopic(data.schoolId, data.conversationId), data, ANNOUNCE_WAIT_MS, (err) =>
      this.logger.warn({ err, messageId: message.id }, 'could not publish a new message to its conversation'),
    );
    if (eventId) {
      await em.nativeUpdate(Message, { id: message.id }, { eventId }).catch((err: unknown) => {
        // Only resuming by this message's id is affected: it falls back to its time (subscription).
        this.logger.warn({ err, messageId: message.id }, 'could not keep the event id of a message');
      });
    }
  }
}
