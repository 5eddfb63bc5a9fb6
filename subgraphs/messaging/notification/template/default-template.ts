import type { Channel } from '../notification.entity';

/**
 * A built-in template: what a key says when the school has not written its own (`upsertTemplate`).
 * Handlebars syntax (`{{courseTitle}}`); `html` is for email and escaped by the engine, the others
 * are plain text. Every key has an `AR` and an `EN` version; `channel` narrows one to a channel
 * (a shorter SMS), otherwise it serves them all. Each feature that notifies keeps its templates
 * next to it (`*.templates.ts`) and lists them in notification/template/defaults.ts.
 */
export interface DefaultTemplate {
  key: string;
  locale: 'AR' | 'EN';
  channel?: Channel;
  /** Email subject, push and in-app title. */
  subject: string;
  /** SMS, WhatsApp, push and in-app body, and the email's text part. */
  text: string;
  /** The email's HTML part; default: `text` with line breaks. */
  html?: string;
}
