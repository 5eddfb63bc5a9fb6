/** Reading and driving the live classroom page (web/src/pages/classroom) from a test, in English. */
import type { BrowserContext, Page } from 'playwright-core';
import { WAIT_MS } from './browser';

/** The little of the DOM the functions below use in the page (the server's type checking has no DOM types). */
interface InPage {
  __arrivals: Record<string, number>;
  __bannerShown: number;
  document: { querySelectorAll(selector: string): Iterable<{ textContent: string | null }> };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: Record<string, boolean>): void };
}

/**
 * Records, in the page, each time "Connection lost" shows, and when each chat message first appears (`Date.now()`, the same clock as the
 * test's), from every page load on: what the delivery figures are computed from.
 */
export async function recordArrivals(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = globalThis as unknown as InPage;
    const seen: Record<string, number> = {};
    w.__arrivals = seen;
    w.__bannerShown = 0;
    let shown = false;
    new w.MutationObserver(() => {
      const lost = [...w.document.querySelectorAll('[data-testid="connection-lost"]')].length > 0;
      if (lost && !shown) w.__bannerShown++;
      shown = lost;
      for (const el of w.document.querySelectorAll('li[data-kind="CHAT_MESSAGE"] .chat-text')) {
        const text = el.textContent ?? '';
        if (!(text in seen)) seen[text] = Date.now();
      }
    }).observe(w.document, { childList: true, subtree: true, characterData: true });
  });
}

/** How many times the page showed "Connection lost" since it loaded. */
export const lostBannerCount = (page: Page) => page.evaluate(() => (globalThis as unknown as InPage).__bannerShown);

export const arrivalOf = (page: Page, text: string) => page.evaluate((t) => (globalThis as unknown as InPage).__arrivals[t], text);

export const chatLog = (page: Page) => page.getByRole('log');

/** The chat messages shown, in order. */
export const chatTexts = (page: Page) => chatLog(page).locator('li[data-kind="CHAT_MESSAGE"] .chat-text').allTextContents();

/** The ids of every event the log shows (chat, reactions, notices), in order. */
export const logIds = (page: Page) =>
  chatLog(page)
    .locator('li[data-event-id]')
    .evaluateAll((items) => items.map((li) => li.getAttribute('data-event-id')!));

export async function openClassroom(page: Page, sessionId: string): Promise<void> {
  await page.goto(`/classroom/${sessionId}`);
  await chatLog(page).waitFor();
}

/** Types a message and sends it with Enter; resolves with the time it was sent. */
export async function sendChat(page: Page, text: string): Promise<number> {
  const box = page.getByLabel('Message', { exact: true });
  await box.fill(text);
  const sentAt = Date.now();
  await box.press('Enter');
  return sentAt;
}

export const waitForChat = (page: Page, text: string) => chatLog(page).getByText(text, { exact: true }).waitFor({ timeout: WAIT_MS });

/** Waits until the room's participant list shows exactly these names. */
export async function waitForParticipants(page: Page, names: string[]): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const shown = [...(globalThis as unknown as InPage).document.querySelectorAll('[data-testid="participants"] li')].map(
        (li) => li.textContent ?? '',
      );
      return shown.length === expected.length && expected.every((n) => shown.some((s) => s.includes(n)));
    },
    names,
    { timeout: WAIT_MS },
  );
}

/** Waits until the raised hands list shows exactly these names, in this order. */
export async function waitForHands(page: Page, names: string[]): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const shown = [...(globalThis as unknown as InPage).document.querySelectorAll('[data-testid="raised-hands"] li > span')].map(
        (li) => li.textContent ?? '',
      );
      return shown.length === expected.length && expected.every((n, i) => shown[i].includes(n));
    },
    names,
    { timeout: WAIT_MS },
  );
}

/** Waits until some element matching `selector` contains `text`. */
export async function waitForText(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).filter({ hasText: text }).first().waitFor({ timeout: WAIT_MS });
}
