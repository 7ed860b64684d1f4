import type { Page } from 'playwright-core';
import { RealClipboard } from './support/clipboard.ts';
import { interstitialScene, optionsScene, pasteGuardScene, popupScene, saveScreen, SCENE_BLOCKLIST, SCENE_USER_ENTRY, warningScene } from './support/scenes.ts';
import { describe, expect, test as base } from './support/fixtures.ts';

/**
 * The six screens a person meets, in English, saved by the run as
 * tests/e2e/.artifacts/screenshots/en-US/<name>.png (support/scenes.ts; languages.e2e.ts makes
 * the Chinese ones). Pages at 1280×800, the popup 400 px wide. Each test also checks the screen
 * is the one it claims to be, so a shot of an error page cannot pass for it.
 */

const test = base
  .override('locale', { scope: 'file' }, 'en-US')
  .extend('clipboard', { scope: 'file' }, async ({ browser, server }, { onCleanup }) => {
    const clipboard = new RealClipboard(browser, server.port);
    onCleanup(() => clipboard.close());
    return clipboard;
  });

/**
 * Chromium gives extension pages a body font of its own (75 % of the default, in its platform
 * family); pages that set their font on :root only get it back with `body { font: inherit }`.
 */
async function expectDesignedFont(page: Page): Promise<void> {
  const fonts = await page.evaluate(() => [getComputedStyle(document.documentElement).font, getComputedStyle(document.body).font]);
  expect(fonts[1], 'body font').toBe(fonts[0]);
}

describe('screenshots (English)', () => {
  test('popup on an unvetted relay', async ({ browser, server, newTab, openPopup }) => {
    const popup = await popupScene({ browser, server, newTab, openPopup });
    expect(await popup.page.locator('[data-testid="trust-site"]').textContent()).toBe('Trust this site');
    await expectDesignedFont(popup.page);
    await saveScreen(browser, popup.page, 'popup');
  });

  test('the popup\'s report form on a relay, without a report endpoint', async ({ browser, server, newTab, openPopup }) => {
    const popup = await popupScene({ browser, server, newTab, openPopup });
    await popup.page.locator('[data-testid="report"]').click();
    await popup.page.locator('[data-testid="report-note"]').fill('Asked me to paste my OpenAI key to "activate" the account.');
    const preview = popup.page.locator('[data-testid="report-preview"]');
    await expect.poll(async () => (await preview.textContent()) ?? '', { timeout: 10_000 }).toContain('"note": "Asked me to paste');
    await popup.page.locator('[data-testid="report-no-endpoint"]').waitFor();
    expect(await popup.page.locator('[data-testid="report-send"]').textContent()).toBe('Send report');
    await saveScreen(browser, popup.page, 'report-form');
  });

  test('in-page warning on a relay page', async ({ browser, server, newTab, openPopup }) => {
    const page = await warningScene({ browser, server, newTab, openPopup });
    await saveScreen(browser, page, 'warning', true);
  });

  test('paste question after a real paste of a key', async ({ browser, server, newTab, openPopup, clipboard }) => {
    const { page, dialog } = await pasteGuardScene({ browser, server, newTab, openPopup }, clipboard);
    expect(await dialog.text()).toContain('RelayGuard held this paste');
    await saveScreen(browser, page, 'paste-guard', true);
  });

  test('block page', async ({ browser, server, newTab, openPopup }) => {
    const interstitial = await interstitialScene({ browser, server, newTab, openPopup });
    expect(await interstitial.goBack.textContent()).toBe('Go back');
    await expectDesignedFont(interstitial.page);
    await saveScreen(browser, interstitial.page, 'interstitial', true);
  });

  test('options page with a subscription and an entry of ones own', async ({ browser, server, newTab, openPopup }) => {
    const page = await optionsScene({ browser, server, newTab, openPopup });
    expect(await page.locator('h1').textContent()).toBe('RelayGuard settings');
    const subscription = await page.locator('[data-testid="subscription"]').textContent();
    expect(subscription).toContain(SCENE_BLOCKLIST.name);
    expect(subscription).toContain(SCENE_BLOCKLIST.version);
    expect(await page.locator('[data-testid="user-entry"]').textContent()).toContain(SCENE_USER_ENTRY.pattern);
    // The options page sets a larger body size of its own (entrypoints/options/style.css); the family must still be the designed one.
    const families = await page.evaluate(() => [getComputedStyle(document.documentElement).fontFamily, getComputedStyle(document.body).fontFamily]);
    expect(families[1], 'body font family').toBe(families[0]);
    await saveScreen(browser, page, 'options');
  });
});
