import type { z } from 'zod';
import { listEntrySchema, listSchema, type ListEntry, type RelayList } from '../list-schema.ts';
import { compileMatcher, type ListHit, type Matcher, type SourcedList } from '../matcher.ts';
import { winningHit } from '../precedence.ts';

/**
 * `npm run lists -- lint`: everything the extension would refuse (the same zod schema), and what it
 * would accept but a maintainer almost certainly did not mean: duplicates, entries that change
 * nothing, unknown fields, and blocks that would reach a first-party vendor host. The last one is
 * the guard against a bad update: a subscribed list outranks the bundled vendor list, so one stray
 * `openai.com` would block the real API for every subscriber.
 */

type Severity = 'error' | 'warning';

export interface LintProblem {
  readonly severity: Severity;
  /** Index into `entries`, when the problem is one entry's. */
  readonly entry?: number;
  /** The entry's pattern as written, to find it in the file. */
  readonly pattern?: string;
  /** The field, as a path inside the entry or the list (`evidence[0]`, `version`). */
  readonly field?: string;
  readonly message: string;
}

interface LintReport {
  readonly problems: readonly LintProblem[];
  /** Entries that passed the schema. */
  readonly validEntries: number;
  readonly totalEntries: number;
}

const ENTRY_FIELDS = new Set(Object.keys(listEntrySchema.unwrap().shape));
const LIST_FIELDS = new Set(Object.keys(listSchema.unwrap().shape));

function pathText(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}

function issuesToProblems(issues: z.ZodError['issues'], at: Pick<LintProblem, 'entry' | 'pattern'>): LintProblem[] {
  return issues.map((issue) => {
    const field = pathText(issue.path);
    return { severity: 'error', ...at, ...(field !== '' && { field }), message: issue.message };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A pattern as written, shortened so one hostile entry cannot flood the report. */
function writtenPattern(raw: unknown): string | undefined {
  if (!isRecord(raw) || typeof raw.pattern !== 'string') return undefined;
  return raw.pattern.length > 80 ? `${raw.pattern.slice(0, 79)}…` : raw.pattern;
}

const hostOf = (pattern: string): string => (pattern.startsWith('.') ? pattern.slice(1) : pattern);

export function lintListText(text: string, vendorLists: readonly SourcedList<RelayList>[]): LintReport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    return { problems: [{ severity: 'error', message: `not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}` }], validEntries: 0, totalEntries: 0 };
  }
  return lintListValue(raw, vendorLists);
}

function lintListValue(raw: unknown, vendorLists: readonly SourcedList<RelayList>[]): LintReport {
  if (!isRecord(raw)) return { problems: [{ severity: 'error', message: 'a list is a JSON object with name, version, updated and entries' }], validEntries: 0, totalEntries: 0 };
  const problems: LintProblem[] = [];

  // The list's own fields, checked apart from its entries so every entry problem is reported on its own.
  const header = listSchema.safeParse({ ...raw, entries: [] });
  if (!header.success) problems.push(...issuesToProblems(header.error.issues, {}));
  for (const key of Object.keys(raw)) {
    if (!LIST_FIELDS.has(key)) problems.push({ severity: 'warning', field: key, message: `unknown field "${key}" is ignored` });
  }
  if (!Array.isArray(raw.entries)) {
    if (raw.entries !== undefined) problems.push({ severity: 'error', field: 'entries', message: 'entries must be an array' });
    return { problems, validEntries: 0, totalEntries: 0 };
  }

  const rawEntries: unknown[] = raw.entries;
  const valid: { index: number; entry: ListEntry }[] = [];
  rawEntries.forEach((rawEntry, index) => {
    const pattern = writtenPattern(rawEntry);
    const at = { entry: index, ...(pattern !== undefined && { pattern }) };
    const parsed = listEntrySchema.safeParse(rawEntry);
    if (!parsed.success) {
      problems.push(...issuesToProblems(parsed.error.issues, at));
      return;
    }
    if (isRecord(rawEntry)) {
      for (const key of Object.keys(rawEntry)) {
        if (!ENTRY_FIELDS.has(key)) problems.push({ severity: 'warning', ...at, field: key, message: `unknown field "${key}" is ignored` });
      }
    }
    valid.push({ index, entry: parsed.data });
  });

  // Duplicates: the extension refuses a list with two entries for one canonical pattern.
  const indexOfPattern = new Map<string, number>();
  const unique: { index: number; entry: ListEntry }[] = [];
  for (const item of valid) {
    const first = indexOfPattern.get(item.entry.pattern);
    if (first === undefined) {
      indexOfPattern.set(item.entry.pattern, item.index);
      unique.push(item);
    } else {
      problems.push({
        severity: 'error',
        entry: item.index,
        pattern: item.entry.pattern,
        field: 'pattern',
        message: `duplicates entries[${first}] (${item.entry.pattern})`,
      });
    }
  }

  const list: RelayList = {
    name: typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name : 'list',
    version: typeof raw.version === 'string' && raw.version.trim() !== '' ? raw.version : '0',
    updated: '1970-01-01',
    entries: unique.map(({ entry }) => entry),
  };
  // The same matcher and precedence the extension decides with, with this list as a subscription.
  const matcher = compileMatcher([{ id: 'linted', source: 'subscribed', list }]);
  problems.push(...shadowedEntries(unique, matcher.match, indexOfPattern));
  const officialLists = vendorLists.map((sourced) => ({ ...sourced, list: { ...sourced.list, entries: sourced.list.entries.filter((entry) => entry.level === 'official') } }));
  const vendorMatcher = compileMatcher(officialLists);
  problems.push(...vendorBlocks(unique, matcher.match, vendorMatcher, officialLists));
  problems.push(...unknownOfficials(unique, vendorMatcher));

  problems.sort((a, b) => (a.entry ?? -1) - (b.entry ?? -1));
  return { problems, validEntries: valid.length, totalEntries: rawEntries.length };
}

/**
 * An entry is shadowed when removing it changes no verdict: the pattern that would decide its
 * hosts without it (the most precise broader one in the list) already gives the same level.
 * A more precise entry with a different level is an exception, and meant.
 */
function shadowedEntries(
  entries: readonly { index: number; entry: ListEntry }[],
  match: (host: string) => ListHit[],
  indexOfPattern: ReadonlyMap<string, number>,
): LintProblem[] {
  const problems: LintProblem[] = [];
  for (const { index, entry } of entries) {
    const host = hostOf(entry.pattern);
    const exact = entry.pattern.startsWith('.');
    // Broader patterns only: never the entry itself, and for `example.com` not `.example.com`, which covers less.
    const broader = match(host).filter((hit) => hit.pattern !== entry.pattern && !(hit.pattern.startsWith('.') && !exact));
    const decider = winningHit(broader);
    if (decider === null || decider.level !== entry.level) continue;
    problems.push({
      severity: 'warning',
      entry: index,
      pattern: entry.pattern,
      field: 'pattern',
      message: `shadowed by entries[${indexOfPattern.get(decider.pattern)}] (${decider.pattern}), which already makes every host it matches ${entry.level}; this entry changes nothing`,
    });
  }
  return problems;
}

/** Blocked entries that would reach a host the bundled vendor list calls official, in either direction. */
function vendorBlocks(
  entries: readonly { index: number; entry: ListEntry }[],
  match: (host: string) => ListHit[],
  vendorMatcher: Matcher,
  officialLists: readonly SourcedList<RelayList>[],
): LintProblem[] {
  const reached = new Map<number, string[]>();
  const note = (index: number, vendorPattern: string): void => {
    const hosts = reached.get(index) ?? [];
    if (!hosts.includes(vendorPattern)) hosts.push(vendorPattern);
    reached.set(index, hosts);
  };
  const indexOf = new Map(entries.map(({ index, entry }) => [entry.pattern, index]));

  // The blocked host is itself a vendor host or under one (`eu.api.openai.com`).
  for (const { index, entry } of entries) {
    if (entry.level !== 'blocked') continue;
    // Every hit counts: the matcher returns exact-host vendor patterns only for the very same host.
    for (const hit of vendorMatcher.match(hostOf(entry.pattern))) note(index, hit.pattern);
  }
  // The blocked pattern covers a vendor host (`openai.com` covers `api.openai.com`).
  for (const vendorPattern of vendorMatcher.patterns()) {
    for (const hit of match(hostOf(vendorPattern))) {
      if (hit.level === 'blocked') note(indexOf.get(hit.pattern)!, vendorPattern);
    }
  }

  const vendorListName = (pattern: string): string =>
    officialLists.find(({ list }) => list.entries.some((entry) => entry.pattern === pattern))?.list.name ?? 'the bundled vendor list';
  const entryAt = new Map(entries.map(({ index, entry }) => [index, entry]));
  return [...reached].map(([index, vendorPatterns]) => {
    const entry = entryAt.get(index)!;
    const shown = vendorPatterns.slice(0, 3).join(', ') + (vendorPatterns.length > 3 ? ` and ${vendorPatterns.length - 3} more` : '');
    return {
      severity: 'error',
      entry: index,
      pattern: entry.pattern,
      field: 'pattern',
      message: `would block first-party vendor host${vendorPatterns.length > 1 ? 's' : ''} ${shown} (official in ${vendorListName(vendorPatterns[0]!)}): a subscribed list outranks the bundled one`,
    };
  });
}

/** `official` claims a first-party vendor host: one the bundled vendor list does not know deserves a second look. */
function unknownOfficials(entries: readonly { index: number; entry: ListEntry }[], vendorMatcher: Matcher): LintProblem[] {
  return entries
    .filter(({ entry }) => entry.level === 'official' && vendorMatcher.match(hostOf(entry.pattern)).length === 0)
    .map(({ index, entry }) => ({
      severity: 'warning',
      entry: index,
      pattern: entry.pattern,
      field: 'level',
      message: 'official, but the bundled vendor list does not name this host: "official" is for first-party AI vendor hosts; check that a vendor really runs it',
    }));
}

/** `list.json: entries[3] (relay.example) evidence: …` — the file, the entry, the field. */
export function formatProblem(file: string, problem: LintProblem): string {
  const entry = problem.entry === undefined ? undefined : `entries[${problem.entry}]${problem.pattern !== undefined ? ` (${problem.pattern})` : ''}`;
  const where = [entry, problem.field].filter((part) => part !== undefined).join(' ');
  return `${problem.severity}: ${file}: ${where === '' ? '' : `${where}: `}${problem.message}`;
}
