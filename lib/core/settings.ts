// zod/mini, as the whole message protocol (settings/get, settings/set) is.
import { z } from 'zod/mini';

/**
 * The person's settings, in extension local storage (WXT storage). Read through the schema
 * every time: a value written by another version, or edited by hand, falls back field by field
 * to the default instead of breaking the extension.
 */
export const settingsSchema = z.object({
  /** Block AI-API requests (XHR, fetch, websocket) to blocked endpoints, not only navigations. */
  blockAiRequestsToBlocked: z.catch(z.boolean(), true),
  /** Hold pastes of vendor API keys on unvetted and blocked pages. */
  pasteGuard: z.catch(z.boolean(), true),
  /** A small notice when a vendor key is pasted on an unknown page that called AI APIs. */
  unknownPageNotice: z.catch(z.boolean(), true),
});
export type Settings = z.output<typeof settingsSchema>;

/** A change request (settings/set): strict, so `"false"` or `null` is refused instead of read as the default. */
export const settingsChangesSchema = z.strictObject({
  blockAiRequestsToBlocked: z.optional(z.boolean()),
  pasteGuard: z.optional(z.boolean()),
  unknownPageNotice: z.optional(z.boolean()),
});

export const DEFAULT_SETTINGS: Settings = { blockAiRequestsToBlocked: true, pasteGuard: true, unknownPageNotice: true };

export const SETTINGS_KEY = 'local:settings' as const;

export function parseSettings(raw: unknown): Settings {
  const parsed = settingsSchema.safeParse(typeof raw === 'object' && raw !== null ? raw : {});
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}
