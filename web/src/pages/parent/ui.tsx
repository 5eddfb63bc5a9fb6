import { useEffect, type ReactNode } from 'react';
import { common } from '../../i18n/common';
import { useT } from '../../i18n/i18n';

/**
 * A wide table in `.table-scroll`: at 360px it scrolls sideways, so the scrolling box is a named
 * region that takes keyboard focus (arrow keys scroll it), named by its section's heading.
 */
export function ScrollTable({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      <table>{children}</table>
    </div>
  );
}

/** The tab's title: the page's own name first, then the app's. */
export function useDocumentTitle(title: string | undefined) {
  const app = useT(common)('appName');
  useEffect(() => {
    if (title) document.title = `${title} · ${app}`;
  }, [title, app]);
}
