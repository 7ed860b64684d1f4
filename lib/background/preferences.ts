import { parseSettings, SETTINGS_KEY, type Settings } from '../core/settings.ts';
import { RequestError, type MessageRouter } from './message-router.ts';

/** The part of WXT storage this needs (`storage` from wxt/utils/storage fits, and so does `localStore`). */
export interface KeyValueStore {
  getItem(key: `local:${string}`): Promise<unknown>;
  setItem(key: `local:${string}`, value: unknown): Promise<void>;
}

/** The part of a browser storage area (`browser.storage.local`) `localStore` needs. */
export interface StorageArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

/** `browser.storage.local` spoken to with WXT's `local:` keys, the same values WXT's `storage` reads and writes. */
export function localStore(area: StorageArea): KeyValueStore {
  const name = (key: `local:${string}`) => key.slice('local:'.length);
  return {
    getItem: async (key) => (await area.get(name(key)))[name(key)] ?? null,
    setItem: (key, value) => area.set({ [name(key)]: value }),
  };
}

const DISMISSED_KEY = 'local:dismissedWarnings' as const;
/** Enough for any person's habits; the oldest dismissal goes first. */
const MAX_DISMISSED = 500;

/** Told after the settings changed; the change is answered once every listener's promise settles. */
type SettingsListener = (settings: Settings) => void | Promise<void>;

/**
 * The person's settings and the sites whose in-page warning they dismissed. Both live in
 * extension local storage and are read through their schemas, so a damaged value falls back to
 * the default instead of breaking the extension.
 */
export class Preferences {
  readonly #store: KeyValueStore;
  readonly #managed: () => Promise<Partial<Settings>>;
  readonly #listeners = new Set<SettingsListener>();

  /**
   * `router`: where its requests arrive (absent in tests of this component alone). `managed`: the
   * settings the administrator's policy sets (pasteGuard), which win over the person's and which
   * the person cannot change.
   */
  constructor(store: KeyValueStore, router?: MessageRouter, managed: () => Promise<Partial<Settings>> = async () => ({})) {
    this.#store = store;
    this.#managed = managed;
    router?.register({
      'settings/get': () => this.#answer(),
      'settings/set': async ({ changes }) => {
        const managedNow = await this.#managed();
        if (Object.keys(changes).some((key) => key in managedNow)) throw new RequestError('Your organisation sets this; it cannot be changed here.');
        await this.updateSettings(changes);
        return this.#answer();
      },
    });
  }

  /** The settings in force: the person's, with what the policy sets over them. */
  async settings(): Promise<Settings> {
    return { ...(await this.#own()), ...(await this.#managed()) };
  }

  /** Stores the changes; resolves once every listener has applied them (rules rebuilt, pages told). */
  async updateSettings(changes: Partial<Settings>): Promise<Settings> {
    const next = { ...(await this.#own()), ...changes };
    await this.#store.setItem(SETTINGS_KEY, next);
    const inForce = await this.settings();
    await Promise.all([...this.#listeners].map(async (listener) => listener(inForce)));
    return inForce;
  }

  async #own(): Promise<Settings> {
    return parseSettings(await this.#store.getItem(SETTINGS_KEY));
  }

  async #answer(): Promise<Settings & { managed?: (keyof Settings)[] }> {
    const managed = await this.#managed();
    const keys = Object.keys(managed) as (keyof Settings)[];
    return { ...(await this.#own()), ...managed, ...(keys.length > 0 && { managed: keys }) };
  }

  onChange(listener: SettingsListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async isWarningDismissed(host: string): Promise<boolean> {
    return (await this.#dismissed()).includes(host);
  }

  async dismissWarning(host: string): Promise<void> {
    const dismissed = (await this.#dismissed()).filter((known) => known !== host);
    await this.#store.setItem(DISMISSED_KEY, [...dismissed, host].slice(-MAX_DISMISSED));
  }

  async #dismissed(): Promise<string[]> {
    const raw = await this.#store.getItem(DISMISSED_KEY);
    return Array.isArray(raw) ? raw.filter((host): host is string => typeof host === 'string') : [];
  }
}
