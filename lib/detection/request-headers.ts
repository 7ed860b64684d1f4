/**
 * Reads what the AI-request classifier needs from a request's headers, in one bounded pass: the
 * credential carriers, the Anthropic and Stainless SDK marks, and EventSource's Accept header.
 * Header values are page-controlled: each is read up to MAX_HEADER_VALUE_CHARS (no credential is
 * that long: it stays 'unknown') and a name up to MAX_HEADER_NAME_CHARS.
 */

const MAX_HEADER_VALUE_CHARS = 8192;
const MAX_HEADER_NAME_CHARS = 64;
const BEARER_PREFIX = 'bearer ';
const WEBSOCKET_KEY_PREFIX = 'openai-insecure-api-key.';

/** What the classifier needs from the headers, gathered in one pass. */
export interface HeaderFacts {
  /** False when the caller had no headers to give (onBeforeRequest). */
  known: boolean;
  /** Header values; '' when the header is present but its value is unreadable (binaryValue). */
  authorization?: string;
  xApiKey?: string;
  xGoogApiKey?: string;
  apiKey?: string;
  /** The realtime API's browser credential: a `openai-insecure-api-key.<key>` WebSocket subprotocol. */
  websocketKey?: string;
  anthropicVersion: boolean;
  anthropicBrowserAccess: boolean;
  stainless: boolean;
  /** `Accept: text/event-stream`: what EventSource sends, and the only header it can. */
  eventStream: boolean;
}

export function readHeaderFacts(raw: unknown): HeaderFacts {
  const facts: HeaderFacts = {
    known: false,
    anthropicVersion: false,
    anthropicBrowserAccess: false,
    stainless: false,
    eventStream: false,
  };
  if (Array.isArray(raw)) {
    facts.known = true;
    for (const entry of raw) {
      if (entry && typeof entry.name === 'string') {
        noteHeader(facts, entry.name, typeof entry.value === 'string' ? entry.value.slice(0, MAX_HEADER_VALUE_CHARS) : '');
      }
    }
  } else if (raw !== null && typeof raw === 'object') {
    facts.known = true;
    for (const [name, value] of Object.entries(raw)) {
      noteHeader(facts, name, typeof value === 'string' ? value.slice(0, MAX_HEADER_VALUE_CHARS) : '');
    }
  }
  return facts;
}

function noteHeader(facts: HeaderFacts, rawName: string, value: string): void {
  // No header this reads has a long name; a long one is lower-cased no further than that.
  const name = rawName.slice(0, MAX_HEADER_NAME_CHARS).toLowerCase();
  switch (name) {
    case 'authorization':
      facts.authorization = value;
      return;
    case 'x-api-key':
      facts.xApiKey = value;
      return;
    case 'x-goog-api-key':
      facts.xGoogApiKey = value;
      return;
    case 'api-key':
      facts.apiKey = value;
      return;
    case 'anthropic-version':
      facts.anthropicVersion = true;
      return;
    case 'anthropic-dangerous-direct-browser-access':
      facts.anthropicBrowserAccess = true;
      return;
    case 'accept':
      facts.eventStream = value.toLowerCase().includes('text/event-stream');
      return;
    case 'sec-websocket-protocol':
      facts.websocketKey = websocketKey(value);
      return;
  }
  if (name.startsWith('x-stainless-')) facts.stainless = true;
}

export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  if (authorization === '') return ''; // present, value not exposed to us
  const trimmed = authorization.trim();
  if (trimmed.length <= BEARER_PREFIX.length) return undefined;
  if (trimmed.slice(0, BEARER_PREFIX.length).toLowerCase() !== BEARER_PREFIX) return undefined;
  return nonBlank(trimmed.slice(BEARER_PREFIX.length));
}

export function nonBlank(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The key in `realtime, openai-insecure-api-key.<key>` (the realtime API's in-browser form). */
function websocketKey(value: string): string | undefined {
  for (const protocol of value.split(',')) {
    const trimmed = protocol.trim();
    if (trimmed.startsWith(WEBSOCKET_KEY_PREFIX)) return nonBlank(trimmed.slice(WEBSOCKET_KEY_PREFIX.length));
  }
  return undefined;
}
