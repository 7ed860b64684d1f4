import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { sampleKeys } from '../support/generated-keys.ts';
import type { ExtensionBrowser } from './support/browser.ts';
import { WarningCard } from './support/in-page.ts';
import { interstitialScene } from './support/scenes.ts';
import { pollUntil } from './support/poll.ts';
import type { PopupPage } from './support/popup-page.ts';
import { HOSTS } from './support/sites.ts';
import { expect, test } from './support/fixtures.ts';
import { collectorForSuite } from './support/collector.ts';

/**
 * Reports in the real browser, made the way a person makes them: the endpoint set on the options
 * page, the report made in the popup's form (docs/test-contract.md "Reporting"). The service
 * worker builds the preview, stores the report in IndexedDB, POSTs it to a collector on
 * 127.0.0.1 and, when the collector is down, retries through `alarms` after the worker was
 * stopped. In its own file: it stops the service worker.
 *
 * Retry timing: the first retry is due 15–30 s after a failed attempt (report-queue.ts: 30 s
 * base, equal jitter), and the test waits for that real alarm to wake the stopped worker rather
 * than triggering anything itself: the alarm is what must survive the restart. Nothing else may
 * wake the worker meanwhile, so the popup (which polls the report's state) is closed first.
 */

const KEY = sampleKeys.openai;
/** expect.poll's own default (1 s) is too short for an extension page on a busy machine. */
const POLL = { timeout: 10_000 };

const reports = collectorForSuite();

/** Sets (or, with '', removes) the report endpoint on the options page, as a person would. */
async function setEndpoint(browser: ExtensionBrowser, endpoint: string): Promise<void> {
  const options = await browser.newPage(browser.extensionUrl('options.html'));
  const input = options.locator('[data-testid="report-endpoint"]');
  await expect.poll(() => input.isEnabled(), POLL).toBe(true);
  await input.fill(endpoint);
  await options.locator('[data-testid="report-endpoint-save"]').click();
  await options.getByText(endpoint ? `Reports go to ${endpoint}` : 'No report endpoint:').waitFor();
  await options.close();
}

/** Opens the popup's report form and waits for the preview the background built. */
async function openReportForm(popup: PopupPage): Promise<{ form: Page; previewText: () => Promise<string> }> {
  const { page } = popup;
  await page.locator('[data-testid="report"]').click();
  await page.locator('[data-testid="report-form"]').waitFor();
  const preview = page.locator('[data-testid="report-preview"]');
  const previewText = async () => (await preview.textContent()) ?? '';
  await expect.poll(previewText, POLL).toMatch(/^\{/);
  return { form: page, previewText };
}

const status = (popup: PopupPage) => popup.page.locator('[data-testid="report-status"]');

function noSecretIn(text: string | undefined): void {
  for (let i = 0; i + 8 <= KEY.length; i += 4) expect(text).not.toContain(KEY.slice(i, i + 8));
}

test('a report made in the popup on a relay arrives at the collector with the contract fields and no secret, and blocks the relay at once', async ({
  browser,
  openSite,
  openPopup,
}) => {
  await setEndpoint(browser, reports.url);
  const page = await openSite(`http://${HOSTS.oneApi}/?key=${KEY}#access_token=${KEY}`);
  const popup = await openPopup(page);
  await popup.waitForLevel('unvetted');

  const { form, previewText } = await openReportForm(popup);
  await form.locator('[data-testid="report-kind"]').selectOption('relay');
  await form.locator('[data-testid="report-note"]').fill(`it asked for ${KEY}`);
  await expect.poll(previewText, POLL).toContain('"note": "it asked for [redacted]"');
  const shown = JSON.parse(await previewText()) as Record<string, unknown>;
  await form.locator('[data-testid="report-send"]').click();

  await expect.poll(() => status(popup).getAttribute('data-state'), { timeout: 15_000 }).toBe('sent');
  const arrived = reports.collector.requests.filter((request) => request.id === shown.id);
  expect(arrived).toHaveLength(1);
  expect(arrived[0]?.headers['content-type']).toBe('application/json');
  expect(arrived[0]?.headers.cookie).toBeUndefined();
  const document = JSON.parse(arrived[0]?.body ?? '{}') as Record<string, unknown>;
  // Exactly what the popup showed.
  expect(document).toEqual(shown);
  expect(document).toMatchObject({ schema: 'relayguard.report/1', kind: 'relay', host: HOSTS.oneApi, level: 'unvetted', url: `http://${HOSTS.oneApi}/` });
  expect(Array.isArray(document.reasons) && document.reasons.length > 0 && document.reasons.every((reason) => typeof reason === 'string')).toBe(true);
  expect(typeof document.extensionVersion).toBe('string');
  expect(new Date(String(document.reportedAt)).toISOString()).toBe(document.reportedAt);
  noSecretIn(arrived[0]?.body);

  // Reporting acted at once: the relay is on the person's own blocklist, and that can be undone.
  await expect.poll(() => popup.verdict.getAttribute('data-level'), POLL).toBe('blocked');
  await form.locator('[data-testid="report-undo"]').click();
  await expect.poll(() => popup.verdict.getAttribute('data-level'), POLL).toBe('unvetted');
});

test(
  'with the collector down the report stays queued across a worker restart and is delivered once when it is back',
  { timeout: 120_000 },
  async ({ browser, openSite, openPopup }) => {
    await setEndpoint(browser, reports.url);
    const page = await openSite(`http://${HOSTS.newApiRebranded}/`);
    const popup = await openPopup(page);
    await popup.waitForLevel('unvetted');

    reports.collector.fallback = 503;
    const { form, previewText } = await openReportForm(popup);
    const { id } = JSON.parse(await previewText()) as { id: string };
    await form.locator('[data-testid="report-send"]').click();
    await expect.poll(() => status(popup).textContent(), { timeout: 15_000 }).toBe('Queued, will be retried: The endpoint answered HTTP 503; will retry.');
    expect(await status(popup).getAttribute('data-state')).toBe('queued');
    expect(reports.collector.requests.filter((request) => request.id === id)).toHaveLength(1);

    // Only the alarm the worker left may wake it: close the popup (it polls), then stop the worker.
    await popup.close();
    const control = await browser.stopServiceWorker();
    expect(control.status).toBe('stopped');
    reports.collector.fallback = 200;

    const deliveries = await pollUntil(
      async () => reports.collector.requests.filter((request) => request.id === id),
      (requests) => requests.length >= 2,
      { timeout: 60_000, interval: 500, message: 'the queued report was never retried after the worker restart' },
    );
    expect(deliveries.map((request) => request.body)).toEqual([deliveries[0]?.body, deliveries[0]?.body]);

    // Reopened, the popup shows the report sent; and nothing sends it again.
    const again = await openPopup(popup.tabId);
    await again.page.locator('[data-testid="report"]').click();
    await expect.poll(() => status(again).getAttribute('data-state'), POLL).toBe('sent');
    expect(await status(again).getAttribute('data-attempts')).toBe('2');
    expect(reports.collector.maxInFlightPerId()).toBe(1);
    expect(reports.collector.requests.filter((request) => request.id === id)).toHaveLength(2);
  },
);

test('with no endpoint the person sees the preview and exports the report; nothing is sent', async ({ browser, openSite, openPopup }) => {
  await setEndpoint(browser, '');
  const before = reports.collector.requests.length;
  const page = await openSite(`http://${HOSTS.oneApiChannelForm}/`);
  const popup = await openPopup(page);
  await popup.waitForLevel('unvetted');

  const { form, previewText } = await openReportForm(popup);
  const shown = JSON.parse(await previewText()) as Record<string, unknown>;
  expect(shown).toMatchObject({ schema: 'relayguard.report/1', host: HOSTS.oneApiChannelForm, kind: 'relay' });
  expect(await form.locator('[data-testid="report-send"]').isDisabled()).toBe(true);
  await form.locator('[data-testid="report-no-endpoint"]').waitFor();

  const [download] = await Promise.all([form.waitForEvent('download'), form.locator('[data-testid="report-export"]').click()]);
  expect(download.suggestedFilename()).toMatch(/^relayguard-report-channels\.oneapi-console\.test-[0-9a-f]{8}\.json$/);
  const path = await download.path();
  expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(shown);

  // Exporting made the report: the relay is blocked for the person, undoably; nothing left the machine.
  await expect.poll(() => popup.verdict.getAttribute('data-level'), POLL).toBe('blocked');
  await form.locator('[data-testid="report-undo"]').click();
  await expect.poll(() => popup.verdict.getAttribute('data-level'), POLL).toBe('unvetted');
  expect(reports.collector.requests.length).toBe(before);
});

/** The extension tab that opened for `tabId` with the report form requested, once it shows the form. */
async function reportTabFor(browser: ExtensionBrowser, tabId: number): Promise<Page> {
  const opened = await pollUntil(
    async () => browser.context.pages().find((candidate) => candidate.url() === browser.extensionUrl(`popup.html?tab=${tabId}&report=1`)),
    (found) => found !== undefined,
    { timeout: 10_000, message: `no report form opened for tab ${tabId}` },
  );
  await opened!.locator('[data-testid="report-form"]').waitFor();
  return opened!;
}

test('the in-page warning\'s Report opens the report form in an extension tab, not in the page', async ({ browser, openSite }) => {
  const page = await openSite(`http://${HOSTS.oneApi}/`);
  const card = new WarningCard(page);
  await card.waitShown();
  await card.waitArmed();
  await card.click('[data-testid="warning-report"]');
  const form = await reportTabFor(browser, await browser.tabIdOf(page));
  await expect.poll(async () => (await form.locator('[data-testid="report-preview"]').textContent()) ?? '', POLL).toContain(`"host": "${HOSTS.oneApi}"`);
  await form.close();
});

test('the block page\'s Report opens the report form about the blocked address', async ({ browser, server, newTab, openPopup }) => {
  const interstitial = await interstitialScene({ browser, server, newTab, openPopup });
  await interstitial.page.locator('[data-testid="block-page-report"]').click();
  const form = await reportTabFor(browser, await browser.tabIdOf(interstitial.page));
  await expect.poll(async () => (await form.locator('[data-testid="report-preview"]').textContent()) ?? '', POLL).toContain(`"host": "${HOSTS.listedRelay}"`);
  expect(await form.locator('[data-testid="verdict"]').getAttribute('data-level')).toBe('blocked');
  await form.close();
});
