import type { Locator, Page } from 'playwright-core';
import { chars, sampleKeys } from '../support/generated-keys.ts';
import { chatCompletion } from './support/api-answers.ts';
import type { ExtensionBrowser } from './support/browser.ts';
import { RealClipboard } from './support/clipboard.ts';
import { containsSecret, ExtensionAudit, findSecret, plantCanary } from './support/extension-audit.ts';
import { NOTICE_SELECTOR, PASTE_GUARD_SELECTOR, PasteGuardDialog, warningLevel } from './support/in-page.ts';
import { readWatch, watchPage } from './support/page-watch.ts';
import { HOSTS } from './support/sites.ts';
import { describe, expect, test as base } from './support/fixtures.ts';

/**
 * The key paste guard (docs/test-contract.md, "Key paste guard"), with real pastes: the key goes on
 * the browser's clipboard and Control+V is pressed in the page (support/clipboard.ts), so the
 * page gets the same trusted `paste` event a person's keystroke makes. The key is an Anthropic
 * API key generated at run time (tests/support/generated-keys.ts); no literal key is written.
 *
 * Before the first paste, a recorder goes into the service worker (support/extension-audit.ts);
 * the last test reads it and every storage area of the extension, and looks for the key.
 */

const KEY = sampleKeys.anthropic; // sk-ant-api03-…AA, the shape lib/detection/keys.ts calls an Anthropic API key
/** sk-ant-sid01-…: a Claude subscription (session) credential, held on every page but Claude's own. */
const SESSION = sampleKeys.claudeSession;
const RELAY_URL = `http://${HOSTS.oneApiChannelForm}/`;
/** An ordinary page (no verdict beyond `unknown`) with a text field: API documentation's search box. */
const ORDINARY_URL = `http://${HOSTS.apiDocs}/`;
const NOT_A_KEY = `Claude channel for the writing team, ${chars(12, 7_301)}`;

/** Pastes this file made of the key, by outcome: the audit test checks the flow really ran. */
const keyPastes = { held: 0, pastedAnyway: 0, cancelled: 0, passedThrough: 0 };
/** The same for the Claude session credential. */
const sessionPastes = { held: 0, pastedAnyway: 0, cancelled: 0 };

const test = base
  // Installed before any test of the file acts: every message from then on is recorded.
  .extend('audit', { scope: 'file', auto: true }, async ({ browser }) => {
    const audit = new ExtensionAudit(browser);
    await audit.install();
    return audit;
  })
  .extend('clipboard', { scope: 'file' }, async ({ browser, server }, { onCleanup }) => {
    const clipboard = new RealClipboard(browser, server.port);
    onCleanup(() => clipboard.close());
    return clipboard;
  })
  // Every page console message (content scripts' isolated world included), for the audit.
  .extend('pageConsole', { scope: 'file' }, async ({ browser }) => {
    const messages: string[] = [];
    browser.context.on('console', (message) => messages.push(`${message.type()} ${message.location().url}: ${message.text()}`));
    return messages;
  })
  // Every request the browser makes (pages and the extension's worker): line, headers and body.
  .extend('traffic', { scope: 'file' }, async ({ browser }) => {
    const requests: string[] = [];
    browser.context.on('request', (request) =>
      requests.push(`${request.method()} ${request.url()} ${JSON.stringify(request.headers())} ${request.postData() ?? ''}`),
    );
    return requests;
  })
  // Every request the fixture server saw; kept past the per-test server reset (it runs after this).
  .extend('serverLog', { scope: 'file' }, (): string[] => [])
  .extend('keepServerLog', { auto: true }, async ({ server, serverLog }, { onCleanup }) => {
    onCleanup(() => void serverLog.push(...server.requests.map((request) => `${request.method} ${request.host}${request.path}`)));
  })
  /** A fixture page, watched from its first script on (support/page-watch.ts). */
  .extend('openWatched', async ({ newTab, pageConsole, traffic }) => {
    void [pageConsole, traffic]; // listening before the first page opens
    return async (url: string): Promise<Page> => {
      const page = await newTab();
      await watchPage(page);
      await page.goto(url);
      return page;
    };
  });

/** Opens the relay's "add channel" form once the extension calls it unvetted and its warning is up. */
async function openRelayForm(openWatched: (url: string) => Promise<Page>): Promise<Page> {
  const page = await openWatched(RELAY_URL);
  await expect.poll(() => warningLevel(page), { timeout: 10_000, message: 'the relay form never got its unvetted warning' }).toBe('unvetted');
  return page;
}

const valueOf = (field: Locator) => field.inputValue();
const textOf = async (field: Locator) => (await field.textContent()) ?? '';

/** Whether a paste-guard host was ever added to the page (not just: is one there now). */
async function pasteGuardEverShown(page: Page): Promise<boolean> {
  return (await readWatch(page)).hosts.some((event) => event.kind === 'paste-guard');
}

describe('on an unvetted relay (a one-api "add channel" form)', () => {
  test('a real Ctrl+V of an Anthropic key is held; the question names the vendor and the host; "paste anyway" inserts exactly the key', async ({
    openWatched,
    clipboard,
  }) => {
    const page = await openRelayForm(openWatched);
    const field = page.locator('#channel-key');
    const guard = new PasteGuardDialog(page);

    await clipboard.paste(KEY, field);
    keyPastes.held++;
    await guard.waitOpen();

    // Held: the field did not change, and the page's own listeners never saw the paste.
    expect(await valueOf(field)).toBe('');
    expect((await readWatch(page)).pastes).toEqual([]);
    const text = await guard.text();
    expect(text).toContain('Anthropic');
    expect(text).toContain(HOSTS.oneApiChannelForm);
    // It explains where the key would go without showing the key.
    expect(containsSecret(await guard.markup(), KEY)).toBe(false);

    await guard.pasteAnyway.click();
    keyPastes.pastedAnyway++;
    await guard.waitClosed();
    expect(await valueOf(field)).toBe(KEY);
    // The page hears about it the way a paste announces itself, so its own state sees the key.
    expect((await readWatch(page)).inputs).toContainEqual(expect.objectContaining({ target: 'channel-key', inputType: 'insertFromPaste' }));
  });

  test('a second held paste, cancelled, leaves the field as it was', async ({ openWatched, clipboard }) => {
    const page = await openRelayForm(openWatched);
    const field = page.locator('#channel-keys');
    const guard = new PasteGuardDialog(page);
    await field.fill('first line of the batch\n');

    for (const attempt of [1, 2]) {
      await clipboard.paste(KEY, field);
      keyPastes.held++;
      await guard.waitOpen();
      expect(await valueOf(field), `paste ${attempt} while held`).toBe('first line of the batch\n');
      await guard.cancel.click();
      keyPastes.cancelled++;
      await guard.waitClosed();
      expect(await valueOf(field), `paste ${attempt} after "don't paste"`).toBe('first line of the batch\n');
    }
    expect((await readWatch(page)).pastes).toEqual([]);
  });

  test('a contenteditable: held, cancelled, held again and pasted anyway, exactly', async ({ openWatched, clipboard }) => {
    const page = await openRelayForm(openWatched);
    const notes = page.locator('#channel-notes');
    const guard = new PasteGuardDialog(page);

    await clipboard.paste(KEY, notes);
    keyPastes.held++;
    await guard.waitOpen();
    expect(await textOf(notes)).toBe('');
    await guard.cancel.click();
    keyPastes.cancelled++;
    await guard.waitClosed();
    expect(await textOf(notes)).toBe('');

    await clipboard.paste(KEY, notes);
    keyPastes.held++;
    await guard.waitOpen();
    expect(await textOf(notes)).toBe('');
    expect(await guard.text()).toContain('Anthropic');
    await guard.pasteAnyway.click();
    keyPastes.pastedAnyway++;
    await guard.waitClosed();
    expect(await textOf(notes)).toBe(KEY);
  });

  test('text without a key goes straight in, as a trusted paste the page sees', async ({ openWatched, clipboard }) => {
    const page = await openRelayForm(openWatched);
    const field = page.locator('#channel-name');

    await clipboard.paste(NOT_A_KEY, field);
    await expect.poll(() => valueOf(field), { timeout: 5_000 }).toBe(NOT_A_KEY);
    expect((await readWatch(page)).pastes).toEqual([expect.objectContaining({ isTrusted: true, target: 'channel-name', length: NOT_A_KEY.length })]);
    expect(await pasteGuardEverShown(page)).toBe(false);
    expect(await page.locator(PASTE_GUARD_SELECTOR).count()).toBe(0);
  });
});

describe('where a key belongs, the same paste goes straight in', () => {
  test.for([
    ['vetted', 'openrouter.ai', 'input[name="api-key"]'],
    ['official', 'console.groq.com', 'input[name="key-name"]'],
  ] as const)('%s (%s)', async ([level, host, selector], { openWatched, openPopup, clipboard }) => {
    const page = await openWatched(`http://${host}/`);
    expect(await (await openPopup(page)).level()).toBe(level);
    const field = page.locator(selector);

    await clipboard.paste(KEY, field);
    keyPastes.passedThrough++;
    await expect.poll(() => valueOf(field), { timeout: 5_000 }).toBe(KEY);
    // The page's own listeners got the browser's paste event, untouched.
    expect((await readWatch(page)).pastes).toEqual([expect.objectContaining({ isTrusted: true, length: KEY.length })]);
    expect(await pasteGuardEverShown(page)).toBe(false);
    expect(await warningLevel(page)).toBeNull();
  });
});

/**
 * Whether the background started the page guard in the tab's current document (the tab state it
 * keeps in storage.session, lib/background/page-guards.ts). Ordinary pages run only the page watch.
 */
/** The one extension API this file calls in the service worker (no @types/chrome here). */
declare const chrome: { storage: { session: { get(key: string): Promise<Record<string, unknown>> } } };

async function guardStarted(browser: ExtensionBrowser, page: Page): Promise<boolean> {
  const tabId = await browser.tabIdOf(page);
  const worker = await browser.serviceWorker();
  return worker.evaluate(async (key) => Boolean(((await chrome.storage.session.get(key))[key] as { guarded?: boolean } | undefined)?.guarded), `tab:${tabId}`);
}

describe('on an ordinary page, where only the page watch runs', () => {
  test('an Anthropic API key goes straight in, and the page guard never starts', async ({ openWatched, openPopup, clipboard, browser }) => {
    const page = await openWatched(ORDINARY_URL);
    expect(await (await openPopup(page)).level()).toBe('unknown');
    const field = page.locator('input[type="search"]');

    await clipboard.paste(KEY, field);
    keyPastes.passedThrough++;
    await expect.poll(() => valueOf(field), { timeout: 5_000 }).toBe(KEY);
    expect((await readWatch(page)).pastes).toEqual([expect.objectContaining({ isTrusted: true, length: KEY.length })]);
    expect(await pasteGuardEverShown(page)).toBe(false);
    expect(await guardStarted(browser, page)).toBe(false);
  });

  test('a Claude session credential is held by the watch; the guard it asks for names Claude and the host; "paste anyway" inserts it exactly', async ({
    openWatched,
    clipboard,
    browser,
  }) => {
    const page = await openWatched(ORDINARY_URL);
    const field = page.locator('input[type="search"]');
    const guard = new PasteGuardDialog(page);
    expect(await guardStarted(browser, page)).toBe(false);

    await clipboard.paste(SESSION, field);
    sessionPastes.held++;
    await guard.waitOpen();
    expect(await guardStarted(browser, page)).toBe(true);
    expect(await valueOf(field)).toBe('');
    expect((await readWatch(page)).pastes).toEqual([]);
    const text = await guard.text();
    expect(text).toContain('Claude subscription credential');
    expect(text).toContain(HOSTS.apiDocs);
    expect(containsSecret(await guard.markup(), SESSION)).toBe(false);
    // Asking about a credential is not a warning about the page.
    expect(await warningLevel(page)).toBeNull();

    await guard.pasteAnyway.click();
    sessionPastes.pastedAnyway++;
    await guard.waitClosed();
    expect(await valueOf(field)).toBe(SESSION);

    // Once the guard runs here it answers the next paste itself: cancelled, the field keeps its text.
    await field.fill('');
    await clipboard.paste(SESSION, field);
    sessionPastes.held++;
    await guard.waitOpen();
    await guard.cancel.click();
    sessionPastes.cancelled++;
    await guard.waitClosed();
    expect(await valueOf(field)).toBe('');
  });
});

describe('on an ordinary page that called an AI API the lists vouch for', () => {
  test('it stays unknown; a vendor key pasted there goes straight in, with a small notice beside it', async ({ openWatched, openPopup, clipboard, browser, server }) => {
    // The chat page's OpenAI SDK pointed at OpenRouter, a vetted gateway (bundled allowlist).
    const endpoint = 'http://openrouter.ai/api/v1/chat/completions';
    server.json(endpoint, chatCompletion({ id: 'gen-e2e0001', model: 'openai/gpt-4o-mini', content: 'Hello via OpenRouter.' }));
    const page = await openWatched(`http://${HOSTS.openAiSdkChat}/?base=${encodeURIComponent('http://openrouter.ai/api/v1')}`);
    expect(await guardStarted(browser, page)).toBe(false);
    await page.locator('#api-key').fill(`sk-or-v1-${chars(64, 7_303, '0123456789abcdef')}`);
    await page.locator('#send').click();
    await expect.poll(() => page.locator('#reply').textContent(), { timeout: 10_000 }).toBe('Hello via OpenRouter.');

    // The popup lists the endpoint the page called, and the page stays unknown for it.
    const popup = await openPopup(page);
    await expect
      .poll(
        async () => {
          await popup.refresh();
          return (await popup.page.locator('body').textContent()) ?? '';
        },
        { timeout: 10_000 },
      )
      .toContain('openrouter.ai');
    expect(await popup.level()).toBe('unknown');
    // AI-API evidence on an unknown page, with the notice on (the default): the guard runs here.
    await expect.poll(() => guardStarted(browser, page), { timeout: 10_000 }).toBe(true);

    const prompt = page.locator('#prompt');
    await prompt.fill('');
    await clipboard.paste(KEY, prompt);
    keyPastes.passedThrough++;
    await expect.poll(() => valueOf(prompt), { timeout: 5_000 }).toBe(KEY);
    expect((await readWatch(page)).pastes).toEqual([expect.objectContaining({ isTrusted: true, length: KEY.length })]);
    await expect.poll(() => page.locator(NOTICE_SELECTOR).count(), { timeout: 5_000 }).toBe(1);
    expect(await pasteGuardEverShown(page)).toBe(false);
    expect(await warningLevel(page)).toBeNull();
  });
});

describe('the key is never stored, logged or messaged', () => {
  test('not in any message the background got or sent, its console, storage, IndexedDB or caches, nor any console or request', async ({
    audit,
    pageConsole,
    traffic,
    serverLog,
    browser,
  }) => {
    // This reads what the tests above did; alone it would prove nothing.
    expect(keyPastes, 'run the whole file: the audit needs the pastes above').toEqual({ held: 5, pastedAnyway: 2, cancelled: 3, passedThrough: 4 });
    expect(sessionPastes, 'run the whole file: the audit needs the pastes above').toEqual({ held: 2, pastedAnyway: 1, cancelled: 1 });

    const dump = await audit.dump();
    // The recorder really listened: the relay form's content script talked to the background.
    expect(dump.received.some((message) => message.includes(HOSTS.oneApiChannelForm))).toBe(true);
    expect(Object.keys(dump.storage)).toEqual(['local', 'session', 'sync']);
    expect(findSecret(dump, KEY)).toEqual([]);
    expect(findSecret(dump, SESSION)).toEqual([]);
    expect(pageConsole.filter((line) => containsSecret(line, KEY) || containsSecret(line, SESSION))).toEqual([]);
    // Nor did any request carry it (the fixture pages send nothing of what is typed into them).
    for (const log of [traffic, serverLog]) expect(log.some((line) => line.includes(HOSTS.oneApiChannelForm))).toBe(true);
    expect(traffic.filter((line) => containsSecret(line, KEY) || containsSecret(line, SESSION))).toEqual([]);
    expect(serverLog.filter((line) => containsSecret(line, KEY) || containsSecret(line, SESSION))).toEqual([]);

    // And the dump is not blind: a canary put in each place it reads is found in each.
    const canary = `e2e-canary-${chars(40, 7_302)}`;
    const removeCanary = await plantCanary(browser, canary);
    try {
      const planted = findSecret(await audit.dump(), canary);
      for (const place of ['storage.local', 'storage.session', 'IndexedDB relayguard-e2e-canary/canary']) expect(planted).toContain(place);
      expect(planted.filter((place) => place.startsWith('console #'))).not.toEqual([]);
      expect(planted.filter((place) => place.startsWith('message received #'))).not.toEqual([]);
    } finally {
      await removeCanary();
    }
    console.log(`audit read: IndexedDB ${Object.keys(dump.indexedDb).join(', ') || '(none)'}; ${dump.received.length} messages received, ${dump.sent.length} sent, ${dump.console.length} console calls`);
  });
});
