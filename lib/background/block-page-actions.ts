import '../core/zod-setup.ts';
import { z } from 'zod/mini';
import { normalizeHost } from '../core/host.ts';
import { isNavigableTarget } from '../lists/block-rules.ts';
import type { InterstitialInfo } from '../protocol/messages.ts';
import { verdictForHost } from '../verdicts/verdict.ts';
import { managedByIfDecided, withManagedBy } from '../verdicts/tab-view.ts';
import { managedByOf } from '../lists/policy.ts';
import type { BlockRuleSync } from './block-rule-sync.ts';
import type { ListRegistry } from './list-registry.ts';
import { RequestError, type MessageRouter } from './message-router.ts';

/** What the block page's requests carry about who sent them (runtime.onMessage's sender). */
export interface BlockPageSender {
  readonly url?: string;
  readonly frameId?: number;
  readonly tab?: { readonly id?: number };
}

/** webRequest.onBeforeRedirect details, as far as this module reads them. */
export interface RedirectDetails {
  readonly tabId: number;
  readonly frameId: number;
  readonly type: string;
  readonly url: string;
  readonly redirectUrl: string;
}

/** webNavigation.onCommitted details, as far as this module reads them. */
export interface CommitDetails {
  readonly tabId: number;
  readonly frameId: number;
  readonly url: string;
}

interface Event<T> {
  addListener(listener: (details: T) => void, ...rest: never[]): void;
}

/** The part of storage.session this module uses: one key per tab. */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface BlockPageActionsDeps {
  readonly registry: ListRegistry;
  readonly blockRules: Pick<BlockRuleSync, 'allowOnce' | 'pageCommitted'>;
  readonly router: MessageRouter;
  /** `chrome-extension://<id>/blocked.html`: where the block rules send a navigation, the original URL after '#'. */
  readonly interstitialUrl: string;
  /**
   * Other addresses webRequest may report that redirect under: Chromium names a resource with
   * use_dynamic_url by its per-session address there (runtime.getURL('/blocked.html')).
   */
  readonly interstitialAliases?: readonly string[];
  readonly onBeforeRedirect: Event<RedirectDetails>;
  readonly onCommitted: Event<CommitDetails>;
  readonly onTabRemoved: Event<number>;
  readonly session: SessionArea;
  readonly report: (problem: string) => void;
}

/** How many redirected URLs one tab remembers: enough for back and forward between a few. */
const MAX_REDIRECTS_PER_TAB = 16;
/** The protocol's own cap on a block-page URL; a longer one can never be asked about. */
const MAX_URL_LENGTH = 8192;

const redirectsSchema = z.array(z.string().check(z.maxLength(MAX_URL_LENGTH))).check(z.maxLength(MAX_REDIRECTS_PER_TAB));
const keyFor = (tabId: number) => `blockPageRedirects:${tabId}`;

/**
 * The block page's side of the background. `blocked.html` is reachable from the web (a
 * declarativeNetRequest redirect to it must be), so anything it asks for is checked here against
 * what the background itself saw, never against what the page says:
 *
 * - "continue once" is accepted only from the top frame of our own block page, standing in for
 *   exactly the URL it asks about, in a tab whose navigation to that URL the browser redirected to
 *   the block page (seen in webRequest.onBeforeRedirect, kept in session storage so a restarted
 *   worker still knows), and only while the URL's host is `blocked` by a list now;
 * - the exception it grants is for that host alone and for that one page: the navigation rule is
 *   spent when the page commits and the API rule when the tab moves on (BlockRuleSync.pageCommitted).
 *
 * Listeners and the two requests' handlers are registered in the constructor, synchronously
 * (MV3 wakes a worker only for listeners that exist when its first task ends).
 */
export class BlockPageActions {
  readonly #deps: BlockPageActionsDeps;
  /** Writes per tab run one after another, so two redirects in quick succession both stay. */
  #writes: Promise<void> = Promise.resolve();

  constructor(deps: BlockPageActionsDeps) {
    this.#deps = deps;
    const targets = new Set([deps.interstitialUrl, ...(deps.interstitialAliases ?? [])]);
    deps.onBeforeRedirect.addListener((details) => {
      if (details.type !== 'main_frame' || details.frameId !== 0 || details.tabId < 0) return;
      const hash = details.redirectUrl.indexOf('#');
      if (hash < 0 || !targets.has(details.redirectUrl.slice(0, hash)) || details.redirectUrl.slice(hash + 1) !== details.url) return;
      this.#serially(() => this.#remember(details.tabId, details.url));
    });
    deps.onCommitted.addListener((details) => {
      if (details.frameId !== 0 || details.tabId < 0) return;
      void deps.blockRules.pageCommitted(details.tabId, details.url).catch((cause: unknown) => deps.report(`Proceed-once rules not updated: ${String(cause)}`));
    });
    deps.onTabRemoved.addListener((tabId) => this.#serially(() => deps.session.remove(keyFor(tabId))));
    deps.router.register({
      'interstitial/info': ({ url }) => this.info(url),
      'interstitial/proceed-once': ({ url }, sender) => this.proceedOnce(url, sender),
    });
  }

  /** Resolves when every redirect and tab closing seen so far is in session storage. */
  settled(): Promise<void> {
    return this.#writes;
  }

  /** What the block page shows for `url`: its verdict now, and what the person may do. */
  async info(url: string): Promise<InterstitialInfo> {
    const { host: _host, ...info } = await this.#describe(url);
    return info;
  }

  /** "Continue once" from the block page: a session exception for that tab, that host, that page. */
  async proceedOnce(url: string, sender: BlockPageSender): Promise<{ url: string }> {
    const tabId = sender.tab?.id;
    if (tabId === undefined || tabId < 0) throw new RequestError('This request must come from a tab.');
    if (sender.frameId !== 0 || sender.url !== `${this.#deps.interstitialUrl}#${url}`) {
      throw new RequestError('Only RelayGuard’s block page, open in its own tab, can continue to a site.');
    }
    const info = await this.#describe(url);
    if (!info.navigable || !info.host) throw new RequestError('Only web pages can be opened.');
    if (info.level !== 'blocked') throw new RequestError('This site is not blocked; there is nothing to continue past.');
    // The live policy, never the copy a start began with: a lock the administrator just set holds.
    if (!info.allowProceed || !(await this.#deps.registry.livePolicy()).allowProceed) {
      throw new RequestError('Your organisation does not allow continuing to this site.');
    }
    if (!(await this.#redirectedTo(tabId)).includes(url)) {
      throw new RequestError('RelayGuard did not stop a visit to this address in this tab.');
    }
    if (!(await this.#deps.blockRules.allowOnce(tabId, info.host))) throw new RequestError('The exception could not be added.');
    return { url };
  }

  async #describe(url: string): Promise<InterstitialInfo & { host: string | null }> {
    const { registry } = this.#deps;
    // The block page shows the list's reason and evidence.
    await registry.detailsReady();
    const normalized = normalizeHost(url);
    if (!normalized.ok) {
      return { url, host: null, navigable: false, hostUnicode: url, hostAscii: url, level: 'unknown', reasons: [], allowProceed: false };
    }
    const { host, unicode, scope } = normalized.value;
    const verdict = verdictForHost({ listHit: registry.matcher.decide(host), host, scope });
    return {
      url,
      host,
      navigable: isNavigableTarget(url),
      hostUnicode: unicode,
      hostAscii: host,
      level: verdict.level,
      reasons: [...verdict.reasons],
      allowProceed: registry.policy.allowProceed,
      // Who decided: a managed entry blocked it, or the policy keeps the person from going on.
      ...withManagedBy(
        managedByIfDecided(verdict.reasons, registry.policy) ?? (verdict.level === 'blocked' && !registry.policy.allowProceed ? managedByOf(registry.policy) : null),
      ),
    };
  }

  /** The URLs the browser redirected to the block page in this tab, once pending records are written. */
  async #redirectedTo(tabId: number): Promise<string[]> {
    await this.#writes;
    return this.#read(tabId);
  }

  async #read(tabId: number): Promise<string[]> {
    const stored = redirectsSchema.safeParse((await this.#deps.session.get(keyFor(tabId)))[keyFor(tabId)] ?? []);
    return stored.success ? stored.data : [];
  }

  async #remember(tabId: number, url: string): Promise<void> {
    if (url.length > MAX_URL_LENGTH) return;
    const known = (await this.#read(tabId)).filter((seen) => seen !== url);
    await this.#deps.session.set({ [keyFor(tabId)]: [...known, url].slice(-MAX_REDIRECTS_PER_TAB) });
  }

  #serially(task: () => Promise<void>): void {
    this.#writes = this.#writes.then(task).catch((cause: unknown) => this.#deps.report(`Block page record not kept: ${String(cause)}`));
  }
}
