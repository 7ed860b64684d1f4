import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { RealClipboard } from './support/clipboard.ts';
import { interstitialScene, optionsScene, pasteGuardScene, popupScene, saveScreen, warningScene } from './support/scenes.ts';
import { HOSTS } from './support/sites.ts';
import { describe, expect, test as base } from './support/fixtures.ts';

/**
 * RelayGuard in Chinese: Chromium runs with a zh-CN UI (browser.ts, `locale`; on Linux that takes
 * the gettext environment and Debian's chromium-l10n, not just `--lang`), and the popup, the
 * block page, the options page and the paste question speak from public/_locales/zh_CN/messages.json.
 * The five screens are saved as tests/e2e/.artifacts/screenshots/zh-CN/<name>.png (support/scenes.ts).
 */

const LOCALE = 'zh-CN';

declare const chrome: { i18n: { getUILanguage(): string; getMessage(key: string): string } };

type Messages = Record<string, { message: string }>;
const messagesOf = (folder: string): Messages =>
  JSON.parse(readFileSync(new URL(`../../public/_locales/${folder}/messages.json`, import.meta.url), 'utf8')) as Messages;
const ZH = messagesOf('zh_CN');
const EN = messagesOf('en');

/** A zh_CN message without placeholders; checked to differ from the English one, so it proves the language. */
function zh(key: string): string {
  const chinese = ZH[key]?.message;
  if (!chinese) throw new Error(`zh_CN/messages.json has no ${key}`);
  if (chinese === EN[key]?.message) throw new Error(`${key} reads the same in English and Chinese; pick another message`);
  if (chinese.includes('$')) throw new Error(`${key} has placeholders; compare its fixed parts instead`);
  return chinese;
}

/** The fixed parts of a zh_CN message around its $PLACEHOLDERS$. */
function zhParts(key: string): string[] {
  const chinese = ZH[key]?.message;
  if (!chinese) throw new Error(`zh_CN/messages.json has no ${key}`);
  return chinese.split(/\$[A-Z_]+\$/).map((part) => part.trim()).filter((part) => part.length > 0);
}

const test = base.override('locale', { scope: 'file' }, LOCALE).extend('clipboard', { scope: 'file' }, async ({ browser, server }, { onCleanup }) => {
  const clipboard = new RealClipboard(browser, server.port);
  onCleanup(() => clipboard.close());
  return clipboard;
});

const textOf = async (locator: { textContent(): Promise<string | null> }) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

describe('zh-CN', () => {
  test('the browser and the extension run in zh-CN', async ({ browser, newTab }) => {
    expect(browser.uiLanguage).toBe(LOCALE);
    const page = await newTab();
    await page.goto(browser.extensionUrl('popup.html'));
    expect(await page.evaluate(() => ({ ui: chrome.i18n.getUILanguage(), message: chrome.i18n.getMessage('level_unvetted') }))).toEqual({
      ui: LOCALE,
      message: zh('level_unvetted'),
    });
  });

  test('the popup on an unvetted relay', async ({ browser, server, newTab, openPopup }) => {
    const popup = await popupScene({ browser, server, newTab, openPopup });
    expect(await popup.page.evaluate(() => document.documentElement.lang)).toBe(LOCALE);
    expect(await textOf(popup.verdict)).toContain(zh('level_unvetted'));
    expect(await textOf(popup.page.locator('body'))).toContain(zh('answer_unvetted'));
    expect(await textOf(popup.page.locator('[data-testid="trust-site"]'))).toBe(zh('popup_trust'));
    expect(await textOf(popup.page.locator('[data-testid="block-site"]'))).toBe(zh('popup_block'));
    await saveScreen(browser, popup.page, 'popup');
  });

  test('the popup\'s report form: one word for "report", the answer and the form in Chinese', async ({ browser, server, newTab, openPopup }) => {
    const popup = await popupScene({ browser, server, newTab, openPopup });
    expect(await textOf(popup.page.locator('[data-testid="paste-answer"]'))).toBe(zh('answer_unvetted'));
    const report = popup.page.locator('[data-testid="report"]');
    expect(await textOf(report)).toBe(zh('report'));
    await report.click();
    await popup.page.locator('[data-testid="report-form"]').waitFor();
    expect(await textOf(popup.page.locator('[data-testid="report-send"]'))).toBe(zh('report_send'));
    const acts = await textOf(popup.page.locator('[data-testid="report-acts"]'));
    for (const part of [...zhParts('report_actsBlock'), HOSTS.oneApi]) expect(acts).toContain(part);
    await expect.poll(async () => (await popup.page.locator('[data-testid="report-preview"]').textContent()) ?? '', { timeout: 10_000 }).toContain('"schema": "relayguard.report/1"');
    expect(await textOf(popup.page.locator('[data-testid="report-no-endpoint"]'))).toBe(zh('report_noEndpoint'));
    await saveScreen(browser, popup.page, 'report-form');
  });

  test('the block page', async ({ browser, server, newTab, openPopup }) => {
    const interstitial = await interstitialScene({ browser, server, newTab, openPopup });
    expect(await interstitial.page.evaluate(() => document.documentElement.lang)).toBe(LOCALE);
    expect(await interstitial.page.title()).toBe(zh('interstitialTitle'));
    expect(await textOf(interstitial.page.locator('h1'))).toBe(zh('interstitialTitle'));
    const text = await interstitial.text();
    for (const part of zhParts('interstitialLead')) expect(text).toContain(part);
    expect(text).toContain(HOSTS.listedRelay);
    expect(text).toContain(zh('interstitialRisk'));
    expect(await textOf(interstitial.goBack)).toBe(zh('goBack'));
    expect(await textOf(interstitial.proceedOnce)).toBe(zh('proceedOnce'));
    await saveScreen(browser, interstitial.page, 'interstitial', true);
  });

  test('the paste question, after a real paste of an Anthropic key', async ({ browser, server, newTab, openPopup, clipboard }) => {
    const { page, dialog } = await pasteGuardScene({ browser, server, newTab, openPopup }, clipboard);
    const text = await dialog.text();
    expect(text).toContain(zh('paste_title'));
    // "你粘贴的文本包含一个 Anthropic API 密钥。在这里粘贴，会把这个密钥交给 <host>（未经审核的中转站）。"
    for (const part of zhParts('paste_lead_key')) expect(text).toContain(part);
    expect(text).toContain('Anthropic');
    expect(text).toContain(HOSTS.oneApiChannelForm);
    expect(text).toContain(zh('level_unvetted'));
    expect(text).toContain(zh('paste_risk_key'));
    expect(await textOf(dialog.pasteAnyway)).toBe(zh('paste_anyway'));
    expect(await textOf(dialog.cancel)).toBe(zh('paste_cancel'));
    expect(await dialog.lang()).toBe(LOCALE);
    await saveScreen(browser, page, 'paste-guard', true);
  });

  test('the in-page warning (its closed shadow root is only seen in the screenshot)', async ({ browser, server, newTab, openPopup }) => {
    // Chinese text needs a CJK font on the machine, or the screenshots show boxes.
    const cjkFonts = execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim();
    expect(cjkFonts, 'no CJK font (fc-list :lang=zh): install fonts-wqy-microhei or fonts-noto-cjk').not.toBe('');
    const page = await warningScene({ browser, server, newTab, openPopup });
    await saveScreen(browser, page, 'warning', true);
  });

  test('the options page', async ({ browser, server, newTab, openPopup }) => {
    const page = await optionsScene({ browser, server, newTab, openPopup });
    expect(await textOf(page.locator('h1'))).toBe(zh('options_title'));
    await saveScreen(browser, page, 'options');
  });
});
