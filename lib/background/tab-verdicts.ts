import type { browser as browserApi } from 'wxt/browser';
import { normalizeHost } from '../host.ts';
import type { TabVerdictView } from '../messages.ts';
import type { TabState, TabStateStore } from '../tab-state.ts';
import { tabVerdict, verdictForHost, type EndpointVerdict, type Verdict } from '../verdict.ts';
import type { ListRegistry } from './list-registry.ts';

type BrowserApi = typeof browserApi;

export interface TabVerdictsDeps {
  readonly browser: Pick<BrowserApi, 'webNavigation' | 'tabs'>;
  readonly registry: ListRegistry;
  readonly store: TabStateStore;
  readonly now?: () => number;
}

/**
 * Tracks each tab's page and evidence, and answers what the tab's verdict is. Listeners are
 * registered in the constructor, synchronously, because MV3 only delivers events to listeners
 * that exist when the service worker's first task ends.
 */
export class TabVerdicts {
  readonly #deps: TabVerdictsDeps;
  readonly #now: () => number;

  constructor(deps: TabVerdictsDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    deps.browser.webNavigation.onCommitted.addListener((details) => {
      // Only a new top-level document resets evidence; same-document navigations (history.pushState,
      // #fragments) arrive as other events and keep it.
      if (details.frameId === 0) void this.#startPage(details.tabId, details.url);
    });
    deps.browser.tabs.onRemoved.addListener((tabId) => void deps.store.remove(tabId));
  }

  /** The verdict for a tab, or null for tabs without a web page (new tab page, settings). */
  async get(tabId: number): Promise<TabVerdictView | null> {
    await this.#deps.registry.ready();
    const state = (await this.#deps.store.get(tabId)) ?? (await this.#adoptExistingTab(tabId));
    if (!state) return null;
    const verdict = this.verdictOf(state);
    return { tabId, url: state.url, hostDisplay: state.hostDisplay, level: verdict.level, reasons: [...verdict.reasons] };
  }

  /** Derived from the state and the current lists on every call: a list change applies at once. */
  verdictOf(state: TabState): Verdict {
    const { matcher } = this.#deps.registry;
    const page = verdictForHost({ listHit: matcher.decide(state.host), host: state.hostDisplay, scope: state.scope, detections: state.detections });
    const endpoints = state.endpoints.map((endpoint): EndpointVerdict => {
      const normalized = normalizeHost(endpoint.host);
      const scope = normalized.ok ? normalized.value.scope : 'public';
      const own = verdictForHost({ listHit: matcher.decide(endpoint.host), host: endpoint.host, scope });
      // An AI API call to a host no allowlist vouches for is itself the evidence (test-contract.md).
      const level = own.level === 'unknown' && scope === 'public' ? 'unvetted' : own.level;
      return { host: endpoint.host, protocol: endpoint.protocol, level, reasons: own.reasons };
    });
    return tabVerdict(page, endpoints);
  }

  async #startPage(tabId: number, url: string): Promise<TabState | null> {
    const normalized = normalizeHost(url);
    if (!normalized.ok) {
      await this.#deps.store.remove(tabId);
      return null;
    }
    const { host, display, scope } = normalized.value;
    const state: TabState = { tabId, url, host, hostDisplay: display, scope, committedAt: this.#now(), detections: [], endpoints: [] };
    await this.#deps.store.set(state);
    return state;
  }

  /** Tabs opened before RelayGuard started (install, update, browser restore) have no state yet. */
  async #adoptExistingTab(tabId: number): Promise<TabState | null> {
    try {
      const tab = await this.#deps.browser.tabs.get(tabId);
      return tab.url ? await this.#startPage(tabId, tab.url) : null;
    } catch {
      return null; // the tab is gone
    }
  }
}
