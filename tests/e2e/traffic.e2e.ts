import type { Page } from 'playwright-core';
import { sampleKeys } from '../support/generated-keys.ts';
import { chatCompletion } from './support/api-answers.ts';
import { describe, expect, test } from './support/fixtures.ts';

/**
 * Every shape of AI-API traffic a page can send is seen (issue 10, "Traffic that goes unseen"):
 * the fixture page traffic-lab.test reaches made-up API hosts the way chat front ends do, and the
 * popup's verdict and endpoint rows are read through the contract's hooks (docs/test-contract.md).
 * Each call is proven made (the fixture server saw it) before the verdict is read.
 */

const LAB = 'http://traffic-lab.test/';
const RELAY_TOKEN = sampleKeys.newApiToken;
const VETTED_GATEWAY = 'api.vetted-gw.test';

type Call = { method?: string; key?: string; body?: unknown; headers?: Record<string, string> };

async function pageFetch(page: Page, url: string, call: Call = {}): Promise<unknown> {
  return page.evaluate(([target, options]) => (window as unknown as { traffic: { fetch(u: string, o: unknown): Promise<unknown> } }).traffic.fetch(target, options), [url, { key: RELAY_TOKEN, ...call }] as const);
}

describe('one path, one host, however they are spelled', () => {
  test.for([
    ['merged slashes (nginx merge_slashes)', 'http://slashes.relay-endpoint.test/v1//chat/completions'],
    ['an upper-case version segment', 'http://upper.relay-endpoint.test/V1/Chat/Completions'],
  ] as const)('%s: the relay endpoint is seen and the page is unvetted', async ([, url], { server, openSite, openPopup }) => {
    server.json(url, chatCompletion({ id: 'chatcmpl-e2e-path', content: 'ok' }));
    const page = await openSite(LAB);

    expect(await pageFetch(page, url)).toBe(200);
    expect(server.requestsFor(url).map((request) => request.method)).toEqual(['OPTIONS', 'POST']);

    const popup = await openPopup(page);
    await popup.waitForLevel('unvetted');
    expect(await popup.endpoints()).toEqual([{ host: new URL(url).hostname, level: 'unvetted', account: null }]);
  });

  test('a trailing-dot host is the host a list vets: the endpoint is vetted, the page stays unknown', async ({ browser, server, openSite, openPopup }) => {
    const url = `http://${VETTED_GATEWAY}/v1/chat/completions`;
    server.json(url, chatCompletion({ id: 'chatcmpl-e2e-dot', content: 'ok' }));
    const put = await browser.sendToBackground({ type: 'user-entries/put', pattern: VETTED_GATEWAY, level: 'vetted' });
    expect(put).toMatchObject({ ok: true });
    const page = await openSite(LAB);

    // The DNS root's dot: the browser sends it as it is (Host: api.vetted-gw.test.).
    expect(await pageFetch(page, `http://${VETTED_GATEWAY}./v1/chat/completions`)).toBe(200);
    expect(server.requestsFor(url).map((request) => request.method)).toEqual(['OPTIONS', 'POST']);

    const popup = await openPopup(page);
    // The call is recorded (the row is the explicit signal), under the list's spelling of the host.
    await expect.poll(async () => (await popup.refresh(), popup.endpoints())).toEqual([{ host: VETTED_GATEWAY, level: 'vetted', account: null }]);
    expect(await popup.level()).toBe('unknown');
    await browser.sendToBackground({ type: 'user-entries/remove', pattern: VETTED_GATEWAY });
  });
});
