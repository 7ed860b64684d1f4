/**
 * The page watch's answer to a paste or drop while no page guard runs in the page (most pages,
 * where there is nothing to warn about): pass it untouched, unless it carries a Claude
 * subscription credential outside Claude's own sites. That one is held (the field does not
 * change), handed to the page bridge, and the background is asked to start the guard, which
 * takes it over and asks the person. Should the guard never come (the extension is being
 * updated, the background cannot be reached: then at once; otherwise after GUARD_WAIT_MS), the
 * paste goes in after all: the person pasted it, and without the guard there is no one to ask.
 */
import { HeldText } from './held-text.ts';
import { insertText, type InsertInputType } from './insert-text.ts';
import type { PageBridge } from '../page-bridge.ts';
import { holdsUntilGuarded } from './paste-decision.ts';
import { aimedPoint, type ShadowRootReader } from './paste-target.ts';
import { isTrustedEvent } from './trusted-event.ts';

/** How long a held paste waits for the guard before it goes in untouched. */
export const GUARD_WAIT_MS = 5000;

export interface EarlyPasteHoldDeps {
  readonly bridge: Pick<PageBridge, 'hold' | 'takeHeld'>;
  /** The page's ASCII host (`location.hostname`). */
  readonly pageHost: () => string;
  /** Asks the background to start the page guard in this document; rejects when it cannot be asked. */
  readonly requestGuard: () => Promise<unknown>;
  readonly setTimeout?: (handler: () => void, ms: number) => unknown;
  /**
   * A frame inside the page: it cannot know its top page's verdict, so it holds any paste that
   * may carry a vendor key too, and the guard the background starts here decides
   * (paste-decision.ts `holdsUntilGuarded`).
   */
  readonly subFrame?: boolean;
  /** Opens closed shadow roots (paste-target.ts); asked for only when a paste is held. */
  readonly shadowRootOf?: () => ShadowRootReader;
}

/** The listener the watch sets as the bridge's fallback for `paste` and `drop`. */
export function earlyPasteHold(deps: EarlyPasteHoldDeps): (event: Event) => void {
  const later = deps.setTimeout ?? ((handler: () => void, ms: number) => setTimeout(handler, ms));
  return (event) => {
    // Synthetic paste and drop events insert nothing by themselves: only real ones are guarded.
    if (!isTrustedEvent(event)) return;
    const drop = event.type === 'drop';
    const data = drop ? (event as DragEvent).dataTransfer : (event as ClipboardEvent).clipboardData;
    if (!data) return;
    let text = data.getData('text/plain');
    if (!holdsUntilGuarded(text, deps.pageHost(), deps.subFrame ?? false)) return;
    const inputType: InsertInputType = drop ? 'insertFromDrop' : 'insertFromPaste';
    // Whatever the target (paste-target.ts): a field in a closed shadow root, or an element that reads the clipboard itself.
    const point = aimedPoint(event, inputType, deps.shadowRootOf?.());
    event.preventDefault();
    event.stopImmediatePropagation();
    const held = new HeldText(text);
    text = '';
    if (!point) {
      held.drop(); // aimed at nothing: nothing to hand it back to
      return;
    }
    const paste = { held, point, inputType };
    deps.bridge.hold(paste);
    const release = () => {
      const left = deps.bridge.takeHeld();
      if (left === paste) insertText(left.point, left.held.take(), left.inputType);
      else if (left) deps.bridge.hold(left); // a newer paste, still waiting for its own turn
    };
    deps.requestGuard().catch(release);
    later(release, GUARD_WAIT_MS);
  };
}
