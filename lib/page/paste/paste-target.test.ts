// @vitest-environment happy-dom
import { afterEach, describe, expect, test } from 'vitest';
import { aimedPoint, contentShadowRoots, type ShadowRootReader } from './paste-target.ts';
import { paste } from '../test-support.ts';

afterEach(() => {
  document.body.innerHTML = '';
});

/** Closed roots, as a page builds them; the reader stands in for chrome.dom.openOrClosedShadowRoot. */
function closedRoots(): { attach: (host: Element) => ShadowRoot; reader: ShadowRootReader } {
  const roots = new Map<Element, ShadowRoot>();
  return {
    attach: (host) => {
      const root = host.attachShadow({ mode: 'closed' });
      roots.set(host, root);
      return root;
    },
    reader: (element) => roots.get(element) ?? null,
  };
}

/** The event a window listener sees: its path starts at `target`. */
function pasteSeenAt(target: Element): Event {
  let seen: Event | null = null;
  const listener = (event: Event) => (seen = event);
  window.addEventListener('paste', listener, { capture: true, once: true });
  paste(target, 'x');
  if (!seen) throw new Error('no paste seen');
  return seen;
}

describe('aimedPoint', () => {
  test('follows focus through nested closed roots to the field', () => {
    const { attach, reader } = closedRoots();
    const outer = document.createElement('key-form');
    document.body.append(outer);
    const inner = document.createElement('key-field');
    attach(outer).append(inner);
    const field = document.createElement('input');
    attach(inner).append(field);
    field.focus();
    expect(aimedPoint(pasteSeenAt(outer), 'insertFromPaste', reader)).toMatchObject({ kind: 'field', element: field });
  });

  test('without a way into closed roots, the host itself is the target, handed the text as an event', () => {
    const { attach } = closedRoots();
    const host = document.createElement('key-field');
    document.body.append(host);
    const field = document.createElement('input');
    attach(host).append(field);
    field.focus();
    expect(aimedPoint(pasteSeenAt(host), 'insertFromPaste', undefined)).toEqual({ kind: 'event', element: host, clientX: 0, clientY: 0 });
  });

  test('a reader that throws (a page-made oddity) stops the walk where it is', () => {
    const host = document.createElement('key-field');
    document.body.append(host);
    const reader = () => {
      throw new Error('not an element the browser knows');
    };
    expect(aimedPoint(pasteSeenAt(host), 'insertFromPaste', reader)).toMatchObject({ kind: 'event', element: host });
  });

  test('the walk is bounded: a root whose focus points back at its host ends it', () => {
    const host = document.createElement('key-field');
    document.body.append(host);
    const root = { activeElement: host } as unknown as ShadowRoot;
    expect(aimedPoint(pasteSeenAt(host), 'insertFromPaste', () => root)).toMatchObject({ kind: 'event', element: host });
  });
});

describe('contentShadowRoots', () => {
  test('Chromium: chrome.dom.openOrClosedShadowRoot', () => {
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'closed' });
    const reader = contentShadowRoots({ chrome: { dom: { openOrClosedShadowRoot: (element) => (element === host ? root : null) } } });
    expect(reader(host)).toBe(root);
    expect(reader(document.createElement('div'))).toBeNull();
  });

  test('Firefox: the element’s openOrClosedShadowRoot', () => {
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'closed' });
    Object.defineProperty(host, 'openOrClosedShadowRoot', { value: root });
    expect(contentShadowRoots({})(host)).toBe(root);
    expect(contentShadowRoots({})(document.createElement('div'))).toBeNull();
  });
});
