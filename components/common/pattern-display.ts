import { hostToUnicode } from '../../lib/core/punycode.ts';

/** The text of a host pattern in Unicode, or null when it has no IDN labels. */
export function patternUnicode(pattern: string): string | null {
  const exact = pattern.startsWith('.');
  const host = exact ? pattern.slice(1) : pattern;
  const unicode = hostToUnicode(host);
  return unicode === host ? null : `${exact ? '.' : ''}${unicode}`;
}

/** `bücher.example (xn--bcher-kva.example)` for IDN patterns, as lib/core/host.ts displays hosts; else the pattern. */
export function patternDisplay(pattern: string): string {
  const unicode = patternUnicode(pattern);
  return unicode ? `${unicode} (${pattern})` : pattern;
}
