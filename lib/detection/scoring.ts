// zod/mini: signals cross from content scripts, where bundle size counts.
import { z } from 'zod/mini';
import { lazy } from '../core/lazy.ts';
import type { Reason } from '../verdicts/verdict.ts';

/**
 * Relay detection is a score over observed signals (docs/relay-signals.md §1). Every signal, its
 * weight and the thresholds live in this one table, so tuning happens in one place and each
 * row has a test (`scoring.test.ts`). The rules the weights encode:
 * - one very strong signal (a gateway's own header, meta text or storage) reaches `unvetted`;
 * - a strong signal (footer credit, status endpoint) reaches it alone too;
 * - weak signals (routes, vocabulary) never do, alone or together: a blog post about relays
 *   uses the same words, and its URL may well contain /token;
 * - the page calling its own origin at a gateway's distinctive start-up routes reaches it with two
 *   such routes (lib/detection/gateway-families.ts), never with one;
 * - a page that calls a gateway's common start-up route (`/api/status`) is suspect, so the one
 *   status probe confirms or clears it.
 */

export const GATEWAY_FAMILIES = [
  'one-api',
  'new-api',
  'one-hub',
  'done-hub',
  'veloera',
  'voapi',
  'sub2api',
  'claude-relay-service',
  'rix-api',
  'neo-api',
  'litellm',
] as const;
export type GatewayFamily = (typeof GATEWAY_FAMILIES)[number];

export const SIGNAL_TABLE = {
  /** The one-api family's stock meta description, served in index.html. */
  'gateway-meta-description': { weight: 100, strength: 'very strong' },
  /** `X-Oneapi-Request-Id` on a response from the page's host. */
  'gateway-response-header': { weight: 100, strength: 'very strong' },
  /** `New-API-User` and relatives on the dashboard's own /api/* requests. */
  'dashboard-user-header': { weight: 100, strength: 'very strong' },
  /** localStorage `status` JSON holding `system_name` and `quota_per_unit`. */
  'gateway-status-storage': { weight: 100, strength: 'very strong' },
  /** Two or more of the gateway's own localStorage keys (system_name, quota_per_unit, …). */
  'gateway-storage-keys': { weight: 70, strength: 'strong' },
  /** `GET /api/status` (or sub2api's public settings) answered with the gateway's shape. */
  'gateway-status-endpoint': { weight: 70, strength: 'strong' },
  /** "由 JustSong 构建" and the other stock footer credits. */
  'gateway-footer-credit': { weight: 70, strength: 'strong' },
  /**
   * The page called its own origin at a family's distinctive start-up route (`/setup/status`,
   * `/admin/oem-settings`, …): each distinct route counts, two at most, so two reach `unvetted`.
   */
  'gateway-api-call': { weight: 35, strength: 'medium', distinctDetails: 2 },
  /** The served title is a gateway's default (`One API`, …), or its router's title suffix (` - Sub2API`). */
  'gateway-default-title': { weight: 40, strength: 'medium' },
  /** An AI-API-shaped call to a serverless edge host (workers.dev, vercel.app, …). */
  'edge-host-ai-traffic': { weight: 30, strength: 'medium' },
  /** The page called its own origin at a start-up route many apps have (`/api/status`): worth the probe, no more. */
  'gateway-common-api-call': { weight: 20, strength: 'weak' },
  /** The route is a dashboard route (/token, /topup, /log, /channel, /console/…) or a gateway's base path (/admin-next/). */
  'gateway-route': { weight: 15, strength: 'weak' },
  /** Relay vocabulary on the page (令牌, 额度, 倍率, 渠道, 中转 …). */
  'relay-vocabulary': { weight: 15, strength: 'weak' },
  /** `x-litellm-*` response headers: usually a team's own proxy; shown, never scored. */
  'litellm-proxy-header': { weight: 0, strength: 'informational' },
} as const satisfies Record<string, { weight: number; strength: string; distinctDetails?: number }>;

export type SignalId = keyof typeof SIGNAL_TABLE;
export const SIGNAL_IDS = Object.keys(SIGNAL_TABLE) as SignalId[];

/** At or above this score a page is `unvetted`. */
const UNVETTED_THRESHOLD = 60;
/**
 * At or above this score a page is suspect: worth its one same-origin status probe. One common
 * start-up call reaches it (the page asked its own `/api/status`; the probe asks the same), one
 * weak page trait does not (a blog post with relay words, a URL ending in /token).
 */
const PROBE_THRESHOLD = 20;

/** Built on first use (lib/core/lazy.ts): the content script loads this module and never parses a signal. */
export const signalSchema = lazy(() =>
  z.object({
    id: z.enum(SIGNAL_IDS as [SignalId, ...SignalId[]]),
    /** What was observed, short and safe to show (a header name, a footer snippet). */
    detail: z.string().check(z.maxLength(200)),
    family: z.optional(z.enum(GATEWAY_FAMILIES)),
  }),
);
export type Signal = z.infer<ReturnType<typeof signalSchema>>;

export interface Score {
  readonly score: number;
  readonly unvetted: boolean;
  readonly suspect: boolean;
  /** The gateway software the signals point to, when they agree on one. */
  readonly family?: GatewayFamily;
  /** One reason per distinct signal, strongest first (informational ones included). */
  readonly reasons: Reason[];
}

/** How many distinct details of a signal id count (1 unless its row says more). */
function countedDetails(id: SignalId): number {
  const row = SIGNAL_TABLE[id];
  return 'distinctDetails' in row ? row.distinctDetails : 1;
}

/**
 * Each signal id counts once, however often it was seen; an id whose row names `distinctDetails`
 * counts once per distinct detail, up to that many (two different start-up routes, not the same
 * one twice).
 */
export function scoreSignals(signals: readonly Signal[]): Score {
  const countedPerId = new Map<SignalId, Signal[]>();
  for (const signal of signals) {
    const known = countedPerId.get(signal.id) ?? [];
    if (known.length >= countedDetails(signal.id) || known.some((other) => other.detail === signal.detail)) continue;
    countedPerId.set(signal.id, [...known, signal]);
  }
  const counted = [...countedPerId.values()].flat();

  let score = 0;
  const familyVotes = new Map<GatewayFamily, number>();
  for (const signal of counted) {
    const { weight } = SIGNAL_TABLE[signal.id];
    score += weight;
    if (signal.family) familyVotes.set(signal.family, (familyVotes.get(signal.family) ?? 0) + weight);
  }
  const unvetted = score >= UNVETTED_THRESHOLD;
  const family = [...familyVotes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  // A stable sort: within one id, the order the details were seen in.
  const reasons = counted
    .sort((a, b) => SIGNAL_TABLE[b.id].weight - SIGNAL_TABLE[a.id].weight)
    .map((signal): Reason => ({ kind: 'signal', level: unvetted ? 'unvetted' : 'unknown', source: signal.id, detail: signal.detail }));
  return { score, unvetted, suspect: score >= PROBE_THRESHOLD, ...(family && { family }), reasons };
}
