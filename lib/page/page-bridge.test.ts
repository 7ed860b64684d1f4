// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { sampleKeys } from '../../tests/support/generated-keys.ts';
import { HeldText, type HeldPaste } from './paste/held-text.ts';
import { captureInsertionPoint } from './paste/insert-text.ts';
import { openPageBridge, type PageBridge } from './page-bridge.ts';
import { drop, paste } from './test-support.ts';

/** This test's extension: each test gets its own, as each extension version has its own scripts. */
let extension: { alive: boolean };
let stop: AbortController;
let field: HTMLInputElement;

beforeEach(() => {
  extension = { alive: true };
  stop = new AbortController();
  field = document.createElement('input');
  document.body.append(field);
});

afterEach(() => {
  // The extension "goes away" after each test, so the next test's bridge replaces this one.
  extension.alive = false;
  stop.abort();
  document.body.innerHTML = '';
});

/** The bridge as the page watch opens it on the window, living as long as this test's extension. */
function open(): PageBridge {
  const current = extension;
  return openPageBridge(window, () => current.alive, stop.signal);
}

function heldPaste(text: string): HeldPaste {
  return { held: new HeldText(text), point: captureInsertionPoint(field), inputType: 'insertFromPaste' };
}

describe('openPageBridge: paste and drop', () => {
  test('while no guard listens, paste and drop go to the fallback', () => {
    const bridge = open();
    const fallback = vi.fn((_event: Event) => undefined);
    bridge.setFallback(fallback);
    const pasted = paste(field, 'hello');
    const dropped = drop(field, 'hello');
    expect(fallback.mock.calls.map(([event]) => event)).toEqual([pasted, dropped]);
  });

  test('the newest fallback is the one that runs', () => {
    const bridge = open();
    const first = vi.fn();
    const second = vi.fn();
    bridge.setFallback(first);
    bridge.setFallback(second);
    paste(field, 'hello');
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });

  test('once a guard listens, its listeners get each event and the fallback none', () => {
    const bridge = open();
    const fallback = vi.fn();
    bridge.setFallback(fallback);
    const onPaste = vi.fn((_event: Event) => undefined);
    const onDrop = { handleEvent: vi.fn((_event: Event) => undefined) };
    bridge.guardEvents.addEventListener('paste', onPaste, { capture: true, signal: stop.signal });
    bridge.guardEvents.addEventListener('drop', onDrop, { capture: true, signal: stop.signal });
    const pasted = paste(field, 'hello');
    const dropped = drop(field, 'hello');
    expect(onPaste.mock.calls.map(([event]) => event)).toEqual([pasted]);
    expect(onDrop.handleEvent.mock.calls.map(([event]) => event)).toEqual([dropped]);
    expect(fallback).not.toHaveBeenCalled();
  });

  test('a guard listener runs before the page’s own listeners, and can keep the event from them', () => {
    const bridge = open();
    bridge.guardEvents.addEventListener('paste', (event) => event.stopImmediatePropagation(), { signal: stop.signal });
    // The page registers its listener later (the watch ran at document_start), even in the capture phase.
    const pageListener = vi.fn();
    window.addEventListener('paste', pageListener, { capture: true, signal: stop.signal });
    field.addEventListener('paste', pageListener, { signal: stop.signal });
    paste(field, 'hello');
    expect(pageListener).not.toHaveBeenCalled();
  });

  test('a guard whose lifetime ends hands the events back to the fallback', () => {
    const bridge = open();
    const fallback = vi.fn();
    bridge.setFallback(fallback);
    const guardLifetime = new AbortController();
    const onPaste = vi.fn();
    bridge.guardEvents.addEventListener('paste', onPaste, { signal: guardLifetime.signal });
    paste(field, 'one');
    guardLifetime.abort();
    paste(field, 'two');
    expect(onPaste).toHaveBeenCalledTimes(1);
    expect(fallback).toHaveBeenCalledTimes(1);
  });

  test('a listener whose signal already ended is not added', () => {
    const bridge = open();
    const fallback = vi.fn();
    bridge.setFallback(fallback);
    const onPaste = vi.fn();
    bridge.guardEvents.addEventListener('paste', onPaste, { signal: AbortSignal.abort() });
    paste(field, 'hello');
    expect(onPaste).not.toHaveBeenCalled();
    expect(fallback).toHaveBeenCalledTimes(1);
  });

  test('carries paste and drop only', () => {
    const bridge = open();
    expect(() => bridge.guardEvents.addEventListener('keydown', () => undefined)).toThrow('The page bridge carries paste and drop, not keydown.');
    expect(() => bridge.guardEvents.addEventListener('copy', () => undefined)).toThrow(/not copy/);
  });

  test('its window listeners last as long as its signal', () => {
    const bridge = open();
    const fallback = vi.fn();
    bridge.setFallback(fallback);
    stop.abort();
    paste(field, 'hello');
    expect(fallback).not.toHaveBeenCalled();
  });
});

describe('openPageBridge: one bridge per document', () => {
  test('a bridge whose extension is alive is reused, whoever opens it', () => {
    const watchBridge = open();
    // The page guard opens it with its own lifetime; it gets the watch's bridge, and its events.
    const guardBridge = openPageBridge(window, () => true, new AbortController().signal);
    expect(guardBridge).toBe(watchBridge);
    const onPaste = vi.fn();
    guardBridge.guardEvents.addEventListener('paste', onPaste, { signal: stop.signal });
    paste(field, 'hello');
    expect(onPaste).toHaveBeenCalledTimes(1);
  });

  test('a bridge whose extension is gone is replaced, and the new one does the work', () => {
    let oldAlive = true;
    const oldBridge = openPageBridge(window, () => oldAlive, stop.signal);
    const oldFallback = vi.fn();
    oldBridge.setFallback(oldFallback);
    oldAlive = false; // the extension was updated: this script is an orphan
    const bridge = open();
    expect(bridge).not.toBe(oldBridge);
    const fallback = vi.fn();
    bridge.setFallback(fallback);
    paste(field, 'hello');
    expect(oldFallback).not.toHaveBeenCalled();
    expect(fallback).toHaveBeenCalledTimes(1);
  });

  test('an alive check that throws counts as gone', () => {
    const broken = openPageBridge(
      window,
      () => {
        throw new Error('Extension context invalidated.');
      },
      stop.signal,
    );
    const fallback = vi.fn();
    broken.setFallback(fallback);
    expect(paste(field, sampleKeys.claudeSession).defaultPrevented).toBe(false);
    expect(fallback).not.toHaveBeenCalled();
    expect(open()).not.toBe(broken);
  });

  test('a dead bridge does nothing: no guard listener, no fallback, the page gets its paste', () => {
    const bridge = open();
    const fallback = vi.fn((event: Event) => event.preventDefault());
    const onDrop = vi.fn((event: Event) => event.preventDefault());
    bridge.setFallback(fallback);
    bridge.guardEvents.addEventListener('drop', onDrop, { signal: stop.signal });
    extension.alive = false;
    const pageListener = vi.fn();
    window.addEventListener('paste', pageListener, { signal: stop.signal });
    expect(paste(field, 'hello').defaultPrevented).toBe(false);
    expect(drop(field, 'hello').defaultPrevented).toBe(false);
    expect(fallback).not.toHaveBeenCalled();
    expect(onDrop).not.toHaveBeenCalled();
    expect(pageListener).toHaveBeenCalledTimes(1);
  });
});

describe('openPageBridge: the held paste and the guard claim', () => {
  test('a held paste is handed over once', () => {
    const bridge = open();
    expect(bridge.takeHeld()).toBeNull();
    const held = heldPaste(sampleKeys.claudeSession);
    bridge.hold(held);
    expect(bridge.takeHeld()).toBe(held);
    expect(bridge.takeHeld()).toBeNull();
    // Taking it hands the text over untouched: the taker owns it now.
    expect(held.held.peek()).toBe(sampleKeys.claudeSession);
  });

  test('a newer held paste replaces an older one, whose text is dropped', () => {
    const bridge = open();
    const older = heldPaste(sampleKeys.claudeSession);
    const newer = heldPaste(`again ${sampleKeys.claudeSession}`);
    bridge.hold(older);
    bridge.hold(newer);
    expect(older.held.present).toBe(false);
    expect(bridge.takeHeld()).toBe(newer);
    expect(newer.held.peek()).toBe(`again ${sampleKeys.claudeSession}`);
  });

  test('the guard is claimed once per document, through every opening of the bridge', () => {
    const bridge = open();
    expect(bridge.claimGuard()).toBe(true);
    expect(bridge.claimGuard()).toBe(false);
    // The background ran the guard again in this document: the second copy stands down.
    expect(openPageBridge(window, () => true).claimGuard()).toBe(false);
  });

  test('a new bridge, after the extension was updated, can be claimed by the new guard', () => {
    expect(open().claimGuard()).toBe(true);
    extension.alive = false;
    let nextAlive = true;
    const next = openPageBridge(window, () => nextAlive, stop.signal);
    expect(next.claimGuard()).toBe(true);
    nextAlive = false;
  });
});

describe('openPageBridge: document.open()', () => {
  test('when the document’s children are replaced (what document.open() does, erasing every window listener), the listeners are added again', async () => {
    // A stand-in window that forgets its listeners as document.open() makes a real one forget them.
    const registered = new Map<string, EventListenerOrEventListenerObject>();
    const doc = document.implementation.createHTMLDocument('relay');
    const host = {
      document: doc,
      addEventListener: (type: string, listener: EventListenerOrEventListenerObject) => void registered.set(type, listener),
    };
    openPageBridge(host, () => extension.alive, stop.signal);
    expect([...registered.keys()]).toEqual(['paste', 'drop']);
    const first = registered.get('paste');

    registered.clear(); // erased
    doc.documentElement.remove();
    doc.append(doc.createElement('html'));
    await vi.waitFor(() => expect([...registered.keys()]).toEqual(['paste', 'drop']));
    // The same listeners, so adding them while still registered changes nothing.
    expect(registered.get('paste')).toBe(first);
  });
});
