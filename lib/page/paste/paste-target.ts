/**
 * Where a paste or drop is really aimed, whatever the page built around it (issue 8, "a complete
 * paste guard"). The guard holds a paste for what its clipboard carries, not for what it lands
 * on, so this finds a place to put the text back for every real target:
 *
 * - a field inside one of the page's CLOSED shadow roots: the event's path stops at the shadow
 *   host (`composedPath()[0]` is the host), but a content script may open any root
 *   (`chrome.dom.openOrClosedShadowRoot` in Chromium, `element.openOrClosedShadowRoot` in
 *   Firefox), so the focused element (or, for a drop, the element under the pointer) is followed
 *   in, root after root, to the field itself;
 * - an `input`, `textarea` or contenteditable (in light DOM, open roots or closed ones): the text
 *   goes in at the caret, selection or drop point, as before (insert-text.ts);
 * - anything else (a focusable `div` or custom element that reads `clipboardData` in its own
 *   paste handler, a drop zone that reads `dataTransfer`, the body): the point is the element,
 *   and "paste anyway" hands it the text in a paste or drop event of the same kind, so sites that
 *   handle pastes themselves keep working (insert-text.ts `insertText`, kind `event`).
 */
import { asElement, captureDropPoint, captureInsertionPoint, editableTarget, type InsertInputType, type InsertionPoint } from './insert-text.ts';

/** Opens a shadow root, closed ones included; null where there is none (or none the script may see). */
export type ShadowRootReader = (element: Element) => ShadowRoot | null;

/** Shadow roots nest; a page cannot make us walk further than this. */
const MAX_SHADOW_DEPTH = 32;

interface ShadowRootGlobals {
  readonly chrome?: { readonly dom?: { openOrClosedShadowRoot?: (element: Element) => ShadowRoot | null } };
}

/**
 * The content scripts' way into closed shadow roots: Chromium's `chrome.dom`, else Firefox's
 * `openOrClosedShadowRoot` property on elements. Read when called, never at import.
 */
export function contentShadowRoots(globals: ShadowRootGlobals = globalThis as ShadowRootGlobals): ShadowRootReader {
  // Open roots need no opening: the event path already leads into them.
  return (element) => globals.chrome?.dom?.openOrClosedShadowRoot?.(element) ?? (element as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot ?? null;
}

/** The innermost element a trusted paste or drop is aimed at, through closed shadow roots too. */
function innermostTarget(event: Event, shadowRootOf: ShadowRootReader | undefined): Element | null {
  let element = asElement(event.composedPath()[0] ?? event.target);
  if (!element || !shadowRootOf) return element;
  const drag = event.type === 'drop' ? (event as DragEvent) : null;
  for (let depth = 0; depth < MAX_SHADOW_DEPTH; depth++) {
    let root: ShadowRoot | null;
    try {
      root = shadowRootOf(element);
    } catch {
      root = null;
    }
    if (!root) break;
    const inner = drag ? root.elementFromPoint(drag.clientX, drag.clientY) : root.activeElement;
    if (!inner || inner === element) break;
    element = inner;
  }
  return element;
}

/**
 * Where the held text goes if the person lets it through: the caret, selection or drop point
 * of an editable target, else the element itself (the text then arrives as a paste or drop
 * event). null only when the event has no element at all.
 */
export function aimedPoint(event: Event, inputType: InsertInputType, shadowRootOf: ShadowRootReader | undefined): InsertionPoint | null {
  const element = innermostTarget(event, shadowRootOf);
  if (!element) return null;
  const editable = editableTarget(element);
  const drag = inputType === 'insertFromDrop' ? (event as DragEvent) : null;
  if (editable) return drag ? captureDropPoint(editable, drag.clientX, drag.clientY) : captureInsertionPoint(editable);
  return { kind: 'event', element, clientX: drag?.clientX ?? 0, clientY: drag?.clientY ?? 0 };
}
