/**
 * Puts held text where the person meant it to go, after the paste guard let it through: at the
 * caret or selection the field had when they pasted, announced with the `input` event that
 * frameworks (React, Vue, editors) listen for, so the page's own state sees the change.
 *
 * Nothing here keeps the text: it is passed in, inserted, and forgotten.
 */

export type TextField = HTMLInputElement | HTMLTextAreaElement;

/** The `inputType` the inserted text is announced with. */
export type InsertInputType = 'insertFromPaste' | 'insertFromDrop';

/** Where a paste or drop was aimed, captured when it happened. */
export type InsertionPoint =
  | {
      readonly kind: 'field';
      readonly element: TextField;
      /** null for input types without a selection API (email, number). */
      readonly start: number | null;
      readonly end: number | null;
    }
  | {
      readonly kind: 'editable';
      /** The editing host: the outermost contenteditable element around the target. */
      readonly element: HTMLElement;
      readonly range: Range | null;
    }
  | {
      /**
       * Not editable (a focusable element or drop zone with its own paste or drop handler): the
       * text is handed to it in a paste or drop event of its own (lib/page/paste/paste-target.ts).
       */
      readonly kind: 'event';
      readonly element: Element;
      /** Where a drop happened (0 for pastes). */
      readonly clientX: number;
      readonly clientY: number;
    };

/** Input types a person pastes text into (others hold no text: checkbox, range, file, ...). */
const TEXT_INPUT_TYPES: ReadonlySet<string> = new Set(['text', 'search', 'url', 'tel', 'password', 'email', 'number', '']);

/**
 * The editable element a paste or drop targets, or null when the target is nothing the browser
 * would insert text into (read-only and disabled fields included). `node` is the event's
 * innermost target (`composedPath()[0]`), so fields inside open shadow roots are found.
 */
export function editableTarget(node: EventTarget | null): TextField | HTMLElement | null {
  const element = asElement(node);
  if (!element) return null;
  if (isTextArea(element)) return element.readOnly || element.disabled ? null : element;
  if (isInput(element)) return TEXT_INPUT_TYPES.has(element.type) && !element.readOnly && !element.disabled ? element : null;
  if (isHtmlElement(element) && (element.isContentEditable || element.ownerDocument.designMode === 'on')) return editingHost(element);
  return null;
}

/** The selection the target has now (a paste goes there). */
export function captureInsertionPoint(target: TextField | HTMLElement): InsertionPoint {
  if (isTextField(target)) {
    const { start, end } = fieldSelection(target);
    return { kind: 'field', element: target, start, end };
  }
  const selection = target.ownerDocument.getSelection();
  const range = selection && selection.rangeCount > 0 ? selection.getRangeAt(0).cloneRange() : null;
  return { kind: 'editable', element: target, range: range && target.contains(range.commonAncestorContainer) ? range : null };
}

/**
 * Where a drop at (x, y) lands. Contenteditable: the caret position under the pointer; text
 * fields expose no such position, so their current selection stands in.
 */
export function captureDropPoint(target: TextField | HTMLElement, x: number, y: number): InsertionPoint {
  if (isTextField(target)) return captureInsertionPoint(target);
  const doc = target.ownerDocument as Document & {
    caretRangeFromPoint?: (x: number, y: number) => Range | null;
    caretPositionFromPoint?: (x: number, y: number) => { offsetNode: Node; offset: number } | null;
  };
  let range: Range | null = null;
  if (typeof doc.caretPositionFromPoint === 'function') {
    const position = doc.caretPositionFromPoint(x, y);
    if (position) {
      range = doc.createRange();
      range.setStart(position.offsetNode, position.offset);
      range.collapse(true);
    }
  } else if (typeof doc.caretRangeFromPoint === 'function') {
    range = doc.caretRangeFromPoint(x, y);
  }
  if (range && target.contains(range.commonAncestorContainer)) return { kind: 'editable', element: target, range };
  return captureInsertionPoint(target);
}

/**
 * Inserts exactly `text` at the captured point, replacing what was selected then, leaves the
 * caret after it and fires `input` (inputType `insertFromPaste` or `insertFromDrop`).
 * Returns false when the target has left the page.
 */
export function insertText(point: InsertionPoint, text: string, inputType: InsertInputType = 'insertFromPaste'): boolean {
  if (point.kind === 'event') return handOver(point, text, inputType);
  const { element } = point;
  if (!element.isConnected) return false;
  element.focus({ preventScroll: true });
  if (point.kind === 'field') {
    insertIntoField(point.element, point.start, point.end, text);
    point.element.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType, data: text }));
    return true;
  }
  const doc = element.ownerDocument;
  const selection = doc.getSelection();
  if (selection && point.range) {
    selection.removeAllRanges();
    selection.addRange(point.range);
  }
  // The browser's own editing command: undo works and rich editors see a native beforeinput/input.
  if (typeof doc.execCommand === 'function' && selectionInside(selection, element)) {
    try {
      if (doc.execCommand('insertText', false, text)) return true;
    } catch {
      // Fall through to inserting a text node.
    }
  }
  const range = selectionInside(selection, element) ? selection!.getRangeAt(0) : endOf(element);
  range.deleteContents();
  const node = doc.createTextNode(text);
  range.insertNode(node);
  range.setStartAfter(node);
  range.collapse(true);
  if (selection) {
    selection.removeAllRanges();
    selection.addRange(range);
  }
  element.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType }));
  return true;
}

/**
 * A target that is not editable gets the text the way it expected it: a paste (or drop) event
 * carrying it as `text/plain`, which the page's own handler reads as it reads a real one. The
 * event is synthetic (`isTrusted` false), so the guard's own listeners let it pass, and a page
 * that insists on trusted pastes gets nothing, which is the safe way to fail. Nothing is
 * inserted by the browser for such an event: only the page's handler acts on it.
 */
function handOver(point: Extract<InsertionPoint, { kind: 'event' }>, text: string, inputType: InsertInputType): boolean {
  const { element } = point;
  if (!element.isConnected) return false;
  (element as Partial<HTMLElement>).focus?.({ preventScroll: true });
  const data = new DataTransfer();
  data.setData('text/plain', text);
  const init = { bubbles: true, cancelable: true, composed: true };
  const event =
    inputType === 'insertFromDrop'
      ? new DragEvent('drop', { ...init, dataTransfer: data, clientX: point.clientX, clientY: point.clientY })
      : new ClipboardEvent('paste', { ...init, clipboardData: data });
  element.dispatchEvent(event);
  return true;
}

/** After a cancelled paste: focus and selection back where they were. */
export function restoreFocus(point: InsertionPoint): void {
  if (point.kind === 'event') {
    if (point.element.isConnected) (point.element as Partial<HTMLElement>).focus?.({ preventScroll: true });
    return;
  }
  const { element } = point;
  if (!element.isConnected) return;
  element.focus({ preventScroll: true });
  if (point.kind === 'field') {
    if (point.start !== null && point.end !== null) {
      try {
        point.element.setSelectionRange(point.start, point.end);
      } catch {
        // The input's type changed meanwhile; focus is enough.
      }
    }
    return;
  }
  const selection = element.ownerDocument.getSelection();
  if (selection && point.range) {
    selection.removeAllRanges();
    selection.addRange(point.range);
  }
}

function insertIntoField(field: TextField, start: number | null, end: number | null, text: string): void {
  const length = field.value.length;
  if (start !== null && end !== null) {
    // The value may have changed while the paste was held: keep the range inside it.
    const from = Math.min(start, length);
    const to = Math.min(Math.max(end, from), length);
    try {
      field.setRangeText(text, from, to, 'end');
      // 'end' already puts the caret after the text; said again because not every engine does.
      field.setSelectionRange(from + text.length, from + text.length);
      return;
    } catch {
      // The type changed to one without selection; append instead.
    }
  }
  // The prototype's setter, not the element's: React tracks values through an own-property
  // setter, and only a change it did not see makes it fire onChange.
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field), 'value')?.set;
  if (setter) setter.call(field, field.value + text);
  else field.value += text;
}

function fieldSelection(field: TextField): { start: number | null; end: number | null } {
  try {
    return { start: field.selectionStart, end: field.selectionEnd };
  } catch {
    return { start: null, end: null };
  }
}

function selectionInside(selection: Selection | null, element: HTMLElement): boolean {
  return !!selection && selection.rangeCount > 0 && element.contains(selection.getRangeAt(0).commonAncestorContainer);
}

function endOf(element: HTMLElement): Range {
  const range = element.ownerDocument.createRange();
  range.selectNodeContents(element);
  range.collapse(false);
  return range;
}

function editingHost(element: HTMLElement): HTMLElement {
  if (element.ownerDocument.designMode === 'on') return element.ownerDocument.body ?? element;
  let host = element;
  while (host.parentElement && host.parentElement.isContentEditable) host = host.parentElement;
  return host;
}

/** The element an event target is or sits in; a document (a paste with nothing focused) gives its body. */
export function asElement(node: EventTarget | null): Element | null {
  if (!node || typeof (node as Node).nodeType !== 'number') return null;
  const asNode = node as Node;
  if (asNode.nodeType === 1) return asNode as Element;
  if (asNode.nodeType === 9) return (asNode as Document).body;
  return asNode.parentElement;
}

// localName, not instanceof: the content script's isolated world and tests' DOMs have their own classes.
function isInput(element: Element): element is HTMLInputElement {
  return element.localName === 'input' && element.namespaceURI === 'http://www.w3.org/1999/xhtml';
}

function isTextArea(element: Element): element is HTMLTextAreaElement {
  return element.localName === 'textarea' && element.namespaceURI === 'http://www.w3.org/1999/xhtml';
}

function isTextField(element: Element): element is TextField {
  return isInput(element) || isTextArea(element);
}

function isHtmlElement(element: Element): element is HTMLElement {
  return 'isContentEditable' in element;
}
