import type { Locator, Page } from 'playwright-core';
import { saveScreenshot } from './artifacts.ts';
import type { ExtensionBrowser } from './browser.ts';
import { pollUntil } from './poll.ts';

/** Roughly the size Chromium gives an action popup. */
const POPUP_VIEWPORT = { width: 400, height: 600 };

/** How long one look at the popup waits for its verdict while polling. */
const ONE_LOOK_TIMEOUT = 5_000;

/**
 * The popup, opened as a tab on `popup.html?tab=<tabId>` (docs/test-contract.md, "Popup"), read only
 * through the contract's hooks. The popup asks the background once, when it opens; to see a
 * verdict change (detection is asynchronous) it has to be opened again: see waitForLevel().
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
  async level(timeout?: number): Promise<string> {
    await this.verdict.waitFor({ state: 'attached', ...(timeout !== undefined && { timeout }) });
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

  /** Every endpoint row: the host it names, its own level, and the gateway account it shows (if any). */
  async endpoints(): Promise<Array<{ host: string; level: string; account: string | null }>> {
    await this.verdict.waitFor({ state: 'attached' });
    return this.page.locator('[data-testid="endpoint"]').evaluateAll((rows) =>
      rows.map((row) => ({
        host: row.getAttribute('data-host') ?? '',
        level: row.getAttribute('data-level') ?? '',
        account: row.getAttribute('data-account'),
      })),
    );
  }

  /** Opens the popup again, so it asks the background afresh. */
  async refresh(): Promise<void> {
    await this.page.reload();
  }

  /**
   * Re-opens the popup until its verdict is `level`: page fingerprints, gateway headers and API
   * calls reach the background asynchronously. Fails with the last level seen.
   */
  async waitForLevel(level: string, timeout = 20_000): Promise<void> {
    await pollUntil(
      async () => {
        await this.refresh();
        return this.level(ONE_LOOK_TIMEOUT);
      },
      (seen) => seen === level,
      { timeout, interval: 300, message: `popup for tab ${this.tabId} never showed "${level}"` },
    );
  }

  /** Every level the popup shows while re-opened for `durationMs`, in order, without repeats. */
  async levelsDuring(durationMs: number): Promise<string[]> {
    const seen: string[] = [];
    const end = Date.now() + durationMs;
    do {
      await this.refresh();
      const level = await this.level(ONE_LOOK_TIMEOUT);
      if (seen.at(-1) !== level) seen.push(level);
    } while (Date.now() < end);
    return seen;
  }

  /** Saves a full-page screenshot as `tests/e2e/.artifacts/<name>.png`; returns its path. */
  screenshot(name: string): Promise<string> {
    return saveScreenshot(this.page, name);
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}
