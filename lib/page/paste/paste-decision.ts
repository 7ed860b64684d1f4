/**
 * What the key paste guard does with one paste or drop, as a pure function of the text, the
 * page's host and the page context (docs/test-contract.md "Key paste guard", docs/relay-signals.md §4):
 *
 * - Claude subscription credentials (the login behind a Claude account; relays harvest them)
 *   are held on every page that is not Claude's own (claude.ai, anthropic.com and their
 *   subdomains), whatever the page's level.
 * - AI vendor keys are held on `unvetted` and `blocked` pages.
 * - Holding needs the person's `pasteGuard` setting on (it is by default).
 * - On an `unknown` page that called AI APIs itself, a vendor key passes but earns a small
 *   notice, when the person has `unknownPageNotice` on.
 * - Everything else passes: text without a key, relay-issued tokens (normal on the relay's
 *   own site), and pastes on `official` and `vetted` pages.
 *
 * The answer names the vendor and kind of the key, never the key or where it sits in the text.
 */
import { containsClaudeSubscriptionCredential, isClaudeHost } from '../../detection/claude-credentials.ts';
import { findSecrets, type SecretMatch, type VendorId } from '../../detection/keys.ts';
import type { PageContext } from '../../protocol/page-protocol.ts';

export type GuardedKind = 'vendor-key' | 'subscription-credential';

export type PasteDecision =
  | { readonly action: 'pass' }
  /** The text holds a key whose fate depends on a context the content script does not have yet. */
  | { readonly action: 'wait' }
  | { readonly action: 'hold'; readonly vendor: VendorId; readonly kind: GuardedKind }
  | { readonly action: 'notice'; readonly vendor: VendorId; readonly kind: GuardedKind };

const PASS: PasteDecision = { action: 'pass' };

export function decidePaste(text: string, pageHost: string, context: PageContext | null): PasteDecision {
  if (typeof text !== 'string' || text.length === 0) return PASS;
  const claudeHome = isClaudeHost(pageHost);
  const guarded = findSecrets(text, { deepseekContext: hasDeepseekContext(pageHost, context) }).filter(
    (match): match is SecretMatch & { kind: GuardedKind; vendor: VendorId } =>
      match.vendor !== undefined && (match.kind === 'vendor-key' || (match.kind === 'subscription-credential' && !claudeHome)),
  );
  if (guarded.length === 0) return PASS;
  if (!context) return { action: 'wait' };

  const level = context.verdict?.level ?? 'unknown';
  const credential = guarded.find((match) => match.kind === 'subscription-credential');
  const vendorKey = guarded.find((match) => match.kind === 'vendor-key');
  if (context.pasteGuard) {
    if (credential) return { action: 'hold', vendor: credential.vendor, kind: credential.kind };
    if (vendorKey && (level === 'unvetted' || level === 'blocked')) return { action: 'hold', vendor: vendorKey.vendor, kind: vendorKey.kind };
  }
  const calledAiApis = (context.verdict?.endpoints.length ?? 0) > 0;
  if (level === 'unknown' && calledAiApis && context.unknownPageNotice) {
    const first = credential ?? vendorKey;
    if (first) return { action: 'notice', vendor: first.vendor, kind: first.kind };
  }
  return PASS;
}

/**
 * Before the page guard runs in a page (the background starts it only where there is something
 * to warn about or guard), the page watch decides alone, without a context: a Claude
 * subscription credential outside Claude's own sites is held until the guard can ask about it,
 * since it is held on every such page whatever the verdict. Everything else passes untouched:
 * on a page without a guard there is nothing a vendor key needs holding for.
 */
export function holdsUntilGuarded(text: string, pageHost: string, subFrame = false): boolean {
  if (typeof text !== 'string' || text.length === 0) return false;
  // A frame inside a page cannot know its top page's verdict (the guard asks the background),
  // and the key classifier is too big for the watch (README.md "Performance"): it holds every
  // paste that may be a key, a run of 20 token characters (KEY_RUN), which every vendor key
  // format has and little else people paste does. The guard started for it decides for real.
  if (subFrame && mayHoldKey(text)) return true;
  if (isClaudeHost(pageHost)) return false;
  return containsClaudeSubscriptionCredential(text);
}

/** No vendor key format (lib/detection/keys.ts) is shorter than this run of [A-Za-z0-9_-]. */
const KEY_RUN = /[\w-]{20}/;

/** Linear: a fixed-length class run, found or not in one pass. */
function mayHoldKey(text: string): boolean {
  return KEY_RUN.test(text);
}

/**
 * `sk-` + 32 lower-case alphanumerics is only called a DeepSeek key where DeepSeek is involved
 * (lib/detection/keys.ts): DeepSeek's own site, or a page that called DeepSeek's API.
 */
function hasDeepseekContext(pageHost: string, context: PageContext | null): boolean {
  const isDeepseek = (host: string) => /(?:^|\.)deepseek\.com\.?$/i.test(host);
  return isDeepseek(pageHost) || (context?.verdict?.endpoints.some((endpoint) => isDeepseek(endpoint.host)) ?? false);
}
