import type { Frame, Page } from 'playwright-core';
import { chars, sampleKeys } from '../support/generated-keys.ts';
import { RealClipboard } from './support/clipboard.ts';
import { PASTE_GUARD_SELECTOR, PasteGuardDialog, warningLevel } from './support/in-page.ts';
import { HOSTS } from './support/sites.ts';
import { describe, expect, test as base } from './support/fixtures.ts';

/**
 * A hostile relay walking around the key paste guard (issue 8, "the paste guard can be walked
 * around"), each way reproduced with real input in real Chromium: real pastes (the clipboard
 * written, Control+V pressed: support/clipboard.ts) and a real drop (the DevTools protocol's
 * Input.dispatchDragEvent, which the page receives as trusted drag events). Before the fix each
 * of these handed the key to the page without a question; each must now be held, with the page's
 * own handlers none the wiser until the person says "paste anyway".
 *
 * The relay (tests/e2e/fixtures/hostile-relay.test/) is a one-api page, unvetted by its
 * fingerprint, that records in `window.hostile` what reaches its own handlers.
 */

const KEY = sampleKeys.anthropic;
const NOT_A_KEY = `Channel for the writing team, ${chars(12, 7_401)}`;
const RELAY_URL = 'http://hostile-relay.test/';
/** An ordinary blog post that frames a look-alike vendor console from another origin. */
const FRAMING_BLOG_URL = 'http://framing-blog.test/';

interface Hostile {
  vault: string;
  gridPastes: { text: string; isTrusted: boolean }[];
  drops: { text: string; isTrusted: boolean }[];
}

/** What the relay's own script saw (it can read its closed root; the test cannot). */
const hostile = (page: Page) =>
  page.evaluate((): Hostile => {
    const state = (window as unknown as { hostile: { vaultValue: () => string; gridPastes: Hostile['gridPastes']; drops: Hostile['drops'] } }).hostile;
    return { vault: state.vaultValue(), gridPastes: state.gridPastes, drops: state.drops };
  });

const test = base
  .extend('clipboard', { scope: 'file' }, async ({ browser, server }, { onCleanup }) => {
    const clipboard = new RealClipboard(browser, server.port);
    onCleanup(() => clipboard.close());
    return clipboard;
  })
  /** The hostile relay, once the extension calls it unvetted and its warning is up. */
  .extend('openRelay', async ({ newTab }) => {
    return async (): Promise<Page> => {
      const page = await newTab();
      await page.goto(RELAY_URL);
      await expect.poll(() => warningLevel(page), { timeout: 10_000, message: 'the hostile relay never got its unvetted warning' }).toBe('unvetted');
      return page;
    };
  });

/** A frame of `page` by its iframe's id (the about:blank one has no URL to find it by). */
async function frameById(page: Page, id: string): Promise<Frame> {
  const frame = await (await page.locator(`iframe#${id}`).elementHandle())?.contentFrame();
  if (!frame) throw new Error(`no frame in iframe#${id}`);
  return frame;
}

/** A real drop of `text` at the centre of `selector`, as the browser delivers a person's drag. */
async function realDrop(page: Page, selector: string, text: string): Promise<void> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not on screen`);
  const session = await page.context().newCDPSession(page);
  try {
    const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const data = { items: [{ mimeType: 'text/plain', data: text }], dragOperationsMask: 1 };
    for (const type of ['dragEnter', 'dragOver', 'drop'] as const) await session.send('Input.dispatchDragEvent', { type, ...point, data });
  } finally {
    await session.detach();
  }
}

describe('a key field inside the page’s own closed shadow root', () => {
  test('a real paste is held (the path stops at the host, the guard looks inside); "paste anyway" fills that field exactly', async ({ openRelay, clipboard }) => {
    const page = await openRelay();
    const guard = new PasteGuardDialog(page);

    await clipboard.paste(KEY, page.locator('key-vault'));
    await guard.waitOpen();
    expect((await hostile(page)).vault).toBe('');
    expect(await guard.text()).toContain('Anthropic');

    await guard.pasteAnyway.click();
    await guard.waitClosed();
    expect((await hostile(page)).vault).toBe(KEY);
  });
});

describe('a focusable element that is not editable but reads clipboardData in its own paste handler', () => {
  test('held: its handler never sees the key; cancelled, it never does; "paste anyway" hands it exactly the key', async ({ openRelay, clipboard }) => {
    const page = await openRelay();
    const guard = new PasteGuardDialog(page);
    const grid = page.locator('#grid');

    await clipboard.paste(KEY, grid);
    await guard.waitOpen();
    expect((await hostile(page)).gridPastes).toEqual([]);
    await guard.cancel.click();
    await guard.waitClosed();
    expect((await hostile(page)).gridPastes).toEqual([]);

    await clipboard.paste(KEY, grid);
    await guard.waitOpen();
    await guard.pasteAnyway.click();
    await guard.waitClosed();
    // Handed over in a paste event of RelayGuard's making (documented in lib/page/paste/insert-text.ts).
    expect((await hostile(page)).gridPastes).toEqual([{ text: KEY, isTrusted: false }]);
  });

  test('text without a key reaches it untouched, as the browser’s own trusted paste', async ({ openRelay, clipboard }) => {
    const page = await openRelay();
    await clipboard.paste(NOT_A_KEY, page.locator('#grid'));
    await expect.poll(async () => (await hostile(page)).gridPastes, { timeout: 5_000 }).toEqual([{ text: NOT_A_KEY, isTrusted: true }]);
  });
});

describe('a drop zone that reads dataTransfer', () => {
  test('a real drop of the key is held; cancelled, the zone never sees it; "paste anyway" hands it exactly the key', async ({ openRelay }) => {
    const page = await openRelay();
    const guard = new PasteGuardDialog(page);

    await realDrop(page, '#drop-zone', KEY);
    await guard.waitOpen();
    expect((await hostile(page)).drops).toEqual([]);
    await guard.cancel.click();
    await guard.waitClosed();
    expect((await hostile(page)).drops).toEqual([]);

    await realDrop(page, '#drop-zone', KEY);
    await guard.waitOpen();
    await guard.pasteAnyway.click();
    await guard.waitClosed();
    expect((await hostile(page)).drops).toEqual([{ text: KEY, isTrusted: false }]);
  });
});

describe('a relay that rewrites itself with document.open() (which erases every window listener, RelayGuard’s too)', () => {
  test('a real paste into the rewritten key form is still held; cancelled, the field and the page never get it', async ({ newTab, clipboard }) => {
    const page = await newTab();
    await page.goto(`${RELAY_URL}rewritten.html`);
    await expect.poll(() => page.evaluate(() => (window as unknown as { hostile?: { rewritten: boolean } }).hostile?.rewritten ?? false), { timeout: 10_000 }).toBe(true);
    const field = page.locator('#rewritten-key');
    const guard = new PasteGuardDialog(page);

    await clipboard.paste(KEY, field);
    await guard.waitOpen();
    expect(await field.inputValue()).toBe('');
    await guard.cancel.click();
    await guard.waitClosed();
    expect(await field.inputValue()).toBe('');
    expect(await page.evaluate(() => (window as unknown as { hostile: { pastes: number[] } }).hostile.pastes)).toEqual([]);
  });
});

describe('key forms in frames of the unvetted relay (the watch now runs in every frame)', () => {
  test.for([
    ['a same-origin iframe', 'same-origin-frame'],
    ['a srcdoc iframe', 'srcdoc-frame'],
    ['a script-written about:blank iframe', 'blank-frame'],
  ] as const)('%s: a real paste is held in the frame; "paste anyway" inserts exactly the key', async ([, frameId], { openRelay, clipboard }) => {
    const page = await openRelay();
    const frame = await frameById(page, frameId);
    const field = frame.locator('#frame-key');
    const guard = new PasteGuardDialog(frame);

    await clipboard.paste(KEY, field);
    await guard.waitOpen();
    expect(await field.inputValue()).toBe('');
    const text = await guard.text();
    expect(text).toContain('Anthropic');
    expect(text).toContain('hostile-relay.test');

    await guard.pasteAnyway.click();
    await guard.waitClosed();
    expect(await field.inputValue()).toBe(KEY);
  });

  test('text without a key goes into the frame’s field untouched', async ({ openRelay, clipboard }) => {
    const page = await openRelay();
    const field = (await frameById(page, 'same-origin-frame')).locator('#frame-key');
    await clipboard.paste(NOT_A_KEY, field);
    await expect.poll(() => field.inputValue(), { timeout: 5_000 }).toBe(NOT_A_KEY);
  });
});

describe('a cross-origin iframe of an unvetted host inside an ordinary page', () => {
  test('the top page stays unknown; a key pasted into the frame is held, by the frame’s own verdict', async ({ newTab, openPopup, clipboard }) => {
    const page = await newTab();
    await page.goto(FRAMING_BLOG_URL);
    const frame = await frameById(page, 'console-frame');
    const field = frame.locator('input[type="password"]');
    const guard = new PasteGuardDialog(frame);

    await clipboard.paste(KEY, field);
    await guard.waitOpen();
    expect(await field.inputValue()).toBe('');
    expect(await guard.text()).toContain(HOSTS.consoleTypo);
    await guard.cancel.click();
    await guard.waitClosed();
    expect(await field.inputValue()).toBe('');

    expect(await (await openPopup(page)).level()).toBe('unknown');
    expect(await warningLevel(page)).toBeNull();
  });

  test('the same page’s own ordinary frame: a key pasted there goes in exactly, with no question', async ({ newTab, clipboard }) => {
    const page = await newTab();
    await page.goto(FRAMING_BLOG_URL);
    const frame = await frameById(page, 'settings-frame');
    const field = frame.locator('#own-key');

    await clipboard.paste(KEY, field);
    // The frame's watch holds it until the guard started there has judged the frame (ordinary
    // frame, ordinary page): then it goes in, announced as a paste.
    await expect.poll(() => field.inputValue(), { timeout: 10_000 }).toBe(KEY);
    expect(await frame.locator(PASTE_GUARD_SELECTOR).count()).toBe(0);
  });
});
