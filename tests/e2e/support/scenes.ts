import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { sampleKeys } from '../../support/generated-keys.ts';
import { ARTIFACTS_DIR } from './artifacts.ts';
import type { ExtensionBrowser } from './browser.ts';
import type { RealClipboard } from './clipboard.ts';
import type { FixtureServer } from './fixture-server.ts';
import type { Envelope, ResponseFor } from '../../../lib/protocol/messages.ts';
import { PasteGuardDialog, warningLevel } from './in-page.ts';
import { InterstitialPage } from './interstitial-page.ts';
import { subscribeList, type TestList } from './lists.ts';
import type { PopupPage } from './popup-page.ts';
import { pollUntil } from './poll.ts';
import { HOSTS } from './sites.ts';

/**
 * The screens a person meets, set up the same way for every language: the popup on an unvetted
 * relay, the in-page warning, the paste question, the block page, and the options page. Used by
 * screenshots.e2e.ts (English) and languages.e2e.ts (Chinese), which save each one as
 * tests/e2e/.artifacts/screenshots/<ui language>/<name>.png.
 */

/** Web pages are shot at a common laptop size; the popup at roughly the width Chromium gives it. */
const PAGE_VIEWPORT = { width: 1280, height: 800 } as const;

const SCREENS_DIR = join(ARTIFACTS_DIR, 'screenshots');

const SCENE_BLOCKLIST_URL = 'http://lists.test/scenes-blocklist.json';
export const SCENE_BLOCKLIST: TestList = {
  name: 'Community relay blocklist',
  version: '2026.11.26',
  updated: '2026-11-26',
  entries: [
    {
      pattern: HOSTS.listedRelay,
      level: 'blocked',
      evidence: ['https://reports.example/relays/banned-relay-test'],
      reason: 'Logged and resold customers’ prompts (test fixture)',
    },
  ],
};

export interface SceneDeps {
  readonly browser: ExtensionBrowser;
  readonly server: FixtureServer;
  readonly newTab: () => Promise<Page>;
  readonly openPopup: (target: Page | number) => Promise<PopupPage>;
}

export type ScreenName = 'popup' | 'warning' | 'paste-guard' | 'interstitial' | 'options' | 'report-form';

/** Saves `page` as screenshots/<browser's UI language>/<name>.png; a full-page shot unless `viewportOnly`. */
export async function saveScreen(browser: ExtensionBrowser, page: Page, name: ScreenName, viewportOnly = false): Promise<string> {
  const dir = join(SCREENS_DIR, browser.uiLanguage);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  // No caret blinking into one shot and out of the next.
  await page.screenshot({ path, fullPage: !viewportOnly, caret: 'hide', animations: 'disabled' });
  return path;
}

async function openPage(deps: SceneDeps, url: string): Promise<Page> {
  const page = await deps.newTab();
  await page.setViewportSize(PAGE_VIEWPORT);
  await page.goto(url);
  return page;
}

async function waitForWarning(page: Page): Promise<void> {
  await pollUntil(() => warningLevel(page), (level) => level === 'unvetted', { timeout: 10_000, message: `no unvetted warning on ${page.url()}` });
}

/** The popup for a stock one-api relay, once it shows the unvetted verdict. */
export async function popupScene(deps: SceneDeps): Promise<PopupPage> {
  const page = await openPage(deps, `http://${HOSTS.oneApi}/`);
  const popup = await deps.openPopup(page);
  await popup.waitForLevel('unvetted');
  return popup;
}

/** The relay's "add channel" form with its warning in the corner. */
export async function warningScene(deps: SceneDeps): Promise<Page> {
  const page = await openPage(deps, `http://${HOSTS.oneApiChannelForm}/`);
  await waitForWarning(page);
  return page;
}

/** The same form after a real paste of an Anthropic key: the question is open. */
export async function pasteGuardScene(deps: SceneDeps, clipboard: RealClipboard): Promise<{ page: Page; dialog: PasteGuardDialog }> {
  const page = await warningScene(deps);
  const dialog = new PasteGuardDialog(page);
  await clipboard.paste(sampleKeys.anthropic, page.locator('#channel-key'));
  await dialog.waitOpen();
  return { page, dialog };
}

/** The block page for a relay on a subscribed blocklist (subscribes it first; again is harmless). */
export async function interstitialScene(deps: SceneDeps): Promise<InterstitialPage> {
  await subscribeList(deps.browser, deps.server, SCENE_BLOCKLIST_URL, SCENE_BLOCKLIST);
  const url = `http://${HOSTS.listedRelay}/signup?plan=pro`;
  const page = await deps.newTab();
  await page.setViewportSize(PAGE_VIEWPORT);
  await page.goto(url);
  return InterstitialPage.expectOn(deps.browser, page, url);
}

/** An entry of the person's own, as one added on the options page would be. */
export const SCENE_USER_ENTRY = { pattern: 'gateway.mycompany.example', level: 'vetted', note: 'Our team’s own gateway' } as const;

/**
 * The options page with something in it: the scene blocklist subscribed and one entry of the
 * person's own. Shot at the page size, whole.
 */
export async function optionsScene(deps: SceneDeps): Promise<Page> {
  await subscribeList(deps.browser, deps.server, SCENE_BLOCKLIST_URL, SCENE_BLOCKLIST);
  const put = await deps.browser.sendToBackground<Envelope<ResponseFor<'user-entries/put'>> | undefined>({ type: 'user-entries/put', ...SCENE_USER_ENTRY });
  if (!put?.ok) throw new Error(`user-entries/put answered ${JSON.stringify(put)}`);
  const page = await deps.newTab();
  await page.setViewportSize(PAGE_VIEWPORT);
  await page.goto(deps.browser.extensionUrl('options.html'));
  await pollUntil(
    async () => [await page.locator('[data-testid="subscription"]').count(), await page.locator('[data-testid="user-entry"]').count()],
    ([subscriptions, entries]) => subscriptions === 1 && entries === 1,
    { timeout: 10_000, message: 'the options page never showed the subscription and the person’s entry' },
  );
  return page;
}
