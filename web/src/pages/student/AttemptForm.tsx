import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/errors';
import { request } from '../../api/graphql';
import { graphql } from '../../gql';
import type { AnswerInput } from '../../gql/graphql';
import { useT } from '../../i18n/i18n';
import { answerOf, draftOf, type Draft } from './answers';
import { Countdown } from './Countdown';
import { messages } from './messages';
import { QuestionField } from './QuestionField';
import type { AttemptData, QuestionData } from './StudentAttemptPage';
import { StudentError } from './StudentError';

const StudentSaveAnswer = graphql(`
  mutation StudentSaveAnswer($attemptId: ID!, $answer: AnswerInput!) {
    saveQuizAnswer(attemptId: $attemptId, answer: $answer) {
      id
      lastSavedAt
    }
  }
`);

const StudentSubmitAttempt = graphql(`
  mutation StudentSubmitAttempt($attemptId: ID!, $answers: [AnswerInput!]!) {
    submitQuizAttempt(attemptId: $attemptId, answers: $answers) {
      id
      status
    }
  }
`);

export type SaveState = { state: 'saving' | 'saved' | 'invalid' } | { state: 'error'; error: ApiError };

/** Typing waits this long after the last key before saving; choices save at once. */
const TYPING_MS = 700;

/**
 * A running attempt: every answer is saved as it changes (saveQuizAnswer), so the server always holds
 * the latest ones: on a reload, and when the time runs out (it grades what was saved).
 */
export function AttemptForm({
  attempt,
  questions,
  onClosed,
}: {
  attempt: AttemptData;
  questions: QuestionData[];
  onClosed: () => Promise<void>;
}) {
  const t = useT(messages);
  const [drafts, setDrafts] = useState<Record<string, Draft>>(() =>
    Object.fromEntries(attempt.answers.map((a) => [a.question.id, draftOf(a)])),
  );
  const [saves, setSaves] = useState<Record<string, SaveState>>(() =>
    Object.fromEntries(attempt.answers.map((a) => [a.question.id, { state: 'saved' } as SaveState])),
  );
  const [expired, setExpired] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<ApiError>();
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  // Saves can overtake each other: only the latest one of a question may set its state.
  const sequence = useRef(new Map<string, number>());
  const queues = useRef(new Map<string, Promise<void>>());

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach(clearTimeout);
  }, []);

  const save = (q: QuestionData, draft: Draft) => {
    timers.current.delete(q.id);
    const answer = answerOf(q.id, q.kind, draft);
    if (answer === 'empty') return;
    if (answer === 'invalid') {
      setSaves((s) => ({ ...s, [q.id]: { state: 'invalid' } }));
      return;
    }
    const n = (sequence.current.get(q.id) ?? 0) + 1;
    sequence.current.set(q.id, n);
    setSaves((s) => ({ ...s, [q.id]: { state: 'saving' } }));
    // One save of a question at a time, in order: two in flight could reach the server in the wrong order
    // and leave the older answer saved. A save overtaken by a newer one while it waited is not sent.
    const previous = queues.current.get(q.id) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (sequence.current.get(q.id) !== n) return;
      let result: SaveState;
      try {
        await request(StudentSaveAnswer, { attemptId: attempt.id, answer });
        result = { state: 'saved' };
      } catch (err) {
        result = { state: 'error', error: err instanceof ApiError ? err : new ApiError(String(err), 'INTERNAL_SERVER_ERROR') };
      }
      if (sequence.current.get(q.id) === n) setSaves((s) => ({ ...s, [q.id]: result }));
      // The attempt closed under us (its deadline, or a submission from another tab): show how it ended.
      if (result.state === 'error' && (result.error.code === 'DEADLINE_PASSED' || result.error.code === 'CONFLICT')) void onClosed();
    });
    queues.current.set(q.id, next);
  };

  const change = (q: QuestionData, draft: Draft, typed: boolean) => {
    setDrafts((d) => ({ ...d, [q.id]: draft }));
    clearTimeout(timers.current.get(q.id));
    if (typed)
      timers.current.set(
        q.id,
        setTimeout(() => save(q, draft), TYPING_MS),
      );
    else save(q, draft);
  };
  // Leaving a text field saves it now rather than after the typing pause.
  const flush = (q: QuestionData) => {
    if (timers.current.has(q.id)) {
      clearTimeout(timers.current.get(q.id));
      save(q, drafts[q.id] ?? {});
    }
  };

  const answers = questions.map((q) => answerOf(q.id, q.kind, drafts[q.id] ?? {})).filter((a): a is AnswerInput => typeof a === 'object');
  const unanswered = questions.length - answers.length;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const ask = unanswered > 0 ? `${t('unanswered', { count: unanswered })}\n${t('confirmSubmit')}` : t('confirmSubmit');
    if (!window.confirm(ask)) return;
    timers.current.forEach(clearTimeout);
    timers.current.clear();
    // The drafts go with the submission: they replace the saved answers, so a save still on its way is not lost.
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      // Saves still on their way first, so that none lands after the submission and is refused.
      await Promise.all(queues.current.values());
      await request(StudentSubmitAttempt, { attemptId: attempt.id, answers });
      await onClosed();
    } catch (err) {
      const error = err instanceof ApiError ? err : new ApiError(String(err), 'INTERNAL_SERVER_ERROR');
      setSubmitError(error);
      // Past its deadline the attempt is graded on its saved answers; submitted elsewhere, it is graded too.
      if (error.code === 'DEADLINE_PASSED' || error.code === 'CONFLICT') await onClosed();
    } finally {
      setSubmitting(false);
    }
  };

  const onExpire = () => {
    setExpired(true);
    // The server closes the attempt at its deadline; a moment later its grade is there to show.
    setTimeout(() => void onClosed(), 2000);
  };

  return (
    <form onSubmit={(e) => void onSubmit(e)}>
      {attempt.deadline && <Countdown deadline={attempt.deadline} onExpire={onExpire} />}
      {expired && (
        <div className="alert alert-warn" role="alert">
          {t('timeUp')}
        </div>
      )}
      {questions.map((q, i) => (
        <QuestionField
          key={q.id}
          number={i + 1}
          question={q}
          draft={drafts[q.id] ?? {}}
          save={saves[q.id]}
          disabled={expired || submitting}
          onChange={(draft, typed) => change(q, draft, typed)}
          onBlur={() => flush(q)}
        />
      ))}
      <StudentError error={submitError} />
      <div className="row">
        <button type="submit" className="primary" disabled={expired || submitting}>
          {submitting ? t('submitting') : t('submit')}
        </button>
        {unanswered > 0 && <span className="muted">{t('unanswered', { count: unanswered })}</span>}
      </div>
    </form>
  );
}
