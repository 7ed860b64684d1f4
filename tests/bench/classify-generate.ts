import type { AiProtocol, AiRequestInput } from '../../lib/detection/ai-request.ts';
import { ALNUM, HEX, KEY_CHARS, LOWER_ALNUM, OPENAI_MARKER, chars, oneApiUuidTail } from '../support/generated-keys.ts';
import { weightedPicker, type Rng } from './prng.ts';

/**
 * Request details as the background's onBeforeSendHeaders listener receives them (URL, method,
 * webRequest resource type, the header array Chromium passes with 'requestHeaders' +
 * 'extraHeaders'), in a mix shaped like a day of browsing: mostly scripts, images, styles, REST
 * calls with bearer session tokens and analytics beacons, with a small share of AI-API calls of
 * every protocol carrying generated credentials. Each sample says what the classifier should
 * answer, so the bench can show it timed the real work (AI calls recognised, nothing else flagged).
 */

type Header = { name: string; value: string };

export interface RequestSample {
  readonly kind: RequestKind;
  readonly details: AiRequestInput;
  /** The protocol the classifier must report, or null: not AI-API traffic. */
  readonly expected: AiProtocol | null;
}

export const REQUEST_MIX = [
  ['script', 17],
  ['image', 24],
  ['stylesheet or font', 7],
  ['document (main_frame / sub_frame)', 3],
  ['REST XHR/fetch with a bearer session token, /api/v1/… path', 14],
  ['REST XHR/fetch, other paths (GraphQL, /api/…)', 10],
  ['analytics beacon (ping / sendBeacon / collector XHR)', 13],
  ['websocket', 1],
  ['media', 1],
  ['AI API: OpenAI-compatible (relay tokens, vendor keys)', 3],
  ['AI API: Anthropic', 1.5],
  ['AI API: Gemini', 1],
  ['AI API: Azure OpenAI', 0.5],
] as const;
type RequestKind = (typeof REQUEST_MIX)[number][0];

const SITES = ['shop.example', 'news.example.org', 'maps.example.net', 'video.example.com', 'bank.example.co.uk', 'forum.example.io', 'mail.example.com', 'docs.example.dev'];
const CDNS = ['cdn.example-static.com', 'static.example.org', 'assets.examplecdn.net', 'img.example-images.com'];
const ANALYTICS = [
  (rng: Rng) => `https://www.google-analytics.com/g/collect?v=2&tid=G-${chars(10, rng.int(1, 1e6), ALNUM)}&cid=${rng.int(1e8, 1e9)}.${rng.int(1e8, 1e9)}&en=page_view`,
  (rng: Rng) => `https://api.segment.io/v1/${rng.pick(['t', 'p', 'i', 'batch'])}`,
  (rng: Rng) => `https://o${rng.int(1e5, 9e5)}.ingest.sentry.io/api/${rng.int(1, 9999)}/envelope/?sentry_key=${chars(32, rng.int(1, 1e6), HEX)}`,
  (rng: Rng) => `https://stats.example-metrics.com/collect?e=scroll&p=${rng.int(1, 100)}&sid=${chars(16, rng.int(1, 1e6), HEX)}`,
  (rng: Rng) => `https://bat.example-ads.net/action/0?ti=${rng.int(1e6, 9e6)}&evt=pageLoad&mid=${chars(36, rng.int(1, 1e6), HEX)}`,
];
const REST_RESOURCES = ['users', 'orders', 'cart', 'messages', 'notifications', 'products', 'search', 'feed', 'comments', 'settings', 'sessions', 'threads'];
const MODELS = ['gpt-4o-mini', 'gpt-4.1', 'claude-sonnet-4-5', 'deepseek-chat', 'qwen-max', 'gemini-2.5-flash'];
const RELAYS = ['api.cheap-relay.example', 'gpt.fast-proxy.example', 'oneapi.example-gateway.net', 'ai.example-mirror.cn', 'relay.example.workers.dev', 'api.openai.com', 'openrouter.ai', 'api.deepseek.com'];

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const SEC_CH_UA = '"Chromium";v="156", "Not)A;Brand";v="24"';

function browserHeaders(rng: Rng, site: string, accept: string, extra: readonly Header[] = []): Header[] {
  const headers: Header[] = [
    { name: 'sec-ch-ua', value: SEC_CH_UA },
    { name: 'sec-ch-ua-mobile', value: '?0' },
    { name: 'User-Agent', value: UA },
    { name: 'Accept', value: accept },
    { name: 'sec-ch-ua-platform', value: '"Linux"' },
    { name: 'Referer', value: `https://${site}/${rng.pick(REST_RESOURCES)}/${rng.int(1, 99999)}` },
    { name: 'Accept-Language', value: rng.pick(['en-US,en;q=0.9', 'zh-CN,zh;q=0.9,en;q=0.8', 'de-DE,de;q=0.9,en;q=0.7']) },
    ...extra,
  ];
  if (rng.chance(0.5)) headers.push({ name: 'Cookie', value: `sid=${chars(24, rng.int(1, 1e6))}; _ga=GA1.1.${rng.int(1e8, 1e9)}.${rng.int(1e8, 1e9)}` });
  return headers;
}

function sessionJwt(rng: Rng): string {
  return `eyJ${chars(rng.int(18, 30), rng.int(1, 1e6))}.eyJ${chars(rng.int(40, 160), rng.int(1, 1e6))}.${chars(43, rng.int(1, 1e6), KEY_CHARS)}`;
}

/** Credentials a relay's customer or a vendor's customer would send; generated, never real. */
function openAiCompatibleKey(rng: Rng): string {
  const seed = rng.int(1, 1e6);
  switch (rng.int(0, 5)) {
    case 0: return `sk-proj-${chars(74, seed, KEY_CHARS)}${OPENAI_MARKER}${chars(74, seed + 1, KEY_CHARS)}`;
    case 1: return `sk-${chars(48, seed)}`; // new-api
    case 2: return `sk-${chars(16, seed)}${oneApiUuidTail(seed + 1)}`; // one-api
    case 3: return `sk-or-v1-${chars(64, seed, HEX)}`; // OpenRouter
    case 4: return `sk-${chars(32, seed, LOWER_ALNUM)}`; // DeepSeek-shaped
    default: return `sk-${chars(64, seed, HEX)}`; // sub2api
  }
}

const stainless = (rng: Rng): Header[] => [
  { name: 'x-stainless-lang', value: 'js' },
  { name: 'x-stainless-package-version', value: `${rng.int(4, 7)}.${rng.int(0, 90)}.${rng.int(0, 9)}` },
  { name: 'x-stainless-os', value: 'Linux' },
  { name: 'x-stainless-runtime', value: 'browser:chrome' },
];

function make(kind: RequestKind, rng: Rng): RequestSample {
  const site = rng.pick(SITES);
  const id = rng.int(1, 9_999_999);
  switch (kind) {
    case 'script': {
      const url = `https://${rng.pick(CDNS)}/${rng.pick(['assets', 'js', '_next/static/chunks', 'build'])}/${rng.pick(['app', 'vendor', 'runtime', 'main', 'polyfills'])}.${chars(12, id, HEX)}.js`;
      return { kind, expected: null, details: { url, method: 'GET', type: 'script', requestHeaders: browserHeaders(rng, site, '*/*') } };
    }
    case 'image': {
      const url = `https://${rng.pick(CDNS)}/img/${chars(rng.int(8, 20), id, LOWER_ALNUM)}.${rng.pick(['webp', 'jpg', 'png', 'avif'])}?w=${rng.pick([320, 640, 1280])}&q=75`;
      return { kind, expected: null, details: { url, method: 'GET', type: 'image', requestHeaders: browserHeaders(rng, site, 'image/avif,image/webp,image/apng,image/*,*/*;q=0.8') } };
    }
    case 'stylesheet or font': {
      const font = rng.chance(0.4);
      const url = `https://${rng.pick(CDNS)}/${font ? 'fonts' : 'css'}/${chars(10, id, LOWER_ALNUM)}.${font ? 'woff2' : 'css'}`;
      return { kind, expected: null, details: { url, method: 'GET', type: font ? 'font' : 'stylesheet', requestHeaders: browserHeaders(rng, site, font ? '*/*' : 'text/css,*/*;q=0.1') } };
    }
    case 'document (main_frame / sub_frame)': {
      // Some are API documentation pages whose path looks like an endpoint.
      const path = rng.chance(0.3) ? `/docs/api/v1/${rng.pick(['chat/completions', 'messages', 'models'])}` : `/${rng.pick(REST_RESOURCES)}/${id}`;
      return { kind, expected: null, details: { url: `https://${site}${path}`, method: 'GET', type: rng.chance(0.8) ? 'main_frame' : 'sub_frame', requestHeaders: browserHeaders(rng, site, 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8') } };
    }
    case 'REST XHR/fetch with a bearer session token, /api/v1/… path': {
      const resource = rng.pick(REST_RESOURCES);
      const post = rng.chance(0.35);
      // POST /api/v1/messages with a session token is a chat app's own route, not Anthropic's API.
      const url = `https://api.${site}/api/v1/${resource}${post ? '' : `/${id}?include=${rng.pick(['author', 'items', 'meta'])}&page=${rng.int(1, 20)}`}`;
      const headers = browserHeaders(rng, site, 'application/json, text/plain, */*', [
        { name: 'Authorization', value: `Bearer ${sessionJwt(rng)}` },
        ...(post ? [{ name: 'Content-Type', value: 'application/json' }] : []),
        { name: 'Origin', value: `https://${site}` },
      ]);
      return { kind, expected: null, details: { url, method: post ? 'POST' : 'GET', type: 'xmlhttprequest', requestHeaders: headers } };
    }
    case 'REST XHR/fetch, other paths (GraphQL, /api/…)': {
      const graphql = rng.chance(0.4);
      const url = graphql ? `https://${site}/graphql` : `https://${site}/api/${rng.pick(REST_RESOURCES)}/${id}`;
      const headers = browserHeaders(rng, site, 'application/json', [
        ...(rng.chance(0.6) ? [{ name: 'Authorization', value: `Bearer ${sessionJwt(rng)}` }] : []),
        { name: 'X-CSRF-Token', value: chars(32, id, ALNUM) },
      ]);
      return { kind, expected: null, details: { url, method: graphql ? 'POST' : 'GET', type: 'xmlhttprequest', requestHeaders: headers } };
    }
    case 'analytics beacon (ping / sendBeacon / collector XHR)': {
      const url = rng.pick(ANALYTICS)(rng);
      const segment = url.includes('segment.io');
      const headers = browserHeaders(rng, site, '*/*', segment ? [{ name: 'Authorization', value: `Basic ${chars(28, id, ALNUM)}=` }, { name: 'Content-Type', value: 'text/plain' }] : [{ name: 'Content-Type', value: 'text/plain;charset=UTF-8' }]);
      return { kind, expected: null, details: { url, method: 'POST', type: segment ? 'xmlhttprequest' : 'ping', requestHeaders: headers } };
    }
    case 'websocket':
      return { kind, expected: null, details: { url: `wss://realtime.${site}/socket?vsn=2.0.0&token=${chars(24, id)}`, method: 'GET', type: 'websocket', requestHeaders: browserHeaders(rng, site, '*/*', [{ name: 'Upgrade', value: 'websocket' }, { name: 'Sec-WebSocket-Version', value: '13' }]) } };
    case 'media':
      return { kind, expected: null, details: { url: `https://${rng.pick(CDNS)}/video/${id}/seg-${rng.int(1, 400)}.m4s`, method: 'GET', type: 'media', requestHeaders: browserHeaders(rng, site, '*/*', [{ name: 'Range', value: `bytes=${rng.int(0, 1e6)}-` }]) } };
    case 'AI API: OpenAI-compatible (relay tokens, vendor keys)': {
      const relay = rng.pick(RELAYS);
      const [path, method] = rng.pick([['/v1/chat/completions', 'POST'], ['/v1/chat/completions', 'POST'], ['/v1/responses', 'POST'], ['/v1/embeddings', 'POST'], ['/v1/models', 'GET'], ['/api/v1/chat/completions', 'POST']] as const);
      const headers = browserHeaders(rng, site, 'application/json', [
        { name: 'Authorization', value: `Bearer ${openAiCompatibleKey(rng)}` },
        { name: 'Content-Type', value: 'application/json' },
        ...(rng.chance(0.6) ? stainless(rng) : []),
      ]);
      return { kind, expected: 'openai', details: { url: `https://${relay}${path}`, method, type: 'xmlhttprequest', requestHeaders: headers } };
    }
    case 'AI API: Anthropic': {
      const relay = rng.chance(0.3) ? 'api.anthropic.com' : rng.pick(RELAYS);
      const oauth = rng.chance(0.3);
      const secret = `sk-ant-${oauth ? 'oat01' : 'api03'}-${chars(93, id, KEY_CHARS)}AA`;
      const headers = browserHeaders(rng, site, 'application/json', [
        oauth ? { name: 'Authorization', value: `Bearer ${secret}` } : { name: 'x-api-key', value: secret },
        { name: 'anthropic-version', value: '2023-06-01' },
        { name: 'Content-Type', value: 'application/json' },
        ...(rng.chance(0.5) ? [{ name: 'anthropic-dangerous-direct-browser-access', value: 'true' }, ...stainless(rng)] : []),
      ]);
      return { kind, expected: 'anthropic', details: { url: `https://${relay}/v1/messages${rng.chance(0.1) ? '/count_tokens' : ''}`, method: 'POST', type: rng.chance(0.7) ? 'xmlhttprequest' : 'other', requestHeaders: headers } };
    }
    case 'AI API: Gemini': {
      const key = `AIza${chars(35, id, KEY_CHARS)}`;
      const inQuery = rng.chance(0.5);
      const host = rng.chance(0.5) ? 'generativelanguage.googleapis.com' : rng.pick(RELAYS);
      const url = `https://${host}/v1beta/models/${rng.pick(['gemini-2.5-flash', 'gemini-2.5-pro'])}:${rng.pick(['generateContent', 'streamGenerateContent', 'countTokens'])}${inQuery ? `?key=${key}` : '?alt=sse'}`;
      const headers = browserHeaders(rng, site, '*/*', [{ name: 'Content-Type', value: 'application/json' }, ...(inQuery ? [] : [{ name: 'x-goog-api-key', value: key }])]);
      return { kind, expected: 'gemini', details: { url, method: 'POST', type: 'xmlhttprequest', requestHeaders: headers } };
    }
    case 'AI API: Azure OpenAI': {
      const url = `https://${chars(8, id, LOWER_ALNUM)}.openai.azure.com/openai/deployments/${rng.pick(MODELS)}/${rng.pick(['chat/completions', 'embeddings'])}?api-version=2024-10-21`;
      const headers = browserHeaders(rng, site, 'application/json', [{ name: 'api-key', value: chars(32, id, HEX) }, { name: 'Content-Type', value: 'application/json' }]);
      return { kind, expected: 'azure-openai', details: { url, method: 'POST', type: 'xmlhttprequest', requestHeaders: headers } };
    }
  }
}

const pickKind = weightedPicker<RequestKind>(REQUEST_MIX);

/** `count` samples drawn per REQUEST_MIX, in random order. */
export function generateRequests(rng: Rng, count: number): RequestSample[] {
  const samples: RequestSample[] = [];
  for (let i = 0; i < count; i++) samples.push(make(pickKind(rng), rng));
  return samples;
}
