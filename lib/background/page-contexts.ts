import type { PageContext, PageContextPush } from '../page-protocol.ts';
import type { Preferences } from './preferences.ts';
import type { TabVerdicts } from './tab-verdicts.ts';

export interface PageContextsDeps {
  readonly tabs: TabVerdicts;
  readonly preferences: Preferences;
  /** tabs.sendMessage to the tab's top frame; rejects when no content script listens there. */
  readonly sendToTab: (tabId: number, message: PageContextPush) => Promise<unknown>;
  readonly allTabIds: () => Promise<number[]>;
}

/**
 * What a page's content script needs in order to decide what to show (the tab's verdict, whether
 * the person dismissed the warning on this site, the paste-guard settings), answered on request
 * and pushed whenever it changes, so a warning appears within moments of the evidence.
 */
export class PageContexts {
  readonly #deps: PageContextsDeps;

  constructor(deps: PageContextsDeps) {
    this.#deps = deps;
    deps.tabs.onChange((tabId) => void this.push(tabId));
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
    try {
      await this.#deps.sendToTab(tabId, { type: 'page/context-changed', context: await this.contextFor(tabId) });
    } catch {
      // No content script in that tab (a browser page, a page still loading): it asks when it starts.
    }
  }

  async pushAll(): Promise<void> {
    await Promise.all((await this.#deps.allTabIds()).map((tabId) => this.push(tabId)));
  }
}
