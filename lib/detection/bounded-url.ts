/**
 * Bounds on what a page can make the AI-request classifier read (it runs in the service worker
 * on every request, and a URL can be 2 MB): only the last MAX_PATH_CHARS of a path and the first
 * MAX_QUERY_CHARS of a query are read (every API path shape is decided at the path's end; the
 * query holds only `key` and `api-version`), and an authority longer than MAX_AUTHORITY_CHARS is
 * no host.
 */

const MAX_PATH_CHARS = 2048;
const MAX_QUERY_CHARS = 2048;
const MAX_AUTHORITY_CHARS = 1024;
/** Stands for the cut-off start of a path: a segment that is no marker (`/_v1/…` is not `/v1/`). */
const CUT_PATH_PREFIX = '/_';

/**
 * The URL cut to what is read (see MAX_PATH_CHARS); null when its authority is too long to be
 * a host. URLs from webRequest are already canonical (no dot segments, no backslashes), so
 * cutting the path's start changes nothing the end says.
 */
export function boundedUrl(raw: string): string | null {
  if (raw.length <= MAX_PATH_CHARS) return raw;
  const schemeEnd = raw.indexOf('://');
  if (schemeEnd < 0 || schemeEnd > 16) return null;
  const authorityStart = schemeEnd + 3;
  const searchTo = authorityStart + MAX_AUTHORITY_CHARS + 1;
  const authorityEnd = firstIndexOf(raw, ['/', '?', '#'], authorityStart, searchTo);
  if (authorityEnd < 0) return null;
  const pathEnd = firstIndexOf(raw, ['?', '#'], authorityEnd, raw.length);
  const path = raw.slice(authorityEnd, pathEnd < 0 ? raw.length : pathEnd);
  const boundedPath = path.length > MAX_PATH_CHARS ? CUT_PATH_PREFIX + path.slice(-MAX_PATH_CHARS) : path;
  const rest = pathEnd < 0 ? '' : raw.slice(pathEnd, pathEnd + MAX_QUERY_CHARS);
  return raw.slice(0, authorityEnd) + boundedPath + rest;
}

/** The first index of any of `needles` in `text` within [from, to), or -1. */
function firstIndexOf(text: string, needles: readonly string[], from: number, to: number): number {
  let first = -1;
  for (const needle of needles) {
    const index = text.indexOf(needle, from);
    if (index >= 0 && index < to && (first < 0 || index < first)) first = index;
  }
  return first;
}
