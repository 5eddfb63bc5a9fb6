import { Fragment, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from '../../api/use-query';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { CourseRoster } from './CourseRoster';
import { messages } from './messages';
import { ScheduleSessionForm } from './ScheduleSessionForm';
import { SessionAttendance } from './SessionAttendance';

const TeacherCourse = graphql(`
  query TeacherCourse($id: ID!) {
    course(id: $id) {
      id
      title
      status
      enrollmentCount
      liveSessions {
        id
        title
        startsAt
        status
      }
    }
  }
`);

const TeacherStartSession = graphql(`
  mutation TeacherStartSession($id: ID!) {
    startLiveSession(id: $id) {
      id
      status
    }
  }
`);

const TeacherEndSession = graphql(`
  mutation TeacherEndSession($id: ID!) {
    endLiveSession(id: $id) {
      id
      status
    }
  }
`);

/** `/teacher/courses/:courseId`: the course's students and its live sessions (schedule, start, end, attendance). */
export function TeacherCoursePage() {
  const { courseId = '' } = useParams();
  const t = useT(messages);
  const f = useFormat();
  const { data, error, loading, refetch } = useQuery(TeacherCourse, { id: courseId });
  const startSession = useMutation(TeacherStartSession);
  const endSession = useMutation(TeacherEndSession);
  const [busy, setBusy] = useState<string>();
  const [shown, setShown] = useState<string>();

  if (loading && !data) return <Loading />;
  const course = data?.course;
  if (!course)
    return (
      <section className="card">
        {error ? <ErrorMessage error={error} onRetry={() => void refetch()} /> : <p>{t('courseNotFound')}</p>}
        <Link to="/teacher">{t('backToCourses')}</Link>
      </section>
    );
  const sessions = [...course.liveSessions].sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt));

  const act = async (id: string, action: (v: { id: string }) => Promise<unknown>) => {
    setBusy(id);
    if (await action({ id })) await refetch();
    setBusy(undefined);
  };
  const end = (s: { id: string; title: string }) => {
    if (window.confirm(t('confirmEnd', { title: s.title }))) void act(s.id, endSession.mutate);
  };

  return (
    <article aria-labelledby="course-title">
      <p>
        <Link to="/teacher">{t('backToCourses')}</Link>
      </p>
      <h1 id="course-title">{course.title}</h1>
      <p className="row">
        <span className="badge">{t(`course${course.status}`)}</span>
        <span className="muted">{t('studentCount', { count: course.enrollmentCount })}</span>
        <Link to={`/teacher/courses/${course.id}/dashboard`}>{t('dashboard')}</Link>
      </p>
      <ErrorMessage error={error} onRetry={() => void refetch()} />

      <section aria-labelledby="students-title">
        <h2 id="students-title">{t('students')}</h2>
        <CourseRoster courseId={course.id} />
      </section>

      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t('sessions')}</h2>
        <ScheduleSessionForm courseId={course.id} onScheduled={refetch} />
        <ErrorMessage error={startSession.error ?? endSession.error} />
        {sessions.length === 0 ? (
          <Empty>{t('noSessions')}</Empty>
        ) : (
          <div className="table-scroll card">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('session')}</th>
                  <th scope="col">{t('startsAt')}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col">{t('actions')}</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <Fragment key={s.id}>
                    <tr>
                      <td>{s.title}</td>
                      <td>{f.dateTime(s.startsAt)}</td>
                      <td>
                        <span className="badge">{t(`session${s.status}`)}</span>
                      </td>
                      <td>
                        <div className="row">
                          {s.status === 'SCHEDULED' && (
                            <button
                              type="button"
                              className="primary"
                              aria-label={t('startOf', { title: s.title })}
                              disabled={!!busy}
                              onClick={() => void act(s.id, startSession.mutate)}
                            >
                              {t('start')}
                            </button>
                          )}
                          {s.status === 'LIVE' && (
                            <>
                              <Link to={`/classroom/${s.id}`}>{t('openClassroom')}</Link>
                              <button
                                type="button"
                                className="danger"
                                aria-label={t('endOf', { title: s.title })}
                                disabled={!!busy}
                                onClick={() => end(s)}
                              >
                                {t('end')}
                              </button>
                            </>
                          )}
                          {s.status === 'ENDED' && (
                            <button
                              type="button"
                              aria-expanded={shown === s.id}
                              aria-controls={`attendance-${s.id}`}
                              aria-label={t('attendanceOf', { title: s.title })}
                              onClick={() => setShown(shown === s.id ? undefined : s.id)}
                            >
                              {shown === s.id ? t('hideAttendance') : t('showAttendance')}
                            </button>
                          )}
                        </div>
                      </td>
                    </tr>
                    {shown === s.id && (
                      <tr id={`attendance-${s.id}`}>
                        <td colSpan={4}>
                          <SessionAttendance sessionId={s.id} title={s.title} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </article>
  );
}
