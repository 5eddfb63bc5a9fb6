import type { FilterQuery } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { countGroupedBy } from '../../../platform/db/grouped-count';
import { byId, listBy } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { ConversationParticipant } from './conversation-participant.entity';
import { Conversation } from './conversation.entity';
import { Message } from './message.entity';

/** The conversation feature's per-request loaders (one `IN (…)` query per tick each, through the request's tenant-scoped EntityManager). */
export function conversationLoaders({ em, user }: LoaderContext) {
  const participantsOfConversation = listBy(
    (ids) => em.find(ConversationParticipant, { conversation: { $in: ids } }, { orderBy: { position: 'asc' } }),
    (p) => p.conversation.id,
  );
  return {
    conversation: byId((ids) => em.find(Conversation, { id: { $in: ids } })),
    message: byId((ids) => em.find(Message, { id: { $in: ids } })),
    /** Everyone in each conversation: who started it, then the others as they were named. */
    participantsOfConversation,
    /**
     * The messages of others after the viewer's read mark, per conversation: the marks come with
     * the participants (one query for the page), the counts in one grouped query. 0 where the
     * viewer is not a participant (an admin reading).
     */
    unreadCount: new DataLoader<string, number>(async (ids) => {
      const viewerId = user?.id;
      if (!viewerId) return ids.map(() => 0);
      const marks = (await participantsOfConversation.loadMany([...ids])).map((list) =>
        list instanceof Error ? undefined : list.find((p) => p.userId === viewerId),
      );
      const mine = ids.flatMap((id, i) => (marks[i] ? [{ id, mark: marks[i] }] : []));
      if (!mine.length) return ids.map(() => 0);
      const unread = {
        senderId: { $ne: viewerId },
        $or: mine.map(({ id, mark }) =>
          mark.lastReadAt
            ? {
                conversation: id,
                $or: [{ sentAt: { $gt: mark.lastReadAt } }, { sentAt: mark.lastReadAt, id: { $gt: mark.lastReadMessageId } }],
              }
            : { conversation: id },
        ),
      } as FilterQuery<Message>;
      const counts = await countGroupedBy(
        em,
        Message,
        'conversation',
        mine.map((m) => m.id),
        unread,
      );
      const byConversation = new Map(mine.map((m, i) => [m.id, counts[i]]));
      return ids.map((id) => byConversation.get(id) ?? 0);
    }),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface MessagingLoaders extends ReturnType<typeof conversationLoaders> {}
}
