import type { CSSProperties } from 'react';

/*
 * The few looks the shared stylesheet (web/src/styles.css, not this area's) has no class for; logical
 * properties only, like the stylesheet.
 */

/** A list that is a list for screen readers but shows no bullets. */
export const plainList: CSSProperties = { listStyle: 'none', padding: 0, margin: 0 };
export const listItem: CSSProperties = { paddingBlock: '0.5rem', borderBlockEnd: '1px solid var(--border)' };

/** Read by screen readers, not shown. */
export const srOnly: CSSProperties = {
  position: 'absolute',
  inlineSize: 1,
  blockSize: 1,
  overflow: 'hidden',
  clipPath: 'inset(50%)',
  whiteSpace: 'nowrap',
};

/** A link that looks like the primary button (it navigates, so it stays a link). */
export const buttonLink: CSSProperties = {
  display: 'inline-block',
  padding: '0.45rem 0.9rem',
  borderRadius: 6,
  background: 'var(--primary)',
  color: 'var(--primary-text)',
  textDecoration: 'none',
};
