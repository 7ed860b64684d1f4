import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
// zod/mini, as the message protocol that carries history entries is (lib/protocol/messages.ts).
import { z } from 'zod/mini';
import '../core/zod-setup.ts';
import { normalizeHost } from '../core/host.ts';
import { lazy } from '../core/lazy.ts';
import type { VendorId } from '../detection/keys.ts';

/**
 * "Where your keys went": a local history of what RelayGuard saw. Relays the person visited,
 * AI calls pages made to unvetted or blocked endpoints, and every time a vendor-format
 * credential went to a host that is not the vendor's: which vendor, which kind of credential,
 * its last four characters (what vendor dashboards show, so the person can find the key to
 * rotate), the endpoint, the page and when. Never more of a key: the credential is classified
 * where it is read (classifyAiRequest in lib/detection/ai-request.ts), which hands out its
 * last four characters only, and the stored record's schema admits exactly four characters.
 *
 * It lives in its own IndexedDB database and never leaves the machine, except inside a report
 * or an export the person chose to make. Old entries go after the retention period.
 *
 * Just over 300 lines, kept in one file: the event schemas, the stored record and the
 * operations on it are one promise (four characters of a key at most), best checked in one read.
 */

export const HISTORY_DATABASE_NAME = 'relayguard-history';
const HISTORY_DATABASE_VERSION = 1;
export const HISTORY_EXPORT_SCHEMA = 'relayguard.history/1';

export const DEFAULT_RETENTION_DAYS = 90;
export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 3650;
/** A hostile page can call an endpoint in a loop: repeats within this window count, not add. */
export const COALESCE_WINDOW_MS = 60 * 60_000;
/** A bound on the database whatever pages do; the oldest entries go first. */
const MAX_HISTORY_ENTRIES = 5000;

const DAY_MS = 24 * 60 * 60_000;

const VENDOR_IDS = [
  'openai',
  'anthropic',
  'google',
  'openrouter',
  'groq',
  'xai',
  'huggingface',
  'perplexity',
  'replicate',
  'deepseek',
] as const satisfies readonly VendorId[];


const RISKY_LEVELS = ['unvetted', 'blocked'] as const;
const VENDOR_CREDENTIAL_KINDS = ['vendor-key', 'subscription-credential'] as const;

/** Exactly four characters of the key alphabet: the most of a key history ever holds. */
const LAST_FOUR = /^[\w-]{4}$/;

const host = () =>
  z.pipe(
    z.string().check(z.maxLength(253)),
    z.transform((text: string, ctx) => {
      const parsed = normalizeHost(text);
      if (parsed.ok) return parsed.value.host;
      ctx.issues.push({ code: 'custom', message: parsed.error.message, input: text });
      return z.NEVER;
    }),
  );

// Every schema here is built on first use: most wakes of the worker record nothing.
const historySchemas = lazy(() => {
  const relayVisitShape = {
    kind: z.literal('relay-visit'),
    pageHost: host(),
    level: z.enum(RISKY_LEVELS),
  };
  const aiCallShape = {
    kind: z.literal('ai-call'),
    pageHost: host(),
    endpointHost: host(),
    protocol: z.string().check(z.regex(/^[a-z0-9-]{1,32}$/)),
    level: z.enum(RISKY_LEVELS),
  };
  const keySentShape = {
    kind: z.literal('key-sent'),
    pageHost: host(),
    endpointHost: host(),
    vendor: z.enum(VENDOR_IDS),
    credentialKind: z.enum(VENDOR_CREDENTIAL_KINDS),
    /** The key format's stable id (lib/detection/keys.ts), e.g. `openai-project`. */
    format: z.string().check(z.regex(/^[a-z0-9-]{1,40}$/)),
    last4: z.string().check(z.regex(LAST_FOUR)),
  };
  const timesShape = {
    /** First and last time it was seen within one coalescing window, and how often. */
    firstAt: z.number(),
    lastAt: z.number(),
    count: z.number().check(z.int(), z.positive()),
  };
  const keySent = z.strictObject(keySentShape);
  const entry = z.discriminatedUnion('kind', [
    z.strictObject({ ...relayVisitShape, ...timesShape }),
    z.strictObject({ ...aiCallShape, ...timesShape }),
    z.strictObject({ ...keySentShape, ...timesShape }),
  ]);
  return {
    keySent,
    event: z.discriminatedUnion('kind', [z.strictObject(relayVisitShape), z.strictObject(aiCallShape), keySent]),
    entry,
    export: z.strictObject({
      schema: z.literal(HISTORY_EXPORT_SCHEMA),
      exportedAt: z.string(),
      retentionDays: z.number(),
      entries: z.array(entry),
    }),
  };
});
type HistorySchemas = ReturnType<typeof historySchemas>;

/** One thing RelayGuard saw, before it is stored. */
const historyEventSchema = (): HistorySchemas['event'] => historySchemas().event;
export type HistoryEventInput = z.input<HistorySchemas['event']>;
export type HistoryEvent = z.output<HistorySchemas['event']>;
export type KeySentEvent = z.output<HistorySchemas['keySent']>;

/** A stored entry as surfaces receive it (the protocol's `history/get` answer carries these). */
export const historyEntrySchema = (): HistorySchemas['entry'] => historySchemas().entry;
export type HistoryEntry = z.output<HistorySchemas['entry']>;

interface StoredEntry {
  id?: number;
  dedupeKey: string;
  lastAt: number;
  [field: string]: unknown;
}

interface HistoryDb extends DBSchema {
  entries: {
    key: number;
    value: StoredEntry;
    indexes: { lastAt: number; dedupe: [string, number] };
  };
}
export type HistoryDatabase = IDBPDatabase<HistoryDb>;

export function openHistoryDatabase(factory: IDBFactory = indexedDB): Promise<HistoryDatabase> {
  const request = factory.open(HISTORY_DATABASE_NAME, HISTORY_DATABASE_VERSION);
  request.addEventListener('upgradeneeded', (event) => {
    const db = wrap(request.result) as unknown as HistoryDatabase;
    if (event.oldVersion < 1) {
      const store = db.createObjectStore('entries', { keyPath: 'id', autoIncrement: true });
      store.createIndex('lastAt', 'lastAt');
      store.createIndex('dedupe', ['dedupeKey', 'lastAt']);
    }
  });
  return wrap(request) as Promise<HistoryDatabase>;
}


/** A credential as classifyAiRequest describes it with `keyEnding`: kind, vendor, format, last four. */
export interface ClassifiedCredential {
  readonly kind: string;
  readonly vendor?: string | undefined;
  readonly format?: string | undefined;
  readonly last4?: string | undefined;
}

export interface KeySentObservation {
  readonly credential: ClassifiedCredential | null;
  readonly pageHost: string;
  readonly endpointHost: string;
  /** The endpoint's verdict level: a key sent to its own vendor (`official`) is not an event. */
  readonly endpointLevel: string;
}

/**
 * The history event for a credential sent to an endpoint; null when it is no vendor-format
 * credential (relay tokens belong on relays) or when it went to an official vendor host.
 */
export function keySentEvent(observation: KeySentObservation): KeySentEvent | null {
  const { credential } = observation;
  if (observation.endpointLevel === 'official' || !credential?.vendor || credential.last4 === undefined) return null;
  const parsed = historySchemas().keySent.safeParse({
    kind: 'key-sent',
    pageHost: observation.pageHost,
    endpointHost: observation.endpointHost,
    vendor: credential.vendor,
    credentialKind: credential.kind,
    format: credential.format,
    last4: credential.last4,
  });
  return parsed.success ? parsed.data : null;
}

function dedupeKey(event: HistoryEvent): string {
  switch (event.kind) {
    case 'relay-visit':
      return `relay-visit|${event.pageHost}|${event.level}`;
    case 'ai-call':
      return `ai-call|${event.pageHost}|${event.endpointHost}|${event.protocol}|${event.level}`;
    case 'key-sent':
      return `key-sent|${event.pageHost}|${event.endpointHost}|${event.vendor}|${event.format}|${event.last4}`;
  }
}

/** The export document (and the protocol's `history/export` answer). */
export const historyExportSchema = (): HistorySchemas['export'] => historySchemas().export;
export type HistoryExport = z.output<HistorySchemas['export']>;

export interface KeyHistoryDeps {
  readonly db: HistoryDatabase;
  readonly now: () => number;
  /** The person's retention setting, in days; DEFAULT_RETENTION_DAYS when not given. */
  readonly retentionDays?: () => number;
  /** MAX_HISTORY_ENTRIES unless given (tests use a small cap). */
  readonly maxEntries?: number;
}

/** A retention setting as stored; anything out of range falls back to the default. */
export function parseRetentionDays(raw: unknown): number {
  const parsed = z.number().check(z.int(), z.gte(MIN_RETENTION_DAYS), z.lte(MAX_RETENTION_DAYS)).safeParse(raw);
  return parsed.success ? parsed.data : DEFAULT_RETENTION_DAYS;
}

function toEntry(stored: StoredEntry): HistoryEntry | null {
  const { id: _id, dedupeKey: _key, ...fields } = stored;
  const parsed = historyEntrySchema().safeParse(fields);
  return parsed.success ? parsed.data : null;
}

export function createKeyHistory(deps: KeyHistoryDeps) {
  const { db, now } = deps;
  const retentionDays = () => parseRetentionDays(deps.retentionDays?.() ?? DEFAULT_RETENTION_DAYS);

  /** Deletes entries last seen before the retention period, then the oldest beyond the cap. */
  const prune = async (): Promise<number> => {
    const cutoff = now() - retentionDays() * DAY_MS;
    const tx = db.transaction('entries', 'readwrite');
    let removed = 0;
    for (let cursor = await tx.store.index('lastAt').openCursor(IDBKeyRange.upperBound(cutoff, true)); cursor; cursor = await cursor.continue()) {
      await cursor.delete();
      removed++;
    }
    let excess = (await tx.store.count()) - (deps.maxEntries ?? MAX_HISTORY_ENTRIES);
    for (let cursor = excess > 0 ? await tx.store.index('lastAt').openCursor() : null; cursor && excess > 0; cursor = await cursor.continue()) {
      await cursor.delete();
      removed++;
      excess--;
    }
    await tx.done;
    return removed;
  };

  /** Every entry within retention, last seen first; damaged records are left out. */
  const list = async (): Promise<HistoryEntry[]> => {
    const cutoff = now() - retentionDays() * DAY_MS;
    const stored = await db.getAllFromIndex('entries', 'lastAt', IDBKeyRange.lowerBound(cutoff));
    return stored
      .reverse()
      .map(toEntry)
      .filter((entry): entry is HistoryEntry => entry !== null);
  };

  return {
    /**
     * Stores one event (validated first); a repeat of the same event within COALESCE_WINDOW_MS
     * counts on the existing entry. Returns the entry as stored, or null for an invalid event.
     */
    async record(input: HistoryEventInput): Promise<HistoryEntry | null> {
      const parsed = historyEventSchema().safeParse(input);
      if (!parsed.success) return null;
      const event = parsed.data;
      const at = now();
      const key = dedupeKey(event);
      const tx = db.transaction('entries', 'readwrite');
      const latest = await tx.store.index('dedupe').openCursor(IDBKeyRange.bound([key, -Infinity], [key, Infinity]), 'prev');
      let stored: StoredEntry;
      if (latest && at - latest.value.lastAt <= COALESCE_WINDOW_MS && at >= latest.value.lastAt) {
        stored = { ...latest.value, lastAt: at, count: Number(latest.value.count) + 1 };
        await latest.update(stored);
      } else {
        stored = { ...event, firstAt: at, lastAt: at, count: 1, dedupeKey: key };
        stored.id = await tx.store.add(stored);
      }
      await tx.done;
      await prune();
      return toEntry(stored);
    },

    list,

    /** The keys sent from one page: what the popup says on the spot. */
    async keysSentFrom(pageHost: string): Promise<Extract<HistoryEntry, { kind: 'key-sent' }>[]> {
      const normalized = normalizeHost(pageHost);
      if (!normalized.ok) return [];
      return (await list()).filter(
        (entry): entry is Extract<HistoryEntry, { kind: 'key-sent' }> => entry.kind === 'key-sent' && entry.pageHost === normalized.value.host,
      );
    },

    prune,

    async clear(): Promise<void> {
      await db.clear('entries');
    },

    /** The whole history as a JSON-ready document, for the person to save. */
    async export(): Promise<HistoryExport> {
      const entries = await list();
      return { schema: HISTORY_EXPORT_SCHEMA, exportedAt: new Date(now()).toISOString(), retentionDays: retentionDays(), entries };
    },
  };
}
export type KeyHistory = ReturnType<typeof createKeyHistory>;
