import { patternSpecificity } from './host-pattern.ts';
import type { ListEntry, ListLevel, RelayList } from './list-schema.ts';
import { winningHit, type ListSource } from './precedence.ts';

/**
 * Compiles any number of lists into one hash map keyed by pattern host, so a lookup costs one
 * map probe per label of the host (api.example.com → 3 probes) however many entries there are.
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
  readonly entryCount: number;
  /** Every distinct pattern text across all lists (`example.com`, `.example.com`). */
  patterns(): string[];
  readonly lists: readonly Pick<SourcedList, 'id' | 'source'>[];
}

interface CompiledEntry {
  readonly listIndex: number;
  readonly entry: ListEntry;
}

const DOT = 46;

export function compileMatcher(lists: readonly SourcedList[]): Matcher {
  const byHost = new Map<string, CompiledEntry | CompiledEntry[]>();
  let entryCount = 0;
  lists.forEach(({ list }, listIndex) => {
    for (const entry of list.entries) {
      const key = entry.pattern.charCodeAt(0) === DOT ? entry.pattern.slice(1) : entry.pattern;
      const compiled: CompiledEntry = { listIndex, entry };
      const existing = byHost.get(key);
      if (existing === undefined) byHost.set(key, compiled);
      else if (Array.isArray(existing)) existing.push(compiled);
      else byHost.set(key, [existing, compiled]);
      entryCount++;
    }
  });

  const toHit = ({ listIndex, entry }: CompiledEntry, patternHost: string): ListHit => {
    const { id, source, list } = lists[listIndex]!;
    const exact = entry.pattern.charCodeAt(0) === DOT;
    return {
      listId: id,
      listName: list.name,
      listVersion: list.version,
      source,
      pattern: entry.pattern,
      level: entry.level,
      specificity: patternSpecificity(patternHost, exact || isIpLiteral(patternHost)),
      ...(entry.category !== undefined && { category: entry.category }),
      ...(entry.reason !== undefined && { reason: entry.reason }),
      ...(entry.evidence !== undefined && { evidence: entry.evidence }),
    };
  };

  const collect = (hits: ListHit[], candidates: CompiledEntry | CompiledEntry[] | undefined, patternHost: string, isWholeHost: boolean) => {
    if (candidates === undefined) return;
    for (const candidate of Array.isArray(candidates) ? candidates : [candidates]) {
      const exactHostOnly = candidate.entry.pattern.charCodeAt(0) === DOT;
      if (isWholeHost || !exactHostOnly) hits.push(toHit(candidate, patternHost));
    }
  };

  const match = (host: string): ListHit[] => {
    const hits: ListHit[] = [];
    collect(hits, byHost.get(host), host, true);
    // IP literals have no parent domains; IPv6 has no dots and IPv4 "parents" are meaningless.
    if (isIpLiteral(host)) return hits;
    for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
      const parent = host.slice(dot + 1);
      collect(hits, byHost.get(parent), parent, false);
    }
    return hits;
  };

  return {
    match,
    decide: (host) => winningHit(match(host)),
    entryCount,
    patterns: () => {
      const texts = new Set<string>();
      for (const candidates of byHost.values()) {
        for (const { entry } of Array.isArray(candidates) ? candidates : [candidates]) texts.add(entry.pattern);
      }
      return [...texts];
    },
    lists: lists.map(({ id, source }) => ({ id, source })),
  };
}

function isIpLiteral(host: string): boolean {
  return host.includes(':') || /^\d+\.\d+\.\d+\.\d+$/.test(host);
}
