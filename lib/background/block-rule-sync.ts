import type { browser as browserApi } from 'wxt/browser';
import { buildBlockRules, proceedOnceRule, type DnrRule } from '../lists/block-rules.ts';
import type { ListRegistry } from './list-registry.ts';

type Dnr = (typeof browserApi)['declarativeNetRequest'];
type DnrRuleInput = Parameters<Dnr['updateDynamicRules']>[0]['addRules'];

export interface BlockRuleSyncDeps {
  readonly dnr: Dnr;
  readonly registry: ListRegistry;
  readonly interstitialUrl: string;
  readonly blockApiRequests: () => Promise<boolean>;
  readonly report: (problem: string) => void;
}

/**
 * Keeps the browser's declarativeNetRequest rules equal to what the lists decide, so blocked
 * hosts are stopped even while the service worker sleeps. Rebuilds replace every dynamic rule
 * in one updateDynamicRules call (atomic: the browser never holds half a rule set) and run one
 * at a time.
 */
export class BlockRuleSync {
  readonly #deps: BlockRuleSyncDeps;
  #queue: Promise<void> = Promise.resolve();

  constructor(deps: BlockRuleSyncDeps) {
    this.#deps = deps;
    deps.registry.onChange(() => this.rebuild());
  }

  rebuild(): Promise<void> {
    this.#queue = this.#queue.then(() => this.#rebuildNow()).catch((cause: unknown) => this.#deps.report(`Block rules not updated: ${String(cause)}`));
    return this.#queue;
  }

  /** Resolves when every rebuild and rule change asked for so far has reached the browser. */
  settled(): Promise<void> {
    return this.#queue;
  }

  /** "Proceed once": a session rule that lets this tab, and only this tab, load the host. */
  allowOnce(tabId: number, host: string): Promise<boolean> {
    // In the same queue as rebuilds, so two calls never pick the same free rule id.
    const run = this.#queue.then(() => this.#allowOnceNow(tabId, host));
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #allowOnceNow(tabId: number, host: string): Promise<boolean> {
    const existing = await this.#deps.dnr.getSessionRules();
    const nextId = existing.reduce((highest, rule) => Math.max(highest, rule.id), 0) + 1;
    const rule = proceedOnceRule(tabId, host, nextId);
    if (!rule) return false;
    await this.#deps.dnr.updateSessionRules({ addRules: [rule as DnrRule] as DnrRuleInput });
    return true;
  }

  /** Session rules for a closed tab are dead weight; drop them. */
  async forgetTab(tabId: number): Promise<void> {
    const stale = (await this.#deps.dnr.getSessionRules()).filter((rule) => rule.condition.tabIds?.includes(tabId));
    if (stale.length > 0) await this.#deps.dnr.updateSessionRules({ removeRuleIds: stale.map((rule) => rule.id) });
  }

  async #rebuildNow(): Promise<void> {
    await this.#deps.registry.ready();
    const { matcher } = this.#deps.registry;
    const { rules, problems } = buildBlockRules({
      decide: (host) => matcher.decide(host),
      patterns: matcher.patterns(),
      interstitialUrl: this.#deps.interstitialUrl,
      blockApiRequests: await this.#deps.blockApiRequests(),
    });
    problems.forEach((problem) => this.#deps.report(problem));
    const existing = await this.#deps.dnr.getDynamicRules();
    await this.#deps.dnr.updateDynamicRules({ removeRuleIds: existing.map((rule) => rule.id), addRules: rules as DnrRuleInput });
  }
}
