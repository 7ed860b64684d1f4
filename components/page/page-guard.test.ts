// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { sampleKeys } from '../../tests/support/generated-keys.ts';
import type { PageContext } from '../../lib/protocol/page-protocol.ts';
import { createContentTranslator } from '../../lib/page/content-i18n.ts';
import { HeldText, type HeldPaste } from '../../lib/page/paste/held-text.ts';
import { captureInsertionPoint } from '../../lib/page/paste/insert-text.ts';
import { createLifetime } from '../../lib/page/lifetime.ts';
import { openPageBridge } from '../../lib/page/page-bridge.ts';
import { pageSurfaces, shadowRootHosts } from './page-ui.tsx';
import { armedRoot, TEST_HOSTS } from './test-support.ts';
import { startPageScript, type PageScript, type PageScriptDeps } from '../../lib/page/start-page.ts';
import { getMessageFrom, pageContext, paste, trustedClick } from '../../lib/page/test-support.ts';

// The page guard (lib/page/start-page.ts) wired with its real surfaces, as
// entrypoints/page-guard/index.tsx wires it.

const KEY = sampleKeys.anthropic;

let alive: boolean;
let lifetime: ReturnType<typeof createLifetime>;
let context: PageContext;
let send: ReturnType<typeof vi.fn<(message: unknown) => Promise<unknown>>>;
let deliver: (message: unknown) => void;
let probeStatus: ReturnType<typeof vi.fn<() => Promise<void>>>;
let consoleSpies: ReturnType<typeof vi.spyOn>[];

beforeEach(() => {
  alive = true;
  lifetime = createLifetime(() => alive);
  context = pageContext('unvetted');
  send = vi.fn(async (message: unknown) => {
    const { type } = message as { type: string };
    if (type === 'page/context') return { ok: true, data: context };
    if (type === 'page/dismiss-warning') {
      context = { ...context, warningDismissed: true };
      return { ok: true, data: { dismissed: true } };
    }
    if (type === 'page/warning-hidden') return { ok: true, data: { recorded: true } };
    return { ok: false, error: `unexpected ${type}` };
  });
  probeStatus = vi.fn(async () => undefined);
  consoleSpies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) => vi.spyOn(console, method));
});

afterEach(() => {
  alive = false;
  lifetime.check();
  document.body.innerHTML = '';
  for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
});

function start(overrides: Partial<PageScriptDeps> = {}): PageScript {
  // The bridge as the page guard opens it where no page watch ran before it: with this test's
  // lifetime, so the previous test's bridge (its extension gone) is replaced, not reused.
  const current = lifetime;
  const bridge = openPageBridge(window, () => current.check(), current.signal);
  return startPageScript({
    window,
    document,
    pageHost: () => 'relay.example',
    send,
    listen: (listener) => {
      deliver = listener;
      return () => (deliver = () => undefined);
    },
    surfaces: pageSurfaces({ translate: createContentTranslator(getMessageFrom('en')), lang: 'en', createHost: shadowRootHosts(lifetime, document, TEST_HOSTS) }),
    pasteEvents: bridge.guardEvents,
    probeStatus,
    signal: lifetime.signal,
    ...overrides,
  });
}

/** A paste the page watch held before the guard ran: its text, and the field's caret then. */
function heldPasteInto(field: HTMLInputElement | HTMLTextAreaElement, text: string): HeldPaste {
  return { held: new HeldText(text), point: captureInsertionPoint(field), inputType: 'insertFromPaste' };
}

const warningHost = () => document.querySelector<HTMLElement>('[data-relayguard="warning"]');
/** A button of the paste question, once its buttons act. */
const guardButton = (testid: string) => armedRoot('paste-guard')?.querySelector<HTMLElement>(`[data-testid="${testid}"]`) ?? null;

describe('startPageScript', () => {
  test('asks for the context and shows the warning on an unvetted page', async () => {
    const script = start();
    await script.ready;
    await vi.waitFor(() => expect(warningHost()?.getAttribute('data-level')).toBe('unvetted'));
    expect(send).toHaveBeenCalledWith({ type: 'page/context' });
  });

  test('follows the background’s pushes, and ignores messages that are not pushes', async () => {
    const script = start();
    await script.ready;
    await vi.waitFor(() => expect(warningHost()).not.toBeNull());
    deliver({ type: 'page/context-changed', context: pageContext('official') });
    await vi.waitFor(() => expect(warningHost()).toBeNull());
    deliver({ type: 'page/context-changed', context: pageContext('blocked') });
    await vi.waitFor(() => expect(warningHost()?.getAttribute('data-level')).toBe('blocked'));
    deliver({ type: 'page/context-changed', context: { verdict: 'forged' } });
    deliver({ type: 'lists/summary' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(warningHost()?.getAttribute('data-level')).toBe('blocked');
  });

  test('Dismiss: the background is told, the new context arrives, the warning goes', async () => {
    const script = start();
    await script.ready;
    await vi.waitFor(() => expect(armedRoot('warning')).not.toBeNull());
    trustedClick(armedRoot('warning')!.querySelector('[data-testid="warning-dismiss"]')!);
    await vi.waitFor(() => expect(warningHost()).toBeNull());
    expect(send.mock.calls.map(([message]) => (message as { type: string }).type)).toEqual(['page/context', 'page/dismiss-warning', 'page/context']);
  });

  test('a page that keeps covering the warning and the question: the background hears it once, and the paste is dropped', async () => {
    const cover = document.createElement('div');
    document.body.append(cover);
    const covered = pageSurfaces({ translate: createContentTranslator(getMessageFrom('en')), lang: 'en', createHost: shadowRootHosts(lifetime, document, { ...TEST_HOSTS, hitTest: () => cover }) });
    const script = start({ surfaces: covered });
    await script.ready;
    await vi.waitFor(() => expect(send).toHaveBeenCalledWith({ type: 'page/warning-hidden', surface: 'warning', how: 'covered' }));
    const field = document.createElement('input');
    document.body.append(field);
    expect(paste(field, KEY).defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(script.pasteGuard.holding).toBe(false));
    expect(field.value).toBe('');
    expect(send.mock.calls.filter(([message]) => (message as { type: string }).type === 'page/warning-hidden')).toHaveLength(1);
  });

  test('a held key goes in on "paste anyway", and never into a message, the console or RelayGuard’s UI', async () => {
    const script = start();
    await script.ready;
    const field = document.createElement('textarea');
    document.body.append(field);
    await script.context.refresh();
    expect(paste(field, `ANTHROPIC_API_KEY=${KEY}`).defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(guardButton('paste-anyway')).not.toBeNull());
    const question = document.querySelector('[data-relayguard="paste-guard"]')!.shadowRoot!.textContent!;
    expect(question).toContain('API key for Anthropic');
    expect(question).toContain('relay.example');
    expect(question).not.toContain(KEY.slice(0, 16));
    trustedClick(guardButton('paste-anyway')!);
    await vi.waitFor(() => expect(field.value).toBe(`ANTHROPIC_API_KEY=${KEY}`));
    expect(script.pasteGuard.holding).toBe(false);
    expect(JSON.stringify(send.mock.calls)).not.toContain(KEY.slice(0, 16));
    expect(document.querySelector('[data-relayguard="paste-guard"]')).toBeNull();
  });

  test('a paste before the context arrived waits for it', async () => {
    context = pageContext('official');
    const script = start();
    const field = document.createElement('input');
    document.body.append(field);
    expect(paste(field, KEY).defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(field.value).toBe(KEY));
    expect(document.querySelector('[data-relayguard="paste-guard"]')).toBeNull();
    await script.ready;
  });

  test('when the extension goes away, everything leaves the page', async () => {
    const script = start();
    await script.ready;
    await vi.waitFor(() => expect(warningHost()).not.toBeNull());
    alive = false;
    lifetime.check();
    expect(warningHost()).toBeNull();
    const field = document.createElement('input');
    document.body.append(field);
    expect(paste(field, KEY).defaultPrevented).toBe(false);
  });

  describe('the status probe', () => {
    test('is made when the background asks for it, and only once', async () => {
      const script = start();
      await script.ready;
      deliver({ type: 'page/status-probe' });
      expect(probeStatus).toHaveBeenCalledTimes(1);
      // The background grants one probe per document; a repeated (or replayed) request is not another.
      deliver({ type: 'page/status-probe' });
      expect(probeStatus).toHaveBeenCalledTimes(1);
    });

    test('is not made for anything that is not a valid probe request', async () => {
      const script = start();
      await script.ready;
      for (const message of [null, 'page/status-probe', {}, { type: 'page/status-probes' }, { type: 'page/probe-signals', signals: [] }, { kind: 'page/status-probe' }]) {
        deliver(message);
      }
      deliver({ type: 'page/context-changed', context: pageContext('blocked') });
      expect(probeStatus).not.toHaveBeenCalled();
      // …and an invalid one earlier does not use up the real one.
      deliver({ type: 'page/status-probe' });
      expect(probeStatus).toHaveBeenCalledTimes(1);
    });

    test('a probe that fails stays quiet: nothing thrown at the listener, nothing in the console', async () => {
      probeStatus.mockRejectedValue(new Error('network down'));
      const script = start();
      await script.ready;
      expect(() => deliver({ type: 'page/status-probe' })).not.toThrow();
      await vi.waitFor(() => expect(probeStatus).toHaveBeenCalledTimes(1));
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  });

  describe('a paste the page watch held before the guard started', () => {
    test('is asked about once the context is known, and "paste anyway" puts exactly it where it was aimed', async () => {
      const field = document.createElement('textarea');
      field.value = 'token: ';
      document.body.append(field);
      field.setSelectionRange(7, 7);
      const script = start({ heldPaste: heldPasteInto(field, sampleKeys.claudeSession) });
      expect(script.pasteGuard.holding).toBe(true);
      await vi.waitFor(() => expect(guardButton('paste-anyway')).not.toBeNull());
      expect(document.querySelector('[data-relayguard="paste-guard"]')!.shadowRoot!.textContent).not.toContain(sampleKeys.claudeSession.slice(0, 20));
      expect(field.value).toBe('token: ');
      trustedClick(guardButton('paste-anyway')!);
      await vi.waitFor(() => expect(field.value).toBe(`token: ${sampleKeys.claudeSession}`));
      expect(script.pasteGuard.holding).toBe(false);
      expect(JSON.stringify(send.mock.calls)).not.toContain(sampleKeys.claudeSession.slice(0, 20));
    });

    test('"cancel" drops it: the field stays as it was', async () => {
      const field = document.createElement('input');
      document.body.append(field);
      const heldPaste = heldPasteInto(field, sampleKeys.claudeSession);
      const script = start({ heldPaste });
      await vi.waitFor(() => expect(guardButton('cancel-paste')).not.toBeNull());
      trustedClick(guardButton('cancel-paste')!);
      await vi.waitFor(() => expect(script.pasteGuard.holding).toBe(false));
      expect(field.value).toBe('');
      expect(heldPaste.held.present).toBe(false);
    });

    test('goes in without a question when the person turned the paste guard off', async () => {
      // The watch holds without knowing the settings; the guard decides again with them.
      context = pageContext('unvetted', { pasteGuard: false });
      const field = document.createElement('input');
      document.body.append(field);
      const script = start({ heldPaste: heldPasteInto(field, sampleKeys.claudeSession) });
      await vi.waitFor(() => expect(field.value).toBe(sampleKeys.claudeSession));
      expect(guardButton('paste-anyway')).toBeNull();
      await script.ready;
    });
  });
});
