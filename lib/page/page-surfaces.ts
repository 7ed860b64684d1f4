/**
 * What the page guard (start-page.ts) needs from RelayGuard's in-page surfaces: the warning
 * card, the paste question and the paste notice. The surfaces themselves are Preact components
 * (components/page/page-ui.tsx); the page guard's entrypoint hands them in, so this folder's
 * logic never imports the UI layer and runs with any implementation of these interfaces.
 */
import type { PageContext, TabVerdictView } from '../protocol/page-protocol.ts';
import type { Envelope } from '../protocol/send-validated.ts';
import type { PastePrompt } from './paste/paste-guard.ts';
import type { HiddenHow } from './stay-on-top.ts';

/** The verdict to warn about, or null: only unvetted and blocked, and not after a dismissal. */
export function warningVerdict(context: PageContext | null): TabVerdictView | null {
  const verdict = context?.verdict;
  if (!context || !verdict || context.warningDismissed) return null;
  return verdict.level === 'unvetted' || verdict.level === 'blocked' ? verdict : null;
}

/**
 * What the warning card asks the background for. Trusting the site is not among them: a trust
 * decision is never offered in page content, where a page could lure the click (issue 8); it
 * lives in the popup and the options page.
 */
export interface WarningActions {
  readonly details: () => Promise<Envelope<unknown>>;
  /** Opens the popup's view in a tab with its report form open (an extension page, not page content). */
  readonly report: () => Promise<Envelope<unknown>>;
  readonly dismiss: () => Promise<Envelope<unknown>>;
  /** Asks for the context again after a dismissal (the background pushes it as well). */
  readonly refresh: () => void;
  /** The page kept covering or removing the card: the verdict must be shown elsewhere. */
  readonly hidden: (how: HiddenHow) => void;
}

/** The warning card: shown, updated and removed as the page context changes. */
export interface WarningView {
  /** The host element while the warning is on the page. */
  readonly host: HTMLElement | null;
  /** Applies a context; updates are applied in order, each against the newest context. */
  update(context: PageContext | null): Promise<void>;
  remove(): void;
}

/** The small notice after a key went into an unknown page that calls AI APIs; one at a time. */
export interface NoticeView {
  readonly host: HTMLElement | null;
  show(prompt: PastePrompt): Promise<void>;
  hide(): void;
}

export interface PageSurfaces {
  warning(actions: WarningActions): WarningView;
  notice(): NoticeView;
  /**
   * Shows the paste question and resolves with the answer (true: paste anyway). Resolves false,
   * and takes the question away, when `signal` aborts or when the page keeps covering or
   * removing it (`hidden` then says how).
   */
  askPaste(prompt: PastePrompt, signal: AbortSignal, hidden: (how: HiddenHow) => void): Promise<boolean>;
}
