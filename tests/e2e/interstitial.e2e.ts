import { InterstitialPage } from './support/interstitial-page.ts';
import { subscribeList, type TestList } from './support/lists.ts';
import { HOSTS } from './support/sites.ts';
import { describe, expect, test as base } from './support/fixtures.ts';

/**
 * Blocked pages (docs/test-contract.md, "Blocked pages (interstitial)"): a host on a subscribed
 * blocklist is stopped before the browser contacts it, whether the person types its URL or
 * follows a link, and "proceed once" lets that one tab through.
 */

const BLOCKLIST_URL = 'http://lists.test/interstitial-blocklist.json';
const BLOCKLIST: TestList = {
  name: 'RelayGuard e2e interstitial blocklist',
  version: '2.1.0',
  updated: '2026-11-26',
  entries: [
    {
      pattern: HOSTS.listedRelay,
      level: 'blocked',
      evidence: ['https://reports.example/relays/banned-relay-test'],
      reason: 'Logged and resold customers’ prompts (test fixture)',
    },
  ],
};

/** Every test here needs the list: subscribed once per file (the browser is per file too). */
const test = base.extend('blocklist', { scope: 'file', auto: true }, async ({ browser, server }) => {
  await subscribeList(browser, server, BLOCKLIST_URL, BLOCKLIST);
  return BLOCKLIST;
});

const relayUrl = (path: string) => `http://${HOSTS.listedRelay}${path}`;

/** What the block page must say: the address the person was going to, and the list and its reason. */
async function expectExplains(interstitial: InterstitialPage): Promise<void> {
  const text = await interstitial.text();
  expect(text).toContain(interstitial.blockedUrl);
  expect(text).toContain(BLOCKLIST.name);
  expect(text).toContain(BLOCKLIST.entries[0]!.reason);
}

describe('blocked by a subscribed list', () => {
  test('typing the URL lands on the block page, before any request reaches the relay', async ({ browser, server, newTab }) => {
    const url = relayUrl('/plans?ref=e2e&plan=pro');
    const page = await newTab();
    await page.goto(url);

    const interstitial = await InterstitialPage.expectOn(browser, page, url);
    await expectExplains(interstitial);
    await expect.poll(() => interstitial.goBack.isVisible()).toBe(true);
    await expect.poll(() => interstitial.proceedOnce.isVisible()).toBe(true);
    await interstitial.screenshot('interstitial-typed-url');
    expect(server.requestsFor(url)).toEqual([]);
  });

  test('following a link lands on the block page too, and go-back returns to the linking page', async ({ browser, server, openSite }) => {
    const forumUrl = `http://${HOSTS.forum}/`;
    const page = await openSite(forumUrl);
    const linked = relayUrl('/register?aff=forum');
    expect(await page.locator('#relay-link').getAttribute('href')).toBe(linked);

    await page.locator('#relay-link').click();
    const interstitial = await InterstitialPage.expectOn(browser, page, linked);
    await expectExplains(interstitial);
    expect(server.requestsFor(linked)).toEqual([]);

    await interstitial.goBack.click();
    await page.waitForURL(forumUrl);
  });

  test('proceed once loads the original page in that tab only; the tab stays blocked', async ({ browser, server, newTab, openPopup }) => {
    const url = relayUrl('/?currency=usd'); // the fixture relay serves its one page at /
    const page = await newTab();
    await page.goto(url);
    const interstitial = await InterstitialPage.expectOn(browser, page, url);

    await interstitial.proceed();
    await page.locator('#relay-home').waitFor();
    expect(server.requestsFor(url)).toContainEqual(expect.objectContaining({ method: 'GET', status: 200 }));

    const popup = await openPopup(page);
    await popup.waitForLevel('blocked');
    expect(await popup.reasons()).toContainEqual(expect.stringContaining(BLOCKLIST.name));

    // Another tab going to the same relay is still stopped: the exception belongs to one tab.
    const otherTab = await newTab();
    await otherTab.goto(url);
    await InterstitialPage.expectOn(browser, otherTab, url);
    expect(server.requestsFor(url).filter((request) => request.method === 'GET')).toHaveLength(1);
  });

  test('continue once is for that host and that page: a subdomain, and a later visit in the same tab, are blocked again', async ({ browser, server, newTab }) => {
    const url = relayUrl('/?from=continue-once');
    const page = await newTab();
    await page.goto(url);
    await (await InterstitialPage.expectOn(browser, page, url)).proceed();
    await page.locator('#relay-home').waitFor();
    // Nothing tells the relay that RelayGuard sent the person: no extension address as referrer.
    expect(await page.evaluate(() => document.referrer)).toBe('');

    // While the page lives, its calls to its own host go through; to a subdomain they stay blocked.
    const ownApi = relayUrl('/api/status');
    const subdomainApi = `http://api.${HOSTS.listedRelay}/v1/models`;
    server.json(ownApi, { success: true });
    server.json(subdomainApi, { data: [] });
    const outcomes = await page.evaluate(async (urls) => {
      const outcome = async (url: string) => {
        try {
          return `answered ${(await fetch(url)).status}`;
        } catch (error) {
          return `failed: ${String(error)}`;
        }
      };
      return Promise.all(urls.map(outcome));
    }, [ownApi, subdomainApi]);
    expect(outcomes).toEqual(['answered 200', 'failed: TypeError: Failed to fetch']);
    expect(server.requestsFor(subdomainApi)).toEqual([]);

    // The relay's own page sends the tab to a subdomain: stopped, no request reaches it.
    const subdomain = `http://www.${HOSTS.listedRelay}/signup`;
    await Promise.all([page.waitForURL(InterstitialPage.urlFor(browser, subdomain)), page.evaluate((next) => void (location.href = next), subdomain)]);
    expect(server.requestsFor(subdomain)).toEqual([]);

    // A later visit to the very host in the same tab: stopped again, the exception was spent.
    const later = relayUrl('/later-visit'); // requestsFor() ignores the query: a path of its own
    await page.goto(later);
    await InterstitialPage.expectOn(browser, page, later);
    expect(server.requestsFor(later)).toEqual([]);
  });

  test('a worker woken by the block page explains the block with the list\'s reason, read back from storage', async ({ browser, newTab }) => {
    // A stopped worker holds no list: the block page's question makes it read the stored table and its details.
    const control = await browser.stopServiceWorker();
    expect(control.status).toBe('stopped');
    const url = relayUrl('/?from=stopped-worker');
    const page = await newTab();
    await page.goto(url);
    await expectExplains(await InterstitialPage.expectOn(browser, page, url));
  });

  test('continue once still works when the service worker slept while the person read the block page', async ({ browser, server, newTab }) => {
    const url = relayUrl('/?from=after-worker-restart');
    const page = await newTab();
    await page.goto(url);
    const interstitial = await InterstitialPage.expectOn(browser, page, url);

    // MV3 stops an idle worker; the redirect it saw must outlive it (kept in session storage).
    const control = await browser.stopServiceWorker();
    expect(control.status).toBe('stopped');
    await interstitial.proceed(); // the click's message wakes the worker
    await page.locator('#relay-home').waitFor();
    expect(server.requestsFor(url)).toContainEqual(expect.objectContaining({ method: 'GET', status: 200 }));
  });
});
