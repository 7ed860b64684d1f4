import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchExtensionBrowser, type ExtensionBrowser, type LaunchOptions } from './support/browser.ts';
import { WARNING_SELECTOR } from './support/in-page.ts';
import { firstAdded, readWatch, watchPage } from './support/page-watch.ts';
import { pollUntil } from './support/poll.ts';
import { HOSTS } from './support/sites.ts';
import { describe, expect, test } from './support/fixtures.ts';

/**
 * The first page after a start (issue 10): a relay page that is the browser's first page must be
 * warned exactly as on a warm start, within 2 s of DOMContentLoaded (docs/test-contract.md, "In-page
 * warning"). The page loads while the extension's service worker is still starting, so its commit
 * may reach no listener of the worker's, and its report may arrive before anything is known of
 * the tab; before the fix this left a stock one-api page `unknown` in 5 of 12 browser starts.
 * Each case repeats enough times to catch such a race. Each browser here is launched by the test
 * itself, on a profile that outlives one launch (a restart is the same profile launched again).
 */

const RELAY_URL = `http://${HOSTS.oneApi}/`;
/** docs/test-contract.md: the warning appears at most 2 s after DOMContentLoaded. */
const CONTRACT_MS = 2_000;
/** How long a test waits for the warning before failing with what it saw (well past the contract). */
const WAIT_MS = 15_000;
const RESTARTS = 4;
const UPDATES = 3;
/** Attempts on which Chromium did not load the extension again that the update test tolerates. */
const MAX_RELOADS_LOST = 3;

declare const chrome: { runtime: { reload(): void } };

/** A profile the test keeps across launches; removed after the test. */
function profile(onCleanup: (cleanup: () => void) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'relayguard-e2e-start-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }));
  return dir;
}

/** Launches a browser, runs `use` with it and closes it, whatever happens. */
async function withBrowser<T>(options: LaunchOptions, use: (browser: ExtensionBrowser) => Promise<T>): Promise<T> {
  const browser = await launchExtensionBrowser(options);
  try {
    return await use(browser);
  } finally {
    await browser.close();
  }
}

/** Waits for the warning the page watch recorded, and answers how long after DOMContentLoaded it came. */
async function warnedAfterDomContentLoaded(page: Page, label: string): Promise<number> {
  const watch = await pollUntil(
    () => readWatch(page),
    (seen) => seen.domContentLoaded !== null && firstAdded(seen, 'warning') !== null,
    { timeout: WAIT_MS, message: `${label}: no in-page warning on ${RELAY_URL}` },
  );
  const warning = firstAdded(watch, 'warning')!;
  expect(warning.level, label).toBe('unvetted');
  return warning.at - watch.domContentLoaded!;
}

/**
 * For a page the browser opened itself (a restored tab), where no script of the test ran first:
 * polls the page and answers an upper bound of how long after DOMContentLoaded the warning came.
 */
async function warningSeenAfterDomContentLoaded(page: Page, label: string): Promise<number> {
  const seen = await pollUntil(
    () =>
      page.evaluate((selector) => {
        const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        const level = document.querySelector(selector)?.getAttribute('data-level') ?? null;
        return { level, now: performance.now(), domContentLoaded: navigation && navigation.domContentLoadedEventStart > 0 ? navigation.domContentLoadedEventStart : null };
      }, WARNING_SELECTOR),
    (value) => value.level !== null && value.domContentLoaded !== null,
    { timeout: WAIT_MS, interval: 50, message: `${label}: no in-page warning on the restored ${RELAY_URL}` },
  );
  expect(seen.level, label).toBe('unvetted');
  return seen.now - seen.domContentLoaded!;
}

/** The popup's verdict for the page's tab, from the worker that judged it. */
async function tabLevel(browser: ExtensionBrowser, page: Page): Promise<string | undefined> {
  const answer = await browser.sendToBackground<{ ok: boolean; data?: { level: string } | null }>({ type: 'tab-verdict/get', tabId: await browser.tabIdOf(page) });
  return answer.data?.level;
}

/** The first page of the context whose address is the relay's, once the browser has opened it. */
function relayPage(context: BrowserContext): Promise<Page> {
  return pollUntil(
    async () => context.pages().find((page) => page.url().startsWith(RELAY_URL)),
    (page) => page !== undefined,
    { timeout: WAIT_MS, interval: 50, message: `the browser never reopened ${RELAY_URL}` },
  ) as Promise<Page>;
}

describe('the first page after a start is warned as on a warm start', () => {
  test(`the first page opened after a browser start (${RESTARTS} starts)`, { timeout: 240_000 }, async ({ extensionPath, server, onTestFinished }) => {
    const userDataDir = profile(onTestFinished);
    const base = { extensionPath, fixturePort: server.port, userDataDir };
    // The first launch installs the extension; every later one is a browser start with it installed.
    await withBrowser(base, async () => {});
    const delays: number[] = [];
    for (let start = 1; start <= RESTARTS; start++) {
      let first: Page | undefined;
      const onLaunch = async (context: BrowserContext) => {
        first = await context.newPage();
        await watchPage(first);
        // Not awaited: the page loads while the harness waits for the service worker to run.
        void first.goto(RELAY_URL).catch(() => undefined);
      };
      await withBrowser({ ...base, onLaunch }, async (browser) => {
        const label = `browser start ${start}`;
        delays.push(await warnedAfterDomContentLoaded(first!, label));
        expect(await tabLevel(browser, first!), label).toBe('unvetted');
      });
    }
    expect(delays.filter((delay) => delay > CONTRACT_MS), `warning delays after DOMContentLoaded: ${delays.map(Math.round).join(', ')} ms`).toEqual([]);
  });

  test(`a tab restored with the last session (${RESTARTS - 1} restores)`, { timeout: 240_000 }, async ({ extensionPath, server, onTestFinished }) => {
    const userDataDir = profile(onTestFinished);
    const base = { extensionPath, fixturePort: server.port, userDataDir };
    await withBrowser(base, async (browser) => {
      const page = await browser.newPage(RELAY_URL);
      await pollUntil(() => page.locator(WARNING_SELECTOR).count(), (count) => count > 0, { timeout: WAIT_MS, message: 'no warning on the warm start' });
      // The session to restore is the relay's tab alone.
      for (const other of browser.context.pages()) if (other !== page) await other.close();
    });
    const delays: number[] = [];
    for (let restore = 1; restore < RESTARTS; restore++) {
      await withBrowser({ ...base, restoreLastSession: true }, async (browser) => {
        const label = `restore ${restore}`;
        const page = await relayPage(browser.context);
        delays.push(await warningSeenAfterDomContentLoaded(page, label));
        expect(await tabLevel(browser, page), label).toBe('unvetted');
      });
    }
    expect(delays.filter((delay) => delay > CONTRACT_MS), `warning seen after DOMContentLoaded (upper bounds): ${delays.map(Math.round).join(', ')} ms`).toEqual([]);
  });

  test(`a page loaded right after the service worker was stopped (${RESTARTS} stops)`, { timeout: 180_000 }, async ({ extensionPath, server, onTestFinished }) => {
    const userDataDir = profile(onTestFinished);
    await withBrowser({ extensionPath, fixturePort: server.port, userDataDir }, async (browser) => {
      const delays: number[] = [];
      for (let stop = 1; stop <= RESTARTS; stop++) {
        const control = await browser.stopServiceWorker();
        expect(control.status).toBe('stopped');
        const page = await browser.newPage();
        await watchPage(page);
        // The navigation is the event that wakes the worker.
        await page.goto(RELAY_URL);
        const label = `after stop ${stop}`;
        delays.push(await warnedAfterDomContentLoaded(page, label));
        expect(await tabLevel(browser, page), label).toBe('unvetted');
        await page.close();
      }
      expect(delays.filter((delay) => delay > CONTRACT_MS), `warning delays after DOMContentLoaded: ${delays.map(Math.round).join(', ')} ms`).toEqual([]);
    });
  });

  test('a tab that was open when the extension was updated (3 updates, one per browser)', { timeout: 300_000 }, async ({ extensionPath, server }) => {
    const delays: number[] = [];
    const notReloaded: number[] = [];
    // One update per browser: Chromium unloads an unpacked extension that reloads itself again soon after.
    for (let attempt = 1; delays.length < UPDATES && attempt <= UPDATES + MAX_RELOADS_LOST; attempt++) {
      await withBrowser({ extensionPath, fixturePort: server.port }, async (browser) => {
        const label = `update ${attempt}`;
        const page = await browser.newPage();
        await watchPage(page);
        await page.goto(RELAY_URL);
        await warnedAfterDomContentLoaded(page, `${label}, before`);
        const tabId = await browser.tabIdOf(page);
        const before = await readWatch(page);
        const warningsAdded = (watch: typeof before) => watch.hosts.filter((event) => event.type === 'added' && event.kind === 'warning');
        // The extension reloads itself: Chromium loads it again, as an update (runtime.onInstalled, reason "update").
        await (await browser.serviceWorker()).evaluate(() => chrome.runtime.reload()).catch(() => undefined);
        // The old version's guard is orphaned; the new version runs its page watch in the open tab, whose report warns it.
        const after = await pollUntil(() => readWatch(page), (seen) => warningsAdded(seen).length > warningsAdded(before).length, {
          timeout: WAIT_MS,
          interval: 50,
          message: `${label}: no new warning in the tab that was open`,
        }).catch(async (error: unknown) => {
          if (await extensionLoaded(browser)) throw error;
          return null;
        });
        if (!after) {
          notReloaded.push(attempt);
          return;
        }
        // Not reloaded: the same document, whose record of RelayGuard's surfaces goes on.
        expect(after.domContentLoaded, label).toBe(before.domContentLoaded);
        const added = warningsAdded(after).at(-1)!;
        expect(added.level, label).toBe('unvetted');
        delays.push(added.at - before.now);
        expect(await page.locator(WARNING_SELECTOR).count(), `${label}: one warning, the new version's`).toBe(1);
        const verdict = await browser.sendToBackground<{ data?: { level: string } | null }>({ type: 'tab-verdict/get', tabId });
        expect(verdict.data?.level, label).toBe('unvetted');
      });
    }
    console.log(`the new version's warning came ${delays.map(Math.round).join(', ')} ms after the reload was asked for; Chromium did not load the extension again on attempt(s) ${notReloaded.join(', ') || 'none'}`);
    expect(delays).toHaveLength(UPDATES);
  });
});

/**
 * Whether the extension is loaded: its own page opens. Chromium sometimes does not load an
 * unpacked extension again after runtime.reload() (measured: 1 reload in 6, with or without
 * anything RelayGuard does on an update); that attempt says nothing about RelayGuard.
 */
async function extensionLoaded(browser: ExtensionBrowser): Promise<boolean> {
  const page = await browser.context.newPage();
  try {
    return await page.goto(browser.extensionUrl('popup.html')).then(
      () => true,
      () => false,
    );
  } finally {
    await page.close();
  }
}
