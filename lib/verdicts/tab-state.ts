// zod/mini, as the protocol it shares the endpoint record with.
import { z } from 'zod/mini';
import { lazy } from '../core/lazy.ts';
import { HOST_SCOPES } from '../core/host.ts';
import { endpointRecordSchema } from '../protocol/page-protocol.ts';
import { signalSchema } from '../detection/scoring.ts';
import { HIDDEN_HOWS, HIDDEN_SURFACES } from '../page/stay-on-top.ts';

/**
 * What RelayGuard knows about one tab since its last top-level navigation: the page and the
 * evidence seen on it. Verdicts are derived from this and the current lists on demand, so a
 * list change never leaves a stale verdict behind. Kept in storage.session so it survives the
 * service worker being stopped, and is gone when the browser closes.
 */

const MAX_SIGNALS = 32;
const MAX_ENDPOINTS = 32;

// Built on first use: a wake that judges no tab (an alarm, the options page) never needs it.
export const tabStateSchema = lazy(() =>
  z.object({
    tabId: z.number().check(z.int(), z.nonnegative()),
    url: z.string(),
    host: z.string(),
    hostDisplay: z.string(),
    scope: z.enum(HOST_SCOPES),
    /** The browser's timestamp of the document's commit; evidence from before it belongs to another page. */
    committedAt: z.number(),
    /** Relay signals observed on the page itself (headers, fingerprints, probe). */
    signals: z._default(z.array(signalSchema()).check(z.maxLength(MAX_SIGNALS)), []),
    /** AI-API endpoints the page called, one record per host. */
    endpoints: z._default(z.array(endpointRecordSchema()).check(z.maxLength(MAX_ENDPOINTS)), []),
    /** Whether the one same-origin status probe was already granted for this document. */
    probed: z._default(z.boolean(), false),
    /** The browser's id for the committed document (Chromium), so scripts run in it and no other. */
    documentId: z.optional(z.string()),
    /** Whether the page guard was started in this document (lib/background/page-guards.ts). */
    guarded: z._default(z.boolean(), false),
    /** The page kept covering or removing RelayGuard's warning or paste question (hidden-warnings.ts). */
    hiddenWarning: z.optional(z.object({ surface: z.enum(HIDDEN_SURFACES), how: z.enum(HIDDEN_HOWS) })),
  }),
);
export type TabState = z.output<ReturnType<typeof tabStateSchema>>;

/** The part of storage.session this module needs; WXT's fake browser and the real one both fit. */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

const keyOf = (tabId: number) => `tab:${tabId}`;

export function createTabStateStore(area: SessionArea) {
  // Events for one tab arrive in bursts (a page firing several API calls at once); updates are
  // chained per tab so no read-modify-write loses another's evidence.
  const pending = new Map<number, Promise<unknown>>();

  const get = async (tabId: number): Promise<TabState | null> => {
    const stored = (await area.get(keyOf(tabId)))[keyOf(tabId)];
    if (stored === undefined) return null;
    const parsed = tabStateSchema().safeParse(stored);
    // A record from an older version that no longer parses is dropped; the next navigation rebuilds it.
    return parsed.success ? parsed.data : null;
  };

  const serialized = <T>(tabId: number, task: () => Promise<T>): Promise<T> => {
    const run = (pending.get(tabId) ?? Promise.resolve()).then(task, task);
    const settled = run.catch(() => undefined);
    pending.set(tabId, settled);
    void settled.then(() => {
      if (pending.get(tabId) === settled) pending.delete(tabId);
    });
    return run;
  };

  return {
    get,
    set: (state: TabState) => serialized(state.tabId, () => area.set({ [keyOf(state.tabId)]: state })),
    remove: (tabId: number) => serialized(tabId, () => area.remove(keyOf(tabId))),
    /**
     * Stores `state` unless `keep` says the tab's current state stays (a commit recorded while an
     * adoption read the tab is newer than what it read); resolves to the state the tab has afterwards.
     */
    setUnless: (state: TabState, keep: (current: TabState) => boolean) =>
      serialized(state.tabId, async () => {
        const current = await get(state.tabId);
        if (current && keep(current)) return current;
        await area.set({ [keyOf(state.tabId)]: state });
        return state;
      }),
    /**
     * Applies `change` to the tab's current state and stores the result; `change` returns null to
     * leave the state as it is. Resolves to the state after the update.
     */
    update: (tabId: number, change: (state: TabState) => TabState | null) =>
      serialized(tabId, async () => {
        const current = await get(tabId);
        if (!current) return null;
        const next = change(current);
        if (!next) return current;
        await area.set({ [keyOf(tabId)]: next });
        return next;
      }),
  };
}
export type TabStateStore = ReturnType<typeof createTabStateStore>;

/** Adds a signal unless the same id and detail is already there. */
export function withSignal(state: TabState, signal: z.infer<ReturnType<typeof signalSchema>>): TabState | null {
  if (state.signals.some((known) => known.id === signal.id && known.detail === signal.detail)) return null;
  if (state.signals.length >= MAX_SIGNALS) return null;
  return { ...state, signals: [...state.signals, signal] };
}

/** Counts a call to an AI endpoint, remembering the credential kind it carried. */
export function withEndpointCall(state: TabState, call: { host: string; protocol: string; credentialKind?: string; account?: string }): TabState {
  // One record per host, and per account on a multi-tenant gateway (each account is judged alone).
  const existing = state.endpoints.find((endpoint) => endpoint.host === call.host && endpoint.account === call.account);
  const kinds = (known: string[]) => (call.credentialKind && !known.includes(call.credentialKind) ? [...known, call.credentialKind] : known);
  if (existing) {
    return {
      ...state,
      endpoints: state.endpoints.map((endpoint) =>
        endpoint === existing ? { ...endpoint, count: endpoint.count + 1, credentialKinds: kinds(endpoint.credentialKinds) } : endpoint,
      ),
    };
  }
  if (state.endpoints.length >= MAX_ENDPOINTS) return state;
  return { ...state, endpoints: [...state.endpoints, { host: call.host, protocol: call.protocol, count: 1, credentialKinds: kinds([]), ...(call.account !== undefined && { account: call.account }) }] };
}
