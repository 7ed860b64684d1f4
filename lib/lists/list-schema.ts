import { z } from 'zod';
import { parseListPattern } from '../core/host-pattern.ts';
import { lazy } from '../core/lazy.ts';
import { err, ok, type Result } from '../core/result.ts';
import { canonicalPatternFast } from './canonical-pattern.ts';
import { isCertainHttpUrl, isCertainIsoDate } from './certain-formats.ts';
import { certainlyDistinct } from './distinct-patterns.ts';
import { MAX_REFRESH_MINUTES } from './refresh-schedule.ts';

/**
 * List format v1: the one shape for bundled, subscribed, imported and managed lists.
 * Documented in README.md ("List format v1"); change both together.
 */

export const LIST_LEVELS = ['official', 'vetted', 'blocked'] as const;
export type ListLevel = (typeof LIST_LEVELS)[number];

const MAX_ENTRIES = 2_000_000;
const MAX_CATEGORY_LENGTH = 64;
const MAX_REASON_LENGTH = 1000;
const MAX_EVIDENCE = 20;
const MAX_URL_LENGTH = 2048;

/**
 * The schemas, built on their first use rather than when the module loads: zod's classic API is
 * slow to build (about 5 ms of every cold start of the service worker, which validates no list
 * to start: lists are validated at the door, when they are downloaded or imported).
 */
const schemas = lazy(() => {
  const evidenceUrl = z.url({ protocol: /^https?$/, error: 'evidence must be an http(s) URL' }).max(MAX_URL_LENGTH);
  const isoDate = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'must be an ISO 8601 date such as 2026-11-26 or 2026-11-26T08:00:00Z',
  });

  /**
   * Normalises the pattern to its canonical text, so storage and matching never see `Example.COM.`:
   * a host pattern, or one account on a multi-tenant gateway (`gateway.ai.cloudflare.com/v1/<account>/`).
   */
  const hostPattern = z.string().transform((text, ctx) => {
    // Most patterns are already canonical: the fast path says so without a URL parse.
    const canonical = canonicalPatternFast(text);
    if (canonical !== null) return canonical;
    const parsed = parseListPattern(text);
    if (parsed.ok) return parsed.value.text;
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  });

  // Unknown keys are dropped, not rejected: a list written for a newer RelayGuard still loads here.
  const listEntryShape = {
    pattern: hostPattern,
    level: z.enum(LIST_LEVELS, { error: 'level must be "official", "vetted" or "blocked"' }),
    category: z.string().trim().min(1).max(MAX_CATEGORY_LENGTH).optional(),
    reason: z.string().trim().min(1).max(MAX_REASON_LENGTH).optional(),
    evidence: z.array(evidenceUrl).max(MAX_EVIDENCE).optional(),
    added: isoDate.optional(),
  };
  const listEntrySchema = z
    .object(listEntryShape)
    .superRefine((entry, ctx) => {
      // Blocking is the strongest claim RelayGuard makes about someone's site: it needs public proof.
      if (entry.level === 'blocked' && !entry.evidence?.length) {
        ctx.addIssue({ code: 'custom', path: ['evidence'], message: 'a blocked entry needs at least one evidence URL' });
      }
      // An account is vetted within a gateway the lists already judge by host; blocking or calling
      // one account official would need block rules by path, which RelayGuard does not make.
      if (isAccountPattern(entry.pattern) && entry.level !== 'vetted') {
        ctx.addIssue({ code: 'custom', path: ['level'], message: 'a gateway account pattern (host/path) can only be "vetted"' });
      }
    });

  const listHeaderShape = {
    name: z.string().trim().min(1, 'name must not be empty').max(200),
    version: z.string().trim().min(1, 'version must not be empty').max(64),
    updated: isoDate,
    homepage: z.url({ protocol: /^https?$/ }).optional(),
    /** How often subscribers fetch the list again (lib/lists/refresh-schedule.ts applies the floor). */
    refreshMinutes: z
      .number({ error: 'refreshMinutes must be a number of minutes' })
      .int('refreshMinutes must be a whole number of minutes')
      .min(1, 'refreshMinutes must be at least 1')
      .max(MAX_REFRESH_MINUTES, `refreshMinutes must be at most ${MAX_REFRESH_MINUTES} (7 days)`)
      .optional(),
    /**
     * Where people report what this list missed or got wrong: a tracker's "new issue" address
     * (https). The popup opens it with `title` and `body` query parameters filled from the report.
     */
    reportUrl: z.url({ protocol: /^https$/, error: 'reportUrl must be an https URL' }).max(MAX_URL_LENGTH).optional(),
  };
  /** The list without its entries: what parseList's fast path asks zod about once per list. */
  const listHeaderSchema = z.object(listHeaderShape);

  const listSchema = z
    .object({ ...listHeaderShape, entries: z.array(listEntrySchema).max(MAX_ENTRIES) })
    .superRefine((list, ctx) => {
      const firstIndexOf = new Map<string, number>();
      list.entries.forEach((entry, index) => {
        const first = firstIndexOf.get(entry.pattern);
        if (first === undefined) firstIndexOf.set(entry.pattern, index);
        else ctx.addIssue({ code: 'custom', path: ['entries', index, 'pattern'], message: `duplicates entries[${first}] (${entry.pattern})` });
      });
    });

  /** An entry's keys in the schema's order: the order zod writes them in. */
  const entryKeys = Object.keys(listEntryShape);

  return { listEntrySchema, listHeaderSchema, listSchema, entryKeys };
});

/** One entry of a list (`z.lazy`: the schema itself is built on first use, see above). */
export const listEntrySchema = z.lazy(() => schemas().listEntrySchema);
/** A whole list (`z.lazy`, as listEntrySchema). */
export const listSchema = z.lazy(() => schemas().listSchema);

export type ListEntry = z.output<typeof listEntrySchema>;

/** Whether a canonical pattern names a gateway account (`host/path/`) rather than a host. */
function isAccountPattern(pattern: string): boolean {
  return pattern.includes('/');
}
export type RelayList = z.output<typeof listSchema>;

/** `entries[3].evidence[0]: evidence must be an http(s) URL` — one line per problem, capped. */
export function formatIssues(error: z.ZodError, maxIssues = 20): string[] {
  const lines = error.issues.slice(0, maxIssues).map((issue) => {
    const path = issue.path
      .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
      .join('');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  if (error.issues.length > maxIssues) lines.push(`… and ${error.issues.length - maxIssues} more problems`);
  return lines;
}

export interface ListValidationError {
  readonly message: string;
  readonly issues: readonly string[];
}

/** Validates untrusted JSON text or an already-parsed value as a v1 list. */
export function parseList(input: unknown): Result<RelayList, ListValidationError> {
  if (typeof input !== 'string') return parseListValue(input, false);
  let json: unknown;
  try {
    json = JSON.parse(input);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return err({ message: 'The list is not valid JSON.', issues: [detail] });
  }
  return parseListValue(json, true);
}

/**
 * parseList for a value fresh from JSON.parse that the caller hands over and does not use again
 * (a download): entries already exactly as the schema would make them are kept, not copied, so a
 * 1M-entry list is not held twice. The answer is the same as parseList's.
 */
export function parseListJson(json: unknown): Result<RelayList, ListValidationError> {
  return parseListValue(json, true);
}

function parseListValue(value: unknown, ownsValue: boolean): Result<RelayList, ListValidationError> {
  const fast = parseValidListFast(value, ownsValue);
  return fast === null ? parseListWithZod(value) : ok(fast);
}

/**
 * The list schema alone, the one definition of the format: parseList answers exactly this for
 * every input (list-schema-fast.test.ts holds it to that), only faster for valid lists.
 */
export function parseListWithZod(value: unknown): Result<RelayList, ListValidationError> {
  const parsed = listSchema.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  const issues = formatIssues(parsed.error);
  return err({ message: `The list is not a valid RelayGuard list: ${issues[0]}`, issues });
}

/**
 * listSchema's output for a valid list, or null for any list it would refuse (parseListWithZod
 * then words the errors, in zod's order). zod checks the header once; each entry goes through
 * listEntryFast, and only the entries it is unsure of through listEntrySchema; duplicates are
 * found by sorting hashes (distinct-patterns.ts). zod alone builds a payload, an issue list and
 * an object per field of every entry: several times slower on a big download (README, Performance).
 */
function parseValidListFast(value: unknown, ownsValue: boolean): RelayList | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const input = (value as { entries?: unknown }).entries;
  if (!Array.isArray(input) || input.length > MAX_ENTRIES) return null;
  const header = schemas().listHeaderSchema.safeParse(value);
  if (!header.success) return null;
  const entries: ListEntry[] = [];
  const patterns: string[] = [];
  for (let i = 0; i < input.length; i++) {
    const item: unknown = input[i];
    let entry = listEntryFast(item, ownsValue);
    if (entry === null) {
      const parsed = schemas().listEntrySchema.safeParse(item);
      if (!parsed.success) return null;
      entry = parsed.data;
    }
    entries.push(entry);
    patterns.push(entry.pattern);
  }
  // A duplicate (zod names both entries), or patterns crafted to share hashes.
  if (!certainlyDistinct(patterns)) return null;
  return { ...header.data, entries };
}

const LEVEL_SET: ReadonlySet<unknown> = new Set(LIST_LEVELS);

/** A trimmed optional string field within bounds, undefined when absent, null when unsure. */
function trimmedField(entry: object, key: string, text: unknown, maxLength: number): string | undefined | null {
  if (text === undefined) return key in entry ? null : undefined;
  if (typeof text !== 'string') return null;
  const trimmed = text.trim();
  // UTF-16 units bound code points from above, so within `maxLength` units zod's max holds too.
  return trimmed.length >= 1 && trimmed.length <= maxLength ? trimmed : null;
}

/** Whether the object's keys are schema keys only, in the schema's order: as zod would write them. */
function hasSchemaKeysInOrder(entry: object): boolean {
  const keys = schemas().entryKeys;
  let next = 0;
  for (const key in entry) {
    while (next < keys.length && keys[next] !== key) next++;
    if (next++ === keys.length) return false;
  }
  return true;
}

/**
 * listEntrySchema's output for an entry of the common shape (a JSON object, fields of the right
 * primitive types, a canonical host pattern, evidence URLs and dates certainly valid), built in
 * the schema's key order with unknown keys dropped; null whenever it is not sure, and the schema
 * decides. It only ever says yes to what the schema would accept with the same output. With
 * `reuse` (the value is fresh JSON nobody else holds) an entry already in exactly that form is
 * returned itself.
 */
export function listEntryFast(value: unknown, reuse = false): ListEntry | null {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return null;
  const { pattern, level, category, reason, evidence, added } = value as Record<string, unknown>;
  if (typeof pattern !== 'string' || !LEVEL_SET.has(level)) return null;
  // A fast-path pattern is a host pattern, never a gateway account (`host/path/`): the text as it is.
  if (canonicalPatternFast(pattern) === null) return null;
  const categoryOut = trimmedField(value, 'category', category, MAX_CATEGORY_LENGTH);
  if (categoryOut === null) return null;
  const reasonOut = trimmedField(value, 'reason', reason, MAX_REASON_LENGTH);
  if (reasonOut === null) return null;
  if (evidence !== undefined) {
    if (!Array.isArray(evidence) || evidence.length > MAX_EVIDENCE) return null;
    for (let i = 0; i < evidence.length; i++) {
      const url: unknown = evidence[i];
      if (typeof url !== 'string' || !isCertainHttpUrl(url, MAX_URL_LENGTH)) return null;
    }
  } else if ('evidence' in value) return null;
  if (level === 'blocked' && !(evidence as unknown[] | undefined)?.length) return null;
  if (added !== undefined) {
    if (typeof added !== 'string' || !isCertainIsoDate(added)) return null;
  } else if ('added' in value) return null;

  if (reuse && categoryOut === category && reasonOut === reason && hasSchemaKeysInOrder(value)) return value as ListEntry;
  const entry: ListEntry = { pattern, level: level as ListLevel };
  if (categoryOut !== undefined) entry.category = categoryOut;
  if (reasonOut !== undefined) entry.reason = reasonOut;
  // A copy, as zod makes: the output shares no array with the input.
  if (evidence !== undefined) entry.evidence = (evidence as string[]).slice();
  if (added !== undefined) entry.added = added as string;
  return entry;
}
