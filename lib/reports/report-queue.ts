import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
// zod/mini, as the message protocol that carries report states is (lib/protocol/messages.ts).
import { z } from 'zod/mini';
import '../core/zod-setup.ts';
import { lazy } from '../core/lazy.ts';
import { err, ok, type Result } from '../core/result.ts';
import { parseReportEndpoint } from '../core/report-endpoint.ts';
import { REPORT_KINDS, reportDocumentSchema, type ReportDocument } from './report-document.ts';

/**
 * Delivery that loses nothing. A report is written to IndexedDB before anything else happens,
 * then POSTed as JSON to the configured endpoint. A failed attempt leaves it queued with the
 * reason and a next attempt time (exponential backoff with jitter); the next attempt is an
 * `alarms` alarm, which outlives the service worker, and `start()` re-arms it from the database
 * when the worker or the browser starts again (Chrome may drop alarms on a browser restart).
 *
 * Delivered once: a report is sent until one attempt succeeds, then never again. Before each
 * attempt the report is claimed in one IndexedDB transaction (a lease), so two triggers, or two
 * queue instances on one database, never have two deliveries of one id in flight. A worker
 * killed mid-request leaves a lease that expires; the retry then carries the same id, which
 * lets the receiver drop the repeat (docs/report.schema.json).
 *
 * About 450 lines in one file: the store, the lease, the backoff and the alarm are one state
 * machine over one database, and each transition has to see all of them. `createReportQueue` is
 * still one long closure; splitting it into named steps is open work.
 */

const REPORT_DATABASE_NAME = 'relayguard-reports';
const REPORT_DATABASE_VERSION = 1;
export const REPORT_ALARM = 'relayguard-report-delivery';

/** Visible states (docs/test-contract.md `report-status`): `failed` means RelayGuard gave up. */
const REPORT_STATES = ['queued', 'sent', 'failed'] as const;

export const DEFAULT_QUEUE_OPTIONS = {
  /** Reports kept at most, sent and failed ones included; the oldest finished ones go first. */
  cap: 100,
  /** The first retry waits about this long; Chrome fires alarms no sooner than 30 s anyway. */
  baseDelayMs: 30_000,
  maxDelayMs: 6 * 60 * 60_000,
  /** About four days of retries at the longest delay before a report is marked failed. */
  maxAttempts: 25,
  requestTimeoutMs: 30_000,
  /** A claim outlives any one attempt; a claim older than this belonged to a worker that died. */
  leaseMs: 90_000,
};
export type QueueOptions = typeof DEFAULT_QUEUE_OPTIONS;

const count = () => z.number().check(z.int(), z.nonnegative());

// Both schemas here are built on first use: most wakes of the worker touch no report.
export const storedReportSchema = lazy(() =>
  z.object({
    id: z.uuid(),
    document: reportDocumentSchema,
    state: z.enum(REPORT_STATES),
    createdAt: z.number(),
    attempts: count(),
    /** When the next attempt is due (queued reports only). */
    nextAttemptAt: z.number(),
    /** While an attempt is in flight: until when it holds the report. 0 when none is. */
    leaseUntil: z.number(),
    lastAttemptAt: z.optional(z.number()),
    /** Why the last attempt failed, in words a person can act on. */
    lastError: z.optional(z.string().check(z.maxLength(500))),
    sentAt: z.optional(z.number()),
    /** Where it was delivered. */
    sentTo: z.optional(z.string()),
  }),
);
export type StoredReport = z.output<ReturnType<typeof storedReportSchema>>;

/** What a surface shows about one report (and the message protocol carries). */
export const reportStatusSchema = lazy(() =>
  z.object({
    id: z.string(),
    state: z.enum(REPORT_STATES),
    kind: z.enum(REPORT_KINDS),
    host: z.string(),
    createdAt: z.number(),
    attempts: count(),
    nextAttemptAt: z.optional(z.number()),
    lastError: z.optional(z.string()),
    sentAt: z.optional(z.number()),
  }),
);
export type ReportStatus = z.output<ReturnType<typeof reportStatusSchema>>;

interface ReportDb extends DBSchema {
  reports: { key: string; value: StoredReport };
}
export type ReportDatabase = IDBPDatabase<ReportDb>;

export function openReportDatabase(factory: IDBFactory = indexedDB): Promise<ReportDatabase> {
  const request = factory.open(REPORT_DATABASE_NAME, REPORT_DATABASE_VERSION);
  request.addEventListener('upgradeneeded', (event) => {
    const db = wrap(request.result) as unknown as ReportDatabase;
    if (event.oldVersion < 1) db.createObjectStore('reports', { keyPath: 'id' });
  });
  return wrap(request) as Promise<ReportDatabase>;
}

/** The part of `browser.alarms` the queue uses; the real API and WXT's fake both fit. */
export interface AlarmsApi {
  create(name: string, info: { when: number }): Promise<void> | void;
  clear(name: string): Promise<boolean>;
  onAlarm: {
    addListener(listener: (alarm: { name: string }) => void): void;
    removeListener(listener: (alarm: { name: string }) => void): void;
  };
}

export interface ReportQueueDeps {
  /** Opened on first use, so a worker can build the queue (and its listener) synchronously; retried after a failure. */
  readonly openDatabase: () => Promise<ReportDatabase>;
  readonly fetch: typeof fetch;
  readonly alarms: AlarmsApi;
  /** The endpoint in force now (managed `reportEndpoint`, else the person's), or null. */
  readonly endpoint: () => Promise<string | null>;
  readonly now: () => number;
  /** In [0, 1): the jitter. */
  readonly random: () => number;
  readonly options?: Partial<QueueOptions>;
}

/**
 * The wait before retry number `attempt` (1 = first retry): base × 2^(attempt−1), capped, then
 * scaled into [½, 1] of itself by `random` ("equal jitter"), so clients that failed together
 * spread out but none retries sooner than half the schedule.
 */
export function retryDelay(attempt: number, random: number, options: Pick<QueueOptions, 'baseDelayMs' | 'maxDelayMs'>): number {
  const exponential = options.baseDelayMs * 2 ** Math.max(0, Math.min(attempt - 1, 30));
  const capped = Math.min(options.maxDelayMs, exponential);
  const unit = Math.min(Math.max(random, 0), 1);
  return Math.round(capped / 2 + (capped / 2) * unit);
}

function toStatus(record: StoredReport): ReportStatus {
  return {
    id: record.id,
    state: record.state,
    kind: record.document.kind,
    host: record.document.host,
    createdAt: record.createdAt,
    attempts: record.attempts,
    ...(record.state === 'queued' && { nextAttemptAt: record.nextAttemptAt }),
    ...(record.lastError !== undefined && { lastError: record.lastError }),
    ...(record.sentAt !== undefined && { sentAt: record.sentAt }),
  };
}

type AttemptOutcome = { readonly delivered: true } | { readonly delivered: false; readonly error: string; readonly permanent: boolean };

export function createReportQueue(deps: ReportQueueDeps) {
  const options: QueueOptions = { ...DEFAULT_QUEUE_OPTIONS, ...deps.options };
  const { now } = deps;
  let opening: Promise<ReportDatabase> | null = null;
  const database = (): Promise<ReportDatabase> => {
    opening ??= deps.openDatabase().catch((cause: unknown) => {
      opening = null;
      throw cause;
    });
    return opening;
  };
  const listeners = new Set<(status: ReportStatus) => void>();
  let flushing: Promise<void> | null = null;
  let flushAgain = false;

  const notify = (record: StoredReport) => {
    const status = toStatus(record);
    for (const listener of listeners) listener(status);
  };

  /** All valid records; a record that no longer parses is left alone, never sent. */
  const loadAll = async (): Promise<StoredReport[]> => {
    const records: StoredReport[] = [];
    for (const raw of await (await database()).getAll('reports')) {
      const parsed = storedReportSchema().safeParse(raw);
      if (parsed.success) records.push(parsed.data);
    }
    return records;
  };

  /** Claims a due report for one attempt, atomically; null when it is not due or already held. */
  const claim = async (id: string): Promise<StoredReport | null> => {
    const tx = (await database()).transaction('reports', 'readwrite');
    const parsed = storedReportSchema().safeParse(await tx.store.get(id));
    const at = now();
    if (!parsed.success || parsed.data.state !== 'queued' || parsed.data.nextAttemptAt > at || parsed.data.leaseUntil > at) {
      await tx.done;
      return null;
    }
    const claimed: StoredReport = { ...parsed.data, attempts: parsed.data.attempts + 1, lastAttemptAt: at, leaseUntil: at + options.leaseMs };
    await tx.store.put(claimed);
    await tx.done;
    return claimed;
  };

  const settle = async (claimed: StoredReport, outcome: AttemptOutcome, endpoint: string | null): Promise<void> => {
    const tx = (await database()).transaction('reports', 'readwrite');
    const parsed = storedReportSchema().safeParse(await tx.store.get(claimed.id));
    // Removed by the person while in flight: nothing to record.
    if (!parsed.success) {
      await tx.done;
      return;
    }
    const { lastError: _previous, ...current } = parsed.data;
    const at = now();
    let next: StoredReport;
    if (outcome.delivered) {
      next = { ...current, state: 'sent', leaseUntil: 0, sentAt: at, ...(endpoint && { sentTo: endpoint }) };
    } else if (outcome.permanent || current.attempts >= options.maxAttempts) {
      const why = outcome.permanent ? outcome.error : `${outcome.error} Gave up after ${current.attempts} attempts.`;
      next = { ...current, state: 'failed', leaseUntil: 0, lastError: why.slice(0, 500) };
    } else {
      const nextAttemptAt = at + retryDelay(current.attempts, deps.random(), options);
      next = { ...current, state: 'queued', leaseUntil: 0, nextAttemptAt, lastError: outcome.error.slice(0, 500) };
    }
    await tx.store.put(next);
    await tx.done;
    notify(next);
  };

  const attempt = async (record: StoredReport, endpoint: string | null): Promise<AttemptOutcome> => {
    if (endpoint === null) return { delivered: false, error: 'No report endpoint is configured.', permanent: false };
    const checked = parseReportEndpoint(endpoint);
    if (!checked.ok) return { delivered: false, error: checked.error, permanent: false };
    let response: Response;
    try {
      response = await deps.fetch(checked.value, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(record.document),
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
        referrerPolicy: 'no-referrer',
        signal: AbortSignal.timeout(options.requestTimeoutMs),
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      const why = name === 'TimeoutError' ? `No answer within ${options.requestTimeoutMs / 1000} s.` : 'The endpoint could not be reached.';
      return { delivered: false, error: why, permanent: false };
    }
    // A receiver that already holds this id may answer 409: it has the report, which is the point.
    if (response.ok || response.status === 409) return { delivered: true };
    const transient = response.status === 408 || response.status === 425 || response.status === 429 || response.status >= 500;
    return {
      delivered: false,
      error: transient ? `The endpoint answered HTTP ${response.status}; will retry.` : `The endpoint refused the report: HTTP ${response.status}.`,
      permanent: !transient,
    };
  };

  /** Arms the one alarm for the earliest queued report, or clears it when none waits. */
  const schedule = async (): Promise<void> => {
    const pending = (await loadAll()).filter((record) => record.state === 'queued');
    if (pending.length === 0) {
      await deps.alarms.clear(REPORT_ALARM);
      return;
    }
    const due = Math.min(...pending.map((record) => Math.max(record.nextAttemptAt, record.leaseUntil)));
    await deps.alarms.create(REPORT_ALARM, { when: Math.max(due, now()) });
  };

  const flushOnce = async (): Promise<void> => {
    const at = now();
    const due = (await loadAll())
      .filter((record) => record.state === 'queued' && record.nextAttemptAt <= at && record.leaseUntil <= at)
      .sort((a, b) => a.createdAt - b.createdAt);
    if (due.length > 0) {
      const endpoint = await deps.endpoint();
      for (const candidate of due) {
        const claimed = await claim(candidate.id);
        if (!claimed) continue;
        notify(claimed);
        await settle(claimed, await attempt(claimed, endpoint), endpoint);
      }
    }
    await schedule();
  };

  /**
   * Attempts every due report, one at a time. A trigger while a flush runs (an alarm, a new
   * report) makes that flush run once more instead of starting a second one beside it.
   */
  const flush = (): Promise<void> => {
    if (flushing) {
      flushAgain = true;
      return flushing;
    }
    flushing = (async () => {
      try {
        do {
          flushAgain = false;
          await flushOnce();
        } while (flushAgain);
      } finally {
        flushing = null;
      }
    })();
    return flushing;
  };

  /**
   * Stores a new report in one transaction with the cap check, so two reports made at once
   * cannot both take the last place. Room is made by dropping damaged records, then the oldest
   * sent ones, then the oldest failed ones; a report still waiting is never dropped.
   */
  const insert = async (record: StoredReport): Promise<Result<StoredReport, string>> => {
    const tx = (await database()).transaction('reports', 'readwrite');
    const existing = await tx.store.get(record.id);
    if (existing !== undefined) {
      await tx.done;
      const parsed = storedReportSchema().safeParse(existing);
      return parsed.success ? ok(parsed.data) : err('A damaged report with this id is already stored.');
    }
    const all = await tx.store.getAll();
    const excess = all.length + 1 - options.cap;
    if (excess > 0) {
      const rank = (raw: unknown): number => {
        const parsed = storedReportSchema().safeParse(raw);
        if (!parsed.success) return 0;
        return parsed.data.state === 'sent' ? 1 : parsed.data.state === 'failed' ? 2 : Infinity;
      };
      const removable = all
        .map((raw) => ({ raw, rank: rank(raw) }))
        .filter((entry) => entry.rank !== Infinity)
        .sort((a, b) => a.rank - b.rank || (a.raw.createdAt ?? 0) - (b.raw.createdAt ?? 0));
      if (removable.length < excess) {
        await tx.done;
        return err(`The report queue is full: ${options.cap} reports are still waiting to be sent.`);
      }
      for (const { raw } of removable.slice(0, excess)) await tx.store.delete(raw.id);
    }
    await tx.store.put(record);
    await tx.done;
    return ok(record);
  };

  /** Flushes for a trigger nobody awaits (an alarm, a new report); a storage error ends that flush only. */
  const trigger = () => {
    flush().catch(() => undefined);
  };

  const onAlarm = (alarm: { name: string }) => {
    if (alarm.name === REPORT_ALARM) trigger();
  };

  return {
    /**
     * Registers the alarm listener (synchronously, as a service worker must on every start) and
     * resumes: due reports are attempted, and the alarm is armed for the rest.
     */
    start(): Promise<void> {
      deps.alarms.onAlarm.addListener(onAlarm);
      return flush();
    },

    stop(): void {
      deps.alarms.onAlarm.removeListener(onAlarm);
    },

    /**
     * Stores the report, then attempts it at once. Refused, with a sentence, when the document
     * does not validate, when no endpoint is configured (the person can still copy or export
     * it), or when the queue is full of reports still waiting.
     */
    async enqueue(document: ReportDocument): Promise<Result<ReportStatus, string>> {
      const parsed = reportDocumentSchema.safeParse(document);
      if (!parsed.success) return err('This report is not a valid RelayGuard report.');
      const endpoint = await deps.endpoint();
      if (endpoint === null) return err('No report endpoint is configured.');
      const checked = parseReportEndpoint(endpoint);
      if (!checked.ok) return err(checked.error);
      const at = now();
      let stored: Result<StoredReport, string>;
      try {
        stored = await insert({ id: parsed.data.id, document: parsed.data, state: 'queued', createdAt: at, attempts: 0, nextAttemptAt: at, leaseUntil: 0 });
      } catch {
        return err('The report could not be stored; nothing was sent. Try again, or copy it.');
      }
      if (!stored.ok) return stored;
      notify(stored.value);
      trigger();
      return ok(toStatus(stored.value));
    },

    flush,

    /** Resolves when no flush is running: the explicit signal that every due attempt was made. */
    whenIdle(): Promise<void> {
      return flushing ? flushing.catch(() => undefined) : Promise.resolve();
    },

    /** Every stored report's state, newest first. */
    async list(): Promise<ReportStatus[]> {
      return (await loadAll()).sort((a, b) => b.createdAt - a.createdAt).map(toStatus);
    },

    async get(id: string): Promise<ReportStatus | null> {
      const parsed = storedReportSchema().safeParse(await (await database()).get('reports', id));
      return parsed.success ? toStatus(parsed.data) : null;
    },

    /** The stored document itself, for "copy" and "export". */
    async document(id: string): Promise<ReportDocument | null> {
      const parsed = storedReportSchema().safeParse(await (await database()).get('reports', id));
      return parsed.success ? parsed.data.document : null;
    },

    /** Puts a failed report back in the queue, attempted at once. */
    async retry(id: string): Promise<Result<ReportStatus, string>> {
      const tx = (await database()).transaction('reports', 'readwrite');
      const parsed = storedReportSchema().safeParse(await tx.store.get(id));
      if (!parsed.success || parsed.data.state !== 'failed') {
        await tx.done;
        return err('Only a failed report can be sent again.');
      }
      const record: StoredReport = { ...parsed.data, state: 'queued', attempts: 0, nextAttemptAt: now(), leaseUntil: 0 };
      await tx.store.put(record);
      await tx.done;
      notify(record);
      trigger();
      return ok(toStatus(record));
    },

    /** Forgets a report; one in flight is still settled by nobody (its record is gone). */
    async remove(id: string): Promise<boolean> {
      const tx = (await database()).transaction('reports', 'readwrite');
      const existed = (await tx.store.getKey(id)) !== undefined;
      if (existed) await tx.store.delete(id);
      await tx.done;
      if (existed) await schedule();
      return existed;
    },

    /** Called with a report's new state whenever it changes; returns the unsubscribe. */
    onChange(listener: (status: ReportStatus) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
export type ReportQueue = ReturnType<typeof createReportQueue>;
