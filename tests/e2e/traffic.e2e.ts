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

type LabWindow = { traffic: Record<string, (...args: unknown[]) => Promise<unknown>> };
/** Runs one of traffic-lab's ways of calling (window.traffic.<name>) in the page; resolves with what it answered. */
function lab(page: Page, name: string, ...args: unknown[]): Promise<unknown> {
  return page.evaluate(([fn, rest]) => (window as unknown as LabWindow).traffic[fn]!(...rest), [name, args] as const);
}

describe("a worker's call is evidence on the tabs it serves", () => {
  // Chromium gives a service worker's and a shared worker's requests tabId -1 (they serve every page
  // of their origin), and a dedicated worker's the tab of the document that started it (measured
  // here with Chromium 156: docs/relay-signals.md §2).
  test.for([
    ['service worker', 'serviceWorker', 'sw', true],
    ['shared worker', 'sharedWorker', 'shared', true],
    ['dedicated worker', 'dedicatedWorker', 'dedicated', false],
  ] as const)('%s: the tabs it serves are unvetted, other tabs stay unknown', async ([, fn, label, servesOrigin], { server, openSite, openPopup }) => {
    const url = `http://${label}.relay-endpoint.test/v1/chat/completions`;
    server.json(url, chatCompletion({ id: `chatcmpl-e2e-${label}`, content: 'ok' }));
    const first = await openSite(LAB);
    const second = await openSite(`${LAB}?second`);
    const elsewhere = await openSite('http://plain.test/');

    expect(await lab(first, fn, { url, key: RELAY_TOKEN })).toBe(200);
    expect(server.requestsFor(url).filter((request) => request.method === 'POST')).toHaveLength(1);

    const served = servesOrigin ? [first, second] : [first];
    for (const page of served) {
      const popup = await openPopup(page);
      await popup.waitForLevel('unvetted');
      expect(await popup.endpoints()).toEqual([{ host: `${label}.relay-endpoint.test`, level: 'unvetted', account: null }]);
    }
    // The served tabs' evidence is in (above), so the others have had every chance to get it too.
    const unserved = servesOrigin ? [elsewhere] : [second, elsewhere];
    for (const page of unserved) expect(await (await openPopup(page)).level()).toBe('unknown');
  });
});

describe('every route and carrier a page calls an AI API with', () => {
  test.for([
    ['/v1/responses, the key in the body and no Authorization header', 'responses', '/v1/responses', { key: '', body: { model: 'gpt-4.1', api_key: sampleKeys.openai, input: 'hi' } }, 'vendor-key'],
    ['/v1/embeddings', 'embeddings', '/v1/embeddings', { body: { model: 'text-embedding-3-small', input: 'hi' } }, 'relay-token'],
    ['/v1/images/generations', 'images', '/v1/images/generations', { body: { model: 'gpt-image-1', prompt: 'a cat' } }, 'relay-token'],
    ['/v1/audio/speech', 'audio', '/v1/audio/speech', { body: { model: 'gpt-4o-mini-tts', input: 'hi', voice: 'alloy' } }, 'relay-token'],
    ['a same-origin proxy at /api/chat with a vendor key', 'proxy', '/api/chat', { key: sampleKeys.anthropic, body: { messages: [] } }, 'vendor-key'],
  ] as const)('%s: unvetted, the endpoint named', async ([, label, path, call, credential], { server, openSite, openPopup }) => {
    // The proxy is the page's own site: its origin is the endpoint.
    const host = label === 'proxy' ? 'traffic-lab.test' : `${label}.relay-endpoint.test`;
    const url = `http://${host}${path}`;
    server.json(url, { ok: true });
    const page = await openSite(LAB);

    expect(await pageFetch(page, url, call)).toBe(200);
    expect(server.requestsFor(url).filter((request) => request.method === 'POST')).toHaveLength(1);

    const popup = await openPopup(page);
    await popup.waitForLevel('unvetted');
    expect(await popup.endpoints()).toEqual([{ host, level: 'unvetted', account: null }]);
    expect(await popup.page.locator(`[data-testid="endpoint"] [data-kind="${credential}"]`).count()).toBe(1);
  });

  test('streaming through EventSource (a GET, the key in the query)', async ({ server, openSite, openPopup }) => {
    const url = 'http://sse.relay-endpoint.test/v1/chat/completions';
    server.json(url, { ok: true });
    const page = await openSite(LAB);

    expect(await lab(page, 'eventSource', `${url}?stream=true&api_key=${RELAY_TOKEN}`)).toBe('closed');
    expect(server.requestsFor(url).map((request) => request.method)).toContain('GET');

    const popup = await openPopup(page);
    await popup.waitForLevel('unvetted');
    expect(await popup.endpoints()).toEqual([{ host: 'sse.relay-endpoint.test', level: 'unvetted', account: null }]);
  });

  test('Realtime over WebSocket: seen by its route (Chromium hides the subprotocol that carries the key)', async ({ openSite, openPopup }) => {
    const page = await openSite(LAB);
    // The fixture server speaks no WebSocket: the handshake is sent and refused, which is all it takes.
    expect(await lab(page, 'webSocket', 'ws://realtime.relay-endpoint.test/v1/realtime?model=gpt-realtime', sampleKeys.openai)).toBe('error');

    const popup = await openPopup(page);
    await popup.waitForLevel('unvetted');
    expect(await popup.endpoints()).toEqual([{ host: 'realtime.relay-endpoint.test', level: 'unvetted', account: null }]);
    // Chromium 156 leaves Sec-WebSocket-Protocol out of webRequest's headers, extraHeaders or not.
    expect(await popup.page.locator('[data-testid="endpoint"] [data-kind]').count()).toBe(0);
  });

  test('a form posted into a frame', async ({ server, openSite, openPopup }) => {
    const url = 'http://form.relay-endpoint.test/v1/chat/completions';
    server.json(url, { ok: true });
    const page = await openSite(LAB);

    expect(await lab(page, 'formPost', url, { key: RELAY_TOKEN, prompt: 'hi' })).toBe('loaded');
    expect(server.requestsFor(url).map((request) => request.method)).toEqual(['POST']);

    const popup = await openPopup(page);
    await popup.waitForLevel('unvetted');
    expect(await popup.endpoints()).toEqual([{ host: 'form.relay-endpoint.test', level: 'unvetted', account: null }]);
    expect(await popup.page.locator('[data-testid="endpoint"] [data-kind="relay-token"]').count()).toBe(1);
  });
});

describe('a call RelayGuard blocked', () => {
  test('the page that tried to reach a blocked relay is blocked, with the warning', async ({ browser, server, openSite, openPopup }) => {
    const host = 'stopped.relay-endpoint.test';
    const url = `http://${host}/v1/chat/completions`;
    server.json(url, chatCompletion({ id: 'chatcmpl-e2e-blocked', content: 'never' }));
    expect(await browser.sendToBackground({ type: 'user-entries/put', pattern: host, level: 'blocked' })).toMatchObject({ ok: true });
    const page = await openSite(LAB);

    // The block rules stop it before it leaves the browser (the rule is in force once the put resolved).
    expect(await pageFetch(page, url)).toBe('failed: Failed to fetch');
    expect(server.requestsFor(url)).toEqual([]);

    const popup = await openPopup(page);
    await popup.waitForLevel('blocked');
    expect(await popup.endpoints()).toEqual([{ host, level: 'blocked', account: null }]);
    await expect.poll(() => page.locator('[data-relayguard="warning"]').getAttribute('data-level')).toBe('blocked');
    await browser.sendToBackground({ type: 'user-entries/remove', pattern: host });
  });
});

describe('a multi-tenant gateway: vetted by account, not by host', () => {
  const GATEWAY = 'gateway.ai.cloudflare.com';
  const TEAM_ACCOUNT = '0123456789abcdef0123456789abcdef';
  const STRANGER_ACCOUNT = 'fedcba9876543210fedcba9876543210';
  const LIST_URL = 'http://lists.test/team-gateway.json';

  test("the popup names each call's account; a list entry for one account vets it and not another", async ({ browser, server, openSite, openPopup }) => {
    const call = (account: string) => `http://${GATEWAY}/v1/${account}/chat-gw/openai/chat/completions`;
    server.json(LIST_URL, {
      name: 'Team gateway accounts',
      version: '1',
      updated: '2026-12-01',
      entries: [{ pattern: `${GATEWAY}/v1/${TEAM_ACCOUNT}/`, level: 'vetted', reason: "Our team's own Cloudflare AI Gateway account" }],
    });
    expect(await browser.sendToBackground({ type: 'lists/subscribe', url: LIST_URL })).toMatchObject({ ok: true, data: { entryCount: 1 } });
    const page = await openSite(LAB);
    // cloudflare.com is HSTS-preloaded: Chromium sends the call as https, which the plain-http
    // fixture server cannot answer, so the fetch fails after the request was sent and observed.
    // A simple request (text/plain, the token in the body) has no preflight to fail first.
    const send = (account: string) => pageFetch(page, call(account), { key: '', body: { token: RELAY_TOKEN }, headers: { 'Content-Type': 'text/plain' } });

    expect(await send(TEAM_ACCOUNT)).toBe('failed: Failed to fetch');
    const popup = await openPopup(page);
    await expect.poll(async () => (await popup.refresh(), popup.endpoints())).toEqual([{ host: GATEWAY, level: 'vetted', account: `${TEAM_ACCOUNT}/chat-gw` }]);
    expect(await popup.level()).toBe('unknown');
    expect(await popup.page.locator('[data-testid="endpoint"] .endpoint-account').textContent()).toBe(`${TEAM_ACCOUNT}/chat-gw`);
    await popup.screenshot('popup-gateway-account-vetted');

    // The bundled list vets the gateway's host; that no longer vouches for a stranger's account.
    expect(await send(STRANGER_ACCOUNT)).toBe('failed: Failed to fetch');
    await popup.waitForLevel('unvetted');
    expect(await popup.endpoints()).toEqual([
      { host: GATEWAY, level: 'vetted', account: `${TEAM_ACCOUNT}/chat-gw` },
      { host: GATEWAY, level: 'unvetted', account: `${STRANGER_ACCOUNT}/chat-gw` },
    ]);
  });
});
