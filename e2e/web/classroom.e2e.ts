import type { Browser } from 'playwright-core';
import { DEMO } from '../../platform/demo';
import { DEMO_COURSES } from '../../subgraphs/courses/seed';
import { enroll, inviteStudent, login, scheduleSession } from './support/api';
import { closeAll, launchBrowser, signedIn, startWebApp, WAIT_MS, type Person, type WebApp } from './support/browser';
import {
  arrivalOf,
  chatLog,
  chatTexts,
  logIds,
  lostBannerCount,
  openClassroom,
  recordArrivals,
  sendChat,
  waitForChat,
  waitForHands,
  waitForParticipants,
  waitForText,
} from './support/classroom';

/**
 * The live classroom in real browsers: the demo teacher and two students (the demo one and one
 * invited for the test) in three browser contexts, each signed in through the sign-in page, in one
 * session of the demo Arabic course (free: the math one is sold through plans, so nobody is enrolled by hand). Each sees the others' chat, hands and votes; a student
 * whose network is cut for 5 s, and one who reloads, see every message exactly once, in order.
 *
 * No timing assertion: every wait is generous; how long each message took from being sent to being
 * shown in each other browser is measured and printed (the issue asks for "within a second").
 */
jest.setTimeout(300_000);

const TEACHER = DEMO.users.demoTeacher;
const MARIAM = DEMO.users.demoStudent;
const KARIM = { email: `karim.${Date.now()}@demo.test`, displayName: 'Karim Nabil', password: 'karim-pass-2026' };
const TITLE = 'Browser test: fractions';

interface Delivery {
  message: string;
  from: string;
  to: string;
  ms: number;
  note?: string;
}

describe('live classroom in the browser (teacher and two students)', () => {
  let app: WebApp;
  let browser: Browser;
  let sessionId: string;
  let teacher: Person;
  let mariam: Person;
  let karim: Person;
  let karimId: string;
  const deliveries: Delivery[] = [];
  const everyone = () => [
    { name: 'teacher', person: teacher },
    { name: 'Mariam', person: mariam },
    { name: 'Karim', person: karim },
  ];

  /** Sends `text` from `from`, waits until every browser shows it, and records how long each took. */
  async function chat(fromName: string, text: string, note?: string) {
    const from = everyone().find((p) => p.name === fromName)!.person;
    const sentAt = await sendChat(from.page, text);
    for (const { name, person } of everyone()) {
      await waitForChat(person.page, text);
      deliveries.push({
        message: text,
        from: fromName,
        to: name === fromName ? `${name} (own echo)` : name,
        ms: (await arrivalOf(person.page, text)) - sentAt,
        note,
      });
    }
  }

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    const admin = await login(app.graphql, DEMO.users.demoAdmin.email);
    karimId = await inviteStudent(app.graphql, admin.token, KARIM.email, KARIM.displayName, KARIM.password);
    const teacherApi = await login(app.graphql, TEACHER.email);
    await enroll(app.graphql, teacherApi.token, DEMO_COURSES.arabic.id, karimId);
    sessionId = await scheduleSession(app.graphql, teacherApi.token, DEMO_COURSES.arabic.id, TITLE);
    [teacher, mariam, karim] = await Promise.all([
      signedIn(browser, app, { email: TEACHER.email }),
      signedIn(browser, app, { email: MARIAM.email }),
      signedIn(browser, app, { email: KARIM.email, password: KARIM.password }),
    ]);
    await Promise.all([teacher, mariam, karim].map((p) => recordArrivals(p.context)));
  }, 240_000);

  afterAll(async () => {
    if (deliveries.length) {
      console.log(
        'Chat delivery, send → shown in each browser (ms):\n' +
          deliveries
            .map((d) => `${d.ms.toString().padStart(6)}  ${d.from} → ${d.to}: "${d.message}"${d.note ? `  [${d.note}]` : ''}`)
            .join('\n'),
      );
      const live = deliveries.filter((d) => !d.note && !d.to.includes('own echo')).map((d) => d.ms);
      if (live.length) {
        const sorted = [...live].sort((a, b) => a - b);
        const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
        console.log(`to other browsers: n=${sorted.length} median=${p(0.5)} ms p90=${p(0.9)} ms max=${sorted.at(-1)} ms`);
      }
    }
    for (const p of [teacher, mariam, karim]) if (p?.problems.length) console.log('browser problems:', p.problems.slice(0, 20));
    await closeAll([teacher, mariam, karim]);
    await browser?.close();
    await app?.stop();
  });

  it('the teacher starts the session from the classroom page and everyone joins through the UI', async () => {
    await Promise.all([teacher, mariam, karim].map((p) => openClassroom(p.page, sessionId)));
    await mariam.page.getByText('The session has not started yet', { exact: false }).waitFor();
    await teacher.page.getByRole('button', { name: 'Start the session' }).click();
    for (const p of [teacher, mariam, karim]) {
      await waitForText(p.page, '[data-testid="session-status"]', 'Live');
      await waitForParticipants(p.page, [TEACHER.displayName, MARIAM.displayName, KARIM.displayName]);
    }
    expect(await teacher.page.locator('h1').textContent()).toBe(TITLE);
  });

  it('each sees the others’ chat messages, in the same order', async () => {
    await chat('teacher', 'Good morning, class!');
    await chat('Mariam', 'Good morning, sir.');
    await chat('Karim', 'صباح الخير يا أستاذ');
    await chat('teacher', 'Today: adding fractions.');
    const texts = await chatTexts(teacher.page);
    expect(texts).toEqual(['Good morning, class!', 'Good morning, sir.', 'صباح الخير يا أستاذ', 'Today: adding fractions.']);
    expect(await chatTexts(mariam.page)).toEqual(texts);
    expect(await chatTexts(karim.page)).toEqual(texts);
  });

  it('raised hands show in order everywhere; a student lowers their own, the teacher lowers another’s', async () => {
    await mariam.page.getByRole('button', { name: 'Raise hand' }).click();
    await karim.page.getByRole('button', { name: 'Raise hand' }).click();
    for (const p of [teacher, mariam, karim]) await waitForHands(p.page, [MARIAM.displayName, KARIM.displayName]);
    await karim.page.getByRole('button', { name: 'Lower hand' }).click();
    for (const p of [teacher, mariam, karim]) await waitForHands(p.page, [MARIAM.displayName]);
    await teacher.page.getByRole('button', { name: `Lower ${MARIAM.displayName}’s hand` }).click();
    for (const p of [teacher, mariam, karim]) await waitForHands(p.page, []);
    expect(await mariam.page.getByRole('button', { name: 'Raise hand' }).getAttribute('aria-pressed')).toBe('false');
  });

  it('a poll: the teacher asks, students vote, counts are live for the teacher and shown to all when closed', async () => {
    const t = teacher.page;
    await t.getByLabel('Question').fill('What is 1/2 + 1/4?');
    await t.getByLabel('Option 1', { exact: true }).fill('3/4');
    await t.getByLabel('Option 2', { exact: true }).fill('2/6');
    await t.getByRole('button', { name: 'Add an option' }).click();
    await t.getByLabel('Option 3', { exact: true }).fill('1/8');
    await t.getByRole('button', { name: 'Start the poll' }).click();
    for (const s of [mariam, karim]) await s.page.getByRole('article', { name: 'What is 1/2 + 1/4?' }).waitFor();

    const vote = async (s: Person, option: string) => {
      const poll = s.page.getByRole('article', { name: 'What is 1/2 + 1/4?' });
      await poll.getByLabel(option, { exact: true }).check();
      await poll.getByRole('button', { name: 'Vote' }).click();
      await poll.getByText(`You voted: ${option}`).waitFor();
    };
    await vote(mariam, '3/4');
    await waitForText(t, '[data-testid="poll-counts"]', '3/4: 1');
    await waitForText(karim.page, '[data-testid="poll-votes"]', '1 vote');
    await vote(karim, '2/6');
    await waitForText(t, '[data-testid="poll-counts"]', '2/6: 1');
    for (const p of [teacher, mariam, karim]) await waitForText(p.page, '[data-testid="poll-votes"]', '2 votes');
    // Students do not see the counts per option while the poll is open (the server's rule).
    expect(await mariam.page.locator('[data-testid="poll-counts"]').count()).toBe(0);

    await t.getByRole('button', { name: 'End the poll' }).click();
    for (const s of [mariam, karim]) {
      await waitForText(s.page, '[data-testid="poll-counts"]', '3/4: 1');
      expect(await s.page.locator('[data-testid="poll-counts"]').textContent()).toContain('1/8: 0');
      await s.page.getByRole('article', { name: 'What is 1/2 + 1/4?' }).getByText('Closed').waitFor();
    }
  });

  it('reactions reach everyone', async () => {
    await karim.page.getByRole('button', { name: 'React with 👏' }).click();
    for (const p of [teacher, mariam, karim]) await chatLog(p.page).getByText(`${KARIM.displayName} reacted 👏`).waitFor();
  });

  it('a quiet room keeps its connections: no "connection lost" while nobody says anything for 15 s', async () => {
    // The gateway's keep-alive pings are WebSocket control frames the page never sees; the live
    // client pings on its own so that its silence watchdog (12 s) does not take quiet for dead.
    await teacher.page.waitForTimeout(15_000);
    for (const p of [teacher, mariam, karim]) expect(await lostBannerCount(p.page)).toBe(0);
  });

  it('a student whose network is cut for 5 s sees the banner, then every message sent meanwhile, in order, exactly once', async () => {
    const k = karim.page;
    // The page's live socket is what the cut must take down: once back, the page opens a new one.
    const reopened: string[] = [];
    k.on('websocket', (ws) => reopened.push(ws.url()));
    const cutAt = Date.now();
    await karim.context.setOffline(true);
    await k.getByTestId('connection-lost').waitFor({ timeout: WAIT_MS });
    expect(await k.getByTestId('connection-lost').textContent()).toBe('Connection lost. Reconnecting…');

    const meanwhile = ['While Karim is away (1)', 'While Karim is away (2)', 'While Karim is away (3)'];
    const sent: Record<string, number> = {};
    for (const [i, text] of meanwhile.entries()) {
      const from = i % 2 === 0 ? teacher : mariam;
      sent[text] = await sendChat(from.page, text);
      for (const p of [teacher, mariam]) await waitForChat(p.page, text);
    }
    // The cut is real: nothing sent meanwhile reached the offline browser.
    expect(await chatTexts(k)).not.toContain(meanwhile[0]);
    const rest = 5000 - (Date.now() - cutAt);
    if (rest > 0) await k.waitForTimeout(rest);

    await karim.context.setOffline(false);
    const backAt = Date.now();
    await k.getByTestId('connection-restored').waitFor({ timeout: WAIT_MS });
    expect(await k.getByTestId('connection-lost').count()).toBe(0);
    for (const text of meanwhile) await waitForChat(k, text);
    for (const text of meanwhile) {
      deliveries.push({
        message: text,
        from: 'teacher/Mariam',
        to: 'Karim',
        ms: (await arrivalOf(k, text)) - backAt,
        note: 'after reconnect: since back online',
      });
    }
    const all = await chatTexts(teacher.page);
    expect(all.slice(-3)).toEqual(meanwhile);
    expect(await chatTexts(k)).toEqual(all);
    const ids = await logIds(k);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(await logIds(teacher.page));
    // The banner clears by itself, and the connection carries live messages again.
    await k.getByTestId('connection-restored').waitFor({ state: 'detached', timeout: WAIT_MS });
    expect(reopened.length).toBeGreaterThan(0);
    await chat('Karim', 'I am back.');
  });

  it('a reload shows the whole chat so far, in order, exactly once, and the student is back in the room', async () => {
    const m = mariam.page;
    await m.reload();
    await chatLog(m).waitFor();
    const expected = await chatTexts(teacher.page);
    await waitForChat(m, expected.at(-1)!);
    expect(await chatTexts(m)).toEqual(expected);
    const ids = await logIds(m);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(await logIds(teacher.page));
    await waitForParticipants(teacher.page, [TEACHER.displayName, MARIAM.displayName, KARIM.displayName]);
    await m.getByLabel('Message', { exact: true }).waitFor();
    await chat('Mariam', 'Reloaded and still here.');
  });

  it('the teacher ends the session; the attendance list shows both students present', async () => {
    const t = teacher.page;
    await t.getByRole('button', { name: 'End the session' }).click();
    await t.getByRole('group', { name: 'End the session for everyone?' }).getByRole('button', { name: 'End the session' }).click();
    for (const p of [teacher, mariam, karim]) await waitForText(p.page, '[data-testid="session-status"]', 'Ended');
    for (const name of [MARIAM.displayName, KARIM.displayName]) {
      await t.locator('[data-testid="attendance"] tbody tr').filter({ hasText: name }).filter({ hasText: 'Present' }).waitFor();
    }
  });

  it('the parent sees the child’s attendance of that session', async () => {
    const parent = await signedIn(browser, app, { email: DEMO.users.demoParent.email });
    try {
      await parent.page.goto(`/parent/children/${MARIAM.id}`);
      const row = parent.page.locator('tr').filter({ has: parent.page.locator('th', { hasText: TITLE }) });
      await row.waitFor();
      expect(await row.textContent()).toContain('Present');
    } finally {
      await closeAll([parent]);
    }
  });
});
