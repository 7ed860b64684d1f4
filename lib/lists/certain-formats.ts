import { plainHostEnd } from './plain-host.ts';

/**
 * Fast yes-or-don't-know answers for the list schema's string formats, so validating a list of a
 * million entries does not run zod's URL parse and ISO regex union per entry. Each function
 * answers true only for text the schema certainly accepts unchanged; false means "not sure", and
 * the caller lets zod decide (and word the error). list-schema-fast.test.ts checks them against zod.
 */

const DOT = 46;
const HYPHEN = 45;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * RFC 3986's unreserved and reserved characters and `%`: printable ASCII without space, `"`, `<`,
 * `>`, `\`, `^`, `` ` ``, `{`, `|`, `}`. After the host no URL parser fails on these, and none is
 * trimmed or stripped, so the text comes out of the schema as it went in.
 */
const URL_TAIL_CHARS = (() => {
  const allowed = new Uint8Array(128);
  for (const char of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%") allowed[char.charCodeAt(0)] = 1;
  return allowed;
})();

/**
 * True when `text` is an `http://` or `https://` URL within `maxLength` that zod's
 * `z.url({ protocol: /^https?$/ })` accepts and returns unchanged, in every URL parser: a plain
 * host (plain-host.ts), no port or credentials, then plain ASCII. False means "not sure".
 */
export function isCertainHttpUrl(text: string, maxLength: number): boolean {
  const length = text.length;
  if (length > maxLength) return false;
  let hostStart: number;
  if (text.startsWith('https://')) hostStart = 8;
  else if (text.startsWith('http://')) hostStart = 7;
  else return false;
  const hostEnd = plainHostEnd(text, hostStart);
  if (hostEnd < 0) return false;
  for (let i = hostEnd; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || URL_TAIL_CHARS[code] === 0) return false;
  }
  return true;
}

/** Two digits at `at` as a number, or -1. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const ones = text.charCodeAt(at + 1) - 48;
  // Written so NaN (past the end) fails too.
  if (!(tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9)) return -1;
  return tens * 10 + ones;
}

/** `hh:mm` with hh 00–23 and mm 00–59, at `at`. */
function isHourMinute(text: string, at: number): boolean {
  const hour = twoDigits(text, at);
  const minute = twoDigits(text, at + 3);
  return hour >= 0 && hour <= 23 && text.charCodeAt(at + 2) === 58 && minute >= 0 && minute <= 59;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * True when `text` is a date (`2026-11-26`) or a date-time with seconds and an offset
 * (`2026-11-26T08:00:00Z`, `…T08:00:00.123+05:30`) that the schema's ISO union accepts.
 * 29 February goes to zod, which knows its leap years; false means "not sure".
 */
export function isCertainIsoDate(text: string): boolean {
  const length = text.length;
  if (length !== 10 && length < 20) return false;
  for (let i = 0; i < 4; i++) if (!isDigit(text.charCodeAt(i))) return false;
  if (text.charCodeAt(4) !== HYPHEN || text.charCodeAt(7) !== HYPHEN) return false;
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month]!) return false;
  if (length === 10) return true;
  // T hh:mm:ss [.fraction] (Z | ±hh:mm)
  if (text.charCodeAt(10) !== 84 || !isHourMinute(text, 11) || text.charCodeAt(16) !== 58) return false;
  const second = twoDigits(text, 17);
  if (second < 0 || second > 59) return false;
  let at = 19;
  if (text.charCodeAt(at) === DOT) {
    const fractionStart = ++at;
    while (at < length && isDigit(text.charCodeAt(at))) at++;
    if (at === fractionStart) return false;
  }
  if (at === length - 1) return text.charCodeAt(at) === 90; // Z
  const sign = text.charCodeAt(at);
  return at === length - 6 && (sign === 43 || sign === HYPHEN) && isHourMinute(text, at + 1);
}
