import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/errors';
import { request } from '../../api/graphql';
import { liveFeed } from '../../api/live';
import { useQuery } from '../../api/use-query';
import { useSession } from '../../app/use-session';
import type { MessagingConversationsQuery } from '../../gql/graphql';
import { useFormat, useLang, useT } from '../../i18n/i18n';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { messagingMessages } from './messages';
import { MessagingConversations, MessagingMessageAdded } from './queries';
import { StartConversation } from './StartConversation';
import { UnreadBadge } from './UnreadBadge';

type Conversation = MessagingConversationsQuery['conversations']['edges'][number]['node'];

/** /messages: the viewer's conversations, most recent first, with their unread counts; and a new one. */
export function ConversationsPage() {
  const t = useT(messagingMessages);
  const format = useFormat();
  const session = useSession();
  const { lang } = useLang();
  const first = useQuery(MessagingConversations, { after: null });
  useLiveList(first.data, first.refetch);
  const [more, setMore] = useState<{ items: Conversation[]; next: string | null }>();
  const [moreError, setMoreError] = useState<ApiError>();
  const [starting, setStarting] = useState(false);
  const roles = session?.user.roles ?? [];
  // Students may only write to admins, whom they cannot list: no "new conversation" for them.
  const mayStart = roles.some((r) => r === 'PARENT' || r === 'TEACHER' || r === 'SCHOOL_ADMIN');

  if (first.loading && !first.data) return <Loading />;
  if (!first.data) return <ErrorMessage error={first.error} onRetry={() => void first.refetch()} />;
  const me = first.data.me?.id;
  const items = [...first.data.conversations.edges.map((e) => e.node), ...(more?.items ?? [])];
  const next = more ? more.next : first.data.conversations.pageInfo.hasNextPage ? first.data.conversations.pageInfo.endCursor : null;

  const loadMore = async () => {
    setMoreError(undefined);
    try {
      const data = await request(MessagingConversations, { after: next });
      setMore({
        items: [...(more?.items ?? []), ...data.conversations.edges.map((e) => e.node)],
        next: data.conversations.pageInfo.hasNextPage ? (data.conversations.pageInfo.endCursor ?? null) : null,
      });
    } catch (err) {
      setMoreError(err instanceof ApiError ? err : new ApiError(String(err), 'INTERNAL_SERVER_ERROR'));
    }
  };

  return (
    <>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h1>{t('title')}</h1>
        {mayStart && !starting && (
          <button type="button" className="primary" onClick={() => setStarting(true)}>
            {t('newConversation')}
          </button>
        )}
      </div>
      {starting && <StartConversation onCancel={() => setStarting(false)} />}
      <section aria-labelledby="messaging-list">
        <h2 id="messaging-list">{t('conversations')}</h2>
        <ErrorMessage error={first.error} onRetry={() => void first.refetch()} />
        {items.length === 0 ? (
          <Empty>{t('noConversations')}</Empty>
        ) : (
          <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {items.map((c) => {
              const others = c.participants.filter((p) => p.id !== me).map((p) => p.displayName);
              return (
                <li key={c.id} className="card">
                  <div className="row" style={{ justifyContent: 'space-between' }}>
                    <Link to={`/messages/${c.id}`} style={{ fontWeight: c.unreadCount > 0 ? 700 : 400 }}>
                      <bdi dir="auto">{c.subject}</bdi>
                    </Link>
                    <UnreadBadge count={c.unreadCount} />
                  </div>
                  <p className="muted" style={{ marginBlock: '0.25rem' }}>
                    {t('with', { names: others.join(lang === 'ar' ? '، ' : ', ') || t('you') })}
                    {c.student && <> · {t('about', { name: c.student.displayName })}</>}
                  </p>
                  {c.lastMessage && (
                    <p style={{ marginBlock: 0, overflowWrap: 'anywhere' }}>
                      <strong>{c.lastMessage.sender.id === me ? t('you') : c.lastMessage.sender.displayName}:</strong>{' '}
                      <bdi dir="auto">{c.lastMessage.body.length > 140 ? `${c.lastMessage.body.slice(0, 140)}…` : c.lastMessage.body}</bdi>
                    </p>
                  )}
                  <small className="muted">{t('lastActivity', { time: format.dateTime(c.updatedAt) })}</small>
                </li>
              );
            })}
          </ul>
        )}
        <ErrorMessage error={moreError} />
        {next && (
          <button type="button" onClick={() => void loadMore()}>
            {t('loadMoreConversations')}
          </button>
        )}
      </section>
    </>
  );
}

/**
 * Keeps the first page live: it follows each listed conversation's new messages, and one from
 * someone else loads the list again (new unread counts, new order), at most once a second.
 */
function useLiveList(data: MessagingConversationsQuery | undefined, refetch: () => Promise<void>) {
  const me = data?.me?.id;
  const heads = (data?.conversations.edges ?? []).map((e) => [e.node.id, e.node.lastMessage?.id ?? null] as const);
  // Subscribes again when the listed conversations or their newest messages change (after a reload of the list).
  const key = JSON.stringify(heads);
  useEffect(() => {
    const listed = JSON.parse(key) as [string, string | null][];
    if (!listed.length) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const changed = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        void refetch();
      }, 1000);
    };
    const stops = listed.map(([conversationId, after]) =>
      liveFeed(MessagingMessageAdded, { conversationId }, (d) => d.messageAdded, {
        after,
        onEvent: (m) => {
          if (m.sender.id !== me) changed();
        },
      }),
    );
    return () => {
      clearTimeout(timer);
      for (const stop of stops) stop();
    };
  }, [key, me, refetch]);
}
