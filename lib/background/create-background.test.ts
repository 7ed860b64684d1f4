import { IDBFactory } from 'fake-indexeddb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { commitPage, quietPageView, createDnrStandIn, type DnrStandIn } from '../../tests/support/extension-apis.ts';
import { ask, startTestBackground, type ScriptRun, type TestBackground, refusal } from '../../tests/support/test-background.ts';
import type { DnrRule } from '../lists/block-rules.ts';
import { DATABASE_NAME, openListDatabase, putUserEntry } from '../lists/list-store.ts';
import type { UserEntry } from '../lists/user-entry.ts';
import type { PageFingerprint } from '../detection/page-fingerprint.ts';
import type { PageContextPush, StatusProbeRequest } from '../protocol/page-protocol.ts';
import { whenAllIdle } from '../core/in-flight.ts';
import type { Signal } from '../detection/scoring.ts';
import { DEFAULT_SETTINGS } from '../core/settings.ts';
import { createTabStateStore, type TabStateStore } from '../verdicts/tab-state.ts';
import { exportUserEntries } from '../lists/user-entries-file.ts';
import type { ListRegistry } from './list-registry.ts';
import type { Sender } from './message-router.ts';
import type { Preferences } from './preferences.ts';
import type { TabVerdicts } from './tab-verdicts.ts';

const NOW = new Date('2026-11-26T08:30:00.000Z');
const ADDED = NOW.toISOString();
const EXTENSION_ORIGIN = 'chrome-extension://test-extension-id';
const INTERSTITIAL = `${EXTENSION_ORIGIN}/blocked.html`;
const API_TYPES = ['xmlhttprequest', 'websocket', 'other'];
/** When `commit` has the browser commit a page; the document's id (tests/support/extension-apis.ts) follows from it. */
const COMMITTED_AT = 1_764_144_000_000;

let factory: IDBFactory;
let worker: TestBackground;
let registry: ListRegistry;
let tabs: TabVerdicts;
let store: TabStateStore;
let dnr: DnrStandIn;
let preferences: Preferences;
let reports: string[];
/** Every document the background ran the page guard in, or tried to. */
let guardRuns: ScriptRun[];

/** The service worker as entrypoints/background.ts builds it, over fakes of the browser's APIs. */
async function startWorker() {
  worker = startTestBackground({ indexedDB: factory, dnr, now: () => NOW, reports });
  ({ registry, tabs, preferences, guardRuns } = worker);
  // The same session area the worker keeps tabs in, to look at what it stored.
  store = createTabStateStore(fakeBrowser.storage.session);
  await registry.ready();
}

/** What the worker pushed to the page guards (the tab's context). */
const pushes = () => worker.tabMessages.filter((sent): sent is { tabId: number; message: PageContextPush } => sent.message.type === 'page/context-changed');
/** What the worker asked of the page guards besides (the status probe). */
const guardMessages = () => worker.tabMessages.filter((sent): sent is { tabId: number; message: StatusProbeRequest } => sent.message.type === 'page/status-probe');

/** The person's entries as they were stored before the worker started. */
async function seedUserEntries(...entries: UserEntry[]) {
  const db = await openListDatabase(factory);
  for (const entry of entries) expect((await putUserEntry(db, entry)).ok).toBe(true);
  db.close();
}

const commit = (tabId: number, url: string, timeStamp = COMMITTED_AT) => commitPage(tabs, tabId, url, timeStamp);

/** The document `commit` committed in the tab, where the page guard is to run. */
const committedDocument = (tabId: number): ScriptRun => ({ tabId, documentId: `doc-${tabId}-0-${COMMITTED_AT}` });

/** For requests that must start nothing: wait until the work every listener started has finished. */
const settle = () => whenAllIdle(worker.tabs, worker.pageGuards, worker.pageContexts, worker.statusProbes);

const tabOf = (id: number, url?: string) =>
  ({ id, index: 1, windowId: 1, highlighted: true, active: true, pinned: false, incognito: false, ...(url && { url }) }) as Sender['tab'];

/** The popup or options page: an extension page, not in a tab. */
const extensionPage = (path: string): Sender => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL(path), origin: EXTENSION_ORIGIN });

/** A content script in frame `frameId` of tab `tabId`, whose top document is `topUrl`. */
const contentScript = (tabId: number, url: string, { frameId = 0, topUrl = url } = {}): Sender => ({
  id: fakeBrowser.runtime.id,
  url,
  origin: new URL(url).origin,
  frameId,
  documentId: `doc-${tabId}-${frameId}`,
  tab: tabOf(tabId, topUrl),
});

const listEntries = async () => (await ask({ type: 'user-entries/list' }, extensionPage('/options.html'))).entries;


/** The interstitial's rules for one blocked subtree, as BlockRuleSync installs them. */
const blockedSubtreeRules = (host: string, { api }: { api: boolean }): DnrRule[] => {
  const priority = host.split('.').length * 2;
  const redirect: DnrRule = {
    id: 1,
    priority,
    action: { type: 'redirect', redirect: { regexSubstitution: `${INTERSTITIAL}#\\0` } },
    condition: { regexFilter: '^https?://.*', requestDomains: [host], resourceTypes: ['main_frame'] },
  };
  return api ? [redirect, { id: 2, priority, action: { type: 'block' }, condition: { requestDomains: [host], resourceTypes: API_TYPES as DnrRule['condition']['resourceTypes'] } }] : [redirect];
};

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.webNavigation.onCommitted.removeAllListeners();
  factory = new IDBFactory();
  dnr = createDnrStandIn();
  reports = [];
});

describe('page/fingerprint and page/probe-signals', () => {
  /** A gateway's default title alone: suspect (40), not enough to warn (60). */
  const suspect: PageFingerprint = { servedTitle: 'New API', storageKeys: ['theme'], path: '/', vocabulary: [] };
  const plain: PageFingerprint = { servedTitle: 'Welcome', storageKeys: [], path: '/about', vocabulary: [] };
  const TITLE_SIGNAL: Signal = { id: 'gateway-default-title', detail: 'New API', family: 'new-api' };
  const PROBE_SIGNAL: Signal = { id: 'gateway-status-endpoint', detail: '/api/status' };
  /** The suspect fingerprint's title names new-api: the probe is told so. */
  const PROBE_REQUEST: StatusProbeRequest = { type: 'page/status-probe', family: 'new-api' };

  const fingerprint = (fp: PageFingerprint, sender: Sender) => ask({ type: 'page/fingerprint', fingerprint: fp }, sender);
  const probeSignals = (signals: Signal[], sender: Sender) => ask({ type: 'page/probe-signals', signals }, sender);

  test('a suspect top frame gets its signals recorded and the guard asked for the probe, once', async () => {
    await startWorker();
    await commit(5, 'https://relay.example/');
    const top = contentScript(5, 'https://relay.example/');
    expect(await fingerprint(suspect, top)).toEqual({ recorded: true });
    await settle(); // the probe is asked for as the evidence changes (status-probes.ts)
    expect(await store.get(5)).toMatchObject({ signals: [TITLE_SIGNAL], probed: true });
    expect((await tabs.get(5))?.level).toBe('unknown');
    // An unknown page has nothing to warn about: the guard is started for the probe alone.
    expect(guardRuns).toEqual([committedDocument(5)]);
    expect(guardMessages()).toEqual([{ tabId: 5, message: PROBE_REQUEST }]);

    // The page watch's second look: recorded, but the probe is not granted again.
    expect(await fingerprint(suspect, top)).toEqual({ recorded: true });
    await settle();
    expect((await store.get(5))?.signals).toEqual([TITLE_SIGNAL]);
    expect(guardRuns).toHaveLength(1);
    expect(guardMessages()).toHaveLength(1);
  });

  test('a page that is not suspect gets its signals recorded; no guard, no probe', async () => {
    await startWorker();
    await commit(5, 'https://shop.example/');
    expect(await fingerprint({ ...plain, path: '/token' }, contentScript(5, 'https://shop.example/token'))).toEqual({ recorded: true });
    expect(await store.get(5)).toMatchObject({ signals: [{ id: 'gateway-route', detail: '/token' }], probed: false });
    await settle();
    expect(guardRuns).toEqual([]);
    expect(guardMessages()).toEqual([]);
  });

  test('a page that already warns, or a listed one, has nothing to probe for', async () => {
    await startWorker();
    await commit(5, 'https://relay.example/');
    const stock = 'OpenAI 接口聚合管理，支持多种渠道包括 Azure，可用于二次分发管理 key，仅单可执行文件，已打包好 Docker 镜像，一键部署，开箱即用';
    expect(await fingerprint({ ...suspect, metaDescription: stock }, contentScript(5, 'https://relay.example/'))).toEqual({ recorded: true });
    expect((await tabs.get(5))?.level).toBe('unvetted');
    // The warning needs the guard, so the verdict change starts it; it is never asked to probe.
    await vi.waitFor(() => expect(guardRuns).toEqual([committedDocument(5)]));

    await commit(6, 'https://openrouter.ai/');
    expect(await fingerprint(suspect, contentScript(6, 'https://openrouter.ai/'))).toEqual({ recorded: true });
    expect((await store.get(6))?.probed).toBe(false);
    await settle();
    expect(guardRuns).toEqual([committedDocument(5)]);
    expect(guardMessages()).toEqual([]);
  });

  test('a subframe is not the page: nothing recorded, no probe', async () => {
    await startWorker();
    await commit(5, 'https://blog.example/');
    expect(await fingerprint(suspect, contentScript(5, 'https://relay.example/embed', { frameId: 4, topUrl: 'https://blog.example/' }))).toEqual({ recorded: false });
    // Even a subframe on the page's own host.
    expect(await fingerprint(suspect, contentScript(5, 'https://blog.example/frame', { frameId: 4 }))).toEqual({ recorded: false });
    expect(await store.get(5)).toMatchObject({ signals: [], probed: false });
    expect(guardMessages()).toEqual([]);
  });

  test('a late message from the tab’s previous document neither adds evidence nor takes the new page’s probe', async () => {
    await startWorker();
    await commit(5, 'https://relay.example/');
    const previousDocument = contentScript(5, 'https://blog.example/post/1');
    expect(await fingerprint(suspect, previousDocument)).toEqual({ recorded: false });
    await settle();
    expect(await store.get(5)).toMatchObject({ signals: [], probed: false });
    expect(guardMessages()).toEqual([]);

    // The page itself still gets its one probe.
    expect(await fingerprint(suspect, contentScript(5, 'https://relay.example/'))).toEqual({ recorded: true });
    await settle();
    expect(guardMessages()).toEqual([{ tabId: 5, message: PROBE_REQUEST }]);
  });

  test('evidence the request observer saw asks for the probe too, without any fingerprint', async () => {
    await startWorker();
    await commit(5, 'https://relay.example/');
    // The page called its own /api/status as a gateway's front end does at start-up.
    await tabs.recordSignals(5, Number.MAX_SAFE_INTEGER, [{ id: 'gateway-common-api-call', detail: 'GET /api/status' }]);
    await settle();
    expect(await store.get(5)).toMatchObject({ probed: true });
    // A route several families share names none: the probe asks in its usual order.
    expect(guardMessages()).toEqual([{ tabId: 5, message: { type: 'page/status-probe' } }]);
  });

  test('the probe is told the family the evidence points to, so its status route is asked first', async () => {
    await startWorker();
    await commit(5, 'https://relay.example/');
    await tabs.recordSignals(5, Number.MAX_SAFE_INTEGER, [{ id: 'gateway-api-call', detail: 'GET /setup/status', family: 'sub2api' }]);
    await settle();
    expect(guardMessages()).toEqual([{ tabId: 5, message: { type: 'page/status-probe', family: 'sub2api' } }]);
  });

  test('probe signals are ignored unless the probe was granted', async () => {
    await startWorker();
    await commit(5, 'https://relay.example/');
    expect(await probeSignals([PROBE_SIGNAL], contentScript(5, 'https://relay.example/'))).toEqual({ accepted: 0 });
    expect((await store.get(5))?.signals).toEqual([]);
  });

  test('after the grant only the status-endpoint signal is accepted, from the top frame', async () => {
    await startWorker();
    await commit(5, 'https://relay.example/');
    const top = contentScript(5, 'https://relay.example/');
    expect(await fingerprint(suspect, top)).toEqual({ recorded: true });
    await settle();
    expect(guardMessages()).toEqual([{ tabId: 5, message: PROBE_REQUEST }]);

    const smuggled: Signal[] = [{ id: 'gateway-meta-description', detail: 'one-api', family: 'one-api' }, PROBE_SIGNAL];
    expect(await probeSignals(smuggled, contentScript(5, 'https://relay.example/frame', { frameId: 2 }))).toEqual({ accepted: 0 });
    expect((await store.get(5))?.signals).toEqual([TITLE_SIGNAL]);

    expect(await probeSignals(smuggled, top)).toEqual({ accepted: 1 });
    expect((await store.get(5))?.signals).toEqual([TITLE_SIGNAL, PROBE_SIGNAL]);
    expect(await tabs.get(5)).toMatchObject({
      level: 'unvetted',
      reasons: [
        { kind: 'signal', level: 'unvetted', source: 'gateway-status-endpoint', detail: PROBE_SIGNAL.detail },
        { kind: 'signal', level: 'unvetted', source: 'gateway-default-title', detail: 'New API' },
      ],
    });
  });

  test('a report from another document in the tab is not counted as accepted', async () => {
    await startWorker();
    await commit(5, 'https://relay.example/');
    expect(await fingerprint(suspect, contentScript(5, 'https://relay.example/'))).toEqual({ recorded: true });
    expect(await probeSignals([PROBE_SIGNAL], contentScript(5, 'https://blog.example/'))).toEqual({ accepted: 0 });
    expect((await store.get(5))?.signals).toEqual([TITLE_SIGNAL]);
  });
});

describe('page/guard-needed', () => {
  const guardNeeded = (sender: Sender) => ask({ type: 'page/guard-needed' }, sender);

  test('the committed page’s top frame gets the guard started in its document, once', async () => {
    await startWorker();
    // An ordinary page, whose verdict alone never starts the guard: the page watch holds a paste for it.
    await commit(5, 'https://shop.example/checkout');
    const top = contentScript(5, 'https://shop.example/checkout');
    expect(await guardNeeded(top)).toEqual({ started: true });
    expect(guardRuns).toEqual([committedDocument(5)]);
    expect(await tabs.isGuarded(5)).toBe(true);

    // Asked again (a second held paste): it runs already.
    expect(await guardNeeded(top)).toEqual({ started: true });
    expect(guardRuns).toHaveLength(1);
  });

  test('a frame inside the page gets the guard in exactly that frame, and the tab stays unmarked', async () => {
    await startWorker();
    await commit(5, 'https://blog.example/post/2');
    expect(await guardNeeded(contentScript(5, 'https://relay.example/embed', { frameId: 3, topUrl: 'https://blog.example/post/2' }))).toEqual({ started: true });
    // The frame's own document (contentScript names it doc-<tab>-<frame>), not the committed top document.
    expect(guardRuns).toEqual([{ tabId: 5, documentId: 'doc-5-3' }]);
    expect(await tabs.isGuarded(5)).toBe(false);
    worker.unscriptable.add(5);
    expect(await guardNeeded(contentScript(5, 'https://relay.example/embed', { frameId: 3, topUrl: 'https://blog.example/post/2' }))).toEqual({ started: false });
  });

  test('a late message from the tab’s previous document starts nothing', async () => {
    await startWorker();
    await commit(5, 'https://blog.example/post/2');
    expect(await guardNeeded(contentScript(5, 'https://chat.relay.example/c/1'))).toEqual({ started: false }); // the document before
    expect(await guardNeeded(contentScript(8, 'https://blog.example/'))).toEqual({ started: false }); // a tab whose commit RelayGuard never saw
    expect(guardRuns).toEqual([]);
    expect(await tabs.isGuarded(5)).toBe(false);
  });

  test('a document the guard cannot run in answers started: false, and stays unmarked for a later try', async () => {
    await startWorker();
    await commit(5, 'https://shop.example/');
    worker.unscriptable.add(5);
    expect(await guardNeeded(contentScript(5, 'https://shop.example/'))).toEqual({ started: false });
    expect(await tabs.isGuarded(5)).toBe(false);

    worker.unscriptable.delete(5);
    expect(await guardNeeded(contentScript(5, 'https://shop.example/'))).toEqual({ started: true });
    expect(guardRuns).toEqual([committedDocument(5), committedDocument(5)]);
  });

  test('refused from a page that is not in a tab', async () => {
    await startWorker();
    expect(await refusal(guardNeeded(extensionPage('/popup.html')))).toBe('This request must come from a tab.');
    expect(guardRuns).toEqual([]);
  });
});

describe('page/context, page/dismiss-warning, page/open-details', () => {
  const relayView = (tabId: number) => quietPageView(tabId, 'https://chat.relay.example/c/1');

  test('page/context answers for the sender’s tab: verdict, dismissal and settings', async () => {
    await startWorker();
    await commit(5, 'https://chat.relay.example/c/1');
    const sender = contentScript(5, 'https://chat.relay.example/c/1');
    expect(await ask({ type: 'page/context' }, sender)).toEqual({ verdict: relayView(5), ...{ warningDismissed: false, pasteGuard: true, unknownPageNotice: true } });

    await preferences.updateSettings({ pasteGuard: false });
    await preferences.dismissWarning('chat.relay.example');
    expect(await ask({ type: 'page/context' }, sender)).toEqual({ verdict: relayView(5), warningDismissed: true, pasteGuard: false, unknownPageNotice: true });

    expect(await refusal(ask({ type: 'page/context' }, extensionPage('/popup.html')))).toBe('This request must come from a tab.');
  });

  test('page/context for a frame inside the page: the worse of the frame’s own verdict and its top page’s, named by the frame’s host', async () => {
    await seedUserEntries({ pattern: 'harvest.example', level: 'blocked', added: '2026-11-20T00:00:00Z' });
    await startWorker();
    await commit(5, 'https://blog.example/post/2');
    const frameContext = async (url: string, origin?: string) =>
      (await ask({ type: 'page/context' }, { ...contentScript(5, url, { frameId: 4, topUrl: 'https://blog.example/post/2' }), ...(origin && { origin }) })).verdict;

    // A blocked host framed by an ordinary page: the frame's own verdict wins.
    const blockedFrame = await frameContext('https://harvest.example/keys');
    expect(blockedFrame).toMatchObject({ level: 'blocked', hostDisplay: 'harvest.example', url: 'https://harvest.example/keys' });
    expect(blockedFrame?.reasons.map((reason) => reason.kind)).toEqual(['list']);
    // An ordinary frame on an ordinary page stays unknown; about:blank and srcdoc frames are judged by the origin they run in.
    expect((await frameContext('https://widgets.example/'))?.level).toBe('unknown');
    expect(await frameContext('about:srcdoc', 'https://harvest.example')).toMatchObject({ level: 'blocked', hostDisplay: 'harvest.example' });
    // Without any web address the top page's verdict stands.
    expect(await frameContext('about:blank', 'null')).toEqual(await tabs.get(5));

    // The top page turns unvetted: an ordinary frame inside it is guarded as unvetted, under its own name.
    await tabs.recordAiCall(5, COMMITTED_AT + 1, { host: 'api.relay-endpoint.example', protocol: 'openai' });
    expect(await frameContext('https://widgets.example/')).toMatchObject({ level: 'unvetted', hostDisplay: 'widgets.example' });
    // And the blocked frame is still blocked: the worse of the two.
    expect((await frameContext('https://harvest.example/keys'))?.level).toBe('blocked');
  });

  test('page/dismiss-warning remembers the sender’s site and pushes the new context to its tab', async () => {
    await startWorker();
    await commit(5, 'https://chat.relay.example/c/1');
    // The warning's own button sends this, so the page guard runs in the tab.
    expect(await ask({ type: 'page/guard-needed' }, contentScript(5, 'https://chat.relay.example/c/1'))).toEqual({ started: true });
    expect(pushes()).toEqual([]); // the commit came before the guard: nothing listened then
    expect(await ask({ type: 'page/dismiss-warning' }, contentScript(5, 'https://chat.relay.example/c/1'))).toEqual({ dismissed: true });
    expect(await preferences.isWarningDismissed('chat.relay.example')).toBe(true);
    expect(pushes()).toEqual([
      { tabId: 5, message: { type: 'page/context-changed', context: { verdict: relayView(5), warningDismissed: true, pasteGuard: true, unknownPageNotice: true } } },
    ]);
  });

  test('page/dismiss-warning from a subframe is refused', async () => {
    await startWorker();
    await commit(5, 'https://blog.example/');
    const frame = contentScript(5, 'https://relay.example/widget', { frameId: 3, topUrl: 'https://blog.example/' });
    expect(await refusal(ask({ type: 'page/dismiss-warning' }, frame))).toBe('This request must come from the top frame of a web page.');
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
  });

  test('page/open-details opens the popup’s view for the sender’s tab, beside it', async () => {
    await startWorker();
    const tab = await fakeBrowser.tabs.create({ url: 'https://relay.example/' });
    expect(await ask({ type: 'page/open-details' }, contentScript(tab.id!, 'https://relay.example/'))).toEqual({ opened: true });
    expect(worker.openedTabs).toEqual([{ url: `chrome-extension://test-extension-id/popup.html?tab=${tab.id}`, index: tab.index + 1, openerTabId: tab.id }]);

    expect(await refusal(ask({ type: 'page/open-details' }, { id: fakeBrowser.runtime.id, url: 'https://relay.example/', frameId: 0 }))).toBe(
      'This request must come from a tab.',
    );
    expect(worker.openedTabs).toHaveLength(1);
  });

  test('page/open-details with `report` opens the same view with its report form open: reporting happens in an extension page', async () => {
    await startWorker();
    const tab = await fakeBrowser.tabs.create({ url: 'https://relay.example/' });
    expect(await ask({ type: 'page/open-details', report: true }, contentScript(tab.id!, 'https://relay.example/'))).toEqual({ opened: true });
    expect(worker.openedTabs).toEqual([{ url: `chrome-extension://test-extension-id/popup.html?tab=${tab.id}&report=1`, index: tab.index + 1, openerTabId: tab.id }]);
  });
});

describe('no trust decision from page content (issue 8)', () => {
  test('a content script cannot trust its page: page/trust-site is no request at all, and nothing is stored', async () => {
    await startWorker();
    await commit(5, 'https://chat.relay.example/c/1');
    const replies = await fakeBrowser.runtime.onMessage.trigger({ type: 'page/trust-site' }, contentScript(5, 'https://chat.relay.example/c/1'), () => undefined);
    expect(replies).toEqual([{ ok: false, error: expect.any(String) }]);
    expect(await listEntries()).toEqual([]);
    expect((await tabs.get(5))!.control.userEntry).toBeNull();
  });
});

describe('user entries', () => {
  const options = extensionPage('/options.html');

  test('list: the person’s entries and the managed policy beside them', async () => {
    await fakeBrowser.storage.managed.set({ allowlist: ['corp-gateway.example'], blocklist: '["relay.example", "https://bad.example/"]', allowProceed: false });
    await startWorker();
    await seedUserEntries({ pattern: 'openrouter.ai', level: 'blocked', added: '2026-11-20T00:00:00Z', note: 'not at work' });
    expect(await ask({ type: 'user-entries/list' }, options)).toEqual({
      entries: [{ pattern: 'openrouter.ai', level: 'blocked', added: '2026-11-20T00:00:00Z', note: 'not at work' }],
      managed: {
        allowlist: ['corp-gateway.example'],
        blocklist: ['relay.example'],
        allowProceed: false,
        listSubscriptions: [],
        listMode: 'add',
        disableUserLists: false,
        pasteGuard: null,
        reportEndpoint: null,
        organization: null,
        keys: ['allowlist', 'blocklist', 'allowProceed'],
        problems: ['blocklist[1]: “https://bad.example/”: a pattern is a host name such as “example.com”, without scheme, path or spaces.'],
      },
    });
  });

  test('put stores the canonical pattern and applies at once', async () => {
    await startWorker();
    expect(await ask({ type: 'user-entries/put', pattern: ' Relay.EXAMPLE. ', level: 'blocked', note: 'took my key' }, options)).toEqual({
      pattern: 'relay.example',
      level: 'blocked',
      added: ADDED,
      note: 'took my key',
    });
    expect(registry.matcher.decide('api.relay.example')).toMatchObject({ source: 'user', level: 'blocked', pattern: 'relay.example' });

    // Same pattern again replaces; an empty note is no note.
    expect(await ask({ type: 'user-entries/put', pattern: 'relay.example', level: 'vetted', note: '' }, options)).toEqual({
      pattern: 'relay.example',
      level: 'vetted',
      added: ADDED,
    });
    expect(await listEntries()).toEqual([{ pattern: 'relay.example', level: 'vetted', added: ADDED }]);
  });

  test('put with a bad pattern is refused with the pattern’s own message', async () => {
    await startWorker();
    expect(await refusal(ask({ type: 'user-entries/put', pattern: '*.relay.example', level: 'blocked' }, options))).toBe(
      '“*.relay.example”: wildcards are not supported; “example.com” already matches every subdomain, “.example.com” only that host.',
    );
    expect(await refusal(ask({ type: 'user-entries/put', pattern: 'https://relay.example/login', level: 'blocked' }, options))).toBe(
      '“https://relay.example/login”: a pattern is a host name such as “example.com”, without scheme, path or spaces.',
    );
    expect(await listEntries()).toEqual([]);
  });

  test('put is refused where the managed policy decides the host, allowed where it does not reach', async () => {
    await fakeBrowser.storage.managed.set({ blocklist: ['relay.example'], allowlist: ['.gateway.example'] });
    await startWorker();
    expect(await refusal(ask({ type: 'user-entries/put', pattern: 'chat.relay.example', level: 'vetted' }, options))).toBe(
      'Your organisation manages this site; your own entry would not change it.',
    );
    expect(await refusal(ask({ type: 'user-entries/put', pattern: '.gateway.example', level: 'blocked' }, options))).toBe(
      'Your organisation manages this site; your own entry would not change it.',
    );
    // The policy names gateway.example itself only, so an entry for it and its subdomains still means something.
    expect(await ask({ type: 'user-entries/put', pattern: 'gateway.example', level: 'blocked' }, options)).toMatchObject({ pattern: 'gateway.example' });
    expect(await listEntries()).toEqual([{ pattern: 'gateway.example', level: 'blocked', added: ADDED }]);
  });

  test('put and remove answer only once the block rules carry the change', async () => {
    await startWorker();
    await ask({ type: 'user-entries/put', pattern: 'relay.example', level: 'blocked' }, options);
    expect(dnr.dynamicRules()).toEqual(blockedSubtreeRules('relay.example', { api: true }));
    await ask({ type: 'user-entries/remove', pattern: 'relay.example' }, options);
    expect(dnr.dynamicRules()).toEqual([]);
  });

  test('remove takes any spelling of the pattern and says whether there was one', async () => {
    await startWorker();
    await ask({ type: 'user-entries/put', pattern: 'relay.example', level: 'blocked' }, options);
    expect(await ask({ type: 'user-entries/remove', pattern: 'RELAY.example.' }, options)).toEqual({ removed: true });
    expect(registry.matcher.decide('relay.example')).toBeNull();
    expect(await ask({ type: 'user-entries/remove', pattern: 'relay.example' }, options)).toEqual({ removed: false });
    expect(await listEntries()).toEqual([]);
  });

  describe('import', () => {
    const IMPORTED: UserEntry[] = [
      { pattern: 'relay.example', level: 'blocked', added: '2026-11-20T09:15:00.000Z', note: 'sold my key on' },
      { pattern: '.gateway.corp.example', level: 'vetted', added: '2026-11-21T10:00:00.000Z' },
    ];
    const EXISTING: UserEntry = { pattern: 'openrouter.ai', level: 'blocked', added: '2026-11-01T00:00:00Z' };

    const importText = (text: string) => ask({ type: 'user-entries/import', text }, options);

    test('a valid export lands whole, beside the entries already there', async () => {
      await startWorker();
      await seedUserEntries(EXISTING);
      expect(await importText(exportUserEntries(IMPORTED, NOW))).toEqual({ imported: 2 });
      expect(await listEntries()).toEqual([IMPORTED[1], EXISTING, IMPORTED[0]]); // stored by pattern
      expect(registry.matcher.decide('chat.relay.example')).toMatchObject({ source: 'user', level: 'blocked' });
      expect(registry.matcher.decide('gateway.corp.example')).toMatchObject({ source: 'user', level: 'vetted' });
    });

    test('a file that is not an export changes nothing; the error names the problem', async () => {
      await startWorker();
      await seedUserEntries(EXISTING);
      const listFile = JSON.stringify({ name: 'Community relays', version: '7', updated: '2026-11-20', entries: [] });
      expect(await refusal(importText(listFile))).toBe('The file was not imported: format: format must be "relayguard-user-entries": is this a RelayGuard export?');
      expect(await refusal(importText('{"format": "relayguard-user-entries", '))).toBe('The file is not valid JSON.');
      expect(await listEntries()).toEqual([EXISTING]);
    });

    test('one entry with a bad pattern rejects the whole file', async () => {
      await startWorker();
      await seedUserEntries(EXISTING);
      const text = JSON.stringify({
        format: 'relayguard-user-entries',
        version: 1,
        entries: [IMPORTED[0], { pattern: 'https://relay2.example/', level: 'blocked', added: '2026-11-20T00:00:00Z' }],
      });
      expect(await refusal(importText(text))).toBe(
        'The file was not imported: entries[1].pattern: “https://relay2.example/”: a pattern is a host name such as “example.com”, without scheme, path or spaces.',
      );
      expect(await listEntries()).toEqual([EXISTING]);
      expect(registry.matcher.decide('relay.example')).toBeNull();
    });
  });
});

describe('settings', () => {
  const options = extensionPage('/options.html');

  test('get answers the defaults until something is set', async () => {
    await startWorker();
    expect(await ask({ type: 'settings/get' }, options)).toEqual(DEFAULT_SETTINGS);
  });

  test('set stores, answers the whole settings, rebuilds the rules and pushes the context of every tab that runs the guard', async () => {
    await fakeBrowser.storage.managed.set({ blocklist: ['relay.example'] });
    await startWorker();
    // Both tabs were open before RelayGuard started: the review after the first change finds
    // them, and the blocked one gets the guard (no commit seen, so no document id).
    const first = (await fakeBrowser.tabs.create({ url: 'https://chat.relay.example/' })).id!;
    const second = (await fakeBrowser.tabs.create({ url: 'https://example.com/' })).id!;
    await ask({ type: 'settings/set', changes: {} }, options);
    expect(dnr.dynamicRules()).toEqual(blockedSubtreeRules('relay.example', { api: true }));
    await vi.waitFor(() => expect(guardRuns).toEqual([{ tabId: first, documentId: undefined }]));
    worker.tabMessages.length = 0;

    expect(await ask({ type: 'settings/set', changes: { blockAiRequestsToBlocked: false, pasteGuard: false } }, options)).toEqual({
      blockAiRequestsToBlocked: false,
      pasteGuard: false,
      unknownPageNotice: true,
    });
    expect(await ask({ type: 'settings/get' }, options)).toEqual({ blockAiRequestsToBlocked: false, pasteGuard: false, unknownPageNotice: true });
    // Navigations to the relay still land on the interstitial; its API calls are no longer blocked.
    expect(dnr.dynamicRules()).toEqual(blockedSubtreeRules('relay.example', { api: false }));
    expect(dnr.calls.at(-1)).toEqual({ method: 'updateDynamicRules', options: { removeRuleIds: [1, 2], addRules: blockedSubtreeRules('relay.example', { api: false }) } });
    // The tab whose page guard runs hears the new settings; the others (the second tab, and
    // fakeBrowser's default tab 0) run only the page watch, which listens for nothing.
    expect(pushes().map((push) => push.tabId)).toEqual([first]);
    expect(pushes()[0]?.message.context).toMatchObject({ pasteGuard: false, unknownPageNotice: true, verdict: { hostDisplay: 'chat.relay.example', level: 'blocked' } });
    expect(guardRuns.map((run) => run.tabId)).not.toContain(second);
    expect(reports).toEqual([]);
  });

  test('turning the unknown-page notice on starts the guard in unknown pages that called AI APIs', async () => {
    await startWorker();
    await ask({ type: 'settings/set', changes: { unknownPageNotice: false } }, options);
    const tab = (await fakeBrowser.tabs.create({ url: 'https://chat.example.com/' })).id!;
    await commit(tab, 'https://chat.example.com/');
    await tabs.recordAiCall(tab, Number.MAX_SAFE_INTEGER, { host: 'api.openai.com', protocol: 'openai', credentialKind: 'vendor-key' });
    await settle();
    expect(await tabs.get(tab)).toMatchObject({ level: 'unknown', endpoints: [{ host: 'api.openai.com' }] });
    expect(guardRuns).toEqual([]);

    await ask({ type: 'settings/set', changes: { unknownPageNotice: true } }, options);
    expect(guardRuns).toEqual([committedDocument(tab)]);
  });
});

describe('the wiring', () => {
  test('every listener exists when createBackground returns: MV3 wakes a stopped worker only for those', () => {
    // No await between building the worker and looking.
    const built = startTestBackground({ indexedDB: factory, dnr, reports });
    const events = {
      'runtime.onMessage': fakeBrowser.runtime.onMessage,
      'runtime.onInstalled': fakeBrowser.runtime.onInstalled,
      'runtime.onStartup': fakeBrowser.runtime.onStartup,
      'webNavigation.onCommitted': fakeBrowser.webNavigation.onCommitted,
      'tabs.onRemoved': fakeBrowser.tabs.onRemoved,
      'storage.onChanged': fakeBrowser.storage.onChanged,
      'webRequest.onBeforeSendHeaders': built.webRequest.onBeforeSendHeaders,
      'webRequest.onHeadersReceived': built.webRequest.onHeadersReceived,
    };
    const withoutListeners = Object.entries(events).filter(([, event]) => !event.hasListeners()).map(([name]) => name);
    expect(withoutListeners).toEqual([]);
  });

  test('every request of the protocol has a component that handles it', async () => {
    await startWorker();
    expect(worker.router.unhandled()).toEqual([]);
  });

  test('a database that fails to open is opened again on the next use, not remembered as failed', async () => {
    // A newer version's database (a downgrade) cannot be opened at ours: the open rejects.
    const newer = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(DATABASE_NAME, 99);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    newer.close();
    await startWorker();
    expect(reports).toEqual([expect.stringMatching(/^Subscribed lists could not be read: VersionError/), expect.stringMatching(/^Your entries could not be read: VersionError/)]);
    const options = extensionPage('/options.html');
    expect(await refusal(ask({ type: 'user-entries/list' }, options))).toBe('RelayGuard could not handle that request.');

    // The obstacle goes away (the person cleared the site data); the worker keeps running.
    await new Promise<void>((resolve, reject) => {
      const request = factory.deleteDatabase(DATABASE_NAME);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
    expect(await ask({ type: 'user-entries/put', pattern: 'relay.example', level: 'blocked' }, options)).toEqual({ pattern: 'relay.example', level: 'blocked', added: ADDED });
    expect(await listEntries()).toEqual([{ pattern: 'relay.example', level: 'blocked', added: ADDED }]);
    expect(registry.matcher.decide('relay.example')).toMatchObject({ source: 'user', level: 'blocked' });
  });
});
