/**
 * Mounts RelayGuard's in-page surfaces (warning card, paste question, paste notice) on the page,
 * each in its own host element with its own shadow root, created only when it is first needed:
 * an ordinary page gets no element and no Preact render.
 */
import { render, type ComponentChildren } from 'preact';
import { I18nContext } from '../common/i18n-context.ts';
import { InPageWarning } from './InPageWarning.tsx';
import { PasteGuardDialog } from './PasteGuardDialog.tsx';
import { PasteNotice } from './PasteNotice.tsx';
import type { Translate } from '../../lib/core/i18n.ts';
import type { PageContext } from '../../lib/protocol/page-protocol.ts';
import { warningVerdict, type NoticeView, type PageSurfaces, type WarningActions, type WarningView } from '../../lib/page/page-surfaces.ts';
import type { Envelope } from '../../lib/protocol/send-validated.ts';
import { keepAttached } from '../../lib/page/keep-attached.ts';
import type { Lifetime } from '../../lib/page/lifetime.ts';
import type { PastePrompt } from '../../lib/page/paste/paste-guard.ts';
import stylesheet from './page-ui.css?inline';

export type SurfaceKind = 'warning' | 'paste-guard' | 'notice';

export interface UiHost {
  /** The element on the page; it carries `data-relayguard="<kind>"` (docs/test-contract.md). */
  readonly host: HTMLElement;
  /** Where the surface renders, inside the shadow root. */
  readonly container: HTMLElement;
  /** Puts the host on the page and keeps it there until `remove`. */
  attach(onReattach?: () => void): void;
  remove(): void;
}

export type CreateUiHost = (kind: SurfaceKind) => Promise<UiHost>;

export interface PageUi {
  readonly translate: Translate;
  /** The UI language (browser.i18n.getUILanguage()), for the `lang` attribute. */
  readonly lang: string;
  readonly createHost: CreateUiHost;
}

/**
 * The shadow root of each surface. The warning and the notice are closed: page scripts get no
 * handle on what is inside. The paste question is open, because docs/test-contract.md makes its
 * buttons (`[data-testid="paste-anyway"]`, `[data-testid="cancel-paste"]`) part of the public
 * surface, and no automation (Playwright included) reaches into a closed root. That costs
 * nothing a page could use: the question holds no part of the key, and its buttons and Escape
 * act on trusted input only, which a page script cannot produce.
 */
export const SHADOW_MODES: Readonly<Record<SurfaceKind, ShadowRootMode>> = { warning: 'closed', notice: 'closed', 'paste-guard': 'open' };

/**
 * Host elements with their own shadow root and `all: initial` on the host, so no inherited
 * page style crosses the boundary. The stylesheet is bundled into the script and set inside
 * each root: nothing to fetch, and no web-accessible file a page could probe for. (WXT's
 * createShadowRootUi does the same, but brings its auto-mount machinery, ~3 KB gzipped, and a
 * fetched, web-accessible stylesheet.) Hosts hang off `<html>`, not `<body>`: pages replace
 * their body, and a transformed body would turn `position: fixed` into absolute. Hosts leave
 * with the content script (an extension update or reload invalidates it).
 */
export function shadowRootHosts(lifetime: Pick<Lifetime, 'onInvalidated'>, doc: Document = document, modes = SHADOW_MODES): CreateUiHost {
  return async (kind) => {
    const host = doc.createElement(`relayguard-${kind}`);
    host.setAttribute('data-relayguard', kind);
    const shadow = host.attachShadow({ mode: modes[kind] });
    const style = doc.createElement('style');
    style.textContent = `:host{all:initial!important}${stylesheet}`;
    const container = doc.createElement('div');
    shadow.append(style, container);
    let stopKeeping: (() => void) | null = null;
    const remove = () => {
      stopKeeping?.();
      stopKeeping = null;
      render(null, container);
      host.remove();
    };
    const forget = lifetime.onInvalidated(remove);
    return {
      host,
      container,
      attach(onReattach) {
        (doc.documentElement ?? doc).append(host);
        stopKeeping = keepAttached(host, onReattach ? { onReattach } : {});
      },
      remove() {
        forget();
        remove();
      },
    };
  };
}

function Surface({ ui, children }: { ui: PageUi; children: ComponentChildren }) {
  return (
    <I18nContext.Provider value={ui.translate}>
      <div class="rg-root" lang={ui.lang}>
        {children}
      </div>
    </I18nContext.Provider>
  );
}

/** The warning card: shown, updated and removed as the page context changes. */
export class WarningSurface implements WarningView {
  readonly #ui: PageUi;
  readonly #actions: WarningActions;
  #context: PageContext | null = null;
  #host: UiHost | null = null;
  #busy = false;
  #error: string | null = null;
  #queue: Promise<void> = Promise.resolve();

  constructor(ui: PageUi, actions: WarningActions) {
    this.#ui = ui;
    this.#actions = actions;
  }

  /** The host element while the warning is on the page. */
  get host(): HTMLElement | null {
    return this.#host?.host ?? null;
  }

  /** Applies a context; updates are applied in order, each against the newest context. */
  update(context: PageContext | null): Promise<void> {
    this.#context = context;
    this.#queue = this.#queue.then(() => this.#sync()).catch(() => undefined);
    return this.#queue;
  }

  remove(): void {
    this.#context = null;
    this.#teardown();
  }

  async #sync(): Promise<void> {
    let verdict = warningVerdict(this.#context);
    if (!verdict) {
      this.#teardown();
      return;
    }
    if (!this.#host) {
      const host = await this.#ui.createHost('warning');
      verdict = warningVerdict(this.#context);
      if (!verdict) {
        host.remove();
        return;
      }
      host.host.setAttribute('data-level', verdict.level);
      host.attach();
      this.#host = host;
    }
    this.#host.host.setAttribute('data-level', verdict.level);
    this.#render();
  }

  #teardown(): void {
    this.#host?.remove();
    this.#host = null;
    this.#busy = false;
    this.#error = null;
  }

  #render(): void {
    const verdict = warningVerdict(this.#context);
    if (!this.#host || !verdict) return;
    render(
      <Surface ui={this.#ui}>
        <InPageWarning
          verdict={verdict}
          busy={this.#busy}
          error={this.#error}
          onDetails={() => void this.#run(this.#actions.details, false)}
          onTrust={() => void this.#run(this.#actions.trust, true)}
          onDismiss={() => void this.#run(this.#actions.dismiss, true)}
        />
      </Surface>,
      this.#host.container,
    );
  }

  async #run(action: () => Promise<Envelope<unknown>>, refresh: boolean): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.#error = null;
    this.#render();
    const answer = await action().catch((cause: unknown): Envelope<never> => ({ ok: false, error: String(cause) }));
    this.#busy = false;
    this.#error = answer.ok ? null : answer.error;
    this.#render();
    if (answer.ok && refresh) this.#actions.refresh();
  }
}

/**
 * Shows the paste question and resolves with the answer (true: paste anyway). Resolves false,
 * and takes the question away, when `signal` aborts.
 */
export function askPaste(ui: PageUi, prompt: PastePrompt, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    let host: UiHost | null = null;
    let settled = false;
    const finish = (accepted: boolean) => {
      if (settled) return;
      settled = true;
      host?.remove();
      host = null;
      resolve(accepted);
    };
    if (signal.aborted) return finish(false);
    signal.addEventListener('abort', () => finish(false), { once: true });
    ui.createHost('paste-guard').then(
      (created) => {
        if (settled) return created.remove();
        host = created;
        const focusQuestion = () => created.container.querySelector<HTMLElement>('[data-testid="cancel-paste"]')?.focus();
        created.attach(focusQuestion);
        render(
          <Surface ui={ui}>
            <PasteGuardDialog {...prompt} onPaste={() => finish(true)} onCancel={() => finish(false)} />
          </Surface>,
          created.container,
        );
      },
      () => finish(false),
    );
  });
}

/** The small notice after a key went into an unknown page that calls AI APIs; one at a time. */
export class NoticeSurface implements NoticeView {
  readonly #ui: PageUi;
  #host: UiHost | null = null;
  #shown = 0;
  #queue: Promise<void> = Promise.resolve();

  constructor(ui: PageUi) {
    this.#ui = ui;
  }

  get host(): HTMLElement | null {
    return this.#host?.host ?? null;
  }

  show(prompt: PastePrompt): Promise<void> {
    this.#queue = this.#queue
      .then(async () => {
        if (!this.#host) {
          const host = await this.#ui.createHost('notice');
          host.attach();
          this.#host = host;
        }
        render(
          <Surface ui={this.#ui}>
            {/* A new key restarts the notice, and its timer, for a new paste. */}
            <PasteNotice key={++this.#shown} vendor={prompt.vendor} kind={prompt.kind} host={prompt.host} onClose={() => this.hide()} />
          </Surface>,
          this.#host.container,
        );
      })
      .catch(() => undefined);
    return this.#queue;
  }

  hide(): void {
    this.#host?.remove();
    this.#host = null;
  }
}

/** The surfaces the page guard's logic (lib/page/start-page.ts) is handed by its entrypoint. */
export function pageSurfaces(ui: PageUi): PageSurfaces {
  return {
    warning: (actions) => new WarningSurface(ui, actions),
    notice: () => new NoticeSurface(ui),
    askPaste: (prompt, signal) => askPaste(ui, prompt, signal),
  };
}
