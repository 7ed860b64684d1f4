import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { err, ok } from '../core/result.ts';
import { parseList, type RelayList } from './list-schema.ts';
import {
  DATABASE_NAME,
  DATABASE_VERSION,
  loadListDetails,
  loadSubscriptions,
  loadUserEntries,
  markListConfirmed,
  openListDatabase,
  recordFailedUpdate,
  putUserEntry,
  removeSubscription,
  removeUserEntry,
  storeFetchedList,
  subscriptionId,
  userEntriesAsList,
  type ListDatabase,
  type StoredSubscription,
} from './list-store.ts';
import { STORED_LIST_FORM } from './stored-list.ts';

const URL_A = 'https://lists.example.org/relays.json';

const GOOD_LIST = {
  name: 'Community relays',
  version: '3',
  updated: '2026-11-20',
  entries: [
    { pattern: 'Relay.Example.', level: 'blocked', evidence: ['https://evidence.example.org/1'] },
    { pattern: 'gateway.example.net', level: 'vetted', reason: 'audited' },
  ],
};
const GOOD_LIST_PARSED = {
  name: 'Community relays',
  version: '3',
  updated: '2026-11-20',
  entries: [
    { pattern: 'relay.example', level: 'blocked', evidence: ['https://evidence.example.org/1'] },
    { pattern: 'gateway.example.net', level: 'vetted', reason: 'audited' },
  ],
};

/** Stored lists are indexed buffers; compare them as the plain lists they stand for. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const rawStore = (database: ListDatabase) => database as unknown as { put(store: string, value: unknown): Promise<unknown>; get(store: string, key: string): Promise<Record<string, unknown> | undefined> };

/** A copy of `body` with one byte of the first `text` in it changed. */
function flipped(body: ArrayBuffer, text: string): ArrayBuffer {
  const copy = new Uint8Array(body.slice(0));
  const at = Buffer.from(copy).indexOf(text);
  if (at < 0) throw new Error(`${text} is not in the body`);
  copy[at] = copy[at]! ^ 0x01;
  return copy.buffer;
}

/** What a worker start reads: every stored table, then the details they vouch for (which must all be there). */
async function loadStored(database: ListDatabase) {
  const loaded = await loadSubscriptions(database);
  expect(await loadListDetails(database, loaded.records)).toEqual({ problems: [], refetch: [] });
  return loaded;
}

let factory: IDBFactory;
let db: ListDatabase;

beforeEach(async () => {
  factory = new IDBFactory();
  db = await openListDatabase(factory);
});
afterEach(() => db.close());

const NEXT = 99_000;
const FAILURE = { code: 'http-status', message: 'Could not download the list: the server answered 500.', detail: '500' } as const;

async function storeGood(at = 1_000): Promise<StoredSubscription> {
  const list = parseList(JSON.stringify(GOOD_LIST));
  if (!list.ok) throw new Error(list.error.message);
  return storeFetchedList(db, { url: URL_A, list: list.value, etag: '"v3"', lastModified: 'Fri, 20 Nov 2026 08:00:00 GMT', at, nextUpdateAt: NEXT });
}

describe('openListDatabase', () => {
  test('creates every store with its key path in the factory it is given', async () => {
    expect(db.name).toBe(DATABASE_NAME);
    expect(db.version).toBe(DATABASE_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['listDetails', 'subscriptions', 'userEntries']);
    const tx = db.transaction(['subscriptions', 'listDetails', 'userEntries']);
    expect(tx.objectStore('subscriptions').keyPath).toBe('id');
    expect(tx.objectStore('listDetails').keyPath).toBe('id');
    expect(tx.objectStore('userEntries').keyPath).toBe('pattern');
    await tx.done;
    // The database lives in the given factory, not in the global one.
    expect(await factory.databases()).toEqual([{ name: DATABASE_NAME, version: DATABASE_VERSION }]);
    expect((await indexedDB.databases()).map((info) => info.name)).not.toContain(DATABASE_NAME);
  });

  test('reopening an existing database keeps its records (the upgrade step does not run again)', async () => {
    await storeGood();
    db.close();
    db = await openListDatabase(factory);
    const { records, problems } = await loadStored(db);
    expect(problems).toEqual([]);
    expect(records.map((record) => record.id)).toEqual([subscriptionId(URL_A)]);
  });

  test('a database from a newer version fails to open instead of being overwritten', async () => {
    db.close();
    const newer = factory.open(DATABASE_NAME, DATABASE_VERSION + 1);
    await new Promise<void>((resolve, reject) => {
      newer.onsuccess = () => {
        newer.result.close();
        resolve();
      };
      newer.onerror = () => reject(newer.error);
    });
    const failure = await openListDatabase(factory).then(
      () => null,
      (cause: unknown) => cause,
    );
    expect(failure).toBeInstanceOf(DOMException);
    expect((failure as DOMException).name).toBe('VersionError');
    db = await openListDatabase(new IDBFactory()); // for afterEach
  });
});

describe('storeFetchedList', () => {
  test('stores a validated list packed, with its fetch metadata, pinned keys and signer', async () => {
    const result = await storeFetchedList(db, {
      url: URL_A,
      list: GOOD_LIST_PARSED as RelayList,
      etag: '"v3"',
      lastModified: 'Fri, 20 Nov 2026 08:00:00 GMT',
      at: 1_000,
      nextUpdateAt: NEXT,
      publicKeys: ['RWRosuYMC5JrGHmaHQLKgPj1rie3rLMqBSZP6FH5GnNj/xOm/iShP3M5'],
      signedBy: { keyId: '186B920B0CE6B268', trustedComment: 'RelayGuard test list' },
      refreshMinutes: 90,
    });
    const expected = {
      id: 'subscription:https://lists.example.org/relays.json',
      url: URL_A,
      list: GOOD_LIST_PARSED,
      fetchedAt: 1_000,
      lastTriedAt: 1_000,
      nextUpdateAt: NEXT,
      etag: '"v3"',
      lastModified: 'Fri, 20 Nov 2026 08:00:00 GMT',
      publicKeys: ['RWRosuYMC5JrGHmaHQLKgPj1rie3rLMqBSZP6FH5GnNj/xOm/iShP3M5'],
      signedBy: { keyId: '186B920B0CE6B268', trustedComment: 'RelayGuard test list' },
      refreshMinutes: 90,
    };
    expect(plain(result)).toEqual(expected);
    // Stored packed, with its checksum and form; loaded back without re-validation, the same list.
    const { list: _list, ...meta } = expected;
    const record = await rawStore(db).get('subscriptions', subscriptionId(URL_A));
    expect(record).toMatchObject({ ...meta, packed: { form: STORED_LIST_FORM, checksum: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(record && 'list' in record).toBe(false);
    expect(plain(await loadStored(db))).toEqual({ records: [expected], problems: [], refetch: [] });
  });

  test('a new copy replaces the old one whole: old validators and error are gone', async () => {
    await storeGood(1_000);
    await recordFailedUpdate(db, URL_A, { at: 2_000, problem: FAILURE, nextUpdateAt: NEXT });
    const newer = { ...GOOD_LIST_PARSED, version: '4', entries: [GOOD_LIST_PARSED.entries[1]!] } as RelayList;
    await storeFetchedList(db, { url: URL_A, list: newer, at: 3_000, nextUpdateAt: NEXT });
    const stored = (await loadStored(db)).records[0];
    expect(plain(stored)).toEqual({ id: subscriptionId(URL_A), url: URL_A, list: newer, fetchedAt: 3_000, lastTriedAt: 3_000, nextUpdateAt: NEXT });
  });
});

describe('recordFailedUpdate', () => {
  test('keeps the last good list and records when, why and when next', async () => {
    const good = await storeGood(1_000);
    expect(await recordFailedUpdate(db, URL_A, { at: 5_000, problem: FAILURE, nextUpdateAt: 8_000 })).toBe(true);
    const loaded = await loadStored(db);
    expect(plain(loaded.records)).toEqual([plain({ ...good, lastTriedAt: 5_000, lastError: FAILURE.message, problem: FAILURE, nextUpdateAt: 8_000 })]);
    expect(loaded.problems).toEqual([]);
    expect(plain(loaded.records[0]!.list)).toEqual(GOOD_LIST_PARSED);
    expect(loaded.records[0]!.fetchedAt).toBe(1_000);
  });

  test('for a list never stored before stores nothing', async () => {
    expect(await recordFailedUpdate(db, URL_A, { at: 5_000, problem: FAILURE, nextUpdateAt: NEXT })).toBe(false);
    expect(await db.count('subscriptions')).toBe(0);
  });
});

describe('markListConfirmed', () => {
  test('moves fetchedAt, lastTriedAt and nextUpdateAt, clears the error, keeps list and validators', async () => {
    const good = await storeGood(1_000);
    await recordFailedUpdate(db, URL_A, { at: 2_000, problem: FAILURE, nextUpdateAt: 3_000 });
    expect((await db.get('subscriptions', subscriptionId(URL_A)))?.lastError).toBe(FAILURE.message);
    await markListConfirmed(db, URL_A, { at: 3_000, nextUpdateAt: 50_000 });
    const stored = (await loadStored(db)).records[0];
    expect(plain(stored)).toEqual(plain({ ...good, fetchedAt: 3_000, lastTriedAt: 3_000, nextUpdateAt: 50_000 }));
    expect(stored && ('lastError' in stored || 'problem' in stored)).toBe(false);
  });

  test('does nothing for a URL that was never stored', async () => {
    await markListConfirmed(db, URL_A, { at: 3_000, nextUpdateAt: NEXT });
    expect(await db.count('subscriptions')).toBe(0);
  });
});

describe('loadSubscriptions', () => {
  test('skips records whose metadata is unreadable and reports each by id', async () => {
    const good = await storeGood();
    const record = (await rawStore(db).get('subscriptions', subscriptionId(URL_A)))!;
    await rawStore(db).put('subscriptions', { ...record, id: 'subscription:ftp://c.example/l.json', url: 'ftp://c.example/l.json' });
    await rawStore(db).put('subscriptions', { id: 'subscription:https://d.example/l.json' });
    const { records, problems, refetch } = await loadStored(db);
    expect(plain(records)).toEqual([plain(good)]);
    expect(problems).toEqual(['subscription:ftp://c.example/l.json: Invalid URL', 'subscription:https://d.example/l.json: Invalid input: expected string, received undefined']);
    expect(refetch).toEqual([]);
  });

  const damages: { name: string; damage: (packed: Record<string, unknown>) => Record<string, unknown>; reason: string }[] = [
    { name: 'a flipped byte', damage: (packed) => ({ ...packed, body: flipped(packed.body as ArrayBuffer, 'relay') }), reason: 'the stored list failed its checksum (damaged on disk)' },
    { name: 'a lost tail', damage: (packed) => ({ ...packed, body: (packed.body as ArrayBuffer).slice(0, -3) }), reason: 'the stored list failed its checksum (damaged on disk)' },
    { name: 'another form (a newer RelayGuard wrote it)', damage: (packed) => ({ ...packed, form: STORED_LIST_FORM + 1 }), reason: `the stored list has form ${STORED_LIST_FORM + 1}, this version of RelayGuard reads form ${STORED_LIST_FORM}` },
    { name: 'a missing body', damage: ({ body: _body, ...packed }) => packed, reason: 'the stored list is malformed' },
    { name: 'no list at all', damage: () => 'garbage' as unknown as Record<string, unknown>, reason: 'the stored list is missing' },
  ];
  for (const { name, damage, reason } of damages) {
    test(`a stored copy with ${name} is dropped, said so, and asked for again without validators`, async () => {
      await storeGood();
      const record = (await rawStore(db).get('subscriptions', subscriptionId(URL_A)))!;
      await rawStore(db).put('subscriptions', { ...record, packed: damage(record.packed as Record<string, unknown>) });

      const problem = `The stored copy of ${URL_A} could not be used (${reason}); it was dropped and is downloaded again.`;
      const loaded = await loadStored(db);
      expect(loaded.problems).toEqual([`${subscriptionId(URL_A)}: ${problem}`]);
      expect(loaded.refetch).toEqual([URL_A]);
      // It stays subscribed, blocks nothing, and shows why; etag and lastModified are gone, so the next download is whole.
      const damaged = { code: 'damaged-record', message: problem };
      expect(plain(loaded.records)).toEqual([
        { id: subscriptionId(URL_A), url: URL_A, fetchedAt: 1_000, lastTriedAt: 1_000, nextUpdateAt: NEXT, lastError: problem, problem: damaged, list: { name: URL_A, version: '—', updated: '1970-01-01', entries: [] } },
      ]);
      const rewritten = await rawStore(db).get('subscriptions', subscriptionId(URL_A));
      expect(rewritten).toEqual({ id: subscriptionId(URL_A), url: URL_A, fetchedAt: 1_000, lastTriedAt: 1_000, nextUpdateAt: NEXT, lastError: problem, problem: damaged });

      // Still waiting on the next start (the download failed meanwhile): asked for again, its own last error kept.
      await recordFailedUpdate(db, URL_A, { at: 2_000, problem: FAILURE, nextUpdateAt: NEXT });
      const again = await loadStored(db);
      expect(again.refetch).toEqual([URL_A]);
      expect(again.records[0]!.lastError).toBe('Could not download the list: the server answered 500.');

      // A good download replaces it.
      await storeGood(3_000);
      expect(plain(await loadStored(db))).toMatchObject({ problems: [], refetch: [], records: [{ list: GOOD_LIST_PARSED, fetchedAt: 3_000 }] });
    });
  }

  test('a record stored before the packed form is validated once, packed and rewritten, nothing lost', async () => {
    const legacy = { id: subscriptionId(URL_A), url: URL_A, list: GOOD_LIST_PARSED, fetchedAt: 1_000, lastTriedAt: 2_000, lastError: 'Could not download the list: the server answered 503.', etag: '"v3"' };
    await rawStore(db).put('subscriptions', legacy);
    const first = await loadStored(db);
    expect(plain(first)).toEqual({ records: [legacy], problems: [], refetch: [] });
    const rewritten = (await rawStore(db).get('subscriptions', subscriptionId(URL_A)))!;
    expect('list' in rewritten).toBe(false);
    expect(rewritten).toMatchObject({ id: legacy.id, url: URL_A, fetchedAt: 1_000, lastTriedAt: 2_000, lastError: legacy.lastError, etag: '"v3"', packed: { form: STORED_LIST_FORM } });
    // The next load reads the packed form.
    expect(plain(await loadStored(db))).toEqual({ records: [legacy], problems: [], refetch: [] });
  });

  test('a record stored before the packed form that no longer validates is dropped and asked for again', async () => {
    await rawStore(db).put('subscriptions', { id: subscriptionId(URL_A), url: URL_A, list: { ...GOOD_LIST_PARSED, name: '' }, fetchedAt: 1_000, lastTriedAt: 1_000, etag: '"v3"' });
    const loaded = await loadStored(db);
    const problem = `The stored copy of ${URL_A} could not be used (it is not a valid list: name must not be empty); it was dropped and is downloaded again.`;
    expect(loaded.problems).toEqual([`${subscriptionId(URL_A)}: ${problem}`]);
    expect(loaded.refetch).toEqual([URL_A]);
    expect(await rawStore(db).get('subscriptions', subscriptionId(URL_A))).toEqual({
      id: subscriptionId(URL_A),
      url: URL_A,
      fetchedAt: 1_000,
      lastTriedAt: 1_000,
      lastError: problem,
      problem: { code: 'damaged-record', message: problem },
    });
  });

  test('details that are missing or damaged leave the list deciding, and it is downloaded again', async () => {
    await storeGood();
    const raw = db as unknown as { get(store: string, key: string): Promise<{ body: ArrayBuffer }>; put(store: string, value: unknown): Promise<unknown>; delete(store: string, key: string): Promise<void> };
    const details = await raw.get('listDetails', subscriptionId(URL_A));
    const body = new Uint8Array(details.body.slice(0));
    body[body.length - 2] = body[body.length - 2]! ^ 0x01;
    await raw.put('listDetails', { ...details, body: body.buffer });
    const loaded = await loadSubscriptions(db);
    expect(loaded.problems).toEqual([]);
    const damaged = await loadListDetails(db, loaded.records);
    expect(damaged).toEqual({
      problems: [`${subscriptionId(URL_A)}: The stored details of ${URL_A} could not be used (its details failed their checksum (damaged on disk)); the list still decides and is downloaded again.`],
      refetch: [URL_A],
    });
    expect(loaded.records[0]!.list.toEntries()).toEqual([
      { pattern: 'relay.example', level: 'blocked' },
      { pattern: 'gateway.example.net', level: 'vetted' },
    ]);

    await raw.delete('listDetails', subscriptionId(URL_A));
    const missing = await loadListDetails(db, (await loadSubscriptions(db)).records);
    expect(missing.refetch).toEqual([URL_A]);
    expect(missing.problems[0]).toContain('(its details are missing)');
  });

  test('an IndexedDB of the version before gets the details store and keeps its records', async () => {
    db.close();
    const old = new IDBFactory();
    await new Promise<void>((resolve, reject) => {
      const request = old.open(DATABASE_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore('subscriptions', { keyPath: 'id' });
        request.result.createObjectStore('userEntries', { keyPath: 'pattern' });
      };
      request.onsuccess = () => {
        const tx = request.result.transaction('userEntries', 'readwrite');
        tx.objectStore('userEntries').put({ pattern: 'mine.example', level: 'vetted', added: '2026-11-20T00:00:00Z' });
        tx.oncomplete = () => {
          request.result.close();
          resolve();
        };
      };
      request.onerror = () => reject(request.error);
    });
    db = await openListDatabase(old);
    expect(db.version).toBe(DATABASE_VERSION);
    expect([...db.objectStoreNames]).toContain('listDetails');
    expect((await loadUserEntries(db)).records.map((entry) => entry.pattern)).toEqual(['mine.example']);
  });

  test('removeSubscription deletes by id and says whether it existed', async () => {
    await storeGood();
    expect(await removeSubscription(db, subscriptionId(URL_A))).toBe(true);
    expect(await db.count('listDetails')).toBe(0);
    expect(await removeSubscription(db, subscriptionId(URL_A))).toBe(false);
    expect(await loadStored(db)).toEqual({ records: [], problems: [], refetch: [] });
  });
});

describe('user entries', () => {
  test('putUserEntry stores the canonical pattern', async () => {
    const result = await putUserEntry(db, { pattern: '  Relay.EXAMPLE.  ', level: 'blocked', added: '2026-11-20T10:00:00Z', note: 'phished a key' });
    const entry = { pattern: 'relay.example', level: 'blocked', added: '2026-11-20T10:00:00Z', note: 'phished a key' };
    expect(result).toEqual(ok(entry));
    expect(await db.getAll('userEntries')).toEqual([entry]);
    // The same host spelled differently replaces the entry instead of adding a second one.
    await putUserEntry(db, { pattern: 'relay.example', level: 'vetted', added: '2026-11-21T10:00:00Z' });
    expect(await loadUserEntries(db)).toEqual({ records: [{ pattern: 'relay.example', level: 'vetted', added: '2026-11-21T10:00:00Z' }], problems: [] });
  });

  test('an exact-host pattern keeps its leading dot; an IDN is stored as punycode', async () => {
    expect(await putUserEntry(db, { pattern: '.API.relay.example', level: 'vetted', added: '2026-11-20T10:00:00Z' })).toEqual(
      ok({ pattern: '.api.relay.example', level: 'vetted', added: '2026-11-20T10:00:00Z' }),
    );
    expect(await putUserEntry(db, { pattern: 'bücher.example', level: 'blocked', added: '2026-11-20T10:00:00Z' })).toEqual(
      ok({ pattern: 'xn--bcher-kva.example', level: 'blocked', added: '2026-11-20T10:00:00Z' }),
    );
  });

  const rejected = [
    { pattern: '*.relay.example', message: '“*.relay.example”: wildcards are not supported; “example.com” already matches every subdomain, “.example.com” only that host.' },
    { pattern: 'https://relay.example/v1', message: '“https://relay.example/v1”: a pattern is a host name such as “example.com”, without scheme, path or spaces.' },
    { pattern: 'relay.example:8080', message: '“relay.example:8080”: a pattern has no port.' },
    { pattern: 'com', message: '“com”: a single label would match a whole top-level domain.' },
    { pattern: '', message: 'The pattern is empty.' },
  ];
  for (const { pattern, message } of rejected) {
    test(`rejects ${JSON.stringify(pattern)} with a clear message and stores nothing`, async () => {
      expect(await putUserEntry(db, { pattern, level: 'blocked', added: '2026-11-20T10:00:00Z' })).toEqual(err(message));
      expect(await db.count('userEntries')).toBe(0);
    });
  }

  test('rejects a bad level and a bad date, naming both', async () => {
    const result = await putUserEntry(db, { pattern: 'relay.example', level: 'official', added: 'yesterday' });
    expect(result).toEqual(err('Invalid option: expected one of "vetted"|"blocked"; Invalid ISO datetime'));
    expect(await db.count('userEntries')).toBe(0);
  });

  test('removeUserEntry canonicalises the pattern it is given', async () => {
    await putUserEntry(db, { pattern: 'relay.example', level: 'blocked', added: '2026-11-20T10:00:00Z' });
    await putUserEntry(db, { pattern: '.exact.example', level: 'vetted', added: '2026-11-20T10:00:00Z' });
    expect(await removeUserEntry(db, 'RELAY.example.')).toBe(true);
    expect(await removeUserEntry(db, 'relay.example')).toBe(false);
    expect(await removeUserEntry(db, 'exact.example')).toBe(false);
    expect(await removeUserEntry(db, '.Exact.Example')).toBe(true);
    expect(await db.count('userEntries')).toBe(0);
  });

  test('loadUserEntries skips corrupt records and reports them by pattern', async () => {
    await putUserEntry(db, { pattern: 'relay.example', level: 'blocked', added: '2026-11-20T10:00:00Z' });
    const raw = db as unknown as { put(store: string, value: unknown): Promise<unknown> };
    await raw.put('userEntries', { pattern: '*.bad.example', level: 'blocked', added: '2026-11-20T10:00:00Z' });
    await raw.put('userEntries', { pattern: 'other.example', level: 'maybe', added: '2026-11-20T10:00:00Z' });
    const { records, problems } = await loadUserEntries(db);
    expect(records).toEqual([{ pattern: 'relay.example', level: 'blocked', added: '2026-11-20T10:00:00Z' }]);
    expect(problems).toEqual([
      '*.bad.example: “*.bad.example”: wildcards are not supported; “example.com” already matches every subdomain, “.example.com” only that host.',
      'other.example: Invalid option: expected one of "vetted"|"blocked"',
    ]);
  });

  test('userEntriesAsList makes a list dated by the newest entry, notes as reasons', () => {
    expect(
      userEntriesAsList([
        { pattern: 'relay.example', level: 'blocked', added: '2026-11-20T10:00:00Z', note: 'phished a key' },
        { pattern: '.api.good.example', level: 'vetted', added: '2026-11-25T08:30:00Z' },
        { pattern: 'old.example', level: 'vetted', added: '2026-01-02T00:00:00Z', note: '' },
      ]),
    ).toEqual({
      name: 'Your entries',
      version: '2026-11-25',
      updated: '2026-11-25T08:30:00Z',
      entries: [
        { pattern: 'relay.example', level: 'blocked', added: '2026-11-20T10:00:00Z', reason: 'phished a key' },
        { pattern: '.api.good.example', level: 'vetted', added: '2026-11-25T08:30:00Z' },
        { pattern: 'old.example', level: 'vetted', added: '2026-01-02T00:00:00Z' },
      ],
    });
    expect(userEntriesAsList([])).toEqual({ name: 'Your entries', version: '1970-01-01', updated: '1970-01-01T00:00:00Z', entries: [] });
  });
});
