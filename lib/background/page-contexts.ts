import { InFlight } from '../core/in-flight.ts';
import type { PageContext, PageContextPush } from '../protocol/page-protocol.ts';
import type { Preferences } from './preferences.ts';
import type { TabVerdicts } from './tab-verdicts.ts';

export interface PageContextsDeps {
  readonly tabs: TabVerdicts;
  readonly preferences: Preferences;
  /** tabs.sendMessage to the tab's top frame; rejects when no page guard listens there. */
  readonly sendToTab: (tabId: number, message: PageContextPush) => Promise<unknown>;
  readonly allTabIds: () => Promise<number[]>;
}

/**
 * What a page guard needs in order to decide what to show (the tab's verdict, whether the person
 * dismissed the warning on this site, the paste-guard settings), answered on request and pushed
 * whenever it changes, so a warning appears within moments of the evidence. Pushed only to tabs
 * whose document runs the guard (lib/background/page-guards.ts): the page watch on other pages
 * listens for nothing, and a message to it would only cost the page.
 */
export class PageContexts {
  readonly #deps: PageContextsDeps;
  readonly #inFlight = new InFlight();

  constructor(deps: PageContextsDeps) {
    this.#deps = deps;
    deps.tabs.onChange((tabId) => void this.#inFlight.track(this.push(tabId)));
  }

  /** Whether the work its event listeners started has all finished. */
  get idle(): boolean {
    return this.#inFlight.idle;
  }

  /** Resolves once the work its event listeners started has finished (what tests wait on). */
  whenIdle(): Promise<void> {
    return this.#inFlight.whenIdle();
  }

  async contextFor(tabId: number): Promise<PageContext> {
    const [verdict, settings] = await Promise.all([this.#deps.tabs.get(tabId), this.#deps.preferences.settings()]);
    const host = verdict ? await this.#deps.tabs.pageHost(tabId) : null;
    return {
      verdict,
      warningDismissed: host ? await this.#deps.preferences.isWarningDismissed(host) : false,
      pasteGuard: settings.pasteGuard,
      unknownPageNotice: settings.unknownPageNotice,
    };
  }

  async push(tabId: number): Promise<void> {
    if (!(await this.#deps.tabs.isGuarded(tabId))) return;
    try {
      await this.#deps.sendToTab(tabId, { type: 'page/context-changed', context: await this.contextFor(tabId) });
    } catch {
      // The guard is still starting (it asks when it starts) or the document just went away.
    }
  }

  async pushAll(): Promise<void> {
    await Promise.all((await this.#deps.allTabIds()).map((tabId) => this.push(tabId)));
  }
}
