import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { inject, test as base } from 'vitest';
import { launchExtensionBrowser } from './browser.ts';
import { startFixtureServer } from './fixture-server.ts';
import { ARTIFACTS_DIR } from './artifacts.ts';
import { PopupPage } from './popup-page.ts';
import { FIXTURE_SITES, HOSTS } from './sites.ts';

/**
 * The e2e test API: vitest's `test` with RelayGuard fixtures, in the style of WXT's e2e examples.
 *
 *   server   (per file)  the fixture web on 127.0.0.1 (fixture-server.ts), hosts as in sites.ts
 *   locale   (per file)  the browser's UI language (`'zh-CN'`); unset, the environment's. A file
 *                        sets it at its top: `const test = base.override('locale', { scope: 'file' }, 'zh-CN')`
 *   browser  (per file)  Chromium with the built extension, DNS pointed at `server` (browser.ts)
 *   newTab   (per test)  a blank tab the test navigates itself (to watch where it lands)
 *   openSite (per test)  opens a fixture URL in a new tab
 *   openPopup(per test)  opens the popup for a page's tab, or a tab id (popup-page.ts)
 *   testPages(per test)  the tabs those three opened: closed after the test, and screenshotted
 *                        into tests/e2e/.artifacts/failed-<test>-<n>.png first if it failed
 *
 * One browser per file keeps the suite fast on two cores; state the extension keeps (a list
 * subscription, say) therefore lives on for the file's later tests. A test that needs a clean
 * extension goes in its own file. After each test the server forgets its JSON routes.
 */
export const test = base
  .extend('extensionPath', { scope: 'worker' }, () => inject('extensionPath'))
  .extend('server', { scope: 'file' }, async ({}, { onCleanup }) => {
    const server = await startFixtureServer({ sites: { ...FIXTURE_SITES, [HOSTS.sdkCdn]: inject('sdkBundleDir') } });
    onCleanup(() => server.close());
    return server;
  })
  .extend('locale', { scope: 'file' }, (): string | undefined => undefined)
  .extend('browser', { scope: 'file' }, async ({ extensionPath, server, locale }, { onCleanup }) => {
    const browser = await launchExtensionBrowser({ extensionPath, fixturePort: server.port, ...(locale && { locale }) });
    onCleanup(() => browser.close());
    return browser;
  })
  // After each test the server forgets the JSON routes and requests of that test.
  .extend('resetServer', { auto: true }, async ({ server }, { onCleanup }) => {
    onCleanup(() => server.reset());
  })
  // Every tab a test opens; on failure each is screenshotted before all are closed.
  .extend('testPages', async ({ task }, { onCleanup }) => {
    const pages: Page[] = [];
    onCleanup(async () => {
      if (task.result?.state === 'fail') await screenshotEach(pages, `failed-${slug(task.name)}`);
      await Promise.all(pages.map((page) => page.close().catch(() => {})));
    });
    return pages;
  })
  .extend('newTab', async ({ browser, testPages }) => {
    return async (): Promise<Page> => {
      const page = await browser.newPage();
      testPages.push(page);
      return page;
    };
  })
  .extend('openSite', async ({ newTab }) => {
    return async (url: string): Promise<Page> => {
      const page = await newTab();
      await page.goto(url);
      return page;
    };
  })
  // A tab id is taken as is: finding a page's tab asks the service worker, which a test may have stopped.
  .extend('openPopup', async ({ browser, testPages }) => {
    return async (target: Page | number): Promise<PopupPage> => {
      const popup = await PopupPage.open(browser, typeof target === 'number' ? target : await browser.tabIdOf(target));
      testPages.push(popup.page);
      return popup;
    };
  });

function slug(text: string): string {
  return text.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 80);
}

async function screenshotEach(pages: readonly Page[], prefix: string): Promise<void> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await Promise.all(
    pages
      .filter((page) => !page.isClosed())
      .map((page, index) =>
        page.screenshot({ path: join(ARTIFACTS_DIR, `${prefix}-${index}.png`), fullPage: true }).catch(() => {}),
      ),
  );
}

export { describe, expect } from 'vitest';
