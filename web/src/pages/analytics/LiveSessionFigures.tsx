import { useId } from 'react';
import { useQuery } from '../../api/use-query';
import type { AnalyticsSessionFiguresFragment } from '../../gql/graphql';
import { useFormat, useT } from '../../i18n/i18n';
import { ErrorMessage, Loading } from '../../ui/feedback';
import { Figures } from './Figures';
import { analyticsMessages } from './messages';
import { AnalyticsSession, AnalyticsSessionLive } from './queries';
import { useLiveValue } from './use-live-value';

/**
 * A live session's classroom figures (in the room now, peak, hands, chat, poll participation),
 * live while it runs and final once it ended: for the classroom page of the course's teacher and
 * the school's admins (others get FORBIDDEN, shown as an error). Its heading is an h2.
 */
export function LiveSessionFigures({ sessionId }: { sessionId: string }) {
  const t = useT(analyticsMessages);
  const format = useFormat();
  const id = useId();
  const query = useQuery(AnalyticsSession, { sessionId });
  const live = useLiveValue(AnalyticsSessionLive, { sessionId }, (d) => d.liveSessionAnalytics, { skip: !query.data?.liveSession });
  const a: AnalyticsSessionFiguresFragment | undefined = live.value ?? query.data?.liveSession?.analytics;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{t('sessionFigures')}</h2>
      {!a && query.loading && <Loading />}
      <ErrorMessage error={query.error ?? live.error} onRetry={query.error ? () => void query.refetch() : undefined} />
      {a && (
        <Figures
          figures={[
            { label: t('inRoomNow'), value: format.number(a.inRoomNow) },
            { label: t('peakInRoom'), value: format.number(a.peakInRoom) },
            { label: t('handsRaised'), value: format.number(a.handsRaised) },
            { label: t('chatMessages'), value: format.number(a.chatMessages) },
            { label: t('pollParticipation'), value: a.pollParticipation == null ? t('noData') : format.percent(a.pollParticipation) },
          ]}
        />
      )}
    </section>
  );
}
