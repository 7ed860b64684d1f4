import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { ExtensionBrowser } from './support/browser.ts';
import { WARNING_SELECTOR, warningLevel } from './support/in-page.ts';
import { InterstitialPage } from './support/interstitial-page.ts';
import { ManagedPolicyFile } from './support/managed-policy.ts';
import { watchPage, watchUntilPastDomContentLoaded } from './support/page-watch.ts';
import { pollUntil } from './support/poll.ts';
import { HOSTS } from './support/sites.ts';
import { describe, expect, test as base } from './support/fixtures.ts';

/**
 * The administrator's policy in a real Chromium (docs/admin.md, docs/test-contract.md "Managed
 * policy"): written as Debian's chromium reads it, a JSON file in /etc/chromium/policies/managed
 * (support/managed-policy.ts; needs root, as CI has). One browser sees each test's policy in
 * turn, as a change while it runs: Chromium notices the file and RelayGuard applies it without a
 * restart. The file is removed after every test.
 */

const ORGANIZATION = { name: 'Example Corp IT', supportUrl: 'https://help.corp.example/ai-gateways' };

declare const chrome: {
  declarativeNetRequest: { getDynamicRules(): Promise<Array<{ action: { type: string }; condition: { requestDomains?: string[] } }>> };
  runtime: { sendMessage(message: unknown): Promise<{ ok: boolean; error?: string }> };
};

const test = base
  .extend('policy', { scope: 'file' }, async ({ browser, extensionPath }, { onCleanup }) => {
    const policy = ManagedPolicyFile.for(browser, extensionPath);
    onCleanup(() => policy.dispose());
    return policy;
  })
  // After every test, pass or fail: the file goes, and RelayGuard is back to no policy before the next.
  .extend('policyCleared', { auto: true }, async ({ policy, browser }, { onCleanup }) => {
    onCleanup(async () => {
      policy.remove();
      await policy.clear(browser);
    });
  })
  .extend('openWatched', async ({ newTab }) => {
    return async (url: string): Promise<Page> => {
      const page = await newTab();
      await watchPage(page);
      await page.goto(url);
      return page;
    };
  });

/** Waits until the browser holds the rule that sends navigations to `host` to the block page. */
async function waitForRedirectRule(browser: ExtensionBrowser, host: string): Promise<void> {
  await pollUntil(
    async () => {
      const rules = await (await browser.serviceWorker()).evaluate(() => chrome.declarativeNetRequest.getDynamicRules());
      return rules.filter((rule) => rule.action.type === 'redirect').flatMap((rule) => rule.condition.requestDomains ?? []);
    },
    (domains) => domains.includes(host),
    { timeout: 15_000, interval: 200, message: `no block-page redirect rule for ${host}` },
  );
}

describe('a managed policy written to Chromium’s policy folder', () => {
  test('a managed allowlist vets a relay: no warning, and the popup names the organisation', async ({ browser, policy, openWatched, openPopup }) => {
    await policy.apply(browser, { allowlist: [HOSTS.oneApi], organization: ORGANIZATION });
    const page = await openWatched(`http://${HOSTS.oneApi}/`);
    const popup = await openPopup(page);
    await popup.waitForLevel('vetted');
    const managedBy = popup.page.locator('[data-testid="managed-by"]');
    expect(await managedBy.textContent()).toContain(ORGANIZATION.name);
    expect(await managedBy.locator('a[data-testid="managed-by-support"]').getAttribute('href')).toBe(ORGANIZATION.supportUrl);

    // Not merely absent now: never added, past the content script's second look.
    const watch = await watchUntilPastDomContentLoaded(page);
    expect(watch.hosts.filter((event) => event.kind === 'warning')).toEqual([]);
    expect(await page.locator(WARNING_SELECTOR).count()).toBe(0);
  });

  test('a managed blocklist sends a relay to the block page; with allowProceed: false nothing lets the person through', async ({
    browser,
    server,
    policy,
    newTab,
  }) => {
    await policy.apply(browser, { blocklist: [HOSTS.listedRelay], allowProceed: false, organization: ORGANIZATION });
    await waitForRedirectRule(browser, HOSTS.listedRelay);
    const url = `http://${HOSTS.listedRelay}/`;
    const page = await newTab();
    await page.goto(url);
    const interstitial = await InterstitialPage.expectOn(browser, page, url);
    expect(await interstitial.text()).toContain(ORGANIZATION.name);
    expect(await page.locator('[data-testid="managed-by"]').count()).toBe(1);
    expect(await interstitial.proceedOnce.count()).toBe(0);

    // Asked for directly, from the very block page the browser redirected this tab to: refused.
    const answer = await page.evaluate((blocked) => chrome.runtime.sendMessage({ type: 'interstitial/proceed-once', url: blocked }), url);
    expect(answer).toEqual({ ok: false, error: 'Your organisation does not allow continuing to this site.' });
    // Typing the address again lands on the block page again; the relay never saw a request.
    await page.goto(url);
    await InterstitialPage.expectOn(browser, page, url);
    expect(server.requestsFor(url)).toEqual([]);
  });

  test('a policy changed while the browser runs applies to an open tab at once, keeping what the tab saw', async ({ browser, policy, openWatched, openPopup }) => {
    const page = await openWatched(`http://${HOSTS.oneApi}/`);
    await expect.poll(() => warningLevel(page), { timeout: 10_000 }).toBe('unvetted');
    const before = await (await openPopup(page)).reasons();
    expect(before.length).toBeGreaterThan(0);

    await policy.apply(browser, { blocklist: [HOSTS.oneApi], organization: ORGANIZATION });
    // The same document, not reloaded: its warning turns to blocked, naming the organisation.
    await expect.poll(() => warningLevel(page), { timeout: 10_000 }).toBe('blocked');
    const popup = await openPopup(page);
    await popup.waitForLevel('blocked');
    expect(await popup.page.locator('[data-testid="managed-by"]').textContent()).toContain(ORGANIZATION.name);

    // The policy withdrawn, the tab is judged by what it saw before again: its evidence was kept.
    await policy.clear(browser);
    await expect.poll(() => warningLevel(page), { timeout: 10_000 }).toBe('unvetted');
    const again = await openPopup(page);
    await again.waitForLevel('unvetted');
    expect(await again.reasons()).toEqual(before);
  });

  test('disableUserLists: the popup offers no trust or block, the options page no entries, import or subscription', async ({ browser, policy, openWatched, openPopup, newTab }) => {
    await policy.apply(browser, { disableUserLists: true, organization: ORGANIZATION });
    const page = await openWatched(`http://${HOSTS.oneApi}/`);
    const popup = await openPopup(page);
    await popup.waitForLevel('unvetted');
    await popup.page.locator('[data-testid="lists-locked"]').waitFor();
    for (const testId of ['trust-site', 'block-site', 'undo-entry']) expect(await popup.page.locator(`[data-testid="${testId}"]`).count()).toBe(0);

    const options = await newTab();
    await options.goto(browser.extensionUrl('options.html'));
    await options.locator('[data-testid="lists-locked"]').waitFor();
    expect(await options.locator('[data-testid="managed-by"]').textContent()).toContain(ORGANIZATION.name);
    expect(await options.locator('form.entry-form').count()).toBe(0);
    expect(await options.locator('[data-testid="subscribe-url"]').count()).toBe(0);
    expect(await options.locator('#options-import-file').count()).toBe(0);
    // The background refuses what the pages no longer offer.
    const refused = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'user-entries/put', pattern: 'oneapi.test', level: 'vetted' }));
    expect(refused.ok).toBe(false);
  });
});

describe('a managed signed subscription', () => {
  const ROOT = fileURLToPath(new URL('../..', import.meta.url));
  const SIGNER_KEY = join(ROOT, 'lib/lists/testdata/minisign/signer.key');
  const SIGNER_PUB = readFileSync(join(ROOT, 'lib/lists/testdata/minisign/signer.pub'), 'utf8').split('\n')[1]!.trim();
  const TARGET = HOSTS.oneApiRenamed;
  const LIST = {
    name: 'Example Corp relay list',
    version: '2026.12.03',
    updated: '2026-12-03',
    entries: [{ pattern: TARGET, level: 'blocked', evidence: ['https://security.corp.example/relays/42'], reason: 'Resells customer keys (test fixture)' }],
  };
  let server: Server;
  let listUrl: string;
  let folder: string;

  // The list served on 127.0.0.1 by a server of its own (the fixture server speaks JSON only), signed
  // by Debian's minisign with the passwordless test key (lib/lists/testdata/minisign/README.md).
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'relayguard-e2e-managed-list-'));
    const file = join(folder, 'corp-list.json');
    writeFileSync(file, JSON.stringify(LIST, null, 2));
    execFileSync('minisign', ['-S', '-s', SIGNER_KEY, '-m', file, '-t', 'Example Corp relay list 2026.12.03'], { stdio: 'pipe' });
    const served: Record<string, Buffer> = { '/corp-list.json': readFileSync(file), '/corp-list.json.minisig': readFileSync(`${file}.minisig`) };
    server = createServer((request, response) => {
      const body = served[request.url ?? ''];
      if (body) response.writeHead(200, { 'content-type': request.url!.endsWith('.json') ? 'application/json' : 'text/plain' }).end(body);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // localhost: the browser's resolver rules send every other name to the fixture server (browser.ts).
    listUrl = `http://localhost:${(server.address() as AddressInfo).port}/corp-list.json`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  });

  test('applies with no action from the person, blocks its host, and shows as managed without a remove button', async ({ browser, server: fixtures, policy, newTab }) => {
    await policy.apply(browser, { listSubscriptions: [{ url: listUrl, publicKeys: [SIGNER_PUB] }], organization: ORGANIZATION });
    await waitForRedirectRule(browser, TARGET);
    const url = `http://${TARGET}/`;
    const page = await newTab();
    await page.goto(url);
    const interstitial = await InterstitialPage.expectOn(browser, page, url);
    expect(await interstitial.text()).toContain(LIST.name);
    expect(await interstitial.text()).toContain(ORGANIZATION.name);
    expect(fixtures.requestsFor(url)).toEqual([]);

    const options = await newTab();
    await options.goto(browser.extensionUrl('options.html'));
    const card = options.locator(`[data-testid="subscription"][data-url="${listUrl}"]`);
    await card.waitFor();
    expect(await card.getAttribute('data-state')).toBe('ok');
    expect(await card.locator('[data-testid="managed-subscription"]').count()).toBe(1);
    expect(await card.getByRole('button', { name: /remove|unsubscribe/i }).count()).toBe(0);
  });
});
