import { Link, useParams } from 'react-router';
import { useQuery } from '../../api/use-query';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { messages } from './messages';
import { buttonLink } from './styles';
import { StudentError } from './StudentError';
import { useStartAttempt } from './use-start-attempt';

const StudentQuiz = graphql(`
  query StudentQuiz($id: ID!) {
    quiz(id: $id) {
      id
      title
      timeLimitSeconds
      maxAttempts
      dueAt
      totalPoints
      course {
        id
        title
      }
      questions {
        id
      }
      attempts {
        id
        number
        status
        startedAt
        score
        maxScore
        passed
      }
    }
  }
`);

/** `/student/quizzes/:quizId`: the quiz's rules, the student's attempts, and starting (or continuing) one. */
export function StudentQuizPage() {
  const { quizId = '' } = useParams();
  const t = useT(messages);
  const f = useFormat();
  const { data, error, loading, refetch } = useQuery(StudentQuiz, { id: quizId });
  const starter = useStartAttempt();
  if (loading && !data) return <Loading />;
  const quiz = data?.quiz;
  if (!quiz)
    return (
      <section className="card">
        {error ? <ErrorMessage error={error} onRetry={() => void refetch()} /> : <p>{t('quizNotFound')}</p>}
        <Link to="/student">{t('backToCourses')}</Link>
      </section>
    );
  const running = quiz.attempts.find((a) => a.status === 'IN_PROGRESS');
  const used = quiz.maxAttempts != null && quiz.attempts.length >= quiz.maxAttempts;
  return (
    <article aria-labelledby="quiz-title">
      <p>
        <Link to={`/student/courses/${quiz.course.id}`}>{t('backToCourse')}</Link>
      </p>
      <h1 id="quiz-title">{quiz.title}</h1>
      <ul>
        <li>{t('quizDetails', { questions: quiz.questions.length, points: quiz.totalPoints })}</li>
        <li>{quiz.timeLimitSeconds ? t('timeLimit', { minutes: Math.round(quiz.timeLimitSeconds / 60) }) : t('untimed')}</li>
        <li>{quiz.maxAttempts ? t('attemptsAllowed', { count: quiz.maxAttempts }) : t('attemptsUnlimited')}</li>
        {quiz.dueAt && <li>{t('dueAt', { date: f.dateTime(quiz.dueAt) })}</li>}
      </ul>
      <StudentError error={starter.error} />
      {running ? (
        <Link style={buttonLink} to={`/student/attempts/${running.id}`}>
          {t('continueAttempt')}
        </Link>
      ) : used ? (
        <p className="alert alert-warn">{t('errorATTEMPT_LIMIT_REACHED')}</p>
      ) : (
        <button type="button" className="primary" disabled={starter.pending} onClick={() => void starter.start(quiz.id)}>
          {starter.pending ? t('starting') : t('startAttempt')}
        </button>
      )}

      <section className="card" aria-labelledby="attempts-title" style={{ marginBlockStart: '1rem' }}>
        <h2 id="attempts-title">{t('myAttempts')}</h2>
        {quiz.attempts.length === 0 ? (
          <Empty>{t('noAttempts')}</Empty>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('attemptNumber')}</th>
                  <th scope="col">{t('started')}</th>
                  <th scope="col">{t('attemptStatus')}</th>
                  <th scope="col">{t('score')}</th>
                </tr>
              </thead>
              <tbody>
                {quiz.attempts.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <Link to={`/student/attempts/${a.id}`} aria-label={t('viewAttemptOf', { number: a.number })}>
                        {f.number(a.number)}
                      </Link>
                      {a.status === 'IN_PROGRESS' && <> · {t('continueAttempt')}</>}
                    </td>
                    <td>{f.dateTime(a.startedAt)}</td>
                    <td>
                      {t(`attempt${a.status}`)}
                      {a.passed != null && <> · {a.passed ? t('passed') : t('failed')}</>}
                    </td>
                    <td>{a.score == null ? '—' : t('scoreValue', { score: a.score, max: a.maxScore })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </article>
  );
}
