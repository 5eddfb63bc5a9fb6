import type { ReactNode } from 'react';
import type { ApiError } from '../api/errors';
import { common } from '../i18n/common';
import { useT } from '../i18n/i18n';

/** A spinner-free loading line, announced politely to screen readers. */
export function Loading() {
  const t = useT(common);
  return (
    <p className="muted" role="status" aria-live="polite">
      {t('loading')}
    </p>
  );
}

/**
 * An API error: a known code gets its own words in the current language; anything else shows the
 * server's message (already translated by the gateway from Accept-Language).
 */
export function ErrorMessage({ error, onRetry }: { error: ApiError | undefined; onRetry?: () => void }) {
  const t = useT(common);
  if (!error) return null;
  const key = `error${error.code}` as keyof typeof common.en;
  const text = key in common.en ? t(key) : error.message;
  return (
    <div className="alert alert-error" role="alert">
      <span>{text}</span>
      {onRetry && (
        <button type="button" className="link" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const t = useT(common);
  return <p className="muted">{children ?? t('empty')}</p>;
}
