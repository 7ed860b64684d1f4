import { managedView } from './list-summary.ts';
import { EMPTY_POLICY } from '../lists/policy.ts';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, test } from 'vitest';
import { requestSchema, sendRequest, type ListSummary, type RequestType } from '../protocol/messages.ts';
import { DEFAULT_SETTINGS } from '../core/settings.ts';
import { MessageRouter, REQUEST_TYPES as ROUTER_REQUEST_TYPES, RequestError, type Handler } from './message-router.ts';

/** The request types in schema order (classic and zod/mini literals both keep them in _zod.def.values). */
const REQUEST_TYPES = requestSchema._zod.def.options.map((option) => String(option.shape.type._zod.def.values[0]));

type Sender = Parameters<typeof fakeBrowser.runtime.onMessage.trigger>[1];

/**
 * WXT's fake runtime.sendMessage always passes an empty sender and only returns a reply when a
 * listener returns `true` and calls sendResponse; it ignores a returned promise, which is how
 * webextension-polyfill (and Firefox natively) deliver async replies. So messages are delivered
 * here through onMessage.trigger with a real-looking sender, and the first listener's promise is
 * the reply, as runtime.sendMessage resolves it in the browser.
 */
async function dispatch(message: unknown, sender: Sender): Promise<unknown> {
  const replies = await fakeBrowser.runtime.onMessage.trigger(message, sender, () => {
    throw new Error('the router must answer with a promise, not sendResponse');
  });
  return replies.find((reply) => reply !== undefined);
}

const extensionPage = (path: string): Sender => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL(path), origin: `chrome-extension://${fakeBrowser.runtime.id}` });
const contentScript: Sender = {
  id: fakeBrowser.runtime.id,
  url: 'https://relay.example/chat',
  origin: 'https://relay.example',
  frameId: 0,
  documentId: 'D0C',
  tab: { id: 7, index: 0, windowId: 1, highlighted: true, active: true, pinned: false, incognito: false, url: 'https://relay.example/chat' } as Sender['tab'],
};

const SUMMARY: ListSummary[] = [{ id: 'bundled:vendors', source: 'bundled', name: 'RelayGuard AI vendors', version: '2026.11.26', entryCount: 40 }];

const REPORT = {
  schema: 'relayguard.report/1',
  id: '5b0c2f4e-8d1a-4c3b-9e2f-7a6b5c4d3e2f',
  kind: 'relay',
  host: 'relay.example',
  registrableDomain: 'relay.example',
  url: 'https://relay.example/console',
  title: 'New API',
  level: 'unvetted',
  reasons: ['gateway-meta-description: stock description'],
  aiEndpoints: [],
  reportedAt: '2026-11-26T00:00:00.000Z',
  extensionVersion: '0.1.0',
  lists: [],
} as const;
const REPORT_STATUS = { id: REPORT.id, state: 'queued', kind: 'relay', host: 'relay.example', createdAt: 0, attempts: 0 } as const;

/** One valid request of every type. */
const REQUESTS = {
  'tab-verdict/get': { type: 'tab-verdict/get', tabId: 7 },
  'lists/subscribe': { type: 'lists/subscribe', url: 'https://lists.example.org/relays.json' },
  'lists/unsubscribe': { type: 'lists/unsubscribe', id: 'subscription:https://lists.example.org/relays.json' },
  'lists/summary': { type: 'lists/summary' },
  'lists/update': { type: 'lists/update', id: 'subscription:https://lists.example.org/relays.json' },
  'interstitial/info': { type: 'interstitial/info', url: 'https://relay.example/' },
  'interstitial/proceed-once': { type: 'interstitial/proceed-once', url: 'https://relay.example/' },
  'page/fingerprint': { type: 'page/fingerprint', fingerprint: { storageKeys: ['system_name', 'quota_per_unit'], path: '/console/token', vocabulary: ['令牌', '额度', '倍率'] } },
  'page/guard-needed': { type: 'page/guard-needed' },
  'page/probe-signals': { type: 'page/probe-signals', signals: [{ id: 'gateway-status-endpoint', detail: '/api/status' }] },
  'page/context': { type: 'page/context' },
  'page/dismiss-warning': { type: 'page/dismiss-warning' },
  'page/open-details': { type: 'page/open-details', report: true },
  'page/warning-hidden': { type: 'page/warning-hidden', surface: 'warning', how: 'covered' },
  'user-entries/list': { type: 'user-entries/list' },
  'user-entries/put': { type: 'user-entries/put', pattern: 'relay.example', level: 'blocked' },
  'user-entries/remove': { type: 'user-entries/remove', pattern: 'relay.example' },
  'user-entries/import': { type: 'user-entries/import', text: '{}' },
  'settings/get': { type: 'settings/get' },
  'settings/set': { type: 'settings/set', changes: { pasteGuard: false } },
  'report/preview': { type: 'report/preview', tabId: 7, kind: 'relay' },
  'report/send': { type: 'report/send', document: REPORT },
  'report/state': { type: 'report/state' },
  'report/retry': { type: 'report/retry', id: REPORT.id },
  'report/set-endpoint': { type: 'report/set-endpoint', endpoint: 'https://collector.example/reports' },
  'history/get': { type: 'history/get' },
  'history/keys-sent': { type: 'history/keys-sent', tabId: 7 },
  'history/export': { type: 'history/export' },
  'history/clear': { type: 'history/clear' },
  'history/set-retention': { type: 'history/set-retention', days: 30 },
  'block-rules/status': { type: 'block-rules/status' },
} as const satisfies Record<RequestType, unknown>;

/** What content scripts send about their own tab; everything else reads or changes lists or other tabs. */
const CONTENT_SCRIPT_TYPES: readonly RequestType[] = [
  'page/fingerprint',
  'page/guard-needed',
  'page/probe-signals',
  'page/context',
  'page/dismiss-warning',
  'page/open-details',
  'page/warning-hidden',
];
const PRIVILEGED_TYPES = (Object.keys(REQUESTS) as RequestType[]).filter((type) => !CONTENT_SCRIPT_TYPES.includes(type));

let calls: { request: unknown; sender: Sender }[];
let reports: string[];
let failWith: unknown;
let router: MessageRouter;

function record<T>(answer: T) {
  return async (request: unknown, sender: Sender): Promise<T> => {
    calls.push({ request, sender });
    if (failWith !== undefined) throw failWith;
    return answer;
  };
}

const handlers: { [T in RequestType]: Handler<T> } = {
  'tab-verdict/get': record(null),
  'lists/subscribe': record(SUMMARY[0]!),
  'lists/unsubscribe': record({ removed: true }),
  'lists/summary': record(SUMMARY),
  'lists/update': record(SUMMARY[0]!),
  'block-rules/status': record({ installed: 3, leftOut: [{ reason: 'redirect-over-limit', count: 1, hosts: ['relay.example'] }] }),
  'interstitial/info': record({
    url: 'https://relay.example/',
    navigable: true,
    hostUnicode: 'relay.example',
    hostAscii: 'relay.example',
    level: 'blocked',
    reasons: [],
    allowProceed: true,
  }),
  'interstitial/proceed-once': record({ url: 'https://relay.example/' }),
  'page/fingerprint': record({ recorded: true }),
  'page/guard-needed': record({ started: true }),
  'page/probe-signals': record({ accepted: 1 }),
  'page/context': record({ verdict: null, warningDismissed: false, pasteGuard: true, unknownPageNotice: true }),
  'page/dismiss-warning': record({ dismissed: true }),
  'page/open-details': record({ opened: true }),
  'page/warning-hidden': record({ recorded: true }),
  'user-entries/list': record({ entries: [], managed: managedView(EMPTY_POLICY) }),
  'user-entries/put': record({ pattern: 'relay.example', level: 'blocked', added: '2026-11-26T00:00:00.000Z' }),
  'user-entries/remove': record({ removed: true }),
  'user-entries/import': record({ imported: 0 }),
  'settings/get': record(DEFAULT_SETTINGS),
  'settings/set': record({ ...DEFAULT_SETTINGS, pasteGuard: false }),
  'report/preview': record({ ...REPORT, reasons: [...REPORT.reasons], aiEndpoints: [], lists: [] }),
  'report/send': record(REPORT_STATUS),
  'report/state': record({ endpoint: null, managed: false, reports: [] }),
  'report/retry': record(REPORT_STATUS),
  'report/set-endpoint': record({ endpoint: 'https://collector.example/reports', managed: false, reports: [] }),
  'history/get': record({ entries: [], retentionDays: 90 }),
  'history/keys-sent': record([]),
  'history/export': record({ schema: 'relayguard.history/1', exportedAt: '2026-12-03T04:00:00.000Z', retentionDays: 90, entries: [] }),
  'history/clear': record({ cleared: true }),
  'history/set-retention': record({ retentionDays: 30 }),
};

beforeEach(() => {
  fakeBrowser.reset();
  calls = [];
  reports = [];
  failWith = undefined;
  router = new MessageRouter(fakeBrowser.runtime, (problem) => reports.push(problem));
  router.register(handlers);
});

test('registers exactly one listener, synchronously, answering with a promise', async () => {
  // No await between building the router (in beforeEach) and this check.
  expect(fakeBrowser.runtime.onMessage.hasListeners()).toBe(true);
  const replies = await fakeBrowser.runtime.onMessage.trigger(REQUESTS['lists/summary'], extensionPage('/options.html'), () => undefined);
  expect(replies).toEqual([{ ok: true, data: SUMMARY }]);
  expect(Object.keys(REQUESTS).sort()).toEqual([...REQUEST_TYPES].sort());
  expect(ROUTER_REQUEST_TYPES).toEqual(REQUEST_TYPES);
});

describe('registration', () => {
  test('each request type has one owner: a second handler for it is refused', () => {
    expect(router.unhandled()).toEqual([]);
    expect(() => router.register({ 'lists/summary': record(SUMMARY) })).toThrow('Two handlers for lists/summary.');
  });

  test('a request nobody handles is answered with an error and reported', async () => {
    fakeBrowser.reset();
    const partial = new MessageRouter(fakeBrowser.runtime, (problem) => reports.push(problem));
    partial.register({ 'lists/summary': record(SUMMARY) });
    expect(partial.unhandled()).toEqual(REQUEST_TYPES.filter((type) => type !== 'lists/summary'));
    expect(await dispatch(REQUESTS['settings/get'], extensionPage('/options.html'))).toEqual({ ok: false, error: 'RelayGuard could not handle that request.' });
    expect(reports).toEqual(['No handler for settings/get.']);
    expect(await dispatch(REQUESTS['lists/summary'], extensionPage('/options.html'))).toEqual({ ok: true, data: SUMMARY });
  });
});

describe('invalid messages', () => {
  const cases: [string, unknown, string][] = [
    ['a negative tab id', { type: 'tab-verdict/get', tabId: -1 }, 'Invalid tab-verdict/get request: Too small: expected number to be >=0'],
    ['a string tab id', { type: 'tab-verdict/get', tabId: '7' }, 'Invalid tab-verdict/get request: Invalid input: expected number, received string'],
    ['a non-http subscription', { type: 'lists/subscribe', url: 'file:///etc/passwd' }, 'Invalid lists/subscribe request: Invalid URL'],
    ['an empty id', { type: 'lists/unsubscribe', id: '' }, 'Invalid lists/unsubscribe request: Too small: expected string to have >=1 characters'],
    ['a non-object', 'lists/summary', 'Invalid unknown request: Invalid input: expected object, received string'],
    ['null', null, 'Invalid unknown request: Invalid input: expected object, received null'],
    ['undefined', undefined, 'Invalid unknown request: Invalid input: expected object, received undefined'],
  ];
  for (const [name, message, error] of cases) {
    test(`${name} → { ok: false } naming the type`, async () => {
      expect(await dispatch(message, extensionPage('/options.html'))).toEqual({ ok: false, error });
      expect(calls).toEqual([]);
      expect(reports).toEqual([]);
    });
  }

  test('an unknown type is named in the error', async () => {
    const types = REQUEST_TYPES.map((type) => `'${type}'`).join(' | ');
    expect(await dispatch({ type: 'lists/delete-all' }, extensionPage('/options.html'))).toEqual({
      ok: false,
      error: `Invalid lists/delete-all request: Invalid discriminator value. Expected ${types}`,
    });
    expect(await dispatch({ type: { toString: () => 'sneaky' } }, extensionPage('/options.html'))).toEqual({
      ok: false,
      error: `Invalid sneaky request: Invalid discriminator value. Expected ${types}`,
    });
    expect(calls).toEqual([]);
  });
});

describe('who may ask', () => {
  test('the privileged requests are everything but the page protocol', () => {
    expect(PRIVILEGED_TYPES).toEqual([
      'tab-verdict/get',
      'lists/subscribe',
      'lists/unsubscribe',
      'lists/summary',
      'lists/update',
      'interstitial/info',
      'interstitial/proceed-once',
      'user-entries/list',
      'user-entries/put',
      'user-entries/remove',
      'user-entries/import',
      'settings/get',
      'settings/set',
      'report/preview',
      'report/send',
      'report/state',
      'report/retry',
      'report/set-endpoint',
      'history/get',
      'history/keys-sent',
      'history/export',
      'history/clear',
      'history/set-retention',
      'block-rules/status',
    ]);
  });

  for (const type of PRIVILEGED_TYPES) {
    test(`${type} from a content script (a web page with a tab) is refused`, async () => {
      expect(await dispatch(REQUESTS[type], contentScript)).toEqual({ ok: false, error: `${type} is only available to RelayGuard's own pages.` });
      expect(calls).toEqual([]);
    });
  }

  test('a sender that names no page is refused privileged requests (trust comes from the origin, not a missing field)', async () => {
    expect(await dispatch(REQUESTS['lists/summary'], {})).toEqual({ ok: false, error: "lists/summary is only available to RelayGuard's own pages." });
    expect(calls).toEqual([]);
  });

  for (const type of CONTENT_SCRIPT_TYPES) {
    test(`${type} from a content script reaches its handler with the sender (its tab)`, async () => {
      const answer = await dispatch(REQUESTS[type], contentScript);
      expect(answer).toEqual({ ok: true, data: await handlers[type](REQUESTS[type] as never, contentScript) });
      expect(calls[0]).toEqual({ request: REQUESTS[type], sender: contentScript });
    });
  }

  test('a content script cannot smuggle a tab id into page/context', async () => {
    await dispatch({ type: 'page/context', tabId: 99 }, contentScript);
    expect(calls[0]!.request).toEqual({ type: 'page/context' });
  });

  test('a page fingerprint that breaks its bounds never reaches the handler', async () => {
    const oversized = { ...REQUESTS['page/fingerprint'].fingerprint, html: '<html>…</html>' };
    const answer = (await dispatch({ type: 'page/fingerprint', fingerprint: oversized }, contentScript)) as { ok: boolean; error: string };
    expect(answer.ok).toBe(false);
    expect(answer.error).toMatch(/^Invalid page\/fingerprint request: /);
    expect(calls).toEqual([]);
  });

  for (const [type, request] of Object.entries(REQUESTS)) {

    test(`${type} from an extension page reaches its handler, validated`, async () => {
      const sender = extensionPage('/popup.html');
      const answer = await dispatch({ ...request, injected: 'dropped' }, sender);
      expect(answer).toEqual({ ok: true, data: await handlers[type as RequestType](request as never, sender) });
      expect(calls[0]).toEqual({ request, sender });
    });
  }

  test('a page URL that merely mentions the extension origin is not an extension page', async () => {
    const tricky: Sender = { ...contentScript, url: `https://relay.example/?next=${fakeBrowser.runtime.getURL('/popup.html')}` };
    expect(await dispatch(REQUESTS['lists/summary'], tricky)).toEqual({ ok: false, error: "lists/summary is only available to RelayGuard's own pages." });
    const otherExtension: Sender = { ...contentScript, url: 'chrome-extension://another-extension-id/popup.html', tab: undefined };
    expect(await dispatch(REQUESTS['lists/summary'], otherExtension)).toEqual({ ok: false, error: "lists/summary is only available to RelayGuard's own pages." });
    expect(calls).toEqual([]);
  });

  test('the interstitial, an extension page in a tab, may ask', async () => {
    const interstitial: Sender = { ...contentScript, url: fakeBrowser.runtime.getURL('/blocked.html?url=https%3A%2F%2Frelay.example%2F') };
    expect(await dispatch(REQUESTS['interstitial/info'], interstitial)).toMatchObject({ ok: true, data: { level: 'blocked' } });
  });
});

describe('handler failures', () => {
  test('an unexpected exception becomes a generic error and is reported, details kept inside', async () => {
    failWith = new Error('IndexedDB exploded at /home/someone/profile');
    expect(await dispatch(REQUESTS['lists/summary'], extensionPage('/options.html'))).toEqual({ ok: false, error: 'RelayGuard could not handle that request.' });
    expect(reports).toEqual(['Message handler failed: Error: IndexedDB exploded at /home/someone/profile']);
  });

  test('a thrown non-Error is handled the same way', async () => {
    failWith = 'plain string';
    expect(await dispatch(REQUESTS['lists/unsubscribe'], extensionPage('/options.html'))).toEqual({ ok: false, error: 'RelayGuard could not handle that request.' });
    expect(reports).toEqual(['Message handler failed: plain string']);
  });

  test('a RequestError is shown to the requester in its own words and not reported', async () => {
    failWith = new RequestError('The list is not valid JSON.');
    expect(await dispatch(REQUESTS['lists/subscribe'], extensionPage('/options.html'))).toEqual({ ok: false, error: 'The list is not valid JSON.' });
    expect(reports).toEqual([]);
  });
});

test('end to end: sendRequest through the router gets a validated answer', async () => {
  const send = (message: unknown) => dispatch(message, extensionPage('/options.html'));
  expect(await sendRequest(send, { type: 'lists/summary' })).toEqual({ ok: true, data: SUMMARY });
  expect(await sendRequest(send, { type: 'tab-verdict/get', tabId: 7 })).toEqual({ ok: true, data: null });
  failWith = new RequestError('No such list.');
  expect(await sendRequest(send, { type: 'lists/unsubscribe', id: 'x' })).toEqual({ ok: false, error: 'No such list.' });
});
