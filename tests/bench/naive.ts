import { patternSpecificity } from '../../lib/core/host-pattern.ts';
import type { ListEntry, RelayList } from '../../lib/lists/list-schema.ts';
import type { ListHit, SourcedList } from '../../lib/lists/matcher.ts';
import { winningHit } from '../../lib/lists/precedence.ts';

/**
 * The baseline the matcher has to beat: one linear scan over every entry of every list per
 * lookup, `host === p || host.endsWith('.' + p)` (the suffix test skipped for exact-only `.p`).
 * `'.' + p` is built once up front rather than per comparison, so the baseline is not slowed
 * by string building it does not need. Hits go through the same winningHit as the matcher,
 * so both answer the same question and can be checked against each other.
 */

interface NaiveEntry {
  readonly host: string;
  readonly dottedHost: string;
  readonly exactHostOnly: boolean;
  readonly listIndex: number;
  readonly entry: ListEntry;
}

export interface NaiveMatcher {
  decide(host: string): ListHit | null;
}

export function compileNaive(lists: readonly SourcedList<RelayList>[]): NaiveMatcher {
  const entries: NaiveEntry[] = [];
  lists.forEach(({ list }, listIndex) => {
    for (const entry of list.entries) {
      const exactHostOnly = entry.pattern.charCodeAt(0) === 46;
      const host = exactHostOnly ? entry.pattern.slice(1) : entry.pattern;
      entries.push({ host, dottedHost: `.${host}`, exactHostOnly, listIndex, entry });
    }
  });

  const toHit = ({ host, exactHostOnly, listIndex, entry }: NaiveEntry): ListHit => {
    const { id, source, list } = lists[listIndex]!;
    return {
      listId: id,
      listName: list.name,
      listVersion: list.version,
      source,
      pattern: entry.pattern,
      level: entry.level,
      specificity: patternSpecificity(host, exactHostOnly),
      ...(entry.category !== undefined && { category: entry.category }),
      ...(entry.reason !== undefined && { reason: entry.reason }),
      ...(entry.evidence !== undefined && { evidence: entry.evidence }),
    };
  };

  return {
    decide(host) {
      const hits: ListHit[] = [];
      for (let i = 0; i < entries.length; i++) {
        const candidate = entries[i]!;
        if (host === candidate.host || (!candidate.exactHostOnly && host.endsWith(candidate.dottedHost))) hits.push(toHit(candidate));
      }
      return winningHit(hits);
    },
  };
}
