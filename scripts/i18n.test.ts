import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ar } from '../platform/i18n/ar';
import { chooseLocale, fromAcceptLanguage } from '../platform/i18n/locale';
import { createTranslator, translate } from '../platform/i18n/translate';
import type { SubgraphService } from '../platform/subgraph/host';
import { startStack, type Stack } from '../testkit/stack';
import { extractMessages } from './i18n-messages';

const root = path.resolve(__dirname, '..');

/** Shipped source files of the services clients talk to (the registry answers developer tools, in English). */
function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) files.push(p);
    }
  };
  for (const dir of ['platform', 'gateway', 'subgraphs']) walk(path.join(root, dir));
  return files;
}

/** Message builders that pass a message through rather than write one (their callers' messages are extracted). */
const WRAPPERS = [
  /^platform\/errors\.ts:\d+ appError\(message\)/,
  /^platform\/http\.ts:\d+ errorBody\(e\.message/,
  /^platform\/storage\/local-storage-routes\.ts:\d+ errorBody\(message\)/,
  // The route table marks each with message().
  /^gateway\/edge\/webhooks\.ts:\d+ errorBody\(missing\)/,
  /^gateway\/edge\/operation-limits\.ts:\d+ operationLimitError\(describe\(found\)\)/,
  // The facts reader's errors go to the operator of a rebuild (its log and exit), never to a client.
  /^platform\/events\/facts-stream\.ts:\d+ appError\(message\)/,
];

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs (platform/i18n)', () => {
  const { messages, unreadable } = extractMessages(sourceFiles(), root);
  const keys = new Set(messages.map((m) => m.key));

  it('finds the messages of the code', () => {
    // Guards the extractor itself: a few messages known to exist.
    expect(keys).toContain('Authentication required');
    expect(keys).toContain('{field} must not be blank');
    expect(keys.size).toBeGreaterThan(100);
  });

  it('can read every message the code writes (a literal, a template or a constant)', () => {
    expect(unreadable.filter((u) => !WRAPPERS.some((w) => w.test(u)))).toEqual([]);
  });

  it('has an Arabic translation of every message', () => {
    const missing = messages.filter((m) => !(m.key in ar)).map((m) => `${m.where}: ${m.key}`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('keeps the placeholders of every message, and no translation of a message the code no longer writes', () => {
    for (const [source, target] of Object.entries(ar)) {
      expect({ source, placeholders: placeholders(target) }).toEqual({ source, placeholders: placeholders(source) });
    }
    const nouns = new Set(messages.filter((m) => m.key.endsWith(' not found')).map((m) => m.key.replace(/ not found$/, '')));
    const stale = Object.keys(ar).filter((k) => !keys.has(k) && !nouns.has(k));
    expect(stale).toEqual([]);
  });
});

describe('translate', () => {
  const t = createTranslator({
    ar: {
      'Not allowed': 'غير مسموح',
      '{field} must be at most {max} characters': 'يجب ألا يزيد {field} على {max} حرفًا',
      Course: 'الدورة',
      '{what} not found': '{what} غير موجود',
    },
  });

  it('translates exact messages and templates, and leaves English and unknown messages alone', () => {
    expect(t('Not allowed', 'ar')).toBe('غير مسموح');
    expect(t('title must be at most 200 characters', 'ar')).toBe('يجب ألا يزيد title على 200 حرفًا');
    expect(t('Course not found', 'ar')).toBe('الدورة غير موجود');
    expect(t('Not allowed', 'en')).toBe('Not allowed');
    expect(t('Something new', 'ar')).toBe('Something new');
  });

  it('picks the language: Accept-Language, then the person, then the school', () => {
    expect(fromAcceptLanguage('fr-FR, ar-EG;q=0.8, en;q=0.9')).toBe('en');
    expect(fromAcceptLanguage('fr, ar;q=0.5')).toBe('ar');
    expect(fromAcceptLanguage('*, de')).toBeUndefined();
    expect(fromAcceptLanguage('en;q=0, ar')).toBe('ar');
    expect(chooseLocale({ acceptLanguage: 'ar', userLocale: 'EN', schoolLocale: 'EN' })).toBe('ar');
    expect(chooseLocale({ userLocale: 'EN', schoolLocale: 'AR' })).toBe('en');
    expect(chooseLocale({ schoolLocale: 'AR' })).toBe('ar');
    expect(chooseLocale({})).toBe('en');
    expect(translate('Authentication required', 'ar')).toBe(ar['Authentication required']);
  });
});

describe('answers in the caller language, through the gateway', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('sqlite', {}, { subgraphs: ['users', 'courses'] });
  });
  afterAll(() => stack?.stop());

  const anonymous = (opts: { tenant: string; lang?: string }) =>
    stack.gql('{ users { totalCount } }', { tenant: opts.tenant, headers: { 'accept-language': opts.lang ?? '' } });

  it('uses Accept-Language first, with the same code', async () => {
    const en = await anonymous({ tenant: 'demo', lang: 'en-US,en;q=0.9' });
    const arabic = await anonymous({ tenant: 'demo', lang: 'ar-EG' });
    expect(en.body.errors![0].message).toBe('Authentication required');
    expect(arabic.body.errors![0].message).toBe(ar['Authentication required']);
    expect(arabic.body.errors![0].extensions!.code).toBe(en.body.errors![0].extensions!.code);
    expect(arabic.headers['content-language']).toBe('ar');
  });

  it("falls back to the school's language (demo: Arabic, nile: English)", async () => {
    expect((await anonymous({ tenant: 'demo' })).body.errors![0].message).toBe(ar['Authentication required']);
    expect((await anonymous({ tenant: 'nile' })).body.errors![0].message).toBe('Authentication required');
  });

  it("uses the signed-in person's language over the school's", async () => {
    // A teacher of the Arabic school who chose English.
    const em = stack.service<SubgraphService>('users').orm().em.fork();
    await em.getConnection().execute("update user set locale = 'EN' where email = 'teacher@demo.test'");
    const { accessToken } = await stack.login('teacher@demo.test');
    const query = '{ enroll(courseId: "00000000-0000-4000-8000-000000000000", studentId: "x") { id } }'.replace(
      '{ enroll',
      'mutation { enroll',
    );
    const english = await stack.gql(query, { tenant: 'demo', token: accessToken, headers: { 'accept-language': '' } });
    const arabic = await stack.gql(query, { tenant: 'demo', token: accessToken, headers: { 'accept-language': 'ar' } });
    expect(english.headers['content-language']).toBe('en');
    expect(english.body.errors![0].message).toMatch(/[a-z]/i);
    expect(arabic.body.errors![0].message).toBe(translate(english.body.errors![0].message, 'ar'));
    expect(arabic.body.errors![0].message).not.toBe(english.body.errors![0].message);
    expect(arabic.body.errors![0].extensions!.code).toBe(english.body.errors![0].extensions!.code);
  });

  it('translates errors raised before execution (an unknown school)', async () => {
    const r = await stack.gql('{ school { name } }', { tenant: 'no-such-school', headers: { 'accept-language': 'ar' } });
    expect(r.body.errors![0].extensions!.code).toBe('TENANT_NOT_FOUND');
    expect(r.body.errors![0].message).toBe(translate('Unknown school "no-such-school"', 'ar'));
    expect(r.body.errors![0].message).not.toMatch(/Unknown school/);
  });
});
