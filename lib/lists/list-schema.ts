import { z } from 'zod';
import { parseListPattern } from '../core/host-pattern.ts';
import { err, ok, type Result } from '../core/result.ts';
import { canonicalPatternFast } from './canonical-pattern.ts';
import { MAX_REFRESH_MINUTES } from './refresh-schedule.ts';

/**
 * List format v1: the one shape for bundled, subscribed, imported and managed lists.
 * Documented in README.md ("List format v1"); change both together.
 */

export const LIST_LEVELS = ['official', 'vetted', 'blocked'] as const;
export type ListLevel = (typeof LIST_LEVELS)[number];

const MAX_ENTRIES = 2_000_000;

const evidenceUrl = z.url({ protocol: /^https?$/, error: 'evidence must be an http(s) URL' }).max(2048);
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
export const listEntrySchema = z
  .object({
    pattern: hostPattern,
    level: z.enum(LIST_LEVELS, { error: 'level must be "official", "vetted" or "blocked"' }),
    category: z.string().trim().min(1).max(64).optional(),
    reason: z.string().trim().min(1).max(1000).optional(),
    evidence: z.array(evidenceUrl).max(20).optional(),
    added: isoDate.optional(),
  })
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

export const listSchema = z
  .object({
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
    reportUrl: z.url({ protocol: /^https$/, error: 'reportUrl must be an https URL' }).max(2048).optional(),
    entries: z.array(listEntrySchema).max(MAX_ENTRIES),
  })
  .superRefine((list, ctx) => {
    const firstIndexOf = new Map<string, number>();
    list.entries.forEach((entry, index) => {
      const first = firstIndexOf.get(entry.pattern);
      if (first === undefined) firstIndexOf.set(entry.pattern, index);
      else ctx.addIssue({ code: 'custom', path: ['entries', index, 'pattern'], message: `duplicates entries[${first}] (${entry.pattern})` });
    });
  });

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
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      return err({ message: 'The list is not valid JSON.', issues: [detail] });
    }
  }
  const parsed = listSchema.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  const issues = formatIssues(parsed.error);
  return err({ message: `The list is not a valid RelayGuard list: ${issues[0]}`, issues });
}
