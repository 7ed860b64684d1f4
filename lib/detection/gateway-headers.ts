/**
 * Gateway fingerprints carried in HTTP headers (docs/relay-signals.md §1):
 * - the dashboard SPA of new-api and its forks adds a "which user am I" header to its own
 *   `/api/*` calls (`New-API-User`, `Veloera-User`, …);
 * - the one-api family's middleware stamps every response with `X-Oneapi-Request-Id`: one-api
 *   as a timestamp and 8 random digits, new-api, Veloera, one-hub and done-hub as the same
 *   timestamp and 8 random letters and digits;
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
/**
 * The family's request id: `GetTimeString()` (the time as `20060102150405`, then the nanoseconds
 * within the second, unpadded: 15–23 digits) followed by 8 random characters, digits only in
 * one-api (`GetRandomNumberString`), letters and digits in new-api and the forks that share its
 * middleware (`GetRandomString`). In the lettered form the timestamp has to read as a date and
 * time, so the header name copied onto some other id does not match.
 */
// Year, month, day, hour, minute, then the seconds' tens digit and the rest: the seconds' unit
// digit and the 1–9 digits of nanoseconds run together as 2–10 digits.
const REQUEST_ID_TIMESTAMP = String.raw`20\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:[01]\d|2[0-3])[0-5]\d[0-5]\d{2,10}`;
/** one-api's all-digit form, 23–31 digits, as recognised before the timestamp was spelled out. */
const ONEAPI_REQUEST_ID_VALUE = /^\d{23,31}$/;
const NEWAPI_REQUEST_ID_VALUE = new RegExp(`^${REQUEST_ID_TIMESTAMP}[0-9A-Za-z]{8}$`);

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
 * `gateway-response-header` for a one-api-family request id whose value has the gateway's shape
 * (a bare header name could be copied by anyone; the timestamp and tail are the gateway's own),
 * and `litellm-proxy-header` for the first `x-litellm-*` header. At most one of each. The
 * all-digit form is one-api's; the lettered form is shared by new-api, Veloera, one-hub and
 * done-hub, so it names no single family.
 */
export function signalsFromResponseHeaders(headers: HeaderList): Signal[] {
  let oneApiRequestId: Signal | undefined;
  let litellm: Signal | undefined;
  for (const { name, value } of headers) {
    const lowerName = name.slice(0, MAX_HEADER_NAME_CHARS).toLowerCase();
    if (lowerName === ONEAPI_REQUEST_ID_LOWER) {
      if (!oneApiRequestId && value !== undefined) oneApiRequestId = requestIdSignal(value.slice(0, MAX_REQUEST_ID_VALUE_CHARS).trim());
    } else if (!litellm && lowerName.startsWith(LITELLM_HEADER_PREFIX)) {
      // The name is the gateway's vocabulary, but a page-chosen suffix could be long: bound it.
      litellm = { id: 'litellm-proxy-header', detail: lowerName.slice(0, 200), family: 'litellm' };
    }
  }
  return [oneApiRequestId, litellm].filter((signal) => signal !== undefined);
}

function requestIdSignal(value: string): Signal | undefined {
  if (ONEAPI_REQUEST_ID_VALUE.test(value)) return { id: 'gateway-response-header', detail: ONEAPI_REQUEST_ID_HEADER, family: 'one-api' };
  // Shared by several families (new-api, Veloera, one-hub, done-hub): it names none of them.
  if (NEWAPI_REQUEST_ID_VALUE.test(value)) return { id: 'gateway-response-header', detail: ONEAPI_REQUEST_ID_HEADER };
  return undefined;
}
