import { afterAll, beforeAll } from 'vitest';
import { sampleKeys } from '../support/generated-keys.ts';
import { startCollector, type Collector } from '../support/report-collector.ts';
import { pollUntil } from './support/poll.ts';
import type { PopupPage } from './support/popup-page.ts';
import { HOSTS } from './support/sites.ts';
import { expect, test } from './support/fixtures.ts';

/**
 * Reports in the real browser: the service worker builds the preview, stores the report, POSTs
 * it to a collector on 127.0.0.1 and, when the collector is down, retries through `alarms`
 * after the worker was stopped. The popup's report form belongs to the popup; these requests
 * are the ones that form sends (lib/protocol/messages.ts), made from the popup page itself.
 * In its own file: it stops the service worker.
 */

declare const chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } };

const KEY = sampleKeys.openai;

interface Envelope<T> {
  readonly ok: boolean;
  readonly data: T;
  readonly error?: string;
}

interface ReportView {
  readonly id: string;
  readonly [field: string]: unknown;
}

interface StateView {
  readonly endpoint: string | null;
  readonly reports: readonly { id: string; state: string; attempts: number; lastError?: string }[];
}

async function ask<T>(popup: PopupPage, request: object): Promise<T> {
  const answer = (await popup.page.evaluate((message) => chrome.runtime.sendMessage(message), request)) as Envelope<T>;
  if (!answer.ok) throw new Error(`${JSON.stringify(request)} was refused: ${answer.error}`);
  return answer.data;
}

let collector: Collector;
/**
 * The browser resolves every host but `localhost` through the fixture rules (support/browser.ts),
 * so the worker reaches the collector by that name.
 */
let collectorUrl: string;

beforeAll(async () => {
  collector = await startCollector();
  collectorUrl = collector.url.replace('127.0.0.1', 'localhost');
});

afterAll(async () => {
  await collector.close();
});

test('a report from a relay tab arrives at the collector with the contract fields and no secret', async ({ openSite, openPopup }) => {
  const page = await openSite(`http://${HOSTS.oneApi}/?key=${KEY}#access_token=${KEY}`);
  const popup = await openPopup(page);
  await popup.waitForLevel('unvetted');

  await ask(popup, { type: 'report/set-endpoint', endpoint: collectorUrl });
  const preview = await ask<ReportView>(popup, { type: 'report/preview', tabId: popup.tabId, kind: 'relay', note: `it asked for ${KEY}` });
  await ask(popup, { type: 'report/send', document: preview });

  const [arrived] = await pollUntil(
    async () => collector.requests.filter((request) => request.id === preview.id),
    (requests) => requests.length > 0,
    { timeout: 15_000, message: 'the report never reached the collector' },
  );
  expect(arrived?.headers['content-type']).toBe('application/json');
  expect(arrived?.headers.cookie).toBeUndefined();
  const document = JSON.parse(arrived?.body ?? '{}') as Record<string, unknown>;
  expect(document).toEqual(preview);
  expect(document).toMatchObject({
    schema: 'relayguard.report/1',
    id: preview.id,
    kind: 'relay',
    host: HOSTS.oneApi,
    level: 'unvetted',
    url: `http://${HOSTS.oneApi}/`,
  });
  expect(Array.isArray(document.reasons) && document.reasons.every((reason) => typeof reason === 'string')).toBe(true);
  expect(typeof document.extensionVersion).toBe('string');
  expect(new Date(String(document.reportedAt)).toISOString()).toBe(document.reportedAt);
  for (let i = 0; i + 8 <= KEY.length; i += 4) expect(arrived?.body).not.toContain(KEY.slice(i, i + 8));

  const state = await ask<StateView>(popup, { type: 'report/state' });
  expect(state.reports.find((report) => report.id === preview.id)).toMatchObject({ state: 'sent', attempts: 1 });
});

test(
  'with the collector down the report stays queued across a worker restart and is delivered once when it is back',
  { timeout: 120_000 },
  async ({ browser, openSite, openPopup }) => {
    const page = await openSite(`http://${HOSTS.oneApi}/`);
    const popup = await openPopup(page);
    await popup.waitForLevel('unvetted');
    await ask(popup, { type: 'report/set-endpoint', endpoint: collectorUrl });

    collector.fallback = 503;
    const preview = await ask<ReportView>(popup, { type: 'report/preview', tabId: popup.tabId, kind: 'relay' });
    await ask(popup, { type: 'report/send', document: preview });
    const queued = await pollUntil(
      async () => (await ask<StateView>(popup, { type: 'report/state' })).reports.find((report) => report.id === preview.id),
      (report) => report?.state === 'queued' && report.lastError !== undefined,
      { timeout: 15_000, message: 'the first attempt never failed visibly' },
    );
    expect(queued).toMatchObject({ attempts: 1, lastError: 'The endpoint answered HTTP 503; will retry.' });

    // The worker stops; only the alarm it left can wake it and deliver the report.
    const control = await browser.stopServiceWorker();
    expect(control.status).toBe('stopped');
    collector.fallback = 200;

    const deliveries = await pollUntil(
      async () => collector.requests.filter((request) => request.id === preview.id),
      (requests) => requests.length >= 2,
      { timeout: 60_000, interval: 500, message: 'the queued report was never retried after the worker restart' },
    );
    expect(deliveries).toHaveLength(2);
    const after = (await ask<StateView>(popup, { type: 'report/state' })).reports.find((report) => report.id === preview.id);
    expect(after).toMatchObject({ state: 'sent', attempts: 2 });
    expect(collector.requests.filter((request) => request.id === preview.id)).toHaveLength(2);
  },
);
