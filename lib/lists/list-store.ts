import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import { z } from 'zod';
import { parseHostPattern } from '../core/host-pattern.ts';
import { listSchema, parseList, type RelayList } from './list-schema.ts';
import { packList, unpackList, type PackedList } from './stored-list.ts';
import { userEntrySchema, type UserEntry } from './user-entry.ts';
import { err, ok, type Result } from '../core/result.ts';

/**
 * IndexedDB holds what can grow large or must survive restarts exactly: subscribed lists with
 * their fetch metadata, and the person's own allow/block entries. A subscribed list is validated
 * once, at the door, and stored packed with a checksum (stored-list.ts); loading it checks the
 * checksum, never re-validates. A list that fails validation never replaces the last good one;
 * a stored copy that fails its checksum or form is never used: it is dropped, said so, and
 * downloaded again.
 */

export const DATABASE_NAME = 'relayguard';
export const DATABASE_VERSION = 1;

/** A subscription's fetch metadata: small, so it is still checked with zod on every load. */
const subscriptionMetaSchema = z.object({
  /** `subscription:<url>`: one subscription per URL. */
  id: z.string().startsWith('subscription:'),
  url: z.url({ protocol: /^https?$/ }),
  fetchedAt: z.number(),
  lastTriedAt: z.number(),
  lastError: z.string().optional(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
});
type SubscriptionMeta = z.infer<typeof subscriptionMetaSchema>;

/** A subscription in memory: its metadata and the list, unpacked. */
export type StoredSubscription = SubscriptionMeta & { readonly list: RelayList };

/**
 * A subscription as IndexedDB holds it. `packed` is absent while the subscription waits for a
 * fresh copy (its stored one was dropped). Records written before the packed form carry the
 * whole validated list in `list` instead; loading migrates them once (migrateRecord).
 */
export type SubscriptionRecord = SubscriptionMeta & { readonly packed?: PackedList };

/** Before the packed form: the whole list, re-validated on every load. */
const legacySubscriptionSchema = subscriptionMetaSchema.extend({ list: listSchema });

interface RelayGuardDb extends DBSchema {
  subscriptions: { key: string; value: SubscriptionRecord };
  userEntries: { key: string; value: UserEntry };
}

export type ListDatabase = IDBPDatabase<RelayGuardDb>;

/**
 * Opens (and creates or upgrades) the database. Each version's step runs once, in order, so a
 * browser that skipped versions still arrives at the current schema. `factory` defaults to the
 * global indexedDB; idb's openDB always uses the global, so the request is made here and wrapped.
 */
export function openListDatabase(factory: IDBFactory = indexedDB): Promise<ListDatabase> {
  const request = factory.open(DATABASE_NAME, DATABASE_VERSION);
  request.addEventListener('upgradeneeded', (event) => {
    const db = wrap(request.result) as unknown as ListDatabase;
    if (event.oldVersion < 1) {
      db.createObjectStore('subscriptions', { keyPath: 'id' });
      db.createObjectStore('userEntries', { keyPath: 'pattern' });
    }
  });
  return wrap(request) as Promise<ListDatabase>;
}

export function subscriptionId(url: string): string {
  return `subscription:${url}`;
}

export interface FetchedList {
  readonly url: string;
  /** The response body (untrusted) or an error saying why there is none. */
  readonly body: Result<string, string>;
  readonly etag?: string;
  readonly lastModified?: string;
  readonly at: number;
}

/**
 * Stores a freshly fetched list atomically: validation first, then one transaction that either
 * writes the new list or, when the fetch or the validation failed, keeps the stored list and
 * records only when it was tried and what went wrong (so the options page can say so, and so
 * a later refresh does not stampede a broken server).
 */
export async function storeFetchedList(db: ListDatabase, fetched: FetchedList): Promise<Result<StoredSubscription, string>> {
  const id = subscriptionId(fetched.url);
  const parsed = fetched.body.ok ? parseList(fetched.body.value) : err({ message: fetched.body.error, issues: [] });
  const tx = db.transaction('subscriptions', 'readwrite');
  const previous = await tx.store.get(id);
  if (!parsed.ok) {
    if (previous) await tx.store.put({ ...previous, lastTriedAt: fetched.at, lastError: parsed.error.message });
    await tx.done;
    return err(parsed.error.message);
  }
  const meta: SubscriptionMeta = {
    id,
    url: fetched.url,
    fetchedAt: fetched.at,
    lastTriedAt: fetched.at,
    ...(fetched.etag && { etag: fetched.etag }),
    ...(fetched.lastModified && { lastModified: fetched.lastModified }),
  };
  // Packing awaits WebCrypto, which would end the transaction: pack first, then write in a new one.
  await tx.done;
  const packed = await packList(parsed.value);
  await db.put('subscriptions', { ...meta, packed });
  return ok({ ...meta, list: parsed.value });
}

/** A server answered 304: the stored list stays; it counts as fetched (and tried) now. */
export async function markListConfirmed(db: ListDatabase, url: string, at: number): Promise<void> {
  const tx = db.transaction('subscriptions', 'readwrite');
  const previous = await tx.store.get(subscriptionId(url));
  if (previous) {
    const { lastError: _cleared, ...rest } = previous;
    await tx.store.put({ ...rest, fetchedAt: at, lastTriedAt: at });
  }
  await tx.done;
}

export interface LoadedRecords<T> {
  readonly records: T[];
  /** Records that no longer validate (corruption, a downgrade): reported, not silently used. */
  readonly problems: string[];
}

export interface LoadedSubscriptions extends LoadedRecords<StoredSubscription> {
  /**
   * URLs whose stored copy was dropped (failed checksum, another form, unreadable): download
   * them again. Each stays in `records` with an empty list and the reason as its lastError.
   */
  readonly refetch: string[];
}

/**
 * Every stored subscription, unpacked without re-validation. Records in the form before the
 * packed one are validated once more, packed and rewritten (migration). A record whose list
 * cannot be trusted is rewritten without it, so it shows as waiting for a fresh copy.
 */
export async function loadSubscriptions(db: ListDatabase): Promise<LoadedSubscriptions> {
  const records: StoredSubscription[] = [];
  const problems: string[] = [];
  const refetch: string[] = [];
  const rewrites: SubscriptionRecord[] = [];
  for (const raw of (await db.getAll('subscriptions')) as unknown[]) {
    const id = String((raw as { id?: unknown } | null)?.id);
    const meta = subscriptionMetaSchema.safeParse(raw);
    if (!meta.success) {
      problems.push(`${id}: ${meta.error.issues[0]?.message ?? 'invalid record'}`);
      continue;
    }
    const record = raw as Record<string, unknown>;
    const loaded = await loadRecord(record, meta.data);
    if (loaded.ok) {
      records.push({ ...meta.data, list: loaded.value.list });
      if (loaded.value.rewrite) rewrites.push(loaded.value.rewrite);
      continue;
    }
    const problem = `The stored copy of ${meta.data.url} could not be used (${loaded.error}); it was dropped and is downloaded again.`;
    problems.push(`${id}: ${problem}`);
    refetch.push(meta.data.url);
    const hadCopy = 'packed' in record || 'list' in record;
    // No validators: the next download must fetch the whole list, not be told "not modified".
    const { etag: _etag, lastModified: _lastModified, ...rest } = meta.data;
    const dropped: SubscriptionMeta = { ...rest, lastError: hadCopy ? problem : (meta.data.lastError ?? problem) };
    records.push({ ...dropped, list: awaitingList(meta.data.url) });
    if (hadCopy) rewrites.push(dropped);
  }
  if (rewrites.length > 0) {
    const tx = db.transaction('subscriptions', 'readwrite');
    await Promise.all([...rewrites.map((record) => tx.store.put(record)), tx.done]);
  }
  return { records, problems, refetch };
}

/** The list a record holds, and the record to write back when it was migrated. */
async function loadRecord(raw: Record<string, unknown>, meta: SubscriptionMeta): Promise<Result<{ list: RelayList; rewrite?: SubscriptionRecord }, string>> {
  if ('packed' in raw) {
    const unpacked = await unpackList(raw.packed);
    return unpacked.ok ? ok({ list: unpacked.value }) : unpacked;
  }
  if (!('list' in raw)) return err('no copy has arrived since it was dropped');
  // Migration from the form before packing: validate this one last time, then store it packed.
  const legacy = legacySubscriptionSchema.safeParse(raw);
  if (!legacy.success) return err(`it is not a valid list: ${legacy.error.issues[0]?.message ?? 'invalid record'}`);
  const { list } = legacy.data;
  return ok({ list, rewrite: { ...meta, packed: await packList(list) } });
}

/** The empty stand-in for a subscription whose stored copy was dropped: it names the URL, blocks nothing. */
function awaitingList(url: string): RelayList {
  return { name: url, version: '—', updated: '1970-01-01', entries: [] };
}

export async function removeSubscription(db: ListDatabase, id: string): Promise<boolean> {
  const tx = db.transaction('subscriptions', 'readwrite');
  const existed = (await tx.store.getKey(id)) !== undefined;
  if (existed) await tx.store.delete(id);
  await tx.done;
  return existed;
}

export async function loadUserEntries(db: ListDatabase): Promise<LoadedRecords<UserEntry>> {
  return validateAll(await db.getAll('userEntries'), userEntrySchema, (r) => String((r as { pattern?: unknown }).pattern));
}

/** Adds or replaces one of the person's own entries; the pattern is validated first. */
export async function putUserEntry(db: ListDatabase, candidate: unknown): Promise<Result<UserEntry, string>> {
  const parsed = userEntrySchema.safeParse(candidate);
  if (!parsed.success) return err(parsed.error.issues.map((issue) => issue.message).join('; '));
  await db.put('userEntries', parsed.data);
  return ok(parsed.data);
}

/** Adds or replaces many entries in one transaction: an import lands whole or not at all. */
export async function putUserEntries(db: ListDatabase, entries: readonly UserEntry[]): Promise<void> {
  const tx = db.transaction('userEntries', 'readwrite');
  await Promise.all([...entries.map((entry) => tx.store.put(entry)), tx.done]);
}

export async function removeUserEntry(db: ListDatabase, pattern: string): Promise<boolean> {
  const canonical = parseHostPattern(pattern);
  const key = canonical.ok ? canonical.value.text : pattern;
  const tx = db.transaction('userEntries', 'readwrite');
  const existed = (await tx.store.getKey(key)) !== undefined;
  if (existed) await tx.store.delete(key);
  await tx.done;
  return existed;
}

/** The person's entries as a list the matcher can compile (source `user`). */
export function userEntriesAsList(entries: readonly UserEntry[]): RelayList {
  const latest = entries.reduce((newest, entry) => (Date.parse(entry.added) > Date.parse(newest) ? entry.added : newest), '1970-01-01T00:00:00Z');
  return {
    name: 'Your entries',
    version: latest.slice(0, 10),
    updated: latest,
    entries: entries.map(({ pattern, level, added, note }) => ({ pattern, level, added, ...(note && { reason: note }) })),
  };
}

function validateAll<S extends z.core.$ZodType>(raw: unknown[], schema: S, idOf: (record: unknown) => string): LoadedRecords<z.output<S>> {
  const records: z.output<S>[] = [];
  const problems: string[] = [];
  for (const record of raw) {
    const parsed = z.safeParse(schema, record);
    if (parsed.success) records.push(parsed.data);
    else problems.push(`${idOf(record)}: ${parsed.error.issues[0]?.message ?? 'invalid record'}`);
  }
  return { records, problems };
}
