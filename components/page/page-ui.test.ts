// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createContentTranslator } from '../../lib/page/content-i18n.ts';
import { createLifetime } from '../../lib/page/lifetime.ts';
import { warningVerdict, type WarningActions } from '../../lib/page/page-surfaces.ts';
import { askPaste, NoticeSurface, SHADOW_MODES, shadowRootHosts, WarningSurface, type HostEnvironment, type PageUi, type SurfaceKind } from './page-ui.tsx';
import { getMessageFrom, pageContext, trusted, trustedClick } from '../../lib/page/test-support.ts';
import { armedRoot, TEST_HOSTS } from './test-support.ts';
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

let lifetime: ReturnType<typeof createLifetime>;
let alive: boolean;
let ui: PageUi;

beforeEach(() => {
  alive = true;
  lifetime = createLifetime(() => alive);
  ui = { translate: createContentTranslator(getMessageFrom('en')), lang: 'en', createHost: shadowRootHosts(lifetime, document, TEST_HOSTS) };
});

afterEach(() => {
  alive = false;
  lifetime.check();
  document.querySelectorAll('[data-relayguard]').forEach((element) => element.remove());
});

const hostOf = (kind: SurfaceKind) => document.querySelector<HTMLElement>(`[data-relayguard="${kind}"]`);
const inside = (kind: SurfaceKind, selector: string) => hostOf(kind)?.shadowRoot?.querySelector<HTMLElement>(selector) ?? null;

function actions(overrides: Partial<WarningActions> = {}) {
  return {
    hidden: vi.fn<WarningActions['hidden']>(),
    details: vi.fn(async () => ({ ok: true as const, data: { opened: true } })),
    report: vi.fn(async () => ({ ok: true as const, data: { opened: true } })),
    dismiss: vi.fn(async () => ({ ok: true as const, data: { dismissed: true } })),
    refresh: vi.fn(),
    ...overrides,
  };
}

describe('shadowRootHosts', () => {
  test('every surface is closed to the page', async () => {
    expect(SHADOW_MODES).toEqual({ warning: 'closed', notice: 'closed', 'paste-guard': 'closed' });
    const hosts = shadowRootHosts(lifetime, document, { observeVisibility: null });
    for (const kind of ['warning', 'paste-guard', 'notice'] as const) {
      const surface = await hosts(kind);
      surface.show();
      expect(surface.host.shadowRoot, kind).toBeNull();
      expect(surface.host.getAttribute('data-relayguard')).toBe(kind);
      expect(surface.host.parentNode).toBe(document.documentElement);
      surface.remove();
    }
  });

  test('each renders into a top-layer element of its own: a manual popover, or a modal dialog for the question', async () => {
    const hosts = shadowRootHosts(lifetime, document, TEST_HOSTS);
    const warning = await hosts('warning');
    const question = await hosts('paste-guard');
    warning.show();
    question.show();
    expect(warning.container.getAttribute('popover')).toBe('manual');
    expect(question.container.tagName).toBe('DIALOG');
    expect((question.container as HTMLDialogElement).open).toBe(true);
    expect(question.host.shadowRoot!.querySelector('style')!.textContent).toMatch(/^:host\{all:initial!important\}/);
  });

  test('hosts leave with the content script', async () => {
    const warning = await shadowRootHosts(lifetime, document, TEST_HOSTS)('warning');
    warning.show();
    alive = false;
    lifetime.check();
    expect(warning.host.isConnected).toBe(false);
    await tick();
    expect(warning.host.isConnected).toBe(false);
  });

  test('after an update, the new guard’s warning replaces the old version’s, which stays gone', async () => {
    // The old version's guard runs on in another world; its extension is gone, which it learns when it checks.
    let oldAlive = true;
    const oldLifetime = createLifetime(() => oldAlive);
    const old = await shadowRootHosts(oldLifetime, document, TEST_HOSTS)('warning');
    old.show();
    oldAlive = false;

    const current = await shadowRootHosts(lifetime, document, TEST_HOSTS)('warning');
    current.show();
    await tick();
    expect(old.host.isConnected).toBe(false);
    expect([...document.querySelectorAll('[data-relayguard="warning"]')]).toEqual([current.host]);
    expect(oldLifetime.signal.aborted).toBe(true);
  });
});

describe('WarningSurface', () => {
  test.each(['unvetted', 'blocked'] as const)('%s: a host with data-level, the warning inside', async (level) => {
    const surface = new WarningSurface(ui, actions());
    await surface.update(pageContext(level));
    const host = hostOf('warning')!;
    expect(host.getAttribute('data-level')).toBe(level);
    expect(inside('warning', '.rg-root')!.getAttribute('lang')).toBe('en');
    expect(inside('warning', '#rg-warning-title')!.textContent).toBe(`RelayGuard: ${level} AI relay`);
  });

  test.each(['official', 'vetted', 'unknown'] as const)('never on %s pages', async (level) => {
    const surface = new WarningSurface(ui, actions());
    await surface.update(pageContext(level));
    await surface.update(pageContext(null));
    await surface.update(null);
    expect(hostOf('warning')).toBeNull();
    expect(warningVerdict(pageContext(level))).toBeNull();
  });

  test('not after the person dismissed it for the site', async () => {
    const surface = new WarningSurface(ui, actions());
    await surface.update(pageContext('blocked', { warningDismissed: true }));
    expect(hostOf('warning')).toBeNull();
  });

  test('follows the context: appears, changes level in place, disappears', async () => {
    const surface = new WarningSurface(ui, actions());
    void surface.update(pageContext('unknown'));
    void surface.update(pageContext('unvetted'));
    await surface.update(pageContext('unvetted'));
    const host = hostOf('warning');
    expect(host?.getAttribute('data-level')).toBe('unvetted');
    await surface.update(pageContext('blocked'));
    expect(hostOf('warning')).toBe(host);
    expect(host!.getAttribute('data-level')).toBe('blocked');
    await surface.update(pageContext('vetted'));
    expect(hostOf('warning')).toBeNull();
    expect(document.querySelectorAll('[data-relayguard="warning"]')).toHaveLength(0);
  });

  test('a page that removes it sees it come back', async () => {
    const surface = new WarningSurface(ui, actions());
    await surface.update(pageContext('unvetted'));
    const host = hostOf('warning')!;
    host.remove();
    await tick();
    expect(hostOf('warning')).toBe(host);
  });

  test('offers no way to trust the site: that decision is the popup\'s', async () => {
    const surface = new WarningSurface(ui, actions());
    await surface.update(pageContext('unvetted'));
    await vi.waitFor(() => expect(armedRoot('warning')).not.toBeNull());
    expect(inside('warning', '[data-testid="warning-trust"]')).toBeNull();
    expect(hostOf('warning')!.shadowRoot!.textContent).not.toMatch(/trust/i);
  });

  test('Details and Dismiss go to the background; Dismiss asks for the new context', async () => {
    const calls = actions();
    const surface = new WarningSurface(ui, calls);
    await surface.update(pageContext('blocked'));
    await vi.waitFor(() => expect(armedRoot('warning')).not.toBeNull());
    trustedClick(inside('warning', '[data-testid="warning-details"]')!);
    await vi.waitFor(() => expect(calls.details).toHaveBeenCalledTimes(1));
    // While the background answers, the actions wait.
    await vi.waitFor(() => expect((inside('warning', '[data-testid="warning-dismiss"]') as HTMLButtonElement).disabled).toBe(false));
    expect(calls.refresh).not.toHaveBeenCalled();
    trustedClick(inside('warning', '[data-testid="warning-dismiss"]')!);
    await vi.waitFor(() => expect(calls.refresh).toHaveBeenCalledTimes(1));
    expect(calls.dismiss).toHaveBeenCalledTimes(1);
  });

  test('a page script clicking the buttons achieves nothing', async () => {
    const calls = actions();
    const surface = new WarningSurface(ui, calls);
    await surface.update(pageContext('unvetted'));
    await vi.waitFor(() => expect(armedRoot('warning')).not.toBeNull());
    inside('warning', '[data-testid="warning-details"]')!.click();
    inside('warning', '[data-testid="warning-dismiss"]')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    hostOf('warning')!.click();
    await tick();
    expect(calls.details).not.toHaveBeenCalled();
    expect(calls.dismiss).not.toHaveBeenCalled();
  });

  test('a refused action says why', async () => {
    const calls = actions({ dismiss: vi.fn(async () => ({ ok: false as const, error: 'Your organisation manages this site.' })) });
    const surface = new WarningSurface(ui, calls);
    await surface.update(pageContext('blocked'));
    await vi.waitFor(() => expect(armedRoot('warning')).not.toBeNull());
    trustedClick(inside('warning', '[data-testid="warning-dismiss"]')!);
    await vi.waitFor(() => expect(inside('warning', '.rg-error')?.textContent).toBe('That did not work: Your organisation manages this site.'));
    expect(calls.refresh).not.toHaveBeenCalled();
  });
});

describe('askPaste', () => {
  const prompt = { vendor: 'openai', kind: 'vendor-key', host: 'relay.example', level: 'unvetted' } as const;

  test('shows the question with focus inside, and answers true for "paste anyway"', async () => {
    const answer = askPaste(ui, prompt, new AbortController().signal);
    await vi.waitFor(() => expect(armedRoot('paste-guard')).not.toBeNull());
    expect(hostOf('paste-guard')!.shadowRoot!.activeElement).toBe(inside('paste-guard', '[data-testid="cancel-paste"]'));
    trustedClick(inside('paste-guard', '[data-testid="paste-anyway"]')!);
    expect(await answer).toBe(true);
    expect(hostOf('paste-guard')).toBeNull();
  });

  test('answers false for "don\'t paste" and for Escape', async () => {
    const first = askPaste(ui, prompt, new AbortController().signal);
    await vi.waitFor(() => expect(armedRoot('paste-guard')).not.toBeNull());
    trustedClick(inside('paste-guard', '[data-testid="cancel-paste"]')!);
    expect(await first).toBe(false);

    const second = askPaste(ui, prompt, new AbortController().signal);
    await vi.waitFor(() => expect(inside('paste-guard', '[role="dialog"]')).not.toBeNull());
    inside('paste-guard', '[data-testid="cancel-paste"]')!.dispatchEvent(trusted(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })));
    expect(await second).toBe(false);
    expect(hostOf('paste-guard')).toBeNull();
  });

  test('a page script clicking "paste anyway" gets no answer out of it', async () => {
    const answer = vi.fn();
    void askPaste(ui, prompt, new AbortController().signal).then(answer);
    await vi.waitFor(() => expect(armedRoot('paste-guard')).not.toBeNull());
    inside('paste-guard', '[data-testid="paste-anyway"]')!.click();
    await tick();
    expect(answer).not.toHaveBeenCalled();
    expect(hostOf('paste-guard')).not.toBeNull();
  });

  test('a newer paste takes the question away', async () => {
    const abort = new AbortController();
    const answer = askPaste(ui, prompt, abort.signal);
    await vi.waitFor(() => expect(hostOf('paste-guard')).not.toBeNull());
    abort.abort();
    expect(await answer).toBe(false);
    expect(hostOf('paste-guard')).toBeNull();
  });
});

describe('NoticeSurface', () => {
  test('one notice at a time, closed by its button', async () => {
    const notice = new NoticeSurface(ui);
    await notice.show({ vendor: 'google', kind: 'vendor-key', host: 'chat.example', level: 'unknown' });
    await notice.show({ vendor: 'openai', kind: 'vendor-key', host: 'chat.example', level: 'unknown' });
    expect(document.querySelectorAll('[data-relayguard="notice"]')).toHaveLength(1);
    expect(inside('notice', '[role="status"]')!.textContent).toContain('API key for OpenAI');
    await vi.waitFor(() => expect(armedRoot('notice')).not.toBeNull());
    trustedClick(inside('notice', '[data-testid="notice-close"]')!);
    expect(hostOf('notice')).toBeNull();
  });
});

describe('a page that fights the surfaces', () => {
  /** Hosts whose every hit test lands on something of the page's, as under a page's modal dialog. */
  function coveredUi(): PageUi {
    const cover = document.createElement('div');
    document.body.append(cover);
    const environment: HostEnvironment = { ...TEST_HOSTS, hitTest: () => cover };
    return { ...ui, createHost: shadowRootHosts(lifetime, document, environment) };
  }

  test('buttons do not act before the surface was seen unobscured for the arming delay', async () => {
    const slow: PageUi = { ...ui, createHost: shadowRootHosts(lifetime, document, { ...TEST_HOSTS, armDelayMs: 60_000 }) };
    const calls = actions();
    await new WarningSurface(slow, calls).update(pageContext('unvetted'));
    trustedClick(inside('warning', '[data-testid="warning-dismiss"]')!);
    trustedClick(inside('warning', '[data-testid="warning-details"]')!);
    await tick();
    expect(calls.dismiss).not.toHaveBeenCalled();
    expect(calls.details).not.toHaveBeenCalled();
    expect(inside('warning', '[data-armed]')!.getAttribute('data-armed')).toBe('false');
  });

  test('a warning kept covered is raised a few times, then gives up and says so, once; its buttons never arm', async () => {
    const calls = actions();
    await new WarningSurface(coveredUi(), calls).update(pageContext('unvetted'));
    await vi.waitFor(() => expect(calls.hidden).toHaveBeenCalledWith('covered'));
    await tick();
    expect(calls.hidden).toHaveBeenCalledTimes(1);
    expect(inside('warning', '[data-armed]')!.getAttribute('data-armed')).toBe('false');
    // It stays on the page, for when the page stops covering it.
    expect(hostOf('warning')).not.toBeNull();
  });

  test('a paste question kept covered is answered "don\'t paste", and says how it was hidden', async () => {
    const hidden = vi.fn();
    const answer = await askPaste(coveredUi(), { vendor: 'openai', kind: 'vendor-key', host: 'relay.example', level: 'unvetted' }, new AbortController().signal, hidden);
    expect(answer).toBe(false);
    expect(hidden).toHaveBeenCalledWith('covered');
    expect(hostOf('paste-guard')).toBeNull();
  });

  test('a page that removes the warning in a loop gets it back at first, then it stays off and says so', async () => {
    const hidden = vi.fn();
    const calls = actions({ hidden });
    await new WarningSurface(ui, calls).update(pageContext('unvetted'));
    const host = hostOf('warning')!;
    for (let round = 0; round < 40 && hidden.mock.calls.length === 0; round++) {
      host.remove();
      await tick();
    }
    expect(hidden).toHaveBeenCalledWith('removed');
    expect(hidden).toHaveBeenCalledTimes(1);
  });
});
