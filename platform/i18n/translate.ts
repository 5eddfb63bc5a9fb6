import { ar } from './ar';
import type { Locale } from './locale';

/**
 * Messages are written in English in the code (the catalog key) with `{name}` placeholders where
 * the code interpolates a value, gettext-style: a subgraph throws `badInput(`${field} must not be
 * blank`)` and the edge translates the finished message into the caller's language. So every
 * service stays unaware of languages, error codes stay the same, and `scripts/i18n.test.ts` fails
 * when a message in the code has no translation.
 */
export type Catalog = Readonly<Record<string, string>>;

interface Template {
  pattern: RegExp;
  names: string[];
  target: string;
}

const PLACEHOLDER = /\{(\w+)\}/g;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A translator over one catalog per language other than English (English is the source). */
export function createTranslator(catalogs: Partial<Record<Locale, Catalog>>) {
  const compiled = new Map<Locale, { exact: Map<string, string>; templates: Template[] }>();
  for (const [locale, catalog] of Object.entries(catalogs) as [Locale, Catalog][]) {
    const exact = new Map<string, string>();
    const templates: Template[] = [];
    for (const [source, target] of Object.entries(catalog)) {
      const names = [...source.matchAll(PLACEHOLDER)].map((m) => m[1]);
      if (!names.length) {
        exact.set(source, target);
        continue;
      }
      // Each placeholder matches lazily within the message; literal parts anchor it.
      const pattern = new RegExp(
        `^${source
          .split(PLACEHOLDER)
          .map((part, i) => (i % 2 ? '(.+?)' : escape(part)))
          .join('')}$`,
        's',
      );
      templates.push({ pattern, names, target });
    }
    // Longer templates first: the most specific wins when two could match.
    templates.sort((a, b) => b.pattern.source.length - a.pattern.source.length);
    compiled.set(locale, { exact, templates });
  }

  return function translate(message: string, locale: Locale): string {
    const table = compiled.get(locale);
    if (!table) return message;
    const hit = table.exact.get(message);
    if (hit !== undefined) return hit;
    for (const t of table.templates) {
      const m = t.pattern.exec(message);
      if (!m) continue;
      const values = new Map(t.names.map((name, i) => [name, m[i + 1]]));
      // A value that is itself a message (a noun such as "Course") is translated too.
      return t.target.replace(PLACEHOLDER, (_all, name: string) => {
        const value = values.get(name) ?? '';
        return table.exact.get(value) ?? value;
      });
    }
    return message;
  };
}

/** The platform's messages in every language it answers in. */
export const translate = createTranslator({ ar });
