// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { probePoints, watchOnTop, type OnTopDeps } from './stay-on-top.ts';

const RECT = { left: 884, top: 16, right: 1264, bottom: 216 };
const VIEWPORT = { width: 1280, height: 800 };

afterEach(() => {
  document.documentElement.querySelectorAll('relayguard-test').forEach((element) => element.remove());
});

/** A host on the page, a hit test that answers `over` (the host unless told), and a manual clock. */
function setup(overrides: Partial<OnTopDeps> & { hit?: (x: number, y: number) => Element | null } = {}) {
  const host = document.createElement('relayguard-test');
  document.documentElement.append(host);
  let tick: () => void = () => undefined;
  const deps: OnTopDeps = {
    host,
    rect: () => RECT,
    raise: vi.fn(),
    onHidden: vi.fn(),
    hitTest: overrides.hit ?? (() => host),
    viewport: () => VIEWPORT,
    setInterval: (handler) => ((tick = handler), 1),
    clearInterval: vi.fn(),
    ...overrides,
  };
  const watch = watchOnTop(deps);
  return { host, deps, watch, tick: () => tick() };
}

describe('probePoints', () => {
  test('the centre and a point 12 px inside each corner', () => {
    expect(probePoints(RECT, VIEWPORT)).toEqual([
      [1074, 116],
      [896, 28],
      [1252, 28],
      [896, 204],
      [1252, 204],
    ]);
  });

  test('points outside the viewport are left out; a tiny rect collapses to its centre', () => {
    expect(probePoints({ left: 1200, top: 700, right: 1400, bottom: 900 }, VIEWPORT)).toEqual([[1212, 712]]);
    expect(probePoints({ left: 10, top: 10, right: 20, bottom: 20 }, VIEWPORT)).toEqual(Array(5).fill([15, 15]));
  });
});

describe('watchOnTop', () => {
  test('a surface on top is left alone, check after check', () => {
    const { deps, tick, watch } = setup();
    for (let i = 0; i < 10; i++) tick();
    expect(watch.onTop).toBe(true);
    expect(deps.raise).not.toHaveBeenCalled();
    expect(deps.onHidden).not.toHaveBeenCalled();
  });

  test('covered once, it is raised and checked again at once', () => {
    let covered = true;
    const cover = document.createElement('div');
    const { host, deps, tick, watch } = setup({ hit: () => (covered ? cover : host), raise: vi.fn(() => (covered = false)) });
    tick();
    expect(deps.raise).toHaveBeenCalledTimes(1);
    expect(watch.onTop).toBe(true);
    expect(deps.onHidden).not.toHaveBeenCalled();
  });

  test('one covered corner is enough to count as covered', () => {
    const cover = document.createElement('div');
    let hostRef: Element | null = null;
    const { host, deps, watch } = setup({ hit: (x, y) => (x === 1252 && y === 204 ? cover : hostRef) });
    hostRef = host;
    expect(watch.check()).toBe(false);
    expect(deps.raise).toHaveBeenCalledTimes(1);
  });

  test('kept covered, it is raised RAISE_LIMIT times, then gives up once and stops checking', () => {
    const cover = document.createElement('div');
    const { deps, tick } = setup({ hit: () => cover, raiseLimit: 3 });
    for (let i = 0; i < 10; i++) tick();
    expect(deps.raise).toHaveBeenCalledTimes(3);
    expect(deps.onHidden).toHaveBeenCalledTimes(1);
    expect(deps.onHidden).toHaveBeenCalledWith('covered');
    expect(deps.clearInterval).toHaveBeenCalledTimes(1);
  });

  test('nothing rendered yet, or the host off the page: nothing to judge', () => {
    let rect: typeof RECT | null = null;
    const { deps, tick, host } = setup({ hit: () => null, rect: () => rect });
    tick();
    host.remove();
    rect = RECT;
    tick();
    expect(deps.raise).not.toHaveBeenCalled();
  });
});
