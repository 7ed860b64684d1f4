/**
 * Everything the page content script does besides fingerprinting, wired together: the page
 * context (asked for once, then pushed), the in-page warning, and the key paste guard.
 * Browser APIs come in as parameters, so the whole thing runs under happy-dom in tests.
 */
import { sendPageRequest } from '../page-protocol.ts';
import { PageContextSource } from './page-context-source.ts';
import { installPasteGuard, type PasteGuard } from './paste-guard.ts';
import { askPaste, NoticeSurface, WarningSurface, type PageUi } from './page-ui.tsx';

export interface PageScriptDeps {
  readonly window: Window;
  readonly document: Document;
  /** The page's ASCII host (`location.hostname`). */
  readonly pageHost: () => string;
  /** runtime.sendMessage */
  readonly send: (message: unknown) => Promise<unknown>;
  /** Adds a runtime.onMessage listener; returns the function that removes it. */
  readonly listen: (listener: (message: unknown) => void) => () => void;
  readonly ui: PageUi;
  /** The content script's lifetime: aborting it takes everything off the page. */
  readonly signal: AbortSignal;
}

export interface PageScript {
  readonly context: PageContextSource;
  readonly pasteGuard: PasteGuard;
  readonly warning: WarningSurface;
  readonly notice: NoticeSurface;
  /** Resolves once the warning follows the context (the DOM is ready). */
  readonly ready: Promise<void>;
}

export function startPageScript(deps: PageScriptDeps): PageScript {
  const { window, document, send, ui, signal } = deps;
  const context = new PageContextSource({ send, pageHost: deps.pageHost });
  const unlisten = deps.listen((message) => void context.receive(message));

  const notice = new NoticeSurface(ui);
  // Paste listeners first, before the page's own scripts run (document_start).
  const pasteGuard = installPasteGuard({
    target: window,
    pageHost: deps.pageHost,
    context: () => context.current,
    refreshContext: () => context.refresh(),
    ask: (prompt, abort) => askPaste(ui, prompt, abort),
    notify: (prompt) => void notice.show(prompt),
    signal,
  });
  void context.refresh();

  const warning = new WarningSurface(ui, {
    details: () => sendPageRequest(send, { type: 'page/open-details' }),
    trust: () => sendPageRequest(send, { type: 'page/trust-site' }),
    dismiss: () => sendPageRequest(send, { type: 'page/dismiss-warning' }),
    refresh: () => void context.refresh(),
  });
  let stopFollowing: (() => void) | null = null;
  const ready = whenDomReady(document).then(() => {
    if (signal.aborted) return;
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

/** Resolves once the document is parsed (at once if it already is). */
export function whenDomReady(document: Document): Promise<void> {
  if (document.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(), { once: true }));
}
