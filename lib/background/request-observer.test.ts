import { IDBFactory } from 'fake-indexeddb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { commitPage, createWebRequestStandIn, type WebRequestStandIn } from '../../tests/support/extension-apis.ts';
import { sampleKeys } from '../../tests/support/generated-keys.ts';
import { createTabStateStore, type TabState, type TabStateStore } from '../verdicts/tab-state.ts';
import { RequestObserver } from './request-observer.ts';
import { TabVerdicts } from './tab-verdicts.ts';
import { whenAllIdle } from '../core/in-flight.ts';
import { createTestRegistry } from '../../tests/support/test-registry.ts';

type Header = { name: string; value?: string };

const COMMITTED_AT = 1_764_144_000_000;
const ONEAPI_REQUEST_ID = '2026112608300012345678901'; // one-api: timestamp + random digits

let tabs: TabVerdicts;
let store: TabStateStore;
let webRequest: WebRequestStandIn;
let observer: RequestObserver;

function start({ extraHeaders = true, withBrowserTabs = true } = {}) {
  const factory = new IDBFactory();
  const registry = createTestRegistry(factory);
  store = createTabStateStore(fakeBrowser.storage.session);
  tabs = new TabVerdicts({ browser: fakeBrowser, registry, store });
  webRequest = createWebRequestStandIn({ extraHeaders });
  observer = new RequestObserver({ webRequest: webRequest.api, tabs, ...(withBrowserTabs && { browserTabs: fakeBrowser.tabs }) });
}

/** Commits a top-level document and waits until TabVerdicts has stored it and said so. */
async function commit(tabId: number, url: string, timeStamp = COMMITTED_AT): Promise<void> {
  await commitPage(tabs, tabId, url, timeStamp);
  expect((await store.get(tabId))?.committedAt).toBe(timeStamp);
}

let requestId = 1000;

/** onBeforeSendHeaders details as Chromium delivers them for a page's fetch(). */
function request(fields: { tabId?: number; frameId?: number; url: string; method?: string; type?: string; timeStamp?: number; headers: Header[]; initiator?: string }) {
  const { tabId = 5, frameId = 0, url, method = 'POST', type = 'xmlhttprequest', timeStamp = COMMITTED_AT + 500, headers, initiator = 'https://chat.example.com' } = fields;
  return {
    requestId: String(requestId++),
    url,
    method,
    frameId,
    parentFrameId: frameId === 0 ? -1 : 0,
    tabId,
    type,
    timeStamp,
    initiator,
    documentId: 'D0C5',
    documentLifecycle: 'active',
    frameType: frameId === 0 ? 'outermost_frame' : 'sub_frame',
    requestHeaders: headers,
  };
}

/** onHeadersReceived details. */
function response(fields: { tabId?: number; frameId?: number; url: string; type: string; timeStamp?: number; headers: Header[] }) {
  const { tabId = 5, frameId = 0, url, type, timeStamp = COMMITTED_AT + 500, headers } = fields;
  return {
    requestId: String(requestId++),
    url,
    method: 'GET',
    frameId,
    parentFrameId: frameId === 0 ? -1 : 0,
    tabId,
    type,
    timeStamp,
    statusCode: 200,
    statusLine: 'HTTP/1.1 200 OK',
    responseHeaders: headers,
  };
}

const openAiHeaders = (key: string): Header[] => [
  { name: 'Accept', value: 'application/json' },
  { name: 'Authorization', value: `Bearer ${key}` },
  { name: 'Content-Type', value: 'application/json' },
  { name: 'Origin', value: 'https://chat.example.com' },
  { name: 'User-Agent', value: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36' },
];

/** For events that should change nothing: waits until the observer and the tab verdicts have handled them. */
const settle = () => whenAllIdle(observer, tabs);

const sessionJson = async () => JSON.stringify(await fakeBrowser.storage.session.get(null));

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.webNavigation.onCommitted.removeAllListeners();
});

describe('listener registration', () => {
  test('Chromium: request and response headers, with extraHeaders so none are hidden', () => {
    start({ extraHeaders: true });
    expect(webRequest.onBeforeSendHeaders.registrations).toEqual([{ filter: { urls: ['<all_urls>'] }, extraInfoSpec: ['requestHeaders', 'extraHeaders'] }]);
    expect(webRequest.onHeadersReceived.registrations).toEqual([{ filter: { urls: ['<all_urls>'] }, extraInfoSpec: ['responseHeaders', 'extraHeaders'] }]);
  });

  test('Firefox (no EXTRA_HEADERS): never asks for extraHeaders, which it would reject', () => {
    start({ extraHeaders: false });
    expect(webRequest.onBeforeSendHeaders.registrations).toEqual([{ filter: { urls: ['<all_urls>'] }, extraInfoSpec: ['requestHeaders'] }]);
    expect(webRequest.onHeadersReceived.registrations).toEqual([{ filter: { urls: ['<all_urls>'] }, extraInfoSpec: ['responseHeaders'] }]);
  });

  test('never asks for blocking: it only observes', () => {
    start();
    const specs = [webRequest.onBeforeRequest, webRequest.onBeforeSendHeaders, webRequest.onHeadersReceived, webRequest.onErrorOccurred].flatMap((event) => event.registrations.map((registration) => registration.extraInfoSpec ?? []));
    expect(specs.flat()).not.toContain('blocking');
  });
});

describe('AI API calls', () => {
  test('an OpenAI-shaped POST from tab 5 records the endpoint with the credential kind, never the key', async () => {
    start();
    await commit(5, 'https://chat.example.com/');
    const key = sampleKeys.openai;
    webRequest.onBeforeSendHeaders.dispatch(request({ url: 'https://api.cheap-relay.example/v1/chat/completions', headers: openAiHeaders(key) }));
    await vi.waitFor(async () => expect((await store.get(5))?.endpoints).toHaveLength(1));

    const expected: TabState = {
      tabId: 5,
      url: 'https://chat.example.com/',
      host: 'chat.example.com',
      hostDisplay: 'chat.example.com',
      scope: 'public',
      committedAt: COMMITTED_AT,
      signals: [],
      endpoints: [{ host: 'api.cheap-relay.example', protocol: 'openai', count: 1, credentialKinds: ['vendor-key'] }],
      probed: false,
      documentId: `doc-5-0-${COMMITTED_AT}`,
      guarded: false,
    };
    expect(await store.get(5)).toEqual(expected);
    expect((await tabs.get(5))?.level).toBe('unvetted');

    // Nothing of the key anywhere in storage.session: not whole, not its secret part, not a 12-character slice of it.
    const stored = await sessionJson();
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(key.slice('sk-proj-'.length));
    for (let at = 'sk-proj-'.length; at + 12 <= key.length; at += 6) expect(stored.includes(key.slice(at, at + 12))).toBe(false);
  });

  test('a second call to the same endpoint is counted, kinds merged', async () => {
    start();
    await commit(5, 'https://chat.example.com/');
    webRequest.onBeforeSendHeaders.dispatch(request({ url: 'https://api.cheap-relay.example/v1/chat/completions', headers: openAiHeaders(sampleKeys.openai) }));
    await vi.waitFor(async () => expect((await store.get(5))?.endpoints[0]?.count).toBe(1));
    webRequest.onBeforeSendHeaders.dispatch(request({ url: 'https://api.cheap-relay.example/v1/chat/completions', headers: openAiHeaders(sampleKeys.newApiToken) }));
    await vi.waitFor(async () => expect((await store.get(5))?.endpoints[0]?.count).toBe(2));
    expect((await store.get(5))?.endpoints).toEqual([{ host: 'api.cheap-relay.example', protocol: 'openai', count: 2, credentialKinds: ['vendor-key', 'relay-token'] }]);
    const stored = await sessionJson();
    expect(stored).not.toContain(sampleKeys.openai);
    expect(stored).not.toContain(sampleKeys.newApiToken);
  });

  test('a key in a Gemini query string does not reach storage either', async () => {
    start();
    await commit(5, 'https://chat.example.com/');
    webRequest.onBeforeSendHeaders.dispatch(
      request({
        url: `https://gemini-proxy.example/v1beta/models/gemini-2.5-flash:generateContent?key=${sampleKeys.google}`,
        headers: [{ name: 'Content-Type', value: 'application/json' }],
      }),
    );
    await vi.waitFor(async () => expect((await store.get(5))?.endpoints).toHaveLength(1));
    expect((await store.get(5))?.endpoints).toEqual([{ host: 'gemini-proxy.example', protocol: 'gemini', count: 1, credentialKinds: ['vendor-key'] }]);
    expect(await sessionJson()).not.toContain(sampleKeys.google);
  });

  test('requests without a tab that no open page made (the browser, an extension) are ignored', async () => {
    start();
    await commit(5, 'https://chat.example.com/');
    await fakeBrowser.tabs.create({ url: 'https://chat.example.com/' });
    const before = await fakeBrowser.storage.session.get(null);
    const changes: number[] = [];
    tabs.onChange((tabId) => changes.push(tabId));
    // Spies that keep the real methods: no evidence about tab -1 may even be offered.
    const offered = [vi.spyOn(tabs, 'recordAiCall'), vi.spyOn(tabs, 'recordSignals'), vi.spyOn(tabs, 'noteDocumentSignals')];
    webRequest.onBeforeSendHeaders.dispatch(request({ tabId: -1, url: 'https://api.cheap-relay.example/v1/chat/completions', headers: openAiHeaders(sampleKeys.openai), initiator: 'chrome-extension://abcdefghijklmnop' }));
    webRequest.onBeforeSendHeaders.dispatch(request({ tabId: -1, url: 'https://api.cheap-relay.example/v1/chat/completions', headers: openAiHeaders(sampleKeys.openai), initiator: 'https://elsewhere.example' }));
    // A worker's dashboard headers are not the page's own request: no page signal from them.
    webRequest.onBeforeSendHeaders.dispatch(request({ tabId: -1, url: 'https://relay.example/api/user/self', method: 'GET', headers: [{ name: 'New-API-User', value: '1' }] }));
    webRequest.onHeadersReceived.dispatch(response({ tabId: -1, url: 'https://relay.example/', type: 'main_frame', headers: [{ name: 'X-Oneapi-Request-Id', value: ONEAPI_REQUEST_ID }] }));
    await settle();
    expect(await fakeBrowser.storage.session.get(null)).toEqual(before);
    expect(changes).toEqual([]);
    for (const spy of offered) expect(spy).not.toHaveBeenCalled();
  });

  test('requests from before the page committed belong to the previous page and are dropped', async () => {
    start();
    await commit(5, 'https://chat.example.com/', 2_000);
    webRequest.onBeforeSendHeaders.dispatch(request({ url: 'https://late-from-old-page.example/v1/chat/completions', timeStamp: 1_999, headers: openAiHeaders(sampleKeys.openai) }));
    webRequest.onBeforeSendHeaders.dispatch(request({ url: 'https://old.workers.dev/v1/chat/completions', timeStamp: 1_500, headers: openAiHeaders(sampleKeys.openai) }));
    webRequest.onBeforeSendHeaders.dispatch(request({ url: 'https://relay.example/api/user/self', method: 'GET', timeStamp: 1_999, headers: [{ name: 'New-API-User', value: '1' }] }));
    await settle();
    expect(await store.get(5)).toMatchObject({ signals: [], endpoints: [] });

    webRequest.onBeforeSendHeaders.dispatch(request({ url: 'https://api.cheap-relay.example/v1/chat/completions', timeStamp: 2_000, headers: openAiHeaders(sampleKeys.openai) }));
    await vi.waitFor(async () => expect((await store.get(5))?.endpoints.map((endpoint) => endpoint.host)).toEqual(['api.cheap-relay.example']));
    expect((await store.get(5))?.signals).toEqual([]);
  });

  test('a call to a serverless edge host is also an edge signal', async () => {
    start();
    await commit(5, 'https://chat.example.com/');
    webRequest.onBeforeSendHeaders.dispatch(request({ url: 'https://my-proxy.someone.workers.dev/v1/chat/completions', headers: openAiHeaders(sampleKeys.newApiToken) }));
    await vi.waitFor(async () => expect((await store.get(5))?.signals).toHaveLength(1));
    expect(await store.get(5)).toMatchObject({
      endpoints: [{ host: 'my-proxy.someone.workers.dev', protocol: 'openai', count: 1, credentialKinds: ['relay-token'] }],
      signals: [{ id: 'edge-host-ai-traffic', detail: 'my-proxy.someone.workers.dev' }],
    });
  });

  test('ordinary requests and non-API resource types record nothing', async () => {
    start();
    await commit(5, 'https://chat.example.com/');
    webRequest.onBeforeSendHeaders.dispatch(request({ url: 'https://chat.example.com/api/messages', headers: [{ name: 'Authorization', value: 'Bearer session-token' }] }));
    webRequest.onBeforeSendHeaders.dispatch(request({ url: 'https://docs.example.com/v1/chat/completions', method: 'GET', type: 'main_frame', headers: [] }));
    webRequest.onBeforeSendHeaders.dispatch(request({ url: 'https://cdn.example.com/v1/app.js', method: 'GET', type: 'script', headers: [] }));
    await settle();
    expect(await store.get(5)).toMatchObject({ signals: [], endpoints: [] });
  });
});

describe('gateway headers', () => {
  test('a dashboard user header on a top-frame request is a signal about the page', async () => {
    start();
    await commit(5, 'https://relay.example/console');
    webRequest.onBeforeSendHeaders.dispatch(
      request({ url: 'https://relay.example/api/user/self', method: 'GET', headers: [{ name: 'Accept', value: '*/*' }, { name: 'New-Api-User', value: '17' }] }),
    );
    await vi.waitFor(async () => expect((await store.get(5))?.signals).toHaveLength(1));
    expect((await store.get(5))?.signals).toEqual([{ id: 'dashboard-user-header', detail: 'New-API-User', family: 'new-api' }]);
    expect(await tabs.get(5)).toMatchObject({ level: 'unvetted', family: 'new-api' });
    expect(await sessionJson()).not.toContain('"17"'); // the account id stays out
  });

  test('the same header from a subframe is not about the page', async () => {
    start();
    await commit(5, 'https://blog.example/');
    webRequest.onBeforeSendHeaders.dispatch(request({ frameId: 3, url: 'https://relay.example/api/user/self', method: 'GET', headers: [{ name: 'New-API-User', value: '17' }] }));
    await settle();
    expect((await store.get(5))?.signals).toEqual([]);
  });

  test('X-Oneapi-Request-Id on the main_frame response, before the commit, applies at the commit', async () => {
    start();
    webRequest.onHeadersReceived.dispatch(
      response({ url: 'https://relay.example/', type: 'main_frame', timeStamp: COMMITTED_AT - 40, headers: [{ name: 'Content-Type', value: 'text/html' }, { name: 'X-Oneapi-Request-Id', value: ONEAPI_REQUEST_ID }] }),
    );
    await settle();
    expect(await store.get(5)).toBeNull(); // nothing committed yet, nothing stored

    await commit(5, 'https://relay.example/');
    expect((await store.get(5))?.signals).toEqual([{ id: 'gateway-response-header', detail: 'X-Oneapi-Request-Id', family: 'one-api' }]);
    expect(await tabs.get(5)).toMatchObject({ level: 'unvetted', family: 'one-api' });
  });

  test('a main_frame response for a document that does not commit (a redirect elsewhere) is not applied to the next one', async () => {
    start();
    webRequest.onHeadersReceived.dispatch(response({ url: 'https://relay.example/', type: 'main_frame', headers: [{ name: 'X-Oneapi-Request-Id', value: ONEAPI_REQUEST_ID }] }));
    await settle();
    await commit(5, 'https://www.example.com/');
    expect((await store.get(5))?.signals).toEqual([]);
  });

  test('a request id without the gateway’s digit shape is no signal', async () => {
    start();
    webRequest.onHeadersReceived.dispatch(response({ url: 'https://relay.example/', type: 'main_frame', headers: [{ name: 'X-Oneapi-Request-Id', value: 'req_abc123' }] }));
    await settle();
    await commit(5, 'https://relay.example/');
    expect((await store.get(5))?.signals).toEqual([]);
  });

  test('a gateway header on a subresource counts only from the page’s own host', async () => {
    start();
    await commit(5, 'https://relay.example/');
    webRequest.onHeadersReceived.dispatch(response({ url: 'https://api.other.example/v1/models', type: 'xmlhttprequest', headers: [{ name: 'X-Oneapi-Request-Id', value: ONEAPI_REQUEST_ID }] }));
    await settle();
    expect((await store.get(5))?.signals).toEqual([]);

    webRequest.onHeadersReceived.dispatch(response({ url: 'https://relay.example/api/status', type: 'xmlhttprequest', headers: [{ name: 'X-Oneapi-Request-Id', value: ONEAPI_REQUEST_ID }] }));
    await vi.waitFor(async () => expect((await store.get(5))?.signals).toEqual([{ id: 'gateway-response-header', detail: 'X-Oneapi-Request-Id', family: 'one-api' }]));
  });
});

describe('traffic that has no tab of its own, or never got its headers', () => {
  /** Two tabs on the chat site and one elsewhere, each committed as the browser would. */
  async function openTabs() {
    const chatA = (await fakeBrowser.tabs.create({ url: 'https://chat.example.com/a' })).id!;
    const chatB = (await fakeBrowser.tabs.create({ url: 'https://chat.example.com/b' })).id!;
    const other = (await fakeBrowser.tabs.create({ url: 'https://news.example/' })).id!;
    await commit(chatA, 'https://chat.example.com/a');
    await commit(chatB, 'https://chat.example.com/b');
    await commit(other, 'https://news.example/');
    return { chatA, chatB, other };
  }

  test("a service worker's or shared worker's call (tabId -1) is evidence on every tab of its origin, and only those", async () => {
    start();
    const { chatA, chatB, other } = await openTabs();
    webRequest.onBeforeSendHeaders.dispatch(request({ tabId: -1, frameId: -1, url: 'https://api.cheap-relay.example/v1/chat/completions', headers: openAiHeaders(sampleKeys.openai), initiator: 'https://chat.example.com' }));
    await settle();
    for (const tabId of [chatA, chatB]) {
      expect((await store.get(tabId))?.endpoints).toEqual([{ host: 'api.cheap-relay.example', protocol: 'openai', count: 1, credentialKinds: ['vendor-key'] }]);
      expect((await tabs.get(tabId))?.level).toBe('unvetted');
    }
    expect((await store.get(other))?.endpoints).toEqual([]);
    expect(await sessionJson()).not.toContain(sampleKeys.openai);
  });

  test('without the tabs API a worker call is dropped, not guessed', async () => {
    start({ withBrowserTabs: false });
    const { chatA } = await openTabs();
    webRequest.onBeforeSendHeaders.dispatch(request({ tabId: -1, url: 'https://api.cheap-relay.example/v1/chat/completions', headers: openAiHeaders(sampleKeys.openai), initiator: 'https://chat.example.com' }));
    await settle();
    expect((await store.get(chatA))?.endpoints).toEqual([]);
  });

  test('a call the block rules stopped (ERR_BLOCKED_BY_CLIENT) is recorded from its URL; other errors are not', async () => {
    start();
    await commit(5, 'https://chat.example.com/');
    const failed = (url: string, error: string) => ({ requestId: String(requestId++), url, method: 'POST', frameId: 0, tabId: 5, type: 'xmlhttprequest', timeStamp: COMMITTED_AT + 700, initiator: 'https://chat.example.com', error });
    webRequest.onErrorOccurred.dispatch(failed('https://down.example/v1/chat/completions', 'net::ERR_CONNECTION_REFUSED'));
    webRequest.onErrorOccurred.dispatch(failed('https://blocked-relay.example/v1/chat/completions', 'net::ERR_BLOCKED_BY_CLIENT'));
    await settle();
    expect((await store.get(5))?.endpoints).toEqual([{ host: 'blocked-relay.example', protocol: 'openai', count: 1, credentialKinds: [] }]);
  });

  test('a key in the body (onBeforeRequest) is carried to the call by request id, as its kind alone', async () => {
    start();
    await commit(5, 'https://chat.example.com/');
    const id = String(requestId++);
    const bytes = new TextEncoder().encode(JSON.stringify({ model: 'gpt-4.1', api_key: sampleKeys.openai, input: 'hello' })).buffer;
    webRequest.onBeforeRequest.dispatch({ requestId: id, url: 'https://chat.example.com/api/chat', method: 'POST', frameId: 0, tabId: 5, type: 'xmlhttprequest', timeStamp: COMMITTED_AT + 600, requestBody: { raw: [{ bytes }] } });
    webRequest.onBeforeSendHeaders.dispatch({ ...request({ url: 'https://chat.example.com/api/chat', headers: [{ name: 'Content-Type', value: 'application/json' }] }), requestId: id });
    await settle();
    expect((await store.get(5))?.endpoints).toEqual([{ host: 'chat.example.com', protocol: 'openai', count: 1, credentialKinds: ['vendor-key'] }]);
    expect((await tabs.get(5))?.level).toBe('unvetted');
    expect(await sessionJson()).not.toContain(sampleKeys.openai);
  });

  test('form fields posted into a frame are read too', async () => {
    start();
    await commit(5, 'https://chat.example.com/');
    const id = String(requestId++);
    webRequest.onBeforeRequest.dispatch({ requestId: id, url: 'https://api.cheap-relay.example/v1/chat/completions', method: 'POST', frameId: 3, tabId: 5, type: 'sub_frame', timeStamp: COMMITTED_AT + 600, requestBody: { formData: { key: [sampleKeys.newApiToken], prompt: ['hi'] } } });
    webRequest.onBeforeSendHeaders.dispatch({ ...request({ frameId: 3, type: 'sub_frame', url: 'https://api.cheap-relay.example/v1/chat/completions', headers: [] }), requestId: id });
    await settle();
    expect((await store.get(5))?.endpoints).toEqual([{ host: 'api.cheap-relay.example', protocol: 'openai', count: 1, credentialKinds: ['relay-token'] }]);
  });

  test('pending bodies are capped, whatever a page sends', async () => {
    start();
    await commit(5, 'https://chat.example.com/');
    const body = { raw: [{ bytes: new TextEncoder().encode(`key=${sampleKeys.openai}`).buffer }] };
    // Bodies whose request never goes on (no further event): the oldest are forgotten past the cap.
    for (let i = 0; i < 1_000; i++) webRequest.onBeforeRequest.dispatch({ requestId: `lost-${i}`, url: 'https://chat.example.com/api/x', method: 'POST', frameId: 0, tabId: 5, type: 'xmlhttprequest', timeStamp: COMMITTED_AT + 600, requestBody: body });
    webRequest.onBeforeSendHeaders.dispatch({ ...request({ url: 'https://chat.example.com/api/x', headers: [] }), requestId: 'lost-0' });
    webRequest.onBeforeSendHeaders.dispatch({ ...request({ url: 'https://chat.example.com/api/x', headers: [] }), requestId: 'lost-999' });
    await settle();
    // The first was forgotten; the last is still there and counts once.
    expect((await store.get(5))?.endpoints).toEqual([{ host: 'chat.example.com', protocol: 'openai', count: 1, credentialKinds: ['vendor-key'] }]);
  });
});

describe('multi-tenant gateways', () => {
  test('calls through two accounts of one gateway are two records, each with its account', async () => {
    start();
    await commit(5, 'https://chat.example.com/');
    const through = (account: string) => `https://gateway.ai.cloudflare.com/v1/${account}/gw/openai/chat/completions`;
    webRequest.onBeforeSendHeaders.dispatch(request({ url: through('0123456789abcdef0123456789abcdef'), headers: openAiHeaders(sampleKeys.openai) }));
    webRequest.onBeforeSendHeaders.dispatch(request({ url: through('fedcba9876543210fedcba9876543210'), headers: openAiHeaders(sampleKeys.openai) }));
    webRequest.onBeforeSendHeaders.dispatch(request({ url: through('0123456789abcdef0123456789abcdef'), headers: openAiHeaders(sampleKeys.openai) }));
    await settle();
    expect((await store.get(5))?.endpoints).toEqual([
      { host: 'gateway.ai.cloudflare.com', protocol: 'openai', count: 2, credentialKinds: ['vendor-key'], account: '0123456789abcdef0123456789abcdef/gw' },
      { host: 'gateway.ai.cloudflare.com', protocol: 'openai', count: 1, credentialKinds: ['vendor-key'], account: 'fedcba9876543210fedcba9876543210/gw' },
    ]);
    // The bundled list vets the gateway's host, which vouches for no account.
    expect((await tabs.get(5))?.endpoints.map((endpoint) => endpoint.level)).toEqual(['unvetted', 'unvetted']);
  });
});
