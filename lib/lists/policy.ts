import { z } from 'zod';
import { parseHostPattern } from '../core/host-pattern.ts';
import type { ListEntry, RelayList } from './list-schema.ts';
import type { ListHit } from './matcher.ts';

/**
 * Managed policy (chrome.storage.managed; Firefox policies.json "3rdparty"): what an
 * administrator sets for every browser they run. Chrome silently drops values that fail the
 * manifest's managed_schema, and Firefox and Chrome differ in how they pass nested values, so
 * every key is accepted either as its value or as a JSON string of it, and validated here anyway.
 */

/** Accepts `value` or `JSON.stringify(value)`. */
function jsonOr<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }, schema);
}

const patternArray = z.array(z.string()).max(100_000);

const managedPolicySchema = z.object({
  allowlist: jsonOr(patternArray).optional(),
  blocklist: jsonOr(patternArray).optional(),
  /** May people continue past the interstitial for a blocked host? */
  allowProceed: jsonOr(z.boolean()).optional(),
});

export interface ManagedPolicy {
  readonly allowlist: readonly string[];
  readonly blocklist: readonly string[];
  readonly allowProceed: boolean;
  /** What could not be applied, in words an administrator can act on. Everything else still applies. */
  readonly problems: readonly string[];
}

export const EMPTY_POLICY: ManagedPolicy = { allowlist: [], blocklist: [], allowProceed: true, problems: [] };

/** Never throws; a bad key is reported and ignored while the good keys still apply. */
export function parseManagedPolicy(raw: unknown): ManagedPolicy {
  if (raw === undefined || raw === null) return EMPTY_POLICY;
  if (typeof raw !== 'object' || Array.isArray(raw)) return { ...EMPTY_POLICY, problems: ['The managed policy is not an object.'] };
  const problems: string[] = [];
  const record = raw as Record<string, unknown>;
  const readKey = <K extends keyof typeof managedPolicySchema.shape>(key: K) => {
    const parsed = managedPolicySchema.shape[key].safeParse(record[key]);
    if (parsed.success) return parsed.data;
    problems.push(`${key}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`);
    return undefined;
  };
  const allowlist = validPatterns('allowlist', (readKey('allowlist') as string[] | undefined) ?? [], problems);
  const blocklist = validPatterns('blocklist', (readKey('blocklist') as string[] | undefined) ?? [], problems);
  const allowProceed = (readKey('allowProceed') as boolean | undefined) ?? true;
  return { allowlist, blocklist, allowProceed, problems };
}

function validPatterns(key: string, patterns: readonly string[], problems: string[]): string[] {
  const valid: string[] = [];
  patterns.forEach((pattern, index) => {
    const parsed = parseHostPattern(pattern);
    if (parsed.ok) valid.push(parsed.value.text);
    else problems.push(`${key}[${index}]: ${parsed.error}`);
  });
  return valid;
}

/** The policy as a list the matcher can compile (source `managed`). */
export function policyAsList(policy: ManagedPolicy): RelayList {
  const entries: ListEntry[] = [
    ...policy.allowlist.map((pattern): ListEntry => ({ pattern, level: 'vetted' })),
    ...policy.blocklist.map((pattern): ListEntry => ({ pattern, level: 'blocked' })),
  ];
  return { name: 'Managed policy', version: '1', updated: '1970-01-01', entries };
}

/** A host or host pattern: the host it names, and whether it names that host alone or its subdomains too. */
export interface PolicyTarget {
  readonly host: string;
  readonly exactHostOnly: boolean;
}

/**
 * Whether the administrator's policy decides every host `target` names, so the person's own entry
 * for it could change nothing (managed outranks the person's entries, lib/lists/precedence.ts).
 * A page's host is an exact target: any managed pattern matching it decides it. A pattern that
 * covers subdomains (`example.com`) is managed only by a managed pattern that covers them too; a
 * managed `.example.com` leaves the person's `example.com` free to decide `api.example.com`.
 * The one answer to "does the policy manage this?" everywhere (the popup's control, the
 * interstitial's "always allow", the person's entries).
 */
export function policyManages(hits: readonly Pick<ListHit, 'source' | 'pattern'>[], target: PolicyTarget): boolean {
  return hits.some((hit) => hit.source === 'managed' && (target.exactHostOnly || !isExactHostPattern(hit.pattern)));
}

/** `.example.com` names that host only (lib/core/host-pattern.ts); an IP literal is exact either way but matches only itself. */
function isExactHostPattern(pattern: string): boolean {
  return pattern.startsWith('.');
}
