import { findSecrets } from '../detection/keys.ts';

/**
 * Cuts credentials out of text before it may leave the machine in a report. The report builder
 * runs every string through here, and the report schema refuses any string these rules would
 * still change, so a secret cannot reach a report by a path that forgot to redact.
 *
 * Three rules, each erring towards cutting too much:
 * - key-shaped runs the classifier recognises (every vendor, subscription and relay format);
 * - opaque tokens: any run of key characters long enough and mixed enough to be random (session
 *   ids, JWT parts, UUIDs, unknown vendors' keys, and the head of a key cut off by a length cap);
 * - labelled values: what follows `Bearer`, `Cookie:`, `password=`, `api_key:` and their kin.
 */

export const REDACTED = '[redacted]';

/** Text longer than this is cut before it is scanned: pages are hostile, work stays bounded. */
export const MAX_SCANNED_LENGTH = 4096;

/**
 * A run of key characters at least this long, holding at least two of digits, lower-case and
 * upper-case letters, is treated as a token. Every key format in docs/key-formats is longer;
 * prose words and URL slugs (`how-to-use-an-api-key`) are single-case and survive.
 */
const OPAQUE_TOKEN_MIN_LENGTH = 20;

/** A whole Cookie header's value is private: cut to the end of the line. */
const COOKIE_LINE = /\b(set-cookie|cookie)(\s*[:=]\s*)[^\n]*/gi;
/** `Bearer xyz`: the scheme word, whitespace, then the credential. */
const BEARER = /\b(bearer)(\s+)[^\s"'<>,;]+/gi;
/**
 * `Basic dXNlcjpwYXNz`: only a base64-looking value (a digit, `+/=`, or a lower-upper turn), so
 * a title's "Basic plan" or "Basic Introduction" survives.
 */
const BASIC = /\b(basic|Basic|BASIC)(\s+)(?=[A-Za-z0-9+/]*(?:[0-9+/=]|[a-z][A-Z]))[A-Za-z0-9+/]{8,}={0,2}/g;
/** `password=…`, `api_key: …`, `sessionid=…`: a credential-naming label, `:` or `=`, the value. */
const LABELLED_VALUE =
  /\b(authorization|pass(?:word|wd)?|pwd|secret|client[_-]?secret|api[_-]?key|x-api-key|(?:access|refresh|id|auth)?[_-]?token|session(?:[_-]?id)?|sid|auth|credentials?|key)(\s*[:=]\s*)[^\s"'<>,;&]+/gi;

function isKeyCharacter(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x5f ||
    code === 0x2d
  );
}

/** Whether a run of key characters looks random enough to be a credential. */
export function isOpaqueToken(run: string): boolean {
  if (run.length < OPAQUE_TOKEN_MIN_LENGTH) return false;
  let classes = 0;
  if (/\d/.test(run)) classes++;
  if (/[a-z]/.test(run)) classes++;
  if (/[A-Z]/.test(run)) classes++;
  return classes >= 2;
}

/** Replaces classifier matches and opaque tokens, one pass over runs of key characters. */
function cutTokens(text: string): string {
  const secrets = findSecrets(text, { deepseekContext: true });
  let out = '';
  let cursor = 0;
  let secretIndex = 0;
  let runStart = -1;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && isKeyCharacter(text.charCodeAt(i))) {
      if (runStart < 0) runStart = i;
      continue;
    }
    if (runStart < 0) continue;
    while (secretIndex < secrets.length && (secrets[secretIndex]?.end ?? 0) <= runStart) secretIndex++;
    const secret = secrets[secretIndex];
    const isSecret = secret !== undefined && secret.start === runStart && secret.end === i;
    if (isSecret || isOpaqueToken(text.slice(runStart, i))) {
      out += text.slice(cursor, runStart) + REDACTED;
      cursor = i;
    }
    runStart = -1;
  }
  return out + text.slice(cursor);
}

/**
 * The text with every credential cut, then capped at `maxLength` characters. Control
 * characters become spaces. Bounded: at most MAX_SCANNED_LENGTH characters are looked at.
 */
export function redactText(text: string, maxLength: number): string {
  const whole = String(text);
  // Redaction can shrink text, so more than maxLength is scanned; a run of key characters cut
  // by the bound is dropped whole, since its head alone could be too short to look random.
  let bounded = whole.slice(0, Math.min(MAX_SCANNED_LENGTH, maxLength * 4));
  if (bounded.length < whole.length && isKeyCharacter(whole.charCodeAt(bounded.length))) {
    let end = bounded.length;
    while (end > 0 && isKeyCharacter(bounded.charCodeAt(end - 1))) end--;
    bounded = bounded.slice(0, end);
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const printable = bounded.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');
  const labelled = printable
    .replace(COOKIE_LINE, (_all, label: string, separator: string) => `${label}${separator}${REDACTED}`)
    .replace(BEARER, (_all, scheme: string, space: string) => `${scheme}${space}${REDACTED}`)
    .replace(BASIC, (_all, scheme: string, space: string) => `${scheme}${space}${REDACTED}`)
    .replace(LABELLED_VALUE, (_all, label: string, separator: string) => `${label}${separator}${REDACTED}`);
  const redacted = cutTokens(labelled);
  return capLength(redacted, maxLength);
}

/** Caps text without leaving half of a `[redacted]` marker behind. */
function capLength(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength);
  const openMarker = cut.lastIndexOf('[');
  return openMarker >= 0 && !cut.slice(openMarker).includes(']') && REDACTED.startsWith(cut.slice(openMarker))
    ? cut.slice(0, openMarker)
    : cut;
}

/** Whether redactText would leave the text as it is: the check the report schema makes. */
export function isRedacted(text: string, maxLength = MAX_SCANNED_LENGTH): boolean {
  return text.length <= MAX_SCANNED_LENGTH && redactText(text, maxLength) === text;
}

const MAX_REPORT_PATH_LENGTH = 512;

/**
 * A page URL as a report may carry it: scheme, host (with a non-default port) and path only.
 * User name, password, query and fragment are dropped; any path segment holding a token is
 * replaced whole, decoded first so percent-encoding cannot smuggle one through. Null for URLs
 * that are not http(s).
 */
export function redactUrl(input: string): string | null {
  let url: URL;
  try {
    url = new URL(String(input).slice(0, MAX_SCANNED_LENGTH * 2));
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const segments = url.pathname.split('/').map((segment) => (segmentIsClean(segment) ? segment : REDACTED));
  let path = segments.join('/');
  if (path.length > MAX_REPORT_PATH_LENGTH) path = path.slice(0, path.lastIndexOf('/', MAX_REPORT_PATH_LENGTH)) + '/…';
  return `${url.protocol}//${url.host}${path}`;
}

function segmentIsClean(segment: string): boolean {
  if (segment === '') return true;
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // Malformed escapes: judge the raw text.
  }
  return isRedacted(segment) && isRedacted(decoded);
}
