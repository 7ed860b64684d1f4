import { describe, expect, test, vi } from 'vitest';
import { armWhenSeen, seenUnobscured, whenArmed, type VisibilityEntry } from './arming.ts';

/** A visibility observer the test drives, and a clock whose timers the test fires. */
function setup(onTop: () => boolean = () => true) {
  let report: (entries: readonly VisibilityEntry[]) => void = () => undefined;
  const timers = new Map<number, () => void>();
  let next = 0;
  const onChange = vi.fn();
  const options: unknown[] = [];
  const arming = armWhenSeen({
    element: {} as Element,
    onChange,
    onTop,
    delayMs: 600,
    observe: (callback, init) => {
      report = callback;
      options.push(init);
      return { observe: () => undefined, disconnect: vi.fn() };
    },
    setTimeout: (handler) => (timers.set(++next, handler), next),
    clearTimeout: (id) => timers.delete(id as number),
  });
  const fire = () => {
    const pending = [...timers.entries()];
    timers.clear();
    for (const [, handler] of pending) handler();
  };
  const see = (entry: Partial<VisibilityEntry>) => report([{ isIntersecting: true, intersectionRatio: 1, isVisible: true, ...entry }]);
  return { arming, onChange, fire, see, timers, options };
}

describe('seenUnobscured', () => {
  test('in view and, where the browser can tell, not drawn over', () => {
    expect(seenUnobscured({ isIntersecting: true, intersectionRatio: 1, isVisible: true })).toBe(true);
    expect(seenUnobscured({ isIntersecting: true, intersectionRatio: 1 })).toBe(true);
    expect(seenUnobscured({ isIntersecting: true, intersectionRatio: 0.6, isVisible: true })).toBe(true);
    expect(seenUnobscured({ isIntersecting: true, intersectionRatio: 1, isVisible: false })).toBe(false);
    expect(seenUnobscured({ isIntersecting: false, intersectionRatio: 0, isVisible: false })).toBe(false);
    // In a subframe, where Chromium's occlusion report cannot be trusted, only being on screen counts.
    expect(seenUnobscured({ isIntersecting: true, intersectionRatio: 1, isVisible: false }, false)).toBe(true);
    expect(seenUnobscured({ isIntersecting: false, intersectionRatio: 0, isVisible: false }, false)).toBe(false);
  });
});

describe('armWhenSeen', () => {
  test('asks the browser for occlusion tracking (IntersectionObserver v2)', () => {
    const { options } = setup();
    expect(options).toEqual([expect.objectContaining({ trackVisibility: true, delay: 100 })]);
  });

  test('not armed until seen unobscured for the whole delay', () => {
    const { arming, onChange, fire, see } = setup();
    expect(arming.armed).toBe(false);
    see({});
    expect(arming.armed).toBe(false);
    fire();
    expect(arming.armed).toBe(true);
    expect(onChange).toHaveBeenCalledWith(true);
  });

  test('drawn over meanwhile: the delay starts again once it is seen again', () => {
    const { arming, fire, see, timers } = setup();
    see({});
    see({ isVisible: false });
    expect(timers.size).toBe(0);
    fire();
    expect(arming.armed).toBe(false);
    see({});
    fire();
    expect(arming.armed).toBe(true);
  });

  test('drawn over once armed: disarmed at once', () => {
    const { arming, onChange, fire, see } = setup();
    see({});
    fire();
    see({ isVisible: false });
    expect(arming.armed).toBe(false);
    expect(onChange).toHaveBeenLastCalledWith(false);
  });

  test('a hit test that finds the page on top when the delay is up keeps it waiting', () => {
    let onTop = false;
    const { arming, fire, see } = setup(() => onTop);
    see({});
    fire();
    expect(arming.armed).toBe(false);
    onTop = true;
    fire();
    expect(arming.armed).toBe(true);
  });

  test('restart: found covered by the on-top watch, it waits a whole delay again', () => {
    const { arming, fire, see } = setup();
    see({});
    fire();
    arming.restart();
    expect(arming.armed).toBe(false);
    fire();
    expect(arming.armed).toBe(true);
  });
});

describe('whenArmed', () => {
  const trustedEvent = () => Object.defineProperty(new Event('click'), 'isTrusted', { value: true });

  test('acts on real input once armed, and on nothing else', () => {
    const action = vi.fn();
    whenArmed(false, action)(trustedEvent());
    whenArmed(true, action)(new Event('click'));
    expect(action).not.toHaveBeenCalled();
    whenArmed(true, action)(trustedEvent());
    expect(action).toHaveBeenCalledTimes(1);
  });
});
