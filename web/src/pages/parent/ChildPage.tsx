import { Link, useParams } from 'react-router';
import { useQuery } from '../../api/use-query';
import type { ParentChildQuery } from '../../gql/graphql';
import { useFormat, useT, type Translate } from '../../i18n/i18n';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { messages } from './messages';
import { ParentChild, ParentChildSubscriptions } from './queries';
import { ScrollTable, useDocumentTitle } from './ui';

type Enrollment = NonNullable<ParentChildQuery['user']>['enrollments'][number];
type Keys = keyof typeof messages.en;

/**
 * `/parent/children/:childId`: one child's courses, attendance and quiz results. A student who is not
 * linked to this parent (the API refuses their enrollments: FORBIDDEN), or no such person, is "not found":
 * the same words either way, so the page does not tell whether the id exists.
 */
export function ChildPage() {
  const { childId = '' } = useParams();
  const t = useT(messages);
  const { data, error, loading, refetch } = useQuery(ParentChild, { id: childId });
  const mine = data?.me?.children.some((c) => c.id === childId);
  const notFound = error?.code === 'FORBIDDEN' || error?.code === 'NOT_FOUND' || (data && (!data.user || !mine));
  const child = !notFound ? data?.user : undefined;
  useDocumentTitle(child?.displayName ?? (notFound ? t('childNotFoundTitle') : undefined));

  if (loading && !data && !error) return <Loading />;
  if (notFound)
    return (
      <section className="card" aria-labelledby="parent-child-title">
        <h1 id="parent-child-title">{t('childNotFoundTitle')}</h1>
        <p>{t('childNotFound')}</p>
        <Link to="/parent">{t('backToChildren')}</Link>
      </section>
    );
  if (!child)
    return (
      <section aria-labelledby="parent-child-title">
        <h1 id="parent-child-title">{t('childrenTitle')}</h1>
        <ErrorMessage error={error} onRetry={() => void refetch()} />
        <Link to="/parent">{t('backToChildren')}</Link>
      </section>
    );
  return (
    <section aria-labelledby="parent-child-title">
      <p>
        <Link to="/parent">{t('backToChildren')}</Link>
      </p>
      <h1 id="parent-child-title">{child.displayName}</h1>
      <ErrorMessage error={error} onRetry={() => void refetch()} />
      <Courses enrollments={child.enrollments} />
      <Attendance enrollments={child.enrollments} />
      <Quizzes enrollments={child.enrollments} />
      <Subscriptions childId={child.id} />
    </section>
  );
}

function Courses({ enrollments }: { enrollments: Enrollment[] }) {
  const t = useT(messages);
  const f = useFormat();
  return (
    <section className="card" aria-labelledby="parent-courses-title">
      <h2 id="parent-courses-title">{t('coursesTitle')}</h2>
      {enrollments.length === 0 ? (
        <Empty>{t('noCourses')}</Empty>
      ) : (
        <ScrollTable labelledBy="parent-courses-title">
          <thead>
            <tr>
              <th scope="col">{t('course')}</th>
              <th scope="col">{t('progress')}</th>
              <th scope="col">{t('enrollmentStatus')}</th>
              <th scope="col">{t('enrolledAt')}</th>
            </tr>
          </thead>
          <tbody>
            {enrollments.map((e) => (
              <tr key={e.id}>
                <th scope="row">{e.course.title}</th>
                <td>
                  <div className="row" style={{ flexWrap: 'nowrap' }}>
                    <progress
                      style={{ minInlineSize: '5rem' }}
                      value={e.progress}
                      max={1}
                      aria-label={t('progressOf', { course: e.course.title })}
                    />
                    <span>{f.percent(e.progress)}</span>
                  </div>
                </td>
                <td>
                  <span className="badge">{t(`enrollment${e.status}` as Keys)}</span>
                </td>
                <td>{f.dateTime(e.enrolledAt)}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
    </section>
  );
}

function Attendance({ enrollments }: { enrollments: Enrollment[] }) {
  const t = useT(messages);
  const f = useFormat();
  // Across all courses, the most recent session first.
  const rows = enrollments
    .flatMap((e) => e.attendance.map((a) => ({ ...a, course: e.course.title })))
    .sort((a, b) => b.session.startsAt.localeCompare(a.session.startsAt));
  return (
    <section className="card" aria-labelledby="parent-attendance-title">
      <h2 id="parent-attendance-title">{t('attendanceTitle')}</h2>
      {rows.length === 0 ? (
        <Empty>{t('attendanceEmpty')}</Empty>
      ) : (
        <ScrollTable labelledBy="parent-attendance-title">
          <thead>
            <tr>
              <th scope="col">{t('session')}</th>
              <th scope="col">{t('course')}</th>
              <th scope="col">{t('date')}</th>
              <th scope="col">{t('attendanceStatus')}</th>
              <th scope="col">{t('minutesAttended')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.session.id}>
                <th scope="row">{a.session.title}</th>
                <td>{a.course}</td>
                <td>{f.dateTime(a.session.startsAt)}</td>
                <td>
                  <StatusBadge status={a.status} t={t} />
                </td>
                <td>
                  {a.totalSeconds > 0 && a.totalSeconds < 60 ? t('underAMinute') : t('minutes', { count: Math.round(a.totalSeconds / 60) })}
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
    </section>
  );
}

function StatusBadge({ status, t }: { status: string; t: Translate<Keys> }) {
  return <span className="badge">{t(`status${status}` as Keys)}</span>;
}

function Quizzes({ enrollments }: { enrollments: Enrollment[] }) {
  const t = useT(messages);
  const f = useFormat();
  // The newest first; one still running has no submission date and goes by nothing: last.
  const rows = enrollments
    .flatMap((e) => e.quizAttempts.map((q) => ({ ...q, course: e.course.title })))
    .sort((a, b) => (b.submittedAt ?? '').localeCompare(a.submittedAt ?? ''));
  return (
    <section className="card" aria-labelledby="parent-quizzes-title">
      <h2 id="parent-quizzes-title">{t('quizzesTitle')}</h2>
      {rows.length === 0 ? (
        <Empty>{t('quizzesEmpty')}</Empty>
      ) : (
        <ScrollTable labelledBy="parent-quizzes-title">
          <thead>
            <tr>
              <th scope="col">{t('quiz')}</th>
              <th scope="col">{t('course')}</th>
              <th scope="col">{t('attempt')}</th>
              <th scope="col">{t('score')}</th>
              <th scope="col">{t('result')}</th>
              <th scope="col">{t('submittedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((q) => (
              <tr key={q.id}>
                <th scope="row">{q.quiz.title}</th>
                <td>{q.course}</td>
                <td>{f.number(q.number)}</td>
                <td>{q.score == null ? t('notGraded') : t('scoreOf', { score: q.score, max: q.maxScore })}</td>
                <td>
                  <span className="badge">
                    {q.status === 'IN_PROGRESS' || q.passed == null
                      ? t(`attempt${q.status}` as Keys)
                      : q.passed
                        ? t('passed')
                        : t('failed')}
                  </span>
                </td>
                <td>{f.dateTime(q.submittedAt)}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
    </section>
  );
}

/** From billing: its own query and error, so that an outage there leaves the rest of the page readable. */
function Subscriptions({ childId }: { childId: string }) {
  const t = useT(messages);
  const f = useFormat();
  const { data, error, loading, refetch } = useQuery(ParentChildSubscriptions, { id: childId });
  const subscriptions = data?.user?.planSubscriptions ?? [];
  return (
    <section className="card" aria-labelledby="parent-subscriptions-title">
      <h2 id="parent-subscriptions-title">{t('subscriptionsTitle')}</h2>
      {loading && !data && <Loading />}
      <ErrorMessage error={error} onRetry={() => void refetch()} />
      {data && subscriptions.length === 0 && <Empty>{t('subscriptionsEmpty')}</Empty>}
      {subscriptions.length > 0 && (
        <ScrollTable labelledBy="parent-subscriptions-title">
          <thead>
            <tr>
              <th scope="col">{t('plan')}</th>
              <th scope="col">{t('price')}</th>
              <th scope="col">{t('subscriptionStatus')}</th>
              <th scope="col">{t('periodEnd')}</th>
            </tr>
          </thead>
          <tbody>
            {subscriptions.map((s) => (
              <tr key={s.id}>
                <th scope="row">{s.plan.name}</th>
                <td>{s.plan.price.formatted}</td>
                <td>
                  <span className="badge">{t(`subscription${s.status}` as Keys)}</span>
                </td>
                <td>{f.dateTime(s.currentPeriodEnd)}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
    </section>
  );
}
