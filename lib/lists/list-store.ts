import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import { z } from 'zod';
import { parseHostPattern } from '../core/host-pattern.ts';
import { listSchema, parseList, type RelayList } from './list-schema.ts';
import { userEntrySchema, type UserEntry } from './user-entry.ts';
import { err, ok, type Result } from '../core/result.ts';

/**
 * IndexedDB holds what can grow large or must survive restarts exactly: subscribed lists with
 * their fetch metadata, and the person's own allow/block entries. Every record is validated on
 * the way in and on the way out; a list that fails validation never replaces the last good one.
 */

export const DATABASE_NAME = 'relayguard';
export const DATABASE_VERSION = 1;

const storedSubscriptionSchema = z.object({
  /** `subscription:<url>`: one subscription per URL. */
  id: z.string().startsWith('subscription:'),
  url: z.url({ protocol: /^https?$/ }),
  list: listSchema,
  fetchedAt: z.number(),
  lastTriedAt: z.number(),
  lastError: z.string().optional(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
});
export type StoredSubscription = z.infer<typeof storedSubscriptionSchema>;


interface RelayGuardDb extends DBSchema {
  subscriptions: { key: string; value: StoredSubscription };
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
  const record: StoredSubscription = {
    id,
    url: fetched.url,
    list: parsed.value,
    fetchedAt: fetched.at,
    lastTriedAt: fetched.at,
    ...(fetched.etag && { etag: fetched.etag }),
    ...(fetched.lastModified && { lastModified: fetched.lastModified }),
  };
  await tx.store.put(record);
  await tx.done;
  return ok(record);
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

export async function loadSubscriptions(db: ListDatabase): Promise<LoadedRecords<StoredSubscription>> {
  return validateAll(await db.getAll('subscriptions'), storedSubscriptionSchema, (r) => String((r as { id?: unknown }).id));
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
