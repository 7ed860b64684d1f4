import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { sampleKeys } from '../support/generated-keys.ts';
import { secretWindows } from '../support/key-formats.ts';
import { chatCompletion } from './support/api-answers.ts';
import { ARTIFACTS_DIR, saveScreenshot } from './support/artifacts.ts';
import { pollUntil } from './support/poll.ts';
import { HOSTS } from './support/sites.ts';
import { expect, test } from './support/fixtures.ts';

/**
 * "Where your keys went" in the real browser: a chat page sends an OpenAI key to a relay on
 * another host through the real OpenAI SDK; the popup says so on the spot and the options
 * page's history shows it, each with the key's last four characters and no more of it
 * (docs/test-contract.md, "Key history").
 */

const KEY = sampleKeys.openai;
const ENDING = `…${KEY.slice(-4)}`;
const ENDPOINT = `http://${HOSTS.openAiRelayEndpoint}/v1/chat/completions`;

/** No five consecutive characters of the key's secret body anywhere in `text`. */
function holdsNoMoreThanTheEnding(text: string): void {
  for (const window of secretWindows(KEY, 5)) expect(text).not.toContain(window);
}

async function sendKeyThroughSdk(page: Page): Promise<void> {
  await page.locator('#api-key').fill(KEY);
  await page.locator('#send').click();
  await expect.poll(() => page.locator('#reply').getAttribute('data-state')).toBe('done');
}

test('a vendor key a page sends to a relay shows in the popup and in the history with its last four characters only', async ({
  browser,
  server,
  openSite,
  openPopup,
  testPages,
}) => {
  server.json(ENDPOINT, chatCompletion({ id: 'chatcmpl-history1', content: 'Hello from the relay.' }));
  const page = await openSite(`http://${HOSTS.openAiSdkChat}/`);
  const tabId = await browser.tabIdOf(page);
  await sendKeyThroughSdk(page);

  // The popup asks once when it opens; the history is written just after the request, so look again until it says so.
  const notice = await pollUntil(
    async () => {
      const popup = await openPopup(tabId);
      const found = popup.page.locator('[data-testid="key-sent-notice"]');
      await popup.page.locator('[data-testid="keys-sent"]').waitFor({ state: 'attached' });
      const text = (await found.count()) > 0 ? await found.first().textContent() : null;
      return { popup, text };
    },
    ({ text }) => text !== null,
    { timeout: 15_000, interval: 300, message: 'the popup never said the key was sent' },
  );
  expect(notice.text?.replace(/\s+/g, ' ').trim()).toBe(`Your OpenAI key ending ${ENDING} was sent to ${HOSTS.openAiRelayEndpoint}: rotate it. Rotate this key`);
  expect(await notice.popup.page.locator('[data-testid="key-sent-notice"] [data-testid="rotate-key"]').getAttribute('href')).toBe('https://platform.openai.com/api-keys');
  holdsNoMoreThanTheEnding(await notice.popup.page.content());
  // README's pictures of the notice and the timeline (tests/e2e/.artifacts/key-history-*.png).
  await saveScreenshot(notice.popup.page, 'key-history-popup');

  const options = await browser.newPage(browser.extensionUrl('options.html'));
  testPages.push(options);
  const keyEntry = options.locator('[data-testid="history-entry"][data-kind="key-sent"]');
  await keyEntry.waitFor();
  expect((await keyEntry.textContent())?.replace(/\s+/g, ' ')).toContain(`OpenAI key ending ${ENDING} sent from ${HOSTS.openAiSdkChat} to ${HOSTS.openAiRelayEndpoint}`);
  expect(await keyEntry.locator('[data-testid="rotate-key"]').getAttribute('href')).toBe('https://platform.openai.com/api-keys');
  await options.locator('[data-testid="history-entry"][data-kind="ai-call"]').waitFor();
  holdsNoMoreThanTheEnding(await options.content());
  await options.setViewportSize({ width: 1000, height: 800 });
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await options.locator('[data-testid="history"]').screenshot({ path: join(ARTIFACTS_DIR, 'key-history-options.png'), caret: 'hide', animations: 'disabled' });

  // Clear-all empties the timeline, and the popup has nothing more to say.
  await options.locator('[data-testid="history-clear"]').click();
  await options.locator('[data-testid="history-empty"]').waitFor();
  const after = await openPopup(tabId);
  expect(await after.page.locator('[data-testid="keys-sent"]').getAttribute('data-count')).toBe('0');
  expect(await after.page.locator('[data-testid="key-sent-notice"]').count()).toBe(0);
});
