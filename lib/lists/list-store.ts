import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import { z } from 'zod';
import { parseHostPattern } from '../core/host-pattern.ts';
import { listSchema, type RelayList } from './list-schema.ts';
import { LIST_PROBLEM_CODES, type ListProblem } from './list-problem.ts';
import { IndexedList } from './indexed-list.ts';
import { packList, unpackDetails, unpackList, type PackedDetails, type PackedList } from './stored-list.ts';
import { userEntrySchema, type UserEntry } from './user-entry.ts';
import { lazy } from '../core/lazy.ts';
import { err, ok, type Result } from '../core/result.ts';

/**
 * IndexedDB holds what can grow large or must survive restarts exactly: subscribed lists with
 * their fetch metadata, and the person's own allow/block entries. A subscribed list is validated
 * once, at the door, and stored in the matcher's own form with a checksum (stored-list.ts): its
 * table in `subscriptions`, its details in `listDetails`, read after the tables. Loading checks
 * checksums, never re-validates. A list that fails validation never replaces the last good one;
 * a stored copy that fails its checksum or form is never used: it is dropped, said so, and
 * downloaded again.
 *
 * About 330 lines: every read and write of the lists' database is here, so its transactions and
 * its upgrade steps are seen together.
 */

export const DATABASE_NAME = 'relayguard';
export const DATABASE_VERSION = 2;

/** A subscription's fetch metadata: small, so it is still checked with zod on every load (built on the first, not at worker start). */
const subscriptionMetaSchema = lazy(() => z.object({
  /** `subscription:<url>`: one subscription per URL. */
  id: z.string().startsWith('subscription:'),
  url: z.url({ protocol: /^https?$/ }),
  fetchedAt: z.number(),
  lastTriedAt: z.number(),
  /** The last failure's message (English, for logs); `problem` holds its code for the options page. */
  lastError: z.string().optional(),
  problem: z.object({ code: z.enum(LIST_PROBLEM_CODES), message: z.string().max(4000), detail: z.string().max(2000).optional() }).optional(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  /** Pinned minisign public keys: with any, every copy must be signed by one of them. */
  publicKeys: z.array(z.string().max(4096)).max(32).optional(),
  /** The key that signed the stored copy, and its trusted comment (verified). */
  signedBy: z.object({ keyId: z.string().max(16), trustedComment: z.string().max(8192) }).optional(),
  /** The refresh interval the stored copy asked for (its `refreshMinutes`), as accepted. */
  refreshMinutes: z.number().optional(),
  /** When the refresh alarm fetches it next (lib/lists/refresh-schedule.ts). */
  nextUpdateAt: z.number().optional(),
}));
type SubscriptionMeta = z.infer<ReturnType<typeof subscriptionMetaSchema>>;

/** A subscription in memory: its metadata and the list, in the matcher's indexed form. */
export type StoredSubscription = SubscriptionMeta & { readonly list: IndexedList };

/**
 * A subscription as IndexedDB holds it. `packed` is absent while the subscription waits for a
 * fresh copy (its stored one was dropped). Records written before the packed form carry the
 * whole validated list in `list` instead; loading migrates them once (migrateRecord).
 */
export type SubscriptionRecord = SubscriptionMeta & { readonly packed?: PackedList };

/** Before the packed form: the whole list, re-validated on every load. */
const legacySubscriptionSchema = lazy(() => subscriptionMetaSchema().extend({ list: listSchema }));

interface RelayGuardDb extends DBSchema {
  subscriptions: { key: string; value: SubscriptionRecord };
  /** A subscribed list's details (category, reason, evidence), by the subscription's id: read after the tables. */
  listDetails: { key: string; value: DetailsRecord };
  userEntries: { key: string; value: UserEntry };
}

type DetailsRecord = PackedDetails & { readonly id: string };

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
    if (event.oldVersion < 2) db.createObjectStore('listDetails', { keyPath: 'id' });
  });
  return wrap(request) as Promise<ListDatabase>;
}

export function subscriptionId(url: string): string {
  return `subscription:${url}`;
}

/** A copy that passed every check at the door (download, signature, schema), with what to remember of it. */
export interface FetchedList {
  readonly url: string;
  readonly list: RelayList;
  readonly at: number;
  readonly nextUpdateAt: number;
  readonly etag?: string | undefined;
  readonly lastModified?: string | undefined;
  readonly publicKeys?: readonly string[] | undefined;
  readonly signedBy?: StoredSubscription['signedBy'];
  readonly refreshMinutes?: number | undefined;
}

/**
 * Stores a new good copy whole, packed, in one write: the previous copy stays until this one is
 * complete. The list was validated at the door (lib/lists/subscription-update.ts).
 */
export async function storeFetchedList(db: ListDatabase, fetched: FetchedList): Promise<StoredSubscription> {
  const { stored, written } = startStoringFetchedList(db, fetched);
  await written;
  return stored;
}

/**
 * storeFetchedList, with the copy in memory at once (`stored`, indexed) while it is packed and
 * written (`written`, which rejects when the write fails and the previous copy stays stored).
 */
export function startStoringFetchedList(db: ListDatabase, fetched: FetchedList): { stored: StoredSubscription; written: Promise<void> } {
  const meta: SubscriptionMeta = {
    id: subscriptionId(fetched.url),
    url: fetched.url,
    fetchedAt: fetched.at,
    lastTriedAt: fetched.at,
    nextUpdateAt: fetched.nextUpdateAt,
    ...(fetched.etag && { etag: fetched.etag }),
    ...(fetched.lastModified && { lastModified: fetched.lastModified }),
    ...(fetched.publicKeys?.length && { publicKeys: [...fetched.publicKeys] }),
    ...(fetched.signedBy && { signedBy: fetched.signedBy }),
    ...(fetched.refreshMinutes !== undefined && { refreshMinutes: fetched.refreshMinutes }),
  };
  const list = IndexedList.of(fetched.list);
  const written = (async () => {
    // Packing awaits WebCrypto, which would end a transaction: pack first, then write both at once.
    const { table, details } = await packList(list);
    const tx = db.transaction(['subscriptions', 'listDetails'], 'readwrite');
    await Promise.all([tx.objectStore('subscriptions').put({ ...meta, packed: table }), tx.objectStore('listDetails').put({ id: meta.id, ...details }), tx.done]);
    // The copy in memory reads its details from the packed buffer from now on: the validated entries can go.
    const attached = list.attachDetails(details.body);
    if (!attached.ok) throw new Error(`A list just packed could not be read back: ${attached.error}`);
  })();
  return { stored: { ...meta, list }, written };
}

/**
 * An update failed: the stored copy stays exactly as it was; only when it was tried, why it
 * failed and when to try again change (so the options page can say so, and a later refresh does
 * not stampede a broken server). False when there is no stored subscription for `url`.
 */
export async function recordFailedUpdate(db: ListDatabase, url: string, failure: { at: number; problem: ListProblem; nextUpdateAt: number }): Promise<boolean> {
  const tx = db.transaction('subscriptions', 'readwrite');
  const previous = await tx.store.get(subscriptionId(url));
  if (previous) await tx.store.put({ ...previous, lastTriedAt: failure.at, lastError: failure.problem.message, problem: failure.problem, nextUpdateAt: failure.nextUpdateAt });
  await tx.done;
  return previous !== undefined;
}

/** A server answered 304: the stored list stays; it counts as fetched (and tried) now. */
export async function markListConfirmed(db: ListDatabase, url: string, confirmed: { at: number; nextUpdateAt: number }): Promise<void> {
  const tx = db.transaction('subscriptions', 'readwrite');
  const previous = await tx.store.get(subscriptionId(url));
  if (previous) {
    const { lastError: _cleared, problem: _problem, ...rest } = previous;
    await tx.store.put({ ...rest, fetchedAt: confirmed.at, lastTriedAt: confirmed.at, nextUpdateAt: confirmed.nextUpdateAt });
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
  const rewrites: { record: SubscriptionRecord; details?: DetailsRecord }[] = [];
  for (const raw of (await db.getAll('subscriptions')) as unknown[]) {
    const id = String((raw as { id?: unknown } | null)?.id);
    const meta = subscriptionMetaSchema().safeParse(raw);
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
    const damaged: ListProblem = { code: 'damaged-record', message: problem };
    const dropped: SubscriptionMeta = hadCopy
      ? { ...rest, lastError: problem, problem: damaged }
      : { ...rest, lastError: meta.data.lastError ?? problem, problem: meta.data.problem ?? damaged };
    records.push({ ...dropped, list: awaitingList(meta.data.url) });
    if (hadCopy) rewrites.push({ record: dropped });
  }
  if (rewrites.length > 0) {
    const tx = db.transaction(['subscriptions', 'listDetails'], 'readwrite');
    await Promise.all([
      ...rewrites.map(({ record }) => tx.objectStore('subscriptions').put(record)),
      ...rewrites.flatMap(({ details }) => (details ? [tx.objectStore('listDetails').put(details)] : [])),
      tx.done,
    ]);
  }
  return { records, problems, refetch };
}

/** The list a record holds, and the record to write back when it was migrated. */
async function loadRecord(raw: Record<string, unknown>, meta: SubscriptionMeta): Promise<Result<{ list: IndexedList; rewrite?: { record: SubscriptionRecord; details: DetailsRecord } }, string>> {
  if ('packed' in raw) {
    const unpacked = await unpackList(raw.packed);
    return unpacked.ok ? ok({ list: unpacked.value }) : unpacked;
  }
  if (!('list' in raw)) return err('no copy has arrived since it was dropped');
  // Migration from the form before packing: validate this one last time, then store it packed.
  const legacy = legacySubscriptionSchema().safeParse(raw);
  if (!legacy.success) return err(`it is not a valid list: ${legacy.error.issues[0]?.message ?? 'invalid record'}`);
  const list = IndexedList.of(legacy.data.list);
  const { table, details } = await packList(list);
  return ok({ list, rewrite: { record: { ...meta, packed: table }, details: { id: meta.id, ...details } } });
}

/** The empty stand-in for a subscription whose stored copy was dropped: it names the URL, blocks nothing. */
function awaitingList(url: string): IndexedList {
  return IndexedList.of({ name: url, version: '—', updated: '1970-01-01', entries: [] });
}

export async function removeSubscription(db: ListDatabase, id: string): Promise<boolean> {
  const tx = db.transaction(['subscriptions', 'listDetails'], 'readwrite');
  const existed = (await tx.objectStore('subscriptions').getKey(id)) !== undefined;
  if (existed) await tx.objectStore('subscriptions').delete(id);
  await tx.objectStore('listDetails').delete(id);
  await tx.done;
  return existed;
}

/**
 * Gives each stored list (from loadSubscriptions) its details. A list whose details are missing
 * or damaged keeps deciding (its table was checked) but is downloaded again, and said so.
 */
export async function loadListDetails(db: ListDatabase, subscriptions: readonly StoredSubscription[]): Promise<{ problems: string[]; refetch: string[] }> {
  const waiting = subscriptions.filter(({ list }) => list.detailsChecksum !== undefined);
  if (waiting.length === 0) return { problems: [], refetch: [] };
  const records = new Map((await db.getAll('listDetails')).map((record) => [record.id, record]));
  const problems: string[] = [];
  const refetch: string[] = [];
  for (const { id, url, list } of waiting) {
    const attached = await unpackDetails(records.get(id), list);
    if (attached.ok) continue;
    problems.push(`${id}: The stored details of ${url} could not be used (${attached.error}); the list still decides and is downloaded again.`);
    refetch.push(url);
  }
  if (refetch.length > 0) {
    // No validators: the next download must fetch the whole list, not be told "not modified".
    const tx = db.transaction('subscriptions', 'readwrite');
    for (const url of refetch) {
      const record = await tx.store.get(subscriptionId(url));
      if (record) {
        const { etag: _etag, lastModified: _lastModified, ...rest } = record;
        await tx.store.put(rest);
      }
    }
    await tx.done;
  }
  return { problems, refetch };
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
