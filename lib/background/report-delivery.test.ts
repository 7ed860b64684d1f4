import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { commitPage } from '../../tests/support/extension-apis.ts';
import { KEY_OF_EVERY_FORMAT } from '../../tests/support/key-formats.ts';
import { startCollector, type Collector } from '../../tests/support/report-collector.ts';
import { ask, startTestBackground, type TestBackground, refusal } from '../../tests/support/test-background.ts';
import type { Sender } from './message-router.ts';
import { REPORT_ALARM } from '../reports/report-queue.ts';

// The worker exactly as createBackground wires it, over fakes of the browser APIs and a real
// HTTP collector on 127.0.0.1. Only Date is faked: the queue keeps time through it.
const T0 = Date.UTC(2026, 11, 3, 5, 0, 0);
const EXTENSION_ORIGIN = 'chrome-extension://test-extension-id';
const KEY = KEY_OF_EVERY_FORMAT['openai-project'];

let factory: IDBFactory;
let collector: Collector;
let worker: TestBackground;
let problems: string[];

const popup = (): Sender => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html'), origin: EXTENSION_ORIGIN });

async function startWorker(): Promise<void> {
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({ manifest_version: 3, name: 'RelayGuard', version: '0.1.0' });
  worker = startTestBackground({ indexedDB: factory, now: () => new Date(), reports: problems });
  await worker.registry.ready();
  await worker.reportQueue.whenIdle();
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  fakeBrowser.reset();
  factory = new IDBFactory();
  collector = await startCollector();
  problems = [];
  await fakeBrowser.storage.managed.set({ blocklist: ['relay.example'] });
});

afterEach(async () => {
  worker.reportQueue.stop();
  await worker.reportQueue.whenIdle();
  await collector.close();
  vi.useRealTimers();
});

describe('report delivery in the worker', () => {
  test('registers its alarm listener while the worker is built', () => {
    worker = startTestBackground({ indexedDB: factory, reports: problems });
    expect(fakeBrowser.alarms.onAlarm.hasListeners()).toBe(true);
  });

  test('the preview is the document that arrives: redacted, with the contract fields', async () => {
    await startWorker();
    await commitPage(worker.tabs, 7, `https://me:${KEY}@relay.example/console/${KEY}?key=${KEY}#t=${KEY}`, T0);
    expect(await ask({ type: 'report/set-endpoint', endpoint: collector.url }, popup())).toEqual({ endpoint: collector.url, managed: false, reports: [] });

    const preview = await ask({ type: 'report/preview', tabId: 7, kind: 'relay', note: `it took my key ${KEY}` }, popup());
    expect(preview).toMatchObject({
      schema: 'relayguard.report/1',
      kind: 'relay',
      host: 'relay.example',
      url: 'https://relay.example/console/[redacted]',
      level: 'blocked',
      extensionVersion: '0.1.0',
      reportedAt: new Date(T0).toISOString(),
      note: 'it took my key [redacted]',
    });
    expect(preview.reasons.length).toBeGreaterThan(0);
    expect(preview.lists.length).toBeGreaterThan(0);
    expect(JSON.stringify(preview)).not.toContain(KEY.slice(8, 20));

    const status = await ask({ type: 'report/send', document: preview }, popup());
    expect(status).toMatchObject({ id: preview.id, state: 'queued' });
    await worker.reportQueue.whenIdle();
    expect(collector.requests.map((request) => JSON.parse(request.body))).toEqual([preview]);
    expect(await ask({ type: 'report/state' }, popup())).toMatchObject({ endpoint: collector.url, managed: false, reports: [{ id: preview.id, state: 'sent' }] });
  });

  test('without an endpoint the preview still works and sending says why it cannot', async () => {
    await startWorker();
    await commitPage(worker.tabs, 7, 'https://relay.example/', T0);
    const preview = await ask({ type: 'report/preview', tabId: 7, kind: 'false-positive' }, popup());
    expect(await refusal(ask({ type: 'report/send', document: preview }, popup()))).toBe('No report endpoint is configured.');
    expect(await ask({ type: 'report/state' }, popup())).toEqual({ endpoint: null, managed: false, reports: [] });
    expect(collector.requests).toEqual([]);
  });

  test('a tab RelayGuard has not seen has nothing to report', async () => {
    await startWorker();
    expect(await refusal(ask({ type: 'report/preview', tabId: 99, kind: 'relay' }, popup()))).toBe('RelayGuard has seen nothing in this tab to report.');
  });

  test('the managed reportEndpoint wins and cannot be changed; a bad one is reported and ignored', async () => {
    await fakeBrowser.storage.managed.set({ reportEndpoint: collector.url });
    await startWorker();
    expect(await ask({ type: 'report/state' }, popup())).toEqual({ endpoint: collector.url, managed: true, reports: [] });
    expect(await refusal(ask({ type: 'report/set-endpoint', endpoint: 'https://mine.example/r' }, popup()))).toBe(
      'Your organisation sets where reports go; it cannot be changed here.',
    );

    await fakeBrowser.storage.managed.set({ reportEndpoint: 'http://collector.example/plain-http' });
    expect(await ask({ type: 'report/state' }, popup())).toEqual({ endpoint: null, managed: false, reports: [] });
    expect(problems).toContain('Managed policy: reportEndpoint: The report endpoint must be an https URL (http only on this machine).');
  });

  test('a person’s endpoint must be https (or on this machine); null removes it', async () => {
    await startWorker();
    expect(await refusal(ask({ type: 'report/set-endpoint', endpoint: 'http://collector.example/' }, popup()))).toBe(
      'The report endpoint must be an https URL (http only on this machine).',
    );
    await ask({ type: 'report/set-endpoint', endpoint: 'https://collector.example/r' }, popup());
    expect(await ask({ type: 'report/set-endpoint', endpoint: null }, popup())).toEqual({ endpoint: null, managed: false, reports: [] });
  });

  test('with the collector down a report stays queued across a restart, then is delivered once', async () => {
    collector.fallback = 503;
    await startWorker();
    await commitPage(worker.tabs, 7, 'https://relay.example/', T0);
    await ask({ type: 'report/set-endpoint', endpoint: collector.url }, popup());
    const preview = await ask({ type: 'report/preview', tabId: 7, kind: 'relay' }, popup());
    await ask({ type: 'report/send', document: preview }, popup());
    await worker.reportQueue.whenIdle();
    const [queued] = (await ask({ type: 'report/state' }, popup())).reports;
    expect(queued).toMatchObject({ state: 'queued', attempts: 1, lastError: 'The endpoint answered HTTP 503; will retry.' });

    // The worker stops; the browser restarts (alarms and listeners gone, local storage kept).
    worker.reportQueue.stop();
    fakeBrowser.runtime.onMessage.removeAllListeners();
    fakeBrowser.alarms.onAlarm.removeAllListeners();
    await fakeBrowser.alarms.clearAll();
    collector.fallback = 200;
    await startWorker();
    const alarm = await fakeBrowser.alarms.get(REPORT_ALARM);
    expect(alarm?.scheduledTime).toBe(queued?.nextAttemptAt);

    vi.setSystemTime(alarm!.scheduledTime);
    await fakeBrowser.alarms.clear(REPORT_ALARM);
    await fakeBrowser.alarms.onAlarm.trigger(alarm!);
    await worker.reportQueue.whenIdle();
    expect(collector.requests.map((request) => request.id)).toEqual([preview.id, preview.id]);
    expect((await ask({ type: 'report/state' }, popup())).reports).toMatchObject([{ id: preview.id, state: 'sent', attempts: 2 }]);
  });
});
