import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMutation } from '../../api/use-query';
import { useFormat, useT } from '../../i18n/i18n';
import { ErrorMessage } from '../../ui/feedback';
import { messages } from './messages';
import { ClassroomChat, ClassroomReact } from './operations';
import type { LogEntry } from './room-state';

const EMOJIS = ['👍', '👏', '❤️', '😂', '🤔', '🎉'];
const MAX_LENGTH = 1000;

/** The chat log (a polite live region, oldest first), the message box and the reaction buttons. */
export function ChatPanel({ sessionId, log, me, canTalk }: { sessionId: string; log: LogEntry[]; me: string; canTalk: boolean }) {
  const t = useT(messages);
  const f = useFormat();
  const titleId = useId();
  const [text, setText] = useState('');
  const chat = useMutation(ClassroomChat);
  const react = useMutation(ClassroomReact);
  const logRef = useRef<HTMLOListElement>(null);
  const stick = useRef(true);

  // Follow the newest message unless the reader scrolled up to read older ones.
  useEffect(() => {
    const el = logRef.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [log.length]);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!value) return;
    if (await chat.mutate({ sessionId, text: value })) setText('');
  };

  const line = (entry: LogEntry) => {
    const name = entry.actor?.displayName ?? '';
    switch (entry.kind) {
      case 'CHAT_MESSAGE':
        return (
          <>
            <span className="chat-meta">
              <strong>{name}</strong>
              {entry.actor?.id === me && <span className="muted"> {t('you')}</span>} <time dateTime={entry.at}>{f.time(entry.at)}</time>
            </span>
            <span className="chat-text" dir="auto">
              {entry.text}
            </span>
          </>
        );
      case 'REACTION':
        return <span className="muted">{t('reacted', { name, emoji: entry.text ?? '' })}</span>;
      case 'SESSION_STARTED':
        return <span className="muted">{t('sessionStarted')}</span>;
      case 'SESSION_ENDED':
        return <span className="muted">{t('sessionEnded')}</span>;
      case 'POLL_STARTED':
        return <span className="muted">{t('pollStartedNotice', { question: entry.text ?? '' })}</span>;
      case 'POLL_ENDED':
        return <span className="muted">{t('pollEndedNotice', { question: entry.text ?? '' })}</span>;
    }
  };

  return (
    <section className="card classroom-chat" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('chat')}</h2>
      <ol
        ref={logRef}
        className="chat-log"
        role="log"
        aria-live="polite"
        aria-label={t('chatLog')}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {log.length === 0 && <li className="muted">{t('chatEmpty')}</li>}
        {log.map((entry) => (
          <li
            key={entry.id}
            data-event-id={entry.id}
            data-kind={entry.kind}
            className={entry.kind === 'CHAT_MESSAGE' ? 'chat-message' : 'chat-notice'}
          >
            {line(entry)}
          </li>
        ))}
      </ol>
      {canTalk && (
        <>
          <form className="chat-form" onSubmit={send}>
            <label htmlFor={`${titleId}-text`}>{t('message')}</label>
            <div className="row">
              <input
                id={`${titleId}-text`}
                name="message"
                value={text}
                maxLength={MAX_LENGTH}
                autoComplete="off"
                dir="auto"
                onChange={(e) => setText(e.target.value)}
              />
              <button type="submit" className="primary" disabled={chat.pending || !text.trim()}>
                {chat.pending ? t('sending') : t('send')}
              </button>
            </div>
          </form>
          <ErrorMessage error={chat.error} />
          <div className="row reactions" role="group" aria-label={t('reactions')}>
            {EMOJIS.map((emoji) => (
              <button
                key={emoji}
                type="button"
                aria-label={t('react', { emoji })}
                disabled={react.pending}
                onClick={() => void react.mutate({ sessionId, emoji })}
              >
                {emoji}
              </button>
            ))}
          </div>
          <ErrorMessage error={react.error} />
        </>
      )}
    </section>
  );
}
