import type { ApiError } from '../../api/errors';
import { useT } from '../../i18n/i18n';
import { ErrorMessage } from '../../ui/feedback';
import { messages } from './messages';

/** Quiz codes get the student's own words; everything else as ErrorMessage shows it (the gateway's localized message). */
export function StudentError({ error, onRetry }: { error: ApiError | undefined; onRetry?: () => void }) {
  const t = useT(messages);
  const key = error && (`error${error.code}` as keyof typeof messages.en);
  if (!error || !key || !(key in messages.en)) return <ErrorMessage error={error} onRetry={onRetry} />;
  return (
    <div className="alert alert-error" role="alert">
      {t(key)}
    </div>
  );
}
