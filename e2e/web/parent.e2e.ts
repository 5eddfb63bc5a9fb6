/**
 * The parent pages (web/src/pages/parent) in a real browser against `npm start`'s system: a parent
 * signs in and follows their child's attendance, progress and quiz results; cannot open a student
 * who is not theirs; and, without children, links one with a pairing code.
 * Build first: `npm run build`.
 */
import type { Browser, Page } from 'playwright-core';
import { DEMO } from '../../platform/demo';
import { call, inviteStudent, login, scheduleSession } from './support/api';
import { closeAll, launchBrowser, signedIn, startWebApp, WAIT_MS, type Person, type WebApp } from './support/browser';

jest.setTimeout(180_000);

const PASSWORD = 'parent-e2e-pass-1';
const STUDENT = DEMO.users.demoStudent;

/** What the child page shows in the row of `name` of the table under the heading `section` (its scroll region). */
async function rowCells(page: Page, section: string, name: string | RegExp): Promise<string[]> {
  const row = page.getByRole('region', { name: section }).getByRole('row', { name });
  await row.waitFor();
  return (await row.locator('th, td').allInnerTexts()).map((s) => s.trim());
}

describe('parent pages (browser)', () => {
  let app: WebApp;
  let browser: Browser;
  const people: Person[] = [];
  let teacher: string;
  let student: string;
  let admin: string;
  let math: { id: string; title: string; progress: number; quizId: string; quizTitle: string };
  let otherStudentId: string;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    [teacher, student, admin] = await Promise.all(
      ['teacher@demo.test', STUDENT.email, 'admin@demo.test'].map(async (email) => (await login(app.graphql, email)).token),
    );
    const mine = await call(app.graphql, '{ me { enrollments { progress course { id title quizzes { id title } } } } }', {}, student);
    const withQuiz = mine.me.enrollments.find((e: any) => e.course.quizzes.length > 0);
    math = {
      id: withQuiz.course.id,
      title: withQuiz.course.title,
      progress: withQuiz.progress,
      quizId: withQuiz.course.quizzes[0].id,
      quizTitle: withQuiz.course.quizzes[0].title,
    };
  }, 180_000);

  afterAll(async () => {
    await closeAll(people);
    await browser?.close();
    await app?.stop();
  });

  afterEach(() => {
    // Uncaught errors in the page fail the test that caused them (console 404s of missing icons are not ours).
    const crashes = people.flatMap((p) => p.problems.filter((m) => m.startsWith('pageerror')));
    expect(crashes).toEqual([]);
  });

  it("shows the child's live-session attendance, course progress and quiz results", async () => {
    // Through the API: a session of the child's course that the child joins and leaves, and a graded quiz.
    const title = `Revision ${Date.now()}`;
    const sessionId = await scheduleSession(app.graphql, teacher, math.id, title);
    await call(app.graphql, 'mutation($id: ID!) { startLiveSession(id: $id) { id } }', { id: sessionId }, teacher);
    await call(app.graphql, 'mutation($id: ID!) { joinLiveSession(id: $id) { id } }', { id: sessionId }, student);
    await call(app.graphql, 'mutation($id: ID!) { leaveLiveSession(id: $id) { id } }', { id: sessionId }, student);
    await call(app.graphql, 'mutation($id: ID!) { endLiveSession(id: $id) { id } }', { id: sessionId }, teacher);
    const attempt = await call(app.graphql, 'mutation($q: ID!) { startQuizAttempt(quizId: $q) { id } }', { q: math.quizId }, student);
    const graded = await call(
      app.graphql,
      'mutation($a: ID!) { submitQuizAttempt(attemptId: $a, answers: []) { score maxScore } }',
      { a: attempt.startQuizAttempt.id },
      student,
    );

    const parent = await signedIn(browser, app, { email: 'parent@demo.test' });
    people.push(parent);
    const { page } = parent;
    await page.waitForURL('**/parent');
    await page.getByRole('heading', { level: 1, name: 'My children' }).waitFor();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: STUDENT.displayName }) });
    await card.getByText('Courses: 2').waitFor();
    await card.getByText(/^Average progress: \d+%$/).waitFor();

    await page.getByRole('link', { name: STUDENT.displayName }).click();
    await page.waitForURL(`**/parent/children/${STUDENT.id}`);
    await page.getByRole('heading', { level: 1, name: STUDENT.displayName }).waitFor();

    const [session, course, , status, minutes] = await rowCells(page, 'Live session attendance', new RegExp(title));
    expect(session).toBe(title);
    expect(course).toBe(math.title);
    expect(['Present', 'Late']).toContain(status);
    expect(minutes).toMatch(/^(\d+ min|Under a minute)$/);

    const [, progressText] = await rowCells(page, 'Courses', new RegExp(math.title));
    expect(progressText).toBe(`${Math.round(math.progress * 100)}%`);
    const bar = page.getByRole('progressbar', { name: `Progress in ${math.title}` });
    expect(Number(await bar.getAttribute('value'))).toBeCloseTo(math.progress);

    const [quiz, quizCourse, , score] = await rowCells(page, 'Quiz results', new RegExp(math.quizTitle));
    expect([quiz, quizCourse]).toEqual([math.quizTitle, math.title]);
    expect(score).toBe(`${graded.submitQuizAttempt.score} / ${graded.submitQuizAttempt.maxScore}`);
  });

  it('refuses a student who is not theirs with a "not found" page and none of their data', async () => {
    const email = `other-${Date.now()}@demo.test`;
    otherStudentId = await inviteStudent(app.graphql, admin, email, 'Karim Other', PASSWORD);
    const parent = people[0] ?? (await signedIn(browser, app, { email: 'parent@demo.test' }));
    if (!people.includes(parent)) people.push(parent);
    const { page } = parent;
    for (const id of [otherStudentId, DEMO.users.demoTeacher.id, 'no-such-person']) {
      await page.goto(`/parent/children/${id}`);
      await page.getByRole('heading', { level: 1, name: 'Child not found' }).waitFor();
      await expect(page.getByRole('table').count()).resolves.toBe(0);
      await expect(page.getByText('Karim Other').count()).resolves.toBe(0);
      await expect(page.getByRole('link', { name: 'Back to my children' }).isVisible()).resolves.toBe(true);
    }
  });

  it('lets a parent without children link one with a pairing code, in Arabic at 360px', async () => {
    const stamp = Date.now();
    const invited = await call(
      app.graphql,
      'mutation($input: InviteUserInput!) { inviteUser(input: $input) { token } }',
      { input: { email: `parent-${stamp}@demo.test`, displayName: 'Hoda Parent', roles: ['PARENT'] } },
      admin,
    );
    await call(app.graphql, 'mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { user { id } } }', {
      t: invited.inviteUser.token,
      p: PASSWORD,
    });
    const childEmail = `child-${stamp}@demo.test`;
    const childId = await inviteStudent(app.graphql, admin, childEmail, 'Youssef Child', PASSWORD);
    const childToken = (await login(app.graphql, childEmail, PASSWORD)).token;

    const parent = await signedIn(browser, app, {
      email: `parent-${stamp}@demo.test`,
      password: PASSWORD,
      lang: 'ar',
      viewport: { width: 360, height: 800 },
    });
    people.push(parent);
    const { page } = parent;
    await page.waitForURL('**/parent');
    await page.getByRole('heading', { level: 2, name: 'لا يوجد ابن مرتبط بحسابك بعد' }).waitFor();
    const code = page.getByLabel('رمز الربط');

    // A wrong code: the form says so, in Arabic.
    await code.fill('AAAA-BBBB');
    await code.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'هذا الرمز غير صالح' }).waitFor();

    // The child's code, submitted from the keyboard: linked, and the child's card appears.
    const pairing = await call(app.graphql, 'mutation($s: ID!) { createPairingCode(studentId: $s) { code } }', { s: childId }, childToken);
    await code.fill(pairing.createPairingCode.code);
    await code.press('Enter');
    await page.getByRole('status').filter({ hasText: 'أصبح Youssef Child مرتبطًا بحسابك.' }).waitFor({ timeout: WAIT_MS });
    await page.getByRole('link', { name: 'Youssef Child' }).click();
    await page.getByRole('heading', { level: 1, name: 'Youssef Child' }).waitFor();
    await page.getByText('لم يلتحق بأي مقرر بعد.').waitFor();
    // Nothing sticks out sideways at 360px: wide tables scroll inside their own box.
    const [scrollWidth, innerWidth] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as number[];
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  });
});
