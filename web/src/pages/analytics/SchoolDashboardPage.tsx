import { useQuery } from '../../api/use-query';
import type { AnalyticsSchoolFiguresFragment, Locale } from '../../gql/graphql';
import { useFormat, useLang, useT } from '../../i18n/i18n';
import { ErrorMessage, Loading } from '../../ui/feedback';
import { Figures } from './Figures';
import { LiveStatus } from './LiveStatus';
import { analyticsMessages } from './messages';
import { AnalyticsSchool, AnalyticsSchoolLive } from './queries';
import { useLiveValue } from './use-live-value';

/** /admin/dashboard: the school's figures for its admins, read once, then live. */
export function SchoolDashboardPage() {
  const t = useT(analyticsMessages);
  const format = useFormat();
  const locale: Locale = useLang().lang === 'ar' ? 'AR' : 'EN';
  const query = useQuery(AnalyticsSchool, { locale });
  const live = useLiveValue(AnalyticsSchoolLive, { locale }, (d) => d.schoolAnalytics, { skip: !query.data?.school });

  if (query.loading && !query.data) return <Loading />;
  if (!query.data?.school) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  const a: AnalyticsSchoolFiguresFragment = live.value ?? query.data.school.analytics;
  return (
    <>
      <h1>{t('schoolTitle')}</h1>
      <p className="muted">{query.data.school.name}</p>
      <LiveStatus at={live.at} />
      <ErrorMessage error={live.error} />
      <section aria-labelledby="analytics-school">
        <h2 id="analytics-school">{t('schoolFigures')}</h2>
        <Figures
          figures={[
            { label: t('schoolActive7d'), value: format.number(a.activeStudents7d) },
            { label: t('enrollments30d'), value: format.number(a.enrollments30d) },
            { label: t('revenue30d'), value: a.revenue30d.formatted, hint: t('revenue30dHint') },
            { label: t('liveSessionsToday'), value: format.number(a.liveSessionsToday) },
          ]}
        />
      </section>
    </>
  );
}
