// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { chars, HEX, KEY_CHARS, sampleKeys } from '../../../tests/support/generated-keys.ts';
import { earlyPasteHold, GUARD_WAIT_MS } from './early-paste-hold.ts';
import { openPageBridge, type PageBridge } from '../page-bridge.ts';
import { drop, focusedField, paste } from '../test-support.ts';

const CREDENTIAL = sampleKeys.claudeSession;

let extension: { alive: boolean };
let stop: AbortController;
let bridge: PageBridge;
let host: string;
let requestGuard: ReturnType<typeof vi.fn<() => Promise<unknown>>>;
/** The timers the hold set, run by the test when it wants the wait to be over. */
let timers: { handler: () => void; ms: number }[];
let input: HTMLInputElement;
let pageListener: ReturnType<typeof vi.fn<(event: Event) => void>>;

beforeEach(() => {
  extension = { alive: true };
  stop = new AbortController();
  const current = extension;
  bridge = openPageBridge(window, () => current.alive, stop.signal);
  host = 'relay.example';
  requestGuard = vi.fn(async () => ({ ok: true, data: { started: true } }));
  timers = [];
  bridge.setFallback(
    earlyPasteHold({
      bridge,
      pageHost: () => host,
      requestGuard,
      setTimeout: (handler, ms) => timers.push({ handler, ms }),
    }),
  );
  input = focusedField();
  // A page's own listener, registered after the page watch's (which ran at document_start).
  pageListener = vi.fn((_event: Event) => undefined);
  window.addEventListener('paste', pageListener, { capture: true, signal: stop.signal });
  window.addEventListener('drop', pageListener, { capture: true, signal: stop.signal });
});

afterEach(() => {
  extension.alive = false;
  stop.abort();
  document.body.innerHTML = '';
});

function expectUntouched(event: Event): void {
  expect(event.defaultPrevented).toBe(false);
  expect(pageListener).toHaveBeenCalledTimes(1);
  expect(requestGuard).not.toHaveBeenCalled();
  expect(bridge.takeHeld()).toBeNull();
  expect(timers).toEqual([]);
}

describe('earlyPasteHold', () => {
  test('holds a Claude subscription credential on an ordinary host: the field stays as it was, the page never sees the paste, the guard is asked for', () => {
    const event = paste(input, `token=${CREDENTIAL}`);
    expect(event.defaultPrevented).toBe(true);
    expect(pageListener).not.toHaveBeenCalled();
    expect(input.value).toBe('ab');
    expect(requestGuard).toHaveBeenCalledTimes(1);
    expect(timers.map(({ ms }) => ms)).toEqual([GUARD_WAIT_MS]);
    const held = bridge.takeHeld();
    expect(held?.held.peek()).toBe(`token=${CREDENTIAL}`);
    expect(held?.inputType).toBe('insertFromPaste');
    expect(held?.point).toMatchObject({ kind: 'field', element: input, start: 2, end: 2 });
  });

  test.each([
    ['an OAuth access token', 'sk-ant-oat01-' + chars(100, 301, KEY_CHARS)],
    ['an OAuth refresh token', 'sk-ant-ort01-' + chars(100, 302, KEY_CHARS)],
  ])('holds %s too', (_, credential) => {
    expect(paste(input, credential).defaultPrevented).toBe(true);
    expect(bridge.takeHeld()?.held.peek()).toBe(credential);
  });

  test('a drop is held like a paste, and remembered as a drop', () => {
    expect(drop(input, CREDENTIAL).defaultPrevented).toBe(true);
    expect(input.value).toBe('ab');
    expect(bridge.takeHeld()?.inputType).toBe('insertFromDrop');
  });

  test.each(['claude.ai', 'www.claude.ai', 'anthropic.com', 'console.anthropic.com', 'CLAUDE.AI'])('passes untouched on %s, where the credential belongs', (claudeHost) => {
    host = claudeHost;
    expectUntouched(paste(input, CREDENTIAL));
  });

  test.each([
    ['an OpenAI key', sampleKeys.openai],
    ['an Anthropic API key', sampleKeys.anthropic],
    ['a Google key', sampleKeys.google],
    ['a relay token', sampleKeys.newApiToken],
    ['a sub2api token', 'sk-' + chars(64, 303, HEX)],
    ['plain text', 'meeting notes: sk-ant- prefixes and AIza are not keys by themselves'],
    ['a placeholder credential', 'sk-ant-sid01-xxxx'],
  ])('%s passes untouched: without a guard in the page there is nothing to hold it for', (_, text) => {
    expectUntouched(paste(input, text));
    expect(input.value).toBe('ab');
  });

  test('synthetic paste events are ignored: they insert nothing by themselves', () => {
    const event = paste(input, CREDENTIAL, { isTrusted: false });
    expect(event.defaultPrevented).toBe(false);
    expect(requestGuard).not.toHaveBeenCalled();
    expect(bridge.takeHeld()).toBeNull();
  });

  test('a paste into an element that reads the clipboard itself is held too, and handed over as a paste event when the guard never comes', async () => {
    requestGuard.mockImplementation(async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    });
    const grid = document.createElement('div');
    grid.tabIndex = 0;
    document.body.append(grid);
    const received: string[] = [];
    grid.addEventListener('paste', (event) => received.push((event as ClipboardEvent).clipboardData?.getData('text/plain') ?? ''));
    expect(paste(grid, CREDENTIAL).defaultPrevented).toBe(true);
    expect(received).toEqual([]);
    await vi.waitFor(() => expect(received).toEqual([CREDENTIAL]));
  });

  test('text without a credential into a non-editable element passes untouched', () => {
    const paragraph = document.createElement('p');
    document.body.append(paragraph);
    expectUntouched(paste(paragraph, 'an ordinary sentence'));
  });

  describe('in a frame inside the page', () => {
    const installSubFrame = () => {
      bridge.setFallback(earlyPasteHold({ bridge, pageHost: () => host, requestGuard, setTimeout: (handler, ms) => timers.push({ handler, ms }), subFrame: true }));
    };

    test('a vendor key is held too, and the guard asked for: only that frame’s guard can know the top page’s verdict', () => {
      installSubFrame();
      expect(paste(input, sampleKeys.anthropic).defaultPrevented).toBe(true);
      expect(input.value).toBe('ab');
      expect(requestGuard).toHaveBeenCalledTimes(1);
      expect(bridge.takeHeld()?.held.peek()).toBe(sampleKeys.anthropic);
    });

    test('text that cannot hold a key passes untouched', () => {
      installSubFrame();
      expectUntouched(paste(input, 'an ordinary sentence, https://example.com/a/b?c=d'));
    });
  });

  describe('when the guard does not come', () => {
    test('the background cannot be asked (the extension is gone or restarting): the paste goes in at once, exactly', async () => {
      requestGuard.mockImplementation(async () => {
        throw new Error('Could not establish connection. Receiving end does not exist.');
      });
      paste(input, CREDENTIAL);
      expect(input.value).toBe('ab');
      await vi.waitFor(() => expect(input.value).toBe(`ab${CREDENTIAL}`));
      expect(bridge.takeHeld()).toBeNull();
      // The later timer finds nothing left to release.
      timers[0]!.handler();
      expect(input.value).toBe(`ab${CREDENTIAL}`);
    });

    test('after GUARD_WAIT_MS the paste goes in after all, exactly, at the caret, as a paste', () => {
      const inputTypes: string[] = [];
      input.addEventListener('input', (event) => inputTypes.push((event as InputEvent).inputType));
      paste(input, `x ${CREDENTIAL}`);
      expect(input.value).toBe('ab');
      timers[0]!.handler();
      expect(input.value).toBe(`abx ${CREDENTIAL}`);
      expect(inputTypes).toEqual(['insertFromPaste']);
      // Handed over and forgotten: nothing is left in the bridge.
      expect(bridge.takeHeld()).toBeNull();
    });

    test('a dropped credential goes in as a drop', () => {
      const inputTypes: string[] = [];
      input.addEventListener('input', (event) => inputTypes.push((event as InputEvent).inputType));
      drop(input, CREDENTIAL);
      timers[0]!.handler();
      expect(input.value).toBe(`ab${CREDENTIAL}`);
      expect(inputTypes).toEqual(['insertFromDrop']);
    });

    test('a newer held paste waits for its own turn; the older one is dropped', () => {
      const other = document.createElement('textarea');
      document.body.append(other);
      paste(input, CREDENTIAL);
      paste(other, `second ${CREDENTIAL}`);
      expect(timers).toHaveLength(2);
      // The first wait is over: its paste was replaced, so nothing goes in, and the newer one stays held.
      timers[0]!.handler();
      expect(input.value).toBe('ab');
      expect(other.value).toBe('');
      timers[1]!.handler();
      expect(other.value).toBe(`second ${CREDENTIAL}`);
      expect(input.value).toBe('ab');
    });
  });

  test('a paste the guard took is not inserted again when the wait is over', () => {
    paste(input, CREDENTIAL);
    const taken = bridge.takeHeld(); // what the page guard does when it starts
    expect(taken?.held.present).toBe(true);
    timers[0]!.handler();
    expect(input.value).toBe('ab');
    expect(taken?.held.peek()).toBe(CREDENTIAL);
  });
});
