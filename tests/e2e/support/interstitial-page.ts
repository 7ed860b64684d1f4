import type { Locator, Page } from 'playwright-core';
import { saveScreenshot } from './artifacts.ts';
import type { ExtensionBrowser } from './browser.ts';

/**
 * The block page (docs/test-contract.md, "Blocked pages"): `chrome-extension://<id>/blocked.html#<url>`,
 * read through the contract's hooks (`go-back`, `proceed-once`) and its visible text, which must
 * show the original URL and why it is blocked.
 */
export class InterstitialPage {
  readonly page: Page;
  /** The URL the person was going to, as the browser requested it. */
  readonly blockedUrl: string;

  private constructor(page: Page, blockedUrl: string) {
    this.page = page;
    this.blockedUrl = blockedUrl;
  }

  /** Where a navigation to `blockedUrl` must land. */
  static urlFor(browser: ExtensionBrowser, blockedUrl: string): string {
    return `${browser.extensionUrl('blocked.html')}#${blockedUrl}`;
  }

  /** Waits until `page` shows the block page for `blockedUrl` and its go-back button has rendered. */
  static async expectOn(browser: ExtensionBrowser, page: Page, blockedUrl: string): Promise<InterstitialPage> {
    await page.waitForURL(InterstitialPage.urlFor(browser, blockedUrl));
    const interstitial = new InterstitialPage(page, blockedUrl);
    await interstitial.goBack.waitFor({ state: 'visible' });
    return interstitial;
  }

  get goBack(): Locator {
    return this.page.locator('[data-testid="go-back"]');
  }

  get proceedOnce(): Locator {
    return this.page.locator('[data-testid="proceed-once"]');
  }

  /** Everything the page says, whitespace collapsed (the URL and the reasons are in there). */
  async text(): Promise<string> {
    return ((await this.page.locator('body').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** Clicks "proceed once" and waits for the original page to load in this tab. */
  async proceed(): Promise<void> {
    await this.proceedOnce.click();
    await this.page.waitForURL(this.blockedUrl);
  }

  screenshot(name: string): Promise<string> {
    return saveScreenshot(this.page, name);
  }
}
