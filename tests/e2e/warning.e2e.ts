import type { Page } from 'playwright-core';
import { sampleKeys } from '../support/generated-keys.ts';
import { chatCompletion } from './support/api-answers.ts';
import { WARNING_SELECTOR, warningHost, warningLevel } from './support/in-page.ts';
import { InterstitialPage } from './support/interstitial-page.ts';
import { subscribeList, type TestList } from './support/lists.ts';
import { firstAdded, PAST_SECOND_LOOK_MS, readWatch, watchPage, watchUntilPastDomContentLoaded, type PageWatch } from './support/page-watch.ts';
import { HOSTS } from './support/sites.ts';
import { describe, expect, test as base } from './support/fixtures.ts';

/**
 * The in-page warning (docs/test-contract.md, "In-page warning"), issue "Warn where the user acts":
 * `[data-relayguard="warning"][data-level]` on unvetted and blocked pages, nowhere else, within
 * 2 s of DOMContentLoaded or of the first relay evidence, and hard for the page to get rid of.
 *
 * Timing is measured inside the page: a MutationObserver installed before any page script
 * (support/page-watch.ts) stamps the host's arrival on the document's own clock, next to its
 * DOMContentLoaded. Its UI is in a closed shadow root, so only the host is looked at.
 */

/** The contract's bound, for DOMContentLoaded and for the first relay evidence alike. */
const WARNING_WITHIN_MS = 2_000;

const BLOCKLIST_URL = 'http://lists.test/warning-blocklist.json';
const BLOCKLIST: TestList = {
  name: 'RelayGuard e2e warning blocklist',
  version: '1.0.0',
  updated: '2026-11-26',
  entries: [{ pattern: HOSTS.listedRelay, level: 'blocked', evidence: ['https://reports.example/relays/banned-relay-test'], reason: 'Resold prompts (test fixture)' }],
};

const test = base
  .extend('blocklist', { scope: 'file', auto: true }, async ({ browser, server }) => {
    await subscribeList(browser, server, BLOCKLIST_URL, BLOCKLIST);
    return BLOCKLIST;
  })
  /** A new tab, watched from its first script on, navigated to `url`. */
  .extend('openWatched', async ({ newTab }) => {
    return async (url: string): Promise<Page> => {
      const page = await newTab();
      await watchPage(page);
      await page.goto(url);
      return page;
    };
  });

async function waitForWarning(page: Page, level: string, timeout = 10_000): Promise<void> {
  await expect.poll(() => warningLevel(page), { timeout, message: `no warning with data-level="${level}" on ${page.url()}` }).toBe(level);
}

/** Milliseconds from DOMContentLoaded to the first warning host, read from the page's own record. */
function warningDelayAfterDomContentLoaded(watch: PageWatch): number {
  const first = firstAdded(watch, 'warning');
  if (!first || watch.domContentLoaded === null) throw new Error(`no warning or no DOMContentLoaded in ${JSON.stringify(watch)}`);
  return first.at - watch.domContentLoaded;
}

describe('where the warning shows, and how soon', () => {
  test('an unvetted relay (stock one-api): data-level="unvetted", within 2 s of DOMContentLoaded', async ({ openWatched, openPopup }) => {
    const page = await openWatched(`http://${HOSTS.oneApi}/`);
    await waitForWarning(page, 'unvetted');

    const watch = await readWatch(page);
    expect(firstAdded(watch, 'warning')?.level).toBe('unvetted');
    expect(warningDelayAfterDomContentLoaded(watch)).toBeLessThanOrEqual(WARNING_WITHIN_MS);
    expect(await warningHost(page).count()).toBe(1);
    expect(await (await openPopup(page)).level()).toBe('unvetted');
  });

  test('a blocked relay, after "proceed once": data-level="blocked", within 2 s of DOMContentLoaded', async ({ browser, newTab }) => {
    const url = `http://${HOSTS.listedRelay}/`;
    const page = await newTab();
    await watchPage(page);
    await page.goto(url);
    await (await InterstitialPage.expectOn(browser, page, url)).proceed();
    await waitForWarning(page, 'blocked');

    const watch = await readWatch(page);
    expect(firstAdded(watch, 'warning')?.level).toBe('blocked');
    // Never shown as anything milder first, not even for a moment.
    expect(new Set(watch.hosts.filter((event) => event.kind === 'warning').map((event) => event.level))).toEqual(new Set(['blocked']));
    expect(warningDelayAfterDomContentLoaded(watch)).toBeLessThanOrEqual(WARNING_WITHIN_MS);
  });

  test.for([
    ['official', 'console.groq.com'],
    ['vetted', 'openrouter.ai'],
    ['unknown', 'plain.test'],
  ] as const)('%s (%s): no warning, still none past the content script’s second look', async ([level, host], { openWatched, openPopup }) => {
    const page = await openWatched(`http://${host}/`);
    expect(await (await openPopup(page)).level()).toBe(level);

    const watch = await watchUntilPastDomContentLoaded(page, PAST_SECOND_LOOK_MS);
    // Not merely absent now: never added at all.
    expect(watch.hosts.filter((event) => event.kind === 'warning')).toEqual([]);
    expect(await page.locator(WARNING_SELECTOR).count()).toBe(0);
  });

  test('a chat page that calls a relay with the OpenAI SDK after a click: the warning follows within 2 s of the call', async ({
    server,
    openWatched,
    openPopup,
  }) => {
    const endpoint = `http://${HOSTS.openAiRelayEndpoint}/v1/chat/completions`;
    server.json(endpoint, chatCompletion({ id: 'chatcmpl-e2e0002', content: 'Hello.' }));
    const page = await openWatched(`http://${HOSTS.openAiSdkChat}/`);
    // An ordinary page until it calls anything: no warning, even past the second look.
    expect(await (await openPopup(page)).level()).toBe('unknown');
    expect((await watchUntilPastDomContentLoaded(page, PAST_SECOND_LOOK_MS)).hosts).toEqual([]);

    await page.locator('#api-key').fill(sampleKeys.newApiToken);
    await page.locator('#send').click();
    await expect.poll(() => page.locator('#reply').getAttribute('data-state'), { timeout: 10_000 }).toBe('done');
    await waitForWarning(page, 'unvetted');

    // The first relay evidence: the SDK's request to the relay, as the page's resource timing saw it start.
    const callStartedAt = await page.evaluate(
      (prefix) => performance.getEntriesByType('resource').find((entry) => entry.name.startsWith(prefix))?.startTime ?? null,
      `http://${HOSTS.openAiRelayEndpoint}/`,
    );
    expect(callStartedAt).not.toBeNull();
    const warnedAt = firstAdded(await readWatch(page), 'warning')!.at;
    expect(warnedAt).toBeGreaterThan(callStartedAt!);
    expect(warnedAt - callStartedAt!).toBeLessThanOrEqual(WARNING_WITHIN_MS);
    expect(server.requestsFor(endpoint).map((request) => request.method)).toEqual(['OPTIONS', 'POST']);
  });
});

describe('the page cannot get rid of it', () => {
  test('a page script that removes the host, or rewrites <html>, sees it back within 2 s', async ({ openWatched }) => {
    const page = await openWatched(`http://${HOSTS.oneApi}/`);
    await waitForWarning(page, 'unvetted');

    for (const attack of ['remove the host', 'rewrite <html>'] as const) {
      const removedAt = await page.evaluate(
        ({ selector, attack }) => {
          const at = performance.now();
          if (attack === 'remove the host') document.querySelector(selector)!.remove();
          else document.documentElement.innerHTML = '<head><title>Nothing to see</title></head><body><h1>Nothing to see</h1></body>';
          return at;
        },
        { selector: WARNING_SELECTOR, attack },
      );
      // Waited for on the test's clock; judged on the page's own, below.
      await waitForWarning(page, 'unvetted');
      const back = (await readWatch(page)).hosts.find((event) => event.kind === 'warning' && event.type === 'added' && event.at >= removedAt);
      expect(back, attack).toBeDefined();
      expect(back!.at - removedAt, attack).toBeLessThanOrEqual(WARNING_WITHIN_MS);
      expect(await warningHost(page).count(), attack).toBe(1);
    }
  });

  test('page CSS that tries to hide it does not: the host stays displayed, visible and on top', async ({ openWatched }) => {
    const page = await openWatched(`http://${HOSTS.oneApi}/`);
    await waitForWarning(page, 'unvetted');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.addStyleTag({
      content: `
        [data-relayguard], relayguard-warning, html > :not(head):not(body) {
          display: none !important; visibility: hidden !important; opacity: 0 !important;
          position: absolute !important; left: -10000px !important; width: 0 !important; height: 0 !important;
          overflow: hidden !important; clip-path: inset(50%) !important; transform: scale(0) !important;
          z-index: -1 !important; pointer-events: none !important; filter: opacity(0) !important;
        }`,
    });
    await page.evaluate((selector) => {
      document.querySelector<HTMLElement>(selector)!.style.setProperty('display', 'none', 'important');
    }, WARNING_SELECTOR);

    const style = await page.evaluate((selector) => {
      const host = document.querySelector(selector)!;
      const computed = getComputedStyle(host);
      // The card sits in the top-right corner (16 px in, 380 px wide): what is at a point inside it?
      const hit = document.elementFromPoint(window.innerWidth - 60, 40);
      return {
        display: computed.display,
        visibility: computed.visibility,
        opacity: computed.opacity,
        transform: computed.transform,
        clipPath: computed.clipPath,
        filter: computed.filter,
        hitIsHost: hit === host,
      };
    }, WARNING_SELECTOR);
    expect(style).toEqual({ display: expect.not.stringMatching(/^none$/), visibility: 'visible', opacity: '1', transform: 'none', clipPath: 'none', filter: 'none', hitIsHost: true });
  });
});

describe('trusting the site from the popup', () => {
  // Its own host: the trust entry lives on for the rest of the file's browser.
  test('"Trust this site" in the popup makes the page vetted and takes the warning off it', async ({ openWatched, openPopup }) => {
    const page = await openWatched(`http://${HOSTS.newApiRebranded}/`);
    await waitForWarning(page, 'unvetted');
    const popup = await openPopup(page);
    expect(await popup.level()).toBe('unvetted');

    await popup.page.locator('[data-testid="trust-site"]').click();
    await popup.page.locator('[data-testid="trust-confirm-yes"]').click(); // the popup's deliberate second step
    // The popup asks again after the action: its verdict is the background's new answer.
    await expect.poll(() => popup.level(), { timeout: 5_000 }).toBe('vetted');
    await expect.poll(() => warningLevel(page), { timeout: 5_000 }).toBeNull();
    // Added once, removed once (`level` records are the host's data-level being set again).
    const comings = (await readWatch(page)).hosts.filter((event) => event.kind === 'warning' && event.type !== 'level');
    expect(comings.map((event) => event.type)).toEqual(['added', 'removed']);

    // And it stays away: a reload of the now-vetted site never adds it.
    await page.reload();
    const watch = await watchUntilPastDomContentLoaded(page, PAST_SECOND_LOOK_MS);
    expect(watch.hosts).toEqual([]);
  });
});
