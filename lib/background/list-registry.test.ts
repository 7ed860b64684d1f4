import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, test } from 'vitest';
import { bundledListProblems, loadBundledLists } from '../lists/bundled-lists.ts';
import { DATABASE_NAME, DATABASE_VERSION, loadUserEntries, openListDatabase, putUserEntry, storeFetchedList, subscriptionId } from '../lists/list-store.ts';
import { parseList, type RelayList } from '../lists/list-schema.ts';
import type { ListSummary } from '../protocol/messages.ts';
import { ok } from '../core/result.ts';
import { fetchListUpdate } from '../lists/subscription-update.ts';
import { EMPTY_POLICY } from '../lists/policy.ts';
import { ListRegistry, type ListRegistryDeps } from './list-registry.ts';
import { serveForSuite } from '../../tests/support/route-server.ts';

// A real HTTP server serving the subscribed lists; each test sets what a path answers.
const lists = serveForSuite();
const routes = lists.routes;

const serveJson = (path: string, body: unknown, etag?: string) =>
  routes.set(path, (request, response) => {
    if (etag && request.headers['if-none-match'] === etag) return void response.writeHead(304).end();
    response.writeHead(200, { 'content-type': 'application/json', ...(etag && { etag }) }).end(typeof body === 'string' ? body : JSON.stringify(body));
  });

const COMMUNITY = {
  name: 'Community relays',
  version: '7',
  updated: '2026-11-20',
  entries: [
    { pattern: 'relay.example', level: 'blocked', evidence: ['https://evidence.example.org/relay'] },
    { pattern: 'corp-gateway.example', level: 'blocked', evidence: ['https://evidence.example.org/corp'] },
  ],
};

const bundled = loadBundledLists();
const parsed = (value: unknown): RelayList => {
  const list = parseList(value);
  if (!list.ok) throw new Error(list.error.message);
  return list.value;
};
const TWELVE_HOURS = 12 * 3_600_000;
const BUNDLED_SUMMARY: ListSummary[] = bundled.lists.map(({ id, list }) => ({ id, source: 'bundled', name: list.name, version: list.version, entryCount: list.entries.length }));

let factory: IDBFactory;
let policy: unknown;
let reports: string[];
let clock: number;

function createRegistry(overrides: Partial<ListRegistryDeps> = {}): ListRegistry {
  return new ListRegistry({
    bundled: bundled.lists,
    openDatabase: () => openListDatabase(factory),
    readManagedPolicy: async () => policy,
    // The real download; only the clock and the jitter are fixed so the summary's times can be asserted.
    fetchUpdate: (target) => fetchListUpdate(target),
    now: () => new Date(clock),
    random: () => 0,
    report: (problem) => reports.push(problem),
    ...overrides,
  });
}

/** What the registry decides for a host, in a form that is easy to compare. */
function decide(registry: ListRegistry, host: string) {
  const hit = registry.matcher.decide(host);
  return hit && { source: hit.source, level: hit.level, listId: hit.listId, pattern: hit.pattern };
}

beforeEach(() => {
  routes.clear();
  factory = new IDBFactory();
  policy = {};
  reports = [];
  clock = 1_000;
});

test('the bundled lists are valid', () => {
  expect(bundledListProblems()).toEqual([]);
  expect(bundled.lists.map((list) => list.id)).toEqual(['bundled:vendors', 'bundled:vetted', 'bundled:blocked']);
});

describe('before and after ready()', () => {
  beforeEach(async () => {
    // A previous session left a subscription and an entry of the person's own; the administrator set a policy.
    const db = await openListDatabase(factory);
    await storeFetchedList(db, { url: `${lists.origin}/community.json`, list: parsed(COMMUNITY), at: 500, nextUpdateAt: 500 + TWELVE_HOURS });
    await putUserEntry(db, { pattern: 'openrouter.ai', level: 'blocked', added: '2026-11-21T09:00:00Z', note: 'my company forbids it' });
    db.close();
    policy = { allowlist: ['corp-gateway.example'], blocklist: '["managed-block.example"]' };
  });

  test('bundled lists answer at once, before anything is loaded', () => {
    const registry = createRegistry();
    expect(decide(registry, 'api.openai.com')).toEqual({ source: 'bundled', level: 'official', listId: 'bundled:vendors', pattern: 'api.openai.com' });
    expect(decide(registry, 'eu.openrouter.ai')).toEqual({ source: 'bundled', level: 'vetted', listId: 'bundled:vetted', pattern: 'openrouter.ai' });
    expect(decide(registry, 'relay.example')).toBeNull();
    expect(decide(registry, 'managed-block.example')).toBeNull();
    expect(registry.summary()).toEqual(BUNDLED_SUMMARY);
  });

  test('after ready() subscribed, user and managed lists join with their precedence', async () => {
    const registry = createRegistry();
    await registry.ready();
    expect(reports).toEqual([]);
    // managed allow beats a subscribed block
    expect(decide(registry, 'corp-gateway.example')).toEqual({ source: 'managed', level: 'vetted', listId: 'managed', pattern: 'corp-gateway.example' });
    expect(decide(registry, 'managed-block.example')).toEqual({ source: 'managed', level: 'blocked', listId: 'managed', pattern: 'managed-block.example' });
    // the person's block beats a bundled vetted entry
    expect(decide(registry, 'openrouter.ai')).toEqual({ source: 'user', level: 'blocked', listId: 'user', pattern: 'openrouter.ai' });
    expect(decide(registry, 'api.openrouter.ai')).toEqual({ source: 'user', level: 'blocked', listId: 'user', pattern: 'openrouter.ai' });
    expect(decide(registry, 'eu.relay.example')).toEqual({
      source: 'subscribed',
      level: 'blocked',
      listId: subscriptionId(`${lists.origin}/community.json`),
      pattern: 'relay.example',
    });
    expect(decide(registry, 'api.openai.com')?.level).toBe('official');
    expect(registry.policy).toEqual({ ...EMPTY_POLICY, allowlist: ['corp-gateway.example'], blocklist: ['managed-block.example'], keys: ['allowlist', 'blocklist'] });
    expect(registry.summary()).toEqual([
      { id: 'managed', source: 'managed', name: 'Managed policy', version: '1', entryCount: 2 },
      { id: 'user', source: 'user', name: 'Your entries', version: '2026-11-21', entryCount: 1 },
      {
        id: subscriptionId(`${lists.origin}/community.json`),
        source: 'subscribed',
        name: 'Community relays',
        version: '7',
        entryCount: 2,
        url: `${lists.origin}/community.json`,
        fetchedAt: 500,
        lastTriedAt: 500,
        nextUpdateAt: 500 + TWELVE_HOURS,
        refreshMinutes: 720,
        pinnedKeys: 0,
      },
      ...BUNDLED_SUMMARY,
    ]);
  });

  test('ready() loads once however often it is called', async () => {
    let opened = 0;
    const registry = createRegistry({ openDatabase: () => (opened++, openListDatabase(factory)) });
    const first = registry.ready();
    expect(registry.ready()).toBe(first);
    await first;
    await registry.ready();
    expect(opened).toBe(1);
  });
});

describe('policy, user entries and change notification', () => {
  test('reloadPolicy applies a changed policy and reports what it could not apply', async () => {
    policy = { blocklist: ['relay.example'] };
    const registry = createRegistry();
    await registry.ready();
    expect(decide(registry, 'relay.example')).toEqual({ source: 'managed', level: 'blocked', listId: 'managed', pattern: 'relay.example' });

    policy = { allowlist: ['relay.example', '*.bad.example'], allowProceed: false };
    await registry.reloadPolicy();
    expect(decide(registry, 'relay.example')).toEqual({ source: 'managed', level: 'vetted', listId: 'managed', pattern: 'relay.example' });
    expect(registry.policy.allowProceed).toBe(false);
    expect(reports).toEqual([
      'Managed policy: allowlist[1]: “*.bad.example”: wildcards are not supported; “example.com” already matches every subdomain, “.example.com” only that host.',
    ]);

    policy = {};
    await registry.reloadPolicy();
    expect(decide(registry, 'relay.example')).toBeNull();
    expect(registry.summary()).toEqual(BUNDLED_SUMMARY);
  });

  test('no managed storage at all (reading it throws) means no policy and no report', async () => {
    const registry = createRegistry({ readManagedPolicy: () => Promise.reject(new Error('Managed storage manifest not found')) });
    await registry.ready();
    expect(registry.policy).toEqual(EMPTY_POLICY);
    expect(reports).toEqual([]);
  });

  test('the person’s entries are written by the registry, stored, and in the matcher when the write resolves', async () => {
    const registry = createRegistry({ now: () => new Date('2026-11-22T00:00:00Z') });
    await registry.ready();
    expect(decide(registry, 'api.openai.com')?.source).toBe('bundled');
    expect(await registry.putUserEntry({ pattern: 'api.openai.com', level: 'blocked' })).toEqual(ok({ pattern: 'api.openai.com', level: 'blocked', added: '2026-11-22T00:00:00.000Z' }));
    expect(decide(registry, 'api.openai.com')).toEqual({ source: 'user', level: 'blocked', listId: 'user', pattern: 'api.openai.com' });
    expect(await registry.putUserEntry({ pattern: 'https://relay.example/', level: 'blocked' })).toMatchObject({ ok: false });

    const stored = await loadUserEntries(await openListDatabase(factory));
    expect(stored.records).toEqual([{ pattern: 'api.openai.com', level: 'blocked', added: '2026-11-22T00:00:00.000Z' }]);
    // Another worker (after a restart) reads the same entries.
    const restarted = createRegistry();
    await restarted.ready();
    expect(decide(restarted, 'api.openai.com')?.source).toBe('user');

    expect(await registry.removeUserEntry('api.openai.com')).toBe(true);
    expect(decide(registry, 'api.openai.com')?.source).toBe('bundled');
    expect(await registry.userEntries()).toEqual([]);
  });

  test('a change resolves only once every listener has applied it; a failing listener is reported, the rest still run', async () => {
    const registry = createRegistry();
    await registry.ready();
    const applied: string[] = [];
    registry.onChange(async () => {
      await Promise.resolve();
      applied.push('slow listener');
    });
    registry.onChange(() => Promise.reject(new Error('tabs.query failed')));
    await registry.putUserEntry({ pattern: 'relay.example', level: 'blocked' });
    expect(applied).toEqual(['slow listener']);
    expect(reports).toEqual(['A list change was not applied everywhere: Error: tabs.query failed']);
  });

  test('onChange fires after every change (not for loading what was stored), until unsubscribed', async () => {
    serveJson('/community.json', COMMUNITY);
    const registry = createRegistry();
    const seen: (string | null)[] = [];
    const stop = registry.onChange(() => seen.push(decide(registry, 'relay.example')?.source ?? null));
    await registry.ready();
    await registry.subscribe(`${lists.origin}/community.json`);
    policy = { allowlist: ['relay.example'] };
    await registry.reloadPolicy();
    await registry.unsubscribe(subscriptionId(`${lists.origin}/community.json`));
    // The listener sees the new matcher, not the old one.
    expect(seen).toEqual(['subscribed', 'managed', 'managed']);
    stop();
    await registry.reloadPolicy();
    expect(seen).toHaveLength(3);
  });

  test('corrupt stored records are skipped and reported; the rest still load', async () => {
    const db = await openListDatabase(factory);
    await storeFetchedList(db, { url: `${lists.origin}/community.json`, list: parsed(COMMUNITY), at: 500, nextUpdateAt: 500 + TWELVE_HOURS });
    const raw = db as unknown as { put(store: string, value: unknown): Promise<unknown> };
    await raw.put('subscriptions', { id: 'subscription:https://old.example/l.json', url: 'https://old.example/l.json', list: { name: 'Old' } });
    await raw.put('userEntries', { pattern: 'relay.example', level: 'official', added: '2026-11-21T09:00:00Z' });
    db.close();
    const registry = createRegistry();
    await registry.ready();
    expect(reports.sort()).toEqual([
      'Stored entry skipped: relay.example: Invalid option: expected one of "vetted"|"blocked"',
      'Stored list skipped: subscription:https://old.example/l.json: Invalid input: expected number, received undefined',
    ]);
    expect(registry.summary().map((list) => list.id)).toEqual([subscriptionId(`${lists.origin}/community.json`), ...BUNDLED_SUMMARY.map((list) => list.id)]);
  });
});

describe('a worker start reads each stored list\'s table first, its details after', () => {
  test('decisions are ready from the table; reasons and evidence once detailsReady resolves', async () => {
    const db = await openListDatabase(factory);
    await storeFetchedList(db, { url: `${lists.origin}/community.json`, list: parsed(COMMUNITY), at: 500, nextUpdateAt: 500 + TWELVE_HOURS });
    db.close();
    const registry = createRegistry();
    await registry.ready();
    expect(decide(registry, 'relay.example')).toMatchObject({ source: 'subscribed', level: 'blocked' });
    await registry.detailsReady();
    expect(registry.matcher.decide('relay.example')).toMatchObject({ level: 'blocked', evidence: ['https://evidence.example.org/relay'] });
    expect(reports).toEqual([]);
  });

  test('missing details: the list keeps deciding, it is said so and downloaded again, and then has them', async () => {
    const db = await openListDatabase(factory);
    await storeFetchedList(db, { url: `${lists.origin}/community.json`, list: parsed(COMMUNITY), etag: '"v7"', at: 500, nextUpdateAt: 500 + TWELVE_HOURS });
    await db.delete('listDetails', subscriptionId(`${lists.origin}/community.json`));
    db.close();
    serveJson('/community.json', COMMUNITY, '"v7"');
    const registry = createRegistry();
    const changed = new Promise<void>((resolve) => registry.onChange(resolve));
    await registry.detailsReady();
    expect(reports).toEqual([
      `Stored list details skipped: ${subscriptionId(`${lists.origin}/community.json`)}: The stored details of ${lists.origin}/community.json could not be used (its details are missing); the list still decides and is downloaded again.`,
    ]);
    expect(registry.matcher.decide('relay.example')).toMatchObject({ level: 'blocked' });
    expect(registry.matcher.decide('relay.example')?.evidence).toBeUndefined();
    await changed;
    expect(registry.matcher.decide('relay.example')).toMatchObject({ level: 'blocked', evidence: ['https://evidence.example.org/relay'] });
  });
});

describe('a new copy applies while it is written', () => {
  /** The database with its list writes failing, as a full disk makes them (QuotaExceededError). */
  async function withFailingListWrites(): Promise<Awaited<ReturnType<typeof openListDatabase>>> {
    const db = await openListDatabase(factory);
    const transaction = db.transaction.bind(db);
    db.transaction = ((stores: string | string[], mode?: IDBTransactionMode) => {
      if (mode === 'readwrite' && [stores].flat().includes('listDetails')) throw new DOMException('The disk is full.', 'QuotaExceededError');
      return transaction(stores as never, mode);
    }) as typeof db.transaction;
    return db;
  }

  test('a copy that cannot be stored goes out of force again: the last good one decides, rules follow', async () => {
    const db = await openListDatabase(factory);
    await storeFetchedList(db, { url: `${lists.origin}/community.json`, list: parsed(COMMUNITY), at: 500, nextUpdateAt: 500 + TWELVE_HOURS });
    db.close();
    // The new version vets relay.example instead of blocking it; storing it fails.
    serveJson('/community.json', { ...COMMUNITY, version: '8', entries: [{ pattern: 'relay.example', level: 'vetted' }] });
    const registry = createRegistry({ openDatabase: withFailingListWrites });
    const changes: string[] = [];
    registry.onChange(() => changes.push(decide(registry, 'relay.example')?.level ?? 'none'));
    await registry.ready();
    await expect(registry.refresh(subscriptionId(`${lists.origin}/community.json`))).rejects.toThrow('The disk is full.');
    // In force while it was being written, then the stored copy again, and every listener was told both times.
    expect(changes).toEqual(['vetted', 'blocked']);
    expect(decide(registry, 'relay.example')).toMatchObject({ source: 'subscribed', level: 'blocked' });
    expect(registry.subscriptions().map((subscription) => subscription.list.version)).toEqual(['7']);

    // What is stored is the last good copy: a new start reads the same.
    const restarted = createRegistry();
    await restarted.ready();
    expect(decide(restarted, 'relay.example')).toMatchObject({ level: 'blocked' });
  });

  test('a first subscription that cannot be stored leaves nothing subscribed', async () => {
    serveJson('/community.json', COMMUNITY);
    const registry = createRegistry({ openDatabase: withFailingListWrites });
    await registry.ready();
    await expect(registry.subscribe(`${lists.origin}/community.json`)).rejects.toThrow('The disk is full.');
    expect(registry.subscriptions()).toEqual([]);
    expect(decide(registry, 'relay.example')).toBeNull();
  });
});

describe('a stored copy that fails its checksum', () => {
  test('is never used: reported, shown with its error, downloaded again in full, then in force', async () => {
    const db = await openListDatabase(factory);
    await storeFetchedList(db, { url: `${lists.origin}/community.json`, list: parsed(COMMUNITY), etag: '"v7"', at: 500, nextUpdateAt: 500 + TWELVE_HOURS });
    const raw = db as unknown as { get(store: string, key: string): Promise<{ packed: { body: ArrayBuffer } }>; put(store: string, value: unknown): Promise<unknown> };
    const record = await raw.get('subscriptions', subscriptionId(`${lists.origin}/community.json`));
    // One flipped character on disk: a relay would stop being blocked if the copy were trusted.
    const body = new Uint8Array(record.packed.body.slice(0));
    const at = Buffer.from(body).indexOf('relay.example\n') + 'relay.exampl'.length;
    body[at] = 'a'.charCodeAt(0);
    await raw.put('subscriptions', { ...record, packed: { ...record.packed, body: body.buffer } });
    db.close();

    const requests: (string | undefined)[] = [];
    serveJson('/community.json', COMMUNITY, '"v7"');
    const served = routes.get('/community.json')!;
    routes.set('/community.json', (request, response) => {
      requests.push(request.headers['if-none-match']);
      served(request, response);
    });
    const registry = createRegistry();
    const changed = new Promise<void>((resolve) => registry.onChange(resolve));
    await registry.ready();
    const problem = `The stored copy of ${lists.origin}/community.json could not be used (the stored list failed its checksum (damaged on disk)); it was dropped and is downloaded again.`;
    expect(reports).toEqual([`Stored list skipped: ${subscriptionId(`${lists.origin}/community.json`)}: ${problem}`]);
    expect(decide(registry, 'relay.exampla')).toBeNull();

    await changed;
    // Asked for without If-None-Match: a 304 must not confirm a copy that is gone.
    expect(requests).toEqual([undefined]);
    expect(decide(registry, 'relay.example')).toMatchObject({ source: 'subscribed', level: 'blocked' });
    expect(registry.summary().find((list) => list.id === subscriptionId(`${lists.origin}/community.json`))).toEqual({
      id: subscriptionId(`${lists.origin}/community.json`),
      source: 'subscribed',
      name: 'Community relays',
      version: '7',
      entryCount: 2,
      url: `${lists.origin}/community.json`,
      fetchedAt: 1_000,
      lastTriedAt: 1_000,
      nextUpdateAt: 1_000 + TWELVE_HOURS,
      refreshMinutes: 720,
      pinnedKeys: 0,
    });
  });
});

describe('a database that fails to open', () => {
  test('leaves bundled and managed lists working and reports the failure', async () => {
    // A newer RelayGuard (since downgraded) left a database of a higher version: opening it fails for real.
    const newer = factory.open(DATABASE_NAME, DATABASE_VERSION + 1);
    await new Promise<void>((resolve) => (newer.onsuccess = () => (newer.result.close(), resolve())));
    const openFailure = String(await openListDatabase(factory).catch((cause: unknown) => cause));
    expect(openFailure).toMatch(/^VersionError: /);

    policy = { blocklist: ['relay.example'] };
    const registry = createRegistry();
    await registry.ready();
    expect(reports.sort()).toEqual([`Subscribed lists could not be read: ${openFailure}`, `Your entries could not be read: ${openFailure}`]);
    expect(decide(registry, 'relay.example')).toEqual({ source: 'managed', level: 'blocked', listId: 'managed', pattern: 'relay.example' });
    expect(decide(registry, 'api.openai.com')?.level).toBe('official');
    expect(registry.summary()).toEqual([{ id: 'managed', source: 'managed', name: 'Managed policy', version: '1', entryCount: 1 }, ...BUNDLED_SUMMARY]);

    // Policy changes still apply; subscribing fails with the database's error (the router turns it into { ok: false }).
    policy = { allowlist: ['relay.example'] };
    await registry.reloadPolicy();
    expect(decide(registry, 'relay.example')?.level).toBe('vetted');
    await expect(registry.subscribe(`${lists.origin}/community.json`)).rejects.toHaveProperty('name', 'VersionError');
  });
});

describe('start without waiting on storage.managed', () => {
  /** storage.managed that has not answered yet; `answer` makes it answer. */
  function slowManaged() {
    let answer: (value: unknown) => void = () => undefined;
    const reading = new Promise<unknown>((resolve) => (answer = resolve));
    return { readManagedPolicy: () => reading, answer: (value: unknown) => answer(value) };
  }

  /** An in-memory storage.local key. */
  function memoryCache(initial?: unknown) {
    const cache = { value: initial, writes: 0 };
    return {
      cache,
      policyCache: {
        read: async () => cache.value,
        write: async (raw: unknown) => {
          cache.value = raw;
          cache.writes += 1;
        },
      },
    };
  }

  test('ready() never waits on storage.managed: with nothing cached the lists start without a policy, which then applies as a change', async () => {
    const managed = slowManaged();
    const { cache, policyCache } = memoryCache();
    const registry = createRegistry({ readManagedPolicy: managed.readManagedPolicy, policyCache });
    const changes: string[] = [];
    registry.onChange(() => changes.push(decide(registry, 'relay.example')?.level ?? 'none'));

    await registry.ready(); // storage.managed has not answered: resolving proves ready() did not wait on it
    expect(decide(registry, 'relay.example')).toBeNull();
    expect(changes).toEqual([]);

    managed.answer({ blocklist: ['relay.example'] });
    expect((await registry.livePolicy()).blocklist).toEqual(['relay.example']);
    await expect.poll(() => changes).toEqual(['blocked']);
    expect(decide(registry, 'relay.example')).toEqual({ source: 'managed', level: 'blocked', listId: 'managed', pattern: 'relay.example' });
    expect(cache.value).toEqual({ blocklist: ['relay.example'] });
  });

  test('the last policy seen (cached) is in force from the first matcher; a different live one replaces it as a change', async () => {
    const managed = slowManaged();
    const { cache, policyCache } = memoryCache({ blocklist: ['relay.example'], allowProceed: false });
    const registry = createRegistry({ readManagedPolicy: managed.readManagedPolicy, policyCache });
    const changes: string[] = [];
    registry.onChange(() => changes.push(decide(registry, 'relay.example')?.level ?? 'none'));

    await registry.ready();
    expect(decide(registry, 'relay.example')).toMatchObject({ source: 'managed', level: 'blocked' });
    expect(registry.policy.allowProceed).toBe(false);
    expect(changes).toEqual([]);

    managed.answer({ allowlist: ['relay.example'] });
    await registry.livePolicy();
    await expect.poll(() => changes).toEqual(['vetted']);
    expect(registry.policy.allowProceed).toBe(true);
    expect(cache.value).toEqual({ allowlist: ['relay.example'] });
  });

  test('a live policy equal to the cached one is no change, and the cache is not rewritten', async () => {
    const { cache, policyCache } = memoryCache({ blocklist: ['relay.example'] });
    policy = { blocklist: ['relay.example'] };
    const registry = createRegistry({ policyCache });
    const changes: number[] = [];
    registry.onChange(() => changes.push(1));
    await registry.ready();
    await registry.livePolicy();
    expect(decide(registry, 'relay.example')?.source).toBe('managed');
    expect(changes).toEqual([]);
    expect(cache.writes).toBe(0);
  });

  test('a policy removed while the browser was closed: the cached one applies until storage.managed says so, then goes; so does the cache', async () => {
    const managed = slowManaged();
    const { cache, policyCache } = memoryCache({ blocklist: ['relay.example'] });
    const registry = createRegistry({ readManagedPolicy: managed.readManagedPolicy, policyCache });
    await registry.ready();
    expect(decide(registry, 'relay.example')?.source).toBe('managed');
    managed.answer({});
    expect(await registry.livePolicy()).toEqual(EMPTY_POLICY);
    await expect.poll(() => decide(registry, 'relay.example')).toBeNull();
    expect(cache.value).toBeNull();
  });

  test('a policy that answered before the stored lists loaded is in the first matcher, without a change event', async () => {
    policy = { blocklist: ['relay.example'] };
    const { cache, policyCache } = memoryCache();
    const registry = createRegistry({ policyCache });
    const changes: number[] = [];
    registry.onChange(() => changes.push(1));
    await registry.ready();
    expect(decide(registry, 'relay.example')?.source).toBe('managed');
    expect(changes).toEqual([]);
    await expect.poll(() => cache.value).toEqual({ blocklist: ['relay.example'] });
  });

  test('an unreadable cache is reported and the start goes on without it', async () => {
    const managed = slowManaged();
    const registry = createRegistry({
      readManagedPolicy: managed.readManagedPolicy,
      policyCache: { read: () => Promise.reject(new Error('QuotaExceededError')), write: async () => undefined },
    });
    await registry.ready();
    expect(registry.policy).toEqual(EMPTY_POLICY);
    expect(reports).toEqual(['The last managed policy seen could not be read: Error: QuotaExceededError']);
  });
});
