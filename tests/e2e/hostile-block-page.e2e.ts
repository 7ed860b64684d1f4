import type { Frame, Page } from 'playwright-core';
import type { Envelope, ResponseFor } from '../../lib/protocol/messages.ts';
import type { ExtensionBrowser } from './support/browser.ts';
import { InterstitialPage } from './support/interstitial-page.ts';
import { subscribeList, type TestList } from './support/lists.ts';
import { HOSTS } from './support/sites.ts';
import { describe, expect, test as base } from './support/fixtures.ts';

/**
 * A hostile page against RelayGuard's block page (blocked.html) and its trust decisions, as a
 * relay operator who wants the warning gone would try it (issue 8, "The block page can be
 * clickjacked", "A page can tell RelayGuard is installed"). Each test is the attack, done with
 * the page's own means (its script, its frames, a real click of the person), and what stops it.
 * docs/hostile-pages.md says what was measured and why each defence holds.
 */

/** The hostile page: it frames whatever address follows '#' nearly transparent over a decoy button. */
const CLICKJACK = 'clickjack.test';
const BLOCKLIST_URL = 'http://lists.test/hostile-block-page-blocklist.json';
const BLOCKLIST: TestList = {
  name: 'RelayGuard e2e hostile block page list',
  version: '1.0.0',
  updated: '2026-12-03',
  entries: [{ pattern: HOSTS.listedRelay, level: 'blocked', evidence: ['https://reports.example/relays/banned-relay-test'], reason: 'Resold prompts (test fixture)' }],
};

const test = base.extend('blocklist', { scope: 'file', auto: true }, async ({ browser, server }) => {
  await subscribeList(browser, server, BLOCKLIST_URL, BLOCKLIST);
  return BLOCKLIST;
});

declare const chrome: {
  declarativeNetRequest: { getSessionRules(): Promise<unknown[]> };
  runtime: { getURL(path: string): string };
};

/** The "continue once" exceptions the browser holds right now. */
async function sessionRules(browser: ExtensionBrowser): Promise<unknown[]> {
  return (await browser.serviceWorker()).evaluate(() => chrome.declarativeNetRequest.getSessionRules());
}

/** The person's own list entries, as the options page reads them. */
async function userEntries(browser: ExtensionBrowser): Promise<string[]> {
  const answer = await browser.sendToBackground<Envelope<ResponseFor<'user-entries/list'>>>({ type: 'user-entries/list' });
  if (!answer.ok) throw new Error(answer.error);
  return answer.data.entries.map((entry) => `${entry.pattern}:${entry.level}`);
}

/**
 * The block page's per-session address (use_dynamic_url). No page can know it; the tests use it
 * to show that the defences hold even against a page that somehow did.
 */
async function dynamicBlockPageUrl(browser: ExtensionBrowser): Promise<string> {
  return (await browser.serviceWorker()).evaluate(() => chrome.runtime.getURL('/blocked.html'));
}

/** The hostile page framing `target`, loaded (the frame's own load included). */
async function openClickjack(newTab: () => Promise<Page>, target: string): Promise<{ page: Page; frame: Frame }> {
  const page = await newTab();
  await page.goto(`http://${CLICKJACK}/#${target}`);
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
  if (!frame) throw new Error('The hostile page did not frame anything.');
  return { page, frame };
}

/** How a fetch from page script ended: the same words for "not installed" and "not reachable". */
function fetchOutcome(page: Page, url: string): Promise<string> {
  return page.evaluate(async (target) => {
    try {
      const response = await fetch(target);
      return `answered ${response.status}`;
    } catch (error) {
      return `failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    }
  }, url);
}

describe('clickjacking the block page', () => {
  test('a page framing the block page for its own host under a decoy gets an error frame; a real click trusts and lifts nothing', async ({ browser, newTab }) => {
    for (const blockPage of [browser.extensionUrl('blocked.html'), await dynamicBlockPageUrl(browser)]) {
      const { page, frame } = await openClickjack(newTab, `${blockPage}#http://${CLICKJACK}/`);
      // Chromium did not put RelayGuard's page in the frame (use_dynamic_url for the fixed address,
      // the extension pages' frame-ancestors 'none' for the per-session one).
      // The frame commits its error page on its own schedule (not always before the page's load).
      await expect.poll(() => ({ blockPage, frame: frame.url() }), { timeout: 10_000 }).toEqual({ blockPage, frame: 'chrome-error://chromewebdata/' });
      expect(await frame.locator('[data-testid="block-page"], [data-testid="proceed-once"], [data-testid="always-allow"]').count()).toBe(0);

      // The person clicks the decoy with a real pointer: the click lands on the (error) frame.
      const decoy = await page.locator('#claim').boundingBox();
      await page.mouse.click(decoy!.x + decoy!.width / 2, decoy!.y + decoy!.height / 2);
    }
    expect(await userEntries(browser)).toEqual([]);
    expect(await sessionRules(browser)).toEqual([]);
  });

  test('the block page offers no "Always allow" at all: trusting a site lives in the popup', async ({ browser, newTab }) => {
    const url = `http://${HOSTS.listedRelay}/`;
    const page = await newTab();
    await page.goto(url);
    const interstitial = await InterstitialPage.expectOn(browser, page, url);
    expect(await page.locator('[data-testid="always-allow"]').count()).toBe(0);
    // Report opens the popup's form in an extension tab: a false positive is reported there, trust is not offered.
    expect(await page.locator('button').allTextContents()).toEqual(['Go back', 'Continue once', 'Report']);
    expect(await interstitial.text()).toContain('To trust this site from now on, use the RelayGuard button in the toolbar');
  });
});

describe('probing for RelayGuard', () => {
  test('fetching the block page fails exactly as it does for an extension that is not installed', async ({ browser, openSite }) => {
    const page = await openSite(`http://${CLICKJACK}/`);
    const notInstalled = await fetchOutcome(page, 'chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/blocked.html');
    expect(notInstalled).toBe('failed: TypeError: Failed to fetch');
    expect(await fetchOutcome(page, browser.extensionUrl('blocked.html'))).toBe(notInstalled);
    expect(await fetchOutcome(page, browser.extensionUrl('manifest.json'))).toBe(notInstalled);
    expect(await fetchOutcome(page, browser.extensionUrl('popup.html'))).toBe(notInstalled);
  });

  test('a page cannot open the block page for its own host, in its tab or a new one', async ({ browser, openSite, newTab }) => {
    const target = `${browser.extensionUrl('blocked.html')}#http://${CLICKJACK}/`;
    const page = await openSite(`http://${CLICKJACK}/`);
    const opened = page.waitForEvent('popup');
    await page.evaluate((url) => void window.open(url), target);
    const popup = await opened;
    await popup.waitForLoadState('load');
    expect(popup.url()).toBe('chrome-error://chromewebdata/');
    expect(await popup.locator('[data-testid="block-page"]').count()).toBe(0);
    await popup.close();

    const navigated = await newTab();
    await navigated.goto(`http://${CLICKJACK}/`);
    await Promise.all([navigated.waitForURL('chrome-error://chromewebdata/'), navigated.evaluate((url) => void (location.href = url), target)]);
    expect(await navigated.locator('[data-testid="block-page"]').count()).toBe(0);
  });

  test('redirects to the block page still work with use_dynamic_url: a link click from a page lands on it', async ({ browser, openSite }) => {
    const page = await openSite(`http://${HOSTS.forum}/`);
    const linked = `http://${HOSTS.listedRelay}/register?aff=forum`;
    await page.locator('#relay-link').click();
    await InterstitialPage.expectOn(browser, page, linked);
    expect(await page.locator('[data-testid="block-page"]').getAttribute('data-state')).toBe('blocked');
  });
});

describe('the block page standing in for an address no list blocks', () => {
  test('for a vendor’s own address it says nothing is blocked, and offers neither continue-once nor trust', async ({ browser, newTab }) => {
    // A person who pasted such an address (no page can open it: see above).
    const page = await newTab();
    await page.goto(`${browser.extensionUrl('blocked.html')}#https://platform.openai.com/`);
    const blockPage = page.locator('[data-testid="block-page"]');
    await blockPage.waitFor();
    expect(await blockPage.getAttribute('data-state')).toBe('not-blocked');
    const text = ((await blockPage.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(text).toContain('Nothing to block here');
    expect(text).toContain('No list RelayGuard uses blocks platform.openai.com');
    expect(text).not.toMatch(/blocklist names it|blocked this/i);
    expect(await page.locator('button').allTextContents()).toEqual(['Go back', 'Go to the address']);
  });

  test('"Go to the address" is an ordinary navigation: the page loads and no exception is made', async ({ browser, server, newTab }) => {
    const url = `http://${CLICKJACK}/?from=block-page`;
    const page = await newTab();
    await page.goto(`${browser.extensionUrl('blocked.html')}#${url}`);
    await page.locator('[data-testid="go-to-address"]').click();
    await page.waitForURL(url);
    expect(server.requestsFor(url)).toContainEqual(expect.objectContaining({ method: 'GET', status: 200 }));
    expect(await sessionRules(browser)).toEqual([]);
  });
});

describe('continue-once is accepted only from a block page the background redirected to', () => {
  const url = `http://${HOSTS.listedRelay}/`;

  test('a block page the person opened by hand, not by a redirect, cannot lift the block', async ({ browser, server, newTab }) => {
    const page = await newTab();
    await page.goto(InterstitialPage.urlFor(browser, url));
    const interstitial = await InterstitialPage.expectOn(browser, page, url);
    await interstitial.proceedOnce.click();
    await page.locator('[role="alert"]').waitFor();
    expect(await page.locator('[role="alert"]').textContent()).toContain('RelayGuard did not stop a visit to this address in this tab.');
    expect(page.url()).toBe(InterstitialPage.urlFor(browser, url));
    expect(await sessionRules(browser)).toEqual([]);
    expect(server.requestsFor(url)).toEqual([]);
  });

  test('another extension page asking for it is refused', async ({ browser }) => {
    const answer = await browser.sendToBackground<Envelope<ResponseFor<'interstitial/proceed-once'>>>({ type: 'interstitial/proceed-once', url });
    expect(answer).toEqual({ ok: false, error: 'Only RelayGuard’s block page, open in its own tab, can continue to a site.' });
    expect(await sessionRules(browser)).toEqual([]);
  });

  test('"Always allow" is no request the background knows any more', async ({ browser }) => {
    const answer = await browser.sendToBackground<{ ok: boolean; error?: string }>({ type: 'interstitial/always-allow', url });
    expect(answer.ok).toBe(false);
    expect(answer.error).toMatch(/^Invalid interstitial\/always-allow request/);
    expect(await userEntries(browser)).toEqual([]);
  });
});

describe('trust lives in the popup', () => {
  test('trusting a site takes a second step in the popup, where "Keep warning me" is the default', async ({ browser, newTab, openPopup }) => {
    const url = `http://${HOSTS.listedRelay}/`;
    const page = await newTab();
    await page.goto(url);
    await InterstitialPage.expectOn(browser, page, url);
    const popup = await openPopup(page);
    await popup.waitForLevel('blocked');

    await popup.page.locator('[data-testid="trust-site"]').click();
    const confirm = popup.page.locator('[data-testid="trust-confirm"]');
    await confirm.waitFor();
    expect(await popup.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('trust-cancel');
    // A hurried Enter keeps the warning.
    await popup.page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'detached' });
    expect(await userEntries(browser)).toEqual([]);
    expect(await popup.level()).toBe('blocked');
  });

  test('a look-alike of a vendor console is offered no trust at all', async ({ openSite, openPopup }) => {
    const page = await openSite(`http://${HOSTS.consoleTypo}/`);
    const popup = await openPopup(page);
    await popup.waitForLevel('unvetted');
    await popup.page.locator('[data-testid="lookalike-no-trust"]').waitFor();
    expect(await popup.page.locator('[data-testid="trust-site"]').count()).toBe(0);
    expect(await popup.page.locator('[data-testid="block-site"]').isVisible()).toBe(true);
  });
});
