import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { subscribeList, type TestList } from './support/lists.ts';
import { HOSTS } from './support/sites.ts';
import { describe, expect, test } from './support/fixtures.ts';
import type { ExtensionBrowser } from './support/browser.ts';
import type { PopupPage } from './support/popup-page.ts';

/**
 * The toolbar button's badge per tab, read from the service worker (`chrome.action.getBadgeText`
 * and `getTitle` for the tab): the two warning levels carry a mark, the vendor's own site a
 * positive one, and a page with nothing relay-related none at all. The tooltip names the level
 * and the host. Each test first waits for the popup's verdict, then for the tooltip to match it.
 */

const BLOCKLIST_URL = 'http://lists.test/badge-blocklist.json';
const BLOCKLIST: TestList = {
  name: 'RelayGuard e2e badge blocklist',
  version: '1.0.0',
  updated: '2026-11-26',
  entries: [{ pattern: HOSTS.listedRelay, level: 'blocked', evidence: ['https://reports.example/relays/banned-relay-test'] }],
};

/** A mark people read as "fine": a check mark of some kind. */
const POSITIVE_MARK = /^[✓✔✅☑]$/u;

/** The level names the tooltip uses (public/_locales/en/messages.json, `level_<level>`). */
const MESSAGES = JSON.parse(readFileSync(new URL('../../public/_locales/en/messages.json', import.meta.url), 'utf8')) as Record<
  string,
  { message: string }
>;
const levelName = (level: string): string => {
  const name = MESSAGES[`level_${level}`]?.message;
  if (!name) throw new Error(`messages.json has no level_${level}`);
  return name;
};

interface Badge {
  readonly text: string;
  readonly title: string;
}

/**
 * The badge once the extension has set it for the tab's verdict: waits for the popup to show
 * `level`, then for the tooltip to name that level and the page's host.
 */
async function badgeFor(browser: ExtensionBrowser, page: Page, popup: PopupPage, level: string): Promise<Badge> {
  await popup.waitForLevel(level);
  const host = new URL(page.url()).hostname;
  let badge: Badge = { text: '', title: '' };
  await expect
    .poll(
      async () => {
        badge = await browser.toolbarBadge(popup.tabId);
        return badge.title;
      },
      { timeout: 10_000, message: `the tooltip of tab ${popup.tabId} never named ${host} as "${levelName(level)}"` },
    )
    .toSatisfy((title: string) => title.includes(host) && title.includes(levelName(level)));
  return badge;
}

describe('toolbar badge', () => {
  // First in the file on purpose: the first page a fresh browser opens is where the background's
  // lists are still loading when the page's evidence arrives.
  test('unvetted: a warning mark', async ({ browser, openSite, openPopup }) => {
    const page = await openSite(`http://${HOSTS.oneApi}/`);
    const badge = await badgeFor(browser, page, await openPopup(page), 'unvetted');
    expect(badge.text).not.toBe('');
    expect(badge.text).not.toMatch(POSITIVE_MARK);
  });

  test('unknown: no badge text', async ({ browser, openSite, openPopup }) => {
    const page = await openSite('http://plain.test/');
    const badge = await badgeFor(browser, page, await openPopup(page), 'unknown');
    expect(badge.text).toBe('');
  });

  test('official: a positive mark', async ({ browser, openSite, openPopup }) => {
    const page = await openSite('http://console.groq.com/');
    const badge = await badgeFor(browser, page, await openPopup(page), 'official');
    expect(badge.text).toMatch(POSITIVE_MARK);
  });

  test('blocked: a warning mark of its own, following a list change without a reload', async ({ browser, server, openSite, openPopup }) => {
    const relay = await openSite(`http://${HOSTS.oneApi}/`);
    const unvetted = await badgeFor(browser, relay, await openPopup(relay), 'unvetted');

    // Opened before its list is subscribed: afterwards it would land on the interstitial.
    const listed = await openSite(`http://${HOSTS.listedRelay}/`);
    const listedPopup = await openPopup(listed);
    await listedPopup.waitForLevel('unknown');
    await subscribeList(browser, server, BLOCKLIST_URL, BLOCKLIST);
    const blocked = await badgeFor(browser, listed, listedPopup, 'blocked');

    expect(blocked.text).not.toBe('');
    expect(blocked.text).not.toMatch(POSITIVE_MARK);
    expect(blocked.text).not.toBe(unvetted.text);
  });
});
