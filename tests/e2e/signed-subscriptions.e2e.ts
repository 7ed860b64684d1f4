import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { ExtensionBrowser } from './support/browser.ts';
import { InterstitialPage } from './support/interstitial-page.ts';
import { pollUntil } from './support/poll.ts';
import { HOSTS } from './support/sites.ts';
import { describe, expect, test } from './support/fixtures.ts';

/**
 * Signed list subscriptions (docs/test-contract.md, "List subscriptions"), as a list maintainer
 * and a person meet them: the list is signed with Debian's `minisign` binary and served from a
 * server on this machine; the person subscribes on the options page with the maintainer's public
 * key pinned. A tampered copy is refused and the signed one stays in force; a new signed version
 * arrives by itself through the refresh alarm (the list asks for a refresh every minute, the
 * shortest RelayGuard allows, and only for a list on this machine).
 *
 * The tests build on each other (one browser per file): subscribe, then tamper, then refresh.
 */

const SIGNER_DIR = new URL('../../lib/lists/testdata/minisign/', import.meta.url);
const SIGNER_PUB_FILE = readFileSync(new URL('signer.pub', SIGNER_DIR), 'utf8');
const NEXT_RELAY = 'next-banned-relay.test';

const listVersion = (version: string, patterns: readonly string[]) => ({
  name: 'RelayGuard e2e signed list',
  version,
  updated: '2026-12-03',
  refreshMinutes: 1,
  entries: patterns.map((pattern) => ({ pattern, level: 'blocked', evidence: [`https://reports.example/${pattern}`], reason: 'Resold keys (test fixture)' })),
});

/** The list's bytes and its `.minisig`, as the maintainer publishes them. */
const published: { list: Buffer; signature: string } = { list: Buffer.alloc(0), signature: '' };
let workDir: string;
let server: Server;
let listUrl: string;
let requestsForList = 0;

/** Writes `text` as list.json and signs it with the real minisign binary (prehashed, the default). */
function signWithMinisign(text: string, trustedComment: string): { list: Buffer; signature: string } {
  const file = join(workDir, 'list.json');
  writeFileSync(file, text);
  const run = spawnSync('minisign', ['-S', '-s', join(workDir, 'signer.key'), '-m', file, '-t', trustedComment], { encoding: 'utf8', input: '' });
  if (run.error || run.status !== 0) throw new Error(`minisign -S failed: ${run.error?.message ?? run.stderr}`);
  return { list: readFileSync(file), signature: readFileSync(`${file}.minisig`, 'utf8') };
}

function publish(next: { list: Buffer; signature: string }): void {
  published.list = next.list;
  published.signature = next.signature;
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'relayguard-signed-list-'));
  copyFileSync(new URL('signer.key', SIGNER_DIR), join(workDir, 'signer.key'));
  publish(signWithMinisign(JSON.stringify(listVersion('1', [HOSTS.listedRelay]), null, 2), 'RelayGuard e2e signed list v1'));
  server = createServer((request, response) => {
    if (request.url === '/list.json') {
      requestsForList++;
      response.writeHead(200, { 'content-type': 'application/json' }).end(published.list);
    } else if (request.url === '/list.json.minisig') response.writeHead(200, { 'content-type': 'text/plain' }).end(published.signature);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The browser resolves every name but `localhost` through the fixture rules (support/browser.ts).
  listUrl = `http://localhost:${(server.address() as AddressInfo).port}/list.json`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(workDir, { recursive: true, force: true });
});

interface DnrRuleSubset {
  action: { type: string };
  condition: { requestDomains?: string[] };
}
declare const chrome: { declarativeNetRequest: { getDynamicRules(): Promise<DnrRuleSubset[]> } };

async function redirectedDomains(browser: ExtensionBrowser): Promise<string[]> {
  const worker = await browser.serviceWorker();
  const rules = await worker.evaluate(() => chrome.declarativeNetRequest.getDynamicRules());
  return rules.filter((rule) => rule.action.type === 'redirect').flatMap((rule) => rule.condition.requestDomains ?? []);
}

/** The subscription's card on an options page, read fresh. */
async function card(options: Page): Promise<{ state: string | null; text: string; version: string; entries: string }> {
  const element = options.locator(`[data-testid="subscription"][data-url="${listUrl}"]`);
  if ((await element.count()) === 0) return { state: null, text: '', version: '', entries: '' };
  return {
    state: await element.getAttribute('data-state'),
    text: (await element.textContent()) ?? '',
    version: (await element.locator('[data-testid="subscription-version"]').textContent()) ?? '',
    entries: (await element.locator('[data-testid="subscription-entries"]').textContent()) ?? '',
  };
}

async function expectBlocked(browser: ExtensionBrowser, newTab: () => Promise<Page>, host: string): Promise<void> {
  const url = `http://${host}/`;
  const page = await newTab();
  await page.goto(url);
  await InterstitialPage.expectOn(browser, page, url);
}

describe('a signed subscription', () => {
  test('subscribed on the options page with its key pinned, it blocks a fixture host', async ({ browser, newTab }) => {
    const options = await newTab();
    await options.goto(browser.extensionUrl('options.html'));
    await options.locator('[data-testid="subscribe-url"]').fill(listUrl);
    await options.locator('[data-testid="subscribe-key"]').fill(SIGNER_PUB_FILE);
    await options.locator('[data-testid="subscribe"]').click();

    const shown = await pollUntil(() => card(options), (value) => value.state !== null, { timeout: 15_000, message: 'the subscription never appeared on the options page' });
    expect(shown).toMatchObject({ state: 'ok', version: '1', entries: '1' });
    expect(shown.text).toContain('RelayGuard e2e signed list');
    expect(shown.text).toContain('186B920B0CE6B268'); // signed by the pinned key

    await pollUntil(() => redirectedDomains(browser), (domains) => domains.includes(HOSTS.listedRelay), { timeout: 15_000, message: 'no block rule for the listed relay' });
    await expectBlocked(browser, newTab, HOSTS.listedRelay);
  });

  test('a tampered update is refused with the reason, and the signed copy stays in force', { timeout: 60_000 }, async ({ browser, newTab }) => {
    // Someone between the maintainer and the person drops the block and keeps the old signature.
    publish({ list: Buffer.from(JSON.stringify(listVersion('2', ['harmless.example']))), signature: published.signature });
    const options = await newTab();
    await options.goto(browser.extensionUrl('options.html'));
    // (The refresh alarm, a minute apart, may meet the tampered copy first: the outcome is the same.)
    await pollUntil(() => card(options), (value) => value.state !== null, { timeout: 15_000, message: 'the subscription was not shown' });
    await options.locator(`[data-testid="subscription"][data-url="${listUrl}"] [data-testid="update-now"]`).click();

    const refused = await pollUntil(() => card(options), (value) => value.state === 'error', { timeout: 20_000, message: 'the tampered update was never shown as an error' });
    expect(refused.text).toContain('The signature does not match: the list was changed after it was signed.');
    expect(refused).toMatchObject({ version: '1', entries: '1' });
    expect(refused.text).toContain('RelayGuard e2e signed list');

    expect(await redirectedDomains(browser)).toContain(HOSTS.listedRelay);
    await expectBlocked(browser, newTab, HOSTS.listedRelay);
  });

  test('a new signed version arrives by itself through the refresh alarm', { timeout: 180_000 }, async ({ browser, newTab }) => {
    const before = requestsForList;
    publish(signWithMinisign(JSON.stringify(listVersion('3', [HOSTS.listedRelay, NEXT_RELAY])), 'RelayGuard e2e signed list v3'));

    // No click, no message: the alarm the last attempt armed (a minute, plus jitter) fetches it.
    await pollUntil(() => redirectedDomains(browser), (domains) => domains.includes(NEXT_RELAY), {
      timeout: 150_000,
      interval: 1_000,
      message: 'the refresh never installed version 3 (no block rule for its new host)',
    });
    expect(requestsForList).toBeGreaterThan(before);

    const options = await newTab();
    await options.goto(browser.extensionUrl('options.html'));
    const shown = await pollUntil(() => card(options), (value) => value.state === 'ok', { timeout: 15_000, message: 'the refreshed subscription is not shown as ok' });
    expect(shown).toMatchObject({ version: '3', entries: '2' });
    expect(shown.text).toContain('RelayGuard e2e signed list');
    await expectBlocked(browser, newTab, HOSTS.listedRelay);
  });
});
