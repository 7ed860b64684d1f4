import { InFlight } from '../core/in-flight.ts';
import type { StatusProbeRequest } from '../protocol/page-protocol.ts';
import type { Settings } from '../core/settings.ts';
import type { GatewayFamily } from '../detection/scoring.ts';
import type { VerdictLevel } from '../verdicts/verdict.ts';
import { senderSubFrame, senderTab, type MessageRouter } from './message-router.ts';
import type { Preferences } from './preferences.ts';
import type { TabVerdicts } from './tab-verdicts.ts';

/** The page guard's bundle (entrypoints/page-guard/), run where it is needed. */
export const PAGE_GUARD_SCRIPT = '/page-guard.js';

/** Where a script is run: the tab's top frame, and in Chromium exactly the document RelayGuard saw commit. */
export interface ScriptTarget {
  readonly tabId: number;
  readonly documentId: string | undefined;
  /** A frame inside the page (Firefox names no document); the top frame when absent. */
  readonly frameId?: number;
}

export interface PageGuardsDeps {
  readonly tabs: TabVerdicts;
  readonly preferences: Pick<Preferences, 'settings'>;
  /** Runs the page guard script in that document (scripting.executeScript); rejects when it cannot. */
  readonly runGuard: (target: ScriptTarget) => Promise<void>;
  /** tabs.sendMessage to the tab's top frame; rejects when no page guard listens there. */
  readonly sendToGuard: (tabId: number, message: StatusProbeRequest) => Promise<unknown>;
  readonly allTabIds: () => Promise<number[]>;
  /** Where its requests arrive (absent in tests of this component alone). */
  readonly router?: MessageRouter;
}

/**
 * The page guard (the in-page warning, the key paste guard's questions, the status probe) runs
 * only in the pages that need it; the page watch, on every page, carries none of it. This
 * starts the guard in a tab's document once that document needs it:
 * - its verdict is `unvetted` or `blocked` (the warning, and vendor keys held on paste);
 * - it is `unknown` but called AI APIs, and the person wants the notice on such pages;
 * - the page watch holds a paste only the guard can ask about (`page/guard-needed`);
 * - the background wants the page's one status probe made.
 * At most once per document: the tab's state carries the mark, and a new document starts unmarked.
 */
export class PageGuards {
  readonly #deps: PageGuardsDeps;
  /** The start under way in each tab, if any. */
  readonly #starting = new Map<number, Promise<boolean>>();
  readonly #inFlight = new InFlight();

  constructor(deps: PageGuardsDeps) {
    this.#deps = deps;
    deps.tabs.onChange((tabId, verdict, _host, aiCalls) => void this.#inFlight.track(this.#review(tabId, { level: verdict.level, aiCalls })));
    deps.router?.register({
      // The page watch holds a paste only the guard can ask about.
      'page/guard-needed': async (_request, sender) => {
        const tabId = senderTab(sender);
        // A frame inside the page: the guard goes into exactly that frame, and judges it by the worse of its own verdict and its top page's.
        const frame = senderSubFrame(sender);
        if (frame) return { started: await this.ensureFrame({ tabId, frameId: frame.frameId, documentId: frame.documentId }) };
        if (!(await deps.tabs.isCommittedTopFrame(tabId, sender))) return { started: false };
        return { started: await this.ensure(tabId) };
      },
    });
  }

  /** Whether the work its event listeners started has all finished. */
  get idle(): boolean {
    return this.#inFlight.idle;
  }

  /** Resolves once the work its event listeners started has finished (what tests wait on). */
  whenIdle(): Promise<void> {
    return this.#inFlight.whenIdle();
  }

  /**
   * Starts the guard in the tab's current document unless it runs there already; resolves true
   * once it does run there. Starts in one tab go one after another, so a caller never hears
   * "started" while an earlier start is still under way (or about to fail).
   */
  ensure(tabId: number): Promise<boolean> {
    const previous = this.#starting.get(tabId) ?? Promise.resolve(false);
    // Storage can fail too (the session area, while the browser shuts down): then not started.
    const start = previous.then(() => this.#start(tabId)).catch(() => false);
    this.#starting.set(tabId, start);
    void start.finally(() => {
      if (this.#starting.get(tabId) === start) this.#starting.delete(tabId);
    });
    return start;
  }

  async #start(tabId: number): Promise<boolean> {
    const marked = await this.#deps.tabs.markGuarded(tabId);
    if (!marked) return this.#deps.tabs.isGuarded(tabId);
    try {
      await this.#deps.runGuard({ tabId, documentId: marked.documentId });
      return true;
    } catch {
      // The document is gone or cannot be scripted (a browser page, another extension's page).
      await this.#deps.tabs.unmarkGuarded(tabId, marked.documentId);
      return false;
    }
  }

  /**
   * Starts the guard in a frame inside the tab's page whose page watch holds a paste that may
   * carry a key (lib/page/paste/early-paste-hold.ts). The guard there asks for the frame's own
   * context and decides (PageContexts.contextFor); a second start in the same document stands
   * down by itself (the page bridge's claimGuard), so nothing is marked here.
   */
  async ensureFrame(target: ScriptTarget & { readonly frameId: number }): Promise<boolean> {
    try {
      await this.#deps.runGuard(target);
      return true;
    } catch {
      return false; // the frame is gone, or cannot be scripted
    }
  }

  /** Has the tab's guard make the page's one status probe (the background granted it). */
  async requestStatusProbe(tabId: number, family?: GatewayFamily): Promise<void> {
    if (!(await this.ensure(tabId))) return;
    try {
      await this.#deps.sendToGuard(tabId, { type: 'page/status-probe', ...(family && { family }) });
    } catch {
      // The page navigated away meanwhile: nothing left to probe.
    }
  }

  /** After a settings change: tabs that now need the guard get it. */
  async reviewAll(): Promise<void> {
    await Promise.all(
      (await this.#deps.allTabIds()).map(async (tabId) => {
        const view = await this.#deps.tabs.get(tabId);
        if (view) await this.#review(tabId, { level: view.level, aiCalls: view.endpoints.length });
      }),
    );
  }

  async #review(tabId: number, page: GuardedPage): Promise<void> {
    // The settings matter only to an unknown page that called AI APIs: read them only then.
    const settings = page.level === 'unknown' && page.aiCalls > 0 ? await this.#deps.preferences.settings() : { unknownPageNotice: false };
    if (needsGuard(page, settings)) await this.ensure(tabId);
  }
}

/** What decides whether a page needs its guard: its level, and how many AI-API endpoints it called. */
export interface GuardedPage {
  readonly level: VerdictLevel;
  readonly aiCalls: number;
}

/** Whether a page has anything for the guard to show or hold. */
export function needsGuard(page: GuardedPage, settings: Pick<Settings, 'unknownPageNotice'>): boolean {
  if (page.level === 'unvetted' || page.level === 'blocked') return true;
  return page.level === 'unknown' && page.aiCalls > 0 && settings.unknownPageNotice;
}
