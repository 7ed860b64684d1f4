import type { Frame, Locator, Page } from 'playwright-core';

/**
 * RelayGuard's surfaces inside a web page, read only through the contract's hooks
 * (docs/test-contract.md, "In-page warning" and "Key paste guard"):
 *
 * - the warning's host `[data-relayguard="warning"][data-level]`. Its UI is in a closed shadow
 *   root: only the host's attributes (and computed style) are reachable from outside;
 * - the paste question's host `[data-relayguard="paste-guard"]`, whose shadow root is open, so
 *   its text and `[data-testid="paste-anyway"]` / `[data-testid="cancel-paste"]` are reachable
 *   (Playwright's CSS engine pierces open shadow roots).
 */

export const WARNING_SELECTOR = '[data-relayguard="warning"]';
export const PASTE_GUARD_SELECTOR = '[data-relayguard="paste-guard"]';
/** The small, non-blocking notice after a key paste on an unknown page that called AI APIs. */
export const NOTICE_SELECTOR = '[data-relayguard="notice"]';

export function warningHost(page: Page): Locator {
  return page.locator(WARNING_SELECTOR);
}

/** The warning's `data-level`, or null while there is no warning (never waits). */
export async function warningLevel(page: Page): Promise<string | null> {
  return page.evaluate((selector) => document.querySelector(selector)?.getAttribute('data-level') ?? null, WARNING_SELECTOR);
}

export class PasteGuardDialog {
  /** The page, or the frame inside it whose paste was held (the question shows in that frame's document). */
  readonly page: Page | Frame;

  constructor(page: Page | Frame) {
    this.page = page;
  }

  get host(): Locator {
    return this.page.locator(PASTE_GUARD_SELECTOR);
  }

  get dialog(): Locator {
    return this.host.locator('[role="dialog"]');
  }

  get pasteAnyway(): Locator {
    return this.host.locator('[data-testid="paste-anyway"]');
  }

  get cancel(): Locator {
    return this.host.locator('[data-testid="cancel-paste"]');
  }

  /** Waits for the question to be shown. */
  async waitOpen(): Promise<void> {
    await this.dialog.waitFor({ state: 'visible' });
  }

  /** Waits for the question to leave the page (host element and all). */
  async waitClosed(): Promise<void> {
    await this.host.waitFor({ state: 'detached' });
  }

  /** Everything the question says, whitespace collapsed. */
  async text(): Promise<string> {
    return ((await this.dialog.innerText()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** The whole markup of the question's shadow root (to prove what is not in it). */
  async markup(): Promise<string> {
    return this.page.evaluate((selector) => document.querySelector(selector)?.shadowRoot?.innerHTML ?? '', PASTE_GUARD_SELECTOR);
  }
}
