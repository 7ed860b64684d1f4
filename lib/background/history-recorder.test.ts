import { IDBFactory } from 'fake-indexeddb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, test } from 'vitest';
import { commitPage } from '../../tests/support/extension-apis.ts';
import { KEY_OF_EVERY_FORMAT, secretWindows } from '../../tests/support/key-formats.ts';
import { sampleKeys } from '../../tests/support/generated-keys.ts';
import { ask, refusal, startTestBackground, type TestBackground } from '../../tests/support/test-background.ts';
import { whenAllIdle } from '../core/in-flight.ts';
import { HISTORY_DATABASE_NAME, openHistoryDatabase } from '../history/key-history.ts';
import type { Sender } from './message-router.ts';

const NOW = new Date('2026-12-03T04:00:00.000Z');
const COMMITTED_AT = NOW.getTime() - 60_000;
const EXTENSION_ORIGIN = 'chrome-extension://test-extension-id';
const DAY = 24 * 60 * 60_000;

let factory: IDBFactory;
let worker: TestBackground;
let now: Date;

const options: Sender = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html'), origin: EXTENSION_ORIGIN };
const popup: Sender = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html'), origin: EXTENSION_ORIGIN };

beforeEach(async () => {
  fakeBrowser.reset();
  factory = new IDBFactory();
  now = NOW;
  worker = startTestBackground({ indexedDB: factory, now: () => now });
  await worker.registry.ready();
});

/** Everything the listeners started, the key history's recording included, has finished. */
const settle = () => whenAllIdle(worker.requests, worker.tabs, worker.history);

let requestId = 1;

/** A page in `tabId` sends `headers` to `url`, as onBeforeSendHeaders reports a fetch(). */
async function pageSends(tabId: number, url: string, headers: { name: string; value: string }[]): Promise<void> {
  worker.webRequest.onBeforeSendHeaders.dispatch({
    requestId: String(requestId++),
    url,
    method: 'POST',
    frameId: 0,
    parentFrameId: -1,
    tabId,
    type: 'xmlhttprequest',
    timeStamp: COMMITTED_AT + 1000,
    requestHeaders: headers,
  });
  await settle();
}

const bearer = (key: string) => [{ name: 'Authorization', value: `Bearer ${key}` }];

async function history() {
  return ask({ type: 'history/get' }, options);
}

describe('what the worker records', () => {
  test('a vendor key a page sends to a relay: the AI call and the key, with its last four characters only', async () => {
    await commitPage(worker.tabs, 3, 'https://chat.example.com/', COMMITTED_AT);
    await pageSends(3, 'https://api.relay.example/v1/chat/completions', bearer(sampleKeys.openai));

    const { entries, retentionDays } = await history();
    expect(retentionDays).toBe(90);
    expect(entries.map(({ firstAt: _f, lastAt: _l, ...entry }) => entry)).toEqual([
      { kind: 'ai-call', pageHost: 'chat.example.com', endpointHost: 'api.relay.example', protocol: 'openai', level: 'unvetted', count: 1 },
      {
        kind: 'key-sent',
        pageHost: 'chat.example.com',
        endpointHost: 'api.relay.example',
        vendor: 'openai',
        credentialKind: 'vendor-key',
        format: 'openai-project',
        last4: sampleKeys.openai.slice(-4),
        count: 1,
      },
    ].sort((a, b) => (a.kind < b.kind ? 1 : -1)));
    expect(await ask({ type: 'history/keys-sent', tabId: 3 }, popup)).toMatchObject([{ vendor: 'openai', last4: sampleKeys.openai.slice(-4), endpointHost: 'api.relay.example' }]);
    expect(await ask({ type: 'history/keys-sent', tabId: 4 }, popup)).toEqual([]);
  });

  test('the planted key is in no storage area and no IndexedDB record of the worker', async () => {
    const key = KEY_OF_EVERY_FORMAT['anthropic-api'];
    await commitPage(worker.tabs, 3, 'https://chat.example.com/', COMMITTED_AT);
    await pageSends(3, 'https://api.relay.example/v1/messages', [{ name: 'x-api-key', value: key }, { name: 'anthropic-version', value: '2023-06-01' }]);
    expect((await history()).entries.some((entry) => entry.kind === 'key-sent' && entry.last4 === key.slice(-4))).toBe(true);

    const db = await openHistoryDatabase(factory);
    const stored = JSON.stringify([await db.getAll('entries'), await fakeBrowser.storage.local.get(), await fakeBrowser.storage.session.get()]);
    db.close();
    for (const window of secretWindows(key, 5)) expect(stored).not.toContain(window);
    expect((await factory.databases()).map((database) => database.name)).toContain(HISTORY_DATABASE_NAME);
  });

  test('a vendor key in a request body counts too, by its last four characters', async () => {
    const key = KEY_OF_EVERY_FORMAT.groq;
    await commitPage(worker.tabs, 3, 'https://chat.example.com/', COMMITTED_AT);
    const details = { requestId: 'body-1', url: 'https://api.relay.example/api/chat', method: 'POST', frameId: 0, parentFrameId: -1, tabId: 3, type: 'xmlhttprequest', timeStamp: COMMITTED_AT + 1000 };
    worker.webRequest.onBeforeRequest.dispatch({ ...details, requestBody: { raw: [{ bytes: new TextEncoder().encode(JSON.stringify({ apiKey: key })).buffer }] } });
    worker.webRequest.onBeforeSendHeaders.dispatch({ ...details, requestHeaders: [{ name: 'Content-Type', value: 'application/json' }] });
    await settle();
    expect((await history()).entries.filter((entry) => entry.kind === 'key-sent')).toMatchObject([{ vendor: 'groq', format: 'groq', last4: key.slice(-4), endpointHost: 'api.relay.example' }]);
  });

  test('a key sent to its own vendor, a relay token sent to a relay, and unknown pages make no key entry', async () => {
    await commitPage(worker.tabs, 3, 'https://chat.example.com/', COMMITTED_AT);
    await pageSends(3, 'https://api.openai.com/v1/chat/completions', bearer(sampleKeys.openai));
    await pageSends(3, 'https://api.relay.example/v1/chat/completions', bearer(sampleKeys.newApiToken));
    expect((await history()).entries.map((entry) => [entry.kind, 'endpointHost' in entry ? entry.endpointHost : ''])).toEqual([['ai-call', 'api.relay.example']]);
  });

  test('a relay visited is recorded as a visit; a chat page that only calls one is not', async () => {
    await ask({ type: 'user-entries/put', pattern: 'relay.example', level: 'blocked' }, options);
    await commitPage(worker.tabs, 5, 'https://console.relay.example/keys', COMMITTED_AT);
    await commitPage(worker.tabs, 3, 'https://chat.example.com/', COMMITTED_AT);
    await pageSends(3, 'https://api.relay.example/v1/chat/completions', bearer(sampleKeys.newApiToken));
    const visits = (await history()).entries.filter((entry) => entry.kind === 'relay-visit');
    expect(visits.map((entry) => [entry.pageHost, entry.level])).toEqual([['console.relay.example', 'blocked']]);
  });
});

describe('retention, clear, export from the options page', () => {
  test('a shorter retention removes older entries at once; the setting survives a worker restart', async () => {
    await commitPage(worker.tabs, 3, 'https://chat.example.com/', COMMITTED_AT);
    await pageSends(3, 'https://api.relay.example/v1/chat/completions', bearer(sampleKeys.google));
    now = new Date(NOW.getTime() + 10 * DAY);
    expect(await ask({ type: 'history/set-retention', days: 30 }, options)).toEqual({ retentionDays: 30 });
    expect((await history()).entries).toHaveLength(2);
    expect(await ask({ type: 'history/set-retention', days: 7 }, options)).toEqual({ retentionDays: 7 });
    expect((await history()).entries).toEqual([]);

    fakeBrowser.runtime.onMessage.removeAllListeners();
    worker = startTestBackground({ indexedDB: factory, now: () => now });
    expect((await history()).retentionDays).toBe(7);
  });

  test('clear-all empties it; export is the whole history as a document', async () => {
    await commitPage(worker.tabs, 3, 'https://chat.example.com/', COMMITTED_AT);
    await pageSends(3, 'https://api.relay.example/v1/chat/completions', bearer(sampleKeys.anthropic));
    const exported = await ask({ type: 'history/export' }, options);
    expect(exported).toMatchObject({ schema: 'relayguard.history/1', exportedAt: NOW.toISOString(), retentionDays: 90 });
    expect(exported.entries.map((entry) => entry.kind).sort()).toEqual(['ai-call', 'key-sent']);
    expect(await ask({ type: 'history/clear' }, options)).toEqual({ cleared: true });
    expect((await history()).entries).toEqual([]);
    expect((await ask({ type: 'history/export' }, options)).entries).toEqual([]);
  });

  test('web pages cannot read, export or clear the history', async () => {
    const page: Sender = { id: fakeBrowser.runtime.id, url: 'https://relay.example/', origin: 'https://relay.example', frameId: 0, tab: { id: 3 } as Sender['tab'] };
    for (const type of ['history/get', 'history/export', 'history/clear'] as const) {
      expect(await refusal(ask({ type }, page))).toBe(`${type} is only available to RelayGuard's own pages.`);
    }
  });
});
