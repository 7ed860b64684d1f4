import type { ListLevel } from './list-schema.ts';

/** The list made of the policy's own allowlist and blocklist (lib/lists/policy.ts); managed subscriptions keep their own ids and names. */
export const MANAGED_POLICY_LIST_ID = 'managed';
export const MANAGED_POLICY_LIST_NAME = 'Managed policy';

/** Where a list came from. Managed policy is the administrator's; user entries are the person's own. */
export const LIST_SOURCES = ['managed', 'user', 'subscribed', 'bundled'] as const;
export type ListSource = (typeof LIST_SOURCES)[number];

/** What precedence needs to know about one list hit. */
export interface RankedHit {
  readonly source: ListSource;
  readonly specificity: number;
  readonly level: ListLevel;
}

const SOURCE_RANK: Record<ListSource, number> = { managed: 4, user: 3, subscribed: 2, bundled: 1 };
const LEVEL_RANK: Record<ListLevel, number> = { blocked: 3, vetted: 2, official: 1 };

interface PrecedenceRule {
  readonly rule: string;
  readonly why: string;
  /** Positive when `a` wins over `b` by this rule alone; zero when the rule cannot tell them apart. */
  readonly compare: (a: RankedHit, b: RankedHit) => number;
}

/**
 * The whole precedence between list hits for one host, highest row first: a later row only
 * decides between hits that every earlier row found equal.
 */
export const PRECEDENCE: readonly PrecedenceRule[] = [
  {
    rule: 'source: managed > user > subscribed > bundled',
    why: 'an administrator overrides the person, the person overrides subscriptions, subscriptions override what shipped',
    compare: (a, b) => SOURCE_RANK[a.source] - SOURCE_RANK[b.source],
  },
  {
    rule: 'specificity: the pattern naming the host most precisely',
    why: 'a list that names api.example.com said more about it than one that names example.com',
    compare: (a, b) => a.specificity - b.specificity,
  },
  {
    rule: 'level: blocked > vetted > official',
    why: 'between equally specific patterns of one source, the more cautious claim wins',
    compare: (a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level],
  },
];

/** Positive when `a` takes precedence over `b`. */
export function comparePrecedence(a: RankedHit, b: RankedHit): number {
  for (const { compare } of PRECEDENCE) {
    const difference = compare(a, b);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The hit that decides a host's list level; the first of equals, so list order is stable. */
export function winningHit<T extends RankedHit>(hits: readonly T[]): T | null {
  let winner: T | null = null;
  for (const hit of hits) {
    if (winner === null || comparePrecedence(hit, winner) > 0) winner = hit;
  }
  return winner;
}
