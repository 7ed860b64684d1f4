import type { Page } from 'playwright-core';
import { sampleKeys } from '../support/generated-keys.ts';
import type { ExtensionBrowser } from './support/browser.ts';
import { RealClipboard } from './support/clipboard.ts';
import { PasteGuardDialog, warningLevel, WarningCard, WARNING_SELECTOR, type Point } from './support/in-page.ts';
import { readWatch, watchPage } from './support/page-watch.ts';
import type { PopupPage } from './support/popup-page.ts';
import { describe, expect, test as base } from './support/fixtures.ts';

/**
 * A hostile relay against RelayGuard's in-page surfaces (issue 8): the fixture page
 * tests/e2e/fixtures/hostile-ui.test/ is a stock one-api "add channel" form whose own first
 * script (in its index.html) tries, as `?attack=<name>` says, to relabel, cover, hide, remove or
 * clickjack the warning and the paste question, the way an operator losing customers to the
 * warning would. Each test reproduces one attack in real Chromium and shows it fails; the last
 * ones keep what already held up (synthetic input, the page's capture-phase paste listener,
 * attributes on the host).
 *
 * RelayGuard's UI lives in closed shadow roots in the top layer; the tests reach it only through
 * the DevTools protocol and press its buttons with real pointer input (support/in-page.ts). What
 * the page itself achieved is read from `window.__hostile`, which that script keeps.
 */

const HOST = 'hostile-ui.test';
const KEY = sampleKeys.anthropic;
/** lib/page/arming.ts ARM_DELAY_MS: the buttons act only after the surface was seen whole this long. */
const ARM_DELAY_MS = 600;

interface HostileState {
  readonly reachedRoots: number;
  readonly relabelled: number;
  readonly removals: number;
  readonly modals: number;
  readonly capturedPastes: number;
  readonly clicks: readonly { at: number; target: string; isTrusted: boolean }[];
  readonly errors: readonly string[];
  readonly syntheticDone?: boolean;
  readonly attributesSet?: boolean;
}

const test = base
  .extend('clipboard', { scope: 'file' }, async ({ browser, server }, { onCleanup }) => {
    const clipboard = new RealClipboard(browser, server.port);
    onCleanup(() => clipboard.close());
    return clipboard;
  })
  /** The hostile page running `attack`, watched from its first script on, once its warning is attached. */
  .extend('openHostile', async ({ newTab }) => {
    return async (attack: string): Promise<Page> => {
      const page = await newTab();
      await watchPage(page);
      await page.goto(`http://${HOST}/?attack=${attack}`);
      return page;
    };
  });

const hostile = (page: Page) => page.evaluate(() => (window as unknown as { __hostile: HostileState }).__hostile);

/** What the page's own hit test finds at the centre and near each corner of the card (`host` when it is RelayGuard's). */
async function hitsOnCard(page: Page, card: WarningCard): Promise<string[]> {
  const centre = await card.waitShown();
  const box = await page.evaluate(
    ({ selector, centre }) => {
      const host = document.querySelector(selector);
      // The card's edges, found from the page the only way a page can: walking out from the centre while the hit stays the host.
      const edge = (dx: number, dy: number) => {
        let x = centre.x;
        let y = centre.y;
        while (document.elementFromPoint(x + dx, y + dy) === host) {
          x += dx;
          y += dy;
        }
        return dx !== 0 ? x : y;
      };
      return { left: edge(-1, 0), right: edge(1, 0), top: edge(0, -1), bottom: edge(0, 1) };
    },
    { selector: WARNING_SELECTOR, centre },
  );
  const points: Point[] = [centre, { x: box.left + 12, y: box.top + 12 }, { x: box.right - 12, y: box.top + 12 }, { x: box.left + 12, y: box.bottom - 12 }, { x: box.right - 12, y: box.bottom - 12 }];
  return page.evaluate(
    ({ selector, points }) => points.map(({ x, y }) => (document.elementFromPoint(x, y) === document.querySelector(selector) ? 'host' : String(document.elementFromPoint(x, y)?.id || document.elementFromPoint(x, y)?.tagName))),
    { selector: WARNING_SELECTOR, points },
  );
}

/** The notifications the extension has on screen, read from its service worker. */
async function notificationIds(browser: ExtensionBrowser): Promise<string[]> {
  const worker = await browser.serviceWorker();
  return worker.evaluate(async () => Object.keys(await (globalThis as unknown as { chrome: { notifications: { getAll(): Promise<Record<string, boolean>> } } }).chrome.notifications.getAll()));
}

/** Waits until the popup lists the page's conduct as a reason of its own; returns that reason's text. */
async function tamperReason(popup: PopupPage): Promise<string> {
  let text = '';
  await expect
    .poll(
      async () => {
        await popup.refresh();
        const reason = popup.page.locator('[data-testid="reason"][data-kind="tamper"]');
        text = (await reason.count()) === 1 ? ((await reason.textContent()) ?? '') : '';
        return text;
      },
      { timeout: 20_000, message: 'the popup never listed the page hiding the warning as a reason' },
    )
    .not.toBe('');
  return text;
}

/** The verdict shown where no page can reach: the popup's reason, the badge, one notification. */
async function expectShownOutsideThePage(browser: ExtensionBrowser, page: Page, popup: PopupPage, how: 'covering' | 'removing'): Promise<void> {
  const reason = await tamperReason(popup);
  expect(reason).toContain(HOST);
  expect(reason).toContain(`kept ${how} RelayGuard's warning`);
  expect(await popup.level()).toBe('unvetted');
  const tabId = await browser.tabIdOf(page);
  const badge = await browser.toolbarBadge(tabId);
  expect(badge.text).toBe('!');
  expect(badge.title).toContain(HOST);
  await expect.poll(() => notificationIds(browser), { timeout: 10_000 }).toContain(`relayguard-hidden-${tabId}`);
}

async function openQuestion(page: Page, clipboard: RealClipboard): Promise<PasteGuardDialog> {
  await expect.poll(() => warningLevel(page), { timeout: 10_000, message: 'the hostile page never got its unvetted warning' }).toBe('unvetted');
  const question = new PasteGuardDialog(page);
  await clipboard.paste(KEY, page.locator('#channel-key'));
  await question.waitShown();
  return question;
}

describe('relabelling the paste question', () => {
  test('a page that grabs shadow roots from its first script and restyles the question reaches nothing: the labels and "Don\'t paste" stay', async ({
    openHostile,
    clipboard,
  }) => {
    const page = await openHostile('relabel');
    const question = await openQuestion(page, clipboard);
    await expect.poll(async () => (await hostile(page)).errors, { timeout: 5_000 }).toContain('attachShadow: NotSupportedError');

    const seen = await hostile(page);
    expect(seen.reachedRoots).toBe(0);
    expect(seen.relabelled).toBe(0);
    expect(await page.evaluate((selector) => document.querySelector(selector)!.shadowRoot, '[data-relayguard="paste-guard"]')).toBeNull();
    expect(await question.pasteAnyway.textContent()).toBe('Paste anyway');
    expect(await question.cancel.textContent()).toBe("Don't paste");
    expect(await question.cancel.centre()).not.toBeNull();
    expect(await question.text()).not.toMatch(/verified|continue safely/i);
    await question.cancel.click();
    await question.waitClosed();
    expect(await page.locator('#channel-key').inputValue()).toBe('');
  });
});

describe('covering, clipping and removing the warning', () => {
  test('a later fixed element at the top z-index is drawn under the warning: still on top at its centre and corners, its buttons act', async ({ openHostile, openPopup }) => {
    const page = await openHostile('cover');
    const card = new WarningCard(page);
    await expect.poll(() => page.locator('#hostile-cover').count(), { timeout: 10_000 }).toBe(1);
    expect(await hitsOnCard(page, card)).toEqual(['host', 'host', 'host', 'host', 'host']);
    await card.waitArmed();
    const popup = await openPopup(page);
    await popup.waitForLevel('unvetted');
    expect(await popup.page.locator('[data-testid="reason"][data-kind="tamper"]').count()).toBe(0);
  });

  test('html { clip-path: inset(0 440px 0 0) } clips the page, not the warning', async ({ openHostile }) => {
    const page = await openHostile('clip-path');
    const card = new WarningCard(page);
    await expect.poll(() => warningLevel(page), { timeout: 10_000 }).toBe('unvetted');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).clipPath)).toBe('inset(0px 440px 0px 0px)');
    expect(await hitsOnCard(page, card)).toEqual(['host', 'host', 'host', 'host', 'host']);
    await card.waitArmed();
  });

  test('dialog.showModal() over the warning: RelayGuard stops fighting and shows the verdict in the toolbar, a notification and the popup', async ({
    openHostile,
    openPopup,
    browser,
  }) => {
    const page = await openHostile('modal');
    await expect.poll(async () => (await hostile(page)).modals, { timeout: 10_000 }).toBe(1);
    await expectShownOutsideThePage(browser, page, await openPopup(page), 'covering');
  });

  test('a modal dialog reopened whenever it closes: the same, and the page keeps its loop to itself', async ({ openHostile, openPopup, browser }) => {
    const page = await openHostile('modal-loop');
    await expectShownOutsideThePage(browser, page, await openPopup(page), 'covering');
  });

  test('a MutationObserver that removes the warning every time: it comes back at first, then the verdict goes where the page cannot reach', async ({
    openHostile,
    openPopup,
    browser,
  }) => {
    const page = await openHostile('remove-loop');
    await expectShownOutsideThePage(browser, page, await openPopup(page), 'removing');
    const removals = (await hostile(page)).removals;
    expect(removals).toBeGreaterThan(1);
    // Once it stopped fighting, it stays stopped: the page's loop has nothing left to remove.
    const watch = await readWatch(page);
    const added = watch.hosts.filter((event) => event.kind === 'warning' && event.type === 'added').length;
    expect(added).toBe(removals);
    expect(added).toBeLessThanOrEqual(21);
  });
});

describe('clickjacking the buttons', () => {
  test('a pointer-events:none decoy over "Paste anyway", clicked right after the question appears: the click does nothing', async ({ openHostile, clipboard }) => {
    const page = await openHostile('decoy');
    const question = await openQuestion(page, clipboard);
    const anyway = (await question.pasteAnyway.centre())!;
    await page.mouse.click(anyway.x, anyway.y);

    // The click reached the page while the question was newer than the arming delay (both on the page's clock).
    const shownAt = (await readWatch(page)).hosts.find((event) => event.kind === 'paste-guard' && event.type === 'added')!.at;
    const click = (await hostile(page)).clicks.find((entry) => entry.isTrusted && entry.target === 'paste-guard');
    expect(click, 'the real click never reached the page').toBeDefined();
    expect(click!.at - shownAt).toBeLessThan(ARM_DELAY_MS);
    expect(await page.locator('#hostile-decoy').count()).toBe(1);

    // Nothing happened: once the buttons act, the question is still there and the field empty.
    await question.waitArmed();
    expect(await question.host.count()).toBe(1);
    expect(await page.locator('#channel-key').inputValue()).toBe('');
    await question.cancel.click();
    await question.waitClosed();
    expect(await page.locator('#channel-key').inputValue()).toBe('');
  });

  test('a decoy in the top layer above the question keeps its buttons from ever acting, however long the person waits', async ({ openHostile, clipboard }) => {
    const page = await openHostile('top-layer-decoy');
    const question = await openQuestion(page, clipboard);
    await expect.poll(() => page.evaluate(() => document.getElementById('hostile-top-decoy')?.matches(':popover-open') ?? false), { timeout: 5_000 }).toBe(true);
    // Wait, on the page's own clock, well past the arming delay.
    const shownAt = (await readWatch(page)).hosts.find((event) => event.kind === 'paste-guard' && event.type === 'added')!.at;
    await expect.poll(async () => (await readWatch(page)).now - shownAt, { timeout: 10_000 }).toBeGreaterThan(4 * ARM_DELAY_MS);
    expect(await question.armed()).toBe(false);
    const anyway = (await question.pasteAnyway.centre())!;
    await page.mouse.click(anyway.x, anyway.y);
    expect((await hostile(page)).clicks.some((entry) => entry.isTrusted && entry.target === 'paste-guard')).toBe(true);

    // The page takes its decoy away: only now do the buttons act, and the click before did nothing.
    await page.evaluate(() => document.getElementById('hostile-top-decoy')!.hidePopover());
    await question.waitArmed();
    expect(await page.locator('#channel-key').inputValue()).toBe('');
    await question.cancel.click();
    await question.waitClosed();
  });

  test('the in-page warning offers no trust decision at all: no "Trust this site" or "Always allow" in page content', async ({ openHostile, openPopup }) => {
    const page = await openHostile('none');
    const card = new WarningCard(page);
    await card.waitShown();
    const markup = await card.markup();
    expect(markup).toContain('data-testid="warning-dismiss"');
    expect(markup).not.toContain('warning-trust');
    expect(await card.text('.rg-actions')).not.toMatch(/trust|allow/i);
    // The decision lives in the popup, which no page can reach.
    const popup = await openPopup(page);
    await popup.waitForLevel('unvetted');
    expect(await popup.page.locator('[data-testid="trust-site"]').count()).toBe(1);
  });
});

describe('what held up keeps holding', () => {
  test('synthetic clicks and key presses on the paste question are ignored', async ({ openHostile, clipboard }) => {
    const page = await openHostile('synthetic-input');
    const question = await openQuestion(page, clipboard);
    await expect.poll(async () => (await hostile(page)).syntheticDone ?? false, { timeout: 5_000 }).toBe(true);
    await question.waitArmed();
    expect(await question.host.count()).toBe(1);
    expect(await page.locator('#channel-key').inputValue()).toBe('');
    await question.pasteAnyway.click();
    await question.waitClosed();
    expect(await page.locator('#channel-key').inputValue()).toBe(KEY);
  });

  test("the page's own capture-phase paste listener, registered first, never sees a held key", async ({ openHostile, clipboard }) => {
    const page = await openHostile('capture');
    const question = await openQuestion(page, clipboard);
    await question.cancel.click();
    await question.waitClosed();
    expect((await hostile(page)).capturedPastes).toBe(0);
    // The listener is live: text without a key reaches it.
    await clipboard.paste('a channel for the writing team', page.locator('#channel-name'));
    await expect.poll(async () => (await hostile(page)).capturedPastes, { timeout: 5_000 }).toBe(1);
  });

  test('inert, popover and display:none put on the host are undone: the warning stays on top and its buttons act', async ({ openHostile }) => {
    const page = await openHostile('host-attributes');
    const card = new WarningCard(page);
    await expect.poll(async () => (await hostile(page)).attributesSet ?? false, { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.evaluate((selector) => document.querySelector(selector)!.hasAttribute('inert'), WARNING_SELECTOR), { timeout: 5_000 }).toBe(false);
    expect(await page.evaluate((selector) => getComputedStyle(document.querySelector(selector)!).display, WARNING_SELECTOR)).not.toBe('none');
    expect(await hitsOnCard(page, card)).toEqual(['host', 'host', 'host', 'host', 'host']);
    await card.waitArmed();
  });
});
