import { getDomain } from '../core/public-suffix.cjs';

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
const HYPHEN = 45;
const MAX_HOST_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
/**
 * parseListPattern's public-suffix lookup, told what the scan below has proved: the text is a
 * plain lower-case host name (nothing to extract from a URL) and never an IP address.
 */
const PUBLIC_SUFFIX_OPTIONS = { allowPrivateDomains: false, extractHostname: false, detectIp: false } as const;

function isLowerLetter(code: number): boolean {
  return code >= 97 && code <= 122;
}

function isLowerAlnum(code: number): boolean {
  return isLowerLetter(code) || (code >= 48 && code <= 57);
}

/** The canonical pattern text when `text` is a plain canonical domain pattern, else null (ask parseListPattern). */
export function canonicalPatternFast(text: string): string | null {
  const start = text.charCodeAt(0) === DOT ? 1 : 0;
  const end = text.length;
  if (end - start > MAX_HOST_LENGTH || end - start < 3) return null;
  let labels = 0;
  let labelStart = start;
  for (let i = start; i <= end; i++) {
    const code = i === end ? DOT : text.charCodeAt(i);
    if (code !== DOT) {
      // Letters, digits and inner hyphens only: no upper case, underscore, space or non-ASCII.
      if (!isLowerAlnum(code) && code !== HYPHEN) return null;
      continue;
    }
    const length = i - labelStart;
    if (length === 0 || length > MAX_LABEL_LENGTH) return null;
    if (!isLowerAlnum(text.charCodeAt(labelStart)) || !isLowerAlnum(text.charCodeAt(i - 1))) return null;
    // `xn--` and every other `??--` label is (or looks like) punycode: the URL parser checks it.
    if (length >= 4 && text.charCodeAt(labelStart + 2) === HYPHEN && text.charCodeAt(labelStart + 3) === HYPHEN) return null;
    labels++;
    labelStart = i + 1;
  }
  if (labels < 2) return null;
  // A last label of letters only: never an IPv4 address or a number the URL parser reads as one.
  for (let i = end - 1; i >= 0 && text.charCodeAt(i) !== DOT; i--) {
    if (!isLowerLetter(text.charCodeAt(i))) return null;
  }
  const host = start === 1 ? text.slice(1) : text;
  // The lookup parseListPattern makes; a public suffix goes the slow way to get its error.
  if (getDomain(host, PUBLIC_SUFFIX_OPTIONS) === null) return null;
  return text;
}
