/**
 * Claude subscription credentials (docs/relay-signals.md §4): the login behind a Claude account,
 * which relays harvest to resell access to it. Its own module, apart from the full key
 * classifier (lib/detection/keys.ts), because the page watch on every page needs just this one question
 * answered, and every kilobyte it loads is paid on every page load (README.md "Performance").
 */
import { lazy } from '../core/lazy.ts';

/** `sk-ant-sid01-` (session), `sk-ant-oat01-` (OAuth access), `sk-ant-ort01-` (OAuth refresh). */
export const CLAUDE_CREDENTIAL_TYPES = ['sid', 'oat', 'ort'] as const;
export type ClaudeCredentialType = (typeof CLAUDE_CREDENTIAL_TYPES)[number];

/**
 * §4 fixes only the prefix. Observed tokens are ~108 characters, but rather than hard-code an
 * unverified length we take any plausible token body: the floor keeps placeholders such as
 * `sk-ant-oat01-xxxx` out, the ceiling keeps whole blobs from being claimed.
 */
export const CLAUDE_SUBSCRIPTION_BODY_MIN = 40;
export const CLAUDE_SUBSCRIPTION_BODY_MAX = 256;

const KEY_CHARACTER = '[\\w-]';
const body = `${KEY_CHARACTER}{${CLAUDE_SUBSCRIPTION_BODY_MIN},${CLAUDE_SUBSCRIPTION_BODY_MAX}}`;

/** One credential type as a whole token (anchored): lib/detection/keys.ts's rule for it. */
export function claudeSubscriptionCredential(type: ClaudeCredentialType): RegExp {
  return new RegExp(`^sk-ant-${type}01-${body}$`);
}

/**
 * Any of them in free text, as a whole run of key characters: what lib/detection/keys.ts's findSecrets
 * would find (a credential glued to more key characters is a different string). The shortest body
 * is matched, the rest of the run measured, and its length checked here: one pass over the text,
 * where a bounded body with a lookahead after it backtracked up to 216 steps per near miss.
 */
const CANDIDATE = `(?<!${KEY_CHARACTER})sk-ant-(?:${CLAUDE_CREDENTIAL_TYPES.join('|')})01-${KEY_CHARACTER}{${CLAUDE_SUBSCRIPTION_BODY_MIN}}`;
/** A credential's start with the shortest body; `test` on it and on REST_OF_RUN allocates nothing. */
const candidateStart = lazy(() => new RegExp(CANDIDATE, 'g'));
const REST_OF_RUN = /[\w-]*/y;

export function containsClaudeSubscriptionCredential(text: string): boolean {
  if (typeof text !== 'string') return false;
  const start = candidateStart();
  start.lastIndex = 0;
  while (start.test(text)) {
    REST_OF_RUN.lastIndex = start.lastIndex;
    REST_OF_RUN.test(text);
    const bodyLength = CLAUDE_SUBSCRIPTION_BODY_MIN + REST_OF_RUN.lastIndex - start.lastIndex;
    if (bodyLength <= CLAUDE_SUBSCRIPTION_BODY_MAX) return true;
    start.lastIndex = REST_OF_RUN.lastIndex;
  }
  return false;
}

/** Where a Claude subscription credential legitimately goes: claude.ai, anthropic.com and their subdomains. */
const CLAUDE_DOMAINS = ['claude.ai', 'anthropic.com'] as const;

/** `host` is a page's ASCII host name (`location.hostname`). */
export function isClaudeHost(host: string): boolean {
  // No host name is longer than 253 characters (254 with the root dot).
  if (host.length > 254) return false;
  const bare = host.toLowerCase().replace(/\.$/, '');
  return CLAUDE_DOMAINS.some((domain) => bare === domain || bare.endsWith(`.${domain}`));
}
