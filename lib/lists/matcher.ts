import { namesAccountsInPath } from '../core/gateway-accounts.ts';
import { finalizeHash, HASH_SEED, hashOfSuffix, hashStep, IndexedList } from './indexed-list.ts';
import type { ListLevel, RelayList } from './list-schema.ts';
import { comparePrecedence, type ListSource, type RankedHit } from './precedence.ts';

/**
 * Answers every question asked of the lists at once, over one open-addressing hash table keyed by
 * pattern host, so a lookup costs one probe per label of the host (api.example.com → 3) however
 * many entries and lists there are. At a million entries a JS Map spends most of a lookup slicing
 * suffix strings and hashing them; here every suffix hash comes from one right-to-left pass over
 * the host, and a missed probe touches one slot. Each list hashes its patterns once, when it is
 * validated, and stores the hashes (indexed-list.ts); compiling merges them, hashing nothing.
 * `npm run bench` measures the result.
 *
 * About 350 lines, kept in one file: the table, the precedence walk and every question asked of it
 * (host, host and subdomains, gateway account) must change together to stay correct.
 */

export interface SourcedList<L extends RelayList | IndexedList = RelayList | IndexedList> {
  /** Stable id of the stored list (e.g. `bundled:vendors`, `subscription:<url>`, `user`). */
  readonly id: string;
  readonly source: ListSource;
  /** A validated list, indexed on first use; stored lists come back from storage already indexed. */
  readonly list: L;
}

/** Lists built in this worker (bundled, the person's, the policy's) are indexed once each. */
const indexedLists = new WeakMap<RelayList, IndexedList>();

/** The indexed form of a list, built once per list object. */
function indexedOf(list: RelayList | IndexedList): IndexedList {
  if (list instanceof IndexedList) return list;
  let indexed = indexedLists.get(list);
  if (!indexed) {
    indexed = IndexedList.of(list);
    indexedLists.set(list, indexed);
  }
  return indexed;
}

export function entryCountOf(list: RelayList | IndexedList): number {
  return list instanceof IndexedList ? list.count : list.entries.length;
}

export interface ListHit {
  readonly listId: string;
  readonly listName: string;
  readonly listVersion: string;
  readonly source: ListSource;
  readonly pattern: string;
  readonly level: ListLevel;
  readonly specificity: number;
  readonly category?: string;
  readonly reason?: string;
  readonly evidence?: readonly string[];
}

export interface Matcher {
  /** Every hit for a canonical host (see normalizeHost): the host's own patterns first, then each parent's; list order within one. */
  match(host: string): ListHit[];
  /** The hit that decides the host's list level by PRECEDENCE, or null when no list names it. */
  decide(host: string): ListHit | null;
  /**
   * The hit that decides an AI endpoint: `decide(host)`, except on a gateway that names accounts
   * in its path (lib/core/gateway-accounts.ts), where a `vetted` host entry vouches for no
   * account: only an account pattern (`host/v1/<account>/`) whose prefix starts
   * `accountPathPrefix` vets one. Blocked and official host entries still apply.
   */
  decideEndpoint(host: string, accountPathPrefix?: string): ListHit | null;
  /**
   * The levels `decide` gives `host` and any subdomain of it that no list names, in one pass
   * (`host`'s exact-host patterns count for the host only). Block rules ask this for every
   * pattern host; two `decide` calls and a made-up probe subdomain cost twice as much.
   */
  decideHostAndSubdomains(host: string): HostAndSubdomainLevels;
  readonly entryCount: number;
  /** Every distinct host pattern text across all lists (`example.com`, `.example.com`); account patterns are not host patterns. */
  patterns(): string[];
  readonly lists: readonly Pick<SourcedList, 'id' | 'source'>[];
}

export interface HostAndSubdomainLevels {
  /** `decide(host)?.level ?? null`. */
  readonly host: ListLevel | null;
  /** `decide(sub)?.level ?? null` for a subdomain `sub` of `host` that no pattern names. */
  readonly subdomains: ListLevel | null;
}

const DOT = 46;
/** A host has at most 253 characters, so at most 127 labels. */
const MAX_LABELS = 128;

function isIpLiteral(host: string): boolean {
  // A domain's last label (a TLD) is never all digits: only a host ending in a digit can be IPv4.
  const last = host.charCodeAt(host.length - 1);
  return host.includes(':') || (last >= 48 && last <= 57 && /^\d+\.\d+\.\d+\.\d+$/.test(host));
}

/** An account pattern (`host/v1/<account>/`) outranks its host's patterns: two points per path segment. */
function accountSpecificity(pattern: string): number {
  const slash = pattern.indexOf('/');
  if (slash < 0) return 0;
  let segments = -1;
  for (let i = slash; i < pattern.length; i++) if (pattern.charCodeAt(i) === 47) segments++;
  return 2 * segments;
}

/** Two points per label of `host.slice(offset)`, one more for an exact-host pattern (host-pattern.ts's patternSpecificity, without the slice). */
function specificityAt(host: string, offset: number, exact: boolean): number {
  let labels = 1;
  for (let i = offset; i < host.length; i++) if (host.charCodeAt(i) === DOT) labels++;
  return labels * 2 + (exact ? 1 : 0);
}

/** A gateway account entry of one list, by host. */
interface AccountRef {
  readonly pathPrefix: string;
  readonly list: number;
  readonly at: number;
}

/**
 * One open-addressing table over the host entries of every list, from the hashes each list keeps
 * (nothing is hashed again): pairs of [pattern host hash, entry + 1] over all lists'
 * entries, inserted in list order and entry order, so a probe run meets one pattern host's entries
 * in that order. One probe per label then answers for every list, where a probe per list and
 * label would be a cache miss each.
 */
function mergedTable(tables: readonly IndexedList[], listStart: Int32Array): { slots: Int32Array; mask: number } {
  const accountCount = tables.reduce((count, table) => count + table.accountEntries().length, 0);
  let capacity = 16;
  while (capacity < (listStart[tables.length]! - accountCount) * 2) capacity *= 2; // load factor ≤ ½
  const slots = new Int32Array(capacity * 2);
  const mask = capacity - 1;
  tables.forEach((table, list) => {
    if (table.count === 0) return;
    const hashes = table.entryHashes();
    const isAccount = new Uint8Array(table.count);
    for (const { at } of table.accountEntries()) isAccount[at] = 1;
    const base = listStart[list]!;
    for (let at = 0; at < table.count; at++) {
      if (isAccount[at] === 1) continue;
      const hash = hashes[at]!;
      let slot = hash & mask;
      while (slots[slot * 2 + 1] !== 0) slot = (slot + 1) & mask;
      slots[slot * 2] = hash;
      slots[slot * 2 + 1] = base + at + 1;
    }
  });
  return { slots, mask };
}

export function compileMatcher(lists: readonly SourcedList[]): Matcher {
  const tables = lists.map(({ list }) => indexedOf(list));
  const entryCount = tables.reduce((count, table) => count + table.count, 0);
  // Entry `at` of list `list` is entry listStart[list] + at of all of them.
  const listStart = new Int32Array(tables.length + 1);
  tables.forEach((table, list) => (listStart[list + 1] = listStart[list]! + table.count));
  const listOf = (entry: number): number => {
    let list = 0;
    while (listStart[list + 1]! <= entry) list++;
    return list;
  };
  const { slots, mask } = mergedTable(tables, listStart);
  const hasSingleLabelKey = tables.some((table) => table.hasSingleLabelKey);

  /** Gateway account patterns by host: few, so a list per host, searched by prefix. */
  const accountEntries = new Map<string, AccountRef[]>();
  tables.forEach((table, list) => {
    for (const { host, pathPrefix, at } of table.accountEntries()) {
      const known = accountEntries.get(host) ?? [];
      known.push({ pathPrefix, list, at });
      accountEntries.set(host, known);
    }
  });

  // Scratch space for one lookup's suffixes, shortest first (the last is the whole host); lookups are synchronous.
  const suffixOffsets = new Int32Array(MAX_LABELS);
  const suffixHashes = new Int32Array(MAX_LABELS);

  /** Fills the suffix scratch arrays in one right-to-left pass; returns how many suffixes there are. */
  const prepareSuffixes = (host: string, ipHost: boolean): number => {
    if (ipHost) {
      // IP literals have no parent domains: only the whole address is a key.
      suffixOffsets[0] = 0;
      suffixHashes[0] = hashOfSuffix(host, 0);
      return 1;
    }
    let labels = 0;
    let hash = HASH_SEED;
    for (let i = host.length - 1; i >= 0; i--) {
      const charCode = host.charCodeAt(i);
      if (charCode === DOT && labels < MAX_LABELS - 1) {
        suffixOffsets[labels] = i + 1;
        suffixHashes[labels] = finalizeHash(hash);
        labels++;
      }
      hash = hashStep(hash, charCode);
    }
    suffixOffsets[labels] = 0;
    suffixHashes[labels] = finalizeHash(hash);
    return labels + 1;
  };

  /** Precedence of entry `at` of list `list`, whose pattern host is `host.slice(offset)`. */
  const rankOf = (list: number, at: number, host: string, offset: number, ipHost: boolean): RankedHit => {
    const table = tables[list]!;
    const account = table.accountEntries().length > 0 ? accountSpecificity(table.patternAt(at)) : 0;
    // An IP address has no subdomains: its pattern counts as exact (a suffix of a name never is one).
    const ipPattern = offset === 0 ? ipHost : isIpLiteral(host.slice(offset));
    return { source: lists[list]!.source, level: table.levelAt(at), specificity: specificityAt(host, offset, table.isExactHostOnlyAt(at) || ipPattern) + account };
  };

  /**
   * The ListHit of entry `at` of list `list`. A host entry's pattern text is the host's suffix at
   * `offset` (with the dot of an exact-host pattern): no decoding on the path every lookup takes.
   * An account entry (offset -1) reads its text from the list.
   */
  const toHit = (list: number, at: number, rank: RankedHit, host: string, offset: number): ListHit => {
    const { id, source } = lists[list]!;
    const table = tables[list]!;
    const { category, reason, evidence } = table.detailsAt(at);
    const pattern = offset < 0 ? table.patternAt(at) : `${table.isExactHostOnlyAt(at) ? '.' : ''}${offset === 0 ? host : host.slice(offset)}`;
    return {
      listId: id,
      listName: table.name,
      listVersion: table.version,
      source,
      pattern,
      level: rank.level,
      specificity: rank.specificity,
      ...(category !== undefined && { category }),
      ...(reason !== undefined && { reason }),
      ...(evidence !== undefined && { evidence }),
    };
  };

  /**
   * Calls `visit` for every entry that applies to `host`, longest pattern host first, list order
   * within one. `offset` is where the entry's pattern host starts in `host`.
   */
  const forEachApplicable = (host: string, visit: (list: number, at: number, offset: number, ipHost: boolean) => void): void => {
    const ipHost = isIpLiteral(host);
    const suffixes = prepareSuffixes(host, ipHost);
    // Longest suffix first, as `match` promises. Patterns are never a bare TLD (host-pattern
    // rejects them), so the shortest suffix is probed only where a list has a single-label key.
    const last = !hasSingleLabelKey && suffixes > 1 ? 1 : 0;
    for (let probe = suffixes - 1; probe >= last; probe--) {
      const offset = suffixOffsets[probe]!;
      const hash = suffixHashes[probe]!;
      for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
        const ref = slots[slot * 2 + 1]!;
        if (ref === 0) break;
        if (slots[slot * 2] !== hash) continue;
        const list = listOf(ref - 1);
        const at = ref - 1 - listStart[list]!;
        const table = tables[list]!;
        // An exact-host pattern (`.example.com`) applies to its own host, not to subdomains.
        if (table.hostIs(at, host, offset) && (offset === 0 || !table.isExactHostOnlyAt(at))) visit(list, at, offset, ipHost);
      }
    }
  };

  /**
   * The winning hit among the host's entries that `skip` leaves out, and `extra` (account entries,
   * already known to apply). Ranks in place and builds a ListHit only for the winner: this runs
   * on every navigation and AI call, and nearly every host misses.
   */
  const decideAmong = (host: string, skip?: (list: number, at: number) => boolean, extra: readonly AccountRef[] = []): ListHit | null => {
    let winnerList = -1;
    let winnerAt = -1;
    let winnerOffset = 0;
    let best: RankedHit | null = null;
    const consider = (list: number, at: number, offset: number, ipHost: boolean, account: boolean) => {
      const rank = rankOf(list, at, host, offset, ipHost);
      if (best === null || comparePrecedence(rank, best) > 0) {
        best = rank;
        winnerList = list;
        winnerAt = at;
        winnerOffset = account ? -1 : offset;
      }
    };
    forEachApplicable(host, (list, at, offset, ipHost) => {
      if (!skip?.(list, at)) consider(list, at, offset, ipHost, false);
    });
    for (const { list, at } of extra) consider(list, at, 0, isIpLiteral(host), true);
    return best === null ? null : toHit(winnerList, winnerAt, best, host, winnerOffset);
  };

  const decide = (host: string): ListHit | null => decideAmong(host);

  const anyListHasKey = (host: string): boolean => {
    const hash = hashOfSuffix(host, 0);
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const ref = slots[slot * 2 + 1]!;
      if (ref === 0) return false;
      const list = listOf(ref - 1);
      if (slots[slot * 2] === hash && tables[list]!.hostIs(ref - 1 - listStart[list]!, host, 0)) return true;
    }
  };

  /** A subdomain of `host` that no pattern names: its lookup sees only what `host` passes down. */
  const unnamedSubdomainOf = (host: string): string => {
    let probe = `rg-probe-subdomain.${host}`;
    for (let n = 2; anyListHasKey(probe); n++) probe = `rg-probe-subdomain-${n}.${host}`;
    return probe;
  };

  return {
    match(host) {
      const hits: ListHit[] = [];
      forEachApplicable(host, (list, at, offset, ipHost) => hits.push(toHit(list, at, rankOf(list, at, host, offset, ipHost), host, offset)));
      return hits;
    },
    decide,
    decideHostAndSubdomains(this: Matcher, host) {
      // A wrapper that changes decide (the policy's locks) gets decide's own answers, asked twice.
      if (this.decide !== decide) {
        return { host: this.decide(host)?.level ?? null, subdomains: this.decide(unnamedSubdomainOf(host))?.level ?? null };
      }
      // The same visits in the same order as decide(host) and decide(sub): a subdomain's lookup
      // sees exactly host's entries minus its exact-host ones, so both winners come from one pass.
      let hostBest: RankedHit | null = null;
      let subBest: RankedHit | null = null;
      forEachApplicable(host, (list, at, offset, ipHost) => {
        const rank = rankOf(list, at, host, offset, ipHost);
        if (hostBest === null || comparePrecedence(rank, hostBest) > 0) hostBest = rank;
        if (offset === 0 && tables[list]!.isExactHostOnlyAt(at)) return;
        if (subBest === null || comparePrecedence(rank, subBest) > 0) subBest = rank;
      });
      return { host: (hostBest as RankedHit | null)?.level ?? null, subdomains: (subBest as RankedHit | null)?.level ?? null };
    },
    decideEndpoint(host, accountPathPrefix) {
      if (!namesAccountsInPath(host)) return decideAmong(host);
      const accounts = accountPathPrefix === undefined ? [] : (accountEntries.get(host) ?? []).filter((entry) => accountPathPrefix.startsWith(entry.pathPrefix));
      // A host-wide `vetted` entry says who runs the gateway, not whose account the call goes through.
      return decideAmong(host, (list, at) => tables[list]!.levelAt(at) === 'vetted', accounts);
    },
    entryCount,
    patterns: () => {
      const distinct = new Set<string>();
      for (const table of tables) for (const pattern of table.patterns()) if (!pattern.includes('/')) distinct.add(pattern);
      return [...distinct];
    },
    lists: lists.map(({ id, source }) => ({ id, source })),
  };
}
