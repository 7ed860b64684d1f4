import { z } from 'zod';
import { HOST_SCOPES } from './host.ts';
import { reasonSchema } from './verdict.ts';

/**
 * What RelayGuard knows about one tab since its last top-level navigation: the page and the
 * evidence seen on it. Verdicts are derived from this and the current lists on demand, so a
 * list change never leaves a stale verdict behind. Kept in storage.session so it survives the
 * service worker being stopped, and is gone when the browser closes.
 */

export const tabStateSchema = z.object({
  tabId: z.number().int().nonnegative(),
  url: z.string(),
  host: z.string(),
  hostDisplay: z.string(),
  scope: z.enum(HOST_SCOPES),
  /** When the page's document was committed; evidence older than this belongs to another page. */
  committedAt: z.number(),
  /** Detection findings about the page itself (fingerprints, look-alike), already scored. */
  detections: z.array(reasonSchema).default([]),
  /** AI-API endpoints the page called, one entry per host. */
  endpoints: z
    .array(z.object({ host: z.string(), protocol: z.string(), count: z.number().int().positive() }))
    .default([]),
});
export type TabState = z.output<typeof tabStateSchema>;

/** The part of storage.session this module needs; WXT's fake browser and the real one both fit. */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

const keyOf = (tabId: number) => `tab:${tabId}`;

export function createTabStateStore(area: SessionArea) {
  return {
    async get(tabId: number): Promise<TabState | null> {
      const stored = (await area.get(keyOf(tabId)))[keyOf(tabId)];
      if (stored === undefined) return null;
      const parsed = tabStateSchema.safeParse(stored);
      // A record from an older version that no longer parses is dropped; the next navigation rebuilds it.
      return parsed.success ? parsed.data : null;
    },
    async set(state: TabState): Promise<void> {
      await area.set({ [keyOf(state.tabId)]: state });
    },
    async remove(tabId: number): Promise<void> {
      await area.remove(keyOf(tabId));
    },
  };
}
export type TabStateStore = ReturnType<typeof createTabStateStore>;
