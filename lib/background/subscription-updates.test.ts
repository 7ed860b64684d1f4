import { readFileSync } from 'node:fs';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { loadBundledLists } from '../lists/bundled-lists.ts';
import { parseSecretKey, signMessage, type MinisignSecretKey } from '../lists/cli/secret-key.ts';
import { openListDatabase, subscriptionId } from '../lists/list-store.ts';
import { fetchListUpdate } from '../lists/subscription-update.ts';
import type { DownloadLimits } from '../lists/subscriptions.ts';
import { ListRefresh, LIST_REFRESH_ALARM } from './list-refresh.ts';
import { ListRegistry } from './list-registry.ts';
import { ask, refusal, startTestBackground } from '../../tests/support/test-background.ts';
import { serveForSuite } from '../../tests/support/route-server.ts';

/**
 * Every outcome of a subscribed list's update, through the real registry, the real downloader
 * and signature check, a real HTTP server on 127.0.0.1 and an in-memory IndexedDB. After every
 * failure the last good copy must still be in force, in the matcher and in storage.
 */

let requests: { url: string; ifNoneMatch?: string | undefined }[];
const lists = serveForSuite((request) => requests.push({ url: request.url!, ifNoneMatch: request.headers['if-none-match'] }));
const routes = lists.routes;

const testdata = (name: string) => readFileSync(new URL(`../lists/testdata/minisign/${name}`, import.meta.url), 'utf8');
const SIGNER_PUB = testdata('signer.pub').trim().split('\n')[1]!;
const OTHER_PUB = testdata('other.pub').trim().split('\n')[1]!;
let signer: MinisignSecretKey;

const HOUR = 3_600_000;
const START = Date.UTC(2026, 11, 3, 8, 0, 0);
/** Download clocks short enough for the timeout outcome, long enough for a busy machine. */
const LIMITS: DownloadLimits = { maxBytes: 64 * 1024, answerMs: 2_000, stallMs: 2_000, totalMs: 20_000 };

const listV = (version: string, pattern = 'relay.example', extra: Record<string, unknown> = {}) => ({
  name: 'Community relays',
  version,
  updated: '2026-12-01',
  ...extra,
  entries: [{ pattern, level: 'blocked', evidence: ['https://evidence.example.org/relay'] }],
});

/** Serves `body` at `path` with an ETag (a matching If-None-Match gets 304) and, when given, its signature at `path.minisig`. */
function serve(path: string, body: string | Uint8Array, options: { etag?: string; signature?: string | null } = {}) {
  routes.set(path, (request, response) => {
    if (options.etag && request.headers['if-none-match'] === options.etag) return void response.writeHead(304).end();
    response.writeHead(200, { 'content-type': 'application/json', ...(options.etag && { etag: options.etag }) }).end(body);
  });
  if (options.signature === null) routes.delete(`${path}.minisig`);
  else if (options.signature !== undefined) {
    const signature = options.signature;
    routes.set(`${path}.minisig`, (_request, response) => response.writeHead(200).end(signature));
  }
}

async function sign(text: string, trustedComment = 'RelayGuard test'): Promise<string> {
  const signature = await signMessage(new TextEncoder().encode(text), signer, { trustedComment });
  if (!signature.ok) throw new Error(signature.error);
  return signature.value;
}

let factory: IDBFactory;
let reports: string[];
let random: number;

let policy: unknown;

function createRegistry(): ListRegistry {
  return new ListRegistry({
    bundled: loadBundledLists().lists,
    openDatabase: () => openListDatabase(factory),
    readManagedPolicy: async () => policy,
    fetchUpdate: (target) => fetchListUpdate(target, fetch, LIMITS),
    report: (problem) => reports.push(problem),
    random: () => random,
  });
}

const summaryOf = (registry: ListRegistry, url: string) => registry.summary().find((list) => list.id === subscriptionId(url));

beforeAll(async () => {
  const key = await parseSecretKey(testdata('signer.key'));
  if (!key.ok) throw new Error(key.error.message);
  signer = key.value;
});
beforeEach(() => {
  routes.clear();
  requests = [];
  factory = new IDBFactory();
  reports = [];
  random = 0;
  policy = {};
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('every update outcome keeps the last good copy', () => {
  let registry: ListRegistry;
  let url: string;

  /** v1 subscribed at START, with an ETag; the test then changes what the server answers. */
  beforeEach(async () => {
    url = `${lists.origin}/community.json`;
    serve('/community.json', JSON.stringify(listV('1')), { etag: '"v1"' });
    registry = createRegistry();
    expect(await registry.subscribe(url)).toMatchObject({ ok: true, value: { version: '1', entryCount: 1 } });
    vi.setSystemTime(START + HOUR);
  });

  /** v1 still in force: in the matcher, in the summary, and in storage for the next worker. */
  async function expectVersion1InForce(): Promise<void> {
    expect(registry.matcher.decide('relay.example')).toMatchObject({ source: 'subscribed', level: 'blocked' });
    expect(summaryOf(registry, url)).toMatchObject({ version: '1', entryCount: 1, fetchedAt: START, lastTriedAt: START + HOUR });
    const restarted = createRegistry();
    await restarted.ready();
    expect(summaryOf(restarted, url)).toMatchObject({ version: '1', entryCount: 1 });
    expect(restarted.matcher.decide('relay.example')).toMatchObject({ source: 'subscribed', level: 'blocked' });
  }

  test('200 with a new version replaces the list, and the old validators go', async () => {
    serve('/community.json', JSON.stringify(listV('2', 'other-relay.example')), { etag: '"v2"' });
    const result = await registry.refresh(subscriptionId(url));
    expect(result).toMatchObject({ ok: true, value: { version: '2', fetchedAt: START + HOUR, lastTriedAt: START + HOUR } });
    expect(requests.at(-1)).toEqual({ url: '/community.json', ifNoneMatch: '"v1"' });
    expect(registry.matcher.decide('relay.example')).toBeNull();
    expect(registry.matcher.decide('other-relay.example')).toMatchObject({ source: 'subscribed', level: 'blocked' });
    expect(summaryOf(registry, url)).not.toHaveProperty('lastError');
  });

  test('304 keeps the list and records a success', async () => {
    const result = await registry.refresh(subscriptionId(url));
    expect(result).toMatchObject({ ok: true, value: { version: '1', fetchedAt: START + HOUR, lastTriedAt: START + HOUR } });
    expect(requests.at(-1)).toEqual({ url: '/community.json', ifNoneMatch: '"v1"' });
    expect(registry.matcher.decide('relay.example')).toMatchObject({ source: 'subscribed' });
  });

  const failures: { name: string; answer: () => void; problem: { code: string; message?: string; detail?: string } }[] = [
    { name: '404', answer: () => routes.delete('/community.json'), problem: { code: 'http-status', message: 'Could not download the list: the server answered 404.', detail: '404' } },
    {
      name: '500',
      answer: () => routes.set('/community.json', (_request, response) => response.writeHead(500).end()),
      problem: { code: 'http-status', message: 'Could not download the list: the server answered 500.', detail: '500' },
    },
    {
      name: 'timeout',
      answer: () => routes.set('/community.json', () => undefined),
      problem: { code: 'timeout', message: 'Could not download the list: no answer within 2 s.' },
    },
    {
      name: 'oversized',
      answer: () => serve('/community.json', JSON.stringify({ ...listV('2'), padding: 'x'.repeat(LIMITS.maxBytes) })),
      problem: { code: 'too-large', message: 'The list is larger than 64 KB.' },
    },
    { name: 'invalid JSON', answer: () => serve('/community.json', '{"name": "Community relays",'), problem: { code: 'invalid-json', message: 'The list is not valid JSON.' } },
    {
      name: 'schema error',
      answer: () => serve('/community.json', JSON.stringify({ ...listV('2'), entries: [{ pattern: 'relay.example', level: 'blocked' }] })),
      problem: {
        code: 'invalid-list',
        message: 'The list is not a valid RelayGuard list: entries[0].evidence: a blocked entry needs at least one evidence URL',
        detail: 'entries[0].evidence: a blocked entry needs at least one evidence URL',
      },
    },
    {
      name: 'not UTF-8',
      answer: () => serve('/community.json', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
      problem: { code: 'not-utf8', message: 'The list is not UTF-8 text.' },
    },
  ];

  for (const { name, answer, problem } of failures) {
    test(`${name}: refused with the reason; the last good copy stays in force`, async () => {
      answer();
      const result = await registry.refresh(subscriptionId(url));
      expect(result).toMatchObject({ ok: false, error: problem });
      expect(summaryOf(registry, url)).toMatchObject({ lastError: problem.message, problem: { code: problem.code } });
      await expectVersion1InForce();
      // A failure is tried again sooner than a full interval: after an hour.
      expect(summaryOf(registry, url)?.nextUpdateAt).toBe(START + 2 * HOUR);
    });
  }

  test('a success after a failure clears the error', async () => {
    routes.set('/community.json', (_request, response) => response.writeHead(503).end());
    await registry.refresh(subscriptionId(url));
    expect(summaryOf(registry, url)).toHaveProperty('lastError');
    serve('/community.json', JSON.stringify(listV('1')), { etag: '"v1"' });
    await registry.refresh(subscriptionId(url));
    expect(summaryOf(registry, url)).not.toHaveProperty('lastError');
    expect(summaryOf(registry, url)).not.toHaveProperty('problem');
  });
});

describe('signed lists', () => {
  const path = '/signed.json';
  let url: string;
  beforeEach(() => (url = `${lists.origin}${path}`));

  test('a list signed by the pinned key is accepted, and the summary names the signer', async () => {
    const text = JSON.stringify(listV('1'));
    serve(path, text, { signature: await sign(text, 'Community relays v1') });
    const registry = createRegistry();
    const result = await registry.subscribe(url, [SIGNER_PUB]);
    expect(result).toMatchObject({ ok: true, value: { version: '1', pinnedKeys: 1, signedBy: '186B920B0CE6B268' } });
    expect(requests.map((request) => request.url)).toEqual([path, `${path}.minisig`]);
  });

  test('the committed vector signed by the minisign binary verifies through a subscription', async () => {
    serve(path, testdata('list.json'), { signature: testdata('list.json.minisig') });
    const result = await createRegistry().subscribe(url, [OTHER_PUB, SIGNER_PUB]);
    expect(result).toMatchObject({ ok: true, value: { name: 'RelayGuard signed test list', version: '2026.12.03', signedBy: '186B920B0CE6B268' } });
  });

  test('without a pinned key the signature is not fetched', async () => {
    serve(path, JSON.stringify(listV('1')));
    expect(await createRegistry().subscribe(url)).toMatchObject({ ok: true });
    expect(requests.map((request) => request.url)).toEqual([path]);
  });

  const refusals: { name: string; setUp: (text: string) => Promise<string | null>; code: string }[] = [
    { name: 'unsigned', setUp: async () => null, code: 'unsigned' },
    { name: 'tampered after signing', setUp: async (text) => sign(text.replace('relay.example', 'relay.example ')), code: 'bad-signature' },
    { name: 'signed by a key that is not pinned', setUp: async (text) => sign(text), code: 'key-id-mismatch' },
    { name: 'a signature file that is not one', setUp: async () => 'untrusted comment: hello\nnot base64\n', code: 'malformed-signature' },
  ];

  for (const { name, setUp, code } of refusals) {
    test(`a first subscription ${name} is refused and leaves nothing behind`, async () => {
      const text = JSON.stringify(listV('1'));
      serve(path, text, { signature: await setUp(text) });
      const registry = createRegistry();
      const keys = code === 'key-id-mismatch' ? [OTHER_PUB] : [SIGNER_PUB];
      expect(await registry.subscribe(url, keys)).toMatchObject({ ok: false, error: { code } });
      expect(summaryOf(registry, url)).toBeUndefined();
    });

    test(`an update ${name} is refused; the signed copy stays; a good signature afterwards is accepted`, async () => {
      const v1 = JSON.stringify(listV('1'));
      serve(path, v1, { signature: await sign(v1) });
      const registry = createRegistry();
      const keys = code === 'key-id-mismatch' ? [OTHER_PUB, SIGNER_PUB] : [SIGNER_PUB];
      expect(await registry.subscribe(url, keys)).toMatchObject({ ok: true });

      const v2 = JSON.stringify(listV('2', 'other-relay.example'));
      let signature = await setUp(v2);
      // With both keys pinned, "not pinned" needs a third key: sign with a fresh one.
      if (code === 'key-id-mismatch') signature = await signWithFreshKey(v2);
      serve(path, v2, { signature });
      expect(await registry.refresh(subscriptionId(url))).toMatchObject({ ok: false, error: { code } });
      expect(summaryOf(registry, url)).toMatchObject({ version: '1', problem: { code } });
      expect(registry.matcher.decide('relay.example')).toMatchObject({ source: 'subscribed', level: 'blocked' });
      expect(registry.matcher.decide('other-relay.example')).toBeNull();

      serve(path, v2, { signature: await sign(v2) });
      expect(await registry.refresh(subscriptionId(url))).toMatchObject({ ok: true, value: { version: '2', signedBy: '186B920B0CE6B268' } });
      expect(summaryOf(registry, url)).not.toHaveProperty('problem');
      expect(registry.matcher.decide('other-relay.example')).toMatchObject({ source: 'subscribed', level: 'blocked' });
    });
  }

  test('pinning a key later fetches the whole list again (no 304) and checks it', async () => {
    const text = JSON.stringify(listV('1'));
    serve(path, text, { etag: '"v1"' });
    const registry = createRegistry();
    await registry.subscribe(url);
    // Same URL, now with a key: the copy already stored was never checked against it.
    expect(await registry.subscribe(url, [SIGNER_PUB])).toMatchObject({ ok: false, error: { code: 'unsigned' } });
    expect(requests.at(-2)).toEqual({ url: path, ifNoneMatch: undefined });
    expect(summaryOf(registry, url)).toMatchObject({ pinnedKeys: 0, problem: { code: 'unsigned' } });
    serve(path, text, { etag: '"v1"', signature: await sign(text) });
    expect(await registry.subscribe(url, [SIGNER_PUB])).toMatchObject({ ok: true, value: { pinnedKeys: 1, signedBy: '186B920B0CE6B268' } });
  });
});

async function signWithFreshKey(text: string): Promise<string> {
  // A second test key made the way minisign makes one: a fresh seed; the key id differs from both pinned ones.
  const seed = crypto.getRandomValues(new Uint8Array(32));
  const pkcs8 = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20, ...seed]);
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  const publicKey = new Uint8Array(Buffer.from(jwk.x!, 'base64url'));
  const fresh: MinisignSecretKey = { keyId: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), keyIdHex: '0807060504030201', seed, publicKey };
  const signature = await signMessage(new TextEncoder().encode(text), fresh, { trustedComment: 'another maintainer' });
  if (!signature.ok) throw new Error(signature.error);
  return signature.value;
}

describe('the refresh alarm', () => {
  let registry: ListRegistry;
  let refresh: ListRefresh;

  beforeEach(() => {
    fakeBrowser.reset();
    registry = createRegistry();
    refresh = new ListRefresh({ registry, alarms: fakeBrowser.alarms, now: () => Date.now(), report: (problem) => reports.push(problem) });
  });

  const alarmTime = async () => (await fakeBrowser.alarms.get(LIST_REFRESH_ALARM))?.scheduledTime;
  async function fire(): Promise<void> {
    const alarm = await fakeBrowser.alarms.get(LIST_REFRESH_ALARM);
    if (!alarm) throw new Error('no refresh alarm is armed');
    vi.setSystemTime(alarm.scheduledTime);
    await fakeBrowser.alarms.clear(LIST_REFRESH_ALARM);
    await fakeBrowser.alarms.onAlarm.trigger(alarm);
    await refresh.refreshDue(); // the run the alarm started (a second call joins it)
  }

  test('no subscription, no alarm', async () => {
    await refresh.start();
    expect(await alarmTime()).toBeUndefined();
  });

  test('every 12 hours by default, pushed later by up to a tenth of that at random', async () => {
    serve('/a.json', JSON.stringify(listV('1')), { etag: '"a1"' });
    random = 0.5;
    await registry.subscribe(`${lists.origin}/a.json`);
    await vi.waitFor(async () => expect(await alarmTime()).toBe(START + 12 * HOUR + 0.5 * 0.1 * 12 * HOUR));

    serve('/a.json', JSON.stringify(listV('2')), { etag: '"a2"' });
    random = 0;
    await fire();
    expect(summaryOf(registry, `${lists.origin}/a.json`)).toMatchObject({ version: '2', fetchedAt: START + 12.6 * HOUR });
    expect(requests.at(-1)).toEqual({ url: '/a.json', ifNoneMatch: '"a1"' });
    expect(await alarmTime()).toBe(START + 24.6 * HOUR);
  });

  test('two installs that subscribe at the same moment fetch at different times', async () => {
    const { nextUpdateAt } = await import('../lists/refresh-schedule.ts');
    const url = 'https://lists.example.org/relays.json';
    const early = nextUpdateAt({ url, refreshMinutes: undefined, at: START, failed: false, random: 0.01 });
    const late = nextUpdateAt({ url, refreshMinutes: undefined, at: START, failed: false, random: 0.99 });
    expect(late - early).toBe(Math.floor(0.99 * 0.1 * 12 * HOUR) - Math.floor(0.01 * 0.1 * 12 * HOUR));
    expect(late - early).toBeGreaterThan(70 * 60_000);
  });

  test('a list may ask for another interval; the alarm serves the earliest list', async () => {
    serve('/a.json', JSON.stringify(listV('1')));
    serve('/b.json', JSON.stringify(listV('1', 'relay-b.example', { refreshMinutes: 90 })));
    await registry.subscribe(`${lists.origin}/a.json`);
    await registry.subscribe(`${lists.origin}/b.json`);
    expect(summaryOf(registry, `${lists.origin}/b.json`)).toMatchObject({ refreshMinutes: 90, nextUpdateAt: START + 1.5 * HOUR });
    await vi.waitFor(async () => expect(await alarmTime()).toBe(START + 1.5 * HOUR));

    await fire();
    // Only b was due: a was not fetched again.
    expect(requests.filter((request) => request.url === '/a.json')).toHaveLength(1);
    expect(requests.filter((request) => request.url === '/b.json')).toHaveLength(2);
    expect(await alarmTime()).toBe(START + 3 * HOUR);
  });

  test('a failed refresh is tried again after an hour, and the alarm follows', async () => {
    serve('/a.json', JSON.stringify(listV('1')));
    await registry.subscribe(`${lists.origin}/a.json`);
    routes.set('/a.json', (_request, response) => response.writeHead(500).end());
    await fire();
    expect(summaryOf(registry, `${lists.origin}/a.json`)).toMatchObject({ version: '1', problem: { code: 'http-status' }, nextUpdateAt: START + 13 * HOUR });
    expect(await alarmTime()).toBe(START + 13 * HOUR);
  });

  test('a worker that starts after the time has passed fetches at once and re-arms', async () => {
    serve('/a.json', JSON.stringify(listV('1')), { etag: '"a1"' });
    await registry.subscribe(`${lists.origin}/a.json`);
    // The browser was closed for two days; alarms were lost with it.
    await fakeBrowser.alarms.clearAll();
    vi.setSystemTime(START + 48 * HOUR);
    const restarted = createRegistry();
    const again = new ListRefresh({ registry: restarted, alarms: fakeBrowser.alarms, now: () => Date.now(), report: (problem) => reports.push(problem) });
    await again.start();
    expect(requests.at(-1)).toEqual({ url: '/a.json', ifNoneMatch: '"a1"' });
    expect(summaryOf(restarted, `${lists.origin}/a.json`)).toMatchObject({ fetchedAt: START + 48 * HOUR });
    expect(await alarmTime()).toBe(START + 60 * HOUR);
  });

  test('unsubscribing the last list clears the alarm', async () => {
    serve('/a.json', JSON.stringify(listV('1')));
    await registry.subscribe(`${lists.origin}/a.json`);
    await vi.waitFor(async () => expect(await alarmTime()).toBeDefined());
    await registry.unsubscribe(subscriptionId(`${lists.origin}/a.json`));
    await vi.waitFor(async () => expect(await alarmTime()).toBeUndefined());
  });
});

describe('through the worker’s wiring (createBackground)', () => {
  const options = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html'), origin: new URL(fakeBrowser.runtime.getURL('/')).origin });

  beforeEach(() => fakeBrowser.reset());

  test('a refused subscription is answered in the person’s language; update now answers with the copy in force and why', async () => {
    vi.useRealTimers();
    startTestBackground({ indexedDB: factory });
    const text = JSON.stringify(listV('1'));
    serve('/wired.json', text, { signature: await sign(text.replace('relay.example', 'relay.exampla')) });
    const url = `${lists.origin}/wired.json`;
    expect(await refusal(ask({ type: 'lists/subscribe', url, publicKeys: [SIGNER_PUB] }, options()))).toBe(
      'The signature does not match: the list was changed after it was signed.',
    );

    serve('/wired.json', text, { signature: await sign(text) });
    expect(await ask({ type: 'lists/subscribe', url, publicKeys: [SIGNER_PUB] }, options())).toMatchObject({ version: '1', signedBy: '186B920B0CE6B268', pinnedKeys: 1 });
    routes.set('/wired.json', (_request, response) => response.writeHead(500).end());
    expect(await ask({ type: 'lists/update', id: subscriptionId(url) }, options())).toMatchObject({ version: '1', problem: { code: 'http-status', detail: '500' } });
    expect(await refusal(ask({ type: 'lists/update', id: 'subscription:https://nowhere.example/l.json' }, options()))).toBe('There is no such subscription.');
    expect(await fakeBrowser.alarms.get(LIST_REFRESH_ALARM)).toBeDefined();
  });
});

describe('managed subscriptions (policy listSubscriptions)', () => {
  test('apply with no one acting: fetched, checked with the policy’s keys, on the administrator’s interval', async () => {
    const text = JSON.stringify(listV('1'));
    serve('/managed.json', text, { signature: await sign(text) });
    const url = `${lists.origin}/managed.json`;
    policy = { listSubscriptions: [{ url, publicKeys: [SIGNER_PUB], updateHours: 2 }] };
    const registry = createRegistry();
    await registry.ready();
    await vi.waitFor(() => expect(summaryOf(registry, url)).toBeDefined());
    const summary = summaryOf(registry, url)!;
    expect(summary).toMatchObject({ version: '1', signedBy: '186B920B0CE6B268', pinnedKeys: 1, refreshMinutes: 120 });
    // (vi.waitFor moves the fake clock on while it waits: the interval is what is fixed.)
    expect(summary.nextUpdateAt! - summary.fetchedAt!).toBe(2 * HOUR);
    // The organisation's list: its entries rank as managed (lib/background/list-summary.ts).
    expect(registry.matcher.decide('relay.example')).toMatchObject({ source: 'managed', level: 'blocked' });
    expect(reports).toEqual([]);

    // A restarted worker with the same policy fetches nothing again: it is subscribed with those keys.
    const before = requests.length;
    const restarted = createRegistry();
    await restarted.ready();
    await restarted.livePolicy();
    expect(summaryOf(restarted, url)).toMatchObject({ version: '1' });
    expect(requests.length).toBe(before);
  });

  test('a managed list signed by another key is refused and reported, and nothing is stored', async () => {
    const text = JSON.stringify(listV('1'));
    serve('/managed.json', text, { signature: await sign(text) });
    const url = `${lists.origin}/managed.json`;
    policy = { listSubscriptions: [{ url, publicKeys: [OTHER_PUB] }] };
    const registry = createRegistry();
    await registry.ready();
    await vi.waitFor(() => expect(reports).toEqual([expect.stringContaining(`Managed list ${url}: The list was signed with key 186B920B0CE6B268, which is not pinned`)]));
    expect(summaryOf(registry, url)).toBeUndefined();
    expect(registry.matcher.decide('relay.example')).toBeNull();
  });
});
