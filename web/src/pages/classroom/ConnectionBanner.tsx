import { useEffect, useState } from 'react';
import { useConnectionState } from '../../app/use-session';
import { common } from '../../i18n/common';
import { useT } from '../../i18n/i18n';

/** How long "Connection restored." stays up. */
const RESTORED_MS = 4000;

/**
 * "Connection lost. Reconnecting…" (an alert) while the live connection is down, then "Connection
 * restored." (a status) for a few seconds once it is back; nothing before the first connection.
 */
export function ConnectionBanner() {
  const t = useT(common);
  const state = useConnectionState();
  const [restored, setRestored] = useState(false);
  // The state before this one, kept as state: a change is noticed while rendering (no effect needed).
  const [previous, setPrevious] = useState(state);
  if (previous !== state) {
    setPrevious(state);
    setRestored(previous === 'reconnecting' && state === 'connected');
  }
  useEffect(() => {
    if (!restored) return;
    const timer = setTimeout(() => setRestored(false), RESTORED_MS);
    return () => clearTimeout(timer);
  }, [restored]);
  return (
    <div className="classroom-banner">
      {state === 'reconnecting' ? (
        <div className="alert alert-warn" role="alert" data-testid="connection-lost">
          {t('offline')}
        </div>
      ) : restored ? (
        <div className="alert alert-ok" role="status" data-testid="connection-restored">
          {t('online')}
        </div>
      ) : null}
    </div>
  );
}
