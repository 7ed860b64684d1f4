import type { browser as browserApi } from 'wxt/browser';
import { createTranslator } from '../core/i18n.ts';
import { lazy } from '../core/lazy.ts';
import { createLookalikeDetector, lookalikeCheck } from '../detection/lookalike.ts';
import { loadBundledLists } from '../lists/bundled-lists.ts';
import { openListDatabase } from '../lists/list-store.ts';
import { fetchListUpdate } from '../lists/subscription-update.ts';
import { listProblemText } from '../lists/list-problem-text.ts';
import { createTabStateStore } from '../verdicts/tab-state.ts';
import { BlockPageActions } from './block-page-actions.ts';
import { BlockRuleSync } from './block-rule-sync.ts';
import { ExistingTabs, PAGE_WATCH_SCRIPT } from './existing-tabs.ts';
import { HiddenWarnings, type NotificationsApi } from './hidden-warnings.ts';
import { ListRegistry } from './list-registry.ts';
import { ListRefresh } from './list-refresh.ts';
import { managedSettings } from '../lists/policy.ts';
import { MessageRouter } from './message-router.ts';
import { PageContexts } from './page-contexts.ts';
import { PAGE_GUARD_SCRIPT, PageGuards } from './page-guards.ts';
import { registerPageReports } from './page-reports.ts';
import { registerReportDelivery } from './report-delivery.ts';
import { openReportDatabase } from '../reports/report-queue.ts';
import { openHistoryDatabase } from '../history/key-history.ts';
import { HistoryRecorder } from './history-recorder.ts';
import { localStore, Preferences } from './preferences.ts';
import { RequestObserver } from './request-observer.ts';
import { StatusProbes } from './status-probes.ts';
import { TabVerdicts } from './tab-verdicts.ts';
import { ToolbarBadge } from './toolbar-badge.ts';

type BrowserApi = typeof browserApi;

/** storage.local: the last managed policy seen, so a start never waits on storage.managed (ListRegistry). */
const POLICY_CACHE_KEY = 'managedPolicyCache';

/** The extension APIs the service worker uses; `browser` from wxt/browser, or fakes of them in tests. */
export type BackgroundBrowser = Pick<
  BrowserApi,
  'runtime' | 'tabs' | 'storage' | 'webNavigation' | 'webRequest' | 'declarativeNetRequest' | 'scripting' | 'i18n' | 'alarms'
> & { readonly action?: BrowserApi['action']; readonly notifications?: NotificationsApi };

/** Everything the worker touches outside itself: the only place tests put fakes. */
export interface BackgroundApis {
  readonly browser: BackgroundBrowser;
  /** Where the subscribed lists and the person's entries are stored. */
  readonly indexedDB: IDBFactory;
  /** Used for list subscriptions and report deliveries only. */
  readonly fetch: typeof fetch;
  /** Problems worth a line in the worker's console; never a key or page content. */
  readonly report: (problem: string) => void;
  readonly now?: () => Date;
}

export type Background = ReturnType<typeof createBackground>;

/** The performance mark the worker sets once every stored and managed list is in its matcher. */
const LISTS_READY_MARK = 'relayguard:lists-ready';
/** The performance mark the worker sets once the policy storage.managed answers is in force (a browser start can take seconds). */
const POLICY_LIVE_MARK = 'relayguard:policy-live';

/**
 * Builds the service worker: every component, its event listeners and the one message router
 * they register their requests with. All listeners are added synchronously, before this returns,
 * because MV3 wakes a stopped worker only for events whose listeners existed when its first task
 * ended; loading the stored lists starts afterwards. entrypoints/background.ts calls this with
 * the real browser; the tests call it with fakes of the same APIs, so both run this wiring.
 */
export function createBackground(apis: BackgroundApis) {
  const { browser, report } = apis;
  const bundled = loadBundledLists();

  const router = new MessageRouter(browser.runtime, report);
  // The policy's pasteGuard (warn | off) sets the person's setting; `registry` is built just below.
  const preferences = new Preferences(localStore(browser.storage.local), router, async () => {
    await registry.ready();
    return managedSettings(registry.policy);
  });
  const translate = createTranslator((key, substitutions) => browser.i18n.getMessage(key as never, substitutions));
  const registry = new ListRegistry({
    bundled: bundled.lists,
    // Opened by the registry, which retries a failed open on the next use (a memo here would keep the failure).
    openDatabase: () => openListDatabase(apis.indexedDB),
    readManagedPolicy: () => browser.storage.managed.get(),
    policyCache: {
      read: async () => (await browser.storage.local.get(POLICY_CACHE_KEY))[POLICY_CACHE_KEY],
      write: (raw) => (raw === null ? browser.storage.local.remove(POLICY_CACHE_KEY) : browser.storage.local.set({ [POLICY_CACHE_KEY]: raw })),
    },
    fetchUpdate: (target) => fetchListUpdate(target, apis.fetch),
    describeProblem: (problem) => listProblemText(translate, { problem }) ?? problem.message,
    report,
    router,
    ...(apis.now && { now: apis.now }),
  });

  const listRefresh = new ListRefresh({ registry, alarms: browser.alarms, now: () => (apis.now?.() ?? new Date()).getTime(), report, router });

  // Built on the first public page it judges, not at every start: most wakes (alarms, the
  // options page, a page the lists already decide) never need it, and it normalises every vendor host.
  const lookalike = lazy(() => {
    const officialHosts = bundled.lists.flatMap(({ list }) => list.entries.filter((entry) => entry.level === 'official').map((entry) => entry.pattern.replace(/^\./, '')));
    return lookalikeCheck(createLookalikeDetector(officialHosts));
  });
  // The block page's address under the extension's fixed id. With use_dynamic_url (wxt.config.ts)
  // getURL('/blocked.html') answers a per-session address instead, which dynamic rules would keep
  // after a browser restart; redirects to this one work all the same (docs/hostile-pages.md).
  const interstitialUrl = `${browser.runtime.getURL('/')}blocked.html`;
  const tabs = new TabVerdicts({
    browser,
    registry,
    interstitialUrl,
    store: createTabStateStore(browser.storage.session),
    lookalike: (host) => lookalike()(host),
    router,
  });
  const history = new HistoryRecorder({
    tabs,
    router,
    openDatabase: () => openHistoryDatabase(apis.indexedDB),
    local: browser.storage.local,
    now: () => (apis.now?.() ?? new Date()).getTime(),
    report,
  });
  const requests = new RequestObserver({ webRequest: browser.webRequest, tabs, browserTabs: browser.tabs, onAiCall: (tabId, call) => history.noteAiCall(tabId, call) });
  const blockRules = new BlockRuleSync({
    dnr: browser.declarativeNetRequest,
    registry,
    interstitialUrl,
    blockApiRequests: async () => (await preferences.settings()).blockAiRequestsToBlocked,
    report,
    session: browser.storage.session,
    router,
  });
  const blockPage = new BlockPageActions({
    registry,
    blockRules,
    router,
    interstitialUrl,
    interstitialAliases: [browser.runtime.getURL('/blocked.html')],
    onBeforeRedirect: {
      addListener: (listener) => browser.webRequest.onBeforeRedirect.addListener((details) => listener(details), { urls: ['<all_urls>'], types: ['main_frame'] }),
    },
    onCommitted: browser.webNavigation.onCommitted,
    onTabRemoved: browser.tabs.onRemoved,
    session: browser.storage.session,
    report,
  });

  // MV2 (Firefox) names the toolbar button browserAction.
  const action = browser.action ?? (browser as { browserAction?: BrowserApi['action'] }).browserAction;
  if (action) {
    const badge = new ToolbarBadge(action, translate);
    tabs.onChange((tabId, verdict, hostDisplay) => void badge.show(tabId, verdict, hostDisplay));
  }

  const allTabIds = async () => (await browser.tabs.query({})).flatMap((tab) => (tab.id === undefined ? [] : [tab.id]));
  const sendToGuard = (tabId: number, message: unknown) => browser.tabs.sendMessage(tabId, message, { frameId: 0 });
  const popupUrl = browser.runtime.getURL('/popup.html');
  const pageContexts = new PageContexts({
    tabs,
    preferences,
    sendToTab: sendToGuard,
    allTabIds,
    requests: {
      router,
      openDetails: async (tabId, { report }) => {
        const beside = await browser.tabs.get(tabId);
        // An extension page no page can script: the report form, like trust, is never in page content.
        await browser.tabs.create({ url: `${popupUrl}?tab=${tabId}${report ? '&report=1' : ''}`, index: beside.index + 1, openerTabId: tabId });
      },
    },
  });
  const pageGuards = new PageGuards({
    tabs,
    preferences,
    runGuard: async ({ tabId, documentId, frameId = 0 }) => {
      await browser.scripting.executeScript({
        // Chromium: exactly that document (a newer one in the tab or frame is not it); Firefox: the frame.
        target: documentId ? { tabId, documentIds: [documentId] } : { tabId, frameIds: [frameId] },
        files: [PAGE_GUARD_SCRIPT],
        injectImmediately: true,
      });
    },
    sendToGuard,
    allTabIds,
    router,
  });
  registerPageReports({ tabs, router });
  const statusProbes = new StatusProbes({ tabs, pageGuards });
  new HiddenWarnings({
    tabs,
    router,
    notifications: browser.notifications,
    translate,
    iconUrl: browser.runtime.getURL('/icons/warning-128.png' as '/popup.html'),
    report,
  });
  const reportQueue = registerReportDelivery({
    router,
    alarms: browser.alarms,
    openDatabase: () => openReportDatabase(apis.indexedDB),
    fetch: apis.fetch,
    tabVerdict: (tabId) => tabs.get(tabId),
    tabTitle: async (tabId) => (await browser.tabs.get(tabId)).title,
    lists: async () => {
      await registry.ready();
      return registry.summary();
    },
    extensionVersion: () => browser.runtime.getManifest().version,
    // Read through the one policy schema (lib/lists/policy.ts), live: never the cached copy.
    managedEndpoint: async () => (await registry.livePolicy()).reportEndpoint ?? undefined,
    local: browser.storage.local,
    now: () => (apis.now?.() ?? new Date()).getTime(),
    report,
  });

  // What a settings change affects; the request answers once all of it is done.
  preferences.onChange(() => Promise.all([blockRules.rebuild(), pageContexts.pushAll(), pageGuards.reviewAll()]).then(() => undefined));
  browser.tabs.onRemoved.addListener((tabId) => void blockRules.forgetTab(tabId));
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') void registry.reloadPolicy();
  });
  // A policy change can change what page guards show without changing a verdict (pasteGuard, who manages a host).
  registry.onChange(() => pageContexts.pushAll());
  // Dynamic rules outlive the worker; they are rebuilt when what they are made of may have
  // changed: a new version (bundled lists), a browser start (policy may differ), and list changes.
  // Tabs open before an install or update have no page watch: it is run in them, so they are judged without a reload.
  const existingTabs = new ExistingTabs({
    openTabs: () => browser.tabs.query({}),
    runWatch: async (tabId) => {
      await browser.scripting.executeScript({ target: { tabId, allFrames: true }, files: [PAGE_WATCH_SCRIPT], injectImmediately: true });
    },
  });
  browser.runtime.onInstalled.addListener((details) => {
    void blockRules.rebuild();
    existingTabs.onInstalled(details.reason);
  });
  browser.runtime.onStartup.addListener(() => void blockRules.rebuild());

  const unhandled = router.unhandled();
  if (unhandled.length > 0) throw new Error(`No component handles ${unhandled.join(', ')}.`);

  // A local timing mark (never sent anywhere): `npm run bench` reads it to measure cold starts.
  void registry.ready().then(() => globalThis.performance?.mark(LISTS_READY_MARK));
  void registry.livePolicy().then(() => globalThis.performance?.mark(POLICY_LIVE_MARK));
  void listRefresh.start();
  return { router, registry, listRefresh, tabs, existingTabs, blockRules, blockPage, preferences, pageContexts, pageGuards, statusProbes, reportQueue, history, requests };
}
