// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { captureDropPoint, captureInsertionPoint, editableTarget, insertText, restoreFocus } from './insert-text.ts';

afterEach(() => {
  document.body.innerHTML = '';
});

function inputEvents(element: Element): InputEvent[] {
  const events: InputEvent[] = [];
  element.addEventListener('input', (event) => events.push(event as InputEvent));
  return events;
}

function field<K extends 'input' | 'textarea'>(tag: K, value: string, attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, attribute] of Object.entries(attributes)) element.setAttribute(name, attribute);
  element.value = value;
  document.body.append(element);
  return element;
}

describe('editableTarget', () => {
  test('text inputs and textareas are their own target; other inputs and locked fields are none', () => {
    for (const type of ['text', 'search', 'url', 'tel', 'password', 'email', 'number']) {
      const input = field('input', '', { type });
      expect(editableTarget(input)).toBe(input);
    }
    const textarea = field('textarea', '');
    expect(editableTarget(textarea)).toBe(textarea);
    expect(editableTarget(field('input', '', { type: 'checkbox' }))).toBeNull();
    expect(editableTarget(field('input', '', { readonly: '' }))).toBeNull();
    expect(editableTarget(field('textarea', '', { disabled: '' }))).toBeNull();
  });

  test('inside a contenteditable, the editing host; elsewhere, nothing', () => {
    document.body.innerHTML = '<div id="host" contenteditable="true"><p><b id="inner">bold</b> text</p></div><p id="plain">plain</p>';
    const host = document.getElementById('host')!;
    expect(editableTarget(document.getElementById('inner'))).toBe(host);
    expect(editableTarget(document.getElementById('inner')!.firstChild)).toBe(host);
    expect(editableTarget(document.getElementById('plain'))).toBeNull();
    expect(editableTarget(null)).toBeNull();
    expect(editableTarget(window)).toBeNull();
  });
});

describe('insertText into input and textarea', () => {
  test('replaces the selection with exactly the text, leaves the caret after it and fires input', () => {
    const input = field('input', 'hello world');
    input.setSelectionRange(6, 11);
    const point = captureInsertionPoint(input);
    const events = inputEvents(input);
    expect(insertText(point, 'there')).toBe(true);
    expect(input.value).toBe('hello there');
    expect([input.selectionStart, input.selectionEnd]).toEqual([11, 11]);
    expect(events).toHaveLength(1);
    expect(events[0]!.inputType).toBe('insertFromPaste');
    expect(events[0]!.data).toBe('there');
    expect(events[0]!.bubbles).toBe(true);
    expect(document.activeElement).toBe(input);
  });

  test('textarea: inserts at a collapsed caret, line breaks and all', () => {
    const textarea = field('textarea', 'before|after');
    textarea.setSelectionRange(7, 7);
    const point = captureInsertionPoint(textarea);
    const text = 'line one\nline two\tTabbed  ';
    insertText(point, text, 'insertFromDrop');
    expect(textarea.value).toBe('before|' + text + 'after');
    expect(textarea.selectionStart).toBe(7 + text.length);
  });

  test('the point is where the paste was aimed, even if the caret moved while the paste was held', () => {
    const input = field('input', 'abcdef');
    input.setSelectionRange(2, 4);
    const point = captureInsertionPoint(input);
    input.setSelectionRange(0, 0);
    insertText(point, 'XY');
    expect(input.value).toBe('abXYef');
    expect([input.selectionStart, input.selectionEnd]).toEqual([4, 4]);
  });

  test('a value that shrank meanwhile keeps the range inside it', () => {
    const input = field('input', 'abcdef');
    input.setSelectionRange(5, 6);
    const point = captureInsertionPoint(input);
    input.value = 'ab';
    insertText(point, 'Z');
    expect(input.value).toBe('abZ');
  });

  test('frameworks that track value through an own setter still see a change', () => {
    const input = field('input', 'ab', { type: 'email' });
    let tracked = input.value;
    const prototypeSetter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value')!;
    // What React does: an own `value` property that records what it was set to.
    Object.defineProperty(input, 'value', {
      configurable: true,
      get: () => prototypeSetter.get!.call(input),
      set: (next: string) => {
        tracked = next;
        prototypeSetter.set!.call(input, next);
      },
    });
    const point = { kind: 'field' as const, element: input, start: null, end: null };
    insertText(point, 'c@example.com');
    expect(input.value).toBe('abc@example.com');
    expect(tracked).toBe('ab');
  });

  test('a field that left the page gets nothing', () => {
    const input = field('input', 'x');
    const point = captureInsertionPoint(input);
    input.remove();
    const events = inputEvents(input);
    expect(insertText(point, 'y')).toBe(false);
    expect(input.value).toBe('x');
    expect(events).toHaveLength(0);
  });
});

describe('insertText into contenteditable', () => {
  function editable(html: string): HTMLElement {
    document.body.innerHTML = `<div id="editor" contenteditable="true">${html}</div>`;
    return document.getElementById('editor')!;
  }

  function select(node: Node, start: number, end = start): void {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    const selection = document.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
  }

  test('replaces the selection it had when the paste happened and fires input', () => {
    const editor = editable('<p>abcd</p>');
    const text = editor.querySelector('p')!.firstChild!;
    select(text, 1, 3);
    const point = captureInsertionPoint(editor);
    expect(point.kind).toBe('editable');
    select(text, 0);
    const events = inputEvents(editor);
    insertText(point, 'XY');
    expect(editor.textContent).toBe('aXYd');
    expect(events).toHaveLength(1);
    expect(events[0]!.inputType).toBe('insertFromPaste');
    const selection = document.getSelection()!;
    expect(selection.rangeCount).toBe(1);
    expect(selection.getRangeAt(0).collapsed).toBe(true);
  });

  test('uses the browser’s own insertText command when there is one', () => {
    const editor = editable('<p>abcd</p>');
    select(editor.querySelector('p')!.firstChild!, 2);
    const point = captureInsertionPoint(editor);
    const execCommand = vi.fn(() => true);
    Object.defineProperty(document, 'execCommand', { value: execCommand, configurable: true });
    try {
      insertText(point, 'key text');
      expect(execCommand).toHaveBeenCalledWith('insertText', false, 'key text');
      // The command did the inserting (and fires its own input event in a browser).
      expect(editor.textContent).toBe('abcd');
    } finally {
      delete (document as { execCommand?: unknown }).execCommand;
    }
  });

  test('without a selection inside it, appends at the end', () => {
    const editor = editable('start');
    const point = captureInsertionPoint(editor);
    expect(point.kind === 'editable' && point.range).toBeNull();
    insertText(point, ' + more');
    expect(editor.textContent).toBe('start + more');
  });

  test('a drop without a caret position under the pointer falls back to the selection', () => {
    const editor = editable('<p>abcd</p>');
    select(editor.querySelector('p')!.firstChild!, 4);
    const point = captureDropPoint(editor, 1, 1);
    insertText(point, '!', 'insertFromDrop');
    expect(editor.textContent).toBe('abcd!');
  });
});

describe('restoreFocus', () => {
  test('puts focus and the selection back after a cancelled paste', () => {
    const textarea = field('textarea', 'keep me');
    textarea.setSelectionRange(2, 4);
    const point = captureInsertionPoint(textarea);
    const elsewhere = field('input', '');
    elsewhere.focus();
    restoreFocus(point);
    expect(document.activeElement).toBe(textarea);
    expect([textarea.selectionStart, textarea.selectionEnd]).toEqual([2, 4]);
    expect(textarea.value).toBe('keep me');
  });
});
