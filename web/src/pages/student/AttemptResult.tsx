import { Link } from 'react-router';
import { useFormat, useT, type Translate } from '../../i18n/i18n';
import { messages } from './messages';
import type { AttemptData, QuestionData } from './StudentAttemptPage';

type Keys = keyof typeof messages.en;
type Solution = NonNullable<QuestionData['solution']>;
type Answer = AttemptData['answers'][number];

/** A closed attempt: its score, and each answer's correctness and solution as far as the quiz reveals them. */
export function AttemptResult({ attempt, questions }: { attempt: AttemptData; questions: QuestionData[] }) {
  const t = useT(messages);
  const f = useFormat();
  const byQuestion = new Map(attempt.answers.map((a) => [a.question.id, a]));
  return (
    <>
      <section className="card" aria-labelledby="result-title">
        <h2 id="result-title">{t('result')}</h2>
        <p className="row">
          <span className="badge">{t(`attempt${attempt.status}`)}</span>
          <strong style={{ fontSize: '1.4rem' }}>
            {attempt.score == null ? '—' : t('scoreValue', { score: attempt.score, max: attempt.maxScore })}
          </strong>
          {attempt.passed != null && (
            <span className={`alert ${attempt.passed ? 'alert-ok' : 'alert-error'}`} style={{ marginBlock: 0 }}>
              {attempt.passed ? t('passed') : t('failed')}
            </span>
          )}
        </p>
        {attempt.submittedAt && <p className="muted">{f.dateTime(attempt.submittedAt)}</p>}
        {!attempt.quiz.solutionsRevealed && <p className="muted">{t('solutionsHidden')}</p>}
      </section>
      <ol style={{ paddingInlineStart: 0, listStyle: 'none' }}>
        {questions.map((q, i) => {
          const a = byQuestion.get(q.id);
          const solution = a?.solution ?? q.solution;
          return (
            <li key={q.id} className="card">
              <h3 style={{ marginBlock: '0 0.5rem', fontSize: '1rem' }}>
                {t('question', { number: i + 1 })} <span className="muted">({t('points', { points: q.points })})</span>
              </h3>
              <p dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
                {q.prompt}
              </p>
              <p>
                <strong>{t('yourAnswer')}:</strong> <bdi>{a ? answerText(q, a, t) : t('noAnswer')}</bdi>
              </p>
              {a?.correct != null && (
                <p className="row">
                  <span className="badge" style={{ color: a.correct ? 'var(--ok)' : 'var(--danger)' }}>
                    {a.correct ? `✓ ${t('correct')}` : `✗ ${t('incorrect')}`}
                  </span>
                  {a.pointsAwarded != null && <span>{t('pointsAwarded', { points: a.pointsAwarded })}</span>}
                </p>
              )}
              {solution && <p>{t('solution', { answer: solutionText(q, solution, t) })}</p>}
            </li>
          );
        })}
      </ol>
      <Link to={`/student/quizzes/${attempt.quiz.id}`}>{t('backToQuiz')}</Link>
    </>
  );
}

const optionsText = (q: QuestionData, choices: number[] | null | undefined) =>
  (choices ?? []).map((c) => q.options?.[c] ?? `#${c + 1}`).join(' · ');

function answerText(q: QuestionData, a: Answer, t: Translate<Keys>): string {
  switch (q.kind) {
    case 'SINGLE_CHOICE':
    case 'MULTIPLE_CHOICE':
      return optionsText(q, a.choices) || t('noAnswer');
    case 'TRUE_FALSE':
      return a.booleanValue == null ? t('noAnswer') : a.booleanValue ? t('true') : t('false');
    case 'NUMERIC':
      return a.numericValue == null ? t('noAnswer') : String(a.numericValue);
    case 'SHORT_ANSWER':
      return a.text || t('noAnswer');
  }
}

function solutionText(q: QuestionData, s: Solution, t: Translate<Keys>): string {
  switch (q.kind) {
    case 'SINGLE_CHOICE':
    case 'MULTIPLE_CHOICE':
      return optionsText(q, s.choices);
    case 'TRUE_FALSE':
      return s.booleanValue ? t('true') : t('false');
    case 'NUMERIC':
      return s.tolerance ? t('solutionNumber', { value: s.numericValue ?? 0, tolerance: s.tolerance }) : String(s.numericValue ?? '');
    case 'SHORT_ANSWER':
      return (s.acceptedAnswers ?? []).join(' / ');
  }
}
