import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { storage } from 'wxt/utils/storage';
import { BlockRuleSync } from '../lib/background/block-rule-sync.ts';
import { createHandlers } from '../lib/background/handlers.ts';
import { ListRegistry } from '../lib/background/list-registry.ts';
import { PageContexts } from '../lib/background/page-contexts.ts';
import { PAGE_GUARD_SCRIPT, PageGuards } from '../lib/background/page-guards.ts';
import { Preferences } from '../lib/background/preferences.ts';
import { registerMessageRouter } from '../lib/background/message-router.ts';
import { RequestObserver } from '../lib/background/request-observer.ts';
import { TabVerdicts } from '../lib/background/tab-verdicts.ts';
import { ToolbarBadge } from '../lib/background/toolbar-badge.ts';
import { loadBundledLists } from '../lib/lists/bundled-lists.ts';
import { createTranslator } from '../lib/core/i18n.ts';
import { openListDatabase } from '../lib/lists/list-store.ts';
import { createLookalikeDetector, lookalikeCheck } from '../lib/detection/lookalike.ts';
import { downloadList } from '../lib/lists/subscriptions.ts';
import { createTabStateStore } from '../lib/verdicts/tab-state.ts';

// Everything here runs synchronously in the service worker's first task: MV3 only wakes a
// worker for events whose listeners were registered then. Loading lists happens afterwards.
export default defineBackground(() => {
  const report = (problem: string) => console.warn(`[RelayGuard] ${problem}`);
  const bundled = loadBundledLists();
  bundled.problems.forEach(report);

  let database: ReturnType<typeof openListDatabase> | null = null;
  const openDatabase = () => (database ??= openListDatabase());
  const preferences = new Preferences(storage);

  const registry = new ListRegistry({
    bundled: bundled.lists,
    openDatabase,
    readManagedPolicy: () => browser.storage.managed.get(),
    download: downloadList,
    report,
  });
  const officialHosts = bundled.lists.flatMap(({ list }) => list.entries.filter((entry) => entry.level === 'official').map((entry) => entry.pattern.replace(/^\./, '')));
  const interstitialUrl = browser.runtime.getURL('/blocked.html');
  const tabs = new TabVerdicts({
    browser,
    registry,
    interstitialUrl,
    store: createTabStateStore(browser.storage.session),
    lookalike: lookalikeCheck(createLookalikeDetector(officialHosts)),
  });
  new RequestObserver({ webRequest: browser.webRequest, tabs });
  const blockRules = new BlockRuleSync({
    dnr: browser.declarativeNetRequest,
    registry,
    interstitialUrl,
    blockApiRequests: async () => (await preferences.settings()).blockAiRequestsToBlocked,
    report,
  });
  const translate = createTranslator((key, substitutions) => browser.i18n.getMessage(key as never, substitutions));
  // MV2 (Firefox) names the toolbar button browserAction.
  const badge = new ToolbarBadge(browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction, translate);
  tabs.onChange((tabId, verdict, hostDisplay) => void badge.show(tabId, verdict, hostDisplay));

  const allTabIds = async () => (await browser.tabs.query({})).flatMap((tab) => (tab.id === undefined ? [] : [tab.id]));
  const sendToGuard = (tabId: number, message: unknown) => browser.tabs.sendMessage(tabId, message, { frameId: 0 });
  const pageContexts = new PageContexts({ tabs, preferences, sendToTab: sendToGuard, allTabIds });
  const pageGuards = new PageGuards({
    tabs,
    preferences,
    runGuard: async ({ tabId, documentId }) => {
      await browser.scripting.executeScript({
        // Chromium: exactly the document that committed (a newer one in the tab is not it); Firefox: the top frame.
        target: documentId ? { tabId, documentIds: [documentId] } : { tabId, frameIds: [0] },
        files: [PAGE_GUARD_SCRIPT],
        injectImmediately: true,
      });
    },
    sendToGuard,
    allTabIds,
  });

  registerMessageRouter(
    browser.runtime,
    createHandlers({
      registry,
      tabs,
      blockRules,
      pageContexts,
      pageGuards,
      preferences,
      openDatabase,
      openTab: async (url, besideTabId) => {
        const beside = await browser.tabs.get(besideTabId);
        await browser.tabs.create({ url, index: beside.index + 1, openerTabId: besideTabId });
      },
      extensionUrl: (path) => browser.runtime.getURL(path),
    }),
    report,
  );

  browser.tabs.onRemoved.addListener((tabId) => void blockRules.forgetTab(tabId));
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') void registry.reloadPolicy();
  });
  // Dynamic rules outlive the worker; they are rebuilt when what they are made of may have
  // changed: a new version (bundled lists), a browser start (policy may differ), and list changes.
  browser.runtime.onInstalled.addListener(() => void blockRules.rebuild());
  browser.runtime.onStartup.addListener(() => void blockRules.rebuild());

  void registry.ready();
});
