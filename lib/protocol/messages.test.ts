import { describe, expect, test } from 'vitest';
import { requestSchema, responseSchemas, sendRequest, type ListSummary, type Request, type TabVerdictView } from './messages.ts';

/** The request types in schema order (classic and zod/mini literals both keep them in _zod.def.values). */
const REQUEST_TYPES = requestSchema._zod.def.options.map((option) => String(option.shape.type._zod.def.values[0]));

/** One valid request of every type; the last test keeps this table complete. */
const VALID: Request[] = [
  { type: 'tab-verdict/get', tabId: 0 },
  { type: 'tab-verdict/get', tabId: 1234 },
  { type: 'lists/subscribe', url: 'https://lists.example.org/relays.json' },
  { type: 'block-rules/status' },
  { type: 'lists/subscribe', url: 'http://127.0.0.1:8080/list.json' },
  { type: 'lists/unsubscribe', id: 'subscription:https://lists.example.org/relays.json' },
  { type: 'lists/summary' },
  { type: 'lists/subscribe', url: 'https://lists.example.org/relays.json', publicKeys: ['RWRosuYMC5JrGHmaHQLKgPj1rie3rLMqBSZP6FH5GnNj/xOm/iShP3M5'] },
  { type: 'lists/update', id: 'subscription:https://lists.example.org/relays.json' },
  { type: 'interstitial/info', url: 'https://relay.example/v1/chat' },
  { type: 'interstitial/proceed-once', url: 'https://relay.example/' },
  { type: 'interstitial/proceed-once', url: 'javascript:alert(1)' },
  { type: 'page/fingerprint', fingerprint: { storageKeys: [], path: '/', vocabulary: [] } },
  {
    type: 'page/fingerprint',
    fingerprint: { servedTitle: 'New API', storageKeys: ['system_name'], statusStorage: { systemName: true, quotaPerUnit: false }, path: '/#/token', vocabulary: ['令牌', '倍率'] },
  },
  { type: 'page/guard-needed' },
  { type: 'page/probe-signals', signals: [] },
  { type: 'page/probe-signals', signals: [{ id: 'gateway-status-endpoint', detail: '/api/status', family: 'new-api' }] },
  { type: 'page/context' },
  { type: 'page/dismiss-warning' },
  { type: 'page/open-details' },
  { type: 'page/warning-hidden', surface: 'warning', how: 'covered' },
  { type: 'page/warning-hidden', surface: 'paste-guard', how: 'removed' },
  { type: 'user-entries/list' },
  { type: 'user-entries/import', text: '{"format":"relayguard-user-entries","version":1,"entries":[]}' },
  { type: 'settings/get' },
  { type: 'user-entries/put', pattern: 'relay.example', level: 'vetted', note: 'our team gateway' },
  { type: 'user-entries/remove', pattern: '.relay.example' },
  { type: 'settings/set', changes: { pasteGuard: false } },
  { type: 'report/preview', tabId: 7, kind: 'false-positive', note: 'our own gateway' },
  {
    type: 'report/send',
    document: {
      schema: 'relayguard.report/1',
      id: '5b0c2f4e-8d1a-4c3b-9e2f-7a6b5c4d3e2f',
      kind: 'relay',
      host: 'relay.example',
      registrableDomain: 'relay.example',
      url: 'https://relay.example/console',
      title: 'New API',
      level: 'unvetted',
      reasons: [],
      aiEndpoints: [],
      reportedAt: '2026-11-26T00:00:00.000Z',
      extensionVersion: '0.1.0',
      lists: [],
    },
  },
  { type: 'report/state' },
  { type: 'report/retry', id: '5b0c2f4e-8d1a-4c3b-9e2f-7a6b5c4d3e2f' },
  { type: 'report/set-endpoint', endpoint: null },
  { type: 'history/get' },
  { type: 'history/keys-sent', tabId: 7 },
  { type: 'history/export' },
  { type: 'history/clear' },
  { type: 'history/set-retention', days: 90 },
];

const issueOf = (message: unknown) => {
  const parsed = requestSchema.safeParse(message);
  return parsed.success ? null : { path: parsed.error.issues[0]!.path, message: parsed.error.issues[0]!.message };
};

describe('requestSchema', () => {
  for (const request of VALID) {
    test(`accepts ${JSON.stringify(request)}`, () => {
      expect(requestSchema.parse(request)).toEqual(request);
    });
  }

  test('drops unknown fields instead of passing them to a handler', () => {
    expect(requestSchema.parse({ type: 'lists/summary', extra: true })).toEqual({ type: 'lists/summary' });
  });

  test('report/send takes only a document the report schema accepts: nothing unredacted crosses', () => {
    const send = VALID.find((request) => request.type === 'report/send')!;
    expect(issueOf({ ...send, document: { ...(send as { document: object }).document, url: 'https://relay.example/console?key=1' } })?.path).toEqual(['document', 'url']);
    expect(issueOf({ ...send, document: { ...(send as { document: object }).document, note: 'Cookie: sid=1' } })?.path).toEqual(['document', 'note']);
  });

  test('history/set-retention takes whole days from one to ten years', () => {
    expect(issueOf({ type: 'history/set-retention', days: 0 })?.path).toEqual(['days']);
    expect(issueOf({ type: 'history/set-retention', days: 1.5 })?.path).toEqual(['days']);
    expect(issueOf({ type: 'history/set-retention', days: 3651 })?.path).toEqual(['days']);
    expect(issueOf({ type: 'history/set-retention', days: 1 })).toBeNull();
  });

  test('rejects a bad tab id', () => {
    expect(issueOf({ type: 'tab-verdict/get', tabId: -1 })).toEqual({ path: ['tabId'], message: 'Too small: expected number to be >=0' });
    expect(issueOf({ type: 'tab-verdict/get', tabId: 1.5 })).toEqual({ path: ['tabId'], message: 'Invalid input: expected int, received number' });
    expect(issueOf({ type: 'tab-verdict/get', tabId: '3' })).toEqual({ path: ['tabId'], message: 'Invalid input: expected number, received string' });
    expect(issueOf({ type: 'tab-verdict/get' })).toEqual({ path: ['tabId'], message: 'Invalid input: expected number, received undefined' });
  });

  test('rejects subscribing to anything but an http(s) URL', () => {
    for (const url of ['ftp://lists.example.org/relays.json', 'file:///etc/passwd', 'javascript:alert(1)', 'data:application/json,{}']) {
      expect({ url, issue: issueOf({ type: 'lists/subscribe', url }) }).toEqual({ url, issue: { path: ['url'], message: 'Invalid URL' } });
    }
    expect(issueOf({ type: 'lists/subscribe', url: '/relative/list.json' })).toEqual({ path: ['url'], message: 'Invalid URL' });
    expect(issueOf({ type: 'lists/subscribe', url: 42 })).toEqual({ path: ['url'], message: 'Invalid input: expected string, received number' });
  });

  test('rejects an empty subscription id and an over-long interstitial URL', () => {
    expect(issueOf({ type: 'lists/unsubscribe', id: '' })).toEqual({ path: ['id'], message: 'Too small: expected string to have >=1 characters' });
    expect(issueOf({ type: 'interstitial/info', url: `https://relay.example/${'a'.repeat(8192)}` })).toEqual({
      path: ['url'],
      message: 'Too big: expected string to have <=8192 characters',
    });
  });

  test('rejects a page fingerprint with unknown fields or unbounded content, and too many probe signals', () => {
    const fingerprint = { storageKeys: [], path: '/', vocabulary: [] };
    expect(issueOf({ type: 'page/fingerprint', fingerprint: { ...fingerprint, pageText: 'everything the person typed' } })?.path).toEqual(['fingerprint']);
    expect(issueOf({ type: 'page/fingerprint', fingerprint: { ...fingerprint, vocabulary: ['password'] } })?.path).toEqual(['fingerprint', 'vocabulary', 0]);
    expect(issueOf({ type: 'page/fingerprint', fingerprint: { ...fingerprint, path: '/'.repeat(100_000) } })?.path).toEqual(['fingerprint', 'path']);
    expect(issueOf({ type: 'page/fingerprint' })?.path).toEqual(['fingerprint']);
    const signal = { id: 'gateway-status-endpoint', detail: '/api/status' };
    expect(issueOf({ type: 'page/probe-signals', signals: [signal, signal, signal, signal, signal] })).toEqual({ path: ['signals'], message: 'Too big: expected array to have <=4 items' });
    expect(issueOf({ type: 'page/probe-signals', signals: [{ id: 'made-up', detail: 'x' }] })?.path).toEqual(['signals', 0, 'id']);
  });

  test('rejects unknown types, a missing type and non-objects', () => {
    const types = REQUEST_TYPES.map((type) => `'${type}'`);
    const unknownType = { path: ['type'], message: `Invalid discriminator value. Expected ${types.join(' | ')}` };
    expect(unknownType.message).toContain("'lists/subscribe' | 'lists/unsubscribe'");
    expect(issueOf({ type: 'lists/delete-everything' })).toEqual(unknownType);
    expect(issueOf({ type: 'Lists/Summary' })).toEqual(unknownType);
    expect(issueOf({ tabId: 3 })).toEqual(unknownType);
    expect(issueOf('lists/summary')).toEqual({ path: [], message: 'Invalid input: expected object, received string' });
    expect(issueOf(null)).toEqual({ path: [], message: 'Invalid input: expected object, received null' });
  });

  test('VALID covers every request type, and every type has a response schema', () => {
    const types = new Set(VALID.map((request) => request.type));
    expect([...types].sort()).toEqual(Object.keys(responseSchemas()).sort());
    expect([...REQUEST_TYPES].sort()).toEqual([...types].sort());
  });
});

describe('sendRequest', () => {
  const summary: ListSummary[] = [
    { id: 'bundled:vendors', source: 'bundled', name: 'RelayGuard AI vendors', version: '2026.11.26', entryCount: 40 },
    { id: 'subscription:https://l.example/x.json', source: 'subscribed', name: 'X', version: '1', entryCount: 2, url: 'https://l.example/x.json', fetchedAt: 1, lastTriedAt: 2, lastError: 'e' },
  ];

  test('sends the request unchanged and returns a valid answer', async () => {
    const sent: unknown[] = [];
    const answer = await sendRequest(async (message) => {
      sent.push(message);
      return { ok: true, data: summary };
    }, { type: 'lists/summary' });
    expect(sent).toEqual([{ type: 'lists/summary' }]);
    expect(answer).toEqual({ ok: true, data: summary });
  });

  test('passes a valid error answer through', async () => {
    expect(await sendRequest(async () => ({ ok: false, error: 'The list is not valid JSON.' }), { type: 'lists/subscribe', url: 'https://l.example/x.json' })).toEqual({
      ok: false,
      error: 'The list is not valid JSON.',
    });
  });

  test('a null verdict (a tab without a web page) is a valid answer', async () => {
    expect(await sendRequest(async () => ({ ok: true, data: null }), { type: 'tab-verdict/get', tabId: 3 })).toEqual({ ok: true, data: null });
  });

  test('answers that do not match the response schema become { ok: false }', async () => {
    const badAnswers: unknown[] = [
      undefined, // no listener answered
      null,
      'ok',
      { ok: true }, // no data
      { ok: true, data: { removed: 'yes' } },
      { ok: true, data: [{ ...summary[0], entryCount: -1 }] },
      { ok: true, data: [{ ...summary[0], source: 'somewhere' }] },
      { ok: false }, // no error text
      { ok: 'true', data: summary },
    ];
    for (const bad of badAnswers) {
      expect({ bad, answer: await sendRequest(async () => bad, { type: 'lists/summary' }) }).toEqual({ bad, answer: { ok: false, error: 'Unexpected answer to lists/summary.' } });
    }
    expect(await sendRequest(async () => ({ ok: true, data: { removed: 1 } }), { type: 'lists/unsubscribe', id: 'x' })).toEqual({
      ok: false,
      error: 'Unexpected answer to lists/unsubscribe.',
    });
  });

  test('a verdict with a level outside the five is refused', async () => {
    const control = { userEntry: null, managed: false };
    const view = { tabId: 3, url: 'https://relay.example/', hostDisplay: 'relay.example', level: 'dangerous', reasons: [], endpoints: [], control };
    expect(await sendRequest(async () => ({ ok: true, data: view }), { type: 'tab-verdict/get', tabId: 3 })).toEqual({ ok: false, error: 'Unexpected answer to tab-verdict/get.' });
    const valid: TabVerdictView = { ...view, level: 'unknown' } as TabVerdictView;
    expect(await sendRequest(async () => ({ ok: true, data: valid }), { type: 'tab-verdict/get', tabId: 3 })).toEqual({ ok: true, data: valid });
  });

  test('a send that throws becomes its error text', async () => {
    const connectionError = async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    };
    expect(await sendRequest(connectionError, { type: 'lists/summary' })).toEqual({ ok: false, error: 'Could not establish connection. Receiving end does not exist.' });
    expect(await sendRequest(() => Promise.reject('port closed'), { type: 'lists/summary' })).toEqual({ ok: false, error: 'port closed' });
  });
});
