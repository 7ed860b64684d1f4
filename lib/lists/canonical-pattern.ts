import { getDomain } from '../core/public-suffix.cjs';
import { plainHostEnd } from './plain-host.ts';

/**
 * The fast path of the list schema's pattern check. Nearly every pattern in a real list is
 * already canonical (`example.com`, `.api.example.com`): lower-case ASCII labels, no scheme, port,
 * path or punycode. For exactly those this returns the canonical text parseListPattern would
 * return, without the URL parse and second public-suffix lookup parseListPattern pays for;
 * for anything else, including every pattern parseListPattern would reject, it returns null and
 * the caller asks parseListPattern, which stays the one definition (and the one error message).
 * canonical-pattern.test.ts checks the two agree on generated and adversarial inputs.
 */

const DOT = 46;
/**
 * parseListPattern's public-suffix lookup, told what the scan below has proved: the text is a
 * plain lower-case host name (nothing to extract from a URL) and never an IP address.
 */
const PUBLIC_SUFFIX_OPTIONS = { allowPrivateDomains: false, extractHostname: false, detectIp: false } as const;

/** The canonical pattern text when `text` is a plain canonical domain pattern, else null (ask parseListPattern). */
export function canonicalPatternFast(text: string): string | null {
  const start = text.charCodeAt(0) === DOT ? 1 : 0;
  // A plain host (plain-host.ts) up to the end of the text, of two labels at least.
  if (plainHostEnd(text, start) !== text.length || text.indexOf('.', start) < 0) return null;
  const host = start === 1 ? text.slice(1) : text;
  // The lookup parseListPattern makes; a public suffix goes the slow way to get its error.
  if (getDomain(host, PUBLIC_SUFFIX_OPTIONS) === null) return null;
  return text;
}
