import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO } from '../../platform/demo';
import { startTestProviders, type TestProviders } from '../../testkit/billing';
import { closeAll, launchBrowser, signedIn, startWebApp, WAIT_MS, type Person, type WebApp } from './support/browser';

/**
 * The billing and messaging pages in a real browser, against `npm start`'s system from dist/ with
 * loopback stand-ins of Paymob and Fawry (embedded mode configures no provider by default).
 * Selectors are the pages' English accessible names.
 */
describe('web app: billing and messaging (Chromium)', () => {
  let providers: TestProviders;
  let app: WebApp;
  let browser: Browser;
  const people: Person[] = [];
  beforeAll(async () => {
    providers = await startTestProviders();
    app = await startWebApp(providers.env);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await closeAll(people);
    await browser?.close();
    await app?.stop();
    await providers?.close();
  });

  const person = async (email: string) => {
    const p = await signedIn(browser, app, { email });
    people.push(p);
    return p;
  };
  /** The texts of a conversation's messages, as the log lists them. */
  const log = (page: Page) => page.getByRole('log', { name: 'Messages' });
  const messageItems = (page: Page, text: string) => log(page).getByRole('listitem').filter({ hasText: text });
  const shown = (locator: Locator) => locator.first().waitFor({ state: 'visible', timeout: WAIT_MS });

  it('a parent subscribes their child to a plan with Fawry and sees the reference number and its expiry', async () => {
    const parent = await person(DEMO.users.demoParent.email);
    const { page } = parent;
    await page.goto('/billing');
    // Names inside sentences are bidi-isolated (U+2068 … U+2069): hence the `.?` around them.
    await page.getByRole('button', { name: /^Subscribe to .?Mathematics, Grade 8 — one term.?$/ }).click();
    const form = page.getByRole('region', { name: /^Subscribe to .?Mathematics, Grade 8 — one term.?$/ });
    // The parent's only child is chosen for them.
    await shown(form.getByText(new RegExp(`^For: .?${DEMO.users.demoStudent.displayName}.?$`)));
    await form.getByLabel('Fawry reference number (pay in cash at a Fawry point)').check();
    await form.getByRole('button', { name: 'Continue to payment' }).click();

    const reference = form.getByTestId('fawry-reference');
    await shown(reference);
    const orders = [...providers.fawry.orders.values()];
    expect(orders).toHaveLength(1);
    expect((await reference.textContent())?.trim()).toBe(orders[0].referenceNumber);
    expect(orders[0].paymentMethod).toBe('PAYATFAWRY');
    await shown(form.getByText(/^Pay before .+\. After that the number stops working/));
    await shown(form.getByText(/^Amount to pay: EGP.400\.00$/));

    // The payment is listed, waiting, with its reference.
    const payments = page.getByRole('region', { name: 'Payments' });
    const row = payments.getByRole('row').filter({ hasText: 'Mathematics, Grade 8 — one term' });
    await shown(row.getByText('Awaiting payment'));
    await shown(row.getByText(`Reference ${orders[0].referenceNumber}`, { exact: false }));
    await shown(row.getByText('Reference number', { exact: true }));
  }, 120_000);

  it('a parent and the teacher write to each other: each sees the new messages live, the unread badge, and no message twice', async () => {
    const parent = await person(DEMO.users.demoParent.email);
    const teacher = await person(DEMO.users.demoTeacher.email);
    const subject = `Homework of week ${Date.now()}`;

    // The parent starts a conversation with the teacher of their child's course.
    await parent.page.goto('/messages');
    await parent.page.getByRole('button', { name: 'New conversation' }).click();
    await parent.page.getByLabel(DEMO.users.demoTeacher.displayName).check();
    await parent.page.getByLabel('Subject').fill(subject);
    await parent.page.getByLabel('Message', { exact: true }).fill('Hello, how is Mariam doing with the equations?');
    await parent.page.getByRole('button', { name: 'Send and start' }).click();
    await parent.page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    await shown(messageItems(parent.page, 'how is Mariam doing'));

    // The teacher's list shows it unread; opening it marks it read.
    await teacher.page.goto('/messages');
    const item = teacher.page.getByRole('listitem').filter({ hasText: subject });
    await shown(item.getByRole('img', { name: '1 unread' }));
    await item.getByRole('link', { name: subject }).click();
    await shown(messageItems(teacher.page, 'how is Mariam doing'));

    // The teacher answers: the parent, on the conversation, sees it arrive (and marks it read); the teacher sees it once.
    const parentReads = parent.page.waitForResponse((r) => !!r.request().postData()?.includes('MessagingMarkRead'), { timeout: WAIT_MS });
    await teacher.page.getByLabel('Your message').fill('She is doing well: reply one.');
    await teacher.page.getByRole('button', { name: 'Send', exact: true }).click();
    await shown(messageItems(parent.page, 'reply one'));
    await parentReads;
    await shown(messageItems(teacher.page, 'reply one'));
    expect(await messageItems(teacher.page, 'reply one').count()).toBe(1);

    // The parent goes back to the list (read by now); a new message of the teacher's shows as unread there, live.
    await parent.page.getByRole('link', { name: 'All conversations' }).click();
    const parentItem = parent.page.getByRole('listitem').filter({ hasText: subject });
    await shown(parentItem.getByRole('link', { name: subject }));
    expect(await parentItem.getByRole('img', { name: /unread/ }).count()).toBe(0);
    await teacher.page.getByLabel('Your message').fill('Reply two: practise page 12.');
    await teacher.page.getByRole('button', { name: 'Send', exact: true }).click();
    await shown(parentItem.getByRole('img', { name: '1 unread' }));

    // The parent opens it and answers; the teacher, still on the conversation, sees it live.
    await parentItem.getByRole('link', { name: subject }).click();
    await shown(messageItems(parent.page, 'practise page 12'));
    await parent.page.getByLabel('Your message').fill('Thank you, we will: answer three.');
    await parent.page.getByRole('button', { name: 'Send', exact: true }).click();
    await shown(messageItems(teacher.page, 'answer three'));
    await shown(messageItems(parent.page, 'answer three'));
    expect(await messageItems(parent.page, 'answer three').count()).toBe(1);
    // Oldest first.
    const texts = await log(teacher.page).getByRole('listitem').allTextContents();
    const order = ['how is Mariam doing', 'reply one', 'practise page 12', 'answer three'].map((s) =>
      texts.findIndex((t) => t.includes(s)),
    );
    expect(order).toEqual([0, 1, 2, 3]);
  }, 180_000);
});
