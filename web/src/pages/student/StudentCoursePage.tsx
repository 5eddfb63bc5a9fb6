import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from '../../api/use-query';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { messages } from './messages';
import { listItem, plainList } from './styles';
import { StudentError } from './StudentError';
import { ProgressBar } from './StudentHomePage';
import { useStartAttempt } from './use-start-attempt';

const StudentCourse = graphql(`
  query StudentCourse($id: ID!) {
    course(id: $id) {
      id
      title
      description
      teacher {
        id
        displayName
      }
      enrollments(first: 1) {
        edges {
          node {
            id
            status
            progress
          }
        }
      }
      lessons {
        id
        title
        position
        kind
        durationSeconds
        completed
      }
      quizzes {
        id
        title
        timeLimitSeconds
        maxAttempts
        dueAt
        totalPoints
        questions {
          id
        }
      }
      liveSessions(upcoming: true) {
        id
        title
        startsAt
        status
      }
    }
  }
`);

const StudentCompleteLesson = graphql(`
  mutation StudentCompleteLesson($lessonId: ID!) {
    completeLesson(lessonId: $lessonId) {
      id
      status
      progress
    }
  }
`);

/** `/student/courses/:courseId`: lessons in course order, quizzes, upcoming and live sessions. */
export function StudentCoursePage() {
  const { courseId = '' } = useParams();
  const t = useT(messages);
  const f = useFormat();
  const { data, error, loading, refetch } = useQuery(StudentCourse, { id: courseId });
  const complete = useMutation(StudentCompleteLesson);
  const [marking, setMarking] = useState<string>();
  const starter = useStartAttempt();
  const [starting, setStarting] = useState<string>();

  if (loading && !data) return <Loading />;
  const course = data?.course;
  if (!course)
    return (
      <section className="card">
        {error ? <ErrorMessage error={error} onRetry={() => void refetch()} /> : <p>{t('courseNotFound')}</p>}
        <Link to="/student">{t('backToCourses')}</Link>
      </section>
    );
  const enrollment = course.enrollments.edges[0]?.node;
  const lessons = [...course.lessons].sort((a, b) => a.position - b.position);

  const markComplete = async (lessonId: string) => {
    setMarking(lessonId);
    const done = await complete.mutate({ lessonId });
    // The course again: each lesson's `completed` and the enrollment's progress come from the server.
    if (done) await refetch();
    setMarking(undefined);
  };
  const startAttempt = (quizId: string) => {
    setStarting(quizId);
    void starter.start(quizId).finally(() => setStarting(undefined));
  };

  return (
    <article aria-labelledby="course-title">
      <p>
        <Link to="/student">{t('backToCourses')}</Link>
      </p>
      <h1 id="course-title">{course.title}</h1>
      <p className="muted">{t('teacher', { name: course.teacher.displayName })}</p>
      {course.description && <p dir="auto">{course.description}</p>}
      {enrollment && (
        <div className="row">
          <ProgressBar
            value={enrollment.progress}
            label={t('progress')}
            text={t('progressValue', { percent: f.percent(enrollment.progress) })}
          />
          <span className="badge">{t(`status${enrollment.status}`)}</span>
        </div>
      )}
      <ErrorMessage error={error} onRetry={() => void refetch()} />

      <section className="card" aria-labelledby="lessons-title">
        <h2 id="lessons-title">{t('lessons')}</h2>
        <ErrorMessage error={complete.error} />
        {lessons.length === 0 ? (
          <Empty>{t('noLessons')}</Empty>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('lesson')}</th>
                  <th scope="col">{t('kind')}</th>
                  <th scope="col">{t('duration')}</th>
                  <th scope="col">{t('done')}</th>
                </tr>
              </thead>
              <tbody>
                {lessons.map((l, i) => (
                  <tr key={l.id}>
                    <td>{f.number(i + 1)}</td>
                    <td>{l.title}</td>
                    <td>{t(`kind${l.kind}`)}</td>
                    <td>{l.durationSeconds == null ? '—' : t('minutes', { count: Math.max(1, Math.round(l.durationSeconds / 60)) })}</td>
                    <td>
                      {l.completed ? (
                        <span className="badge" style={{ whiteSpace: 'nowrap' }}>
                          ✓ {t('completed')}
                        </span>
                      ) : (
                        <button
                          type="button"
                          aria-label={t('markCompleteOf', { title: l.title })}
                          disabled={!!marking}
                          onClick={() => void markComplete(l.id)}
                        >
                          {marking === l.id ? t('marking') : t('markComplete')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="quizzes-title">
        <h2 id="quizzes-title">{t('quizzes')}</h2>
        <StudentError error={starter.error} />
        {course.quizzes.length === 0 ? (
          <Empty>{t('noQuizzes')}</Empty>
        ) : (
          <ul style={plainList}>
            {course.quizzes.map((q) => (
              <li key={q.id} style={listItem}>
                <h3 style={{ margin: 0, fontSize: '1rem' }}>
                  <Link to={`/student/quizzes/${q.id}`}>{q.title}</Link>
                </h3>
                <p className="muted" style={{ marginBlock: '0.25rem' }}>
                  {t('quizDetails', { questions: q.questions.length, points: q.totalPoints })} ·{' '}
                  {q.timeLimitSeconds ? t('timeLimit', { minutes: Math.round(q.timeLimitSeconds / 60) }) : t('untimed')} ·{' '}
                  {q.maxAttempts ? t('attemptsAllowed', { count: q.maxAttempts }) : t('attemptsUnlimited')}
                  {q.dueAt && <> · {t('dueAt', { date: f.dateTime(q.dueAt) })}</>}
                </p>
                <button
                  type="button"
                  className="primary"
                  aria-label={t('startAttemptOf', { title: q.title })}
                  disabled={starter.pending}
                  onClick={() => startAttempt(q.id)}
                >
                  {starting === q.id ? t('starting') : t('startAttempt')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t('sessions')}</h2>
        {course.liveSessions.length === 0 ? (
          <Empty>{t('noSessions')}</Empty>
        ) : (
          <ul style={plainList}>
            {course.liveSessions.map((s) => (
              <li key={s.id} className="row" style={listItem}>
                <strong>{s.title}</strong>
                <span className="muted">{t('startsAt', { date: f.dateTime(s.startsAt) })}</span>
                <span className="badge">{t(`session${s.status}`)}</span>
                {s.status === 'LIVE' && <Link to={`/classroom/${s.id}`}>{t('joinClassroom')}</Link>}
              </li>
            ))}
          </ul>
        )}
        <p>
          <button type="button" className="link" onClick={() => void refetch()} disabled={loading}>
            {t('refreshSessions')}
          </button>
        </p>
      </section>
    </article>
  );
}
