import { InFlight } from '../core/in-flight.ts';
import type { PageContext, PageContextPush } from '../protocol/page-protocol.ts';
import { senderPageHost, senderSubFrame, senderTab, type MessageRouter } from './message-router.ts';
import type { Preferences } from './preferences.ts';
import type { TabVerdicts } from './tab-verdicts.ts';

export interface PageContextsDeps {
  readonly tabs: TabVerdicts;
  readonly preferences: Pick<Preferences, 'settings' | 'isWarningDismissed' | 'dismissWarning'>;
  /** tabs.sendMessage to the tab's top frame; rejects when no page guard listens there. */
  readonly sendToTab: (tabId: number, message: PageContextPush) => Promise<unknown>;
  readonly allTabIds: () => Promise<number[]>;
  /** Where the in-page warning's requests arrive, and what they need (absent in tests of this component alone). */
  readonly requests?: {
    readonly router: MessageRouter;
    /** Opens the popup's view of `tabId` in a new tab beside it. */
    readonly openDetails: (tabId: number, options: { readonly report: boolean }) => Promise<void>;
  };
}

/**
 * What a page guard needs in order to decide what to show (the tab's verdict, whether the person
 * dismissed the warning on this site, the paste-guard settings), answered on request and pushed
 * whenever it changes, so a warning appears within moments of the evidence. Pushed only to tabs
 * whose document runs the guard (lib/background/page-guards.ts): the page watch on other pages
 * listens for nothing, and a message to it would only cost the page. Also answers the in-page
 * warning's buttons.
 */
export class PageContexts {
  readonly #deps: PageContextsDeps;
  readonly #inFlight = new InFlight();

  constructor(deps: PageContextsDeps) {
    this.#deps = deps;
    deps.tabs.onChange((tabId) => void this.#inFlight.track(this.push(tabId)));
    if (deps.requests) this.#register(deps.requests);
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
   * The context of the tab's top document, or, with `frame`, of a frame inside it, whose verdict
   * is the worse of its own and its top page's (TabVerdicts.frameView); a frame shows no
   * warning, so no dismissal applies to it.
   */
  async contextFor(tabId: number, frame?: { readonly address: string | undefined }): Promise<PageContext> {
    const [verdict, settings] = await Promise.all([frame ? this.#deps.tabs.frameView(tabId, frame.address) : this.#deps.tabs.get(tabId), this.#deps.preferences.settings()]);
    const host = verdict && !frame ? await this.#deps.tabs.pageHost(tabId) : null;
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

  #register({ router, openDetails }: NonNullable<PageContextsDeps['requests']>): void {
    router.register({
      'page/context': (_request, sender) => {
        const frame = senderSubFrame(sender);
        return this.contextFor(senderTab(sender), frame ? { address: frame.address } : undefined);
      },
      'page/dismiss-warning': async (_request, sender) => {
        await this.#deps.preferences.dismissWarning(senderPageHost(sender));
        await this.push(senderTab(sender));
        return { dismissed: true };
      },
      'page/open-details': async ({ report }, sender) => {
        await openDetails(senderTab(sender), { report: report === true });
        return { opened: true };
      },
    });
  }
}
