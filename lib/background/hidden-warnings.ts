/**
 * When a page keeps covering or removing RelayGuard's in-page warning or paste question, the
 * page guard stops fighting it (lib/page/stay-on-top.ts) and says so here. The verdict then
 * goes where no page can reach: the tab's verdict gets the page's conduct as a reason of its
 * own (strong relay evidence: an ordinary site has no reason to hide a warning about relays),
 * which the toolbar badge and the popup show, and a browser notification names the site once.
 */
import type { Translate } from '../core/i18n.ts';
import type { HiddenWarning } from '../verdicts/hidden-warning.ts';
import { senderTab, type MessageRouter, type Sender } from './message-router.ts';
import type { TabVerdicts } from './tab-verdicts.ts';

/** The part of browser.notifications this uses. */
export interface NotificationsApi {
  create(id: string, options: { type: 'basic'; iconUrl: string; title: string; message: string; priority?: number }): Promise<string>;
}

export interface HiddenWarningsDeps {
  readonly tabs: Pick<TabVerdicts, 'recordHiddenWarning' | 'isCommittedTopFrame' | 'get'>;
  /** Where it registers `page/warning-hidden`; without one, `record` is called directly (tests). */
  readonly router?: MessageRouter;
  /** undefined where the browser has no notifications API: the badge and the popup still say it. */
  readonly notifications: NotificationsApi | undefined;
  readonly translate: Translate;
  readonly iconUrl: string;
  readonly report?: (problem: string) => void;
}

export class HiddenWarnings {
  readonly #deps: HiddenWarningsDeps;

  constructor(deps: HiddenWarningsDeps) {
    this.#deps = deps;
    deps.router?.register({ 'page/warning-hidden': ({ surface, how }, sender) => this.record({ surface, how }, sender) });
  }

  /** The `page/warning-hidden` request: only from the top frame of the page the tab has committed. */
  async record(hidden: HiddenWarning, sender: Pick<Sender, 'tab' | 'frameId' | 'url'>): Promise<{ recorded: boolean }> {
    const tabId = senderTab(sender as Sender);
    if (!sender.url || !(await this.#deps.tabs.isCommittedTopFrame(tabId, sender))) return { recorded: false };
    const recorded = await this.#deps.tabs.recordHiddenWarning(tabId, sender.url, hidden);
    if (recorded) await this.#notify(tabId);
    return { recorded };
  }

  async #notify(tabId: number): Promise<void> {
    const { notifications, translate } = this.#deps;
    const verdict = await this.#deps.tabs.get(tabId);
    if (!notifications || !verdict) return;
    try {
      await notifications.create(`relayguard-hidden-${tabId}`, {
        type: 'basic',
        iconUrl: this.#deps.iconUrl,
        title: translate('hiddenNotice_title', { host: verdict.hostDisplay }),
        message: translate('hiddenNotice_message', { host: verdict.hostDisplay, level: translate(`level_${verdict.level}`) }),
        priority: 2,
      });
    } catch (error) {
      // The person turned notifications off for the browser: the badge and the popup still say it.
      this.#deps.report?.(`could not show the notification: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
