/**
 * The few extension APIs RelayGuard's content scripts call, straight from the browser.
 *
 * Everywhere else RelayGuard speaks to the browser through webextension-polyfill (`wxt/browser`).
 * The content scripts are the exception because they run in the person's pages: the page watch
 * on every one of them, where each kilobyte compiled and each object built is paid on every page
 * load (README.md "Performance"). The polyfill is 10 KB of code and a wrapper to build, and
 * WXT's content-script wrapper brings it in as well; neither is needed for these calls.
 * Chromium's MV3 `chrome.runtime.sendMessage` returns a promise when given no callback, and
 * Firefox's `browser` is promise-based: what the polyfill would add is already there.
 */
interface ContentRuntime {
  /** undefined once the extension was updated, reloaded or removed. */
  readonly id: string | undefined;
  sendMessage(message: unknown): Promise<unknown>;
  readonly onMessage: {
    addListener(listener: (message: unknown, sender: { id?: string }) => void): void;
    removeListener(listener: (message: unknown, sender: { id?: string }) => void): void;
  };
}

interface ContentI18n {
  getMessage(key: string, substitutions?: string | string[]): string;
  getUILanguage(): string;
}

export interface ContentExtensionApi {
  readonly runtime: ContentRuntime;
  readonly i18n: ContentI18n;
}

interface ExtensionGlobals {
  readonly browser?: Partial<ContentExtensionApi>;
  readonly chrome?: Partial<ContentExtensionApi>;
}

/** Firefox's `browser`, else Chromium's `chrome`; read when called, never at import. */
export function contentExtensionApi(globals: ExtensionGlobals = globalThis as ExtensionGlobals): ContentExtensionApi {
  const api = globals.browser?.runtime ? globals.browser : globals.chrome;
  if (!api?.runtime || !api.i18n) throw new Error('RelayGuard: no extension API in this context.');
  return { runtime: api.runtime, i18n: api.i18n };
}
