import { IDBFactory } from 'fake-indexeddb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, test } from 'vitest';
import { committedDetails, type CommittedDetails } from '../../tests/support/extension-apis.ts';
import type { TabVerdictView } from '../protocol/messages.ts';
import { createTabStateStore, type TabState } from '../verdicts/tab-state.ts';
import type { Verdict } from '../verdicts/verdict.ts';
import type { ListRegistry } from './list-registry.ts';
import { TabVerdicts } from './tab-verdicts.ts';
import { createTestRegistry } from '../../tests/support/test-registry.ts';


let factory: IDBFactory;
let registry: ListRegistry;

/** A service worker's worth of components, wired as entrypoints/background.ts wires them. */
async function startWorker() {
  registry = createTestRegistry(factory);
  const store = createTabStateStore(fakeBrowser.storage.session);
  const tabs = new TabVerdicts({ browser: fakeBrowser, registry, store });
  await registry.ready();
  return { tabs, store };
}

/** The browser stops the worker: its listeners go, storage.session stays. */
function stopWorker() {
  fakeBrowser.webNavigation.onCommitted.removeAllListeners();
  fakeBrowser.tabs.onRemoved.removeAllListeners();
}

const committed = (tabId: number, url: string, frameId = 0, timeStamp = 1_700_000_000_000) => committedDetails(tabId, url, timeStamp, frameId);

/** Waits for the tab's next verdict change (emitted once a top-level commit is stored). */
function nextChange(tabs: TabVerdicts, tabId: number): Promise<Verdict> {
  return new Promise((resolve) => {
    const stop = tabs.onChange((changedTab, verdict) => {
      if (changedTab !== tabId) return;
      stop();
      resolve(verdict);
    });
  });
}

/** For events that should store nothing and emit nothing: wait until their handling has finished. */
const settled = (tabs: TabVerdicts) => tabs.whenIdle();

async function commit(tabs: TabVerdicts, tabId: number, url: string, timeStamp?: number) {
  const changed = nextChange(tabs, tabId);
  await fakeBrowser.webNavigation.onCommitted.trigger(committed(tabId, url, 0, timeStamp));
  return changed;
}

beforeEach(() => {
  fakeBrowser.reset();
  // fakeBrowser.reset() does not reach webNavigation (it has no resetState).
  fakeBrowser.webNavigation.onCommitted.removeAllListeners();
  factory = new IDBFactory();
});

describe('navigation', () => {
  test('a committed top-level navigation creates the tab state in storage.session', async () => {
    const { tabs, store } = await startWorker();
    expect(await commit(tabs, 5, 'https://Chat.Relay.example:8443/c/1?x=1', 1234)).toEqual({ level: 'unknown', reasons: [] });
    const expected: TabState = {
      tabId: 5,
      url: 'https://Chat.Relay.example:8443/c/1?x=1',
      host: 'chat.relay.example',
      hostDisplay: 'chat.relay.example',
      scope: 'public',
      committedAt: 1234,
      signals: [],
      endpoints: [],
      probed: false,
      documentId: 'doc-5-0-1234',
      guarded: false,
    };
    expect(await store.get(5)).toEqual(expected);
    expect(await fakeBrowser.storage.session.get(null)).toEqual({ 'tab:5': expected });
    const view: TabVerdictView = {
      tabId: 5,
      url: expected.url,
      hostDisplay: 'chat.relay.example',
      level: 'unknown',
      reasons: [],
      endpoints: [],
      family: undefined,
      control: { userEntry: null, managed: false },
    };
    expect(await tabs.get(5)).toEqual(view);
  });

  test('an IDN page is shown in Unicode with its punycode', async () => {
    const { tabs } = await startWorker();
    await commit(tabs, 5, 'https://bücher.example/');
    expect((await tabs.get(5))?.hostDisplay).toBe('bücher.example (xn--bcher-kva.example)');
  });

  test('a subframe navigation neither creates state nor replaces the page', async () => {
    const { tabs, store } = await startWorker();
    await fakeBrowser.webNavigation.onCommitted.trigger(committed(5, 'https://ads.example/frame', 3));
    await settled(tabs);
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});

    await commit(tabs, 5, 'https://chat.relay.example/', 1234);
    const page = await store.get(5);
    await store.set({ ...page!, endpoints: [{ host: 'api.cheap-relay.example', protocol: 'openai', count: 1, credentialKinds: [] }] });
    await fakeBrowser.webNavigation.onCommitted.trigger(committed(5, 'https://widgets.example/embed', 2, 9999));
    await settled(tabs);
    expect(await store.get(5)).toEqual({ ...page, endpoints: [{ host: 'api.cheap-relay.example', protocol: 'openai', count: 1, credentialKinds: [] }] });
  });

  test('a new top-level navigation starts a new page and drops the old evidence', async () => {
    const { tabs, store } = await startWorker();
    await commit(tabs, 5, 'https://chat.relay.example/', 1234);
    await store.set({ ...(await store.get(5))!, endpoints: [{ host: 'api.cheap-relay.example', protocol: 'openai', count: 1, credentialKinds: [] }] });
    await commit(tabs, 5, 'https://openrouter.ai/chat', 5678);
    expect(await store.get(5)).toMatchObject({ url: 'https://openrouter.ai/chat', host: 'openrouter.ai', committedAt: 5678, endpoints: [] });
    expect((await tabs.get(5))?.level).toBe('vetted');
  });

  test('navigating to a page without a web host clears the state', async () => {
    const { tabs, store } = await startWorker();
    await commit(tabs, 5, 'https://chat.relay.example/');
    await fakeBrowser.webNavigation.onCommitted.trigger(committed(5, 'chrome://newtab/'));
    await settled(tabs);
    expect(await store.get(5)).toBeNull();
    expect(await tabs.get(5)).toBeNull();
  });

  test('closing the tab clears its state, and only its state', async () => {
    const { tabs, store } = await startWorker();
    await commit(tabs, 5, 'https://chat.relay.example/');
    await commit(tabs, 6, 'https://openrouter.ai/');
    await fakeBrowser.tabs.onRemoved.trigger(5, { windowId: 1, isWindowClosing: false });
    await settled(tabs);
    expect(await store.get(5)).toBeNull();
    expect(Object.keys(await fakeBrowser.storage.session.get(null))).toEqual(['tab:6']);
  });

  test('a tab open before RelayGuard started is adopted on first request', async () => {
    const { tabs, store } = await startWorker();
    const tab = await fakeBrowser.tabs.create({ url: 'https://api.openai.com/v1/models' });
    expect(await tabs.get(tab.id!)).toEqual({
      tabId: tab.id,
      url: 'https://api.openai.com/v1/models',
      hostDisplay: 'api.openai.com',
      level: 'official',
      reasons: [{ kind: 'list', level: 'official', source: 'RelayGuard AI vendors v2026.11.26', detail: 'api.openai.com (vendor-api)', listSource: 'bundled' }],
      endpoints: [],
      family: undefined,
      control: { userEntry: null, managed: false },
    });
    expect(await store.get(tab.id!)).toMatchObject({ host: 'api.openai.com', committedAt: 0 });
    expect(await tabs.get(999)).toBeNull(); // no such tab
  });
});

describe('the document and its page guard', () => {
  const PAGE = 'https://chat.relay.example/c/1';

  test('a Chromium commit records the id of the document that committed; each new document brings its own', async () => {
    const { tabs, store } = await startWorker();
    await commit(tabs, 5, PAGE, 1234);
    expect((await store.get(5))?.documentId).toBe('doc-5-0-1234');
    await commit(tabs, 5, PAGE, 5678);
    expect((await store.get(5))?.documentId).toBe('doc-5-0-5678');
  });

  test('Firefox names no document, nor does an adopted tab: the state has no id and the mark says so', async () => {
    const { tabs, store } = await startWorker();
    const { documentId: _chromiumOnly, ...firefoxDetails } = committed(5, PAGE, 0, 1234) as CommittedDetails & { documentId?: string };
    const changed = nextChange(tabs, 5);
    await fakeBrowser.webNavigation.onCommitted.trigger(firefoxDetails as CommittedDetails);
    await changed;
    expect(await store.get(5)).toMatchObject({ host: 'chat.relay.example', committedAt: 1234 });
    expect(await store.get(5)).not.toHaveProperty('documentId');
    // The guard then goes to the tab's top frame (entrypoints/background.ts), named by no id.
    expect(await tabs.markGuarded(5)).toEqual({ documentId: undefined });

    const tab = await fakeBrowser.tabs.create({ url: 'https://openrouter.ai/' });
    expect((await tabs.get(tab.id!))?.level).toBe('vetted');
    expect(await store.get(tab.id!)).not.toHaveProperty('documentId');
  });

  test('markGuarded marks the current document once: the first call gets its id, later calls null', async () => {
    const { tabs } = await startWorker();
    await commit(tabs, 5, PAGE, 1234);
    expect(await tabs.isGuarded(5)).toBe(false);
    expect(await tabs.markGuarded(5)).toEqual({ documentId: 'doc-5-0-1234' });
    expect(await tabs.isGuarded(5)).toBe(true);
    expect(await tabs.markGuarded(5)).toBeNull();
  });

  test('concurrent marks (a verdict change and the page watch asking at once): exactly one wins', async () => {
    const { tabs } = await startWorker();
    await commit(tabs, 5, PAGE, 1234);
    const marks = await Promise.all([tabs.markGuarded(5), tabs.markGuarded(5), tabs.markGuarded(5)]);
    expect(marks.filter((mark) => mark !== null)).toEqual([{ documentId: 'doc-5-0-1234' }]);
  });

  test('a tab without a page cannot be marked, and marking creates no state for it', async () => {
    const { tabs, store } = await startWorker();
    expect(await tabs.markGuarded(42)).toBeNull();
    expect(await tabs.isGuarded(42)).toBe(false);
    await tabs.unmarkGuarded(42, undefined);
    expect(await store.get(42)).toBeNull();
  });

  test('a new navigation starts unmarked, and is marked with its own id', async () => {
    const { tabs } = await startWorker();
    await commit(tabs, 5, PAGE, 1000);
    await tabs.markGuarded(5);
    await commit(tabs, 5, PAGE, 2000);
    expect(await tabs.isGuarded(5)).toBe(false);
    expect(await tabs.markGuarded(5)).toEqual({ documentId: 'doc-5-0-2000' });
  });

  test('unmarkGuarded takes the mark off only the document it names', async () => {
    const { tabs } = await startWorker();
    await commit(tabs, 5, PAGE, 1000);
    await tabs.markGuarded(5);
    await tabs.unmarkGuarded(5, 'doc-5-0-999');
    expect(await tabs.isGuarded(5)).toBe(true);
    await tabs.unmarkGuarded(5, 'doc-5-0-1000');
    expect(await tabs.isGuarded(5)).toBe(false);

    // The guard failed to start in the previous document only after the tab moved on and the new
    // document got its own guard: that failure must not take the new document's mark.
    await tabs.markGuarded(5);
    await commit(tabs, 5, PAGE, 2000);
    await tabs.markGuarded(5);
    await tabs.unmarkGuarded(5, 'doc-5-0-1000');
    expect(await tabs.isGuarded(5)).toBe(true);
  });

  test('the mark is kept in storage.session: a restarted worker does not start the guard again', async () => {
    const first = await startWorker();
    await commit(first.tabs, 5, PAGE, 1234);
    await first.tabs.markGuarded(5);
    stopWorker();

    const second = await startWorker();
    expect(await second.tabs.isGuarded(5)).toBe(true);
    expect(await second.tabs.markGuarded(5)).toBeNull();
  });
});

describe('the verdict follows the current lists', () => {
  test('a policy or user-entry change applies without a new navigation', async () => {
    const { tabs } = await startWorker();
    await commit(tabs, 5, 'https://chat.relay.example/');
    expect((await tabs.get(5))?.level).toBe('unknown');

    await fakeBrowser.storage.managed.set({ blocklist: ['relay.example'] });
    await registry.reloadPolicy();
    expect(await tabs.get(5)).toMatchObject({
      level: 'blocked',
      reasons: [{ kind: 'list', level: 'blocked', source: 'Managed policy', detail: 'relay.example', listSource: 'managed' }],
    });

    await fakeBrowser.storage.managed.set({ blocklist: [] });
    await registry.reloadPolicy();
    await registry.putUserEntry({ pattern: '.chat.relay.example', level: 'vetted', note: 'our own gateway' });
    expect(await tabs.get(5)).toMatchObject({
      level: 'vetted',
      reasons: [{ kind: 'list', level: 'vetted', source: 'Your entries', detail: '.chat.relay.example (our own gateway)', listSource: 'user' }],
    });
  });

  test('a list change tells listeners the new verdict of every open tab', async () => {
    const { tabs } = await startWorker();
    const tab = await fakeBrowser.tabs.create({ url: 'https://chat.relay.example/' });
    await commit(tabs, tab.id!, 'https://chat.relay.example/');
    const changed = nextChange(tabs, tab.id!);
    await fakeBrowser.storage.managed.set({ blocklist: ['relay.example'] });
    await registry.reloadPolicy();
    expect((await changed).level).toBe('blocked');
  });
});

describe('endpoint evidence', () => {
  const endpoint = (host: string, protocol = 'openai', count = 1) => ({ host, protocol, count, credentialKinds: ['vendor-key'] });

  async function pageWithEndpoints(endpoints: TabState['endpoints']) {
    const worker = await startWorker();
    await commit(worker.tabs, 5, 'https://chat.example.com/');
    await worker.store.set({ ...(await worker.store.get(5))!, endpoints });
    return worker;
  }

  test('a call to an unknown public endpoint makes the tab unvetted', async () => {
    const { tabs } = await pageWithEndpoints([endpoint('api.cheap-relay.example', 'openai', 3)]);
    expect(await tabs.get(5)).toEqual({
      tabId: 5,
      url: 'https://chat.example.com/',
      hostDisplay: 'chat.example.com',
      level: 'unvetted',
      reasons: [{ kind: 'endpoint', level: 'unvetted', source: 'api.cheap-relay.example', detail: 'openai' }],
      endpoints: [{ ...endpoint('api.cheap-relay.example', 'openai', 3), level: 'unvetted' }],
      family: undefined,
      control: { userEntry: null, managed: false },
    });
  });

  test('official, vetted, loopback and private endpoints do not raise the tab', async () => {
    const { tabs } = await pageWithEndpoints([
      endpoint('api.openai.com'),
      endpoint('openrouter.ai'),
      endpoint('localhost', 'ollama'),
      endpoint('127.0.0.1', 'openai'),
      endpoint('::1', 'openai'),
      endpoint('192.168.1.20', 'openai'),
      endpoint('llm.corp.internal', 'anthropic'),
    ]);
    const view = await tabs.get(5);
    expect(view?.level).toBe('unknown');
    expect(view?.reasons).toEqual([]);
    expect(view?.endpoints.map(({ host, level }) => [host, level])).toEqual([
      ['api.openai.com', 'official'],
      ['openrouter.ai', 'vetted'],
      ['localhost', 'unknown'],
      ['127.0.0.1', 'unknown'],
      ['::1', 'unknown'],
      ['192.168.1.20', 'unknown'],
      ['llm.corp.internal', 'unknown'],
    ]);
  });

  test('a blocked endpoint makes the tab blocked; the worst endpoint leads the reasons', async () => {
    await fakeBrowser.storage.managed.set({ blocklist: ['evil-relay.example'] });
    const { tabs } = await pageWithEndpoints([endpoint('api.openai.com'), endpoint('api.cheap-relay.example'), endpoint('evil-relay.example', 'anthropic')]);
    expect(await tabs.get(5)).toMatchObject({
      level: 'blocked',
      reasons: [
        { kind: 'endpoint', level: 'blocked', source: 'evil-relay.example', detail: 'anthropic · Managed policy' },
        { kind: 'endpoint', level: 'unvetted', source: 'api.cheap-relay.example', detail: 'openai' },
      ],
    });
  });

  test('allowlisting the endpoint later clears the tab without a new navigation', async () => {
    const { tabs } = await pageWithEndpoints([endpoint('api.cheap-relay.example')]);
    expect((await tabs.get(5))?.level).toBe('unvetted');
    await fakeBrowser.storage.managed.set({ allowlist: ['cheap-relay.example'] });
    await registry.reloadPolicy();
    expect(await tabs.get(5)).toMatchObject({ level: 'unknown', reasons: [], endpoints: [{ host: 'api.cheap-relay.example', level: 'vetted' }] });
  });
});

describe('a restarted service worker', () => {
  test('still knows the tab, its page and its evidence, from storage.session', async () => {
    const first = await startWorker();
    await commit(first.tabs, 5, 'https://chat.example.com/', 1234);
    await first.store.set({ ...(await first.store.get(5))!, endpoints: [{ host: 'api.cheap-relay.example', protocol: 'openai', count: 2, credentialKinds: [] }] });
    stopWorker();

    const second = await startWorker();
    // Tab 5 does not exist in the fake browser's tab list, so this cannot come from adopting it anew.
    expect(await second.tabs.get(5)).toEqual({
      tabId: 5,
      url: 'https://chat.example.com/',
      hostDisplay: 'chat.example.com',
      level: 'unvetted',
      reasons: [{ kind: 'endpoint', level: 'unvetted', source: 'api.cheap-relay.example', detail: 'openai' }],
      endpoints: [{ host: 'api.cheap-relay.example', protocol: 'openai', count: 2, credentialKinds: [], level: 'unvetted' }],
      family: undefined,
      control: { userEntry: null, managed: false },
    });
    expect((await second.store.get(5))?.committedAt).toBe(1234);

    // Its listeners were registered in the constructor: events reach the new instance.
    await fakeBrowser.tabs.onRemoved.trigger(5, { windowId: 1, isWindowClosing: true });
    await settled(second.tabs);
    expect(await second.store.get(5)).toBeNull();
  });

  test('a stored record that no longer parses is dropped, not trusted', async () => {
    const { tabs } = await startWorker();
    await fakeBrowser.storage.session.set({ 'tab:5': { tabId: 5, url: 'https://chat.example.com/', host: 'chat.example.com', scope: 'the moon' } });
    expect(await tabs.get(5)).toBeNull();
  });
});

describe('evidence for a tab RelayGuard never saw commit', () => {
  test('an AI call in a tab open before RelayGuard started adopts the tab instead of being dropped', async () => {
    const { tabs } = await startWorker();
    const tab = await fakeBrowser.tabs.create({ url: 'https://chat.example.com/' });
    await tabs.recordAiCall(tab.id!, 5, { host: 'api.cheap-relay.example', protocol: 'openai', credentialKind: 'vendor-key' });
    const view = await tabs.get(tab.id!);
    expect(view?.level).toBe('unvetted');
    expect(view?.endpoints).toEqual([{ host: 'api.cheap-relay.example', protocol: 'openai', count: 1, credentialKinds: ['vendor-key'], level: 'unvetted' }]);
  });
});

describe('the block page', () => {
  test('a tab showing the block page has the verdict of the URL it blocked', async () => {
    const interstitialUrl = 'chrome-extension://rg/blocked.html';
    await fakeBrowser.storage.managed.set({ blocklist: ['relay.example'] });
    const registry = createTestRegistry(factory, { report: () => undefined });
    const tabs = new TabVerdicts({ browser: fakeBrowser, registry, store: createTabStateStore(fakeBrowser.storage.session), interstitialUrl });
    await commit(tabs, 5, `${interstitialUrl}#https://chat.relay.example/c/1?x=1#frag`);
    expect(await tabs.get(5)).toMatchObject({ url: 'https://chat.relay.example/c/1?x=1#frag', hostDisplay: 'chat.relay.example', level: 'blocked' });
  });
});
