import { namesAccountsInPath } from '../core/gateway-accounts.ts';
import { patternSpecificity } from '../core/host-pattern.ts';
import type { ListEntry, ListLevel, RelayList } from './list-schema.ts';
import { comparePrecedence, type ListSource, type RankedHit } from './precedence.ts';

/**
 * Compiles any number of lists into one open-addressing hash table keyed by pattern host, so a
 * lookup costs one probe per label of the host (api.example.com → 3) however many entries
 * there are. At a million entries a JS Map spends most of a lookup slicing suffix strings and
 * hashing them; here every suffix hash comes from one right-to-left pass over the host, a slot
 * holds the stored hash beside the key id (a missed probe touches one slot), and entries are
 * referenced by index instead of one wrapper object each. `npm run bench` measures the result.
 *
 * About 330 lines, kept in one file: the table's layout, its hashing and every question asked of
 * it (host, host and subdomains, gateway account) must change together to stay correct.
 */

export interface SourcedList {
  /** Stable id of the stored list (e.g. `bundled:vendors`, `subscription:<url>`, `user`). */
  readonly id: string;
  readonly source: ListSource;
  readonly list: RelayList;
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
const EMPTY_SLOT = 0;

/** FNV-1a step: cheap, and good enough once finalised by `finalizeHash`. */
function hashStep(hash: number, charCode: number): number {
  return Math.imul(hash ^ charCode, 0x01000193);
}

/** murmur3's finaliser: spreads FNV's weak low bits, which pick the slot. */
function finalizeHash(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) | 0;
}

const HASH_SEED = 0x811c9dc5 | 0;

/** Hash of `text.slice(from)`, computed right to left like the suffix pass below. */
function hashOfSuffix(text: string, from: number): number {
  let hash = HASH_SEED;
  for (let i = text.length - 1; i >= from; i--) hash = hashStep(hash, text.charCodeAt(i));
  return finalizeHash(hash);
}

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

function isExactHostOnly(entry: ListEntry): boolean {
  return entry.pattern.charCodeAt(0) === DOT;
}

/** The pattern host keys and their entries, in an open-addressing table. */
class PatternTable {
  /** Pairs of [hash, keyId + 1]; keyId + 1 === 0 marks an empty slot. */
  readonly #slots: Int32Array;
  readonly #mask: number;
  /** Per key id: the pattern host, and its entry index or indexes (in list order). */
  readonly keys: string[] = [];
  readonly entriesOf: (number | number[])[] = [];

  constructor(entryCount: number) {
    let capacity = 16;
    while (capacity < entryCount * 2) capacity *= 2; // load factor ≤ ½ keeps probe chains short
    this.#slots = new Int32Array(capacity * 2);
    this.#mask = capacity - 1;
  }

  add(patternHost: string, hash: number, entryIndex: number): void {
    for (let slot = hash & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const ref = this.#slots[slot * 2 + 1]!;
      if (ref === EMPTY_SLOT) {
        this.#slots[slot * 2] = hash;
        this.#slots[slot * 2 + 1] = this.keys.push(patternHost);
        this.entriesOf.push(entryIndex);
        return;
      }
      if (this.#slots[slot * 2] === hash && this.keys[ref - 1] === patternHost) {
        const existing = this.entriesOf[ref - 1]!;
        if (typeof existing === 'number') this.entriesOf[ref - 1] = [existing, entryIndex];
        else existing.push(entryIndex);
        return;
      }
    }
  }

  /** Key id of `host.slice(offset)` (whose hash is given), or -1; slices nothing. */
  find(host: string, offset: number, hash: number): number {
    const length = host.length - offset;
    for (let slot = hash & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const ref = this.#slots[slot * 2 + 1]!;
      if (ref === EMPTY_SLOT) return -1;
      if (this.#slots[slot * 2] === hash) {
        const key = this.keys[ref - 1]!;
        if (key.length === length && host.endsWith(key)) return ref - 1;
      }
    }
  }
}

export function compileMatcher(lists: readonly SourcedList[]): Matcher {
  const entryCount = lists.reduce((count, { list }) => count + list.entries.length, 0);
  const entries: ListEntry[] = new Array(entryCount);
  const listIndexOf = new Uint32Array(entryCount);
  const table = new PatternTable(entryCount);
  let hasSingleLabelKey = false;

  /** Gateway account patterns by host: few, so a list per host, searched by prefix. */
  const accountEntries = new Map<string, { pathPrefix: string; at: number }[]>();

  let entryIndex = 0;
  lists.forEach(({ list }, listIndex) => {
    for (const entry of list.entries) {
      entries[entryIndex] = entry;
      listIndexOf[entryIndex] = listIndex;
      const slash = entry.pattern.indexOf('/');
      if (slash > 0) {
        const host = entry.pattern.slice(0, slash);
        const known = accountEntries.get(host) ?? [];
        known.push({ pathPrefix: entry.pattern.slice(slash), at: entryIndex });
        accountEntries.set(host, known);
        entryIndex++;
        continue;
      }
      const patternHost = isExactHostOnly(entry) ? entry.pattern.slice(1) : entry.pattern;
      table.add(patternHost, hashOfSuffix(patternHost, 0), entryIndex);
      if (!patternHost.includes('.')) hasSingleLabelKey = true;
      entryIndex++;
    }
  });

  // Scratch space for one lookup's suffixes (index 0 is the whole host); lookups are synchronous.
  const suffixOffsets = new Int32Array(MAX_LABELS);
  const suffixHashes = new Int32Array(MAX_LABELS);

  /** Fills the suffix scratch arrays in one right-to-left pass; returns how many to probe. */
  const prepareSuffixes = (host: string): number => {
    if (isIpLiteral(host)) {
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
    labels++;
    // Longest suffix first, as `match` promises.
    suffixOffsets.subarray(0, labels).reverse();
    suffixHashes.subarray(0, labels).reverse();
    // Patterns are never a bare TLD (host-pattern rejects them), so the last probe can only miss.
    return !hasSingleLabelKey && labels > 1 ? labels - 1 : labels;
  };

  const rankOf = (at: number, patternHost: string): RankedHit => {
    const entry = entries[at]!;
    return {
      source: lists[listIndexOf[at]!]!.source,
      level: entry.level,
      specificity: patternSpecificity(patternHost, isExactHostOnly(entry) || isIpLiteral(patternHost)) + accountSpecificity(entry.pattern),
    };
  };

  const toHit = (at: number, patternHost: string): ListHit => {
    const entry = entries[at]!;
    const { id, source, list } = lists[listIndexOf[at]!]!;
    return {
      listId: id,
      listName: list.name,
      listVersion: list.version,
      source,
      pattern: entry.pattern,
      level: entry.level,
      specificity: rankOf(at, patternHost).specificity,
      ...(entry.category !== undefined && { category: entry.category }),
      ...(entry.reason !== undefined && { reason: entry.reason }),
      ...(entry.evidence !== undefined && { evidence: entry.evidence }),
    };
  };

  /** Calls `visit` for every entry that applies to `host`, longest pattern host first. */
  const forEachApplicable = (host: string, visit: (entryIndex: number, patternHost: string) => void): void => {
    const probes = prepareSuffixes(host);
    for (let probe = 0; probe < probes; probe++) {
      const keyId = table.find(host, suffixOffsets[probe]!, suffixHashes[probe]!);
      if (keyId === -1) continue;
      const patternHost = table.keys[keyId]!;
      const indexes = table.entriesOf[keyId]!;
      for (const at of typeof indexes === 'number' ? [indexes] : indexes) {
        // An exact-host pattern (`.example.com`) applies to its own host, not to subdomains.
        if (probe === 0 || !isExactHostOnly(entries[at]!)) visit(at, patternHost);
      }
    }
  };

  /**
   * The winning hit among the host's entries that `skip` leaves out, and `extra` (account entries,
   * already known to apply). Ranks in place and builds a ListHit only for the winner: this runs
   * on every navigation and AI call, and nearly every host misses.
   */
  const decideAmong = (host: string, skip?: (at: number) => boolean, extra: readonly number[] = []): ListHit | null => {
    let winner = -1;
    let winnerHost = '';
    let best: RankedHit | null = null;
    const consider = (at: number, patternHost: string) => {
      const rank = rankOf(at, patternHost);
      if (best === null || comparePrecedence(rank, best) > 0) {
        best = rank;
        winner = at;
        winnerHost = patternHost;
      }
    };
    forEachApplicable(host, (at, patternHost) => {
      if (!skip?.(at)) consider(at, patternHost);
    });
    for (const at of extra) consider(at, host);
    return winner === -1 ? null : toHit(winner, winnerHost);
  };

  const decide = (host: string): ListHit | null => decideAmong(host);

  /** A subdomain of `host` that no pattern names: its lookup sees only what `host` passes down. */
  const unnamedSubdomainOf = (host: string): string => {
    let probe = `rg-probe-subdomain.${host}`;
    for (let n = 2; table.find(probe, 0, hashOfSuffix(probe, 0)) !== -1; n++) probe = `rg-probe-subdomain-${n}.${host}`;
    return probe;
  };

  return {
    match(host) {
      const hits: ListHit[] = [];
      forEachApplicable(host, (at, patternHost) => hits.push(toHit(at, patternHost)));
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
      forEachApplicable(host, (at, patternHost) => {
        const rank = rankOf(at, patternHost);
        if (hostBest === null || comparePrecedence(rank, hostBest) > 0) hostBest = rank;
        if (patternHost === host && isExactHostOnly(entries[at]!)) return;
        if (subBest === null || comparePrecedence(rank, subBest) > 0) subBest = rank;
      });
      return { host: (hostBest as RankedHit | null)?.level ?? null, subdomains: (subBest as RankedHit | null)?.level ?? null };
    },
    decideEndpoint(host, accountPathPrefix) {
      if (!namesAccountsInPath(host)) return decideAmong(host);
      const accounts = accountPathPrefix === undefined ? [] : (accountEntries.get(host) ?? []).filter((entry) => accountPathPrefix.startsWith(entry.pathPrefix)).map((entry) => entry.at);
      // A host-wide `vetted` entry says who runs the gateway, not whose account the call goes through.
      return decideAmong(host, (at) => entries[at]!.level === 'vetted', accounts);
    },
    entryCount,
    patterns: () => [...new Set(entries.filter((entry) => !entry.pattern.includes('/')).map((entry) => entry.pattern))],
    lists: lists.map(({ id, source }) => ({ id, source })),
  };
}
