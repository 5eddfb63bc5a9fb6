import { Link, useParams } from 'react-router';
import { useQuery } from '../../api/use-query';
import { graphql } from '../../gql';
import type { StudentAttemptQuery } from '../../gql/graphql';
import { useT } from '../../i18n/i18n';
import { ErrorMessage, Loading } from '../../ui/feedback';
import { AttemptForm } from './AttemptForm';
import { AttemptResult } from './AttemptResult';
import { messages } from './messages';

const StudentAttempt = graphql(`
  query StudentAttempt($id: ID!) {
    quizAttempt(id: $id) {
      id
      number
      status
      startedAt
      deadline
      submittedAt
      timedOut
      lastSavedAt
      score
      maxScore
      passed
      quiz {
        id
        title
        passingScore
        solutionsRevealed
        course {
          id
        }
        questions {
          id
          position
          kind
          prompt
          options
          points
          solution {
            choices
            booleanValue
            numericValue
            tolerance
            acceptedAnswers
          }
        }
      }
      answers {
        id
        choices
        booleanValue
        numericValue
        text
        correct
        pointsAwarded
        question {
          id
        }
        solution {
          choices
          booleanValue
          numericValue
          tolerance
          acceptedAnswers
        }
      }
    }
  }
`);

/**
 * `/student/attempts/:attemptId`: a running attempt to answer, or a closed one's result. The attempt's
 * id is in the address and the server keeps every saved answer, so a reload loses nothing.
 */
export function StudentAttemptPage() {
  const { attemptId = '' } = useParams();
  const t = useT(messages);
  const { data, error, loading, refetch } = useQuery(StudentAttempt, { id: attemptId });
  if (loading && !data) return <Loading />;
  const attempt = data?.quizAttempt;
  if (!attempt)
    return (
      <section className="card">
        {error ? <ErrorMessage error={error} onRetry={() => void refetch()} /> : <p>{t('attemptNotFound')}</p>}
        <Link to="/student">{t('backToCourses')}</Link>
      </section>
    );
  const questions = [...attempt.quiz.questions].sort((a, b) => a.position - b.position);
  return (
    <article aria-labelledby="attempt-title">
      <p>
        <Link to={`/student/quizzes/${attempt.quiz.id}`}>{t('backToQuiz')}</Link>
      </p>
      <h1 id="attempt-title">{t('attemptTitle', { quiz: attempt.quiz.title, number: attempt.number })}</h1>
      <ErrorMessage error={error} onRetry={() => void refetch()} />
      {attempt.status === 'IN_PROGRESS' ? (
        // Keyed by attempt: the form's drafts start from this attempt's saved answers.
        <AttemptForm key={attempt.id} attempt={attempt} questions={questions} onClosed={refetch} />
      ) : (
        <AttemptResult attempt={attempt} questions={questions} />
      )}
    </article>
  );
}

/** The attempt as this page loads it (AttemptForm and AttemptResult take it). */
export type AttemptData = NonNullable<StudentAttemptQuery['quizAttempt']>;
export type QuestionData = AttemptData['quiz']['questions'][number];
