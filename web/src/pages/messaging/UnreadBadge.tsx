import { useFormat, useT } from '../../i18n/i18n';
import { messagingMessages } from './messages';

/** "3" in a badge, announced as "3 unread" (the digits alone would mean nothing); nothing when all is read. */
export function UnreadBadge({ count }: { count: number }) {
  const t = useT(messagingMessages);
  const format = useFormat();
  if (count <= 0) return null;
  const label = t('unread', { count });
  return (
    <span className="badge" role="img" aria-label={label} title={label} style={{ fontWeight: 700 }}>
      {format.number(count)}
    </span>
  );
}
