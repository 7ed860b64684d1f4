import type { Envelope, ResponseFor } from '../../../lib/protocol/messages.ts';
import type { ExtensionBrowser } from './browser.ts';
import type { FixtureServer } from './fixture-server.ts';
import { pollUntil } from './poll.ts';

/** A list in List format v1 (README.md), as the fixture server serves it. */
export interface TestList {
  readonly name: string;
  readonly version: string;
  readonly updated: string;
  readonly entries: ReadonlyArray<{
    readonly pattern: string;
    readonly level: 'official' | 'vetted' | 'blocked';
    readonly evidence?: readonly string[];
    readonly reason?: string;
  }>;
}

interface DnrRuleSubset {
  action: { type: string };
  condition: { requestDomains?: string[] };
}
declare const chrome: { declarativeNetRequest: { getDynamicRules(): Promise<DnrRuleSubset[]> } };

/**
 * Serves `list` at `url`, subscribes the extension to it the way the options page does, and, for
 * each blocked pattern, waits until the browser holds the redirect rule that sends navigations to
 * the interstitial: the rules are rebuilt after the subscription answers, and a navigation in
 * between would (rightly) not be redirected yet.
 */
export async function subscribeList(browser: ExtensionBrowser, server: FixtureServer, url: string, list: TestList): Promise<void> {
  server.json(url, list);
  const answer = await browser.sendToBackground<Envelope<ResponseFor<'lists/subscribe'>> | undefined>({ type: 'lists/subscribe', url });
  const data = answer?.ok ? answer.data : undefined;
  if (data?.name !== list.name || data.version !== list.version || data.entryCount !== list.entries.length) {
    throw new Error(
      `lists/subscribe ${url} answered ${JSON.stringify(answer)}; expected ok with ` +
        `${JSON.stringify({ name: list.name, version: list.version, entryCount: list.entries.length })}.`,
    );
  }

  const blockedHosts = list.entries.filter((entry) => entry.level === 'blocked').map((entry) => entry.pattern.replace(/^\./, ''));
  if (blockedHosts.length === 0) return;
  await pollUntil(
    async () => {
      const worker = await browser.serviceWorker();
      const rules = await worker.evaluate(() => chrome.declarativeNetRequest.getDynamicRules());
      return rules.filter((rule) => rule.action.type === 'redirect').flatMap((rule) => rule.condition.requestDomains ?? []);
    },
    (domains) => blockedHosts.every((host) => domains.includes(host)),
    { timeout: 15_000, interval: 200, message: `no interstitial redirect rule for ${blockedHosts.join(', ')}` },
  );
}
