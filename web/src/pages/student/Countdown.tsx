import { useEffect, useRef, useState } from 'react';
import { useLang, useT } from '../../i18n/i18n';
import { messages } from './messages';
import { srOnly } from './styles';

/** mm:ss (h:mm:ss past an hour), in the digits of the page's language. */
function clock(ms: number, lang: string): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const two = new Intl.NumberFormat(lang === 'ar' ? 'ar-EG' : 'en-GB', { minimumIntegerDigits: 2 });
  return h > 0 ? `${two.format(h)}:${two.format(m)}:${two.format(s)}` : `${two.format(m)}:${two.format(s)}`;
}

/**
 * The time left until the attempt's deadline (the server's clock decides; this only shows it). Screen
 * readers hear it once a minute, not every second.
 */
export function Countdown({ deadline, onExpire }: { deadline: string; onExpire: () => void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const end = Date.parse(deadline);
  const [now, setNow] = useState(() => Date.now());
  const expire = useRef(onExpire);
  useEffect(() => {
    expire.current = onExpire;
  });
  useEffect(() => {
    let fired = false;
    const tick = () => {
      const at = Date.now();
      setNow(at);
      if (!fired && at >= end) {
        fired = true;
        expire.current();
      }
    };
    const id = setInterval(tick, 1000);
    return () => clearInterval(id);
  }, [end]);
  const left = end - now;
  const minutesLeft = Math.ceil(left / 60_000);
  return (
    <div className={`alert ${left < 60_000 ? 'alert-warn' : 'alert-ok'}`}>
      <span aria-hidden="true">{t('timeLeft', { time: clock(left, lang) })}</span>
      <span role="timer" aria-live="polite" style={srOnly}>
        {t('timeLeft', { time: t('minutes', { count: Math.max(0, minutesLeft) }) })}
      </span>
    </div>
  );
}
