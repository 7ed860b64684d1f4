// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { keepAttached } from './keep-attached.ts';
import { createLifetime } from './lifetime.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  document.documentElement.querySelectorAll('relayguard-test').forEach((element) => element.remove());
});

function host(): HTMLElement {
  const element = document.createElement('relayguard-test');
  document.documentElement.append(element);
  return element;
}

describe('keepAttached', () => {
  test('a host the page removes comes back', async () => {
    const element = host();
    const onReattach = vi.fn();
    const stop = keepAttached(element, { onReattach });
    element.remove();
    await tick();
    expect(element.parentNode).toBe(document.documentElement);
    expect(onReattach).toHaveBeenCalledTimes(1);
    stop();
  });

  test('a host whose script is gone (its extension updated) stays off the page', async () => {
    const element = host();
    let ours = true;
    const onReattach = vi.fn();
    keepAttached(element, { onReattach, stillOurs: () => ours });
    ours = false;
    element.remove();
    await tick();
    expect(element.isConnected).toBe(false);
    expect(onReattach).not.toHaveBeenCalled();
  });

  test('so does a host whose parent was emptied', async () => {
    const element = host();
    const stop = keepAttached(element);
    document.documentElement.replaceChildren(document.createElement('head'), document.createElement('body'));
    await tick();
    expect(element.isConnected).toBe(true);
    stop();
  });

  test('`inert` set by the page is taken off again', async () => {
    const element = host();
    const stop = keepAttached(element);
    element.setAttribute('inert', '');
    await tick();
    expect(element.hasAttribute('inert')).toBe(false);
    stop();
  });

  test('with onOverwhelmed, a page that removes it in a loop wins once: told once, the host stays off', async () => {
    const element = host();
    const onOverwhelmed = vi.fn();
    const later = vi.fn();
    const stop = keepAttached(element, { burst: 3, windowMs: 1000, onOverwhelmed, setTimeout: later, now: () => 0 });
    for (let round = 0; round < 8; round++) {
      element.remove();
      await tick();
    }
    expect(onOverwhelmed).toHaveBeenCalledTimes(1);
    expect(element.isConnected).toBe(false);
    expect(later).not.toHaveBeenCalled();
    stop();
  });

  test('a page that removes it in a loop gets a pause, not a frozen tab', async () => {
    const element = host();
    const later = vi.fn();
    let now = 0;
    const stop = keepAttached(element, { burst: 3, windowMs: 1000, setTimeout: later, now: () => now });
    for (let round = 0; round < 5; round++) {
      element.remove();
      await tick();
    }
    expect(element.isConnected).toBe(false);
    expect(later).toHaveBeenCalledTimes(1);
    later.mock.calls[0]![0]();
    expect(element.isConnected).toBe(true);
    now = 5000;
    element.remove();
    await tick();
    expect(element.isConnected).toBe(true);
    stop();
  });

  test('stopped, it lets the host go', async () => {
    const element = host();
    keepAttached(element)();
    element.remove();
    await tick();
    expect(element.isConnected).toBe(false);
  });
});

describe('createLifetime', () => {
  test('lives while the extension does, and ends (once) when it is gone', () => {
    let alive = true;
    const lifetime = createLifetime(() => alive);
    const ended = vi.fn();
    lifetime.onInvalidated(ended);
    expect(lifetime.check()).toBe(true);
    expect(lifetime.signal.aborted).toBe(false);
    alive = false;
    expect(lifetime.check()).toBe(false);
    expect(lifetime.check()).toBe(false);
    expect(lifetime.signal.aborted).toBe(true);
    expect(ended).toHaveBeenCalledTimes(1);
  });

  test('an extension API that throws counts as gone', () => {
    const lifetime = createLifetime(() => {
      throw new Error('Extension context invalidated.');
    });
    expect(lifetime.check()).toBe(false);
    expect(lifetime.signal.aborted).toBe(true);
  });

  test('nothing a page dispatches ends it', () => {
    const lifetime = createLifetime(() => true);
    document.dispatchEvent(new CustomEvent('id:page:wxt:content-script-started', { detail: { contentScriptName: 'page', messageId: 'page-made' } }));
    expect(lifetime.signal.aborted).toBe(false);
  });
});
