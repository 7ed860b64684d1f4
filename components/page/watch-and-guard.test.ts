// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { sampleKeys } from '../../tests/support/generated-keys.ts';
import { signalsFromFingerprint, type PageFingerprint } from '../../lib/detection/page-fingerprint.ts';
import { createContentTranslator } from '../../lib/page/content-i18n.ts';
import { GUARD_WAIT_MS } from '../../lib/page/paste/early-paste-hold.ts';
import { contentExtensionApi, type ContentExtensionApi } from '../../lib/platform/extension-api.ts';
import { createLifetime, type Lifetime } from '../../lib/page/lifetime.ts';
import { openPageBridge } from '../../lib/page/page-bridge.ts';
import { pageSurfaces, shadowRootHosts } from './page-ui.tsx';
import { armedRoot, TEST_HOSTS } from './test-support.ts';
import { RENDERED_PAGE_ELEMENTS, SECOND_LOOK_DELAY_MS } from '../../lib/page/fingerprint/report-page.ts';
import { startPageScript } from '../../lib/page/start-page.ts';
import { getMessageFrom, pageContext, paste, trustedClick } from '../../lib/page/test-support.ts';
import { watchPage, type PageWatch } from '../../lib/page/watch-page.ts';

// End to end in one document: the page watch as entrypoints/page-watch.ts wires it, and the page
// guard as entrypoints/page-guard/index.tsx does when the background runs it later.

const FIXTURE_SITES_DIR = join(import.meta.dirname, '../../tests/fixtures/sites');
const CREDENTIAL = sampleKeys.claudeSession;
const english = getMessageFrom('en');

/**
 * This test's extension: what the background received, whether it is still installed, and how
 * often a script built its bindings to the extension API (what an ordinary page should not pay).
 */
interface Extension {
  alive: boolean;
  reachable: boolean;
  apiBuilt: number;
  readonly received: { type: string }[];
  readonly globals: { readonly chrome: Partial<ContentExtensionApi> };
}

let extension: Extension;
let storageAsked: number;
let waits: number[];
let guardLifetime: Lifetime | null;

beforeEach(() => {
  const current: Extension = {
    alive: true,
    reachable: true,
    apiBuilt: 0,
    received: [],
    globals: {
      get chrome() {
        current.apiBuilt++;
        return {
          runtime: {
            get id() {
              return current.alive ? 'relayguard' : undefined;
            },
            sendMessage: async (message: unknown) => background(current, message as { type: string }),
            onMessage: { addListener: () => undefined, removeListener: () => undefined },
          },
          i18n: {
            getMessage: (key: string, substitutions?: string | string[]) => english(key, typeof substitutions === 'string' ? [substitutions] : substitutions),
            getUILanguage: () => 'en',
          },
        };
      },
    },
  };
  extension = current;
  storageAsked = 0;
  waits = [];
  guardLifetime = null;
  localStorage.clear();
});

afterEach(() => {
  // The extension goes away: both scripts end, and the next test's watch opens a new bridge.
  extension.alive = false;
  guardLifetime?.check();
  vi.useRealTimers();
  document.documentElement.innerHTML = '<head></head><body></body>';
});

/** The background, as far as these scripts see it. */
async function background(current: Extension, message: { type: string }): Promise<unknown> {
  if (!current.reachable) throw new Error('Could not establish connection. Receiving end does not exist.');
  current.received.push(message);
  if (message.type === 'page/context') return { ok: true, data: pageContext('unvetted') };
  if (message.type === 'page/guard-needed') return { ok: true, data: { started: true } };
  if (message.type === 'page/fingerprint') return { ok: true, data: { recorded: true } };
  return { ok: false, error: `unexpected ${message.type}` };
}

/** The page watch, wired as entrypoints/page-watch.ts wires it. */
function startWatch(hostname = 'relay.example', pathname = '/'): PageWatch {
  const current = extension;
  let api: ContentExtensionApi | null = null;
  const runtime = () => (api ??= contentExtensionApi(current.globals)).runtime;
  return watchPage({
    window,
    document,
    location: { hostname, pathname, hash: '' },
    storage: () => {
      storageAsked++;
      return localStorage;
    },
    send: (message) => runtime().sendMessage(message),
    lifetime: createLifetime(() => runtime().id !== undefined),
    wait: async (ms) => {
      waits.push(ms);
    },
  });
}

/** The page guard, as the background starts it in a page that needs it (entrypoints/page-guard). */
function startGuard(hostname = 'relay.example') {
  const browser = contentExtensionApi(extension.globals);
  const lifetime = createLifetime(() => browser.runtime.id !== undefined);
  guardLifetime = lifetime;
  const bridge = openPageBridge(window, () => lifetime.check(), lifetime.signal);
  expect(bridge.claimGuard()).toBe(true);
  const script = startPageScript({
    window,
    document,
    pageHost: () => hostname,
    send: (message) => browser.runtime.sendMessage(message),
    listen: () => () => undefined,
    surfaces: pageSurfaces({
      translate: createContentTranslator((key, substitutions) => browser.i18n.getMessage(key, substitutions)),
      lang: browser.i18n.getUILanguage(),
      createHost: shadowRootHosts(lifetime, document, TEST_HOSTS),
    }),
    pasteEvents: bridge.guardEvents,
    heldPaste: bridge.takeHeld(),
    probeStatus: async () => undefined,
    signal: lifetime.signal,
  });
  return { bridge, script };
}

function loadFixture(site: string): void {
  document.documentElement.innerHTML = readFileSync(join(FIXTURE_SITES_DIR, site, 'index.html'), 'utf8');
}

/** An ordinary article page, rendered by its server: more elements than any app shell. */
function loadOrdinaryPage(): void {
  const paragraphs = Array.from({ length: RENDERED_PAGE_ELEMENTS }, (_, index) => `<p>Paragraph ${index} of a long read about gardening.</p>`).join('');
  document.documentElement.innerHTML = `<head><title>Notes on gardening</title><meta name="description" content="A gardening blog"></head><body><article>${paragraphs}</article><footer>© A gardener</footer></body>`;
}

const fingerprintsReceived = () => extension.received.filter((message) => message.type === 'page/fingerprint') as unknown as { fingerprint: PageFingerprint }[];
/** A button of the paste question, once its buttons act. */
const guardButton = (testid: string) => armedRoot('paste-guard')?.querySelector<HTMLElement>(`[data-testid="${testid}"]`) ?? null;

describe('watchPage: the page’s fingerprint', () => {
  test('a relay-looking page is reported once, with its gateway signals', async () => {
    loadFixture('oneapi-default');
    await startWatch().reported;
    const reports = fingerprintsReceived();
    expect(reports).toHaveLength(1);
    expect(signalsFromFingerprint(reports[0]!.fingerprint).map((signal) => signal.id)).toEqual(
      expect.arrayContaining(['gateway-meta-description', 'gateway-footer-credit', 'gateway-default-title']),
    );
    expect(extension.received.map((message) => message.type)).toEqual(['page/fingerprint']);
    expect(waits).toEqual([SECOND_LOOK_DELAY_MS]);
  });

  test('an ordinary rendered page sends nothing, never asks for its storage, and never touches the extension API', async () => {
    loadOrdinaryPage();
    await startWatch('garden.example', '/2025/05/roses').reported;
    expect(extension.received).toEqual([]);
    expect(storageAsked).toBe(0);
    expect(waits).toEqual([]);
    expect(extension.apiBuilt).toBe(0);
  });

  test('the extension API is first touched to send, not before', async () => {
    loadFixture('oneapi-default');
    const watch = startWatch();
    expect(extension.apiBuilt).toBe(0);
    await watch.reported;
    expect(extension.apiBuilt).toBe(1);
  });

  test('the page is looked at once it is parsed, not while it is loading', async () => {
    loadFixture('oneapi-default');
    Object.defineProperty(document, 'readyState', { value: 'loading', configurable: true });
    try {
      const watch = startWatch();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(storageAsked).toBe(0);
      expect(extension.received).toEqual([]);
      delete (document as { readyState?: string }).readyState;
      document.dispatchEvent(new Event('DOMContentLoaded'));
      await watch.reported;
      expect(fingerprintsReceived()).toHaveLength(1);
    } finally {
      delete (document as { readyState?: string }).readyState;
    }
  });

  test('once the extension is gone, nothing is sent and nothing is thrown', async () => {
    loadFixture('oneapi-default');
    extension.alive = false;
    await expect(startWatch().reported).resolves.toBeUndefined();
    expect(extension.received).toEqual([]);
  });
});

describe('watchPage: a Claude subscription credential pasted before any guard runs', () => {
  let field: HTMLTextAreaElement;

  beforeEach(() => {
    loadOrdinaryPage();
    field = document.createElement('textarea');
    field.value = 'session: ';
    document.body.append(field);
    field.focus();
    field.setSelectionRange(9, 9);
  });

  test('is held, the guard is asked for, and the guard started later takes it over: "paste anyway" inserts exactly it, once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const watch = startWatch();
    const inputs: string[] = [];
    field.addEventListener('input', (event) => inputs.push((event as InputEvent).inputType));

    expect(paste(field, CREDENTIAL).defaultPrevented).toBe(true);
    expect(field.value).toBe('session: ');
    await vi.waitFor(() => expect(extension.received).toEqual([{ type: 'page/guard-needed' }]));

    // The background runs the guard in this document; it finds the watch's bridge and the held paste.
    const { bridge, script } = startGuard();
    expect(bridge).toBe(watch.bridge);
    expect(script.pasteGuard.holding).toBe(true);
    await vi.waitFor(() => expect(guardButton('paste-anyway')).not.toBeNull());
    expect(document.querySelector('[data-relayguard="paste-guard"]')!.shadowRoot!.textContent).not.toContain(CREDENTIAL.slice(0, 20));

    // The watch's wait runs out while the person is still deciding: it does not insert behind the guard’s back.
    vi.advanceTimersByTime(GUARD_WAIT_MS);
    expect(field.value).toBe('session: ');

    trustedClick(guardButton('paste-anyway')!);
    await vi.waitFor(() => expect(field.value).toBe(`session: ${CREDENTIAL}`));
    expect(inputs).toEqual(['insertFromPaste']);
    expect(JSON.stringify(extension.received)).not.toContain(CREDENTIAL.slice(0, 20));
  });

  test('once the guard runs, the next paste is the guard’s to decide, and the watch asks for no guard again', async () => {
    startWatch();
    const { script } = startGuard();
    await script.ready;
    await script.context.refresh();
    expect(paste(field, CREDENTIAL).defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(guardButton('cancel-paste')).not.toBeNull());
    trustedClick(guardButton('cancel-paste')!);
    await vi.waitFor(() => expect(script.pasteGuard.holding).toBe(false));
    expect(field.value).toBe('session: ');
    expect(extension.received.map((message) => message.type)).not.toContain('page/guard-needed');
  });

  test('when no guard comes (the background cannot be reached), it goes in after GUARD_WAIT_MS, exactly', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    extension.reachable = false;
    startWatch();
    expect(paste(field, CREDENTIAL).defaultPrevented).toBe(true);
    vi.advanceTimersByTime(GUARD_WAIT_MS - 1);
    expect(field.value).toBe('session: ');
    vi.advanceTimersByTime(1);
    expect(field.value).toBe(`session: ${CREDENTIAL}`);
  });

  test('other pastes pass untouched, and ask for nothing', () => {
    startWatch();
    expect(paste(field, sampleKeys.openai).defaultPrevented).toBe(false);
    expect(paste(field, 'hello').defaultPrevented).toBe(false);
    expect(extension.received).toEqual([]);
  });

  test('on Claude’s own site it passes untouched', () => {
    startWatch('claude.ai');
    expect(paste(field, CREDENTIAL).defaultPrevented).toBe(false);
    expect(extension.received).toEqual([]);
  });

  test('once the extension is gone (updated, removed), the watch holds nothing', () => {
    startWatch();
    extension.alive = false;
    expect(paste(field, CREDENTIAL).defaultPrevented).toBe(false);
    expect(extension.received).toEqual([]);
  });
});
