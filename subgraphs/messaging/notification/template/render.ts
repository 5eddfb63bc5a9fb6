import type { EntityManager } from '@mikro-orm/core';
import Handlebars from 'handlebars';
import { badInput } from '../../../../platform/errors';
import { Notification, type Channel } from '../notification.entity';
import type { Sealer } from '../seal';
import type { DefaultTemplate } from './default-template';
import { defaultTemplates } from './defaults';
import type { Locale } from './locale';
import { NotificationTemplate } from './notification-template.entity';

/** What a template says, whoever wrote it. */
export interface TemplateSource {
  subject: string;
  text: string;
  html?: string | null;
}

export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

/**
 * Our own Handlebars environment: a helper or partial registered elsewhere in the process never
 * reaches school-written templates. Handlebars 4.6+ refuses prototype access by default, so a
 * template cannot reach `constructor` or `__proto__` of the variables.
 */
const engine = Handlebars.create();

type Compiled = (variables: Record<string, unknown>) => string;

/** Compiled templates by mode and source: templates are few and rendered many times (an announcement to 10,000). */
const cache = new Map<string, Compiled>();
const CACHE_LIMIT = 2000;

/**
 * `escape`: the HTML part, where every `{{value}}` is HTML-escaped (`{{{raw}}}` stays possible for
 * a school's own markup in its template, never in a value). Text parts are not HTML: escaping
 * there would show `&amp;` in an SMS. Not strict: a variable a caller did not give renders empty.
 */
function compiled(source: string, escape: boolean): Compiled {
  const cacheKey = `${escape ? 'h' : 't'}:${source}`;
  let fn = cache.get(cacheKey);
  if (!fn) {
    fn = engine.compile(source, { noEscape: !escape, strict: false });
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(cacheKey, fn);
  }
  return fn;
}

/** Throws BAD_USER_INPUT naming `field` when `source` is not a Handlebars template (checked when a school saves one). */
export function assertTemplate(source: string, field: string): void {
  try {
    // parse() is what compile() defers to the first render; precompile also checks block pairs.
    engine.precompile(source, { strict: false });
  } catch (err) {
    const reason = ((err as Error).message ?? '').split('\n')[0];
    throw badInput(`${field} is not a valid template: ${reason}`, field);
  }
}

const nl2br = (html: string) => html.replace(/\r?\n/g, '<br>\n');

/** Renders a template's three parts; the HTML part, when the template has none, is its text escaped with line breaks. */
export function renderTemplate(template: TemplateSource, variables: Record<string, unknown>): Rendered {
  return {
    subject: compiled(
      template.subject,
      false,
    )(variables)
      .replace(/\s*\r?\n\s*/g, ' ')
      .trim(),
    text: compiled(template.text, false)(variables),
    html: template.html ? compiled(template.html, true)(variables) : nl2br(compiled(template.text, true)(variables)),
  };
}

/** The built-in template of (key, channel, locale): one for the channel wins over the one for every channel. */
export function defaultTemplate(key: string, channel: Channel, locale: 'AR' | 'EN'): DefaultTemplate | undefined {
  let general: DefaultTemplate | undefined;
  for (const t of defaultTemplates) {
    if (t.key !== key || t.locale !== locale) continue;
    if (t.channel === channel) return t;
    if (!t.channel) general ??= t;
  }
  return general;
}

/**
 * The template a notification is rendered with, in this order: the school's for (key, channel,
 * locale), the school's for (key, every channel, locale), the built-in one for (key, channel),
 * the built-in one for (key). `em` is tenant-scoped, so "the school's" is the caller's school.
 * Undefined when the key is known nowhere (a caller's mistake).
 */
export async function resolveTemplate(
  em: EntityManager,
  key: string,
  channel: Channel,
  locale: 'AR' | 'EN',
): Promise<TemplateSource | undefined> {
  const own = await em.find(NotificationTemplate, { key, locale: locale as Locale, channelKey: { $in: [channel, ''] } });
  return own.find((t) => t.channelKey === channel) ?? own.find((t) => t.channelKey === '') ?? defaultTemplate(key, channel, locale);
}

/** True when `key` is a template the school can send: one of its own (any channel or language) or a built-in one. */
export async function templateExists(em: EntityManager, key: string): Promise<boolean> {
  return defaultTemplates.some((t) => t.key === key) || (await em.count(NotificationTemplate, { key })) > 0;
}

/**
 * Subject, text and HTML of `notification` in its language for its channel, for the delivery
 * worker. `secrets`: the sealer that opens `notification.sealed` (loaded here when the row was
 * read without that lazy column), or the secret variables themselves.
 */
export async function renderNotification(
  em: EntityManager,
  notification: Notification,
  secrets?: Sealer | Record<string, string>,
): Promise<Rendered> {
  const template = await resolveTemplate(em, notification.templateKey, notification.channel, notification.locale);
  if (!template) throw new Error(`no template "${notification.templateKey}" (${notification.channel}, ${notification.locale})`);
  let secretVariables: Record<string, string> = {};
  if (secrets && typeof (secrets as Sealer).unseal === 'function') {
    let sealed = notification.sealed;
    if (sealed === undefined) {
      const row = await em.findOne(Notification, { id: notification.id }, { populate: ['sealed'] });
      sealed = row?.sealed;
    }
    if (sealed) secretVariables = (secrets as Sealer).unseal(sealed);
  } else if (secrets) {
    secretVariables = secrets as Record<string, string>;
  }
  return renderTemplate(template, { ...(notification.variables ?? {}), ...secretVariables });
}
