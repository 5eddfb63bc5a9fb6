import { useConnectionState } from '../../app/use-session';
import { useFormat, useT } from '../../i18n/i18n';
import { analyticsMessages } from './messages';

/** "Live", or that the connection dropped and the figures may be stale; and when they last changed. */
export function LiveStatus({ at }: { at?: Date }) {
  const t = useT(analyticsMessages);
  const format = useFormat();
  const connection = useConnectionState();
  return (
    <div role="status" aria-live="polite">
      {connection === 'reconnecting' ? (
        <p className="alert alert-warn">{t('reconnecting')}</p>
      ) : (
        <p className="muted">
          {t('live')}
          {at && <> {t('updatedAt', { time: format.time(at.toISOString()) })}</>}
        </p>
      )}
    </div>
  );
}
