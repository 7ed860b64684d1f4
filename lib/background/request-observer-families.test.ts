import { IDBFactory } from 'fake-indexeddb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, test } from 'vitest';
import { commitPage, createWebRequestStandIn, type WebRequestStandIn } from '../../tests/support/extension-apis.ts';
import { createTabStateStore, type TabStateStore } from '../verdicts/tab-state.ts';
import { RequestObserver } from './request-observer.ts';
import { TabVerdicts } from './tab-verdicts.ts';
import { whenAllIdle } from '../core/in-flight.ts';
import { createTestRegistry } from '../../tests/support/test-registry.ts';

/**
 * The request observer's gateway-family hook: a page's script calling its own origin at a
 * family's start-up route (lib/detection/gateway-families.ts) is evidence about the page.
 */

const COMMITTED_AT = 1_764_144_000_000;
let tabs: TabVerdicts;
let store: TabStateStore;
let webRequest: WebRequestStandIn;
let observer: RequestObserver;
let nextRequestId = 1;

beforeEach(async () => {
  fakeBrowser.reset();
  fakeBrowser.webNavigation.onCommitted.removeAllListeners();
  store = createTabStateStore(fakeBrowser.storage.session);
  tabs = new TabVerdicts({ browser: fakeBrowser, registry: createTestRegistry(new IDBFactory()), store });
  webRequest = createWebRequestStandIn({ extraHeaders: true });
  observer = new RequestObserver({ webRequest: webRequest.api, tabs });
  await commitPage(tabs, 5, 'https://panel.rebranded.example/admin-next/api-stats', COMMITTED_AT);
});

function call(url: string, fields: { frameId?: number; method?: string; type?: string; tabId?: number } = {}) {
  const { frameId = 0, method = 'GET', type = 'xmlhttprequest', tabId = 5 } = fields;
  webRequest.onBeforeSendHeaders.dispatch({
    requestId: String(nextRequestId++),
    url,
    method,
    frameId,
    parentFrameId: frameId === 0 ? -1 : 0,
    tabId,
    type,
    timeStamp: COMMITTED_AT + 40,
    requestHeaders: [{ name: 'Accept', value: 'application/json, text/plain, */*' }],
  });
}

const settle = () => whenAllIdle(observer, tabs);
const signals = async () => (await store.get(5))?.signals;

describe('a family’s start-up calls to the page’s own origin', () => {
  test('claude-relay-service’s two start-up calls are recorded and make the page unvetted', async () => {
    call('https://panel.rebranded.example/admin/oem-settings');
    call('https://panel.rebranded.example/apiStats/service-rates');
    await settle();
    // In either order: a status route takes one more look (was the probe granted?) before it is recorded.
    expect(await signals()).toHaveLength(2);
    expect(await signals()).toEqual(
      expect.arrayContaining([
        { id: 'gateway-api-call', detail: 'GET /admin/oem-settings', family: 'claude-relay-service' },
        { id: 'gateway-api-call', detail: 'GET /apiStats/service-rates', family: 'claude-relay-service' },
      ]),
    );
    expect(await tabs.get(5)).toMatchObject({ level: 'unvetted', family: 'claude-relay-service' });
  });

  test('a query string and a trailing slash do not hide the route; the same route twice counts once', async () => {
    call('https://panel.rebranded.example/setup/status?t=1764144000');
    call('https://panel.rebranded.example/setup/status/');
    await settle();
    expect(await signals()).toEqual([{ id: 'gateway-api-call', detail: 'GET /setup/status', family: 'sub2api' }]);
    expect((await tabs.get(5))?.level).toBe('unknown');
  });

  test('a common start-up route is a weaker signal, shared by families, naming none', async () => {
    call('https://panel.rebranded.example/api/status');
    await settle();
    expect(await signals()).toEqual([{ id: 'gateway-common-api-call', detail: 'GET /api/status' }]);
    expect((await tabs.get(5))?.level).toBe('unknown');
  });

  test.for([
    ['another host', 'https://cdn.other.example/admin/oem-settings', {}],
    ['a subdomain of the page', 'https://api.panel.rebranded.example/admin/oem-settings', {}],
    ['a frame inside the page', 'https://panel.rebranded.example/admin/oem-settings', { frameId: 3 }],
    ['a POST', 'https://panel.rebranded.example/admin/oem-settings', { method: 'POST' }],
    ['an image', 'https://panel.rebranded.example/admin/oem-settings', { type: 'image' }],
    ['a navigation', 'https://panel.rebranded.example/admin/oem-settings', { type: 'main_frame' }],
    ['a worker with no tab', 'https://panel.rebranded.example/admin/oem-settings', { tabId: -1 }],
    ['a longer path', 'https://panel.rebranded.example/docs/admin/oem-settings', {}],
    ['another case', 'https://panel.rebranded.example/ADMIN/OEM-SETTINGS', {}],
  ] as const)('%s is not the app starting: nothing recorded', async ([, url, fields]) => {
    call(url, fields);
    await settle();
    expect(await signals()).toEqual([]);
  });

  test('once the status probe was granted, the probe’s own requests to the status routes are not start-up calls', async () => {
    call('https://panel.rebranded.example/api/status'); // the page's own, before the grant
    await settle();
    expect(await tabs.grantStatusProbe(5)).toBe(true);
    // What the page guard's probe asks, from the page: the status routes of the family table.
    for (const path of ['/api/status', '/api/v1/settings/public', '/admin/oem-settings']) call(`https://panel.rebranded.example${path}`);
    // A start-up call that is no status route still counts.
    call('https://panel.rebranded.example/apiStats/service-rates');
    await settle();
    expect(await signals()).toEqual([
      { id: 'gateway-common-api-call', detail: 'GET /api/status' },
      { id: 'gateway-api-call', detail: 'GET /apiStats/service-rates', family: 'claude-relay-service' },
    ]);
    expect((await tabs.get(5))?.level).toBe('unknown');
  });

  test('a hostile page calling thousands of paths records only the table’s, and at most once each', async () => {
    for (let index = 0; index < 2_000; index++) call(`https://panel.rebranded.example/api/${'x'.repeat(index % 50)}${index}`);
    for (let index = 0; index < 50; index++) call('https://panel.rebranded.example/apiStats/models');
    call(`https://panel.rebranded.example/${'a/'.repeat(50_000)}`);
    await settle();
    expect(await signals()).toEqual([{ id: 'gateway-api-call', detail: 'GET /apiStats/models', family: 'claude-relay-service' }]);
  });

  test('a start-up route behind a 2 MB URL is not parsed, so not counted', async () => {
    call(`https://panel.rebranded.example/apiStats/service-rates?pad=${'x'.repeat(2 * 1024 * 1024)}`);
    await settle();
    expect(await signals()).toEqual([]);
  });
});
