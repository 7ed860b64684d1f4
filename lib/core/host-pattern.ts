import { getDomain } from './public-suffix.cjs';
import { accountPathPrefix } from './gateway-accounts.ts';
import { normalizeHost } from './host.ts';
import { err, ok, type Result } from './result.ts';

/**
 * Host patterns follow Chrome's URLBlocklist convention, which administrators already know:
 * `example.com` matches that host and every subdomain; `.example.com` matches that host only.
 */
export interface HostPattern {
  /** Canonical ASCII host the pattern names. */
  readonly host: string;
  /** True for `.example.com`: the host itself, no subdomains. */
  readonly exactHostOnly: boolean;
  /** Canonical text (`example.com` or `.example.com`), what lists and storage keep. */
  readonly text: string;
  /**
   * How precisely the pattern names a host: two points per label, one more for an exact-host
   * pattern, so `.api.example.com` > `api.example.com` > `example.com`.
   */
  readonly specificity: number;
}

/**
 * A list pattern: a host pattern, or one account on a multi-tenant gateway written as the host and
 * the path prefix that names the account (`gateway.ai.cloudflare.com/v1/<account>/`, see
 * lib/core/gateway-accounts.ts). An account pattern names that host exactly and applies to AI
 * calls through that account; pages and block rules only ever see host patterns.
 */
export type ListPattern = HostPattern & { readonly pathPrefix?: string };

/** Parses a list entry's pattern: a host pattern, or a gateway account (`host/path/prefix/`). */
export function parseListPattern(input: string): Result<ListPattern, string> {
  if (typeof input !== 'string') return err('A pattern must be text.');
  const text = input.trim();
  const slash = text.indexOf('/');
  if (slash <= 0 || /[?#@\s*]|:\/\//.test(text)) return parseHostPattern(text);
  const host = parseHostPattern(text.slice(0, slash));
  if (!host.ok) return host;
  const path = accountPathPrefix(host.value.host, text.slice(slash));
  if (!path.ok) return err(`“${text}”: ${path.error}.`);
  const segments = path.pathPrefix.split('/').length - 2;
  return ok({
    host: host.value.host,
    exactHostOnly: true,
    text: `${host.value.host}${path.pathPrefix}`,
    specificity: patternSpecificity(host.value.host, true) + 2 * segments,
    pathPrefix: path.pathPrefix,
  });
}

/** IPv4, bracketed IPv6, or bare IPv6 (two colons at least, so `1.2.3.4:80` is a host and a port). */
const IP_LITERAL = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]*\]|[0-9a-f.]*:[0-9a-f.]*:[0-9a-f:.]*)$/i;

export function parseHostPattern(input: string): Result<HostPattern, string> {
  if (typeof input !== 'string') return err('A pattern must be text.');
  const text = input.trim();
  if (text === '') return err('The pattern is empty.');
  if (text.includes('*')) {
    return err(`“${text}”: wildcards are not supported; “example.com” already matches every subdomain, “.example.com” only that host.`);
  }
  const withoutDot = text.replace(/^\./, '');
  const looksLikeScheme = !IP_LITERAL.test(withoutDot) && /^[a-z][a-z0-9+.-]*:(?!\d*$)/i.test(withoutDot);
  if (/[/?#@\s]/.test(text) || looksLikeScheme) {
    return err(`“${text}”: a pattern is a host name such as “example.com”, without scheme, path or spaces.`);
  }
  const exactHostOnly = text.startsWith('.');
  const hostText = exactHostOnly ? text.slice(1) : text;
  if (!IP_LITERAL.test(hostText) && /:\d*$/.test(hostText)) {
    return err(`“${text}”: a pattern has no port.`);
  }
  const normalized = normalizeHost(hostText);
  if (!normalized.ok) return err(`“${text}”: ${normalized.error.message}`);
  const { host, kind } = normalized.value;
  if (kind === 'domain' && !host.includes('.') && host !== 'localhost') {
    return err(`“${text}”: a single label would match a whole top-level domain.`);
  }
  // `co.uk` would match every site under it; private suffixes (workers.dev) stay allowed on purpose:
  // blocking a whole hosting platform is a decision a list may make, with evidence.
  if (kind === 'domain' && host !== 'localhost' && getDomain(host, { allowPrivateDomains: false }) === null) {
    return err(`“${text}”: a public suffix would match every site under it.`);
  }
  // An IP address has no subdomains, so both spellings mean the same exact host.
  const exact = exactHostOnly || kind !== 'domain';
  return ok({
    host,
    exactHostOnly: exact,
    text: exact && kind === 'domain' ? `.${host}` : host,
    specificity: patternSpecificity(host, exact),
  });
}

/** Two points per label, one more for an exact-host pattern (see HostPattern.specificity). */
export function patternSpecificity(host: string, exactHostOnly: boolean): number {
  let labels = 1;
  for (let i = 0; i < host.length; i++) if (host.charCodeAt(i) === 46) labels++;
  return labels * 2 + (exactHostOnly ? 1 : 0);
}
