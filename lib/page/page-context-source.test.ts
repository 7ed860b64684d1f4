import { describe, expect, test, vi } from 'vitest';
import type { PageContext } from '../protocol/page-protocol.ts';
import { PageContextSource, urlHost } from './page-context-source.ts';
import { pageContext } from './test-support.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

function source(send: (message: unknown) => Promise<unknown>, host = 'relay.example') {
  const later = vi.fn((_handler: () => void, _ms: number) => undefined);
  return { source: new PageContextSource({ send, pageHost: () => host, setTimeout: later }), later };
}

const push = (context: PageContext) => ({ type: 'page/context-changed', context });

describe('PageContextSource', () => {
  test('asks the background for page/context and keeps the answer', async () => {
    const send = vi.fn(async () => ({ ok: true, data: pageContext('unvetted') }));
    const { source: contexts } = source(send);
    const seen = vi.fn();
    contexts.onChange(seen);
    expect(await contexts.refresh()).toEqual(pageContext('unvetted'));
    expect(send).toHaveBeenCalledWith({ type: 'page/context' });
    expect(contexts.current?.verdict?.level).toBe('unvetted');
    expect(seen).toHaveBeenCalledTimes(1);
  });

  test('one request at a time: concurrent refreshes share it', async () => {
    const answer = deferred<unknown>();
    const send = vi.fn(() => answer.promise);
    const { source: contexts } = source(send);
    const first = contexts.refresh();
    const second = contexts.refresh();
    answer.resolve({ ok: true, data: pageContext('blocked') });
    expect(await first).toEqual(await second);
    expect(send).toHaveBeenCalledTimes(1);
  });

  test('applies valid pushes and ignores every other message', () => {
    const { source: contexts } = source(vi.fn());
    const seen = vi.fn();
    contexts.onChange(seen);
    expect(contexts.receive(push(pageContext('blocked')))).toBe(true);
    expect(contexts.current?.verdict?.level).toBe('blocked');
    for (const message of [
      null,
      'page/context-changed',
      { type: 'page/context-changed' },
      { type: 'page/context-changed', context: { verdict: null } },
      { type: 'page/context-changed', context: { ...pageContext('official'), verdict: { level: 'official' } } },
      { type: 'something-else', context: pageContext('official') },
    ]) {
      expect(contexts.receive(message)).toBe(false);
    }
    expect(contexts.current?.verdict?.level).toBe('blocked');
    expect(seen).toHaveBeenCalledTimes(1);
  });

  test('an answer that arrives after a push is older than the push and is dropped', async () => {
    const answer = deferred<unknown>();
    const { source: contexts } = source(() => answer.promise);
    const pending = contexts.refresh();
    contexts.receive(push(pageContext('official')));
    answer.resolve({ ok: true, data: pageContext('unvetted') });
    await pending;
    expect(contexts.current?.verdict?.level).toBe('official');
  });

  test('a failed request keeps what is known', async () => {
    const { source: contexts } = source(async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    });
    contexts.receive(push(pageContext('unvetted')));
    expect((await contexts.refresh())?.verdict?.level).toBe('unvetted');
    const { source: empty } = source(async () => ({ ok: false, error: 'nope' }));
    expect(await empty.refresh()).toBeNull();
  });

  test('a verdict about another host (the previous page, right after a navigation) counts as none yet, and is asked again', async () => {
    const send = vi.fn(async () => ({ ok: true, data: pageContext('blocked', {}, { url: 'https://previous.example/' }) }));
    const { source: contexts, later } = source(send, 'relay.example');
    const context = await contexts.refresh();
    expect(context?.verdict).toBeNull();
    expect(context?.pasteGuard).toBe(true);
    expect(later).toHaveBeenCalledTimes(1);
    later.mock.calls[0]![0]();
    expect(send).toHaveBeenCalledTimes(2);
  });
});

describe('urlHost', () => {
  test('is the URL parser’s host, remembered for the same URL', () => {
    expect(urlHost('https://Relay.Example:8443/console?q=1')).toBe('relay.example');
    expect(urlHost('https://Relay.Example:8443/console?q=1')).toBe('relay.example');
    expect(urlHost('http://user@[::1]:8080/')).toBe('[::1]');
    expect(urlHost('https://bücher.example/')).toBe('xn--bcher-kva.example');
    expect(urlHost('not a url')).toBeNull();
    expect(urlHost('not a url')).toBeNull();
    expect(urlHost('https://relay.example/')).toBe('relay.example');
  });
});
