import { Link } from 'react-router';
import { useQuery } from '../../api/use-query';
import { useSession } from '../../app/use-session';
import { graphql } from '../../gql';
import type { CourseStatus } from '../../gql/graphql';
import { useFormat, useT } from '../../i18n/i18n';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { messages } from './messages';

const TeacherCourses = graphql(`
  query TeacherCourses {
    me {
      id
      teachingCourses {
        id
        title
        status
        enrollmentCount
      }
    }
  }
`);

/** School admins also manage the courses other teachers teach. */
const TeacherSchoolCourses = graphql(`
  query TeacherSchoolCourses {
    courses(first: 100) {
      totalCount
      edges {
        node {
          id
          title
          status
          enrollmentCount
          teacher {
            id
            displayName
          }
        }
      }
    }
  }
`);

interface Row {
  id: string;
  title: string;
  status: CourseStatus;
  enrollmentCount: number;
  teacher?: { displayName: string };
}

/** `/teacher`: the courses the signed-in teacher teaches (and, for a school admin, every course of the school). */
export function TeacherHomePage() {
  const t = useT(messages);
  const admin = useSession()?.user.roles.includes('SCHOOL_ADMIN') ?? false;
  const mine = useQuery(TeacherCourses, {});
  const school = useQuery(TeacherSchoolCourses, {}, { skip: !admin });
  const courses = mine.data?.me?.teachingCourses ?? [];
  const all = school.data?.courses.edges.map((e) => e.node) ?? [];
  return (
    <>
      <section aria-labelledby="teacher-courses-title">
        <h1 id="teacher-courses-title">{t('myCourses')}</h1>
        <ErrorMessage error={mine.error} onRetry={() => void mine.refetch()} />
        {mine.loading && !mine.data ? <Loading /> : <CourseTable rows={courses} empty={t('noCourses')} />}
      </section>
      {admin && (
        <section aria-labelledby="school-courses-title">
          <h2 id="school-courses-title">{t('schoolCourses')}</h2>
          <ErrorMessage error={school.error} onRetry={() => void school.refetch()} />
          {school.loading && !school.data ? <Loading /> : <CourseTable rows={all} empty={t('noSchoolCourses')} withTeacher />}
          {school.data && school.data.courses.totalCount > all.length && (
            <p className="muted">{t('showingOf', { shown: all.length, total: school.data.courses.totalCount })}</p>
          )}
        </section>
      )}
    </>
  );
}

function CourseTable({ rows, empty, withTeacher = false }: { rows: Row[]; empty: string; withTeacher?: boolean }) {
  const t = useT(messages);
  const f = useFormat();
  if (rows.length === 0) return <Empty>{empty}</Empty>;
  return (
    <div className="table-scroll card">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('course')}</th>
            {withTeacher && <th scope="col">{t('teacher')}</th>}
            <th scope="col">{t('status')}</th>
            <th scope="col">{t('students')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id}>
              <td>
                <Link to={`/teacher/courses/${c.id}`}>{c.title}</Link>
              </td>
              {withTeacher && <td>{c.teacher?.displayName}</td>}
              <td>
                <span className="badge">{t(`course${c.status}`)}</span>
              </td>
              <td>{f.number(c.enrollmentCount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
