import type { ListEntry, RelayList } from '../list-schema.ts';

/**
 * `npm run lists -- diff`: what changed between two versions of a list, in words a reviewer can
 * check before signing: entries added and removed, and for entries in both, level, evidence,
 * reason and category. Entries are matched by canonical pattern, so re-ordering is no change.
 */

export type EntryChange =
  | { readonly kind: 'added'; readonly entry: ListEntry }
  | { readonly kind: 'removed'; readonly entry: ListEntry }
  | { readonly kind: 'level'; readonly pattern: string; readonly from: string; readonly to: string }
  | { readonly kind: 'evidence'; readonly pattern: string; readonly added: readonly string[]; readonly removed: readonly string[] }
  | { readonly kind: 'reason' | 'category' | 'added-date'; readonly pattern: string; readonly from?: string; readonly to?: string };

interface ListDiff {
  readonly header: readonly string[];
  readonly changes: readonly EntryChange[];
}

const HEADER_FIELDS = ['name', 'version', 'updated', 'homepage', 'reportUrl'] as const;

export function diffLists(before: RelayList, after: RelayList): ListDiff {
  const header: string[] = [];
  for (const field of HEADER_FIELDS) {
    if (before[field] !== after[field]) header.push(`${field}: ${quoted(before[field])} → ${quoted(after[field])}`);
  }

  const beforeByPattern = new Map(before.entries.map((entry) => [entry.pattern, entry]));
  const afterPatterns = new Set(after.entries.map((entry) => entry.pattern));
  const changes: EntryChange[] = [];
  for (const entry of after.entries) {
    const old = beforeByPattern.get(entry.pattern);
    if (old === undefined) changes.push({ kind: 'added', entry });
    else changes.push(...entryChanges(old, entry));
  }
  for (const entry of before.entries) if (!afterPatterns.has(entry.pattern)) changes.push({ kind: 'removed', entry });
  return { header, changes };
}

function entryChanges(before: ListEntry, after: ListEntry): EntryChange[] {
  const { pattern } = after;
  const changes: EntryChange[] = [];
  if (before.level !== after.level) changes.push({ kind: 'level', pattern, from: before.level, to: after.level });
  const oldEvidence = before.evidence ?? [];
  const newEvidence = after.evidence ?? [];
  const added = newEvidence.filter((url) => !oldEvidence.includes(url));
  const removed = oldEvidence.filter((url) => !newEvidence.includes(url));
  if (added.length > 0 || removed.length > 0) changes.push({ kind: 'evidence', pattern, added, removed });
  for (const [kind, field] of [
    ['reason', 'reason'],
    ['category', 'category'],
    ['added-date', 'added'],
  ] as const) {
    if (before[field] !== after[field]) {
      changes.push({ kind, pattern, ...(before[field] !== undefined && { from: before[field] }), ...(after[field] !== undefined && { to: after[field] }) });
    }
  }
  return changes;
}

function quoted(value: string | undefined): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

function describeEntry(entry: ListEntry): string {
  const details = [entry.level, entry.category, entry.reason && `reason ${JSON.stringify(entry.reason)}`, entry.evidence?.length && `evidence ${entry.evidence.join(', ')}`];
  return `${entry.pattern} (${details.filter(Boolean).join('; ')})`;
}

export function describeChange(change: EntryChange): string {
  switch (change.kind) {
    case 'added':
      return `added: ${describeEntry(change.entry)}`;
    case 'removed':
      return `removed: ${describeEntry(change.entry)}`;
    case 'level':
      return `level changed: ${change.pattern} ${change.from} → ${change.to}`;
    case 'evidence': {
      const parts = [change.added.length > 0 && `added ${change.added.join(', ')}`, change.removed.length > 0 && `removed ${change.removed.join(', ')}`];
      return `evidence changed: ${change.pattern}: ${parts.filter(Boolean).join('; ')}`;
    }
    default: {
      const field = change.kind === 'added-date' ? 'added date' : change.kind;
      return `${field} changed: ${change.pattern}: ${quoted(change.from)} → ${quoted(change.to)}`;
    }
  }
}

/** `2 added, 1 removed, 1 level changed, …` — only the kinds that occurred. */
export function summarize(changes: readonly EntryChange[]): string {
  const labels: Record<EntryChange['kind'], string> = {
    added: 'added',
    removed: 'removed',
    level: 'level changed',
    evidence: 'evidence changed',
    reason: 'reason changed',
    category: 'category changed',
    'added-date': 'added date changed',
  };
  const counts = new Map<EntryChange['kind'], number>();
  for (const change of changes) counts.set(change.kind, (counts.get(change.kind) ?? 0) + 1);
  if (counts.size === 0) return 'no entry changed';
  return [...counts].map(([kind, count]) => `${count} ${labels[kind]}`).join(', ');
}
