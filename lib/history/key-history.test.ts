import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { KEY_GENERATORS, KEY_OF_EVERY_FORMAT, secretWindows } from '../../tests/support/key-formats.ts';
import { bodyCredential, classifyAiRequest } from '../detection/ai-request.ts';
import { classifySecret, type SecretFormat } from '../detection/keys.ts';
import {
  COALESCE_WINDOW_MS,
  createKeyHistory,
  DEFAULT_RETENTION_DAYS,
  HISTORY_EXPORT_SCHEMA,
  keySentEvent,
  openHistoryDatabase,
  parseRetentionDays,
  type HistoryDatabase,
  type KeyHistory,
  type KeySentObservation,
} from './key-history.ts';
import { keyEnding } from './key-display.ts';

// Only Date is faked: the history keeps time through `now`; fake-indexeddb needs real timers.
const T0 = Date.UTC(2026, 11, 3, 4, 0, 0);
const DAY = 24 * 60 * 60_000;

let factory: IDBFactory;
const databases: HistoryDatabase[] = [];

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  factory = new IDBFactory();
});

afterEach(() => {
  for (const db of databases.splice(0)) db.close();
  vi.useRealTimers();
});

async function openHistory(options: { retentionDays?: () => number; maxEntries?: number } = {}): Promise<{ history: KeyHistory; db: HistoryDatabase }> {
  const db = await openHistoryDatabase(factory);
  databases.push(db);
  return { history: createKeyHistory({ db, now: () => Date.now(), ...options }), db };
}

function advance(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

// DeepSeek's key shape is DeepSeek's only on DeepSeek's own host, where sending it is no event.
const VENDOR_FORMATS = (Object.entries(KEY_OF_EVERY_FORMAT) as [SecretFormat, string][]).filter(
  ([, key]) => classifySecret(key)?.vendor !== undefined,
);
const RELAY_TOKEN_FORMATS = (Object.entries(KEY_OF_EVERY_FORMAT) as [SecretFormat, string][]).filter(
  ([, key]) => classifySecret(key)?.kind === 'relay-token',
);

/** A page sends `key` to the endpoint; the request is classified as the request observer does. */
function observation(key: string, overrides: { pageHost?: string; endpointHost?: string; endpointLevel?: string } = {}): KeySentObservation {
  const endpointHost = overrides.endpointHost ?? 'api.relay.example';
  const call = classifyAiRequest(
    { url: `https://${endpointHost}/v1/chat/completions`, method: 'POST', requestHeaders: [{ name: 'Authorization', value: `Bearer ${key}` }] },
    { keyEnding: true },
  );
  return {
    credential: call?.credential ?? null,
    pageHost: overrides.pageHost ?? 'chat.example',
    endpointHost,
    endpointLevel: overrides.endpointLevel ?? 'unvetted',
  };
}

function sent(key: string, overrides: Parameters<typeof observation>[1] = {}) {
  return keySentEvent(observation(key, overrides));
}

describe('four characters of a key, never more', () => {
  test('the formats under test cover every vendor-format credential the classifier knows', () => {
    expect(VENDOR_FORMATS.map(([format]) => format)).toHaveLength(16);
    expect(RELAY_TOKEN_FORMATS).toHaveLength(4);
  });

  test.each(VENDOR_FORMATS)('%s: event, stored record, export and "key ending" text hold its last four only', async (format, key) => {
    const event = sent(key);
    const match = classifySecret(key);
    expect(event).toEqual({
      kind: 'key-sent',
      pageHost: 'chat.example',
      endpointHost: 'api.relay.example',
      vendor: match?.vendor,
      credentialKind: match?.kind,
      format,
      last4: key.slice(-4),
    });

    const { history, db } = await openHistory();
    await history.record(event!);
    const stored = JSON.stringify(await db.getAll('entries'));
    const exported = JSON.stringify(await history.export());
    const ending = keyEnding(event!.last4);
    expect(ending).toBe(`…${key.slice(-4)}`);
    for (const text of [JSON.stringify(event), stored, exported, ending]) {
      for (const window of secretWindows(key, 5)) expect(text).not.toContain(window);
    }
  });

  // Property: for generated keys of every vendor format, sent through every carrier a page can
  // use, what the classifier hands out, the event, the stored record, the export and the text
  // surfaces show hold the key's last four characters and no five consecutive characters of it.
  const CARRIERS: readonly [string, (key: string) => { url: string; headers: { name: string; value: string }[]; body?: string }][] = [
    ['bearer', (key) => ({ url: 'https://api.relay.example/v1/chat/completions', headers: [{ name: 'Authorization', value: `Bearer ${key}` }] })],
    ['x-api-key', (key) => ({ url: 'https://api.relay.example/v1/messages', headers: [{ name: 'x-api-key', value: key }] })],
    ['api-key', (key) => ({ url: 'https://api.relay.example/v1/embeddings', headers: [{ name: 'api-key', value: ` ${key} ` }] })],
    ['x-goog-api-key', (key) => ({ url: 'https://api.relay.example/v1beta/models/m:generateContent', headers: [{ name: 'x-goog-api-key', value: key }] })],
    ['query key', (key) => ({ url: `https://api.relay.example/v1beta/models/m:generateContent?alt=sse&key=${key}`, headers: [] })],
    ['body', (key) => ({ url: 'https://api.relay.example/v1/chat/completions', headers: [], body: JSON.stringify({ apiKey: key, prompt: 'hi' }) })],
  ];
  const PROPERTY_SEEDS = 40;

  test.each(VENDOR_FORMATS.map(([format]) => format))('property, %s: no generated key leaves more than its last four characters', async (format) => {
    const { history, db } = await openHistory();
    for (let seed = 0; seed < PROPERTY_SEEDS; seed++) {
      const key = KEY_GENERATORS[format](10_000 + seed * 7);
      const [carrierName, carry] = CARRIERS[seed % CARRIERS.length]!;
      const { url, headers, body } = carry(key);
      const inBody = body === undefined ? null : bodyCredential(body, { keyEnding: true });
      const call = classifyAiRequest({ url, method: 'POST', requestHeaders: headers, bodyCredential: inBody }, { keyEnding: true });
      expect(call?.credential, `${format} via ${carrierName}`).toMatchObject({ vendor: classifySecret(key)?.vendor, format, last4: key.slice(-4) });
      const event = keySentEvent({ credential: call!.credential, pageHost: 'chat.example', endpointHost: call!.host, endpointLevel: 'unvetted' });
      expect(event?.last4).toBe(key.slice(-4));
      await history.record(event!);
      for (const text of [JSON.stringify(inBody), JSON.stringify(call), JSON.stringify(event), keyEnding(event!.last4)]) {
        for (const window of secretWindows(key, 5)) expect(text).not.toContain(window);
      }
    }
    const everything = JSON.stringify([await db.getAll('entries'), await history.export()]);
    for (let seed = 0; seed < PROPERTY_SEEDS; seed++) {
      for (const window of secretWindows(KEY_GENERATORS[format](10_000 + seed * 7), 5)) expect(everything).not.toContain(window);
    }
    expect(await db.count('entries')).toBe(PROPERTY_SEEDS);
  });

  test('keyEnding cuts whatever it is given to four characters', () => {
    for (const key of Object.values(KEY_OF_EVERY_FORMAT)) expect(keyEnding(key)).toBe(`…${key.slice(-4)}`);
  });

  test('a record holding more than four characters of a key is refused, not stored', async () => {
    const { history, db } = await openHistory();
    const event = sent(KEY_OF_EVERY_FORMAT['openai-project'])!;
    expect(await history.record({ ...event, last4: KEY_OF_EVERY_FORMAT['openai-project'].slice(-5) })).toBeNull();
    expect(await history.record({ ...event, credential: KEY_OF_EVERY_FORMAT['openai-project'] } as never)).toBeNull();
    expect(await history.record({ ...event, last4: 'a1b' })).toBeNull();
    expect(await db.count('entries')).toBe(0);
  });

  test.each(RELAY_TOKEN_FORMATS)('%s: a relay token is not a vendor key sent away', (_format, key) => {
    expect(sent(key)).toBeNull();
  });

  test('a key sent to its own vendor, or text that is no key, is no event', () => {
    expect(sent(KEY_OF_EVERY_FORMAT['anthropic-api'], { endpointHost: 'api.anthropic.com', endpointLevel: 'official' })).toBeNull();
    expect(sent('Bearer not-a-key')).toBeNull();
    expect(sent(KEY_OF_EVERY_FORMAT.deepseek)).toBeNull();
  });

  test('hosts are stored canonical; a host that is no host makes no event', () => {
    expect(keySentEvent({ ...observation(KEY_OF_EVERY_FORMAT.groq), pageHost: 'Chat.Example.', endpointHost: 'https://API.Relay.Example:8443/v1' })).toMatchObject({
      pageHost: 'chat.example',
      endpointHost: 'api.relay.example',
    });
    expect(keySentEvent({ ...observation(KEY_OF_EVERY_FORMAT.groq), endpointHost: 'not a host' })).toBeNull();
  });
});

describe('recording', () => {
  test('relays visited, AI calls and keys sent, last seen first', async () => {
    const { history } = await openHistory();
    await history.record({ kind: 'relay-visit', pageHost: 'relay.example', level: 'blocked' });
    advance(1000);
    await history.record({ kind: 'ai-call', pageHost: 'chat.example', endpointHost: 'api.relay.example', protocol: 'openai', level: 'unvetted' });
    advance(1000);
    await history.record(sent(KEY_OF_EVERY_FORMAT['openai-project'])!);
    expect((await history.list()).map((entry) => [entry.kind, entry.lastAt])).toEqual([
      ['key-sent', T0 + 2000],
      ['ai-call', T0 + 1000],
      ['relay-visit', T0],
    ]);
  });

  test('repeats within the window count on one entry; later ones start a new entry', async () => {
    const { history } = await openHistory();
    const call = { kind: 'ai-call', pageHost: 'chat.example', endpointHost: 'api.relay.example', protocol: 'openai', level: 'unvetted' } as const;
    for (let i = 0; i < 50; i++) await history.record(call);
    advance(COALESCE_WINDOW_MS);
    await history.record(call);
    advance(COALESCE_WINDOW_MS + 1);
    await history.record(call);
    expect((await history.list()).map((entry) => [entry.count, entry.firstAt, entry.lastAt])).toEqual([
      [1, T0 + 2 * COALESCE_WINDOW_MS + 1, T0 + 2 * COALESCE_WINDOW_MS + 1],
      [51, T0, T0 + COALESCE_WINDOW_MS],
    ]);
  });

  test('invalid events are refused: official endpoints have no ai-call, protocols are short words', async () => {
    const { history, db } = await openHistory();
    expect(await history.record({ kind: 'ai-call', pageHost: 'a.example', endpointHost: 'b.example', protocol: 'openai', level: 'official' } as never)).toBeNull();
    expect(await history.record({ kind: 'ai-call', pageHost: 'a.example', endpointHost: 'b.example', protocol: 'x'.repeat(100), level: 'blocked' })).toBeNull();
    expect(await history.record({ kind: 'relay-visit', pageHost: 'a.example', level: 'blocked', note: 'extra' } as never)).toBeNull();
    expect(await db.count('entries')).toBe(0);
  });

  test('keysSentFrom answers for one page, by its canonical host', async () => {
    const { history } = await openHistory();
    await history.record(sent(KEY_OF_EVERY_FORMAT['google-api'])!);
    await history.record(sent(KEY_OF_EVERY_FORMAT.groq, { pageHost: 'other.example' })!);
    const fromChat = await history.keysSentFrom('Chat.Example');
    expect(fromChat.map((entry) => [entry.vendor, entry.last4])).toEqual([['google', KEY_OF_EVERY_FORMAT['google-api'].slice(-4)]]);
  });

  test('a new instance on the same database sees what the last one stored', async () => {
    const first = await openHistory();
    await first.history.record({ kind: 'relay-visit', pageHost: 'relay.example', level: 'unvetted' });
    first.db.close();
    const second = await openHistory();
    expect((await second.history.list()).map((entry) => entry.pageHost)).toEqual(['relay.example']);
  });
});

describe('retention, clear-all, export', () => {
  test(`entries older than the retention period (default ${DEFAULT_RETENTION_DAYS} days) are gone`, async () => {
    const { history, db } = await openHistory();
    await history.record({ kind: 'relay-visit', pageHost: 'old.example', level: 'blocked' });
    advance(10 * DAY);
    await history.record({ kind: 'relay-visit', pageHost: 'newer.example', level: 'blocked' });

    advance(DEFAULT_RETENTION_DAYS * DAY - 10 * DAY);
    expect((await history.list()).map((entry) => entry.pageHost)).toEqual(['newer.example', 'old.example']);
    advance(1);
    expect((await history.list()).map((entry) => entry.pageHost)).toEqual(['newer.example']);
    expect(await history.prune()).toBe(1);
    expect(await db.count('entries')).toBe(1);
  });

  test('the retention setting is read on every use; out-of-range settings mean the default', async () => {
    let days = 7;
    const { history } = await openHistory({ retentionDays: () => days });
    await history.record({ kind: 'relay-visit', pageHost: 'relay.example', level: 'blocked' });
    advance(7 * DAY + 1);
    expect(await history.list()).toEqual([]);
    days = 30;
    expect(await history.list()).toHaveLength(1);
    expect([parseRetentionDays(0), parseRetentionDays(2.5), parseRetentionDays('30'), parseRetentionDays(365)]).toEqual([90, 90, 90, 365]);
  });

  test('the entry cap drops the oldest entries', async () => {
    const { history } = await openHistory({ maxEntries: 3 });
    for (let i = 0; i < 5; i++) {
      await history.record({ kind: 'relay-visit', pageHost: `relay${i}.example`, level: 'blocked' });
      advance(1);
    }
    expect((await history.list()).map((entry) => entry.pageHost)).toEqual(['relay4.example', 'relay3.example', 'relay2.example']);
  });

  test('clear-all empties the history', async () => {
    const { history, db } = await openHistory();
    await history.record({ kind: 'relay-visit', pageHost: 'relay.example', level: 'blocked' });
    await history.clear();
    expect(await db.count('entries')).toBe(0);
    expect(await history.list()).toEqual([]);
  });

  test('export is a JSON document of every entry, without database ids', async () => {
    const { history } = await openHistory();
    await history.record(sent(KEY_OF_EVERY_FORMAT['anthropic-api'])!);
    expect(JSON.parse(JSON.stringify(await history.export()))).toEqual({
      schema: HISTORY_EXPORT_SCHEMA,
      exportedAt: new Date(T0).toISOString(),
      retentionDays: DEFAULT_RETENTION_DAYS,
      entries: [
        {
          kind: 'key-sent',
          pageHost: 'chat.example',
          endpointHost: 'api.relay.example',
          vendor: 'anthropic',
          credentialKind: 'vendor-key',
          format: 'anthropic-api',
          last4: KEY_OF_EVERY_FORMAT['anthropic-api'].slice(-4),
          firstAt: T0,
          lastAt: T0,
          count: 1,
        },
      ],
    });
  });
});
