import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { ListRegistry } from '../lib/background/list-registry.ts';
import { registerMessageRouter, RequestError } from '../lib/background/message-router.ts';
import { TabVerdicts } from '../lib/background/tab-verdicts.ts';
import { loadBundledLists } from '../lib/bundled-lists.ts';
import { openListDatabase } from '../lib/list-store.ts';
import { downloadList } from '../lib/subscriptions.ts';
import { createTabStateStore } from '../lib/tab-state.ts';

// Everything here runs synchronously in the service worker's first task: MV3 only wakes a
// worker for events whose listeners were registered then. Loading lists happens afterwards.
export default defineBackground(() => {
  const report = (problem: string) => console.warn(`[RelayGuard] ${problem}`);
  const bundled = loadBundledLists();
  bundled.problems.forEach(report);

  const registry = new ListRegistry({
    bundled: bundled.lists,
    openDatabase: () => openListDatabase(),
    readManagedPolicy: () => browser.storage.managed.get(),
    download: downloadList,
    report,
  });
  const tabs = new TabVerdicts({ browser, registry, store: createTabStateStore(browser.storage.session) });

  registerMessageRouter(
    browser.runtime,
    {
      'tab-verdict/get': ({ tabId }) => tabs.get(tabId),
      'lists/subscribe': async ({ url }) => {
        const result = await registry.subscribe(url);
        if (!result.ok) throw new RequestError(result.error);
        return result.value;
      },
      'lists/unsubscribe': async ({ id }) => ({ removed: await registry.unsubscribe(id) }),
      'lists/summary': async () => {
        await registry.ready();
        return registry.summary();
      },
    },
    report,
  );

  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') void registry.reloadPolicy();
  });

  void registry.ready();
});
