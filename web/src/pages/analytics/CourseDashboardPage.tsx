import { Link, useParams } from 'react-router';
import { useQuery } from '../../api/use-query';
import type { AnalyticsCourseFiguresFragment } from '../../gql/graphql';
import { useFormat, useT } from '../../i18n/i18n';
import { ErrorMessage, Loading } from '../../ui/feedback';
import { Figures } from './Figures';
import { LiveStatus } from './LiveStatus';
import { analyticsMessages } from './messages';
import { AnalyticsCourse, AnalyticsCourseLive } from './queries';
import { useLiveValue } from './use-live-value';

/** /teacher/courses/:courseId/dashboard: the course's learning figures, read once, then live. */
export function CourseDashboardPage() {
  const { courseId = '' } = useParams();
  const t = useT(analyticsMessages);
  const format = useFormat();
  const query = useQuery(AnalyticsCourse, { courseId });
  const live = useLiveValue(AnalyticsCourseLive, { courseId }, (d) => d.courseAnalytics, { skip: !query.data?.course });

  if (query.loading && !query.data) return <Loading />;
  if (!query.data) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  const course = query.data.course;
  if (!course) {
    return (
      <section className="card">
        <h1>{t('notFound')}</h1>
      </section>
    );
  }
  const a: AnalyticsCourseFiguresFragment = live.value ?? course.analytics;
  const orNone = (ratio: number | null | undefined) => (ratio == null ? t('noData') : format.percent(ratio));
  return (
    <>
      <p>
        <Link to={`/teacher/courses/${course.id}`}>{t('backToCourse')}</Link>
      </p>
      <h1>{t('courseTitle', { course: course.title })}</h1>
      <LiveStatus at={live.at} />
      <ErrorMessage error={live.error} />
      <section aria-labelledby="analytics-course">
        <h2 id="analytics-course">{t('courseFigures')}</h2>
        <Figures
          figures={[
            { label: t('enrolledStudents'), value: format.number(a.enrolledStudents), hint: t('enrolledStudentsHint') },
            { label: t('activeStudents7d'), value: format.number(a.activeStudents7d), hint: t('activeStudents7dHint') },
            { label: t('averageProgress'), value: format.percent(a.averageProgress), hint: t('averageProgressHint') },
            { label: t('completionRate'), value: format.percent(a.completionRate), hint: t('completionRateHint') },
            { label: t('averageQuizScore'), value: orNone(a.averageQuizScore), hint: t('averageQuizScoreHint') },
            { label: t('attendanceRate'), value: orNone(a.attendanceRate), hint: t('attendanceRateHint') },
          ]}
        />
      </section>
    </>
  );
}
