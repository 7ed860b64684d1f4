/**
 * Gateway fingerprints carried in HTTP headers (docs/relay-signals.md §1):
 * - the dashboard SPA of new-api and its forks adds a "which user am I" header to its own
 *   `/api/*` calls (`New-API-User`, `Veloera-User`, …);
 * - the one-api family's middleware stamps every response with `X-Oneapi-Request-Id`;
 * - a LiteLLM proxy answers with `x-litellm-*` headers (shown, never scored: usually a team's
 *   own proxy).
 *
 * These run on many requests and responses, so each header costs one lower-casing and one Set
 * lookup; the only pattern test runs on a header whose name already matched. Header values are
 * never copied into a signal: a user header's value is an account id, and `detail` must be safe
 * to show.
 */
import type { GatewayFamily, Signal } from './scoring.ts';

/** webRequest's header array form (`HttpHeaders`). */
export type HeaderList = ReadonlyArray<{ name: string; value?: string }>;

interface UserHeader {
  /** The spelling the gateway's SPA uses, shown to the person. */
  readonly name: string;
  readonly family: GatewayFamily;
}

/** Keyed by lower-case name: HTTP header names are case-insensitive (and HTTP/2 lower-cases them). */
const DASHBOARD_USER_HEADERS: ReadonlyMap<string, UserHeader> = new Map(
  (
    [
      { name: 'New-API-User', family: 'new-api' },
      { name: 'Veloera-User', family: 'veloera' },
      { name: 'voapi-user', family: 'voapi' },
      { name: 'Rix-Api-User', family: 'rix-api' },
      { name: 'neo-api-user', family: 'neo-api' },
    ] as const
  ).map((header) => [header.name.toLowerCase(), header]),
);

const ONEAPI_REQUEST_ID_HEADER = 'X-Oneapi-Request-Id';
const ONEAPI_REQUEST_ID_LOWER = ONEAPI_REQUEST_ID_HEADER.toLowerCase();
/** one-api's request id is a timestamp followed by random digits: 23–31 digits in all. */
const ONEAPI_REQUEST_ID_VALUE = /^\d{23,31}$/;

const LITELLM_HEADER_PREFIX = 'x-litellm-';

/**
 * Header names and values are the page's (or its server's): only this much of each is read. The
 * names and the request id this looks for are far shorter; a LiteLLM detail shows 200 at most.
 */
const MAX_HEADER_NAME_CHARS = 256;
const MAX_REQUEST_ID_VALUE_CHARS = 64;

/** `dashboard-user-header` for each gateway user header on a request (name only, never the value). */
export function signalsFromRequestHeaders(headers: HeaderList): Signal[] {
  const signals: Signal[] = [];
  const seen = new Set<string>();
  for (const { name } of headers) {
    const lowerName = name.slice(0, MAX_HEADER_NAME_CHARS).toLowerCase();
    const userHeader = DASHBOARD_USER_HEADERS.get(lowerName);
    if (!userHeader || seen.has(lowerName)) continue;
    seen.add(lowerName);
    signals.push({ id: 'dashboard-user-header', detail: userHeader.name, family: userHeader.family });
  }
  return signals;
}

/**
 * `gateway-response-header` for a one-api request id whose value has the gateway's shape (a bare
 * header name could be copied by anyone; the digit count is the gateway's own), and
 * `litellm-proxy-header` for the first `x-litellm-*` header. At most one of each.
 */
export function signalsFromResponseHeaders(headers: HeaderList): Signal[] {
  let oneApiRequestId: Signal | undefined;
  let litellm: Signal | undefined;
  for (const { name, value } of headers) {
    const lowerName = name.slice(0, MAX_HEADER_NAME_CHARS).toLowerCase();
    if (lowerName === ONEAPI_REQUEST_ID_LOWER) {
      if (!oneApiRequestId && value !== undefined && ONEAPI_REQUEST_ID_VALUE.test(value.slice(0, MAX_REQUEST_ID_VALUE_CHARS).trim())) {
        oneApiRequestId = { id: 'gateway-response-header', detail: ONEAPI_REQUEST_ID_HEADER, family: 'one-api' };
      }
    } else if (!litellm && lowerName.startsWith(LITELLM_HEADER_PREFIX)) {
      // The name is the gateway's vocabulary, but a page-chosen suffix could be long: bound it.
      litellm = { id: 'litellm-proxy-header', detail: lowerName.slice(0, 200), family: 'litellm' };
    }
  }
  return [oneApiRequestId, litellm].filter((signal) => signal !== undefined);
}
