/**
 * Recognises AI API keys, Claude subscription credentials and relay-issued tokens by their
 * published shapes (docs/relay-signals.md §4: gitleaks/trufflehog rules and gateway source).
 *
 * Results carry positions only, never the secret: callers redact or warn with them, and nothing
 * in here keeps a copy of what it was given.
 */
import { CLAUDE_SUBSCRIPTION_BODY_MAX, claudeSubscriptionCredential } from './claude-credentials.ts';
import { lazy } from '../core/lazy.ts';

export type SecretKind = 'vendor-key' | 'subscription-credential' | 'relay-token';

export type VendorId =
  | 'openai'
  | 'anthropic'
  | 'google'
  | 'openrouter'
  | 'groq'
  | 'xai'
  | 'huggingface'
  | 'perplexity'
  | 'replicate'
  | 'deepseek';

export type GatewayId = 'one-api' | 'new-api' | 'sub2api' | 'claude-relay-service';

/** Stable identifiers: safe to persist and to use as i18n message keys. */
export type SecretFormat =
  | 'openai-project'
  | 'openai-service-account'
  | 'openai-admin'
  | 'openai-legacy'
  | 'anthropic-api'
  | 'anthropic-admin'
  | 'claude-session'
  | 'claude-oauth-access'
  | 'claude-oauth-refresh'
  | 'google-api'
  | 'openrouter'
  | 'groq'
  | 'xai'
  | 'huggingface'
  | 'perplexity'
  | 'replicate'
  | 'deepseek'
  | 'one-api'
  | 'new-api'
  | 'sub2api'
  | 'claude-relay-service';

export interface SecretMatch {
  kind: SecretKind;
  vendor?: VendorId;
  gateway?: GatewayId;
  format: SecretFormat;
  /** Index of the first character of the secret in the text the caller passed. */
  start: number;
  /** Index one past the last character (slice(start, end) is the secret). */
  end: number;
}

export interface SecretContext {
  /**
   * The caller knows DeepSeek is involved (DeepSeek console, api.deepseek.com traffic, a DeepSeek
   * field label). `sk-` + 32 lower-case alphanumerics is too generic to call a DeepSeek key
   * without it: other services and home-grown gateways issue the same shape, and naming the
   * wrong vendor in a warning costs more trust than staying quiet.
   */
  deepseekContext?: boolean;
}

interface SecretRule {
  format: SecretFormat;
  kind: SecretKind;
  vendor?: VendorId;
  gateway?: GatewayId;
  /** Anchored: must cover the whole token. */
  pattern: RegExp;
  requiresDeepseekContext?: boolean;
}

/** gitleaks allows either half length independently, so this does too. */
const OPENAI_SCOPED_HALF = '(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})';

function openAiScopedKey(scope: string): RegExp {
  return new RegExp(`^sk-${scope}-${OPENAI_SCOPED_HALF}T3BlbkFJ${OPENAI_SCOPED_HALF}$`);
}

/**
 * one-api / one-hub GenerateKey(): 16 random alphanumerics, then google/uuid's v4 UUID as 32
 * lower-case hex digits without dashes, where every letter at an even 0-based index of those 32
 * (`i%2 == 0`) is upper-cased. So even indexes are [0-9A-F], odd ones [0-9a-f]; index 12 is the
 * version nibble '4' and index 16 the RFC 4122 variant nibble 8/9/a/b, which sits at an even
 * index and therefore appears as 8/9/A/B. The relay UI shows the token with an `sk-` prefix.
 */
const UPPER_LOWER_HEX_PAIR = '[0-9A-F][0-9a-f]';
const ONE_API_UUID_TAIL =
  `(?:${UPPER_LOWER_HEX_PAIR}){6}` + // indexes 0-11
  '4[0-9a-f]' + // 12-13: version 4
  UPPER_LOWER_HEX_PAIR + // 14-15
  '[89AB][0-9a-f]' + // 16-17: variant
  `(?:${UPPER_LOWER_HEX_PAIR}){7}`; // 18-31

/**
 * First match wins, so specific shapes precede the generic ones that would also accept them:
 * OpenAI legacy and one-api tokens are both `sk-` + 48 alphanumerics, like new-api tokens.
 * Built on first use: the page watch loads this module on every page, and most pages never
 * hold a run of text long enough to be a key (classifyRange returns before reaching the rules).
 */
const rules = lazy((): readonly SecretRule[] => [
  { format: 'openai-project', kind: 'vendor-key', vendor: 'openai', pattern: openAiScopedKey('proj') },
  { format: 'openai-service-account', kind: 'vendor-key', vendor: 'openai', pattern: openAiScopedKey('svcacct') },
  { format: 'openai-admin', kind: 'vendor-key', vendor: 'openai', pattern: openAiScopedKey('admin') },
  { format: 'openai-legacy', kind: 'vendor-key', vendor: 'openai', pattern: /^sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}$/ },
  { format: 'anthropic-api', kind: 'vendor-key', vendor: 'anthropic', pattern: /^sk-ant-api03-[\w-]{93}AA$/ },
  { format: 'anthropic-admin', kind: 'vendor-key', vendor: 'anthropic', pattern: /^sk-ant-admin01-[\w-]{93}AA$/ },
  { format: 'claude-session', kind: 'subscription-credential', vendor: 'anthropic', pattern: claudeSubscriptionCredential('sid') },
  { format: 'claude-oauth-access', kind: 'subscription-credential', vendor: 'anthropic', pattern: claudeSubscriptionCredential('oat') },
  { format: 'claude-oauth-refresh', kind: 'subscription-credential', vendor: 'anthropic', pattern: claudeSubscriptionCredential('ort') },
  { format: 'google-api', kind: 'vendor-key', vendor: 'google', pattern: /^AIza[\w-]{35}$/ },
  { format: 'openrouter', kind: 'vendor-key', vendor: 'openrouter', pattern: /^sk-or-v1-[0-9a-f]{64}$/ },
  { format: 'groq', kind: 'vendor-key', vendor: 'groq', pattern: /^gsk_[A-Za-z0-9]{52}$/ },
  { format: 'xai', kind: 'vendor-key', vendor: 'xai', pattern: /^xai-\w{80}$/ },
  { format: 'huggingface', kind: 'vendor-key', vendor: 'huggingface', pattern: /^hf_[A-Za-z0-9]{34}$/ },
  { format: 'perplexity', kind: 'vendor-key', vendor: 'perplexity', pattern: /^pplx-[A-Za-z0-9]{48}$/ },
  { format: 'replicate', kind: 'vendor-key', vendor: 'replicate', pattern: /^r8_[\w-]{37}$/ },
  { format: 'deepseek', kind: 'vendor-key', vendor: 'deepseek', pattern: /^sk-[a-z0-9]{32}$/, requiresDeepseekContext: true },
  { format: 'one-api', kind: 'relay-token', gateway: 'one-api', pattern: new RegExp(`^sk-[A-Za-z0-9]{16}${ONE_API_UUID_TAIL}$`) },
  // new-api/Veloera: 48 random alphanumerics. The shape is not unique to relays (some vendors
  // issue `sk-` + 48 alphanumerics too), so a match means "relay-style token", not proof.
  // T3BlbkFJ anywhere is excluded per §4: it marks OpenAI material, never a random relay token.
  { format: 'new-api', kind: 'relay-token', gateway: 'new-api', pattern: /^sk-(?!.*T3BlbkFJ)[A-Za-z0-9]{48}$/ },
  // sub2api and claude-relay-service hex-encode random bytes (Go hex / Node 'hex'): lower case.
  { format: 'sub2api', kind: 'relay-token', gateway: 'sub2api', pattern: /^sk-[0-9a-f]{64}$/ },
  { format: 'claude-relay-service', kind: 'relay-token', gateway: 'claude-relay-service', pattern: /^cr_[0-9a-f]{64}$/ },
]);

/** Bounds over all rules, so most runs of ordinary text are rejected before any regex runs. */
const MIN_TOKEN_LENGTH = 'sk-'.length + 32; // DeepSeek
const MAX_TOKEN_LENGTH = 'sk-ant-sid01-'.length + CLAUDE_SUBSCRIPTION_BODY_MAX;

/**
 * Classifies `token` as a whole: no trimming, no searching inside it. Use findSecrets for pasted
 * or free text.
 */
export function classifySecret(token: string, context: SecretContext = {}): SecretMatch | null {
  if (typeof token !== 'string') return null;
  return classifyRange(token, 0, token.length, context);
}

/**
 * Finds every secret in free text. A secret must be a whole run of key characters
 * ([A-Za-z0-9_-]); anything else (whitespace, quotes, `=`, `:`, `,`, `/`, `.`) separates runs.
 * A key-shaped string glued to more key characters is a different string, not that key.
 */
export function findSecrets(text: string, context: SecretContext = {}): SecretMatch[] {
  const matches: SecretMatch[] = [];
  if (typeof text !== 'string') return matches;
  // Runs are found natively (a greedy class run has nothing to backtrack for); only runs of a
  // length some format has are classified.
  for (const run of text.matchAll(KEY_CHARACTER_RUN)) {
    const length = run[0].length;
    if (length < MIN_TOKEN_LENGTH || length > MAX_TOKEN_LENGTH) continue;
    const match = classifyRange(text, run.index, run.index + length, context);
    if (match) matches.push(match);
  }
  return matches;
}

const KEY_CHARACTER_RUN = /[\w-]+/g;

function classifyRange(text: string, start: number, end: number, context: SecretContext): SecretMatch | null {
  const length = end - start;
  if (length < MIN_TOKEN_LENGTH || length > MAX_TOKEN_LENGTH) return null;
  const token = text.slice(start, end);
  for (const rule of rules()) {
    if (rule.requiresDeepseekContext && !context.deepseekContext) continue;
    if (!token.startsWith(literalPrefix(rule.pattern))) continue;
    if (rule.pattern.test(token)) return toMatch(rule, start, end);
  }
  return null;
}

const literalPrefixes = new WeakMap<RegExp, string>();

/**
 * The literal text an anchored pattern starts with (`sk-ant-api03-`, `AIza`, `sk-`): a token
 * without it cannot match, so the pattern is not run. Text full of `sk-`-shaped runs then costs
 * the few `sk-` rules per run, not all of them.
 */
function literalPrefix(pattern: RegExp): string {
  let prefix = literalPrefixes.get(pattern);
  if (prefix === undefined) {
    const literal = pattern.flags === '' && pattern.source.startsWith('^') ? (/^[\w-]*/.exec(pattern.source.slice(1))?.[0] ?? '') : '';
    // A quantifier right after the literal applies to its last character, which is then optional.
    prefix = /^[?*+{]/.test(pattern.source.slice(1 + literal.length)) ? literal.slice(0, -1) : literal;
    literalPrefixes.set(pattern, prefix);
  }
  return prefix;
}

function toMatch(rule: SecretRule, start: number, end: number): SecretMatch {
  const match: SecretMatch = { kind: rule.kind, format: rule.format, start, end };
  if (rule.vendor) match.vendor = rule.vendor;
  if (rule.gateway) match.gateway = rule.gateway;
  return match;
}
