import type { Locator, Page } from 'playwright-core';
import type { ExtensionBrowser } from './browser.ts';

/**
 * The real clipboard, for real pastes: text goes onto the browser's clipboard through the async
 * Clipboard API, and a test then presses Control+V in the target page, which Blink turns into its
 * own Paste command, reading that clipboard and dispatching a trusted `paste` event (`isTrusted`
 * true, `clipboardData` filled by the browser), the way a person's keystroke does.
 *
 * Why a page of its own: `navigator.clipboard` only exists in secure contexts, and the fixture
 * hosts are plain http under made-up names. http://localhost is a secure context (and
 * browser.ts's resolver rules leave localhost alone), so the fixture server plays it from
 * tests/e2e/fixtures/localhost/ and this page writes from there, with the clipboard permissions
 * granted to exactly that origin. The async API also wants a focused document: the page is
 * brought to the front first, and the target page again before the keystroke.
 */
export class RealClipboard {
  readonly #browser: ExtensionBrowser;
  readonly #origin: string;
  #page: Page | undefined;

  constructor(browser: ExtensionBrowser, fixturePort: number) {
    this.#browser = browser;
    this.#origin = `http://localhost:${fixturePort}`;
  }

  async #source(): Promise<Page> {
    if (this.#page && !this.#page.isClosed()) return this.#page;
    await this.#browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: this.#origin });
    const page = await this.#browser.newPage(`${this.#origin}/`);
    if (!(await page.evaluate(() => window.isSecureContext && typeof navigator.clipboard?.writeText === 'function'))) {
      throw new Error(`${this.#origin} is not a secure context with navigator.clipboard; cannot write the clipboard.`);
    }
    this.#page = page;
    return page;
  }

  /** Puts `text` on the clipboard and reads it back to be sure it is there. */
  async write(text: string): Promise<void> {
    const page = await this.#source();
    await page.bringToFront();
    const readBack = await page.evaluate(async (value) => {
      await navigator.clipboard.writeText(value);
      return navigator.clipboard.readText();
    }, text);
    if (readBack !== text) throw new Error(`The clipboard holds ${readBack.length} characters after writing ${text.length}.`);
  }

  /**
   * A real paste of `text` into `field`: clipboard written, the field's page brought to the front,
   * the field focused by a click (as a person would), then Control+V.
   */
  async paste(text: string, field: Locator): Promise<void> {
    await this.write(text);
    const page = field.page();
    await page.bringToFront();
    await field.click();
    await page.keyboard.press('Control+V');
  }

  async close(): Promise<void> {
    await this.#page?.close().catch(() => {});
    this.#page = undefined;
  }
}
