import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startCollector, type Collector } from '../../tests/support/report-collector.ts';
import { buildReport, newReportId, type ReportDocument } from './report-document.ts';
import {
  createReportQueue,
  DEFAULT_QUEUE_OPTIONS,
  openReportDatabase,
  REPORT_ALARM,
  retryDelay,
  type QueueOptions,
  type ReportDatabase,
  type ReportQueue,
} from './report-queue.ts';

// Only Date is faked: the queue keeps time through `now` and alarms, never through timers, and
// fake-indexeddb and the collector's sockets need the real event loop.
const T0 = Date.UTC(2026, 11, 3, 4, 0, 0);
const JITTER = 0.5;

let factory: IDBFactory;
let collector: Collector;
const queues: ReportQueue[] = [];
const databases: ReportDatabase[] = [];

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  fakeBrowser.reset();
  factory = new IDBFactory();
  collector = await startCollector();
});

afterEach(async () => {
  for (const queue of queues.splice(0)) {
    queue.stop();
    await queue.whenIdle();
  }
  for (const db of databases.splice(0)) db.close();
  await collector.close();
  vi.useRealTimers();
});

function report(note?: string): ReportDocument {
  const built = buildReport(
    {
      url: 'https://relay.example/console/token',
      title: 'New API',
      level: 'unvetted',
      reasons: [{ source: 'gateway-meta-description', detail: 'stock description' }],
      endpoints: [],
      lists: [{ name: 'RelayGuard built-in', version: '1' }],
    },
    { kind: 'relay', ...(note && { note }) },
    { id: newReportId(), now: Date.now(), extensionVersion: '0.1.0' },
  );
  if (!built.ok) throw new Error(built.error);
  return built.value;
}

interface Setup {
  endpoint?: string | null;
  fetch?: typeof fetch;
  options?: Partial<QueueOptions>;
}

async function openQueue(setup: Setup = {}): Promise<ReportQueue> {
  const db = await openReportDatabase(factory);
  databases.push(db);
  const endpoint = setup.endpoint === undefined ? collector.url : setup.endpoint;
  const queue = createReportQueue({
    openDatabase: async () => db,
    fetch: setup.fetch ?? ((input, init) => fetch(input, init)),
    alarms: fakeBrowser.alarms,
    endpoint: async () => endpoint,
    now: () => Date.now(),
    random: () => JITTER,
    ...(setup.options && { options: setup.options }),
  });
  queues.push(queue);
  return queue;
}

async function advance(ms: number): Promise<void> {
  vi.setSystemTime(Date.now() + ms);
}

/** Fires the report alarm as Chrome does once its time has come: a one-shot alarm is then gone. */
async function fireAlarmIfDue(queue: ReportQueue): Promise<boolean> {
  const alarm = await fakeBrowser.alarms.get(REPORT_ALARM);
  if (!alarm || alarm.scheduledTime > Date.now()) return false;
  await fakeBrowser.alarms.clear(REPORT_ALARM);
  await fakeBrowser.alarms.onAlarm.trigger(alarm);
  await queue.whenIdle();
  return true;
}

async function enqueue(queue: ReportQueue, document = report()) {
  const result = await queue.enqueue(document);
  if (!result.ok) throw new Error(result.error);
  await queue.whenIdle();
  return document;
}

describe('retryDelay', () => {
  test('doubles from the base, capped, with equal jitter between half and all of it', () => {
    const options = { baseDelayMs: 30_000, maxDelayMs: 6 * 3_600_000 };
    const lowest = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((attempt) => retryDelay(attempt, 0, options));
    const highest = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((attempt) => retryDelay(attempt, 1, options));
    expect(lowest).toEqual([15_000, 30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_840_000, 7_680_000, 10_800_000]);
    expect(highest).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_840_000, 7_680_000, 15_360_000, 21_600_000]);
    expect(retryDelay(3, 0.5, options)).toBe(90_000);
    expect(retryDelay(1_000, 0.5, options)).toBe(16_200_000);
  });
});

describe('delivery', () => {
  test('the report is in IndexedDB before the POST, which carries exactly the document as JSON', async () => {
    const queue = await openQueue();
    const held = collector.hold();
    const document = report('seen on a forum');
    const result = await queue.enqueue(document);
    expect(result).toMatchObject({ ok: true, value: { id: document.id, state: 'queued' } });
    await held.arrived;

    // A second connection sees the stored record while the request is still open.
    const other = await openReportDatabase(factory);
    databases.push(other);
    expect(await other.get('reports', document.id)).toMatchObject({ state: 'queued', attempts: 1, document });

    held.release();
    await queue.whenIdle();
    expect(collector.requests).toHaveLength(1);
    const [request] = collector.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.cookie).toBeUndefined();
    expect(request?.headers.authorization).toBeUndefined();
    expect(JSON.parse(request?.body ?? '')).toEqual(document);
    expect(await queue.get(document.id)).toMatchObject({ state: 'sent', attempts: 1, sentAt: T0 });
    expect(await fakeBrowser.alarms.get(REPORT_ALARM)).toBeUndefined();
  });

  test('backoff: each failure waits its turn on the alarm, then the report is sent once', async () => {
    collector.answer(503, 502, 429);
    const queue = await openQueue();
    await queue.start();
    const document = await enqueue(queue);
    const schedule: number[] = [];

    for (let retry = 1; retry <= 3; retry++) {
      const status = await queue.get(document.id);
      expect(status).toMatchObject({ state: 'queued', attempts: retry });
      const wait = retryDelay(retry, JITTER, DEFAULT_QUEUE_OPTIONS);
      expect(status?.nextAttemptAt).toBe(Date.now() + wait);
      expect((await fakeBrowser.alarms.get(REPORT_ALARM))?.scheduledTime).toBe(Date.now() + wait);
      schedule.push(wait);

      // Not yet due: the alarm does not fire and nothing is sent.
      await advance(wait - 1);
      expect(await fireAlarmIfDue(queue)).toBe(false);
      await queue.flush();
      expect(collector.requests).toHaveLength(retry);

      await advance(1);
      expect(await fireAlarmIfDue(queue)).toBe(true);
      expect(collector.requests).toHaveLength(retry + 1);
    }
    expect(schedule).toEqual([22_500, 45_000, 90_000]);
    expect(await queue.get(document.id)).toMatchObject({ state: 'sent', attempts: 4 });
    expect(collector.requests.map((request) => request.id)).toEqual([document.id, document.id, document.id, document.id]);
    expect(await fakeBrowser.alarms.get(REPORT_ALARM)).toBeUndefined();
  });

  test('the last failure stays visible while the report waits', async () => {
    collector.answer(503);
    const queue = await openQueue();
    const document = await enqueue(queue);
    expect(await queue.get(document.id)).toMatchObject({ state: 'queued', lastError: 'The endpoint answered HTTP 503; will retry.' });
  });

  test('an unreachable endpoint is a reason to retry, with that reason shown', async () => {
    const queue = await openQueue({ endpoint: 'http://127.0.0.1:9/reports' });
    const document = await enqueue(queue);
    expect(await queue.get(document.id)).toMatchObject({ state: 'queued', attempts: 1, lastError: 'The endpoint could not be reached.' });
  });
});

describe('delivered once', () => {
  test('concurrent triggers while a delivery is in flight make no second request', async () => {
    const queue = await openQueue();
    await queue.start();
    const held = collector.hold();
    const document = report();
    await queue.enqueue(document);
    await held.arrived;

    // Everything that can trigger a delivery, at once, while the first request is open.
    await advance(DEFAULT_QUEUE_OPTIONS.baseDelayMs);
    const triggers = [queue.flush(), queue.flush(), queue.enqueue(document), queue.start()];
    await fakeBrowser.alarms.onAlarm.trigger({ name: REPORT_ALARM, scheduledTime: Date.now(), persistAcrossSessions: true });
    held.release();
    await Promise.all(triggers);
    await queue.whenIdle();

    await advance(DEFAULT_QUEUE_OPTIONS.maxDelayMs);
    await fakeBrowser.alarms.onAlarm.trigger({ name: REPORT_ALARM, scheduledTime: Date.now(), persistAcrossSessions: true });
    await queue.flush();
    expect(collector.requests).toHaveLength(1);
    expect(collector.maxInFlightPerId()).toBe(1);
    expect(await queue.get(document.id)).toMatchObject({ state: 'sent', attempts: 1 });
  });

  test('two queue instances on one database: the claim lets only one deliver', async () => {
    const first = await openQueue();
    const second = await openQueue();
    const held = collector.hold();
    const document = report();
    await first.enqueue(document);
    await held.arrived;
    await second.start();
    held.release();
    await Promise.all([first.whenIdle(), second.whenIdle()]);
    await second.flush();
    expect(collector.requests).toHaveLength(1);
    expect(await second.get(document.id)).toMatchObject({ state: 'sent' });
  });

  test('two instances flushing in the same moment: one claims, the other finds it held', async () => {
    collector.answer(503);
    const first = await openQueue();
    const second = await openQueue();
    const document = await enqueue(first);
    await advance(retryDelay(1, JITTER, DEFAULT_QUEUE_OPTIONS));
    const held = collector.hold();
    const both = Promise.all([first.flush(), second.flush(), first.flush(), second.flush()]);
    await held.arrived;
    held.release();
    await both;
    expect(collector.requests.map((request) => request.id)).toEqual([document.id, document.id]);
    expect(collector.maxInFlightPerId()).toBe(1);
    expect(await first.get(document.id)).toMatchObject({ state: 'sent', attempts: 2 });
  });

  test('retries carry the same id, and a 409 from a receiver that has it counts as delivered', async () => {
    collector.answer(500, 409);
    const queue = await openQueue();
    const document = await enqueue(queue);
    await advance(retryDelay(1, JITTER, DEFAULT_QUEUE_OPTIONS));
    await queue.flush();
    expect(collector.requests.map((request) => request.id)).toEqual([document.id, document.id]);
    expect(await queue.get(document.id)).toMatchObject({ state: 'sent', attempts: 2 });
  });
});

describe('restarts', () => {
  test('a new queue on the same database resumes: alarm re-armed, delivered once when due', async () => {
    collector.fallback = 503;
    const before = await openQueue();
    await before.start();
    const document = await enqueue(before);
    const due = (await before.get(document.id))?.nextAttemptAt ?? 0;
    before.stop();
    databases.splice(0).forEach((db) => db.close());
    // The browser restarted and dropped its alarms.
    await fakeBrowser.alarms.clearAll();

    collector.fallback = 200;
    const after = await openQueue();
    await after.start();
    expect(collector.requests).toHaveLength(1);
    expect((await fakeBrowser.alarms.get(REPORT_ALARM))?.scheduledTime).toBe(due);

    await advance(due - Date.now());
    expect(await fireAlarmIfDue(after)).toBe(true);
    await after.flush();
    expect(collector.requests).toHaveLength(2);
    expect(await after.get(document.id)).toMatchObject({ state: 'sent', attempts: 2 });
  });

  test('a worker that died mid-request holds the report only until its claim expires', async () => {
    const dead = await openQueue({ fetch: () => new Promise<Response>(() => undefined) });
    const document = report();
    await dead.enqueue(document);
    // The worker is gone: its request never settles and nothing awaits it.
    dead.stop();
    queues.splice(queues.indexOf(dead), 1);

    const alive = await openQueue();
    await alive.start();
    expect(collector.requests).toHaveLength(0);
    const alarm = await fakeBrowser.alarms.get(REPORT_ALARM);
    expect(alarm?.scheduledTime).toBe(T0 + DEFAULT_QUEUE_OPTIONS.leaseMs);

    await advance(DEFAULT_QUEUE_OPTIONS.leaseMs);
    expect(await fireAlarmIfDue(alive)).toBe(true);
    expect(collector.requests.map((request) => request.id)).toEqual([document.id]);
    expect(await alive.get(document.id)).toMatchObject({ state: 'sent', attempts: 2 });
  });
});

describe('failure and its reasons', () => {
  test('a refusal (4xx) fails at once with the status; retry() sends it again', async () => {
    collector.answer(422);
    const queue = await openQueue();
    const document = await enqueue(queue);
    expect(await queue.get(document.id)).toMatchObject({ state: 'failed', lastError: 'The endpoint refused the report: HTTP 422.' });
    expect(await fakeBrowser.alarms.get(REPORT_ALARM)).toBeUndefined();

    expect((await queue.retry(document.id)).ok).toBe(true);
    await queue.whenIdle();
    expect(await queue.get(document.id)).toMatchObject({ state: 'sent' });
    expect(await queue.retry(document.id)).toEqual({ ok: false, error: 'Only a failed report can be sent again.' });
  });

  test('after maxAttempts transient failures the report is failed, saying why', async () => {
    collector.fallback = 503;
    const queue = await openQueue({ options: { maxAttempts: 3 } });
    const document = await enqueue(queue);
    for (let retry = 1; retry < 3; retry++) {
      await advance(retryDelay(retry, JITTER, DEFAULT_QUEUE_OPTIONS));
      await queue.flush();
    }
    expect(collector.requests).toHaveLength(3);
    expect(await queue.get(document.id)).toMatchObject({
      state: 'failed',
      attempts: 3,
      lastError: 'The endpoint answered HTTP 503; will retry. Gave up after 3 attempts.',
    });
  });

  test('without an endpoint nothing is stored, and the person is told', async () => {
    const queue = await openQueue({ endpoint: null });
    expect(await queue.enqueue(report())).toEqual({ ok: false, error: 'No report endpoint is configured.' });
    expect(await queue.list()).toEqual([]);
  });

  test('a database that fails to open is reported, nothing is sent, and the next use opens it again', async () => {
    const db = await openReportDatabase(factory);
    databases.push(db);
    let opens = 0;
    const queue = createReportQueue({
      openDatabase: async () => {
        opens++;
        if (opens === 1) throw new Error('quota');
        return db;
      },
      fetch: (input, init) => fetch(input, init),
      alarms: fakeBrowser.alarms,
      endpoint: async () => collector.url,
      now: () => Date.now(),
      random: () => JITTER,
    });
    queues.push(queue);
    expect(await queue.enqueue(report())).toEqual({ ok: false, error: 'The report could not be stored; nothing was sent. Try again, or copy it.' });
    expect(collector.requests).toHaveLength(0);
    const document = await enqueue(queue);
    expect(await queue.get(document.id)).toMatchObject({ state: 'sent' });
    expect(opens).toBe(2);
  });

  test('a document that fails the schema is refused before it is stored', async () => {
    const queue = await openQueue();
    const bad = { ...report(), note: 'password=hunter2' };
    expect((await queue.enqueue(bad)).ok).toBe(false);
    expect(await queue.list()).toEqual([]);
  });
});

describe('the cap', () => {
  test('finished reports make room, oldest sent first; a queue full of waiting reports refuses more', async () => {
    const queue = await openQueue({ options: { cap: 3 } });
    const sent = await enqueue(queue);
    await advance(1);
    collector.answer(422);
    const failed = await enqueue(queue);
    collector.fallback = 503;
    await advance(1);
    const waiting = await enqueue(queue);

    await advance(1);
    const fourth = await enqueue(queue);
    expect((await queue.list()).map((status) => status.id)).toEqual([fourth.id, waiting.id, failed.id]);
    await advance(1);
    const fifth = await enqueue(queue);
    expect((await queue.list()).map((status) => status.id)).toEqual([fifth.id, fourth.id, waiting.id]);

    const refused = await queue.enqueue(report());
    expect(refused).toEqual({ ok: false, error: 'The report queue is full: 3 reports are still waiting to be sent.' });
    expect((await queue.list()).map((status) => status.state)).toEqual(['queued', 'queued', 'queued']);
    expect(sent.id).not.toBe(fifth.id);
  });

  test('the same report enqueued twice is stored once', async () => {
    const queue = await openQueue();
    const document = await enqueue(queue);
    expect(await queue.enqueue(document)).toMatchObject({ ok: true, value: { id: document.id, state: 'sent' } });
    expect(await queue.list()).toHaveLength(1);
    expect(collector.requests).toHaveLength(1);
  });
});

describe('visible state', () => {
  test('onChange reports each state a report passes through', async () => {
    collector.answer(503);
    const queue = await openQueue();
    const seen: string[] = [];
    queue.onChange((status) => seen.push(`${status.state}:${status.attempts}`));
    const document = await enqueue(queue);
    await advance(retryDelay(1, JITTER, DEFAULT_QUEUE_OPTIONS));
    await queue.flush();
    expect(seen).toEqual(['queued:0', 'queued:1', 'queued:1', 'queued:2', 'sent:2']);
    expect(await queue.document(document.id)).toEqual(document);
  });

  test('a damaged record is listed by nobody and sent to nobody', async () => {
    const queue = await openQueue();
    const db = databases[0]!;
    await db.put('reports', { id: 'broken', state: 'queued' } as never);
    await queue.flush();
    expect(await queue.list()).toEqual([]);
    expect(collector.requests).toHaveLength(0);
  });
});
