import type { ExtensionBrowser } from './browser.ts';

/**
 * Where the extension could keep or pass on a secret, read from inside its service worker:
 *
 * - a recorder, installed before the test acts, that keeps a JSON copy of every message the
 *   background receives (`runtime.onMessage`, `onMessageExternal`, and every port's messages),
 *   of every message it sends (`runtime.sendMessage`, `tabs.sendMessage`), and of every console
 *   call it makes;
 * - a dump, taken after the test acted, of `chrome.storage.local`, `.session` and `.sync`, every
 *   IndexedDB database and object store of the extension's origin (keys and values), and Cache
 *   Storage.
 *
 * The recorder lives in the worker's global scope: if Chromium restarts the worker in between,
 * it is gone, and `dump()` says so instead of reporting an empty record as a clean one.
 */

interface Recorder {
  readonly id: string;
  readonly received: string[];
  readonly sent: string[];
  readonly console: string[];
}

interface ChromeAuditSubset {
  runtime: {
    onMessage: { addListener(listener: (message: unknown, sender: unknown) => undefined): void };
    onMessageExternal: { addListener(listener: (message: unknown, sender: unknown) => undefined): void };
    onConnect: {
      addListener(listener: (port: { name: string; onMessage: { addListener(listener: (message: unknown) => void): void } }) => void): void;
    };
    sendMessage: (...args: unknown[]) => unknown;
  };
  tabs: { sendMessage: (...args: unknown[]) => unknown };
  storage: Record<
    'local' | 'session' | 'sync',
    {
      get(keys: null): Promise<Record<string, unknown>>;
      set(items: Record<string, unknown>): Promise<void>;
      remove(key: string): Promise<void>;
    }
  >;
}
declare const chrome: ChromeAuditSubset;

/** The worker's global scope as the recorder uses it (a cast, not a global declaration for the whole program). */
type RecordingScope = typeof globalThis & { __relayGuardE2eRecorder?: Recorder };

export interface ExtensionDump {
  /** The recorder's id: the same one install() returned, or the dump fails. */
  readonly recorderId: string;
  readonly received: readonly string[];
  readonly sent: readonly string[];
  readonly console: readonly string[];
  /** JSON of each storage area. */
  readonly storage: Readonly<Record<'local' | 'session' | 'sync', string>>;
  /** `<database>/<store>` → JSON of its keys and values. */
  readonly indexedDb: Readonly<Record<string, string>>;
  /** `<cache>` → JSON of its request URLs and response bodies. */
  readonly caches: Readonly<Record<string, string>>;
}

export class ExtensionAudit {
  readonly #browser: ExtensionBrowser;
  #recorderId: string | undefined;

  constructor(browser: ExtensionBrowser) {
    this.#browser = browser;
  }

  /** Installs the recorder in the running service worker (once per worker). */
  async install(): Promise<void> {
    const worker = await this.#browser.serviceWorker();
    this.#recorderId = await worker.evaluate(() => {
      const scope = globalThis as RecordingScope;
      const existing = scope.__relayGuardE2eRecorder;
      if (existing) return existing.id;
      const recorder: Recorder = { id: crypto.randomUUID(), received: [], sent: [], console: [] };
      scope.__relayGuardE2eRecorder = recorder;
      const json = (value: unknown): string => {
        try {
          return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? String(item) : item)) ?? String(value);
        } catch {
          return String(value);
        }
      };
      // Listeners that answer nothing (undefined) leave the extension's own answers alone.
      chrome.runtime.onMessage.addListener((message, sender) => {
        recorder.received.push(json({ via: 'onMessage', message, sender }));
        return undefined;
      });
      chrome.runtime.onMessageExternal.addListener((message, sender) => {
        recorder.received.push(json({ via: 'onMessageExternal', message, sender }));
        return undefined;
      });
      chrome.runtime.onConnect.addListener((port) => {
        port.onMessage.addListener((message) => recorder.received.push(json({ via: 'port', name: port.name, message })));
      });
      // Outgoing messages: wrapped on `chrome` and, where Chromium has it, on the `browser` alias.
      const namespaces = [chrome as unknown, (globalThis as { browser?: unknown }).browser].filter(
        (namespace, index, all): namespace is Record<string, Record<string, unknown>> => !!namespace && all.indexOf(namespace) === index,
      );
      for (const namespace of namespaces) {
        for (const area of ['runtime', 'tabs'] as const) {
          const api = namespace[area];
          const original = api?.sendMessage;
          if (!api || typeof original !== 'function') continue;
          api.sendMessage = function (this: unknown, ...args: unknown[]) {
            recorder.sent.push(json({ via: `${area}.sendMessage`, args: args.filter((arg) => typeof arg !== 'function') }));
            return (original as (...a: unknown[]) => unknown).apply(this, args);
          };
        }
      }
      for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'] as const) {
        const target = console as unknown as Record<string, (...args: unknown[]) => void>;
        const original = target[method]!;
        target[method] = (...args: unknown[]) => {
          recorder.console.push(json({ method, args: args.map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}\n${arg.stack ?? ''}` : arg)) }));
          original.apply(console, args);
        };
      }
      return recorder.id;
    });
  }

  /** Everything recorded, and everything stored, now. */
  async dump(): Promise<ExtensionDump> {
    if (!this.#recorderId) throw new Error('ExtensionAudit.dump() before install().');
    const worker = await this.#browser.serviceWorker();
    const dump = await worker.evaluate(async () => {
      const json = (value: unknown): string =>
        JSON.stringify(value, (_key, item: unknown) => {
          if (typeof item === 'bigint') return String(item);
          if (item instanceof ArrayBuffer) return { arrayBuffer: new TextDecoder().decode(item) };
          if (ArrayBuffer.isView(item)) return { view: new TextDecoder().decode(item) };
          if (item instanceof Blob) return { blob: item.size };
          return item;
        }) ?? 'undefined';
      const request = <T>(req: IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });

      const storage = {} as Record<'local' | 'session' | 'sync', string>;
      for (const area of ['local', 'session', 'sync'] as const) {
        storage[area] = await chrome.storage[area].get(null).then(json, (error: unknown) => json({ error: String(error) }));
      }

      const indexedDb: Record<string, string> = {};
      for (const info of await indexedDB.databases()) {
        if (!info.name) continue;
        const open = indexedDB.open(info.name);
        const db = await request(open);
        try {
          for (const storeName of Array.from(db.objectStoreNames)) {
            const store = db.transaction(storeName, 'readonly').objectStore(storeName);
            const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
            indexedDb[`${info.name}/${storeName}`] = json({ keys, values });
          }
        } finally {
          db.close();
        }
      }

      const cacheDump: Record<string, string> = {};
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        const entries = [];
        for (const cached of await cache.keys()) entries.push({ url: cached.url, body: await (await cache.match(cached))?.text() });
        cacheDump[name] = json(entries);
      }

      const recorder = (globalThis as RecordingScope).__relayGuardE2eRecorder;
      return {
        recorderId: recorder?.id ?? '',
        received: recorder?.received ?? [],
        sent: recorder?.sent ?? [],
        console: recorder?.console ?? [],
        storage,
        indexedDb,
        caches: cacheDump,
      };
    });
    if (dump.recorderId !== this.#recorderId) {
      throw new Error(
        `The service worker's recorder is gone (the worker restarted since install()): what it received in between was not recorded.`,
      );
    }
    return dump;
  }
}

/**
 * Puts `canary` everywhere dump() looks (both storage areas the extension writes, a database of
 * its own, the worker's console, a message from an extension page) and returns a function that
 * takes it all away again: a dump that does not then find the canary in each place is blind there.
 */
export async function plantCanary(browser: ExtensionBrowser, canary: string): Promise<() => Promise<void>> {
  const worker = await browser.serviceWorker();
  const names = { storageKey: 'relayguardE2eCanary', database: 'relayguard-e2e-canary' };
  await worker.evaluate(
    async ({ canary, names }) => {
      await chrome.storage.local.set({ [names.storageKey]: canary });
      await chrome.storage.session.set({ [names.storageKey]: canary });
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(names.database, 1);
        open.onupgradeneeded = () => open.result.createObjectStore('canary');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('canary', 'readwrite');
          tx.objectStore('canary').put({ canary }, 'value');
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      });
      console.info('[e2e canary]', canary);
    },
    { canary, names },
  );
  await browser.sendToBackground({ type: 'e2e/canary', canary });
  return async () => {
    const current = await browser.serviceWorker();
    await current.evaluate(async (names) => {
      await chrome.storage.local.remove(names.storageKey);
      await chrome.storage.session.remove(names.storageKey);
      await new Promise((resolve) => {
        const request = indexedDB.deleteDatabase(names.database);
        request.onsuccess = request.onerror = request.onblocked = resolve;
      });
    }, names);
  };
}

/** Every place in `dump` (named) that holds `secret` or any `slice`-character piece of it. */
export function findSecret(dump: ExtensionDump, secret: string, slice = 20): string[] {
  const places: Array<[string, string]> = [
    ...dump.received.map((text, index): [string, string] => [`message received #${index}`, text]),
    ...dump.sent.map((text, index): [string, string] => [`message sent #${index}`, text]),
    ...dump.console.map((text, index): [string, string] => [`console #${index}`, text]),
    ...Object.entries(dump.storage).map(([area, text]): [string, string] => [`storage.${area}`, text]),
    ...Object.entries(dump.indexedDb).map(([store, text]): [string, string] => [`IndexedDB ${store}`, text]),
    ...Object.entries(dump.caches).map(([cache, text]): [string, string] => [`Cache Storage ${cache}`, text]),
  ];
  return places.filter(([, text]) => containsSecret(text, secret, slice)).map(([place]) => place);
}

/** Whether `text` holds `secret` or any `slice`-character piece of it. */
export function containsSecret(text: string, secret: string, slice = 20): boolean {
  if (secret.length <= slice) return text.includes(secret);
  for (let start = 0; start + slice <= secret.length; start++) {
    if (text.includes(secret.slice(start, start + slice))) return true;
  }
  return false;
}
