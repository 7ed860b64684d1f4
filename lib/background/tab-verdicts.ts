import type { browser as browserApi } from 'wxt/browser';
import { normalizeHost } from '../core/host.ts';
import { InFlight } from '../core/in-flight.ts';
import type { TabVerdictView } from '../protocol/messages.ts';
import { scoreSignals, type Signal } from '../detection/scoring.ts';
import { withEndpointCall, withSignal, type TabState, type TabStateStore } from '../verdicts/tab-state.ts';
import { tabVerdictOf, tabVerdictView, type TabFacts } from '../verdicts/tab-view.ts';
import { frameVerdictView } from '../verdicts/frame-view.ts';
import type { Reason, Verdict } from '../verdicts/verdict.ts';
import { hiddenWarningReason, type HiddenWarning } from '../verdicts/hidden-warning.ts';
import type { ListRegistry } from './list-registry.ts';
import type { MessageRouter } from './message-router.ts';

type BrowserApi = typeof browserApi;

/** Says whether a host imitates an official vendor host; null when it does not. */
type LookalikeCheck = (host: string) => Reason | null;

export interface TabVerdictsDeps {
  readonly browser: Pick<BrowserApi, 'webNavigation' | 'tabs'>;
  readonly registry: ListRegistry;
  readonly store: TabStateStore;
  readonly lookalike?: LookalikeCheck;
  /** The block page's URL; a tab showing it has the verdict of the URL it blocked (after `#`). */
  readonly interstitialUrl?: string;
  /** Where its requests arrive (absent in tests of this component alone). */
  readonly router?: MessageRouter;
}

export interface AiCall {
  readonly host: string;
  readonly protocol: string;
  readonly credentialKind?: string;
  /** On a multi-tenant gateway, the account id from the call's path. */
  readonly account?: string;
}

/** `aiCalls`: how many AI-API endpoints the page called (a page guard's notice depends on it). */
type ChangeListener = (tabId: number, verdict: Verdict, hostDisplay: string, aiCalls: number) => void;

/** The document a page report came from (Chromium names it), to adopt exactly that one. */
interface DocumentHint {
  readonly url: string;
  readonly documentId?: string;
}

/** Response signals of a top-level document arrive before its commit; they wait here for it. */
interface PendingDocument {
  readonly url: string;
  readonly signals: Signal[];
}

/**
 * Tracks each tab's page and evidence, and answers what the tab's verdict is. Listeners are
 * registered in the constructor, synchronously, because MV3 only delivers events to listeners
 * that exist when the service worker's first task ends.
 *
 * About 340 lines, kept in one class: every write to a tab's record goes through its one queue
 * (commit, adoption of a tab whose commit was missed, evidence), which is what keeps them ordered.
 */
export class TabVerdicts {
  readonly #deps: TabVerdictsDeps;
  readonly #listeners = new Set<ChangeListener>();
  readonly #pendingDocuments = new Map<number, PendingDocument>();
  /** Tabs whose commit this worker saw: their state is on its way, never adopted from tabs.get. */
  readonly #committedTabs = new Set<number>();
  /** The adoption under way in each tab: two pieces of evidence arriving at once adopt it once. */
  readonly #adopting = new Map<number, Promise<TabState | null>>();
  readonly #inFlight = new InFlight();

  constructor(deps: TabVerdictsDeps) {
    this.#deps = deps;
    deps.browser.webNavigation.onCommitted.addListener((details) => {
      // Only a new top-level document resets evidence; same-document navigations (history.pushState,
      // #fragments) arrive as other events and keep it.
      if (details.frameId !== 0) return;
      this.#committedTabs.add(details.tabId);
      // Chromium names the committed document; Firefox does not (scripts then go to the top frame).
      const { documentId } = details as { documentId?: unknown };
      void this.#inFlight.track(this.#startPage(details.tabId, details.url, details.timeStamp, typeof documentId === 'string' ? documentId : undefined));
    });
    deps.browser.tabs.onRemoved.addListener((tabId) => {
      this.#pendingDocuments.delete(tabId);
      this.#committedTabs.delete(tabId);
      void this.#inFlight.track(deps.store.remove(tabId));
    });
    deps.registry.onChange(() => this.#inFlight.track(this.#refreshAll()));
    deps.router?.register({ 'tab-verdict/get': ({ tabId }) => this.get(tabId) });
  }

  /** Whether the work its event listeners started has all finished. */
  get idle(): boolean {
    return this.#inFlight.idle;
  }

  /** Resolves once the work its event listeners started has finished (what tests wait on). */
  whenIdle(): Promise<void> {
    return this.#inFlight.whenIdle();
  }

  onChange(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The verdict for a tab, or null for tabs without a web page (new tab page, settings). */
  async get(tabId: number): Promise<TabVerdictView | null> {
    // A view shows the lists' reasons and evidence, so it waits for them too.
    await this.#deps.registry.detailsReady();
    const state = (await this.#deps.store.get(tabId)) ?? (await this.#adoptExistingTab(tabId));
    return state ? tabVerdictView(this.#deps.registry.matcher, this.#facts(state), this.#deps.registry.policy) : null;
  }

  /** The verdict a frame inside the tab's page is guarded by (lib/verdicts/frame-view.ts). */
  async frameView(tabId: number, frameAddress: string | undefined): Promise<TabVerdictView | null> {
    return frameVerdictView(this.#deps.registry.matcher, await this.get(tabId), { tabId, address: frameAddress }, this.#deps.lookalike, this.#deps.registry.policy);
  }

  /** Derived from the state and the current lists on every call: a list change applies at once. */
  verdictOf(state: TabState): Verdict {
    return tabVerdictOf(this.#deps.registry.matcher, this.#facts(state));
  }

  /**
   * The canonical host of the page in the tab. A page whose commit this worker never saw (it
   * committed before the worker's listeners were there: browser start, session restore, an
   * install or update) is adopted from the tab first, so its own reports are not refused.
   */
  async pageHost(tabId: number, reporter?: DocumentHint): Promise<string | null> {
    return (await this.#adoptIfUnseen(tabId, reporter))?.host ?? null;
  }

  /**
   * Whether a message sent from `sender` comes from the top frame of the page RelayGuard saw
   * commit in its tab: what the page's own reports are trusted from. A late message from the
   * tab's previous document must not land on the new one.
   */
  async isCommittedTopFrame(tabId: number, sender: { frameId?: number; url?: string }): Promise<boolean> {
    if (sender.frameId !== 0 || !sender.url) return false;
    const host = normalizeHost(sender.url);
    const { documentId } = sender as { documentId?: unknown };
    return host.ok && host.value.host === (await this.pageHost(tabId, { url: sender.url, ...(typeof documentId === 'string' && { documentId }) }));
  }

  /** A response header of the top-level document, seen before the document commits. */
  noteDocumentSignals(tabId: number, url: string, signals: readonly Signal[]): void {
    if (signals.length === 0) return;
    const pending = this.#pendingDocuments.get(tabId);
    const known = pending?.url === url ? pending.signals : [];
    this.#pendingDocuments.set(tabId, { url, signals: [...known, ...signals] });
  }

  /** Signals about the page currently in the tab; dropped if they predate its commit. */
  async recordSignals(tabId: number, observedAt: number, signals: readonly Signal[]): Promise<void> {
    if (signals.length === 0) return;
    await this.#adoptIfUnseen(tabId);
    const next = await this.#deps.store.update(tabId, (state) => {
      if (observedAt < state.committedAt) return null;
      let changed: TabState | null = null;
      for (const signal of signals) changed = withSignal(changed ?? state, signal) ?? changed;
      return changed;
    });
    if (next) await this.#emit(next);
  }

  async recordAiCall(tabId: number, observedAt: number, call: AiCall): Promise<void> {
    await this.#adoptIfUnseen(tabId);
    const next = await this.#deps.store.update(tabId, (state) => (observedAt < state.committedAt ? null : withEndpointCall(state, call)));
    if (next) await this.#emit(next);
  }

  /**
   * Signals a content script reported about its page. Trusted only for the page RelayGuard saw
   * commit in that tab: a late message from the previous document must not land on the new one.
   */
  async recordPageSignals(tabId: number, pageUrl: string, signals: readonly Signal[]): Promise<void> {
    const host = normalizeHost(pageUrl);
    if (!host.ok || host.value.host !== (await this.pageHost(tabId))) return;
    await this.recordSignals(tabId, Number.MAX_SAFE_INTEGER, signals);
  }

  /**
   * The page at `pageUrl` (the sender's, checked against the tab's committed page) kept hiding
   * RelayGuard's warning or question: strong relay evidence. Resolves true when it was news.
   */
  async recordHiddenWarning(tabId: number, pageUrl: string, hidden: HiddenWarning): Promise<boolean> {
    const host = normalizeHost(pageUrl);
    if (!host.ok || host.value.host !== (await this.pageHost(tabId))) return false;
    let news = false;
    const next = await this.#deps.store.update(tabId, (state) => {
      if (state.hiddenWarning) return null;
      news = true;
      return { ...state, hiddenWarning: { surface: hidden.surface, how: hidden.how } };
    });
    if (!news || !next) return false;
    await this.#emit(next);
    return true;
  }

  /**
   * Marks the tab's current document as guarded; resolves to that document (its id, when the
   * browser gave one) only for the call that changed the mark, null when it was already set or
   * the tab has no page. The page guard is started once per document this way.
   */
  async markGuarded(tabId: number): Promise<{ documentId: string | undefined } | null> {
    let marked: { documentId: string | undefined } | null = null;
    await this.#deps.store.update(tabId, (state) => {
      if (state.guarded) return null;
      marked = { documentId: state.documentId };
      return { ...state, guarded: true };
    });
    return marked;
  }

  /** Takes the mark off again (the guard could not be started: the document is gone, or not scriptable). */
  async unmarkGuarded(tabId: number, documentId: string | undefined): Promise<void> {
    await this.#deps.store.update(tabId, (state) => (state.guarded && state.documentId === documentId ? { ...state, guarded: false } : null));
  }

  /** Whether the page guard runs in the tab's current document. */
  async isGuarded(tabId: number): Promise<boolean> {
    return (await this.#deps.store.get(tabId))?.guarded ?? false;
  }

  /** Whether the tab's one status probe was granted (and so its answer may be recorded). */
  async wasProbeGranted(tabId: number): Promise<boolean> {
    return (await this.#deps.store.get(tabId))?.probed ?? false;
  }

  /**
   * The content script may probe the page's public status endpoint once per document, and only
   * when the page already scores as suspect (docs/relay-signals.md §1).
   */
  async grantStatusProbe(tabId: number): Promise<boolean> {
    let granted = false;
    await this.#deps.store.update(tabId, (state) => {
      if (state.probed || state.scope !== 'public' || !scoreSignals(state.signals).suspect) return null;
      if (this.verdictOf(state).level !== 'unknown') return null; // listed or already decided: nothing to learn
      granted = true;
      return { ...state, probed: true };
    });
    return granted;
  }

  #detections(state: TabState): Reason[] {
    const score = scoreSignals(state.signals);
    const lookalike = state.scope === 'public' ? this.#deps.lookalike?.(state.host) : null;
    const hidden = state.hiddenWarning ? hiddenWarningReason(state.hostDisplay, state.hiddenWarning) : null;
    return [...(hidden ? [hidden] : []), ...(score.unvetted ? score.reasons : []), ...(lookalike ? [lookalike] : [])];
  }

  #facts(state: TabState): TabFacts {
    return { ...state, detections: this.#detections(state), family: scoreSignals(state.signals).family };
  }

  /** Listeners hear verdicts made with every list loaded, never with the bundled lists alone. */
  async #emit(state: TabState): Promise<void> {
    await this.#deps.registry.ready();
    const verdict = this.verdictOf(state);
    for (const listener of this.#listeners) listener(state.tabId, verdict, state.hostDisplay, state.endpoints.length);
  }

  async #startPage(tabId: number, url: string, committedAt: number, documentId?: string, { adopted = false } = {}): Promise<TabState | null> {
    url = this.#standsFor(url);
    const pending = this.#pendingDocuments.get(tabId);
    // The response headers of the document in the tab wait for its commit, or for its adoption.
    if (!adopted || pending?.url === url) this.#pendingDocuments.delete(tabId);
    const normalized = normalizeHost(url);
    if (!normalized.ok) {
      if (!adopted) await this.#deps.store.remove(tabId);
      return null;
    }
    const { host, display, scope } = normalized.value;
    const signals = pending?.url === url ? pending.signals : [];
    const state: TabState = { tabId, url, host, hostDisplay: display, scope, committedAt, signals, endpoints: [], probed: false, guarded: false, ...(documentId && { documentId }) };
    // An adoption never replaces a state (a commit or an earlier adoption got there first); a
    // commit replaces all but its own document's, adopted before its commit event arrived.
    const stored = await this.#deps.store.setUnless(state, (current) => adopted || (documentId !== undefined && current.documentId === documentId));
    if (stored !== state) return stored;
    await this.#deps.registry.ready();
    // Evidence recorded while the lists loaded (the content script's report, the page's first
    // requests) is in the store, not in `state`, and was already emitted: emitting the snapshot
    // taken at commit would overwrite that newer verdict (the badge fell back to `unknown`).
    // Read the tab again, in turn with its other updates; a newer navigation emits for itself.
    const current = await this.#deps.store.update(tabId, () => null);
    if (current?.committedAt !== committedAt || current.url !== url) return current;
    await this.#emit(current);
    return current;
  }

  /**
   * Evidence for a tab RelayGuard never saw commit (it was open before install or update, or
   * loaded while the worker was starting) would otherwise be dropped: adopt the tab's page first.
   * Resolves to the tab's state.
   */
  async #adoptIfUnseen(tabId: number, reporter?: DocumentHint): Promise<TabState | null> {
    // Read in turn with the tab's writes: a commit seen just before is stored by then.
    const stored = await this.#deps.store.update(tabId, () => null);
    if (stored || this.#committedTabs.has(tabId)) return stored;
    return this.#adoptExistingTab(tabId, reporter);
  }

  /** The block page stands in for the URL it blocked: the popup and badge there speak of that URL. */
  #standsFor(url: string): string {
    const prefix = this.#deps.interstitialUrl === undefined ? null : `${this.#deps.interstitialUrl}#`;
    return prefix !== null && url.startsWith(prefix) ? url.slice(prefix.length) : url;
  }

  /**
   * Tabs opened before RelayGuard started (install, update, browser restore) have no state yet.
   * One adoption per tab at a time, and it never replaces a state stored meanwhile (a commit the
   * worker did see, or the evidence recorded on an earlier adoption). The document is the one
   * that reported, when its address is the tab's (so its late commit keeps the evidence), else
   * none: the guard then goes to the tab's top frame, whatever document is there.
   */
  #adoptExistingTab(tabId: number, reporter?: DocumentHint): Promise<TabState | null> {
    const under = this.#adopting.get(tabId);
    if (under) return under;
    const adoption = (async () => {
      try {
        const tab = await this.#deps.browser.tabs.get(tabId);
        const documentId = reporter && reporter.url === tab.url ? reporter.documentId : undefined;
        return tab.url ? await this.#startPage(tabId, tab.url, 0, documentId, { adopted: true }) : null;
      } catch {
        return null; // the tab is gone
      }
    })();
    this.#adopting.set(tabId, adoption);
    void adoption.finally(() => this.#adopting.delete(tabId));
    return adoption;
  }

  async #refreshAll(): Promise<void> {
    for (const tab of await this.#deps.browser.tabs.query({})) {
      if (tab.id === undefined) continue;
      const state = await this.#deps.store.get(tab.id);
      if (state) await this.#emit(state);
    }
  }
}
