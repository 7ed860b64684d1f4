import { readFileSync } from 'node:fs';
import { describe, expect, test } from './support/fixtures.ts';

/**
 * The popup's verdict for each list-decided level, read only through the contract's hooks:
 * `[data-testid="verdict"][data-level]` and one `[data-testid="reason"]` per reason, whose text
 * names its source (docs/test-contract.md, "Popup").
 */

interface BundledList {
  name: string;
  entries: Array<{ pattern: string; level: string }>;
}
const bundled = (file: string): BundledList =>
  JSON.parse(readFileSync(new URL(`../../assets/lists/${file}`, import.meta.url), 'utf8')) as BundledList;
const VENDORS = bundled('vendors.json');
const VETTED = bundled('vetted.json');

// An official host the fixture server can play. platform.openai.com (and every openai.com host)
// is HSTS-preloaded: Chromium rewrites http:// to https:// before any request, the TLS hello hits
// our plain-http server and the navigation fails with ERR_CONNECTION_CLOSED. console.groq.com
// (vendors.json, vendor-console) is not preloaded and loads over plain http.
const OFFICIAL_HOST = 'console.groq.com';
const VETTED_HOST = 'openrouter.ai';

const TEST_LIST_URL = 'http://lists.test/test-blocklist.json';
const TEST_BLOCKLIST = {
  name: 'RelayGuard e2e test blocklist',
  version: '1.0.0',
  updated: '2026-11-26',
  entries: [
    {
      pattern: 'blocked-relay.test',
      level: 'blocked',
      evidence: ['https://reports.example/relays/blocked-relay-test'],
      reason: 'Resells API access on stolen keys (test fixture)',
    },
  ],
};

describe('popup verdict', () => {
  test('the fixture hosts are where the bundled lists say', () => {
    expect(VENDORS.entries).toContainEqual(expect.objectContaining({ pattern: OFFICIAL_HOST, level: 'official' }));
    expect(VETTED.entries).toContainEqual(expect.objectContaining({ pattern: VETTED_HOST, level: 'vetted' }));
  });

  test('official: a first-party vendor console, with the vendors list as its reason', async ({ openSite, openPopup }) => {
    const page = await openSite(`http://${OFFICIAL_HOST}/`);
    const popup = await openPopup(page);
    const level = await popup.level();
    await popup.screenshot('popup-official');

    expect(level).toBe('official');
    expect(await popup.reasons()).toContainEqual(expect.stringContaining(VENDORS.name));
  });

  test('vetted: an intermediary on the bundled allowlist, with that list as its reason', async ({ openSite, openPopup }) => {
    const page = await openSite(`http://${VETTED_HOST}/`);
    const popup = await openPopup(page);

    expect(await popup.level()).toBe('vetted');
    expect(await popup.reasons()).toContainEqual(expect.stringContaining(VETTED.name));
  });

  test('unknown: an ordinary site, with no reasons', async ({ openSite, openPopup }) => {
    const page = await openSite('http://plain.test/');
    const popup = await openPopup(page);

    expect(await popup.level()).toBe('unknown');
    expect(await popup.reasons()).toEqual([]);
  });

  test('blocked: a host on a subscribed list, with that list as its reason', async ({ browser, server, openSite, openPopup }) => {
    server.json(TEST_LIST_URL, TEST_BLOCKLIST);
    // Open the page before subscribing: once the host is blocked, a navigation to it lands on the
    // interstitial (blocked.html), which is another contract item. The verdict must follow the
    // lists as they are when the popup asks, not as they were when the page loaded.
    const page = await openSite('http://blocked-relay.test/');

    const answer = await browser.sendToBackground({ type: 'lists/subscribe', url: TEST_LIST_URL });
    expect(answer).toMatchObject({
      ok: true,
      data: { name: TEST_BLOCKLIST.name, version: TEST_BLOCKLIST.version, entryCount: 1 },
    });
    expect(server.requestsFor(TEST_LIST_URL)).toContainEqual(expect.objectContaining({ method: 'GET', status: 200 }));

    const popup = await openPopup(page);
    expect(await popup.level()).toBe('blocked');
    expect(await popup.reasons()).toContainEqual(expect.stringContaining(TEST_BLOCKLIST.name));
  });
});
