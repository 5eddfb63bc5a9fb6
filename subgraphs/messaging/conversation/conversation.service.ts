import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import type { Viewer } from '../../../platform/auth/viewer';
import { badInput, forbidden } from '../../../platform/errors';
import { pageSize, type PageArgs } from '../../../platform/graphql/connection';
import { Contact } from '../contact/contact.entity';
import type { MessagingContext } from '../context';
import type { Notify } from '../notification/notify';
import { ConversationParticipant } from './conversation-participant.entity';
import type { ConversationEvents } from './conversation-events';
import { Conversation } from './conversation.entity';
import { conversationPolicy } from './conversation.policy';
import type { ConversationConnection, MessageConnection } from './conversation.types';
import { decodeCursor, encodeCursor, olderThan, type Position } from './cursor';
import { uuidArg } from '../../../platform/graphql/ids';
import { messageId } from './message-id';
import { Message } from './message.entity';
import { writeLock } from '../../../platform/db/locks';
import { writeTransaction } from './transactions';

/** Limits of what people write (after trimming). */
export const LIMITS = { subject: 200, body: 4000, others: 10, preview: 140 };

export interface StartConversation {
  participantIds: string[];
  subject: string;
  body: string;
  studentId?: string | null;
}

/**
 * Conversations and their messages. Every write is one transaction that also asks for the
 * notifications of the other participants (`notify`, so they are queued exactly when the message
 * is stored); the live event follows the commit (ConversationEvents).
 */
export class ConversationService {
  constructor(
    private readonly notify: Notify,
    private readonly events: ConversationEvents,
  ) {}

  /** The viewer's conversations, most recent activity first, keyset-paged on (lastMessageAt, id). */
  async list(ctx: MessagingContext, viewer: Viewer, page: PageArgs): Promise<ConversationConnection> {
    const first = pageSize(page.first);
    const mine = { participants: { userId: viewer.id } } as FilterQuery<Conversation>;
    const after = page.after ? (olderThan('lastMessageAt', decodeCursor(page.after)) as FilterQuery<Conversation>) : undefined;
    const [rows, totalCount] = await Promise.all([
      first === 0
        ? Promise.resolve([])
        : ctx.em.find(Conversation, after ? { $and: [mine, after] } : mine, {
            orderBy: { lastMessageAt: 'desc', id: 'desc' },
            limit: first + 1,
          }),
      ctx.em.count(Conversation, mine),
    ]);
    return connection(rows, first, (c) => ({ at: c.lastMessageAt, id: c.id }), totalCount);
  }

  /** A conversation's messages, newest first (`after` pages back in time), keyset-paged on (sentAt, id). */
  async messages(ctx: MessagingContext, conversation: Conversation, page: PageArgs): Promise<MessageConnection> {
    const first = pageSize(page.first);
    const of = { conversation: conversation.id } as FilterQuery<Message>;
    const after = page.after ? (olderThan('sentAt', decodeCursor(page.after)) as FilterQuery<Message>) : undefined;
    const [rows, totalCount] = await Promise.all([
      first === 0
        ? Promise.resolve([])
        : ctx.em.find(Message, after ? { $and: [of, after] } : of, { orderBy: { sentAt: 'desc', id: 'desc' }, limit: first + 1 }),
      ctx.em.count(Message, of),
    ]);
    return connection(rows, first, (m) => ({ at: m.sentAt, id: m.id }), totalCount);
  }

  async start(ctx: MessagingContext, viewer: Viewer, input: StartConversation): Promise<Conversation> {
    if (!viewer.isAdmin && !viewer.isParent && !viewer.isTeacher) {
      throw forbidden('Only parents, teachers and school admins can start conversations');
    }
    const subject = input.subject.trim();
    if (!subject) throw badInput('The subject must not be blank', 'subject');
    if (subject.length > LIMITS.subject) throw badInput(`The subject must be at most ${LIMITS.subject} characters`, 'subject');
    const body = checkedBody(input.body);
    const others = input.participantIds.map((id) => uuidArg(id, 'participantIds'));
    if (new Set(others).size !== others.length) throw badInput('participantIds must not repeat a person', 'participantIds');
    if (others.includes(viewer.id)) throw badInput('participantIds are the other people: leave yourself out', 'participantIds');
    if (others.length < 1 || others.length > LIMITS.others) {
      throw badInput(`A conversation has 1 to ${LIMITS.others} other people`, 'participantIds');
    }
    const studentId = input.studentId ? uuidArg(input.studentId, 'studentId') : undefined;
    await conversationPolicy.assertMayStart(ctx, viewer, others, studentId);

    const { conversation, message } = await writeTransaction(ctx.em, async (tx) => {
      const now = new Date();
      const conversation = tx.create(Conversation, {
        schoolId: viewer.schoolId,
        subject,
        studentId,
        createdBy: viewer.id,
        createdAt: now,
        lastMessageAt: now,
      });
      for (const [position, userId] of [viewer.id, ...others].entries()) {
        tx.create(ConversationParticipant, { schoolId: viewer.schoolId, conversation, userId, joinedAt: now, position });
      }
      const message = await this.write(tx, viewer, conversation, subject, others, body, now);
      conversation.lastMessageId = message.id;
      return { conversation, message };
    });
    await this.events.announce(ctx.em, message);
    return conversation;
  }

  async send(ctx: MessagingContext, viewer: Viewer, conversationId: string, text: string): Promise<Message> {
    const body = checkedBody(text);
    const conversation = await conversationPolicy.participating(ctx, viewer, uuidArg(conversationId, 'conversationId'));
    const participants = await ctx.loaders.participantsOfConversation.load(conversation.id);
    const others = participants.map((p) => p.userId).filter((id) => id !== viewer.id);
    const message = await writeTransaction(ctx.em, async (tx) => {
      // Taken first: the messages of one conversation are written one at a time (transactions.ts).
      const locked = await tx.findOneOrFail(Conversation, { id: conversation.id }, { ...writeLock(tx), refresh: true });
      const message = await this.write(tx, viewer, locked, locked.subject, others, body, new Date());
      // The conversation moves to its newest message; a slower writer of an older one does not move it back.
      await tx.nativeUpdate(Conversation, { $and: [{ id: conversation.id }, before('lastMessageAt', 'lastMessageId', message)] } as never, {
        lastMessageAt: message.sentAt,
        lastMessageId: message.id,
      });
      return message;
    });
    await this.events.announce(ctx.em, message);
    return message;
  }

  /** Sets the viewer's read mark to the conversation's latest message (never back to an older one). */
  async markRead(ctx: MessagingContext, viewer: Viewer, conversationId: string): Promise<Conversation> {
    const conversation = await conversationPolicy.participating(ctx, viewer, uuidArg(conversationId, 'id'));
    const latest = await ctx.em.findOne(Message, { conversation: conversation.id }, { orderBy: { sentAt: 'desc', id: 'desc' } });
    if (latest) await advanceReadMark(ctx.em, conversation.id, viewer.id, latest);
    // What this request already loaded (the viewer's participant row) now reflects the new mark.
    const mine = (await ctx.loaders.participantsOfConversation.load(conversation.id)).find((p) => p.userId === viewer.id);
    if (mine) await ctx.em.refresh(mine);
    return conversation;
  }

  /**
   * Stores a message in `tx`, marks it read for its sender and asks for the others' notifications
   * in the same transaction.
   */
  private async write(
    tx: EntityManager,
    viewer: Viewer,
    conversation: Conversation,
    subject: string,
    others: string[],
    body: string,
    at: Date,
  ): Promise<Message> {
    const message = tx.create(Message, {
      id: messageId(at.getTime()),
      schoolId: viewer.schoolId,
      conversation,
      senderId: viewer.id,
      body,
      sentAt: at,
    });
    await tx.flush();
    await advanceReadMark(tx, conversation.id, viewer.id, message);
    const sender = await tx.findOne(Contact, { id: viewer.id });
    await this.notify(tx, {
      schoolId: viewer.schoolId,
      category: 'message',
      templateKey: 'conversation.message',
      recipients: others.map((userId) => ({ userId })),
      variables: {
        senderName: sender?.displayName ?? '',
        subject,
        preview: preview(body),
      },
      source: `message:${message.id}`,
    });
    return message;
  }
}

/** A body as stored: trimmed, 1 to 4000 characters. */
function checkedBody(text: string): string {
  const body = text.trim();
  if (!body) throw badInput('The message must not be blank', 'body');
  if (body.length > LIMITS.body) throw badInput(`The message must be at most ${LIMITS.body} characters`, 'body');
  return body;
}

/** The start of a message, for notifications: one line, at most LIMITS.preview characters. */
export function preview(body: string): string {
  const line = body.replace(/\s+/g, ' ');
  return line.length <= LIMITS.preview ? line : `${line.slice(0, LIMITS.preview - 1).trimEnd()}…`;
}

/** Rows whose (atField, idField) position is before `m`'s, or unset: those a newer message moves forward. */
function before(atField: string, idField: string, m: Message): object {
  return {
    $or: [{ [atField]: null }, { [atField]: { $lt: m.sentAt } }, { [atField]: m.sentAt, [idField]: { $lt: m.id } }],
  };
}

/** Moves a participant's read mark forward to `m`; a mark already past it stays (concurrent reads and sends). */
async function advanceReadMark(em: EntityManager, conversationId: string, userId: string, m: Message): Promise<void> {
  await em.nativeUpdate(
    ConversationParticipant,
    { $and: [{ conversation: conversationId, userId }, before('lastReadAt', 'lastReadMessageId', m)] } as never,
    { lastReadAt: m.sentAt, lastReadMessageId: m.id },
  );
}

function connection<T>(rows: T[], first: number, positionOf: (row: T) => Position, totalCount: number) {
  const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor(positionOf(node)), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
}
