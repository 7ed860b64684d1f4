// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { sampleKeys } from '../../tests/support/generated-keys.ts';
import type { PageContext } from '../page-protocol.ts';
import { createContentTranslator } from './content-i18n.ts';
import { createLifetime } from './lifetime.ts';
import { shadowRootHosts, type SurfaceKind } from './page-ui.tsx';
import { startPageScript, type PageScript } from './start-page.ts';
import { getMessageFrom, pageContext, paste, trustedClick } from './test-support.ts';

const OPEN: Record<SurfaceKind, ShadowRootMode> = { warning: 'open', 'paste-guard': 'open', notice: 'open' };
const KEY = sampleKeys.anthropic;

let alive: boolean;
let lifetime: ReturnType<typeof createLifetime>;
let context: PageContext;
let send: ReturnType<typeof vi.fn<(message: unknown) => Promise<unknown>>>;
let deliver: (message: unknown) => void;
let consoleSpies: ReturnType<typeof vi.spyOn>[];

beforeEach(() => {
  alive = true;
  lifetime = createLifetime(() => alive);
  context = pageContext('unvetted');
  send = vi.fn(async (message: unknown) => {
    const { type } = message as { type: string };
    if (type === 'page/context') return { ok: true, data: context };
    if (type === 'page/trust-site') {
      context = pageContext('vetted');
      return { ok: true, data: { trusted: true } };
    }
    return { ok: false, error: `unexpected ${type}` };
  });
  consoleSpies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) => vi.spyOn(console, method));
});

afterEach(() => {
  alive = false;
  lifetime.check();
  document.body.innerHTML = '';
  for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
});

function start(): PageScript {
  return startPageScript({
    window,
    document,
    pageHost: () => 'relay.example',
    send,
    listen: (listener) => {
      deliver = listener;
      return () => (deliver = () => undefined);
    },
    ui: { translate: createContentTranslator(getMessageFrom('en')), lang: 'en', createHost: shadowRootHosts(lifetime, document, OPEN) },
    signal: lifetime.signal,
  });
}

const warningHost = () => document.querySelector<HTMLElement>('[data-relayguard="warning"]');
const guardButton = (testid: string) => document.querySelector('[data-relayguard="paste-guard"]')?.shadowRoot?.querySelector<HTMLElement>(`[data-testid="${testid}"]`) ?? null;

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

  test('Trust this site: the background is told, the new context arrives, the warning goes', async () => {
    const script = start();
    await script.ready;
    await vi.waitFor(() => expect(warningHost()).not.toBeNull());
    trustedClick(warningHost()!.shadowRoot!.querySelector('[data-testid="warning-trust"]')!);
    await vi.waitFor(() => expect(warningHost()).toBeNull());
    expect(send.mock.calls.map(([message]) => (message as { type: string }).type)).toEqual(['page/context', 'page/trust-site', 'page/context']);
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
});
