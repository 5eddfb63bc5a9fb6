import { Link } from 'react-router';
import { useQuery } from '../../api/use-query';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { messages } from './messages';
import { plainList } from './styles';

const StudentCourses = graphql(`
  query StudentCourses {
    me {
      id
      enrollments {
        id
        status
        progress
        course {
          id
          title
          teacher {
            id
            displayName
          }
        }
      }
    }
  }
`);

/** `/student`: the courses the student is enrolled in, with their progress. */
export function StudentHomePage() {
  const t = useT(messages);
  const { percent } = useFormat();
  const { data, error, loading, refetch } = useQuery(StudentCourses, {});
  const enrollments = data?.me?.enrollments ?? [];
  return (
    <section aria-labelledby="student-courses-title">
      <h1 id="student-courses-title">{t('myCourses')}</h1>
      <ErrorMessage error={error} onRetry={() => void refetch()} />
      {loading && !data ? (
        <Loading />
      ) : enrollments.length === 0 && !error ? (
        <Empty>{t('noCourses')}</Empty>
      ) : (
        <ul className="grid" style={plainList}>
          {enrollments.map((e) => (
            <li key={e.id} className="card">
              <h2 style={{ marginBlockStart: 0 }}>
                <Link to={`/student/courses/${e.course.id}`}>{e.course.title}</Link>
              </h2>
              <p className="muted">{t('teacher', { name: e.course.teacher.displayName })}</p>
              <ProgressBar value={e.progress} label={t('progress')} text={t('progressValue', { percent: percent(e.progress) })} />
              <span className="badge">{t(`status${e.status}`)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A labelled progress bar with its percentage written out (the bar alone says nothing to a screen reader's user at a glance). */
export function ProgressBar({ value, label, text }: { value: number; label: string; text: string }) {
  return (
    <div className="row">
      <progress max={1} value={value} aria-label={label} aria-valuetext={text} />
      <span>{text}</span>
    </div>
  );
}
