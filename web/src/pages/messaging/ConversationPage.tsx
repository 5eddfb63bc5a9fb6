import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/errors';
import { request } from '../../api/graphql';
import { liveFeed } from '../../api/live';
import { useMutation } from '../../api/use-query';
import { useConnectionState } from '../../app/use-session';
import type { MessagingConversationQuery, MessagingMessageFieldsFragment } from '../../gql/graphql';
import { useFormat, useLang, useT } from '../../i18n/i18n';
import { ErrorMessage, Loading } from '../../ui/feedback';
import { messagingMessages } from './messages';
import { MessagingConversation, MessagingMarkRead, MessagingMessageAdded, MessagingSend } from './queries';

type Message = MessagingMessageFieldsFragment;
type Conversation = NonNullable<MessagingConversationQuery['conversation']>;

const toError = (err: unknown) => (err instanceof ApiError ? err : new ApiError(String(err), 'INTERNAL_SERVER_ERROR'));

/** Oldest first, whatever order they came in (a page, the feed, the page's own send); each id once. */
function merge(held: Message[], incoming: Message[]): Message[] {
  const byId = new Map(held.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.sentAt.localeCompare(b.sentAt) || a.id.localeCompare(b.id));
}

/**
 * /messages/:conversationId: the messages oldest first ("load earlier" pages back), new ones live
 * (messageAdded, resumed after the newest one held), read marks as the viewer sees them, and a reply box.
 */
export function ConversationPage() {
  const { conversationId = '' } = useParams();
  // A fresh page (state, feed) for each conversation.
  return <ConversationView key={conversationId} conversationId={conversationId} />;
}

function ConversationView({ conversationId }: { conversationId: string }) {
  const t = useT(messagingMessages);
  const format = useFormat();
  const { lang } = useLang();
  const connection = useConnectionState();
  const [conversation, setConversation] = useState<Conversation | null>();
  const [me, setMe] = useState<string>();
  const [messages, setMessages] = useState<Message[]>([]);
  const [earlier, setEarlier] = useState<string | null>(null);
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [round, setRound] = useState(0);
  const [body, setBody] = useState('');
  const send = useMutation(MessagingSend);
  const { mutate: markRead } = useMutation(MessagingMarkRead);
  const list = useRef<HTMLOListElement>(null);
  // How to place the list after a render: at the bottom (first page, new message while at the bottom) or where it was (earlier page).
  const placement = useRef<{ bottom: true } | { keepFrom: number } | null>(null);

  const markSeen = useCallback(() => void markRead({ id: conversationId }), [conversationId, markRead]);

  // The first page, then the live feed from its newest message.
  useEffect(() => {
    let live = true;
    let stop: (() => void) | undefined;
    let readTimer: ReturnType<typeof setTimeout> | undefined;
    request(MessagingConversation, { id: conversationId, after: null }).then(
      (data) => {
        if (!live) return;
        const c = data.conversation;
        setMe(data.me?.id);
        setConversation(c ?? null);
        if (!c) return;
        const page = c.messages.edges.map((e) => e.node);
        placement.current = { bottom: true };
        setMessages(merge([], page));
        setEarlier(c.messages.pageInfo.hasNextPage ? (c.messages.pageInfo.endCursor ?? null) : null);
        markSeen();
        stop = liveFeed(MessagingMessageAdded, { conversationId }, (d) => d.messageAdded, {
          after: page[0]?.id ?? null,
          onEvent: (m) => {
            const el = list.current;
            if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 48) placement.current = { bottom: true };
            setMessages((held) => merge(held, [m]));
            // Seen as it arrives: read marks follow, at most one call a second.
            if (m.sender.id !== data.me?.id)
              readTimer ??= setTimeout(() => {
                readTimer = undefined;
                markSeen();
              }, 1000);
          },
          onError: (err) => live && setError(err),
        });
      },
      (err) => live && setError(toError(err)),
    );
    return () => {
      live = false;
      // A read mark still waiting is sent now: what was on the screen was seen.
      if (readTimer) {
        clearTimeout(readTimer);
        markSeen();
      }
      stop?.();
    };
  }, [conversationId, round, markSeen]);

  useLayoutEffect(() => {
    const el = list.current;
    const how = placement.current;
    if (!el || !how) return;
    placement.current = null;
    el.scrollTop = 'bottom' in how ? el.scrollHeight : el.scrollHeight - how.keepFrom;
  }, [messages]);

  const loadEarlier = async () => {
    if (!earlier) return;
    setLoadingEarlier(true);
    try {
      const data = await request(MessagingConversation, { id: conversationId, after: earlier });
      const page = data.conversation?.messages;
      if (list.current) placement.current = { keepFrom: list.current.scrollHeight - list.current.scrollTop };
      setMessages((held) => merge(held, page?.edges.map((e) => e.node) ?? []));
      setEarlier(page?.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null);
    } catch (err) {
      setError(toError(err));
    } finally {
      setLoadingEarlier(false);
    }
  };

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    const text = body.trim();
    if (!text || send.pending) return;
    const result = await send.mutate({ conversationId, body: text });
    if (!result) return;
    setBody('');
    placement.current = { bottom: true };
    // The feed brings it too: merge keeps one.
    setMessages((held) => merge(held, [result.sendMessage]));
  };

  if (conversation === undefined && !error) return <Loading />;
  if (conversation === undefined)
    return (
      <ErrorMessage
        error={error}
        onRetry={() => {
          setError(undefined);
          setRound((r) => r + 1);
        }}
      />
    );
  if (conversation === null) {
    return (
      <section className="card">
        <h1>{t('notFound')}</h1>
        <Link to="/messages">{t('backToList')}</Link>
      </section>
    );
  }
  const others = conversation.participants.filter((p) => p.id !== me).map((p) => p.displayName);

  return (
    <>
      <p>
        <Link to="/messages">{t('backToList')}</Link>
      </p>
      <h1 dir="auto" style={{ overflowWrap: 'anywhere' }}>
        {conversation.subject}
      </h1>
      <p className="muted">
        {t('with', { names: others.join(lang === 'ar' ? '، ' : ', ') || t('you') })}
        {conversation.student && <> · {t('about', { name: conversation.student.displayName })}</>}
      </p>
      {connection === 'reconnecting' && (
        <p className="alert alert-warn" role="status">
          {t('liveLost')}
        </p>
      )}
      <ErrorMessage error={error} />
      <section className="card" aria-labelledby="messaging-messages">
        <h2 id="messaging-messages">{t('messagesOf')}</h2>
        {earlier && (
          <button type="button" disabled={loadingEarlier} onClick={() => void loadEarlier()}>
            {loadingEarlier ? t('loadingEarlier') : t('loadEarlier')}
          </button>
        )}
        {messages.length === 0 ? (
          <p className="muted">{t('noMessages')}</p>
        ) : (
          // A log: screen readers announce what is added at its end; focusable so it scrolls by keyboard.
          <ol
            ref={list}
            role="log"
            aria-labelledby="messaging-messages"
            tabIndex={0}
            style={{ listStyle: 'none', padding: 0, margin: '0.5rem 0 0', maxHeight: '60vh', overflowY: 'auto' }}
          >
            {messages.map((m) => {
              const mine = m.sender.id === me;
              return (
                <li
                  key={m.id}
                  style={{
                    marginBlockEnd: '0.5rem',
                    padding: '0.5rem 0.75rem',
                    borderRadius: 8,
                    border: '1px solid var(--border)',
                    background: mine ? 'var(--ok-bg)' : 'var(--surface)',
                    marginInlineStart: mine ? '15%' : 0,
                    marginInlineEnd: mine ? 0 : '15%',
                  }}
                >
                  <small className="muted">
                    {t('sentBy', { name: mine ? t('you') : m.sender.displayName, time: format.dateTime(m.sentAt) })}
                  </small>
                  <p dir="auto" style={{ margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    {m.body}
                  </p>
                </li>
              );
            })}
          </ol>
        )}
      </section>
      <form className="card" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="messaging-reply">{t('yourMessage')}</label>
          <textarea
            id="messaging-reply"
            rows={3}
            maxLength={4000}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            onKeyDown={(e) => {
              // Ctrl+Enter (⌘+Enter) sends; Enter alone starts a new line.
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
            }}
          />
        </div>
        <ErrorMessage error={send.error} />
        <button type="submit" className="primary" disabled={send.pending || !body.trim()}>
          {send.pending ? t('sending') : t('send')}
        </button>
      </form>
    </>
  );
}
