/**
 * The page guard, wired together: the page context (asked for once, then pushed), the in-page
 * warning, the key paste guard and the status probe. The background runs the guard only in
 * pages that need it (lib/background/page-guards.ts); the page watch, on every page, handed it
 * the paste and drop events through the page bridge, and perhaps a paste it held meanwhile.
 * Browser APIs and the in-page surfaces come in as parameters, so the whole thing runs under happy-dom in tests.
 */
import type { GatewayFamily } from '../detection/scoring.ts';
import { sendPageRequest, statusProbeRequestSchema } from '../protocol/page-protocol.ts';
import { whenDomReady } from './dom-ready.ts';
import type { HeldPaste } from './paste/held-text.ts';
import { PageContextSource } from './page-context-source.ts';
import { installPasteGuard, type PasteGuard } from './paste/paste-guard.ts';
import type { ShadowRootReader } from './paste/paste-target.ts';
import type { NoticeView, PageSurfaces, WarningView } from './page-surfaces.ts';
import type { HiddenHow, HiddenSurface } from './stay-on-top.ts';

export interface PageScriptDeps {
  readonly window: Pick<Window, 'addEventListener'>;
  readonly document: Document;
  /** The page's ASCII host (`location.hostname`). */
  readonly pageHost: () => string;
  /** runtime.sendMessage */
  readonly send: (message: unknown) => Promise<unknown>;
  /** Adds a runtime.onMessage listener; returns the function that removes it. */
  readonly listen: (listener: (message: unknown) => void) => () => void;
  /** The in-page surfaces (components/page/page-ui.tsx), handed in by the entrypoint. */
  readonly surfaces: PageSurfaces;
  /** Where paste and drop arrive: the page bridge's `guardEvents`. */
  readonly pasteEvents: Pick<EventTarget, 'addEventListener'>;
  /** A paste the page watch held before the guard started, if any. */
  readonly heldPaste?: HeldPaste | null;
  /** The status probe, made when the background asks for it (at most once). */
  readonly probeStatus: (family?: GatewayFamily) => Promise<void>;
  /** The content script's lifetime: aborting it takes everything off the page. */
  readonly signal: AbortSignal;
  /** Opens the page's closed shadow roots, to find the field a paste is aimed at (lib/page/paste/paste-target.ts). */
  readonly shadowRootOf?: ShadowRootReader;
  /**
   * A frame inside the page: it guards pastes only (the warning is the top document's), and asks
   * the background for its context on every key paste, since context pushes go to the top
   * document and a frame is guarded by the worse of its own verdict and its top page's.
   */
  readonly subFrame?: boolean;
}

export interface PageScript {
  readonly context: PageContextSource;
  readonly pasteGuard: PasteGuard;
  readonly warning: WarningView;
  readonly notice: NoticeView;
  /** Resolves once the warning follows the context (the DOM is ready). */
  readonly ready: Promise<void>;
}

export function startPageScript(deps: PageScriptDeps): PageScript {
  const { window, document, send, surfaces, signal } = deps;
  const context = new PageContextSource({ send, pageHost: deps.pageHost });
  let probed = false;
  const unlisten = deps.listen((message) => {
    if (context.receive(message) || probed) return;
    const probe = statusProbeRequestSchema().safeParse(message);
    if (!probe.success) return;
    probed = true;
    void deps.probeStatus(probe.data.family).catch(() => undefined);
  });

  // A page that keeps covering or removing RelayGuard's warning or question has the background
  // show the verdict where it cannot reach (badge, notification): said once per document.
  let hiddenReported = false;
  const reportHidden = (surface: HiddenSurface, how: HiddenHow) => {
    if (hiddenReported || signal.aborted) return;
    hiddenReported = true;
    void sendPageRequest(send, { type: 'page/warning-hidden', surface, how }).catch(() => undefined);
  };

  const notice = surfaces.notice();
  const pasteGuard = installPasteGuard({
    target: deps.pasteEvents,
    pageHost: deps.pageHost,
    context: () => (deps.subFrame ? null : context.current),
    refreshContext: () => context.refresh(),
    ask: (prompt, abort) => surfaces.askPaste(prompt, abort, (how) => reportHidden('paste-guard', how)),
    notify: (prompt) => void notice.show(prompt),
    signal,
    ...(deps.shadowRootOf && { shadowRootOf: deps.shadowRootOf }),
  });
  void context.refresh();
  if (deps.heldPaste) pasteGuard.adopt(deps.heldPaste);

  const warning = surfaces.warning({
    details: () => sendPageRequest(send, { type: 'page/open-details' }),
    report: () => sendPageRequest(send, { type: 'page/open-details', report: true }),
    dismiss: () => sendPageRequest(send, { type: 'page/dismiss-warning' }),
    refresh: () => void context.refresh(),
    hidden: (how) => reportHidden('warning', how),
  });
  let stopFollowing: (() => void) | null = null;
  const ready = whenDomReady(document).then(() => {
    if (signal.aborted || deps.subFrame) return;
    stopFollowing = context.onChange((next) => void warning.update(next));
    void warning.update(context.current);
  });

  // A page restored from the back/forward cache kept this script, but its verdict may be old.
  window.addEventListener('pageshow', (event) => void ((event as PageTransitionEvent).persisted && context.refresh()), { signal });

  signal.addEventListener(
    'abort',
    () => {
      unlisten();
      stopFollowing?.();
      warning.remove();
      notice.hide();
    },
    { once: true },
  );
  return { context, pasteGuard, warning, notice, ready };
}
