import { useId, useState, type FormEvent } from 'react';
import { useMutation } from '../../api/use-query';
import { useT } from '../../i18n/i18n';
import { ErrorMessage } from '../../ui/feedback';
import { TextField } from '../../ui/form';
import { messages } from './messages';
import { ClassroomEndPoll, ClassroomStartPoll, ClassroomVote } from './operations';
import type { PollState } from './room-state';

const MAX_OPTIONS = 10;

/**
 * The session's polls, newest first. The teacher starts one (a question and 2 to 10 options) and
 * ends it; students vote once. Everyone sees the number of votes as they come in; the counts per
 * option are the teacher's while the poll is open and everyone's once it is closed (the server's rule).
 */
export function PollsPanel({
  sessionId,
  polls,
  manager,
  canTalk,
  onVoted,
}: {
  sessionId: string;
  polls: PollState[];
  manager: boolean;
  canTalk: boolean;
  onVoted: (pollId: string, option: number) => void;
}) {
  const t = useT(messages);
  const titleId = useId();
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('polls')}</h2>
      {manager && canTalk && <NewPoll sessionId={sessionId} />}
      {polls.length === 0 ? (
        <p className="muted">{t('noPolls')}</p>
      ) : (
        <ul className="polls">
          {[...polls].reverse().map((poll) => (
            <li key={poll.id}>
              <Poll poll={poll} manager={manager} canTalk={canTalk} onVoted={onVoted} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function NewPoll({ sessionId }: { sessionId: string }) {
  const t = useT(messages);
  const titleId = useId();
  const [question, setQuestion] = useState('');
  const [options, setOptions] = useState(['', '']);
  const start = useMutation(ClassroomStartPoll);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const chosen = options.map((o) => o.trim()).filter(Boolean);
    if (!question.trim() || chosen.length < 2) return;
    if (await start.mutate({ sessionId, question: question.trim(), options: chosen })) {
      setQuestion('');
      setOptions(['', '']);
    }
  };
  return (
    <form className="new-poll" onSubmit={submit} aria-labelledby={titleId}>
      <h3 id={titleId}>{t('newPoll')}</h3>
      <TextField
        label={t('question')}
        name="question"
        required
        maxLength={500}
        value={question}
        onChange={(e) => setQuestion(e.target.value)}
      />
      {options.map((value, i) => (
        <div className="row poll-option" key={i}>
          <TextField
            label={t('option', { n: i + 1 })}
            name={`option-${i + 1}`}
            required={i < 2}
            maxLength={200}
            value={value}
            onChange={(e) => setOptions(options.map((o, j) => (j === i ? e.target.value : o)))}
          />
          {options.length > 2 && (
            <button type="button" className="link" onClick={() => setOptions(options.filter((_, j) => j !== i))}>
              {t('removeOption', { n: i + 1 })}
            </button>
          )}
        </div>
      ))}
      <div className="row">
        {options.length < MAX_OPTIONS && (
          <button type="button" onClick={() => setOptions([...options, ''])}>
            {t('addOption')}
          </button>
        )}
        <button type="submit" className="primary" disabled={start.pending}>
          {t('startPoll')}
        </button>
      </div>
      <ErrorMessage error={start.error} />
    </form>
  );
}

function Poll({
  poll,
  manager,
  canTalk,
  onVoted,
}: {
  poll: PollState;
  manager: boolean;
  canTalk: boolean;
  onVoted: (pollId: string, option: number) => void;
}) {
  const t = useT(messages);
  const name = useId();
  const [choice, setChoice] = useState<number>();
  const vote = useMutation(ClassroomVote);
  const end = useMutation(ClassroomEndPoll);
  const counted = poll.counts?.reduce((a, b) => a + b, 0) ?? 0;
  const total = Math.max(counted, poll.voters.length);
  const canVote = canTalk && !manager && !poll.closed && poll.myVote == null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (choice == null) return;
    const answer = await vote.mutate({ pollId: poll.id, option: choice });
    if (answer) onVoted(poll.id, choice);
  };
  return (
    <article className="poll" data-poll-id={poll.id} aria-label={poll.question}>
      <h3 dir="auto">{poll.question}</h3>
      <p className="row">
        <span className="badge">{poll.closed ? t('pollClosed') : t('pollOpen')}</span>
        <span data-testid="poll-votes">{t(total === 1 ? 'votesOne' : 'votes', { count: total })}</span>
      </p>
      {canVote ? (
        <form onSubmit={submit}>
          <fieldset>
            <legend className="visually-hidden">{poll.question}</legend>
            {poll.options.map((option, i) => (
              <label key={i} className="poll-choice">
                <input type="radio" name={name} value={i} checked={choice === i} onChange={() => setChoice(i)} />{' '}
                <span dir="auto">{option}</span>
              </label>
            ))}
          </fieldset>
          <button type="submit" className="primary" disabled={choice == null || vote.pending}>
            {t('vote')}
          </button>
          <ErrorMessage error={vote.error} />
        </form>
      ) : (
        <>
          {poll.myVote != null && <p>{t('yourVote', { option: poll.options[poll.myVote] ?? '' })}</p>}
          {poll.counts ? (
            <ul className="poll-results" data-testid="poll-counts">
              {poll.options.map((option, i) => (
                <li key={i}>
                  <span dir="auto">{t('optionCount', { option, count: poll.counts![i] ?? 0 })}</span>
                  <progress max={Math.max(total, 1)} value={poll.counts![i] ?? 0} aria-hidden="true" />
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('countsHidden')}</p>
          )}
        </>
      )}
      {manager && !poll.closed && (
        <button type="button" className="danger" disabled={end.pending} onClick={() => void end.mutate({ pollId: poll.id })}>
          {t('endPoll')}
        </button>
      )}
      <ErrorMessage error={end.error} />
    </article>
  );
}
