import type { Page } from 'playwright-core';
import { chars, sampleKeys } from '../support/generated-keys.ts';
import { secretWindows } from '../support/key-formats.ts';
import { chatCompletion } from './support/api-answers.ts';
import { RealClipboard } from './support/clipboard.ts';
import { ExtensionAudit, findSecret, plantCanary } from './support/extension-audit.ts';
import { ExtensionTraffic, type ExtensionRequest } from './support/extension-traffic.ts';
import { PasteGuardDialog } from './support/in-page.ts';
import type { TestList } from './support/lists.ts';
import { HOSTS } from './support/sites.ts';
import { expect, test } from './support/fixtures.ts';
import { collectorForSuite } from './support/collector.ts';

/**
 * THE PRIVACY TEST. Over one full scenario a person could live through (the worker starting,
 * a report endpoint and a list subscription set on the options page, ordinary pages and relays
 * browsed, a blocked relay met, a chat page sending a vendor key to a relay, that key pasted on a
 * relay's form, a report sent from the popup, the history looked at) it records every request the
 * extension itself makes (support/extension-traffic.ts: its service worker, its pages, its
 * content scripts) and finds only what README promises: the configured list fetches, report
 * deliveries and same-origin status probes. Then it reads every storage area (local, session,
 * sync, managed) and every IndexedDB database of the extension, and finds the planted key in
 * none of them, nor in any request, message or console line: at most its last four characters,
 * in the key history. In its own file: it needs a fresh extension and stops its worker.
 */

const KEY = sampleKeys.openai;
const LIST_URL = `http://lists.privacy-fixture.test/relayguard.json`;
const LIST: TestList = {
  name: 'Privacy fixture list',
  version: '2026.12.03',
  updated: '2026-12-03T00:00:00Z',
  entries: [{ pattern: HOSTS.listedRelay, level: 'blocked', evidence: ['https://forum.test/thread/1'] }],
};
const CHAT_ENDPOINT = `http://${HOSTS.openAiRelayEndpoint}/v1/chat/completions`;
const POLL = { timeout: 15_000 };

const reports = collectorForSuite();

/** Whether `text` holds six consecutive characters of the key's secret body (its last four alone never do). */
function holdsKey(text: string): boolean {
  return secretWindows(KEY, 6).some((window) => text.includes(window));
}

/** A report/preview request the extension's popup sent: it carries the note as typed. */
function typedInReportForm(recorded: string, extensionOrigin: string): boolean {
  const { message, sender } = JSON.parse(recorded) as { message?: { type?: unknown }; sender?: { url?: unknown } };
  return message?.type === 'report/preview' && String(sender?.url ?? '').startsWith(`${extensionOrigin}/popup.html`);
}

function describeRequest(request: ExtensionRequest): string {
  return `${request.source} ${request.method} ${request.url} (from ${request.documentUrl})`;
}

/** What README's Permissions and privacy sections allow the extension to send, and nothing else. */
function allowed(request: ExtensionRequest): boolean {
  const url = new URL(request.url);
  const bare = `${url.origin}${url.pathname}`;
  if (request.source === 'service-worker') {
    const listFetch = request.method === 'GET' && (bare === LIST_URL || bare === `${LIST_URL}.minisig`);
    const reportDelivery = request.method === 'POST' && request.url === reports.url;
    return listFetch || reportDelivery;
  }
  if (request.source === 'content-script') {
    // The status probe: a GET to the page's own origin, made by the page guard.
    return request.method === 'GET' && url.origin === new URL(request.documentUrl).origin;
  }
  return false; // the extension's pages make no network request of their own
}

test('over a full scenario the extension sends only list fetches, report deliveries and same-origin probes, and stores the key nowhere', { timeout: 240_000 }, async ({
  browser,
  server,
  newTab,
  openSite,
  openPopup,
  testPages,
}) => {
  const extensionOrigin = browser.extensionUrl('').replace(/\/$/, '');
  const traffic = await ExtensionTraffic.start(browser.context, extensionOrigin);
  const clipboard = new RealClipboard(browser, server.port);

  // The worker starts while recorded: whatever it does on start-up is seen too.
  await browser.stopServiceWorker();
  const opened = async (url: string): Promise<Page> => openSite(url);
  await opened(`http://${HOSTS.relayBlog}/`);
  const audit = new ExtensionAudit(browser);
  await audit.install();

  // Options: a report endpoint and a list subscription, as a person sets them.
  server.json(LIST_URL, LIST);
  const options = await browser.newPage(browser.extensionUrl('options.html'));
  testPages.push(options);
  const endpointInput = options.locator('[data-testid="report-endpoint"]');
  await expect.poll(() => endpointInput.isEnabled(), POLL).toBe(true);
  await endpointInput.fill(reports.url);
  await options.locator('[data-testid="report-endpoint-save"]').click();
  await options.getByText(`Reports go to ${reports.url}`).waitFor();
  await options.locator('[data-testid="subscribe-url"]').fill(LIST_URL);
  await options.locator('[data-testid="subscribe"]').click();
  await options.locator(`[data-testid="subscription"][data-url="${LIST_URL}"][data-state="ok"]`).waitFor();

  // Ordinary pages, a relay, and a relay the list blocks.
  await opened(`http://${HOSTS.apiDocs}/`);
  await opened(`http://${HOSTS.forum}/`);
  // Relay front ends of several families, stock and renamed: the suspect ones get the status probe.
  for (const host of [HOSTS.oneApiRenamed, HOSTS.headerOnlyDashboard, HOSTS.sub2apiRebranded, HOSTS.veloeraRebranded]) await opened(`http://${host}/`);
  const relay = await opened(`http://${HOSTS.oneApi}/`);
  const relayPopup = await openPopup(relay);
  await relayPopup.waitForLevel('unvetted');
  const blockedTab = await newTab();
  await blockedTab.goto(`http://${HOSTS.listedRelay}/`).catch(() => undefined);
  await blockedTab.locator('[data-testid="block-page"][data-state="blocked"]').waitFor();

  // A chat page sends the key to a relay on another host.
  server.json(CHAT_ENDPOINT, chatCompletion({ id: 'chatcmpl-privacy1', content: 'Hello from the relay.' }));
  const chat = await opened(`http://${HOSTS.openAiSdkChat}/`);
  await chat.locator('#api-key').fill(KEY);
  await chat.locator('#send').click();
  await expect.poll(() => chat.locator('#reply').getAttribute('data-state'), POLL).toBe('done');

  // The key pasted on a relay's form: held, then pasted anyway.
  const form = await opened(`http://${HOSTS.oneApiChannelForm}/`);
  await clipboard.paste(KEY, form.locator('#channel-key'));
  const guard = new PasteGuardDialog(form);
  await guard.waitOpen();
  await guard.pasteAnyway.click();
  await expect.poll(() => form.locator('#channel-key').inputValue(), POLL).toBe(KEY);
  await clipboard.close();

  // A report from the popup, delivered to the collector.
  const reportPopup = await openPopup(relay);
  await reportPopup.waitForLevel('unvetted');
  await reportPopup.page.locator('[data-testid="report"]').click();
  await reportPopup.page.locator('[data-testid="report-form"]').waitFor();
  await expect.poll(async () => (await reportPopup.page.locator('[data-testid="report-preview"]').textContent()) ?? '', POLL).toMatch(/^\{/);
  await reportPopup.page.locator('[data-testid="report-note"]').fill(`my key was ${KEY}`);
  await reportPopup.page.locator('[data-testid="report-send"]').click();
  await expect.poll(() => reportPopup.page.locator('[data-testid="report-status"]').getAttribute('data-state'), POLL).toBe('sent');

  // The history, where the key shows by its last four characters.
  const chatPopup = await openPopup(chat);
  await chatPopup.page.locator('[data-testid="key-sent-notice"]').waitFor();
  await options.reload();
  await options.locator('[data-testid="history-entry"][data-kind="key-sent"]').waitFor();

  // ——— What left the extension ———
  await traffic.stop();
  const requests = traffic.requests;
  console.log(
    `privacy: ${requests.length} extension requests (${requests.map(describeRequest).join('; ')}); ` +
      `${traffic.localLoads} loads of its own files; ${traffic.watchedPages} web pages watched`,
  );
  expect(requests.filter((request) => !allowed(request)).map(describeRequest)).toEqual([]);
  // Not blind: the recorder saw the list fetch and the report delivery the scenario caused.
  expect(requests.some((request) => request.source === 'service-worker' && request.url.startsWith(LIST_URL))).toBe(true);
  expect(requests.some((request) => request.source === 'service-worker' && request.method === 'POST' && request.url === reports.url)).toBe(true);
  // …and the content scripts' status probes on the suspect relay front ends.
  expect(requests.some((request) => request.source === 'content-script')).toBe(true);
  expect(reports.collector.requests.length).toBeGreaterThan(0);
  expect(requests.filter((request) => holdsKey(`${request.url} ${JSON.stringify(request.headers)} ${request.body}`)).map(describeRequest)).toEqual([]);
  expect(reports.collector.requests.filter((request) => holdsKey(`${JSON.stringify(request.headers)} ${request.body}`))).toEqual([]);

  // ——— What the extension keeps ———
  const dump = await audit.dump();
  const worker = await browser.serviceWorker();
  const managed = await worker.evaluate(() =>
    (globalThis as unknown as { chrome: { storage: { managed: { get(keys: null): Promise<unknown> } } } }).chrome.storage.managed.get(null).then(
      (items) => JSON.stringify(items),
      (error: unknown) => JSON.stringify({ error: String(error) }),
    ),
  );
  const places = [
    ...Object.entries(dump.storage).map(([area, text]) => [`storage.${area}`, text] as const),
    ['storage.managed', managed] as const,
    ...Object.entries(dump.indexedDb).map(([store, text]) => [`IndexedDB ${store}`, text] as const),
    ...Object.entries(dump.caches).map(([cache, text]) => [`Cache Storage ${cache}`, text] as const),
    // The note the person typed into the report form goes to the background to be redacted there
    // (report/preview); that one message from the extension's own popup may hold what they typed.
    ...dump.received.filter((text) => !typedInReportForm(text, extensionOrigin)).map((text, index) => [`message received #${index}`, text] as const),
    ...dump.sent.map((text, index) => [`message sent #${index}`, text] as const),
    ...dump.console.map((text, index) => [`console #${index}`, text] as const),
  ];
  expect(places.filter(([, text]) => holdsKey(text)).map(([place, text]) => `${place}: ${text.slice(0, 300)}`)).toEqual([]);
  expect(dump.received.filter((text) => typedInReportForm(text, extensionOrigin))).not.toEqual([]);
  // Not blind: every database the extension keeps was read, the history among them with the key's ending.
  expect(Object.keys(dump.indexedDb)).toEqual(expect.arrayContaining(['relayguard-history/entries']));
  expect(dump.indexedDb['relayguard-history/entries']).toContain(`"last4":"${KEY.slice(-4)}"`);
  const canary = `e2e-canary-${chars(40, 8_412)}`;
  const removeCanary = await plantCanary(browser, canary);
  try {
    const planted = findSecret(await audit.dump(), canary);
    for (const place of ['storage.local', 'storage.session', 'IndexedDB relayguard-e2e-canary/canary']) expect(planted).toContain(place);
  } finally {
    await removeCanary();
  }
  console.log(`privacy: read ${places.length} places; IndexedDB ${Object.keys(dump.indexedDb).join(', ')}`);
});
