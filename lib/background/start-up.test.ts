/**
 * The first page after a start (browser start, session restore, an install or update, a stopped
 * worker woken): the page can commit before the worker's listeners exist, so its commit event
 * never reaches RelayGuard, and its own reports and requests arrive for a tab the worker has no
 * record of, in any order. Each test runs through the real wiring (createBackground over fakes of
 * the browser's APIs); the tab is made with tabs.create and no commit event, as the browser
 * leaves it when the worker was not listening yet.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { committedDetails } from '../../tests/support/extension-apis.ts';
import { ask, startTestBackground, type TestBackground } from '../../tests/support/test-background.ts';
import { whenAllIdle } from '../core/in-flight.ts';
import type { PageFingerprint } from '../detection/page-fingerprint.ts';
import { createTabStateStore } from '../verdicts/tab-state.ts';
import type { Sender } from './message-router.ts';

const RELAY = 'https://relay.example/';
/** A stock one-api home page as the page watch reports it: enough to warn on its own. */
const ONE_API_PAGE: PageFingerprint = {
  servedTitle: 'One API',
  metaDescription: 'OpenAI 接口聚合管理，支持多种渠道包括 Azure，可用于二次分发管理 key，仅单可执行文件，已打包好 Docker 镜像，一键部署，开箱即用',
  storageKeys: [],
  path: '/',
  vocabulary: [],
};
/** one-api's request id as its middleware stamps it (a timestamp and a number, all digits). */
const ONE_API_REQUEST_ID = '20261203071500123456789012';

let worker: TestBackground;
const store = () => createTabStateStore(fakeBrowser.storage.session);
const settle = () => whenAllIdle(worker.tabs, worker.pageGuards, worker.pageContexts);

/** The page watch in the top frame of `tabId`'s document `documentId`. */
const pageWatch = (tabId: number, url: string, documentId: string): Sender => ({
  id: fakeBrowser.runtime.id,
  url,
  origin: new URL(url).origin,
  frameId: 0,
  documentId,
  tab: { id: tabId, index: 0, windowId: 1, highlighted: true, active: true, pinned: false, incognito: false, url } as Sender['tab'],
});

/** A tab whose page committed while no listener of the worker's was there. */
async function tabOpenedUnseen(url: string): Promise<number> {
  const { id } = await fakeBrowser.tabs.create({ url });
  return id!;
}

beforeEach(async () => {
  fakeBrowser.reset();
  fakeBrowser.webNavigation.onCommitted.removeAllListeners();
  worker = startTestBackground({ indexedDB: new IDBFactory() });
  await worker.registry.ready();
});

describe('a page whose commit the worker never saw', () => {
  test('its fingerprint is recorded, the tab warned and the guard run in the document that reported', async () => {
    const tabId = await tabOpenedUnseen(RELAY);
    expect(await ask({ type: 'page/fingerprint', fingerprint: ONE_API_PAGE }, pageWatch(tabId, RELAY, 'doc-a'))).toEqual({ recorded: true });
    expect((await worker.tabs.get(tabId))?.level).toBe('unvetted');
    await vi.waitFor(() => expect(worker.guardRuns).toEqual([{ tabId, documentId: 'doc-a' }]));
  });

  test('the response headers seen before it committed count once it is adopted', async () => {
    const tabId = await tabOpenedUnseen(RELAY);
    worker.webRequest.onHeadersReceived.dispatch({ tabId, frameId: 0, type: 'main_frame', url: RELAY, timeStamp: 1, responseHeaders: [{ name: 'X-Oneapi-Request-Id', value: ONE_API_REQUEST_ID }] });
    await settle();
    const plain: PageFingerprint = { servedTitle: 'Welcome', storageKeys: [], path: '/', vocabulary: [] };
    expect(await ask({ type: 'page/fingerprint', fingerprint: plain }, pageWatch(tabId, RELAY, 'doc-a'))).toEqual({ recorded: true });
    expect((await store().get(tabId))?.signals).toEqual([expect.objectContaining({ id: 'gateway-response-header', detail: 'X-Oneapi-Request-Id' })]);
  });

  test('its report and its first API call arriving together adopt it once: both are kept', async () => {
    const tabId = await tabOpenedUnseen(RELAY);
    const call = { tabId, frameId: 0, type: 'xmlhttprequest', method: 'POST', url: 'https://api.openai.com/v1/chat/completions', timeStamp: 2, requestHeaders: [{ name: 'Authorization', value: 'Bearer sk-proj-abc' }] };
    worker.webRequest.onBeforeSendHeaders.dispatch(call);
    const reported = ask({ type: 'page/fingerprint', fingerprint: ONE_API_PAGE }, pageWatch(tabId, RELAY, 'doc-a'));
    expect(await reported).toEqual({ recorded: true });
    await settle();
    const state = await store().get(tabId);
    expect(state?.endpoints.map((endpoint) => endpoint.host)).toEqual(['api.openai.com']);
    expect(state?.signals.length).toBeGreaterThan(0);
    expect((await worker.tabs.get(tabId))?.level).toBe('unvetted');
  });

  test('its own commit event arriving after its report keeps the evidence; the next document starts afresh', async () => {
    const tabId = await tabOpenedUnseen(RELAY);
    expect(await ask({ type: 'page/fingerprint', fingerprint: ONE_API_PAGE }, pageWatch(tabId, RELAY, `doc-${tabId}-0-1000`))).toEqual({ recorded: true });
    // The same document's commit, queued while the worker started (committedDetails names it doc-<tab>-0-<time>).
    await fakeBrowser.webNavigation.onCommitted.trigger(committedDetails(tabId, RELAY, 1000));
    await settle();
    expect((await worker.tabs.get(tabId))?.level).toBe('unvetted');

    await fakeBrowser.webNavigation.onCommitted.trigger(committedDetails(tabId, RELAY, 2000));
    await settle();
    expect(await store().get(tabId)).toMatchObject({ documentId: `doc-${tabId}-0-2000`, signals: [], committedAt: 2000 });
  });

  test('a commit the worker saw while it adopted the tab is not overwritten by the adoption', async () => {
    const tabId = await tabOpenedUnseen(RELAY);
    // The adoption reads the tab (tabs.get) while the commit of a newer document is stored.
    const adopted = worker.tabs.get(tabId);
    await fakeBrowser.webNavigation.onCommitted.trigger(committedDetails(tabId, 'https://next.example/', 3000));
    await adopted;
    await settle();
    expect(await store().get(tabId)).toMatchObject({ host: 'next.example', documentId: `doc-${tabId}-0-3000`, committedAt: 3000 });
  });

  test('a report from another site than the tab shows adopts the tab but is not recorded', async () => {
    const tabId = await tabOpenedUnseen('https://blog.example/');
    expect(await ask({ type: 'page/fingerprint', fingerprint: ONE_API_PAGE }, pageWatch(tabId, RELAY, 'doc-old'))).toEqual({ recorded: false });
    expect(await store().get(tabId)).toMatchObject({ host: 'blog.example', signals: [] });
    // The report named another address than the tab's: its document is not taken for the tab's.
    expect((await store().get(tabId))?.documentId).toBeUndefined();
  });
});

describe('tabs open when RelayGuard is installed or updated', () => {
  test('get the page watch in every frame, are judged from its report, and the relay among them warned', async () => {
    const relay = await tabOpenedUnseen(RELAY);
    const blog = await tabOpenedUnseen('http://blog.example/post');
    await tabOpenedUnseen('chrome://settings/');
    const discarded = await tabOpenedUnseen('https://discarded.example/');
    worker.unscriptable.add(discarded);

    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', previousVersion: '0.0.9', temporary: false } as never);
    await worker.existingTabs.whenIdle();
    expect(worker.watchRuns.toSorted((a, b) => a.tabId - b.tabId)).toEqual([relay, blog, discarded].toSorted((a, b) => a - b).map((tabId) => ({ tabId, allFrames: true })));

    // The watch looks at the page as on any load and reports it: the tab is adopted and warned.
    expect(await ask({ type: 'page/fingerprint', fingerprint: ONE_API_PAGE }, pageWatch(relay, RELAY, 'doc-open'))).toEqual({ recorded: true });
    expect((await worker.tabs.get(relay))?.level).toBe('unvetted');
    await vi.waitFor(() => expect(worker.guardRuns).toEqual([{ tabId: relay, documentId: 'doc-open' }]));
  });

  test('a browser start or a browser update runs nothing: those tabs load with the manifest’s watch', async () => {
    await tabOpenedUnseen(RELAY);
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'chrome_update', temporary: false } as never);
    await fakeBrowser.runtime.onStartup.trigger();
    await worker.existingTabs.whenIdle();
    expect(worker.watchRuns).toEqual([]);
  });
});
