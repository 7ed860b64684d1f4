// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { sampleKeys } from '../../../tests/support/generated-keys.ts';
import type { PageContext } from '../../protocol/page-protocol.ts';
import { HeldText, type HeldPaste } from './held-text.ts';
import { captureDropPoint, captureInsertionPoint } from './insert-text.ts';
import { installPasteGuard, type PasteGuardDeps, type PastePrompt } from './paste-guard.ts';
import { drop, focusedField, pageContext, paste } from '../test-support.ts';

const KEY = sampleKeys.openai;

let abort: AbortController;
let input: HTMLInputElement;
let pageListener: ReturnType<typeof vi.fn<(event: Event) => void>>;
let consoleSpies: ReturnType<typeof vi.spyOn>[];

beforeEach(() => {
  abort = new AbortController();
  input = focusedField();
  // A page's own listener, registered after the content script's (it ran at document_start).
  pageListener = vi.fn((_event: Event) => undefined);
  consoleSpies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) => vi.spyOn(console, method));
});

afterEach(() => {
  abort.abort();
  window.removeEventListener('paste', pageListener, true);
  document.body.innerHTML = '';
  for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
});

interface Harness {
  guard: ReturnType<typeof installPasteGuard>;
  ask: ReturnType<typeof vi.fn<(prompt: PastePrompt, signal: AbortSignal) => Promise<boolean>>>;
  notify: ReturnType<typeof vi.fn<(prompt: PastePrompt) => void>>;
  refreshContext: ReturnType<typeof vi.fn<() => Promise<PageContext | null>>>;
  answer: (accepted: boolean) => void;
}

function install(context: PageContext | null, overrides: Partial<PasteGuardDeps> = {}): Harness {
  let answer: (accepted: boolean) => void = () => undefined;
  const ask = vi.fn((_prompt: PastePrompt, signal: AbortSignal) => new Promise<boolean>((resolve) => {
    answer = resolve;
    signal.addEventListener('abort', () => resolve(false));
  }));
  const notify = vi.fn((_prompt: PastePrompt) => undefined);
  const refreshContext = vi.fn(async () => context);
  const guard = installPasteGuard({
    target: window,
    pageHost: () => 'relay.example',
    context: () => context,
    refreshContext,
    ask,
    notify,
    signal: abort.signal,
    ...overrides,
  });
  window.addEventListener('paste', pageListener, true);
  return { guard, ask, notify, refreshContext, answer: (accepted) => answer(accepted) };
}

describe('installPasteGuard', () => {
  test('holds a vendor key on an unvetted page: the field stays as it was and the page never sees the paste', async () => {
    const { guard, ask } = install(pageContext('unvetted'));
    const event = paste(input, `key ${KEY}`);
    expect(event.defaultPrevented).toBe(true);
    expect(pageListener).not.toHaveBeenCalled();
    expect(input.value).toBe('ab');
    expect(guard.holding).toBe(true);
    await vi.waitFor(() => expect(ask).toHaveBeenCalledTimes(1));
    expect(ask.mock.calls[0]![0]).toEqual({ vendor: 'openai', kind: 'vendor-key', host: 'relay.example', level: 'unvetted' });
  });

  test('"paste anyway" inserts exactly the pasted text at the caret, as a paste', async () => {
    const { guard, ask, answer } = install(pageContext('blocked'));
    const inputTypes: string[] = [];
    input.addEventListener('input', (event) => inputTypes.push((event as InputEvent).inputType));
    paste(input, `key: ${KEY} `);
    await vi.waitFor(() => expect(ask).toHaveBeenCalled());
    answer(true);
    await guard.settling;
    expect(input.value).toBe(`abkey: ${KEY} `);
    expect(inputTypes).toEqual(['insertFromPaste']);
    expect(guard.holding).toBe(false);
  });

  test('"cancel" drops the text and gives focus back to the field', async () => {
    const { guard, ask, answer } = install(pageContext('unvetted'));
    paste(input, KEY);
    await vi.waitFor(() => expect(ask).toHaveBeenCalled());
    (document.activeElement as HTMLElement | null)?.blur();
    answer(false);
    await guard.settling;
    expect(input.value).toBe('ab');
    expect(document.activeElement).toBe(input);
    expect(guard.holding).toBe(false);
  });

  test('the key never reaches the question, the notice or the console, and is let go after the decision', async () => {
    const { guard, ask, notify, answer } = install(pageContext('unvetted'));
    paste(input, KEY);
    await vi.waitFor(() => expect(ask).toHaveBeenCalled());
    answer(false);
    await guard.settling;
    const everythingPassedOut = JSON.stringify([ask.mock.calls.map(([prompt]) => prompt), notify.mock.calls]);
    expect(everythingPassedOut).not.toContain(KEY.slice(0, 16));
    expect(everythingPassedOut).not.toContain(KEY.slice(-16));
    expect(guard.holding).toBe(false);
    expect(document.body.innerHTML).not.toContain(KEY.slice(0, 16));
  });

  test('HeldText hands its text over once and keeps nothing', () => {
    const held = new HeldText(KEY);
    expect(held.present).toBe(true);
    expect(held.peek()).toBe(KEY);
    expect(held.take()).toBe(KEY);
    expect(held.present).toBe(false);
    expect(held.take()).toBe('');
    const dropped = new HeldText(KEY);
    dropped.drop();
    expect(dropped.peek()).toBe('');
  });

  test.each(['official', 'vetted', 'unknown'] as const)('a vendor key on an %s page passes untouched', (level) => {
    const { ask, notify } = install(pageContext(level));
    const event = paste(input, KEY);
    expect(event.defaultPrevented).toBe(false);
    expect(pageListener).toHaveBeenCalledTimes(1);
    expect(ask).not.toHaveBeenCalled();
    expect(notify).not.toHaveBeenCalled();
  });

  test('text without a key passes untouched on a blocked page', () => {
    const { ask } = install(pageContext('blocked'));
    const event = paste(input, 'an ordinary sentence');
    expect(event.defaultPrevented).toBe(false);
    expect(pageListener).toHaveBeenCalledTimes(1);
    expect(ask).not.toHaveBeenCalled();
  });

  test('a relay token on the relay’s own site passes', () => {
    const { ask } = install(pageContext('unvetted'));
    expect(paste(input, sampleKeys.newApiToken).defaultPrevented).toBe(false);
    expect(ask).not.toHaveBeenCalled();
  });

  test('a Claude subscription credential is held on an official page that is not Claude’s', async () => {
    const { ask } = install(pageContext('official'));
    expect(paste(input, sampleKeys.claudeSession).defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(ask).toHaveBeenCalled());
    expect(ask.mock.calls[0]![0]).toMatchObject({ vendor: 'anthropic', kind: 'subscription-credential', level: 'official' });
  });

  test('unknown page that called AI APIs: the paste goes through and a notice follows', () => {
    const context = pageContext('unknown', {}, { endpoints: [{ host: 'api.openai.com', protocol: 'openai', count: 1, credentialKinds: [], level: 'official' }] });
    const { ask, notify } = install(context);
    const event = paste(input, KEY);
    expect(event.defaultPrevented).toBe(false);
    expect(ask).not.toHaveBeenCalled();
    expect(notify).toHaveBeenCalledWith({ vendor: 'openai', kind: 'vendor-key', host: 'relay.example', level: 'unknown' });
  });

  test('synthetic paste events pass: they insert nothing by themselves', () => {
    const { ask } = install(pageContext('blocked'));
    expect(paste(input, KEY, { isTrusted: false }).defaultPrevented).toBe(false);
    expect(ask).not.toHaveBeenCalled();
  });

  describe('whatever the target (issue 8: the guard could be walked around)', () => {
    test('a focusable element that reads the clipboard itself: held; "paste anyway" hands it a paste event with exactly the text', async () => {
      const { guard, ask, answer } = install(pageContext('blocked'));
      const grid = document.createElement('div');
      grid.tabIndex = 0;
      document.body.append(grid);
      const received: { text: string; trusted: boolean }[] = [];
      grid.addEventListener('paste', (event) => received.push({ text: (event as ClipboardEvent).clipboardData?.getData('text/plain') ?? '', trusted: event.isTrusted === true }));
      const event = paste(grid, `key ${KEY}`);
      expect(event.defaultPrevented).toBe(true);
      expect(pageListener).not.toHaveBeenCalled();
      expect(received).toEqual([]);
      await vi.waitFor(() => expect(ask).toHaveBeenCalledTimes(1));
      answer(true);
      await guard.settling;
      // Synthetic, so the guard's own listener let it by; the page's handler read exactly the pasted text.
      expect(received).toEqual([{ text: `key ${KEY}`, trusted: false }]);
      expect(pageListener).toHaveBeenCalledTimes(1);
    });

    test('the same, cancelled: the element never hears of it', async () => {
      const { guard, ask, answer } = install(pageContext('unvetted'));
      const checkbox = document.createElement('input');
      checkbox.type = 'checkbox';
      document.body.append(checkbox);
      const heard = vi.fn();
      checkbox.addEventListener('paste', heard);
      expect(paste(checkbox, KEY).defaultPrevented).toBe(true);
      await vi.waitFor(() => expect(ask).toHaveBeenCalled());
      answer(false);
      await guard.settling;
      expect(heard).not.toHaveBeenCalled();
      expect(pageListener).not.toHaveBeenCalled();
    });

    test('a field inside the page’s CLOSED shadow root (the event path stops at the host): held, and "paste anyway" fills that field', async () => {
      const host = document.createElement('key-field');
      document.body.append(host);
      const root = host.attachShadow({ mode: 'closed' });
      const field = document.createElement('input');
      root.append(field);
      field.focus();
      const { guard, ask, answer } = install(pageContext('unvetted'), { shadowRootOf: (element) => (element === host ? root : null) });
      // What a window listener sees of a paste into a closed root: the host.
      const event = paste(host, KEY);
      expect(event.defaultPrevented).toBe(true);
      await vi.waitFor(() => expect(ask).toHaveBeenCalled());
      answer(true);
      await guard.settling;
      expect(field.value).toBe(KEY);
    });

    test('a paste with nothing editable anywhere (the body) is held too; cancelled, nothing hears of it', async () => {
      const { guard, ask, answer } = install(pageContext('blocked'));
      const heard = vi.fn();
      document.body.addEventListener('paste', heard);
      expect(paste(document.body, KEY).defaultPrevented).toBe(true);
      await vi.waitFor(() => expect(ask).toHaveBeenCalled());
      answer(false);
      await guard.settling;
      expect(heard).not.toHaveBeenCalled();
    });

    test('a drop onto a drop zone that reads dataTransfer itself: held; "paste anyway" hands it a drop with exactly the text', async () => {
      const { guard, ask, answer } = install(pageContext('unvetted'));
      const zone = document.createElement('div');
      document.body.append(zone);
      // happy-dom's DragEvent keeps neither `dataTransfer` nor the coordinates from its init, so the
      // text itself is checked in the real browser (tests/e2e/hostile-paste.e2e.ts); here: one drop.
      const received: { type: string; trusted: boolean }[] = [];
      zone.addEventListener('drop', (event) => received.push({ type: event.type, trusted: event.isTrusted === true }));
      expect(drop(zone, KEY).defaultPrevented).toBe(true);
      expect(received).toEqual([]);
      await vi.waitFor(() => expect(ask).toHaveBeenCalled());
      answer(true);
      await guard.settling;
      expect(received).toEqual([{ type: 'drop', trusted: false }]);
    });

    test('text without a key on a non-editable target passes untouched, as before', () => {
      const { ask } = install(pageContext('blocked'));
      const paragraph = document.createElement('p');
      document.body.append(paragraph);
      expect(paste(paragraph, 'an ordinary sentence').defaultPrevented).toBe(false);
      expect(ask).not.toHaveBeenCalled();
    });
  });

  test('guards contenteditable and textarea too', async () => {
    const { ask } = install(pageContext('unvetted'));
    const editor = document.createElement('div');
    editor.contentEditable = 'true';
    editor.textContent = 'x';
    const textarea = document.createElement('textarea');
    document.body.append(editor, textarea);
    expect(paste(editor, KEY).defaultPrevented).toBe(true);
    expect(paste(textarea, KEY).defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(ask).toHaveBeenCalledTimes(2));
    expect(editor.textContent).toBe('x');
    expect(textarea.value).toBe('');
  });

  test('a drop of a key is held like a paste, and inserted as a drop', async () => {
    const { guard, ask, answer } = install(pageContext('unvetted'));
    const inputTypes: string[] = [];
    input.addEventListener('input', (event) => inputTypes.push((event as InputEvent).inputType));
    expect(drop(input, KEY).defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(ask).toHaveBeenCalled());
    answer(true);
    await guard.settling;
    expect(input.value).toBe('ab' + KEY);
    expect(inputTypes).toEqual(['insertFromDrop']);
  });

  describe('before the context is known', () => {
    test('holds the paste, asks the background, and inserts it when the page turns out safe', async () => {
      let context: PageContext | null = null;
      const { guard, ask, refreshContext } = install(null, {
        context: () => context,
        refreshContext: vi.fn(async () => (context = pageContext('official'))),
      });
      expect(paste(input, KEY).defaultPrevented).toBe(true);
      expect(input.value).toBe('ab');
      await guard.settling;
      expect(refreshContext).not.toHaveBeenCalled(); // the override replaced it
      expect(ask).not.toHaveBeenCalled();
      expect(input.value).toBe('ab' + KEY);
      expect(guard.holding).toBe(false);
    });

    test('asks the person when the page turns out to be a relay', async () => {
      let context: PageContext | null = null;
      const { ask, answer, guard } = install(null, { context: () => context, refreshContext: async () => (context = pageContext('unvetted')) });
      paste(input, KEY);
      await vi.waitFor(() => expect(ask).toHaveBeenCalled());
      expect(ask.mock.calls[0]![0]).toMatchObject({ level: 'unvetted', host: 'relay.example' });
      answer(false);
      await guard.settling;
      expect(input.value).toBe('ab');
    });

    test('a background that cannot answer does not swallow the paste', async () => {
      const { guard, ask } = install(null, { refreshContext: () => Promise.reject(new Error('no receiver')) });
      paste(input, KEY);
      await guard.settling;
      expect(ask).not.toHaveBeenCalled();
      expect(input.value).toBe('ab' + KEY);
    });

    test('a background that never answers is given up on', async () => {
      vi.useFakeTimers();
      try {
        const { guard } = install(null, { refreshContext: () => new Promise(() => undefined), contextTimeoutMs: 500 });
        paste(input, KEY);
        const settling = guard.settling;
        await vi.advanceTimersByTimeAsync(500);
        await settling;
        expect(input.value).toBe('ab' + KEY);
      } finally {
        vi.useRealTimers();
      }
    });
  });

  test('a second held paste replaces the first, which is dropped', async () => {
    const { guard, ask, answer } = install(pageContext('unvetted'));
    const other = document.createElement('textarea');
    document.body.append(other);
    paste(input, KEY);
    await vi.waitFor(() => expect(ask).toHaveBeenCalledTimes(1));
    const firstSignal = ask.mock.calls[0]![1];
    paste(other, sampleKeys.google);
    expect(firstSignal.aborted).toBe(true);
    await vi.waitFor(() => expect(ask).toHaveBeenCalledTimes(2));
    answer(true);
    await guard.settling;
    expect(input.value).toBe('ab');
    expect(other.value).toBe(sampleKeys.google);
  });

  test('once its lifetime ends, the guard is gone', () => {
    const { ask } = install(pageContext('blocked'));
    abort.abort();
    expect(paste(input, KEY).defaultPrevented).toBe(false);
    expect(ask).not.toHaveBeenCalled();
  });

  describe('adopt: a paste the page watch held before the guard ran', () => {
    function heldFor(text: string): HeldPaste {
      return { held: new HeldText(text), point: captureInsertionPoint(input), inputType: 'insertFromPaste' };
    }

    test('asks the background first, even when a context is already known, then asks the person', async () => {
      let context: PageContext | null = pageContext('official');
      const refreshContext = vi.fn(async () => (context = pageContext('unvetted')));
      const { guard, ask, answer } = install(null, { context: () => context, refreshContext });
      guard.adopt(heldFor(sampleKeys.claudeSession));
      expect(guard.holding).toBe(true);
      await vi.waitFor(() => expect(ask).toHaveBeenCalledTimes(1));
      expect(refreshContext).toHaveBeenCalledTimes(1);
      expect(ask.mock.calls[0]![0]).toEqual({ vendor: 'anthropic', kind: 'subscription-credential', host: 'relay.example', level: 'unvetted' });
      expect(input.value).toBe('ab');
      answer(true);
      await guard.settling;
      expect(input.value).toBe(`ab${sampleKeys.claudeSession}`);
      expect(guard.holding).toBe(false);
    });

    test('"cancel" drops the adopted text and gives focus back to the field', async () => {
      const { guard, ask, answer } = install(pageContext('unvetted'));
      const adopted = heldFor(sampleKeys.claudeSession);
      guard.adopt(adopted);
      await vi.waitFor(() => expect(ask).toHaveBeenCalled());
      input.blur();
      answer(false);
      await guard.settling;
      expect(input.value).toBe('ab');
      expect(adopted.held.present).toBe(false);
      expect(document.activeElement).toBe(input);
    });

    test('a background that cannot answer still gets a credential asked about, not let through', async () => {
      const { guard, ask } = install(null, { refreshContext: () => Promise.reject(new Error('no receiver')) });
      guard.adopt(heldFor(sampleKeys.claudeSession));
      await vi.waitFor(() => expect(ask).toHaveBeenCalled());
      expect(ask.mock.calls[0]![0]).toMatchObject({ kind: 'subscription-credential', level: 'unknown' });
      expect(input.value).toBe('ab');
    });

    test('an adopted drop goes in as a drop', async () => {
      const { guard } = install(pageContext('official'));
      const inputTypes: string[] = [];
      input.addEventListener('input', (event) => inputTypes.push((event as InputEvent).inputType));
      // A vendor key on an official page: nothing to ask, it goes in once the context is confirmed.
      guard.adopt({ held: new HeldText(KEY), point: captureDropPoint(input, 5, 5), inputType: 'insertFromDrop' });
      await guard.settling;
      expect(input.value).toBe(`ab${KEY}`);
      expect(inputTypes).toEqual(['insertFromDrop']);
    });

    test('a paste made after the adopted one replaces it: the adopted text is dropped', async () => {
      const { guard, ask, answer } = install(pageContext('unvetted'));
      const adopted = heldFor(sampleKeys.claudeSession);
      guard.adopt(adopted);
      await vi.waitFor(() => expect(ask).toHaveBeenCalledTimes(1));
      const other = document.createElement('textarea');
      document.body.append(other);
      paste(other, KEY);
      expect(adopted.held.present).toBe(false);
      await vi.waitFor(() => expect(ask).toHaveBeenCalledTimes(2));
      answer(true);
      await guard.settling;
      expect(other.value).toBe(KEY);
      expect(input.value).toBe('ab');
    });

    test('a guard whose lifetime already ended drops the text and inserts nothing', () => {
      const { guard, ask, refreshContext } = install(pageContext('unvetted'));
      abort.abort();
      const adopted = heldFor(sampleKeys.claudeSession);
      guard.adopt(adopted);
      expect(adopted.held.present).toBe(false);
      expect(guard.holding).toBe(false);
      expect(refreshContext).not.toHaveBeenCalled();
      expect(ask).not.toHaveBeenCalled();
      expect(input.value).toBe('ab');
    });
  });
});
