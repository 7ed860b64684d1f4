import { describe, expect, test } from 'vitest';
import { contentExtensionApi, type ContentExtensionApi } from './extension-api.ts';

/** One browser's extension API, as far as the content scripts use it. */
function api(name: string): ContentExtensionApi {
  return {
    runtime: {
      id: `${name}-extension-id`,
      sendMessage: async (message) => ({ via: name, message }),
      onMessage: { addListener: () => undefined, removeListener: () => undefined },
    },
    i18n: { getMessage: (key) => `${name}:${key}`, getUILanguage: () => 'en' },
  };
}

describe('contentExtensionApi', () => {
  test('Firefox: `browser`, even where a `chrome` alias exists too', () => {
    const firefox = api('browser');
    const result = contentExtensionApi({ browser: firefox, chrome: api('chrome') });
    expect(result.runtime).toBe(firefox.runtime);
    expect(result.i18n).toBe(firefox.i18n);
  });

  test('Chromium: `chrome`', () => {
    const chrome = api('chrome');
    expect(contentExtensionApi({ chrome })).toEqual({ runtime: chrome.runtime, i18n: chrome.i18n });
  });

  test('a `browser` without runtime (a page’s own global, or a stub) does not win over `chrome`', () => {
    const chrome = api('chrome');
    expect(contentExtensionApi({ browser: {}, chrome }).runtime).toBe(chrome.runtime);
  });

  test('no extension API at all is said so, clearly', () => {
    expect(() => contentExtensionApi({})).toThrow('RelayGuard: no extension API in this context.');
    // A `chrome` object on an ordinary web page has no runtime for a content script to use.
    expect(() => contentExtensionApi({ chrome: {} })).toThrow('RelayGuard: no extension API in this context.');
    expect(() => contentExtensionApi({ chrome: { runtime: api('chrome').runtime } })).toThrow('no extension API');
  });

  test('reads the globals when called, not before: a later call sees what is there then', () => {
    const globals: { browser?: ContentExtensionApi; chrome?: ContentExtensionApi } = {};
    expect(() => contentExtensionApi(globals)).toThrow();
    globals.chrome = api('chrome');
    expect(contentExtensionApi(globals).runtime.id).toBe('chrome-extension-id');
  });
});
