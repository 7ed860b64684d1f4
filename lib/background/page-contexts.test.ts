import { IDBFactory } from 'fake-indexeddb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { committedDetails } from '../../tests/support/extension-apis.ts';
import type { TabVerdictView } from '../messages.ts';
import type { PageContext, PageContextPush } from '../page-protocol.ts';
import { createTabStateStore } from '../tab-state.ts';
import type { ListRegistry } from './list-registry.ts';
import { PageContexts } from './page-contexts.ts';
import { Preferences } from './preferences.ts';
import { TabVerdicts } from './tab-verdicts.ts';
import { createTestRegistry } from '../../tests/support/test-registry.ts';

const NO_CONTENT_SCRIPT = 'Could not establish connection. Receiving end does not exist.';

let registry: ListRegistry;
let tabs: TabVerdicts;
let preferences: Preferences;
let contexts: PageContexts;
/** Every push the background tried, delivered or not. */
let pushes: { tabId: number; message: PageContextPush }[];
/** Tabs with a content script listening in their top frame. */
let listening: Set<number>;
let openTabIds: number[];

const committed = (tabId: number, url: string, timeStamp = 1_700_000_000_000) => committedDetails(tabId, url, timeStamp);

const pushesTo = (tabId: number) => pushes.filter((push) => push.tabId === tabId).map((push) => push.message);

beforeEach(async () => {
  fakeBrowser.reset();
  fakeBrowser.webNavigation.onCommitted.removeAllListeners();
  const factory = new IDBFactory();
  registry = createTestRegistry(factory);
  tabs = new TabVerdicts({ browser: fakeBrowser, registry, store: createTabStateStore(fakeBrowser.storage.session) });
  preferences = new Preferences(storage);
  pushes = [];
  listening = new Set();
  openTabIds = [];
  contexts = new PageContexts({
    tabs,
    preferences,
    // As browser.tabs.sendMessage: rejects when nothing listens in the tab.
    sendToTab: async (tabId, message) => {
      pushes.push({ tabId, message: structuredClone(message) });
      if (!listening.has(tabId)) throw new Error(NO_CONTENT_SCRIPT);
      return undefined;
    },
    allTabIds: async () => [...openTabIds],
  });
  await registry.ready();
});

const relayView = (tabId: number): TabVerdictView => ({
  tabId,
  url: 'https://chat.relay.example/c/1',
  hostDisplay: 'chat.relay.example',
  level: 'unknown',
  reasons: [],
  endpoints: [],
  family: undefined,
  control: { userEntry: null, managed: false },
});

describe('contextFor', () => {
  test('a tab without a web page: no verdict, the default settings', async () => {
    expect(await contexts.contextFor(42)).toEqual({ verdict: null, warningDismissed: false, pasteGuard: true, unknownPageNotice: true });
  });

  test('a tab’s verdict, whether its site’s warning was dismissed, and the settings', async () => {
    await fakeBrowser.webNavigation.onCommitted.trigger(committed(5, 'https://chat.relay.example/c/1'));
    await vi.waitFor(async () => expect(await tabs.pageHost(5)).toBe('chat.relay.example'));
    expect(await contexts.contextFor(5)).toEqual({ verdict: relayView(5), warningDismissed: false, pasteGuard: true, unknownPageNotice: true });

    await preferences.dismissWarning('relay.example'); // another host: the parent domain is not this site
    expect((await contexts.contextFor(5)).warningDismissed).toBe(false);
    await preferences.dismissWarning('chat.relay.example');
    await preferences.updateSettings({ pasteGuard: false, unknownPageNotice: false });
    const expected: PageContext = { verdict: relayView(5), warningDismissed: true, pasteGuard: false, unknownPageNotice: false };
    expect(await contexts.contextFor(5)).toEqual(expected);
  });

  test('the verdict follows the lists', async () => {
    await fakeBrowser.webNavigation.onCommitted.trigger(committed(5, 'https://chat.relay.example/c/1'));
    await vi.waitFor(async () => expect(await tabs.pageHost(5)).toBe('chat.relay.example'));
    await fakeBrowser.storage.managed.set({ blocklist: ['relay.example'] });
    await registry.reloadPolicy();
    expect((await contexts.contextFor(5)).verdict).toEqual({
      ...relayView(5),
      level: 'blocked',
      reasons: [{ kind: 'list', level: 'blocked', source: 'Managed policy', detail: 'relay.example', listSource: 'managed' }],
      control: { userEntry: null, managed: true },
    });
  });
});

describe('pushes', () => {
  test('a change to the tab’s verdict is pushed to that tab', async () => {
    listening.add(5);
    await fakeBrowser.webNavigation.onCommitted.trigger(committed(5, 'https://chat.relay.example/c/1', 1000));
    await vi.waitFor(() => expect(pushesTo(5)).toHaveLength(1));
    expect(pushesTo(5)).toEqual([
      { type: 'page/context-changed', context: { verdict: relayView(5), warningDismissed: false, pasteGuard: true, unknownPageNotice: true } },
    ]);

    // New evidence on the page: pushed again, with the new verdict.
    await tabs.recordSignals(5, 2000, [{ id: 'dashboard-user-header', detail: 'New-API-User', family: 'new-api' }]);
    await vi.waitFor(() => expect(pushesTo(5)).toHaveLength(2));
    expect(pushesTo(5)[1]).toEqual({
      type: 'page/context-changed',
      context: {
        verdict: {
          ...relayView(5),
          level: 'unvetted',
          reasons: [{ kind: 'signal', level: 'unvetted', source: 'dashboard-user-header', detail: 'New-API-User' }],
          family: 'new-api',
        },
        warningDismissed: false,
        pasteGuard: true,
        unknownPageNotice: true,
      },
    });
    expect(pushes.every((push) => push.tabId === 5)).toBe(true);
  });

  test('a tab without a content script makes the push fail quietly', async () => {
    // Nothing listens in tab 6 (a page still loading, a browser page): push must not reject.
    await expect(contexts.push(6)).resolves.toBeUndefined();
    expect(pushes).toEqual([{ tabId: 6, message: { type: 'page/context-changed', context: { verdict: null, warningDismissed: false, pasteGuard: true, unknownPageNotice: true } } }]);

    // And the change listener's push does not become an unhandled rejection either.
    await fakeBrowser.webNavigation.onCommitted.trigger(committed(6, 'https://chat.relay.example/c/1'));
    await vi.waitFor(() => expect(pushesTo(6)).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 5));
  });

  test('pushAll pushes to every tab, whether or not each one listens', async () => {
    openTabIds = [5, 6, 9];
    listening.add(5).add(9);
    await fakeBrowser.webNavigation.onCommitted.trigger(committed(5, 'https://chat.relay.example/c/1'));
    await vi.waitFor(() => expect(pushesTo(5)).toHaveLength(1));
    pushes = [];

    await preferences.updateSettings({ pasteGuard: false });
    await expect(contexts.pushAll()).resolves.toBeUndefined();
    expect(pushes.map((push) => push.tabId).sort()).toEqual([5, 6, 9]);
    expect(pushesTo(5)).toEqual([{ type: 'page/context-changed', context: { verdict: relayView(5), warningDismissed: false, pasteGuard: false, unknownPageNotice: true } }]);
    expect(pushesTo(9)).toEqual([{ type: 'page/context-changed', context: { verdict: null, warningDismissed: false, pasteGuard: false, unknownPageNotice: true } }]);
  });

  test('pushAll with no tabs does nothing', async () => {
    await contexts.pushAll();
    expect(pushes).toEqual([]);
  });
});
