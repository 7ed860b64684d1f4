/**
 * Mounts RelayGuard's in-page surfaces (warning card, paste question, paste notice) on the page,
 * each in its own host element with its own shadow root, created only when it is first needed:
 * an ordinary page gets no element and no Preact render.
 *
 * About 390 lines in one file: the three surfaces share one host lifecycle (attach, keep
 * attached, stay on top, arm the buttons, give up and say so), and that lifecycle is the defence;
 * kept in one place it can be read, and tested, as one.
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
import { ARM_DELAY_MS, armWhenSeen, browserVisibilityObserver, type Arming, type VisibilityObserverFactory } from '../../lib/page/arming.ts';
import { keepAttached } from '../../lib/page/keep-attached.ts';
import { hitsOnlyOurs, watchOnTop, type HiddenHow } from '../../lib/page/stay-on-top.ts';
import type { Lifetime } from '../../lib/page/lifetime.ts';
import type { PastePrompt } from '../../lib/page/paste/paste-guard.ts';
import stylesheet from './page-ui.css?inline';

export type SurfaceKind = 'warning' | 'paste-guard' | 'notice';

/** What a shown surface hears about: put back after removal, buttons armed or not, hidden for good. */
export interface SurfaceEvents {
  readonly onReattach?: () => void;
  readonly onArmedChange?: (armed: boolean) => void;
  /** The page kept covering or removing it, and it stopped fighting (lib/page/stay-on-top.ts). */
  readonly onHidden?: (how: HiddenHow) => void;
}

export interface UiHost {
  /** The element on the page; it carries `data-relayguard="<kind>"` (docs/test-contract.md). */
  readonly host: HTMLElement;
  /** Where the surface renders: its top-layer element, inside the closed shadow root. */
  readonly container: HTMLElement;
  /** Whether its buttons act now (lib/page/arming.ts). */
  readonly armed: boolean;
  /** Puts the host on the page and in the top layer, and keeps it there until `remove`. */
  show(events?: SurfaceEvents): void;
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
 * Every surface's shadow root is closed: page scripts get no handle on what is inside, so they
 * can neither read nor restyle nor relabel it (docs/test-contract.md; tests reach it through the
 * DevTools protocol). Only tests of this folder, under happy-dom, open them.
 */
export const SHADOW_MODES: Readonly<Record<SurfaceKind, ShadowRootMode>> = { warning: 'closed', notice: 'closed', 'paste-guard': 'closed' };

/** What the browser provides the hosts; tests under happy-dom, which has no layout, stand in for it. */
export interface HostEnvironment {
  readonly modes?: Readonly<Record<SurfaceKind, ShadowRootMode>>;
  /** IntersectionObserver v2; null where there is none (the hit test alone then arms the buttons). */
  readonly observeVisibility?: VisibilityObserverFactory | null;
  /** The document's hit test; `host` is the surface asking. */
  readonly hitTest?: (x: number, y: number, host: Element) => Element | null;
  readonly armDelayMs?: number;
}

/**
 * Host elements with their own closed shadow root and `all: initial` on the host, so no
 * inherited page style crosses the boundary. Inside, each surface renders into a top-layer
 * element of its own: a manual popover for the warning and the notice, a modal dialog for the
 * paste question, so no z-index, clip-path or transform of the page's is drawn over them. The
 * stylesheet is bundled into the script and set inside each root: nothing to fetch, and no
 * web-accessible file a page could probe for. Hosts hang off `<html>`, not `<body>`: pages
 * replace their body. Hosts leave with the content script (an extension update or reload
 * invalidates it).
 */
export function shadowRootHosts(lifetime: Pick<Lifetime, 'onInvalidated' | 'check'>, doc: Document = document, environment: HostEnvironment = {}): CreateUiHost {
  const { modes = SHADOW_MODES, armDelayMs = ARM_DELAY_MS } = environment;
  const view = doc.defaultView;
  const observeVisibility = environment.observeVisibility === undefined ? browserVisibilityObserver(view) : (environment.observeVisibility ?? undefined);
  const viewport = () => ({ width: view?.innerWidth ?? 0, height: view?.innerHeight ?? 0 });
  // Every host this content script made: one surface over another (the question over the card) is not the page's doing.
  const ours = new Set<Element>();
  const isOurs = (element: Element | null) => element !== null && ours.has(element);
  return async (kind) => {
    // A host of this kind that is not this script's was left by the version before an update
    // (whose guard runs on in another world, its extension gone): it goes, and stays gone
    // (keepAttached's stillOurs), so the page shows one warning, the one whose buttons answer.
    for (const stale of doc.querySelectorAll(`relayguard-${kind}`)) if (!ours.has(stale)) stale.remove();
    const host = doc.createElement(`relayguard-${kind}`);
    ours.add(host);
    host.setAttribute('data-relayguard', kind);
    const hitTest = (x: number, y: number) => (environment.hitTest ? environment.hitTest(x, y, host) : doc.elementFromPoint(x, y));
    const shadow = host.attachShadow({ mode: modes[kind] });
    const style = doc.createElement('style');
    style.textContent = `:host{all:initial!important}${stylesheet}`;
    const modal = kind === 'paste-guard';
    const layer = doc.createElement(modal ? 'dialog' : 'div');
    layer.className = `rg-layer rg-layer-${kind}`;
    if (modal) {
      // Escape is the question's own to answer (PasteGuardDialog); the dialog never closes itself.
      layer.addEventListener('cancel', (event) => event.preventDefault());
    } else {
      layer.setAttribute('popover', 'manual');
    }
    shadow.append(style, layer);
    const cardRect = () => layer.querySelector('.rg-card')?.getBoundingClientRect() ?? null;

    const enterTopLayer = () => {
      if (!host.isConnected) return;
      try {
        // Leaving and entering again puts it at the top of the top layer, above a page's later ones.
        if (layer instanceof HTMLDialogElement) {
          layer.close();
          layer.showModal();
        } else if (typeof layer.showPopover === 'function') {
          layer.hidePopover();
          layer.showPopover();
        }
      } catch {
        // Not connected after all, or a browser without the API: the host's own styles still show it.
      }
    };

    let stops: Array<() => void> = [];
    let arming: Arming | null = null;
    const stopAll = () => {
      for (const stop of stops) stop();
      stops = [];
      arming = null;
    };
    const remove = () => {
      stopAll();
      render(null, layer);
      host.remove();
      ours.delete(host);
    };
    const forget = lifetime.onInvalidated(remove);
    return {
      host,
      container: layer,
      get armed() {
        return arming?.armed ?? false;
      },
      show(events = {}) {
        (doc.documentElement ?? doc).append(host);
        enterTopLayer();
        let hidden = false;
        const giveUp = (how: HiddenHow) => {
          if (hidden) return;
          hidden = true;
          stopAll();
          events.onArmedChange?.(false);
          events.onHidden?.(how);
        };
        const onTop = kind === 'notice' ? null : watchOnTop({ host, isOurs, rect: cardRect, hitTest, viewport, raise: () => (arming?.restart(), enterTopLayer()), onHidden: giveUp });
        const stopKeeping = keepAttached(host, {
          stillOurs: () => lifetime.check(),
          onReattach: () => {
            enterTopLayer();
            arming?.restart();
            events.onReattach?.();
          },
          ...(kind !== 'notice' && { onOverwhelmed: () => giveUp('removed') }),
        });
        const armingNow = armWhenSeen({
          element: layer,
          delayMs: armDelayMs,
          ...(observeVisibility && { observe: observeVisibility }),
          occlusionKnown: view === null || view.top === view,
          onTop: () => (onTop ? onTop.check() : hitsOnlyOurs(host, cardRect(), hitTest, viewport(), isOurs)),
          onChange: (armed) => events.onArmedChange?.(armed),
        });
        arming = armingNow;
        stops = [stopKeeping, () => onTop?.stop(), () => armingNow.stop()];
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
      this.#host = host;
      host.show({ onArmedChange: () => this.#render(), onHidden: (how) => this.#actions.hidden(how) });
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
          armed={this.#host.armed}
          error={this.#error}
          onDetails={() => void this.#run(this.#actions.details, false)}
          onReport={() => void this.#run(this.#actions.report, false)}
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
 * and takes the question away, when `signal` aborts, or when the page keeps covering or
 * removing it (then `onHidden` says how): a question the person cannot see is not answered.
 */
export function askPaste(ui: PageUi, prompt: PastePrompt, signal: AbortSignal, onHidden: (how: HiddenHow) => void = () => undefined): Promise<boolean> {
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
        const draw = () =>
          render(
            <Surface ui={ui}>
              <PasteGuardDialog {...prompt} armed={created.armed} onPaste={() => finish(true)} onCancel={() => finish(false)} />
            </Surface>,
            created.container,
          );
        const focusQuestion = () => created.container.querySelector<HTMLElement>('[data-testid="cancel-paste"]')?.focus();
        created.show({
          onReattach: focusQuestion,
          onArmedChange: () => !settled && draw(),
          onHidden: (how) => {
            finish(false);
            onHidden(how);
          },
        });
        draw();
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
  #prompt: PastePrompt | null = null;
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
        this.#prompt = prompt;
        this.#shown++;
        if (!this.#host) {
          const host = await this.#ui.createHost('notice');
          this.#host = host;
          host.show({ onArmedChange: () => this.#render() });
        }
        this.#render();
      })
      .catch(() => undefined);
    return this.#queue;
  }

  hide(): void {
    this.#host?.remove();
    this.#host = null;
  }

  #render(): void {
    const host = this.#host;
    const prompt = this.#prompt;
    if (!host || !prompt) return;
    render(
      <Surface ui={this.#ui}>
        {/* A new key restarts the notice, and its timer, for a new paste. */}
        <PasteNotice key={this.#shown} vendor={prompt.vendor} kind={prompt.kind} host={prompt.host} armed={host.armed} onClose={() => this.hide()} />
      </Surface>,
      host.container,
    );
  }
}

/** The surfaces the page guard's logic (lib/page/start-page.ts) is handed by its entrypoint. */
export function pageSurfaces(ui: PageUi): PageSurfaces {
  return {
    warning: (actions) => new WarningSurface(ui, actions),
    notice: () => new NoticeSurface(ui),
    askPaste: (prompt, signal, onHidden) => askPaste(ui, prompt, signal, onHidden),
  };
}
