import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import type { ExtensionBrowser } from './browser.ts';

/** Screenshots and other leftovers of a run (gitignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../.artifacts/', import.meta.url));

/** Roughly the size Chromium gives an action popup. */
const POPUP_VIEWPORT = { width: 400, height: 600 };

/**
 * The popup, opened as a tab on `popup.html?tab=<tabId>` (test-contract.md, "Popup"), read only
 * through the contract's hooks.
 */
export class PopupPage {
  readonly page: Page;
  readonly tabId: number;

  private constructor(page: Page, tabId: number) {
    this.page = page;
    this.tabId = tabId;
  }

  static async open(browser: ExtensionBrowser, tabId: number): Promise<PopupPage> {
    const page = await browser.context.newPage();
    await page.setViewportSize(POPUP_VIEWPORT);
    await page.goto(browser.extensionUrl(`popup.html?tab=${tabId}`));
    return new PopupPage(page, tabId);
  }

  /** The one verdict element, once it carries a level (strict: two would be an error). */
  get verdict(): Locator {
    return this.page.locator('[data-testid="verdict"][data-level]');
  }

  get reasonItems(): Locator {
    return this.page.locator('[data-testid="reason"]');
  }

  /** The verdict's `data-level`, waiting until the verdict appears. */
  async level(): Promise<string> {
    await this.verdict.waitFor({ state: 'attached' });
    const level = await this.verdict.getAttribute('data-level');
    if (level === null) throw new Error('The verdict lost its data-level while being read.');
    return level;
  }

  /** The text of every reason (whitespace collapsed), read after the verdict has appeared. */
  async reasons(): Promise<string[]> {
    await this.verdict.waitFor({ state: 'attached' });
    const texts = await this.reasonItems.allTextContents();
    return texts.map((text) => text.replace(/\s+/g, ' ').trim());
  }

  /** Saves a full-page screenshot as `tests/e2e/.artifacts/<name>.png`; returns its path. */
  async screenshot(name: string): Promise<string> {
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    const path = join(ARTIFACTS_DIR, `${name}.png`);
    await this.page.screenshot({ path, fullPage: true });
    return path;
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}
