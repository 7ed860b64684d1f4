import { parseSettings, SETTINGS_KEY, type Settings } from '../core/settings.ts';

/** The part of WXT storage this needs (`storage` from wxt/utils/storage fits). */
export interface KeyValueStore {
  getItem(key: `local:${string}`): Promise<unknown>;
  setItem(key: `local:${string}`, value: unknown): Promise<void>;
}

const DISMISSED_KEY = 'local:dismissedWarnings' as const;
/** Enough for any person's habits; the oldest dismissal goes first. */
const MAX_DISMISSED = 500;

/**
 * The person's settings and the sites whose in-page warning they dismissed. Both live in
 * extension local storage and are read through their schemas, so a damaged value falls back to
 * the default instead of breaking the extension.
 */
export class Preferences {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  async settings(): Promise<Settings> {
    return parseSettings(await this.#store.getItem(SETTINGS_KEY));
  }

  async updateSettings(changes: Partial<Settings>): Promise<Settings> {
    const next = { ...(await this.settings()), ...changes };
    await this.#store.setItem(SETTINGS_KEY, next);
    return next;
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
