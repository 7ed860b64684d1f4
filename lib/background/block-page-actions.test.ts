import { IDBFactory } from 'fake-indexeddb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, test } from 'vitest';
import { createDnrStandIn, type DnrStandIn } from '../../tests/support/extension-apis.ts';
import { ask, startTestBackground, type TestBackground, refusal } from '../../tests/support/test-background.ts';
import { openListDatabase, putUserEntry, storeFetchedList } from '../lists/list-store.ts';
import type { Sender } from './message-router.ts';

/** The block page as the worker addresses it (fakeBrowser's runtime.getURL('/') plus the page). */
const INTERSTITIAL = `${fakeBrowser.runtime.getURL('/')}blocked.html`;

let factory: IDBFactory;
let dnr: DnrStandIn;
let worker: TestBackground;
let reports: string[];

/** The service worker as entrypoints/background.ts builds it, over fakes of the browser's APIs. */
async function startWorker() {
  // A restarted worker: the old one's listeners go with it, its session storage stays.
  fakeBrowser.runtime.onMessage.removeAllListeners();
  fakeBrowser.webNavigation.onCommitted.removeAllListeners();
  fakeBrowser.tabs.onRemoved.removeAllListeners();
  worker = startTestBackground({ indexedDB: factory, dnr, reports });
  await worker.registry.ready();
}

/** The browser sent tab `tabId`'s navigation to `url` to the block page (a block rule matched). */
function redirect(tabId: number, url: string) {
  worker.webRequest.onBeforeRedirect.dispatch({ tabId, frameId: 0, type: 'main_frame', url, redirectUrl: `${INTERSTITIAL}#${url}` });
}

/** A top-level document committed in the tab. */
const commit = (tabId: number, url: string, frameId = 0) =>
  fakeBrowser.webNavigation.onCommitted.trigger({ tabId, frameId, url, parentFrameId: -1, processId: 1, timeStamp: 1, transitionType: 'link', transitionQualifiers: [] } as never);

/** The block page's top frame in tab `tabId`, standing in for `blockedUrl`. */
const blockPageIn = (tabId: number, blockedUrl: string, frameId = 0): Sender => ({
  id: fakeBrowser.runtime.id,
  url: `${INTERSTITIAL}#${blockedUrl}`,
  frameId,
  tab: { id: tabId, index: 1, windowId: 1, highlighted: true, active: true, pinned: false, incognito: false } as Sender['tab'],
});

const info = (url: string) => ask({ type: 'interstitial/info', url }, blockPageIn(7, url));
const proceedOnce = (url: string, sender: Sender) => ask({ type: 'interstitial/proceed-once', url }, sender);

const managedBlock = { kind: 'list', level: 'blocked', source: 'Managed policy', detail: 'relay.example', listSource: 'managed' } as const;
const sessionRules = () => dnr.sessionRules().map((rule) => `${rule.condition.tabIds?.join()}:${rule.condition.requestDomains?.join()}:${rule.condition.resourceTypes.join('+')}`);
const NOT_REDIRECTED = 'RelayGuard did not stop a visit to this address in this tab.';

beforeEach(() => {
  fakeBrowser.reset();
  factory = new IDBFactory();
  dnr = createDnrStandIn();
  reports = [];
});

describe('interstitial/info', () => {
  test('a host the managed policy blocks: its reasons, and proceeding allowed by policy', async () => {
    await fakeBrowser.storage.managed.set({ blocklist: ['relay.example'] });
    await startWorker();
    const url = 'https://chat.relay.example/v1/chat?session=1';
    expect(await info(url)).toEqual({ url, navigable: true, hostUnicode: 'chat.relay.example', hostAscii: 'chat.relay.example', level: 'blocked', reasons: [managedBlock], allowProceed: true, managedBy: {} });
  });

  test('a host the person blocked, under a policy that forbids proceeding', async () => {
    await fakeBrowser.storage.managed.set({ allowProceed: false });
    const db = await openListDatabase(factory);
    expect((await putUserEntry(db, { pattern: 'bücher.example', level: 'blocked', added: '2026-11-20T00:00:00Z', note: 'phishing' })).ok).toBe(true);
    db.close();
    await startWorker();
    const url = 'https://xn--bcher-kva.example/login';
    expect(await info(url)).toEqual({
      url,
      navigable: true,
      hostUnicode: 'bücher.example',
      hostAscii: 'xn--bcher-kva.example',
      level: 'blocked',
      reasons: [{ kind: 'list', level: 'blocked', source: 'Your entries', detail: 'xn--bcher-kva.example (phishing)', listSource: 'user' }],
      allowProceed: false,
      // The policy keeps the person from going on: it says who (no organisation named: "your organisation").
      managedBy: {},
    });
  });

  test('a subscribed list’s block carries its evidence', async () => {
    const db = await openListDatabase(factory);
    const list = { name: 'Community relays', version: '7', updated: '2026-11-20', entries: [{ pattern: 'relay.example', level: 'blocked' as const, evidence: ['https://evidence.example.org/relay'] }] };
    await storeFetchedList(db, { url: 'https://lists.example.org/relays.json', list, at: 1, nextUpdateAt: Date.now() + 3_600_000 });
    db.close();
    await startWorker();
    expect(await info('https://relay.example/')).toMatchObject({
      level: 'blocked',
      reasons: [{ kind: 'list', level: 'blocked', source: 'Community relays v7', detail: 'relay.example', listSource: 'subscribed', evidence: ['https://evidence.example.org/relay'] }],
    });
  });

  test('a vendor’s own host opened on the block page is not called blocked: no list names it so', async () => {
    await startWorker();
    expect(await info('https://platform.openai.com/')).toMatchObject({ level: 'official', navigable: true });
    expect(await info('http://plain.example/')).toMatchObject({ level: 'unknown', reasons: [] });
  });

  test('javascript: and data: URLs are not navigable and offer nothing', async () => {
    await fakeBrowser.storage.managed.set({ blocklist: ['relay.example'] });
    await startWorker();
    for (const url of ['javascript:alert(document.cookie)', 'javascript://relay.example/%0aalert(1)', 'data:text/html,<script>alert(1)</script>']) {
      expect(await info(url)).toEqual({ url, navigable: false, hostUnicode: url, hostAscii: url, level: 'unknown', reasons: [], allowProceed: false });
    }
  });

  test('a blocked host behind a non-web scheme keeps its verdict but is not navigable', async () => {
    await fakeBrowser.storage.managed.set({ blocklist: ['relay.example'] });
    await startWorker();
    expect(await info('ftp://relay.example/pub/')).toMatchObject({ navigable: false, level: 'blocked', reasons: [managedBlock] });
  });
});

describe('interstitial/proceed-once', () => {
  beforeEach(async () => {
    await fakeBrowser.storage.managed.set({ blocklist: ['relay.example'] });
  });

  test('after a redirect in that tab: an exception for exactly that host, in that tab only', async () => {
    await startWorker();
    const url = 'https://chat.relay.example/c/1';
    redirect(7, url);
    expect(await proceedOnce(url, blockPageIn(7, url))).toEqual({ url });
    expect(sessionRules()).toEqual(['7:chat.relay.example:main_frame', '7:chat.relay.example:xmlhttprequest+websocket+other']);
    expect(reports).toEqual([]);
  });

  test('the exception lasts for that page: its load is spent at commit, the rest when the tab moves on', async () => {
    await startWorker();
    const url = 'https://relay.example/';
    redirect(7, url);
    await proceedOnce(url, blockPageIn(7, url));
    await commit(7, url);
    await worker.blockRules.settled();
    expect(sessionRules()).toEqual(['7:relay.example:xmlhttprequest+websocket+other']);
    await commit(7, 'https://ads.example/', 3); // a frame is not the tab moving on
    await commit(7, 'https://forum.example/');
    await worker.blockRules.settled();
    expect(sessionRules()).toEqual([]);
  });

  test('refused in a tab the background never redirected (a page that opened the block page itself)', async () => {
    await startWorker();
    const url = 'https://relay.example/';
    redirect(8, url);
    worker.webRequest.onBeforeRedirect.dispatch({ tabId: 7, frameId: 0, type: 'main_frame', url, redirectUrl: 'https://elsewhere.example/' });
    worker.webRequest.onBeforeRedirect.dispatch({ tabId: 7, frameId: 2, type: 'sub_frame', url, redirectUrl: `${INTERSTITIAL}#${url}` });
    expect(await refusal(proceedOnce(url, blockPageIn(7, url)))).toBe(NOT_REDIRECTED);
    redirect(7, 'https://relay.example/other');
    expect(await refusal(proceedOnce(url, blockPageIn(7, url)))).toBe(NOT_REDIRECTED);
    expect(dnr.sessionRules()).toEqual([]);
  });

  test('refused from a framed block page, another extension page, or a block page standing in for another URL', async () => {
    await startWorker();
    const url = 'https://relay.example/';
    redirect(7, url);
    const tab = blockPageIn(7, url).tab;
    const refusedFrom: Sender[] = [
      blockPageIn(7, url, 4),
      { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html'), frameId: 0, tab },
      blockPageIn(7, 'https://relay.example/elsewhere'),
      { id: fakeBrowser.runtime.id, url: `${fakeBrowser.runtime.getURL('/')}options.html#${url}`, frameId: 0, tab },
    ];
    for (const sender of refusedFrom) {
      expect(await refusal(proceedOnce(url, sender))).toBe('Only RelayGuard’s block page, open in its own tab, can continue to a site.');
    }
    expect(await refusal(proceedOnce(url, { id: fakeBrowser.runtime.id, url: `${INTERSTITIAL}#${url}`, frameId: 0 }))).toBe('This request must come from a tab.');
    expect(dnr.sessionRules()).toEqual([]);
  });

  test('a web page cannot ask at all', async () => {
    await startWorker();
    const url = 'https://relay.example/';
    redirect(7, url);
    const page: Sender = { id: fakeBrowser.runtime.id, url, origin: 'https://relay.example', frameId: 0, tab: blockPageIn(7, url).tab };
    expect(await refusal(proceedOnce(url, page))).toMatch(/only available to RelayGuard’s own pages|only available to RelayGuard's own pages/);
    expect(dnr.sessionRules()).toEqual([]);
  });

  test('refused for a host no list blocks now, even in a tab once redirected there', async () => {
    await startWorker();
    redirect(7, 'http://plain.example/');
    expect(await refusal(proceedOnce('http://plain.example/', blockPageIn(7, 'http://plain.example/')))).toBe('This site is not blocked; there is nothing to continue past.');
    const url = 'https://relay.example/';
    redirect(7, url);
    await fakeBrowser.storage.managed.set({ blocklist: [] });
    await worker.registry.reloadPolicy();
    expect(await refusal(proceedOnce(url, blockPageIn(7, url)))).toBe('This site is not blocked; there is nothing to continue past.');
    expect(dnr.sessionRules()).toEqual([]);
  });

  test('refused when the policy does not allow proceeding', async () => {
    await fakeBrowser.storage.managed.set({ blocklist: ['relay.example'], allowProceed: false });
    await startWorker();
    const url = 'https://relay.example/';
    redirect(7, url);
    expect(await refusal(proceedOnce(url, blockPageIn(7, url)))).toBe('Your organisation does not allow continuing to this site.');
    expect(dnr.sessionRules()).toEqual([]);
  });

  test('refused for URLs that are not web pages', async () => {
    await startWorker();
    for (const url of ['javascript:alert(1)', 'data:text/html,hi', 'ftp://relay.example/', 'wss://relay.example/v1/realtime']) {
      redirect(7, url);
      expect({ url, error: await refusal(proceedOnce(url, blockPageIn(7, url))) }).toEqual({ url, error: 'Only web pages can be opened.' });
    }
    expect(dnr.calls.filter((call) => call.method === 'updateSessionRules')).toEqual([]);
  });

  test('a redirect is remembered by a restarted worker, and forgotten when the tab closes', async () => {
    await startWorker();
    const url = 'https://relay.example/';
    redirect(7, url);
    await worker.blockPage.settled();
    await startWorker(); // the worker again, over the same session storage
    expect(await proceedOnce(url, blockPageIn(7, url))).toEqual({ url });

    await fakeBrowser.tabs.onRemoved.trigger(7, { windowId: 1, isWindowClosing: false });
    await worker.blockPage.settled();
    await startWorker();
    expect(await refusal(proceedOnce(url, blockPageIn(7, url)))).toBe(NOT_REDIRECTED);
  });
});
