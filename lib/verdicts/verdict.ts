// zod/mini: reasons are read by content scripts too, where bundle size counts.
import { z } from 'zod/mini';
import type { HostScope } from '../core/host.ts';
import type { ListHit } from '../lists/matcher.ts';
import { lazy } from '../core/lazy.ts';
import { LIST_SOURCES, MANAGED_POLICY_LIST_ID } from '../lists/precedence.ts';

/** The five levels of docs/test-contract.md, exactly these strings. */
export const VERDICT_LEVELS = ['official', 'vetted', 'unknown', 'unvetted', 'blocked'] as const;
export type VerdictLevel = (typeof VERDICT_LEVELS)[number];

/** `tamper`: the page kept covering or removing RelayGuard's own warning (lib/background/hidden-warnings.ts). */
const REASON_KINDS = ['list', 'signal', 'lookalike', 'endpoint', 'local', 'tamper'] as const;

/**
 * Why a verdict is what it is. `source` names where it came from in words a person can check
 * (a list's name and version, a signal's id, an endpoint's host); `detail` is the specific
 * finding (the pattern that matched, the signal's observation, the protocol called).
 * Reasons cross boundaries (session storage, messages), so the schema is the type. Built on
 * first use (lib/core/lazy.ts): content scripts load this module on every page.
 */
export const reasonSchema = lazy(() =>
  z.object({
    kind: z.enum(REASON_KINDS),
    /** The level this reason argues for on its own. */
    level: z.enum(VERDICT_LEVELS),
    source: z.string(),
    detail: z.string(),
    /** For list reasons: which kind of list, so surfaces can mark managed entries as managed. */
    listSource: z.optional(z.enum(LIST_SOURCES)),
    /** For list reasons: the public evidence behind a blocklist entry. */
    evidence: z.optional(z.array(z.string())),
  }),
);
export type Reason = z.output<ReturnType<typeof reasonSchema>>;

export interface Verdict {
  readonly level: VerdictLevel;
  readonly reasons: readonly Reason[];
}

/** How much risk a level carries: official and vetted carry none, so they never raise a tab. */
const RISK: Record<VerdictLevel, number> = { official: 0, vetted: 0, unknown: 1, unvetted: 2, blocked: 3 };

export function riskOf(level: VerdictLevel): number {
  return RISK[level];
}

export function listReason(hit: ListHit): Reason {
  const note = [hit.category, hit.reason].filter(Boolean).join(': ');
  return {
    kind: 'list',
    level: hit.level,
    // A person's own entries and the policy's own entries have no version worth showing; a list the
    // organisation subscribes to is named with its version, like any list.
    source: hit.source === 'user' || hit.listId === MANAGED_POLICY_LIST_ID ? hit.listName : `${hit.listName} v${hit.listVersion}`,
    detail: note ? `${hit.pattern} (${note})` : hit.pattern,
    listSource: hit.source,
    ...(hit.evidence && { evidence: [...hit.evidence] }),
  };
}

export interface HostVerdictInput {
  /** The winning list hit for the host (Matcher.decide), if any list names it. */
  readonly listHit: ListHit | null;
  readonly host: string;
  readonly scope: HostScope;
  /** Detection findings that already passed scoring thresholds, each at level `unvetted`. */
  readonly detections?: readonly Reason[];
}

/**
 * One host's own level. A list names it → that level (allowlists beat detection: a vetted
 * gateway looks exactly like a relay, which is the point of vetting it). Otherwise detection
 * findings make it `unvetted`; hosts on the user's own machine or network never do.
 */
export function verdictForHost({ listHit, host, scope, detections = [] }: HostVerdictInput): Verdict {
  if (listHit) return { level: listHit.level, reasons: [listReason(listHit)] };
  if (scope !== 'public') {
    return { level: 'unknown', reasons: [{ kind: 'local', level: 'unknown', source: host, detail: scope }] };
  }
  if (detections.length > 0) return { level: 'unvetted', reasons: detections };
  return { level: 'unknown', reasons: [] };
}

export interface EndpointVerdict extends Verdict {
  readonly host: string;
  /** The API protocol the calls imitated, e.g. `openai`. */
  readonly protocol: string;
}

/**
 * A tab's level is the worst of its page's own level and the levels of the AI endpoints the
 * page called; calls to official or vetted endpoints never raise it (docs/test-contract.md).
 */
export function tabVerdict(page: Verdict, endpoints: readonly EndpointVerdict[]): Verdict {
  let level = page.level;
  const endpointReasons: Reason[] = [];
  for (const endpoint of endpoints) {
    if (riskOf(endpoint.level) <= riskOf('unknown')) continue;
    if (riskOf(endpoint.level) > riskOf(level)) level = endpoint.level;
    endpointReasons.push({
      kind: 'endpoint',
      level: endpoint.level,
      source: endpoint.host,
      detail: [endpoint.protocol, ...endpoint.reasons.map((reason) => reason.source)].join(' · '),
    });
  }
  const reasons = [...page.reasons, ...endpointReasons].sort((a, b) => riskOf(b.level) - riskOf(a.level));
  return { level, reasons };
}
