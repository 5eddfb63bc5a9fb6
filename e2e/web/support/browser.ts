/**
 * Browser tests drive the system Chromium (`apt-get install chromium`; CHROMIUM_PATH overrides
 * /usr/bin/chromium) through playwright-core, against the app `npm start` serves from dist/
 * (build first: `npm run build`). One browser per test file, one context (cookies, storage,
 * network) per person, signed in through the sign-in page as a person would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO } from '../../../platform/demo';
import { startProcess, STARTED, type RunningProcess } from '../../support/process';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Headless, and nothing that would reach beyond loopback (updates, sync, safe browsing lists). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Waits in browser tests: generous, since a loaded CI machine is slow; never a timing assertion. */
export const WAIT_MS = 30_000;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface WebApp {
  /** Where the gateway serves the web app, e.g. http://localhost:41234 */
  base: string;
  /** Its GraphQL endpoint, for test setup through the API. */
  graphql: string;
  process: RunningProcess;
  stop(): Promise<void>;
}

/**
 * `npm start`'s system (embedded mode) from dist/, on a fresh data folder and a free port
 * (PORT=0: the gateway picks one and prints it in "El-Manassa is up: …").
 */
export async function startWebApp(extraEnv: Record<string, string> = {}): Promise<WebApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'manassa-web-'));
  const proc = await startProcess(
    'scripts/start.js',
    { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'development', ...extraEnv },
    STARTED,
    120_000,
  );
  const graphql = proc.url.replace('://localhost', '://127.0.0.1');
  return {
    base: new URL(graphql).origin,
    graphql,
    process: proc,
    async stop() {
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Browser console errors and page crashes, for a failure's message. */
  problems: string[];
}

export interface PersonOptions {
  email: string;
  password?: string;
  school?: string;
  /** The interface language, as if the person had chosen it (default English, which the tests' selectors use). */
  lang?: 'ar' | 'en';
  viewport?: { width: number; height: number };
}

/** A new browser context for one person, the language chosen, on the sign-in page. */
export async function openContext(browser: Browser, app: WebApp, opts: Omit<PersonOptions, 'email'> = {}): Promise<Person> {
  const context = await browser.newContext({ baseURL: app.base, viewport: opts.viewport ?? { width: 1280, height: 900 } });
  // Runs in the page (the server's type checking has no DOM types).
  await context.addInitScript(
    (lang) =>
      (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('manassa.lang', lang),
    opts.lang ?? 'en',
  );
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  return { context, page, problems };
}

/** Signs in through the sign-in page (school, email, password) and waits to leave it. */
export async function signIn(person: Person, opts: PersonOptions): Promise<void> {
  const { page } = person;
  await page.goto('/signin');
  await page.locator('input[name="school"]').fill(opts.school ?? 'demo');
  await page.locator('input[name="email"]').fill(opts.email);
  await page.locator('input[name="password"]').fill(opts.password ?? DEMO.password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: WAIT_MS });
}

/** openContext + signIn. */
export async function signedIn(browser: Browser, app: WebApp, opts: PersonOptions): Promise<Person> {
  const person = await openContext(browser, app, opts);
  await signIn(person, opts);
  return person;
}

export async function closeAll(people: (Person | undefined)[]): Promise<void> {
  await Promise.all(people.map((p) => p?.context.close().catch(() => undefined)));
}
