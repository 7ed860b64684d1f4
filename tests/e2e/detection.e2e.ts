import type { Page } from 'playwright-core';
import type { FixtureServer } from './support/fixture-server.ts';
import { chars, HEX, sampleKeys } from '../support/generated-keys.ts';
import { chatCompletion } from './support/api-answers.ts';
import { HOSTS } from './support/sites.ts';
import { describe, expect, test } from './support/fixtures.ts';

/**
 * Relay detection (issue "Detect relays"), judged the way a person meets it: a fixture site per
 * kind of evidence, each under its own made-up host, and the popup's verdict and reasons read
 * only through the contract's hooks (docs/test-contract.md, "Popup"). Reason texts come from
 * public/_locales/en/messages.json: `reason_signal` is "<signal name in words>: <detail>",
 * `reason_endpoint` "The page called the AI API at <host> (…)", `reason_lookalike`
 * "<host> imitates <vendor domain>".
 */

/** The content script looks twice: at document_end and SECOND_LOOK_DELAY_MS (2 s) later. */
const PAST_SECOND_LOOK_MS = 3_000;

/** Relay-issued tokens (docs/relay-signals.md §4), generated at run time: new-api and claude-relay-service. */
const NEW_API_TOKEN = sampleKeys.newApiToken;
const CLAUDE_RELAY_SERVICE_TOKEN = 'cr_' + chars(64, 4_207, HEX);

describe('gateway software recognised from the page itself', () => {
  test('a stock one-api deployment is unvetted, naming its gateway meta description and footer credit', async ({ openSite, openPopup }) => {
    const page = await openSite(`http://${HOSTS.oneApi}/`);
    const popup = await openPopup(page);

    await popup.waitForLevel('unvetted');
    const reasons = await popup.reasons();
    await popup.screenshot('popup-unvetted-oneapi');
    expect(reasons).toContainEqual(expect.stringMatching(/^Relay gateway's stock page description: one-api$/));
    expect(reasons).toContainEqual("Relay gateway's footer credit: 由 JustSong 构建");
  });

  test('a rebranded new-api site is unvetted through its localStorage start-up cache and footer credit', async ({ openSite, openPopup }) => {
    const page = await openSite(`http://${HOSTS.newApiRebranded}/`);
    const popup = await openPopup(page);

    await popup.waitForLevel('unvetted');
    const reasons = await popup.reasons();
    expect(reasons).toContainEqual(expect.stringMatching(/^Relay gateway's saved site settings: status: system_name, quota_per_unit$/));
    expect(reasons).toContainEqual(expect.stringMatching(/^Relay gateway's storage keys: .*system_name/));
    expect(reasons).toContainEqual("Relay gateway's footer credit: 由 Calcium-Ion 开发");
    // Rebranded: its own title and description give nothing away.
    expect(reasons.join('\n')).not.toMatch(/stock page description|default title/);
  });

  test('a plain-looking dashboard is unvetted by its New-API-User request header alone', async ({ server, openSite, openPopup }) => {
    const selfUrl = `http://${HOSTS.headerOnlyDashboard}/api/user/self`;
    server.json(selfUrl, { success: true, message: '', data: { id: 1, username: 'e2e-user', role: 1, quota: 500_000 } });

    const page = await openSite(`http://${HOSTS.headerOnlyDashboard}/`);
    // The page really made its dashboard call, with the gateway's header.
    await expect.poll(() => page.locator('#account').getAttribute('data-state')).toBe('loaded');
    expect(await page.locator('#account').textContent()).toBe('Signed in as e2e-user');
    expect(server.requestsFor(selfUrl)).toContainEqual(
      expect.objectContaining({ method: 'GET', status: 200, headerNames: expect.arrayContaining(['new-api-user']) }),
    );

    const popup = await openPopup(page);
    await popup.waitForLevel('unvetted');
    // Nothing else on the page is evidence: the header is the one reason.
    expect(await popup.reasons()).toEqual(["Relay dashboard's user header: New-API-User"]);
  });
});

/**
 * Types a key into the fixture chat page, sends, and proves a real SDK request happened: the
 * page shows the relay's reply, and the relay saw a preflight and the POST. Returns the POST.
 */
async function sendThroughSdk(
  page: Page,
  server: FixtureServer,
  { endpoint, apiKey, replyText }: { endpoint: string; apiKey: string; replyText: string },
) {
  await page.locator('#api-key').fill(apiKey);
  await page.locator('#send').click();
  await expect.poll(() => page.locator('#reply').getAttribute('data-state')).not.toBe('pending');
  expect({ state: await page.locator('#reply').getAttribute('data-state'), text: await page.locator('#reply').textContent() }).toEqual({
    state: 'done',
    text: replyText,
  });
  expect(server.requestsFor(endpoint).map((request) => request.method)).toEqual(['OPTIONS', 'POST']);
  return server.requestsFor(endpoint).find((request) => request.method === 'POST');
}

describe('AI API calls from a page to a relay on another host', () => {
  test('the OpenAI SDK in the page, pointed at a relay: unvetted, naming the endpoint host', async ({ server, openSite, openPopup }) => {
    const endpoint = `http://${HOSTS.openAiRelayEndpoint}/v1/chat/completions`;
    const replyText = 'Hello from the relay (OpenAI-compatible).';
    server.json(endpoint, chatCompletion({ id: 'chatcmpl-e2e0001', content: replyText }));

    const page = await openSite(`http://${HOSTS.openAiSdkChat}/`);
    const popup = await openPopup(page);
    // Before any call the page is an ordinary page.
    expect(await popup.level()).toBe('unknown');

    const post = await sendThroughSdk(page, server, { endpoint, apiKey: NEW_API_TOKEN, replyText });
    expect(post?.headerNames).toEqual(expect.arrayContaining(['authorization', 'x-stainless-lang', 'x-stainless-package-version']));

    await popup.waitForLevel('unvetted');
    const reasons = await popup.reasons();
    expect(reasons).toContainEqual(expect.stringContaining(`The page called the AI API at ${HOSTS.openAiRelayEndpoint} (openai`));
  });

  test('the Anthropic SDK in the page, pointed at a relay: unvetted, naming the endpoint host', async ({ server, openSite, openPopup }) => {
    const endpoint = `http://${HOSTS.anthropicRelayEndpoint}/v1/messages`;
    const replyText = 'Quick heads-up: the meeting has moved!';
    server.json(endpoint, {
      id: 'msg_e2e0001',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: replyText }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 14, output_tokens: 9 },
    });

    const page = await openSite(`http://${HOSTS.anthropicSdkChat}/`);
    const popup = await openPopup(page);
    expect(await popup.level()).toBe('unknown');

    const post = await sendThroughSdk(page, server, { endpoint, apiKey: CLAUDE_RELAY_SERVICE_TOKEN, replyText });
    // @anthropic-ai/sdk 1.x sends `apiKey` as `Authorization: Bearer`, not `x-api-key`.
    expect(post?.headerNames).toEqual(
      expect.arrayContaining(['authorization', 'anthropic-version', 'anthropic-dangerous-direct-browser-access']),
    );

    await popup.waitForLevel('unvetted');
    expect(await popup.reasons()).toContainEqual(
      expect.stringContaining(`The page called the AI API at ${HOSTS.anthropicRelayEndpoint} (anthropic`),
    );
  });
});

describe('pages about relays and APIs are not relays', () => {
  test.for([
    ['a blog post about relays', HOSTS.relayBlog],
    ['API documentation with code samples', HOSTS.apiDocs],
  ] as const)('%s stays unknown past the content script’s second look', async ([, host], { openSite, openPopup }) => {
    const page = await openSite(`http://${host}/`);
    const popup = await openPopup(page);

    expect(await popup.levelsDuring(PAST_SECOND_LOOK_MS)).toEqual(['unknown']);
    expect(await popup.reasons()).toEqual([]);
  });
});

describe('look-alikes of a vendor console', () => {
  test.for([
    ['the brand joined with a relay keyword', HOSTS.consoleBrandWithKeyword],
    ['a typo of the brand', HOSTS.consoleTypo],
  ] as const)('%s (%s) is unvetted, naming the vendor domain it imitates', async ([, host], { openSite, openPopup }) => {
    const page = await openSite(`http://${host}/`);
    expect(await page.locator('h1').textContent()).toBe('Sign in to Console'); // served, not an error page
    const popup = await openPopup(page);

    await popup.waitForLevel('unvetted');
    expect(await popup.reasons()).toContainEqual(`${host} imitates anthropic.com`);
  });
});
