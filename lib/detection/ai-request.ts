/**
 * Recognises requests shaped like calls to an AI API (docs/relay-signals.md §2): OpenAI-compatible,
 * Anthropic, Gemini and Azure OpenAI. It runs on every request the browser makes, so it leaves
 * early on a substring test and parses a URL only when the URL or headers look promising.
 *
 * Whether the host is the vendor, a vetted intermediary or a relay is decided elsewhere; this
 * module only says "this is AI API traffic, of this protocol, carrying this kind of credential".
 * The credential's value never leaves this module.
 *
 * About 470 lines, kept in one file: the four protocols' shapes and the credential carriers make
 * one decision per request, and every part is a small named function. Header reading
 * (request-headers.ts) and the URL's bounds (bounded-url.ts) live beside it.
 */
import { normalizeHost } from '../core/host.ts';
import { canonicalPath } from '../core/url-path.ts';
import { accountOfCall } from '../core/gateway-accounts.ts';
import { boundedUrl } from './bounded-url.ts';
import { classifySecret, findSecrets } from './keys.ts';
import { bearerToken, nonBlank, readHeaderFacts, type HeaderFacts } from './request-headers.ts';
import type { GatewayId, SecretFormat, SecretKind, SecretMatch, VendorId } from './keys.ts';

export type AiProtocol = 'openai' | 'anthropic' | 'gemini' | 'azure-openai';

type CredentialCarrier = 'authorization-bearer' | 'x-api-key' | 'x-goog-api-key' | 'api-key' | 'query-key' | 'websocket-protocol' | 'body';

interface AiCredential {
  carrier: CredentialCarrier;
  /** 'unknown': a credential is present but matches no known key or token shape. */
  kind: SecretKind | 'unknown';
  vendor?: VendorId;
  gateway?: GatewayId;
  /**
   * With `keyEnding` asked for, a vendor credential's format and last four characters, as
   * vendor dashboards display them (the key history names the key to rotate with them). Four
   * characters, never more: the value itself does not leave this module.
   */
  format?: SecretFormat;
  last4?: string;
}

type SdkHint = 'stainless' | 'anthropic-browser';

export interface AiRequestClassification {
  protocol: AiProtocol;
  /** e.g. 'chat.completions', 'messages', 'generateContent', 'models', 'audio', 'other'. */
  operation: string;
  /** The canonical host (normalizeHost: lower-case ASCII, no trailing dot, IPv6 unbracketed). */
  host: string;
  credential: AiCredential | null;
  sdkHint?: SdkHint;
  /** On a multi-tenant gateway (lib/core/gateway-accounts.ts), the account id the path names. */
  account?: string;
}

/** webRequest's array form and plain header records are both accepted. */
export type RequestHeaders = Array<{ name: string; value?: string }> | Record<string, string>;

export interface AiRequestInput {
  url: string;
  method: string;
  /** Absent in onBeforeRequest; then only the URL can be judged. */
  requestHeaders?: RequestHeaders;
  /** webRequest resource type. */
  type?: string;
  /** Accepted so webRequest details can be passed as they are; not needed to classify. */
  initiator?: string;
  /** What the request body carried (bodyCredential, read in onBeforeRequest); never the value. */
  bodyCredential?: BodyCredential | null;
}

/** The credential a request body carried, by kind: the body's text never leaves bodyCredential. */
export interface BodyCredential {
  kind: SecretKind;
  vendor?: VendorId;
  gateway?: GatewayId;
  /** With `keyEnding` asked for: a vendor credential's format and last four characters (AiCredential). */
  format?: SecretFormat;
  last4?: string;
}

interface RequestShape {
  protocol: AiProtocol;
  operation: string;
}

/**
 * Documents and static subresources are never API calls, whatever their path (a docs page at
 * /docs/v1/chat/completions). Unknown types stay eligible: missing a future fetch-like type would
 * be worse than classifying an odd asset.
 */
const NON_API_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'main_frame',
  'stylesheet',
  'script',
  'image',
  'imageset',
  'font',
  'media',
  'object',
  'csp_report',
  'web_manifest',
  'speculative',
  'xslt',
  'xml_dtd',
]);

const SUPPORTED_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:', 'ws:', 'wss:']);

/**
 * Every path shape below contains one of these, in any case (`/V1/…` is routed too); most URLs
 * contain neither. `/v1` also matches /v1beta and /v1alpha.
 */
const PATH_MARKER = /\/v1|\/openai\/deployments\//i;
const AZURE_MARKER = '/openai/deployments/';

const OPENAI_OPERATIONS: ReadonlyMap<string, string> = new Map([
  ['chat/completions', 'chat.completions'],
  ['completions', 'completions'],
  ['responses', 'responses'],
  ['embeddings', 'embeddings'],
  ['models', 'models'],
  ['images/generations', 'images'],
  ['images/edits', 'images'],
  ['images/variations', 'images'],
  ['realtime', 'realtime'],
]);

/**
 * Words that ordinary REST APIs use too (`/api/v1/models` on a car site, `/api/v1/responses` on
 * a survey site). When headers are known, these need an API credential or an SDK header as well.
 */
const GENERIC_OPENAI_OPERATIONS: ReadonlySet<string> = new Set(['models', 'responses', 'completions']);

const AZURE_DEPLOYMENT_OPERATIONS: ReadonlySet<string> = new Set([
  'chat.completions',
  'completions',
  'embeddings',
  'images',
  'audio',
]);
const AZURE_DEPLOYMENT_PATH = /\/openai\/deployments\/[^/]+\/(.+)$/;

const GEMINI_VERSION_SEGMENTS = ['/v1/', '/v1beta/', '/v1alpha/'] as const;
const GEMINI_ACTION = /^[a-z]+$/;
/** Keyed by the canonical (lower-case) path's spelling; the value is Google's. */
const GEMINI_ACTIONS: ReadonlyMap<string, string> = new Map(
  ['generateContent', 'streamGenerateContent', 'countTokens', 'embedContent', 'batchEmbedContents'].map((action) => [action.toLowerCase(), action]),
);

const ANTHROPIC_MESSAGE_OPERATIONS: ReadonlySet<string> = new Set(['messages', 'messages.count_tokens']);

/** Native carrier first; a relay may accept any of them, so the others follow. */
const CARRIER_PREFERENCE: Readonly<Record<AiProtocol, readonly CredentialCarrier[]>> = {
  openai: ['authorization-bearer', 'api-key', 'x-api-key', 'websocket-protocol', 'query-key', 'body'],
  anthropic: ['x-api-key', 'authorization-bearer', 'body'],
  gemini: ['x-goog-api-key', 'query-key', 'authorization-bearer', 'body'],
  'azure-openai': ['api-key', 'authorization-bearer', 'body'],
};

/** Query parameters that carry a key where no header can (EventSource, a WebSocket, a link). */
const QUERY_KEY_PARAMETERS = ['key', 'api_key', 'api-key', 'apikey'] as const;
/**
 * Operations a page may stream with EventSource, which can only GET: a relay that offers them
 * that way takes the prompt and the key in the query.
 */
const EVENT_STREAM_OPERATIONS: ReadonlySet<string> = new Set(['chat.completions', 'completions', 'responses']);
/** Where a vendor key goes by design in ordinary web apps (Google API keys, Maps and Firebase included). */
const PUBLIC_BY_DESIGN_VENDORS: ReadonlySet<VendorId> = new Set(['google']);
/** How much of a request body is read for a credential: keys sit near the start of what pages send. */
export const MAX_BODY_CHARS = 32 * 1024;

export interface ClassifyOptions {
  /** Add a vendor credential's format and last four characters (AiCredential's `last4`). */
  readonly keyEnding?: boolean;
}

/**
 * Returns null for anything that is not AI-API-shaped, including garbage input. Bearer tokens
 * alone prove nothing (most websites use them); a path or Anthropic header shape is required.
 */
export function classifyAiRequest(req: AiRequestInput, options: ClassifyOptions = {}): AiRequestClassification | null {
  if (!req || typeof req.url !== 'string' || typeof req.method !== 'string') return null;
  const method = req.method.length > 16 ? '' : req.method.toUpperCase();
  // A form posted into a frame is a call, whatever frame shows the answer; a frame's GET is a page.
  if (typeof req.type === 'string' && NON_API_RESOURCE_TYPES.has(req.type)) return null;
  if (req.type === 'sub_frame' && method !== 'POST') return null;
  const rawUrl = boundedUrl(req.url);
  if (rawUrl === null) return null;

  const hasPathMarker = PATH_MARKER.test(rawUrl);
  const body = req.bodyCredential ?? null;
  if (!hasPathMarker && req.requestHeaders === undefined && body === null) return null;
  const headers = readHeaderFacts(req.requestHeaders);
  const vendorKey = vendorKeyAnywhere(headers, body);
  if (!hasPathMarker && !isAnthropicClient(headers) && !vendorKey) return null;

  const url = parseHttpUrl(rawUrl);
  if (!url) return null;
  // The canonical host (no trailing dot, no brackets), as the lists are asked about it.
  const host = normalizeHost(`${url.protocol}//${url.host}`);
  if (!host.ok) return null;
  const path = canonicalPath(url.pathname);
  const account = accountOfCall(host.value.host, path);
  // A vendor key sent anywhere is an AI call whatever the path (a same-origin `/api/chat` proxy).
  const shape =
    matchShape(path, url, method, headers, body) ??
    (account ? matchGatewayAccountPath(path.slice(account.pathPrefix.length), method, headers, url, body) : null) ??
    (vendorKey ? vendorKeyShape(vendorKey) : null);
  if (!shape) return null;

  const result: AiRequestClassification = {
    protocol: shape.protocol,
    operation: shape.operation,
    host: host.value.host,
    credential: findCredential(shape.protocol, headers, url, host.value.host, body, options.keyEnding === true),
  };
  const sdkHint = detectSdk(headers);
  if (sdkHint) result.sdkHint = sdkHint;
  if (account) result.account = account.id;
  return result;
}

/**
 * A multi-tenant gateway forwards `<provider>/<the provider's own route>` after the account
 * (Cloudflare: `/v1/<account>/<gateway>/openai/chat/completions`, `…/compat/chat/completions`);
 * routes that keep their `/v1/` were matched already.
 */
function matchGatewayAccountPath(rest: string, method: string, headers: HeaderFacts, url: URL, body: BodyCredential | null): RequestShape | null {
  const providerEnd = rest.indexOf('/');
  return providerEnd < 0 ? null : matchOpenAi(`/v1/${rest.slice(providerEnd + 1)}`, method, headers, url, body);
}

function matchShape(path: string, url: URL, method: string, headers: HeaderFacts, body: BodyCredential | null): RequestShape | null {
  return (
    matchGemini(path, method) ??
    matchAzure(path, url, method) ??
    matchAnthropicPath(path, method, headers) ??
    matchOpenAi(path, method, headers, url, body) ??
    // The Anthropic SDK and Claude Code send these headers to whatever base URL they are given,
    // so they identify Anthropic traffic on any path.
    (isAnthropicClient(headers) ? { protocol: 'anthropic', operation: 'other' } : null)
  );
}

function matchGemini(path: string, method: string): RequestShape | null {
  // v1beta is Google's alone, so its model list needs no further evidence.
  if (path.endsWith('/v1beta/models')) return method === 'GET' ? { protocol: 'gemini', operation: 'models' } : null;
  if (method !== 'POST' || !path.includes(':')) return null;
  const action = geminiAction(path);
  const operation = action === undefined ? undefined : GEMINI_ACTIONS.get(action);
  return operation === undefined ? null : { protocol: 'gemini', operation };
}

/**
 * The `<action>` of `…/v1[beta|alpha]/[…/]models/<model>:<action>` (also Vertex-style
 * `/v1/projects/…/publishers/google/models/<m>:<action>`), with no `:` between the version
 * segment and `models/`. Plain index work, one pass over the path: the regular expression this
 * replaces backtracked quadratically on `/v1` + `/v1/`×n + `models:x`, a URL any page can send.
 */
function geminiAction(path: string): string | undefined {
  const colon = path.lastIndexOf(':');
  const action = path.slice(colon + 1);
  if (colon < 0 || !GEMINI_ACTION.test(action)) return undefined;
  const modelStart = path.lastIndexOf('/', colon) + 1;
  if (modelStart === colon || path.slice(modelStart, colon).includes(':')) return undefined;
  const modelsStart = modelStart - '/models/'.length;
  if (modelsStart < 0 || !path.startsWith('/models/', modelsStart)) return undefined;
  // The version segment must end where `models/` starts or before, with no `:` after it.
  const prefix = path.slice(path.lastIndexOf(':', modelsStart) + 1, modelsStart + 1);
  return GEMINI_VERSION_SEGMENTS.some((segment) => prefix.includes(segment)) ? action : undefined;
}

function matchAzure(path: string, url: URL, method: string): RequestShape | null {
  if (method !== 'POST' || !path.includes(AZURE_MARKER)) return null;
  const tail = AZURE_DEPLOYMENT_PATH.exec(path)?.[1];
  const operation = tail === undefined ? null : openAiOperation(tail);
  if (!operation || !AZURE_DEPLOYMENT_OPERATIONS.has(operation)) return null;
  // Azure rejects calls without api-version, so its absence means this is not Azure's API.
  return url.searchParams.has('api-version') ? { protocol: 'azure-openai', operation } : null;
}

/**
 * POST …/v1/messages is Anthropic's endpoint but also a common REST route (chat apps post user
 * messages there with a bearer session token). So when headers are known, the path needs the
 * Anthropic marker headers or x-api-key; when they are not (onBeforeRequest), POST plus path
 * suffices. A GET there is never Anthropic's Messages API without the marker headers.
 */
function matchAnthropicPath(path: string, method: string, headers: HeaderFacts): RequestShape | null {
  const tail = v1Tail(path);
  const operation = tail === null ? null : anthropicOperation(tail);
  if (!operation) return null;
  if (isAnthropicClient(headers)) return { protocol: 'anthropic', operation };
  const corroborated = !headers.known || headers.xApiKey !== undefined;
  return ANTHROPIC_MESSAGE_OPERATIONS.has(operation) && method === 'POST' && corroborated
    ? { protocol: 'anthropic', operation }
    : null;
}

function matchOpenAi(path: string, method: string, headers: HeaderFacts, url: URL, body: BodyCredential | null): RequestShape | null {
  const tail = v1Tail(path);
  const operation = tail === null ? null : openAiOperation(tail);
  if (!operation) return null;
  const streamed = method === 'GET' && headers.eventStream && EVENT_STREAM_OPERATIONS.has(operation);
  if (!openAiMethodFits(operation, method) && !streamed) return null;
  const evidence = hasApiClientEvidence(headers) || body !== null || queryKey(url) !== undefined;
  if ((GENERIC_OPENAI_OPERATIONS.has(operation) || streamed) && headers.known && !evidence) return null;
  return { protocol: 'openai', operation };
}

/** A vendor key (or Claude subscription credential) in any header or the body; Google's are public by design. */
function vendorKeyAnywhere(headers: HeaderFacts, body: BodyCredential | null): BodyCredential | null {
  for (const value of [bearerToken(headers.authorization), nonBlank(headers.xApiKey), nonBlank(headers.apiKey), nonBlank(headers.xGoogApiKey), headers.websocketKey]) {
    if (!value) continue;
    const match = classifySecret(value);
    if (match && isPrivateVendorCredential(match)) return match;
  }
  return body && isPrivateVendorCredential(body) ? body : null;
}

function isPrivateVendorCredential(match: BodyCredential): boolean {
  if (match.kind === 'subscription-credential') return true;
  return match.kind === 'vendor-key' && match.vendor !== undefined && !PUBLIC_BY_DESIGN_VENDORS.has(match.vendor);
}

function vendorKeyShape(key: BodyCredential): RequestShape {
  const anthropic = key.vendor === 'anthropic' || key.kind === 'subscription-credential';
  return { protocol: anthropic ? 'anthropic' : 'openai', operation: 'other' };
}

/**
 * The credential in a request body (JSON, form fields, text), by kind: a vendor key or Claude
 * credential first, then a relay token. Reads at most MAX_BODY_CHARS; the text is not kept.
 */
export function bodyCredential(text: string, options: ClassifyOptions = {}): BodyCredential | null {
  if (typeof text !== 'string' || text.length === 0) return null;
  const matches = findSecrets(text.slice(0, MAX_BODY_CHARS));
  const chosen: SecretMatch | undefined = matches.find((match) => match.kind !== 'relay-token') ?? matches[0];
  if (!chosen) return null;
  const credential: BodyCredential = { kind: chosen.kind };
  if (chosen.vendor) credential.vendor = chosen.vendor;
  if (chosen.gateway) credential.gateway = chosen.gateway;
  if (options.keyEnding === true && chosen.vendor && chosen.kind !== 'relay-token') {
    credential.format = chosen.format;
    credential.last4 = text.slice(Math.max(chosen.start, chosen.end - 4), chosen.end);
  }
  return credential;
}

/** Relays mount the API under any prefix (/api/v1, /openai/v1), so only the part after /v1/ counts. */
function v1Tail(path: string): string | null {
  const index = path.lastIndexOf('/v1/');
  return index < 0 ? null : path.slice(index + 4);
}

function openAiOperation(tail: string): string | null {
  const exact = OPENAI_OPERATIONS.get(tail);
  if (exact) return exact;
  if (tail.startsWith('audio/')) return 'audio';
  if (tail.startsWith('realtime/')) return 'realtime';
  return null;
}

function openAiMethodFits(operation: string, method: string): boolean {
  if (operation === 'models') return method === 'GET';
  // The websocket upgrade is a GET; realtime session/call setup is a POST.
  if (operation === 'realtime') return method === 'GET' || method === 'POST';
  return method === 'POST';
}

function anthropicOperation(tail: string): string | null {
  if (tail === 'messages') return 'messages';
  if (tail === 'messages/count_tokens') return 'messages.count_tokens';
  if (tail === 'messages/batches' || tail.startsWith('messages/batches/')) return 'messages.batches';
  if (tail === 'models' || tail.startsWith('models/')) return 'models';
  if (tail === 'complete') return 'complete';
  return null;
}

/**
 * `anthropic-version` is sent by every Anthropic client, whether it authenticates with x-api-key
 * or with a Bearer OAuth token (Claude Code with a subscription, the credential relays harvest);
 * `anthropic-dangerous-direct-browser-access` only by the Anthropic SDK running in a page.
 */
function isAnthropicClient(headers: HeaderFacts): boolean {
  return headers.anthropicVersion || headers.anthropicBrowserAccess;
}

function hasApiClientEvidence(headers: HeaderFacts): boolean {
  return (
    headers.stainless ||
    headers.websocketKey !== undefined ||
    bearerToken(headers.authorization) !== undefined ||
    headers.apiKey !== undefined ||
    headers.xApiKey !== undefined
  );
}

function findCredential(protocol: AiProtocol, headers: HeaderFacts, url: URL, host: string, body: BodyCredential | null, keyEnding: boolean): AiCredential | null {
  for (const carrier of CARRIER_PREFERENCE[protocol]) {
    if (carrier === 'body') {
      if (body) return { carrier, ...body };
      continue;
    }
    const value = credentialValue(carrier, headers, url);
    if (value !== undefined) return describeCredential(carrier, value, host, keyEnding);
  }
  return null;
}

function queryKey(url: URL): string | undefined {
  for (const name of QUERY_KEY_PARAMETERS) {
    const value = url.searchParams.get(name)?.trim();
    if (value) return value;
  }
  return undefined;
}

/** undefined: this carrier holds no credential. '' : present but unreadable. */
function credentialValue(carrier: Exclude<CredentialCarrier, 'body'>, headers: HeaderFacts, url: URL): string | undefined {
  switch (carrier) {
    case 'authorization-bearer':
      return bearerToken(headers.authorization);
    case 'x-api-key':
      return nonBlank(headers.xApiKey);
    case 'x-goog-api-key':
      return nonBlank(headers.xGoogApiKey);
    case 'api-key':
      return nonBlank(headers.apiKey);
    case 'query-key':
      return queryKey(url);
    case 'websocket-protocol':
      return headers.websocketKey;
  }
}

function describeCredential(carrier: CredentialCarrier, value: string, host: string, keyEnding: boolean): AiCredential {
  // DeepSeek's key shape is ambiguous anywhere but on DeepSeek's own API host (see keys.ts).
  const match = classifySecret(value, { deepseekContext: host === 'api.deepseek.com' });
  if (!match) return { carrier, kind: 'unknown' };
  const credential: AiCredential = { carrier, kind: match.kind };
  if (match.vendor) credential.vendor = match.vendor;
  if (match.gateway) credential.gateway = match.gateway;
  if (keyEnding && match.vendor && match.kind !== 'relay-token') {
    credential.format = match.format;
    credential.last4 = value.slice(Math.max(match.start, match.end - 4), match.end);
  }
  return credential;
}

/** Only the Bearer scheme carries an API key; Basic and others are site logins. */
function detectSdk(headers: HeaderFacts): SdkHint | undefined {
  // The Anthropic browser SDK is itself Stainless-generated; the more specific hint wins.
  if (headers.anthropicBrowserAccess) return 'anthropic-browser';
  if (headers.stainless) return 'stainless';
  return undefined;
}

function parseHttpUrl(raw: string): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  return SUPPORTED_SCHEMES.has(url.protocol) ? url : null;
}
