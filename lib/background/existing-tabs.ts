import { InFlight } from '../core/in-flight.ts';

/** The page watch's bundle (entrypoints/page-watch.ts), declared as the manifest's content script. */
export const PAGE_WATCH_SCRIPT = '/page-watch.js';

/** The pages the manifest's content script matches (wxt.config.ts: http and https). */
const WEB_PAGE = /^https?:\/\//i;

export interface ExistingTabsDeps {
  /** tabs.query({}): every open tab, with its address (RelayGuard has host permission for all). */
  readonly openTabs: () => Promise<ReadonlyArray<{ readonly id?: number; readonly url?: string }>>;
  /** Runs the page watch in every frame of the tab (scripting.executeScript); rejects when it cannot. */
  readonly runWatch: (tabId: number) => Promise<void>;
}

/**
 * Tabs that were open when RelayGuard was installed or updated have no page watch: the browser
 * runs a manifest's content scripts only in documents that load after it, and an update leaves
 * the old version's scripts orphaned. Their response headers are gone too. Rather than wait for
 * a reload, the watch is run in each of them, where it looks at the page and reports it as on
 * any load; the report adopts the tab (TabVerdicts), and a relay page gets its warning at once.
 * Not on a browser start: restored tabs load afresh and get the manifest's watch themselves.
 * Where the browser did run the watch already (Firefox does on install), the second one joins
 * the first one's page bridge, and its report only repeats the first.
 */
export class ExistingTabs {
  readonly #deps: ExistingTabsDeps;
  readonly #inFlight = new InFlight();

  constructor(deps: ExistingTabsDeps) {
    this.#deps = deps;
  }

  /** Whether the work it started has all finished. */
  get idle(): boolean {
    return this.#inFlight.idle;
  }

  /** Resolves once the work it started has finished (what tests wait on). */
  whenIdle(): Promise<void> {
    return this.#inFlight.whenIdle();
  }

  /** After an install or an update of the extension (runtime.onInstalled). */
  onInstalled(reason: string): void {
    if (reason === 'install' || reason === 'update') void this.#inFlight.track(this.watchAll());
  }

  /** Runs the page watch in every open web page; resolves to the tabs it now runs in. */
  async watchAll(): Promise<number[]> {
    const tabIds = (await this.#deps.openTabs()).flatMap((tab) => (tab.id !== undefined && tab.url && WEB_PAGE.test(tab.url) ? [tab.id] : []));
    const outcomes = await Promise.allSettled(tabIds.map((tabId) => this.#deps.runWatch(tabId)));
    // A tab that cannot be scripted (a discarded tab, the web store) gets the watch when it next loads.
    return tabIds.filter((_tabId, index) => outcomes[index]?.status === 'fulfilled');
  }
}
