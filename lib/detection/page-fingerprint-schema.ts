/**
 * `PageFingerprint`, and the background's check of one that arrived in a message. Apart from
 * lib/detection/page-fingerprint.ts so the content script, which only collects fingerprints,
 * never loads zod on an ordinary page (it imports the type alone).
 */
import { z } from 'zod/mini';
import { lazy } from '../core/lazy.ts';
import { FINGERPRINT_LIMITS, RELAY_VOCABULARY } from './fingerprint-limits.ts';
import { err, ok, type Result } from '../core/result.ts';

/** Built on first use (lib/core/lazy.ts). Strict: a field RelayGuard does not send is an error. */
export const pageFingerprintSchema = lazy(() =>
  z.strictObject({
    /** `<meta name="description">` content, whitespace-collapsed. */
    metaDescription: z.optional(z.string().check(z.maxLength(FINGERPRINT_LIMITS.metaDescription))),
    /** The `<title>` as served, before the SPA renames it. */
    servedTitle: z.optional(z.string().check(z.maxLength(FINGERPRINT_LIMITS.servedTitle))),
    /** Text of the first few footer-like elements, whitespace-collapsed. */
    footerText: z.optional(z.string().check(z.maxLength(FINGERPRINT_LIMITS.footerText))),
    /** localStorage key NAMES; never values. */
    storageKeys: z.array(z.string().check(z.maxLength(FINGERPRINT_LIMITS.storageKeyLength))).check(z.maxLength(FINGERPRINT_LIMITS.storageKeys)),
    /** Whether localStorage `status` parsed as JSON holding these fields (the JSON itself stays in the page). */
    statusStorage: z.optional(z.strictObject({ systemName: z.boolean(), quotaPerUnit: z.boolean() })),
    /** pathname plus the hash route (`/`, `/console/token`, `/#/token`). */
    path: z.string().check(z.maxLength(FINGERPRINT_LIMITS.path)),
    /** Relay terms found on the page; the page text itself never leaves the page. */
    vocabulary: z.array(z.enum(RELAY_VOCABULARY)).check(z.maxLength(FINGERPRINT_LIMITS.vocabulary)),
  }),
);

/** What the page watch reports about its page: the one declaration of this type. */
export type PageFingerprint = z.output<ReturnType<typeof pageFingerprintSchema>>;

/** Validates a fingerprint that arrived in a message; the error is short and names the field. */
export function parsePageFingerprint(input: unknown): Result<PageFingerprint, string> {
  const parsed = pageFingerprintSchema().safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  return err(issue ? `page fingerprint: ${issue.path.join('.') || '(root)'}: ${issue.message}` : 'page fingerprint: invalid');
}

