import { beforeEach, describe, expect, test, vi } from 'vitest';
import { createLifetime } from './lifetime.ts';

let extensionAlive: boolean;
let aliveChecks: number;
/** AbortControllers made since the test began: the lifetime makes its own only when asked for one. */
let controllersMade: number;

beforeEach(() => {
  extensionAlive = true;
  aliveChecks = 0;
  controllersMade = 0;
  const RealAbortController = globalThis.AbortController;
  vi.stubGlobal(
    'AbortController',
    class CountedAbortController extends RealAbortController {
      constructor() {
        super();
        controllersMade++;
      }
    },
  );
  return () => vi.unstubAllGlobals();
});

function lifetime() {
  return createLifetime(() => {
    aliveChecks++;
    return extensionAlive;
  });
}

describe('createLifetime', () => {
  test('costs nothing until its signal is needed: checks while the extension lives make no controller', () => {
    const life = lifetime();
    expect(life.check()).toBe(true);
    expect(life.check()).toBe(true);
    expect(aliveChecks).toBe(2);
    expect(controllersMade).toBe(0);
  });

  test('the signal is made on first use, and is the same signal afterwards', () => {
    const life = lifetime();
    const signal = life.signal;
    expect(controllersMade).toBe(1);
    expect(life.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
    life.onInvalidated(() => undefined);
    expect(controllersMade).toBe(1);
  });

  test('onInvalidated alone makes the signal too, and its callback runs when the extension is found gone', () => {
    const life = lifetime();
    const callback = vi.fn();
    life.onInvalidated(callback);
    expect(controllersMade).toBe(1);
    extensionAlive = false;
    expect(life.check()).toBe(false);
    expect(callback).toHaveBeenCalledTimes(1);
    expect(life.signal.aborted).toBe(true);
  });

  test('the function onInvalidated returns takes the callback back', () => {
    const life = lifetime();
    const callback = vi.fn();
    const forget = life.onInvalidated(callback);
    forget();
    extensionAlive = false;
    life.check();
    expect(callback).not.toHaveBeenCalled();
  });

  test('ended before any signal was asked for: a signal asked for later is already aborted', () => {
    const life = lifetime();
    extensionAlive = false;
    expect(life.check()).toBe(false);
    expect(controllersMade).toBe(0);
    const signal = life.signal;
    expect(signal.aborted).toBe(true);
    // Listeners keyed to it (the guard's paste listeners, its UI) are never added, or go at once.
    const target = new EventTarget();
    const listener = vi.fn();
    target.addEventListener('paste', listener, { signal });
    target.dispatchEvent(new Event('paste'));
    expect(listener).not.toHaveBeenCalled();
  });

  test('ending is for good: the extension is not asked again, even if it would say alive', () => {
    const life = lifetime();
    extensionAlive = false;
    life.check();
    const checksSoFar = aliveChecks;
    extensionAlive = true;
    expect(life.check()).toBe(false);
    expect(aliveChecks).toBe(checksSoFar);
  });

  test('an extension check that throws (context invalidated) counts as gone', () => {
    const life = createLifetime(() => {
      throw new Error('Extension context invalidated.');
    });
    const signal = life.signal;
    expect(life.check()).toBe(false);
    expect(signal.aborted).toBe(true);
  });
});
