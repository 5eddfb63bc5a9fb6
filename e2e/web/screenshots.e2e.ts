import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { DEMO } from '../../platform/demo';
import { DEMO_COURSES } from '../../subgraphs/courses/seed';
import { call, login, scheduleSession } from './support/api';
import { closeAll, launchBrowser, signedIn, startWebApp, type Person, type WebApp } from './support/browser';
import { openClassroom, sendChat, waitForChat, waitForParticipants } from './support/classroom';

/**
 * The live classroom in both directions: Arabic (right to left) and English, at a desktop width and
 * at 360px. With WRITE_SCREENSHOTS=1 it also writes docs/screenshots/classroom-ar.png and
 * classroom-en.png (the teacher's view of a running class). Build first: `npm run build`.
 */
jest.setTimeout(180_000);

const OUT = path.resolve(__dirname, '../../docs/screenshots');

describe('live classroom screenshots (Arabic and English)', () => {
  let app: WebApp;
  let browser: Browser;
  let sessionId: string;
  const people: Person[] = [];

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    const teacher = await login(app.graphql, DEMO.users.demoTeacher.email);
    sessionId = await scheduleSession(app.graphql, teacher.token, DEMO_COURSES.arabic.id, 'مراجعة مباشرة: الإعراب');
    await call(app.graphql, 'mutation($id: ID!) { startLiveSession(id: $id) { id } }', { id: sessionId }, teacher.token);
  }, 150_000);

  afterAll(async () => {
    await closeAll(people);
    await browser?.close();
    await app?.stop();
  });

  it('renders right to left in Arabic and left to right in English, without overflowing 360px', async () => {
    const [teacherAr, teacherEn, student] = await Promise.all([
      signedIn(browser, app, { email: DEMO.users.demoTeacher.email, lang: 'ar' }),
      signedIn(browser, app, { email: DEMO.users.demoTeacher.email, lang: 'en' }),
      signedIn(browser, app, { email: DEMO.users.demoStudent.email, lang: 'en', viewport: { width: 360, height: 740 } }),
    ]);
    people.push(teacherAr, teacherEn, student);
    await Promise.all([teacherAr, teacherEn, student].map((p) => openClassroom(p.page, sessionId)));
    await waitForParticipants(teacherEn.page, [DEMO.users.demoTeacher.displayName, DEMO.users.demoStudent.displayName]);

    // A class under way: chat in both languages, a raised hand, a poll with a vote.
    await sendChat(teacherEn.page, 'أهلًا بكم! نبدأ بالمبتدأ والخبر.');
    await sendChat(student.page, 'Good morning! I am ready.');
    await waitForChat(teacherAr.page, 'Good morning! I am ready.');
    await student.page.getByRole('button', { name: 'Raise hand' }).click();
    const t = teacherEn.page;
    await t.getByLabel('Question').fill('ما إعراب «الطالبُ» في: الطالبُ مجتهدٌ؟');
    await t.getByLabel('Option 1', { exact: true }).fill('مبتدأ مرفوع');
    await t.getByLabel('Option 2', { exact: true }).fill('خبر مرفوع');
    await t.getByRole('button', { name: 'Start the poll' }).click();
    const poll = student.page.getByRole('article', { name: 'ما إعراب «الطالبُ» في: الطالبُ مجتهدٌ؟' });
    await poll.getByLabel('مبتدأ مرفوع', { exact: true }).check();
    await poll.getByRole('button', { name: 'Vote' }).click();
    for (const p of [teacherAr, teacherEn])
      await p.page
        .locator('[data-testid="poll-counts"]')
        .filter({ hasText: '١' })
        .or(p.page.locator('[data-testid="poll-counts"]').filter({ hasText: ': 1' }))
        .first()
        .waitFor();
    await teacherAr.page.locator('[data-testid="raised-hands"]').waitFor();

    const dirLang = (p: Person) => p.page.locator('html').evaluate((html) => [html.getAttribute('dir'), html.getAttribute('lang')]);
    expect(await dirLang(teacherAr)).toEqual(['rtl', 'ar']);
    expect(await dirLang(teacherEn)).toEqual(['ltr', 'en']);
    expect(await teacherAr.page.locator('h2').first().textContent()).toBe('المحادثة');
    expect(await teacherEn.page.locator('h2').first().textContent()).toBe('Chat');

    // 360px wide, both directions: nothing wider than the screen (the failure names what sticks out).
    const overflowing = (p: Person) =>
      p.page.locator('html').evaluate((html) => {
        const width = html.clientWidth;
        const out: string[] = [];
        for (const el of html.querySelectorAll('body *')) {
          const box = el.getBoundingClientRect();
          // The skip link waits off-screen on purpose; scrolling boxes (tables, the chat log) hold their own.
          if (el.closest('.skip-link, .table-scroll, [role="log"]')) continue;
          if (box.width > 0 && (box.right > width + 1 || box.left < -1)) {
            out.push(`${el.tagName.toLowerCase()}.${el.className} [${Math.round(box.left)}..${Math.round(box.right)}]`);
          }
        }
        return out.slice(0, 10);
      });
    expect(await overflowing(student)).toEqual([]);
    await teacherAr.page.setViewportSize({ width: 360, height: 740 });
    expect(await overflowing(teacherAr)).toEqual([]);

    if (process.env.WRITE_SCREENSHOTS === '1') {
      mkdirSync(OUT, { recursive: true });
      await teacherAr.page.setViewportSize({ width: 1280, height: 900 });
      for (const [p, file] of [
        [teacherAr, 'classroom-ar.png'],
        [teacherEn, 'classroom-en.png'],
      ] as const) {
        await p.page.getByRole('log').evaluate((el) => (el.scrollTop = el.scrollHeight));
        await p.page.screenshot({ path: path.join(OUT, file), fullPage: true });
      }
    }
  });
});
