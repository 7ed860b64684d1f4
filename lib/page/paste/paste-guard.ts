/**
 * The key paste guard's event side: capture-phase `paste` and `drop` listeners (on the page
 * bridge, whose own window listeners the page watch registered at document_start, so they run
 * before any listener the page adds), which hold a paste whose text carries a guarded key, ask
 * the person, and then insert it or drop it.
 *
 * The pasted text lives in exactly one place while a decision is open, a `HeldText`, and is
 * released the moment the decision is made. It never reaches a message, storage, the console
 * or the DOM of RelayGuard's own UI: the question shows the vendor, the kind of key and the
 * destination host, nothing taken from the text.
 */
import type { VendorId } from '../../detection/keys.ts';
import type { PageContext } from '../../protocol/page-protocol.ts';
import type { VerdictLevel } from '../../verdicts/verdict.ts';
import { HeldText, type HeldPaste } from './held-text.ts';
import { insertText, restoreFocus, type InsertInputType, type InsertionPoint } from './insert-text.ts';
import { aimedPoint, type ShadowRootReader } from './paste-target.ts';
import { decidePaste, type GuardedKind, type PasteDecision } from './paste-decision.ts';
import { isTrustedEvent } from './trusted-event.ts';

/** What the person is asked about, or told about: whose key, what kind, where it would go. */
export interface PastePrompt {
  readonly vendor: VendorId;
  readonly kind: GuardedKind;
  /** The page host for display (verdict.hostDisplay when the background knows the page). */
  readonly host: string;
  readonly level: VerdictLevel;
}

export interface PasteGuardDeps {
  /** Where the listeners go: the page bridge's paste and drop events (or a window, in tests). */
  readonly target: Pick<EventTarget, 'addEventListener'>;
  /** The page's ASCII host (`location.hostname`). */
  readonly pageHost: () => string;
  readonly context: () => PageContext | null;
  /** Asks the background for the context (a paste arrived before the content script knew it). */
  readonly refreshContext: () => Promise<PageContext | null>;
  /** Shows the question; resolves true for "paste anyway". Aborted when a newer paste replaces it. */
  readonly ask: (prompt: PastePrompt, signal: AbortSignal) => Promise<boolean>;
  /** Shows the non-blocking notice. */
  readonly notify: (prompt: PastePrompt) => void;
  /** Aborting removes the listeners and drops any held paste. */
  readonly signal?: AbortSignal;
  /** How long to wait for the background before deciding without it. */
  readonly contextTimeoutMs?: number;
  /** Opens the page's closed shadow roots, to find a field inside one (paste-target.ts). */
  readonly shadowRootOf?: ShadowRootReader;
}

export interface PasteGuard {
  /** Whether pasted text is being held right now (false again once the person decided). */
  readonly holding: boolean;
  /** The decision in progress, if any (tests await it). */
  readonly settling: Promise<void> | null;
  /** Takes over a paste the page watch held before this guard ran, and decides it now. */
  adopt(paste: HeldPaste): void;
}

/**
 * When the background cannot be reached, decide as the settings' defaults would on a page
 * without a verdict: vendor keys pass, Claude subscription credentials are still held.
 */
const UNREACHABLE_CONTEXT: PageContext = { verdict: null, warningDismissed: false, pasteGuard: true, unknownPageNotice: false };

export function installPasteGuard(deps: PasteGuardDeps): PasteGuard {
  let current: { held: HeldText; abort: AbortController; settling: Promise<void> } | null = null;

  // Whatever the target: an editable field anywhere (closed shadow roots included), or an
  // element whose own handler reads the clipboard (lib/page/paste/paste-target.ts). What is held
  // is decided by the text alone.
  const intercept = (event: Event, data: DataTransfer | null, inputType: InsertInputType) => {
    // Synthetic paste and drop events carry only what page script put there: only real ones are guarded.
    if (!isTrustedEvent(event)) return;
    let text = data?.getData('text/plain') ?? '';
    if (!text) return;
    const decision = decidePaste(text, deps.pageHost(), deps.context());
    if (decision.action === 'pass') return;
    if (decision.action === 'notice') {
      deps.notify(promptFor(decision));
      return;
    }
    const point = aimedPoint(event, inputType, deps.shadowRootOf);
    event.preventDefault();
    event.stopImmediatePropagation();
    const held = new HeldText(text);
    text = '';
    // No element at all (a paste the browser aimed at nothing): held and dropped, never handed on.
    if (!point) {
      held.drop();
      return;
    }
    hold(held, point, decision, inputType);
  };

  const onPaste = (event: Event) => intercept(event, (event as ClipboardEvent).clipboardData, 'insertFromPaste');
  const onDrop = (event: Event) => intercept(event, (event as DragEvent).dataTransfer, 'insertFromDrop');

  const promptFor = (decision: Extract<PasteDecision, { vendor: VendorId }>): PastePrompt => {
    const verdict = deps.context()?.verdict;
    return { vendor: decision.vendor, kind: decision.kind, host: verdict?.hostDisplay ?? deps.pageHost(), level: verdict?.level ?? 'unknown' };
  };

  const hold = (held: HeldText, point: InsertionPoint, decision: PasteDecision, inputType: InsertInputType) => {
    // One question at a time: a newer held paste replaces an older one, which is dropped.
    if (current) {
      current.abort.abort();
      current.held.drop();
    }
    const abort = new AbortController();
    const entry = { held, abort, settling: Promise.resolve() };
    entry.settling = settle(held, point, decision, inputType, abort.signal).finally(() => {
      held.drop();
      if (current === entry) current = null;
    });
    current = entry;
  };

  const settle = async (held: HeldText, point: InsertionPoint, decision: PasteDecision, inputType: InsertInputType, signal: AbortSignal): Promise<void> => {
    let outcome = decision;
    if (outcome.action === 'wait') {
      const context = (await withTimeout(deps.refreshContext(), deps.contextTimeoutMs ?? 3000)) ?? UNREACHABLE_CONTEXT;
      if (signal.aborted) return;
      outcome = decidePaste(held.peek(), deps.pageHost(), context);
    }
    if (outcome.action === 'pass' || outcome.action === 'wait') {
      insertText(point, held.take(), inputType);
      return;
    }
    if (outcome.action === 'notice') {
      insertText(point, held.take(), inputType);
      deps.notify(promptFor(outcome));
      return;
    }
    let accepted = false;
    try {
      accepted = await deps.ask(promptFor(outcome), signal);
    } catch {
      accepted = false;
    }
    if (signal.aborted) return;
    if (accepted) insertText(point, held.take(), inputType);
    else {
      held.drop();
      restoreFocus(point);
    }
  };

  deps.target.addEventListener('paste', onPaste, { capture: true, signal: deps.signal });
  deps.target.addEventListener('drop', onDrop, { capture: true, signal: deps.signal });
  deps.signal?.addEventListener('abort', () => {
    current?.abort.abort();
    current?.held.drop();
  });

  return {
    get holding() {
      return current?.held.present ?? false;
    },
    get settling() {
      return current?.settling ?? null;
    },
    adopt(paste) {
      if (deps.signal?.aborted) {
        paste.held.drop();
        return;
      }
      hold(paste.held, paste.point, { action: 'wait' }, paste.inputType);
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
    );
  });
}
