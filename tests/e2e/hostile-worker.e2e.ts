import { warningLevel } from './support/in-page.ts';
import { firstAdded, readWatch, watchPage } from './support/page-watch.ts';
import { HOSTS } from './support/sites.ts';
import { describe, expect, test } from './support/fixtures.ts';

/**
 * A hostile page trying to freeze the service worker with crafted input: every request the
 * browser makes goes through the request classifier, so a path built to make a pattern backtrack
 * (`/v1` + `/v1/`×N + `models:x`, which the old Gemini action pattern took quadratic time on:
 * 18.7 s at N = 30,000) would stall every tab's verdicts. The page sends the worst we know of, at
 * the size of Chromium's URL limit, and a relay opened in another tab right after must still be
 * warned about within the contract's bound.
 */

const WARNING_WITHIN_MS = 2_000;
/** `/v1/` is four characters: about 2,000,000 characters, just under Chromium's 2 MB URL limit. */
const REPEATS = 499_000;

describe('a page that tries to freeze the service worker with one crafted request', () => {
  test('five 2 MB backtracking bait paths, then a one-api page in another tab: warned within 2 s of DOMContentLoaded', async ({ openSite, newTab }) => {
    const attacker = await openSite(`http://${HOSTS.relayBlog}/`);
    const sent = await attacker.evaluate((repeats) => {
      const path = '/v1' + '/v1/'.repeat(repeats) + 'models:x';
      for (let i = 0; i < 5; i += 1) void fetch(path, { method: 'POST', body: '{}' }).catch(() => undefined);
      return path.length;
    }, REPEATS);
    expect(sent).toBeGreaterThan(1_990_000);

    const relay = await newTab();
    await watchPage(relay);
    await relay.goto(`http://${HOSTS.oneApi}/`);
    await expect.poll(() => warningLevel(relay), { timeout: 15_000, message: 'no warning on the one-api page after the attack' }).toBe('unvetted');

    const watch = await readWatch(relay);
    const first = firstAdded(watch, 'warning');
    expect(first).not.toBeNull();
    expect(watch.domContentLoaded).not.toBeNull();
    expect(first!.at - watch.domContentLoaded!).toBeLessThanOrEqual(WARNING_WITHIN_MS);
  });
});

describe('a page that asks the background for trust', () => {
  test('no extension API reaches RelayGuard from page script, so a relay cannot vet itself', async ({ browser, openSite, openPopup }) => {
    const page = await openSite(`http://${HOSTS.oneApi}/`);
    const outcome = await page.evaluate(async (extensionId) => {
      const runtime = (globalThis as { chrome?: { runtime?: { sendMessage?: (id: string, message: unknown) => Promise<unknown> } } }).chrome?.runtime;
      if (!runtime?.sendMessage) return 'no runtime';
      try {
        await runtime.sendMessage(extensionId, { type: 'user-entries/put', entry: { pattern: location.hostname, level: 'vetted' } });
        return 'sent';
      } catch (error) {
        return `refused: ${String(error)}`;
      }
    }, browser.extensionId);
    expect(outcome).not.toBe('sent');

    const popup = await openPopup(page);
    await popup.waitForLevel('unvetted');
  });
});
