import { IDBFactory } from 'fake-indexeddb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { commitPage, committedDetails, quietPageView } from '../../tests/support/extension-apis.ts';
import type { PageContext, PageContextPush } from '../protocol/page-protocol.ts';
import { createTabStateStore } from '../verdicts/tab-state.ts';
import type { ListRegistry } from './list-registry.ts';
import { PageContexts } from './page-contexts.ts';
import { Preferences } from './preferences.ts';
import { TabVerdicts } from './tab-verdicts.ts';
import { createTestRegistry } from '../../tests/support/test-registry.ts';

const NO_PAGE_GUARD = 'Could not establish connection. Receiving end does not exist.';

let registry: ListRegistry;
let tabs: TabVerdicts;
let preferences: Preferences;
let contexts: PageContexts;
/** Every push the background tried, delivered or not. */
let pushes: { tabId: number; message: PageContextPush }[];
/** Tabs whose page guard listens in their top frame. */
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
      if (!listening.has(tabId)) throw new Error(NO_PAGE_GUARD);
      return undefined;
    },
    allTabIds: async () => [...openTabIds],
  });
  await registry.ready();
});

const relayView = (tabId: number) => quietPageView(tabId, 'https://chat.relay.example/c/1');

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
      managedBy: {},
    });
  });
});

describe('pushes', () => {
  const RELAY_HEADER = { id: 'dashboard-user-header', detail: 'New-API-User', family: 'new-api' } as const;

  /** A committed page whose document runs the page guard, as lib/background/page-guards.ts marks it when it starts one. */
  async function guardedPage(tabId: number, url: string, timeStamp = 1000) {
    await commitPage(tabs, tabId, url, timeStamp);
    expect(await tabs.markGuarded(tabId)).not.toBeNull();
  }

  test('a change to a guarded tab’s verdict is pushed to that tab', async () => {
    listening.add(5);
    await guardedPage(5, 'https://chat.relay.example/c/1');
    await contexts.push(5);
    expect(pushesTo(5)).toEqual([
      { type: 'page/context-changed', context: { verdict: relayView(5), warningDismissed: false, pasteGuard: true, unknownPageNotice: true } },
    ]);

    // New evidence on the page: pushed again, with the new verdict.
    await tabs.recordSignals(5, 2000, [RELAY_HEADER]);
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

  test('pushes go only to tabs whose document runs the page guard: the page watch listens for nothing', async () => {
    listening.add(5).add(6);
    await guardedPage(5, 'https://chat.relay.example/c/1');
    await commitPage(tabs, 6, 'https://chat.relay.example/c/1', 1000);

    await tabs.recordSignals(6, 2000, [RELAY_HEADER]);
    await tabs.recordSignals(5, 2000, [RELAY_HEADER]);
    await vi.waitFor(() => expect(pushesTo(5)).toHaveLength(1));
    await contexts.push(6);
    expect(pushesTo(6)).toEqual([]);

    // A new document in tab 5 runs no guard until one is started there: its commit is not pushed.
    await commitPage(tabs, 5, 'https://chat.relay.example/c/2', 3000);
    await contexts.push(5);
    expect(pushesTo(5)).toHaveLength(1);
  });

  test('a guard not listening yet (still starting, or its document gone) makes the push fail quietly', async () => {
    await guardedPage(6, 'https://chat.relay.example/c/1');
    await expect(contexts.push(6)).resolves.toBeUndefined();
    expect(pushes).toEqual([{ tabId: 6, message: { type: 'page/context-changed', context: { verdict: relayView(6), warningDismissed: false, pasteGuard: true, unknownPageNotice: true } } }]);

    // And the change listener's push does not become an unhandled rejection either.
    await tabs.recordSignals(6, 2000, [RELAY_HEADER]);
    await vi.waitFor(() => expect(pushesTo(6)).toHaveLength(2));
    await contexts.whenIdle(); // its rejection, had it escaped, would fail the run as unhandled
  });

  test('pushAll pushes to every guarded tab, whether or not its guard listens yet', async () => {
    openTabIds = [5, 6, 7, 9];
    listening.add(5).add(7).add(9);
    await guardedPage(5, 'https://chat.relay.example/c/1');
    await guardedPage(6, 'https://chat.relay.example/c/1');
    // Tab 7 has a page but no guard; tab 9 has no web page at all.
    await commitPage(tabs, 7, 'https://chat.relay.example/c/1', 1000);

    await preferences.updateSettings({ pasteGuard: false });
    await expect(contexts.pushAll()).resolves.toBeUndefined();
    expect(pushes.map((push) => push.tabId).sort()).toEqual([5, 6]);
    expect(pushesTo(5)).toEqual([{ type: 'page/context-changed', context: { verdict: relayView(5), warningDismissed: false, pasteGuard: false, unknownPageNotice: true } }]);
  });

  test('pushAll with no tabs does nothing', async () => {
    await contexts.pushAll();
    expect(pushes).toEqual([]);
  });
});
