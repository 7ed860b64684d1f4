import type { browser as browserApi } from 'wxt/browser';
import { normalizeHost } from '../core/host.ts';
import { buildBlockRules, isProceedOnceRuleFor, proceedOnceKind, proceedOnceRules, type DnrRule } from '../lists/block-rules.ts';
import { blockRuleStatusSchema, type BlockRuleStatus } from '../protocol/messages.ts';
import type { ListRegistry } from './list-registry.ts';
import type { MessageRouter } from './message-router.ts';

type Dnr = (typeof browserApi)['declarativeNetRequest'];
type DnrRuleInput = Parameters<Dnr['updateDynamicRules']>[0]['addRules'];

export interface BlockRuleSyncDeps {
  readonly dnr: Dnr;
  readonly registry: ListRegistry;
  readonly interstitialUrl: string;
  readonly blockApiRequests: () => Promise<boolean>;
  readonly report: (problem: string) => void;
  /**
   * Where the last rebuild's status is kept for the options page: session storage, so a worker
   * that idled out still knows it (the rules themselves outlive the worker). Absent in tests of
   * this component alone: then it lives in memory only.
   */
  readonly session?: Pick<SessionArea, 'get' | 'set'>;
  readonly router?: MessageRouter;
}

interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

const STATUS_KEY = 'blockRuleStatus';
const NO_STATUS: BlockRuleStatus = { installed: null, leftOut: [] };

/**
 * Keeps the browser's declarativeNetRequest rules equal to what the lists decide, so blocked
 * hosts are stopped even while the service worker sleeps. Rebuilds replace every dynamic rule
 * in one updateDynamicRules call (atomic: the browser never holds half a rule set) and run one
 * at a time.
 */
export class BlockRuleSync {
  readonly #deps: BlockRuleSyncDeps;
  #queue: Promise<void> = Promise.resolve();

  #status: BlockRuleStatus | null = null;

  constructor(deps: BlockRuleSyncDeps) {
    this.#deps = deps;
    deps.registry.onChange(() => this.rebuild());
    deps.router?.register({ 'block-rules/status': () => this.status() });
  }

  /** What the last rebuild installed and what it had to leave out (after any rebuild under way). */
  async status(): Promise<BlockRuleStatus> {
    await this.settled();
    if (this.#status) return this.#status;
    const stored = blockRuleStatusSchema.safeParse((await this.#deps.session?.get(STATUS_KEY))?.[STATUS_KEY]);
    return stored.success ? stored.data : NO_STATUS;
  }

  rebuild(): Promise<void> {
    this.#queue = this.#queue.then(() => this.#rebuildNow()).catch((cause: unknown) => this.#deps.report(`Block rules not updated: ${String(cause)}`));
    return this.#queue;
  }

  /** Resolves when every rebuild and rule change asked for so far has reached the browser. */
  settled(): Promise<void> {
    return this.#queue;
  }

  /** "Proceed once": session rules that let this tab, and only this tab, load exactly `host` once. */
  allowOnce(tabId: number, host: string): Promise<boolean> {
    return this.#enqueue(() => this.#allowOnceNow(tabId, host));
  }

  /**
   * A top-level document committed in `tabId`: the one load "proceed once" allowed is spent, and
   * the API exception lives on only if the tab is now on that very host (the page it allowed).
   */
  pageCommitted(tabId: number, url: string): Promise<void> {
    return this.#enqueue(async () => {
      const normalized = normalizeHost(url);
      const committedHost = normalized.ok ? normalized.value.host : null;
      const spent = (await this.#deps.dnr.getSessionRules()).filter((rule) => {
        const kind = proceedOnceKind(rule as DnrRule, tabId);
        return kind === 'navigation' || (kind === 'api' && (committedHost === null || !isProceedOnceRuleFor(rule as DnrRule, committedHost)));
      });
      if (spent.length > 0) await this.#deps.dnr.updateSessionRules({ removeRuleIds: spent.map((rule) => rule.id) });
    });
  }

  /** Session-rule changes run in the same queue as rebuilds, so two never pick the same free id. */
  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #allowOnceNow(tabId: number, host: string): Promise<boolean> {
    const existing = await this.#deps.dnr.getSessionRules();
    const nextId = existing.reduce((highest, rule) => Math.max(highest, rule.id), 0) + 1;
    const rules = proceedOnceRules(tabId, host, nextId);
    if (!rules) return false;
    await this.#deps.dnr.updateSessionRules({ addRules: [rules.navigation, rules.api] as DnrRuleInput });
    return true;
  }

  /** Session rules for a closed tab are dead weight; drop them. */
  async forgetTab(tabId: number): Promise<void> {
    const stale = (await this.#deps.dnr.getSessionRules()).filter((rule) => rule.condition.tabIds?.includes(tabId));
    if (stale.length > 0) await this.#deps.dnr.updateSessionRules({ removeRuleIds: stale.map((rule) => rule.id) });
  }

  async #rebuildNow(): Promise<void> {
    await this.#deps.registry.ready();
    const blockApiRequests = await this.#deps.blockApiRequests();
    // Asked before building: the browser lists the installed rules (a million domains at 1M
    // entries) while the worker builds the new ones.
    const existing = this.#deps.dnr.getDynamicRules();
    existing.catch(() => undefined);
    const { matcher } = this.#deps.registry;
    const { rules, problems, leftOut } = buildBlockRules({
      decide: (host) => matcher.decide(host),
      decideHostAndSubdomains: (host) => matcher.decideHostAndSubdomains(host),
      patterns: matcher.patterns(),
      interstitialUrl: this.#deps.interstitialUrl,
      blockApiRequests,
    });
    problems.forEach((problem) => this.#deps.report(problem));
    await this.#deps.dnr.updateDynamicRules({ removeRuleIds: (await existing).map((rule) => rule.id), addRules: rules as DnrRuleInput });
    this.#status = { installed: rules.length, leftOut };
    await this.#deps.session?.set({ [STATUS_KEY]: this.#status });
    // allowProceed: false ends every "proceed once" granted before it, in every tab, at once.
    if (!this.#deps.registry.policy.allowProceed) {
      const exceptions = await this.#deps.dnr.getSessionRules();
      if (exceptions.length > 0) await this.#deps.dnr.updateSessionRules({ removeRuleIds: exceptions.map((rule) => rule.id) });
    }
  }
}
