import { getDomain } from './public-suffix.cjs';
import { hostToUnicode } from './punycode.ts';
import { err, ok, type Result } from './result.ts';

/**
 * Host normalisation: every host RelayGuard compares, stores or shows goes through here first,
 * so `Api.OpenAI.com.`, `https://user@api.openai.com:443/v1` and `api.openai.com` are one host.
 * The WHATWG URL parser does the heavy lifting (IDNA to ASCII, lower case, IPv4 forms such as
 * `0x7f.1`), exactly as the browser does when it navigates.
 */

export type HostKind = 'domain' | 'ipv4' | 'ipv6';

/** Where a host lives on the network: relay risk only applies to `public` hosts. */
export const HOST_SCOPES = ['public', 'loopback', 'private'] as const;
export type HostScope = (typeof HOST_SCOPES)[number];

export interface NormalizedHost {
  /** Canonical ASCII form: lower case, punycode, no port, no trailing dot, IPv6 without brackets. */
  readonly host: string;
  readonly kind: HostKind;
  readonly scope: HostScope;
  /** Registrable domain (eTLD+1, private suffixes such as workers.dev included); the IP itself for IPs. */
  readonly registrableDomain: string;
  /** The host in Unicode; equal to `host` unless it has IDN labels. */
  readonly unicode: string;
  /** What to show a person: `bücher.example (xn--bcher-kva.example)` for IDN, else the host. */
  readonly display: string;
}

export type HostErrorCode = 'empty' | 'invalid' | 'no-host' | 'unsupported-scheme';

export interface HostError {
  readonly code: HostErrorCode;
  readonly input: string;
  readonly message: string;
}

const MAX_INPUT_LENGTH = 4096;
const MAX_HOST_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const HOST_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:']);
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
/** `::1`, `fe80::1`: an IPv6 address typed without brackets (two or more colons, hex only). */
const BARE_IPV6 = /^[0-9a-f]*:[0-9a-f]*:[0-9a-f:.]*$/i;
const DOMAIN_LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;
/** Names that only resolve inside a user's own network (RFC 6762, RFC 8375, common practice). */
const PRIVATE_NAME_SUFFIXES = ['local', 'internal', 'lan', 'home.arpa', 'intranet', 'corp'];

function hostError(code: HostErrorCode, input: string, message: string): Result<never, HostError> {
  return err({ code, input, message });
}

/**
 * Normalises a URL (`https://…`, `wss://…`) or a bare host (`example.com`, `example.com:8080`,
 * `[::1]`, `bücher.example`). Never throws.
 */
export function normalizeHost(input: string): Result<NormalizedHost, HostError> {
  if (typeof input !== 'string') return hostError('invalid', describeNonString(input), 'Not a string.');
  const trimmed = input.trim();
  if (trimmed === '') return hostError('empty', input, 'No host given.');
  if (trimmed.length > MAX_INPUT_LENGTH) return hostError('invalid', input.slice(0, 64), 'Input is too long.');

  const hasScheme = SCHEME.test(trimmed) && !looksLikeHostWithPort(trimmed) && !BARE_IPV6.test(trimmed);
  const withScheme = hasScheme ? trimmed : `http://${BARE_IPV6.test(trimmed) ? `[${trimmed}]` : trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return hostError('invalid', input, `“${trimmed}” is not a valid host or URL.`);
  }
  if (!HOST_SCHEMES.has(url.protocol)) {
    return hostError('unsupported-scheme', input, `${url.protocol} URLs have no web host.`);
  }
  return normalizeParsedHostname(url.hostname, input);
}

/** `String(value)` throws for some values (`Object.create(null)`); normalizeHost must not. */
function describeNonString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}

/** `example.com:8080` parses as scheme `example.com:`; a port-shaped tail means it is a host. */
function looksLikeHostWithPort(text: string): boolean {
  return /^[^/:]+:\d+(?:[/?#]|$)/.test(text);
}

function normalizeParsedHostname(hostname: string, input: string): Result<NormalizedHost, HostError> {
  if (hostname === '') return hostError('no-host', input, 'The URL has no host.');

  if (hostname.startsWith('[')) {
    const address = hostname.slice(1, -1);
    return ok(describeIp(address, 'ipv6', ipv6Scope(address)));
  }

  // One trailing dot is the DNS root (`example.com.`); more would be an empty label, and the URL
  // parser reads `127..` as a domain that, stripped of every dot, would re-parse as 0.0.0.127.
  const host = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  if (host === '') return hostError('invalid', input, 'The host is only dots.');
  const ipv4 = IPV4.exec(host);
  if (ipv4) return ok(describeIp(host, 'ipv4', ipv4Scope(ipv4.slice(1).map(Number))));

  if (host.length > MAX_HOST_LENGTH) return hostError('invalid', input, 'The host is longer than 253 characters.');
  for (const label of host.split('.')) {
    if (label === '') return hostError('invalid', input, 'The host has an empty label (“..”).');
    if (label.length > MAX_LABEL_LENGTH) return hostError('invalid', input, `The label “${label.slice(0, 20)}…” is longer than 63 characters.`);
    if (!DOMAIN_LABEL.test(label)) return hostError('invalid', input, `The label “${label}” has characters a host cannot have.`);
  }

  const unicode = hostToUnicode(host);
  return ok({
    host,
    kind: 'domain',
    scope: domainScope(host),
    registrableDomain: getDomain(host, { allowPrivateDomains: true }) ?? host,
    unicode,
    display: unicode === host ? host : `${unicode} (${host})`,
  });
}

function describeIp(host: string, kind: HostKind, scope: HostScope): NormalizedHost {
  return { host, kind, scope, registrableDomain: host, unicode: host, display: host };
}

function domainScope(host: string): HostScope {
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  for (const suffix of PRIVATE_NAME_SUFFIXES) {
    if (host === suffix || host.endsWith(`.${suffix}`)) return 'private';
  }
  return 'public';
}

function ipv4Scope([a = 0, b = 0]: number[]): HostScope {
  if (a === 127) return 'loopback';
  if (a === 10 || a === 0) return 'private';
  if (a === 172 && b >= 16 && b <= 31) return 'private';
  if (a === 192 && b === 168) return 'private';
  if (a === 169 && b === 254) return 'private'; // link-local
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // carrier-grade NAT
  return 'public';
}

function ipv6Scope(address: string): HostScope {
  if (address === '::1') return 'loopback';
  if (address === '::') return 'private';
  const mappedIpv4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mappedIpv4?.[1]) return ipv4Scope(mappedIpv4[1].split('.').map(Number));
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (mappedHex?.[1] && mappedHex[2]) {
    const high = parseInt(mappedHex[1], 16);
    return ipv4Scope([high >> 8, high & 0xff]);
  }
  const firstHextet = parseInt(address.split(':')[0] || '0', 16);
  if ((firstHextet & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((firstHextet & 0xffc0) === 0xfe80) return 'private'; // link-local fe80::/10
  return 'public';
}
