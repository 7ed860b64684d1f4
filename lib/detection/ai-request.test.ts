import { describe, expect, test } from 'vitest';
import { bodyCredential, classifyAiRequest, MAX_BODY_CHARS } from './ai-request.ts';
import type { AiRequestClassification, AiRequestInput, RequestHeaders } from './ai-request.ts';
import { KEY_CHARS, HEX, chars, oneApiUuidTail } from '../../tests/support/generated-keys.ts';

const keys = {
  openai: 'sk-proj-' + chars(74, 1, KEY_CHARS) + 'T3BlbkFJ' + chars(74, 2, KEY_CHARS),
  anthropic: 'sk-ant-api03-' + chars(93, 3, KEY_CHARS) + 'AA',
  claudeOauth: 'sk-ant-oat01-' + chars(93, 4, KEY_CHARS) + 'AA',
  google: 'AIza' + chars(35, 5, KEY_CHARS),
  openrouter: 'sk-or-v1-' + chars(64, 6, HEX),
  deepseekShaped: 'sk-' + chars(32, 7, 'abcdefghijklmnopqrstuvwxyz0123456789'),
  oneApi: 'sk-' + chars(16, 8) + oneApiUuidTail(9),
  newApi: 'sk-' + chars(48, 10),
  sub2api: 'sk-' + chars(64, 11, HEX),
  claudeRelayService: 'cr_' + chars(64, 12, HEX),
  azure: chars(32, 13, HEX),
  sessionJwt: `eyJ${chars(20, 14)}.eyJ${chars(40, 15)}.${chars(43, 16, KEY_CHARS)}`,
};

const bearer = (token: string) => ({ name: 'Authorization', value: `Bearer ${token}` });

function request(url: string, method = 'POST', requestHeaders?: RequestHeaders, type = 'xmlhttprequest'): AiRequestInput {
  return requestHeaders === undefined ? { url, method, type } : { url, method, type, requestHeaders };
}

describe('OpenAI-compatible', () => {
  test.each<[string, string, string]>([
    ['https://api.openai.com/v1/chat/completions', 'POST', 'chat.completions'],
    ['https://api.openai.com/v1/completions', 'POST', 'completions'],
    ['https://api.openai.com/v1/responses', 'POST', 'responses'],
    ['https://api.openai.com/v1/embeddings', 'POST', 'embeddings'],
    ['https://api.openai.com/v1/models', 'GET', 'models'],
    ['https://api.openai.com/v1/images/generations', 'POST', 'images'],
    ['https://api.openai.com/v1/images/edits', 'POST', 'images'],
    ['https://api.openai.com/v1/audio/speech', 'POST', 'audio'],
    ['https://api.openai.com/v1/audio/transcriptions', 'POST', 'audio'],
    ['https://api.openai.com/v1/realtime/client_secrets', 'POST', 'realtime'],
  ])('%s %s → %s', (url, method, operation) => {
    expect(classifyAiRequest(request(url, method, [bearer(keys.openai)]))).toEqual({
      protocol: 'openai',
      operation,
      host: 'api.openai.com',
      credential: { carrier: 'authorization-bearer', kind: 'vendor-key', vendor: 'openai' },
    });
  });

  test('realtime websocket', () => {
    const req = request('wss://api.openai.com/v1/realtime?model=gpt-realtime', 'GET', [bearer(keys.openai)], 'websocket');
    expect(classifyAiRequest(req)).toEqual({
      protocol: 'openai',
      operation: 'realtime',
      host: 'api.openai.com',
      credential: { carrier: 'authorization-bearer', kind: 'vendor-key', vendor: 'openai' },
    });
  });

  test.each([
    ['https://relay.example.com/api/v1/chat/completions'],
    ['https://relay.example.com/openai/v1/chat/completions'],
    ['https://relay.example.com/proxy/a/b/v1/chat/completions'],
    ['https://relay.example.com/v1/upstream/openai/v1/chat/completions'],
    ['https://relay.example.com/v1/chat/completions/'],
    ['https://relay.example.com:8443/v1/chat/completions?stream=true'],
    // What servers route alike is one path (lib/core/url-path.ts): nginx merges slashes, relays ignore case.
    ['https://relay.example.com/v1//chat/completions'],
    ['https://relay.example.com//v1///chat//completions//'],
    ['https://relay.example.com/V1/chat/completions'],
    ['https://relay.example.com/API/V1/Chat/Completions'],
    ['https://relay.example.com./v1/chat/completions'],
  ])('relay path %s', (url) => {
    expect(classifyAiRequest(request(url, 'POST', [bearer(keys.newApi)]))).toEqual({
      protocol: 'openai',
      operation: 'chat.completions',
      host: 'relay.example.com',
      credential: { carrier: 'authorization-bearer', kind: 'relay-token', gateway: 'new-api' },
    });
  });

  test('Stainless SDK headers give an sdk hint', () => {
    const headers = [bearer(keys.openai), { name: 'X-Stainless-Lang', value: 'js' }, { name: 'x-stainless-os', value: 'MacOS' }];
    expect(classifyAiRequest(request('https://relay.example.com/v1/responses', 'POST', headers))).toEqual({
      protocol: 'openai',
      operation: 'responses',
      host: 'relay.example.com',
      credential: { carrier: 'authorization-bearer', kind: 'vendor-key', vendor: 'openai' },
      sdkHint: 'stainless',
    });
  });

  test('URL alone (no headers yet, as in onBeforeRequest)', () => {
    expect(classifyAiRequest(request('https://relay.example.com/v1/models', 'GET'))).toEqual({
      protocol: 'openai',
      operation: 'models',
      host: 'relay.example.com',
      credential: null,
    });
  });

  test('host is canonical: a trailing dot (the DNS root) and IPv6 brackets are dropped, as the lists expect', () => {
    expect(classifyAiRequest(request('https://api.vetted-gw.com./v1/chat/completions', 'POST', [bearer(keys.newApi)]))?.host).toBe('api.vetted-gw.com');
    expect(classifyAiRequest(request('https://API.Vetted-GW.com.:8443/v1/embeddings', 'POST', [bearer(keys.newApi)]))?.host).toBe('api.vetted-gw.com');
    expect(classifyAiRequest(request('http://[2001:db8::1]:8080/v1/chat/completions', 'POST', [bearer(keys.newApi)]))?.host).toBe('2001:db8::1');
  });

  test('host is lower-case ASCII', () => {
    expect(classifyAiRequest(request('https://Relay.EXAMPLE.com/v1/embeddings', 'POST', [bearer(keys.newApi)]))?.host).toBe(
      'relay.example.com',
    );
    expect(classifyAiRequest(request('https://bücher.example/v1/embeddings', 'POST', [bearer(keys.newApi)]))?.host).toBe(
      'xn--bcher-kva.example',
    );
  });
});

describe('Anthropic', () => {
  const anthropicHeaders = [
    { name: 'x-api-key', value: keys.anthropic },
    { name: 'anthropic-version', value: '2023-06-01' },
  ];

  test.each<[string, string, string]>([
    ['https://api.anthropic.com/v1/messages', 'POST', 'messages'],
    ['https://api.anthropic.com/v1/messages/count_tokens', 'POST', 'messages.count_tokens'],
    ['https://api.anthropic.com/v1/messages/batches', 'POST', 'messages.batches'],
    ['https://api.anthropic.com/v1/models', 'GET', 'models'],
  ])('%s %s → %s', (url, method, operation) => {
    expect(classifyAiRequest(request(url, method, anthropicHeaders))).toEqual({
      protocol: 'anthropic',
      operation,
      host: 'api.anthropic.com',
      credential: { carrier: 'x-api-key', kind: 'vendor-key', vendor: 'anthropic' },
    });
  });

  test('Claude Code with a subscription token against a relay', () => {
    const headers = { Authorization: `Bearer ${keys.claudeOauth}`, 'anthropic-version': '2023-06-01', 'anthropic-beta': 'oauth-2025-04-20' };
    expect(classifyAiRequest(request('https://relay.example.com/api/v1/messages?beta=true', 'POST', headers))).toEqual({
      protocol: 'anthropic',
      operation: 'messages',
      host: 'relay.example.com',
      credential: { carrier: 'authorization-bearer', kind: 'subscription-credential', vendor: 'anthropic' },
    });
  });

  test('browser SDK with a claude-relay-service token', () => {
    const headers = [
      { name: 'X-Api-Key', value: keys.claudeRelayService },
      { name: 'Anthropic-Version', value: '2023-06-01' },
      { name: 'anthropic-dangerous-direct-browser-access', value: 'true' },
      { name: 'x-stainless-lang', value: 'js' },
    ];
    expect(classifyAiRequest(request('https://crs.example.com/api/v1/messages', 'POST', headers))).toEqual({
      protocol: 'anthropic',
      operation: 'messages',
      host: 'crs.example.com',
      credential: { carrier: 'x-api-key', kind: 'relay-token', gateway: 'claude-relay-service' },
      sdkHint: 'anthropic-browser',
    });
  });

  test('Anthropic headers identify Anthropic traffic on any path', () => {
    expect(classifyAiRequest(request('https://proxy.example.com/claude', 'POST', anthropicHeaders))).toEqual({
      protocol: 'anthropic',
      operation: 'other',
      host: 'proxy.example.com',
      credential: { carrier: 'x-api-key', kind: 'vendor-key', vendor: 'anthropic' },
    });
  });

  test('x-api-key is preferred over a bearer token', () => {
    const headers = [...anthropicHeaders, bearer(keys.sub2api)];
    expect(classifyAiRequest(request('https://relay.example.com/v1/messages', 'POST', headers))?.credential).toEqual({
      carrier: 'x-api-key',
      kind: 'vendor-key',
      vendor: 'anthropic',
    });
  });

  test('the browser-access header alone is enough', () => {
    const headers = [{ name: 'anthropic-dangerous-direct-browser-access', value: 'true' }];
    expect(classifyAiRequest(request('https://proxy.example.com/v1/messages', 'POST', headers))).toEqual({
      protocol: 'anthropic',
      operation: 'messages',
      host: 'proxy.example.com',
      credential: null,
      sdkHint: 'anthropic-browser',
    });
  });

  test('POST …/v1/messages with x-api-key but no version header', () => {
    const headers = [{ name: 'x-api-key', value: keys.sub2api }];
    expect(classifyAiRequest(request('https://relay.example.com/v1/messages', 'POST', headers))).toEqual({
      protocol: 'anthropic',
      operation: 'messages',
      host: 'relay.example.com',
      credential: { carrier: 'x-api-key', kind: 'relay-token', gateway: 'sub2api' },
    });
  });

  test('POST …/v1/messages with headers unknown is taken on path alone', () => {
    expect(classifyAiRequest(request('https://relay.example.com/v1/messages', 'POST'))).toEqual({
      protocol: 'anthropic',
      operation: 'messages',
      host: 'relay.example.com',
      credential: null,
    });
  });

  test('OpenAI-shaped path from an Anthropic client stays OpenAI-shaped', () => {
    const result = classifyAiRequest(request('https://api.anthropic.com/v1/chat/completions', 'POST', anthropicHeaders));
    expect(result).toEqual({
      protocol: 'openai',
      operation: 'chat.completions',
      host: 'api.anthropic.com',
      credential: { carrier: 'x-api-key', kind: 'vendor-key', vendor: 'anthropic' },
    });
  });
});

describe('Gemini', () => {
  const host = 'generativelanguage.googleapis.com';

  test.each<[string, string]>([
    ['/v1beta/models/gemini-2.5-flash:generateContent', 'generateContent'],
    ['/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', 'streamGenerateContent'],
    ['/v1/models/gemini-2.0-flash-001:countTokens', 'countTokens'],
    ['/v1beta/models/text-embedding-004:embedContent', 'embedContent'],
    ['/v1beta/models/text-embedding-004:batchEmbedContents', 'batchEmbedContents'],
    ['/V1BETA//models/gemini-2.5-flash:GenerateContent', 'generateContent'],
  ])('%s → %s', (path, operation) => {
    const headers = [{ name: 'X-Goog-Api-Key', value: keys.google }];
    expect(classifyAiRequest(request(`https://${host}${path}`, 'POST', headers))).toEqual({
      protocol: 'gemini',
      operation,
      host,
      credential: { carrier: 'x-goog-api-key', kind: 'vendor-key', vendor: 'google' },
    });
  });

  test('key in the query string', () => {
    const url = `https://gemini-proxy.example.workers.dev/v1beta/models/gemini-pro:streamGenerateContent?alt=sse&key=${keys.google}`;
    expect(classifyAiRequest(request(url, 'POST', []))).toEqual({
      protocol: 'gemini',
      operation: 'streamGenerateContent',
      host: 'gemini-proxy.example.workers.dev',
      credential: { carrier: 'query-key', kind: 'vendor-key', vendor: 'google' },
    });
  });

  test('model list', () => {
    expect(classifyAiRequest(request(`https://${host}/v1beta/models?key=${keys.google}`, 'GET', []))).toEqual({
      protocol: 'gemini',
      operation: 'models',
      host,
      credential: { carrier: 'query-key', kind: 'vendor-key', vendor: 'google' },
    });
  });

  test('Vertex-style publisher path', () => {
    const url = 'https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash:generateContent';
    expect(classifyAiRequest(request(url, 'POST', [bearer('ya29.' + chars(60, 20, KEY_CHARS))]))).toEqual({
      protocol: 'gemini',
      operation: 'generateContent',
      host: 'us-central1-aiplatform.googleapis.com',
      credential: { carrier: 'authorization-bearer', kind: 'unknown' },
    });
  });
});

describe('Azure OpenAI', () => {
  test.each<[string, string]>([
    ['chat/completions', 'chat.completions'],
    ['completions', 'completions'],
    ['embeddings', 'embeddings'],
  ])('deployments/<d>/%s → %s', (tail, operation) => {
    const url = `https://contoso.openai.azure.com/openai/deployments/gpt-4o/${tail}?api-version=2024-10-21`;
    expect(classifyAiRequest(request(url, 'POST', [{ name: 'api-key', value: keys.azure }]))).toEqual({
      protocol: 'azure-openai',
      operation,
      host: 'contoso.openai.azure.com',
      credential: { carrier: 'api-key', kind: 'unknown' },
    });
  });

  test('without api-version it is not Azure’s API', () => {
    const url = 'https://contoso.openai.azure.com/openai/deployments/gpt-4o/chat/completions';
    expect(classifyAiRequest(request(url, 'POST', [{ name: 'api-key', value: keys.azure }]))).toBeNull();
  });
});

describe('credentials', () => {
  const url = 'https://relay.example.com/v1/chat/completions';

  test.each<[string, RequestHeaders, AiRequestClassification['credential']]>([
    ['one-api token', [bearer(keys.oneApi)], { carrier: 'authorization-bearer', kind: 'relay-token', gateway: 'one-api' }],
    ['sub2api token', [bearer(keys.sub2api)], { carrier: 'authorization-bearer', kind: 'relay-token', gateway: 'sub2api' }],
    ['OpenRouter key', [bearer(keys.openrouter)], { carrier: 'authorization-bearer', kind: 'vendor-key', vendor: 'openrouter' }],
    ['unrecognised token', [bearer(keys.sessionJwt)], { carrier: 'authorization-bearer', kind: 'unknown' }],
    ['lower-case scheme, extra spaces', [{ name: 'authorization', value: `  bearer   ${keys.oneApi} ` }], { carrier: 'authorization-bearer', kind: 'relay-token', gateway: 'one-api' }],
    ['header value not exposed', [{ name: 'Authorization' }], { carrier: 'authorization-bearer', kind: 'unknown' }],
    ['api-key header', [{ name: 'API-KEY', value: keys.openai }], { carrier: 'api-key', kind: 'vendor-key', vendor: 'openai' }],
    ['x-api-key header', [{ name: 'x-api-key', value: keys.newApi }], { carrier: 'x-api-key', kind: 'relay-token', gateway: 'new-api' }],
    ['bearer preferred over x-api-key', [{ name: 'x-api-key', value: keys.newApi }, bearer(keys.openai)], { carrier: 'authorization-bearer', kind: 'vendor-key', vendor: 'openai' }],
    ['record form', { 'Content-Type': 'application/json', AUTHORIZATION: `Bearer ${keys.sub2api}` }, { carrier: 'authorization-bearer', kind: 'relay-token', gateway: 'sub2api' }],
    ['Basic auth is not an API key', [{ name: 'Authorization', value: 'Basic dXNlcjpwYXNz' }], null],
    ['empty bearer', [{ name: 'Authorization', value: 'Bearer ' }], null],
    ['no credential', [{ name: 'content-type', value: 'application/json' }], null],
  ])('%s', (_label, headers, credential) => {
    expect(classifyAiRequest(request(url, 'POST', headers))?.credential).toEqual(credential);
  });

  test('DeepSeek-shaped keys are DeepSeek keys only on DeepSeek’s API host', () => {
    const headers = [bearer(keys.deepseekShaped)];
    expect(classifyAiRequest(request('https://api.deepseek.com/v1/chat/completions', 'POST', headers))?.credential).toEqual({
      carrier: 'authorization-bearer',
      kind: 'vendor-key',
      vendor: 'deepseek',
    });
    expect(classifyAiRequest(request(url, 'POST', headers))?.credential).toEqual({ carrier: 'authorization-bearer', kind: 'unknown' });
  });

  test('the credential value never appears in the result', () => {
    for (const key of [keys.openai, keys.anthropic, keys.newApi, keys.sessionJwt]) {
      const result = classifyAiRequest(request(url, 'POST', [bearer(key), { name: 'x-api-key', value: key }]));
      expect(result).not.toBeNull();
      expect(JSON.stringify(result)).not.toContain(key.slice(10, 30));
    }
  });
});

describe('a vendor key sent anywhere is an AI call, whatever the path', () => {
  test.each<[string, AiRequestInput, Partial<AiRequestClassification>]>([
    ['a same-origin proxy at /api/chat', request('https://chat.example.com/api/chat', 'POST', [bearer(keys.openai)]), { protocol: 'openai', operation: 'other', credential: { carrier: 'authorization-bearer', kind: 'vendor-key', vendor: 'openai' } }],
    ['an Anthropic key in x-api-key', request('https://chat.example.com/backend/complete', 'POST', [{ name: 'x-api-key', value: keys.anthropic }]), { protocol: 'anthropic', operation: 'other' }],
    ['a Claude subscription credential', request('https://chat.example.com/proxy', 'POST', [bearer(keys.claudeOauth)]), { protocol: 'anthropic', credential: { carrier: 'authorization-bearer', kind: 'subscription-credential', vendor: 'anthropic' } }],
    ['a vendor key in the JSON body', { url: 'https://chat.example.com/api/chat', method: 'POST', type: 'xmlhttprequest', requestHeaders: [], bodyCredential: { kind: 'vendor-key', vendor: 'openrouter' } }, { protocol: 'openai', operation: 'other', credential: { carrier: 'body', kind: 'vendor-key', vendor: 'openrouter' } }],
  ])('%s', (_label, req, expected) => {
    expect(classifyAiRequest(req)).toMatchObject({ host: new URL(req.url).hostname, ...expected });
  });
});

describe('the other shapes a page sends calls in', () => {
  test('/v1/responses with the key in the body and no Authorization header', () => {
    const req: AiRequestInput = { url: 'https://relay.example.com/v1/responses', method: 'POST', type: 'xmlhttprequest', requestHeaders: [{ name: 'Content-Type', value: 'application/json' }], bodyCredential: { kind: 'vendor-key', vendor: 'openai' } };
    expect(classifyAiRequest(req)).toEqual({ protocol: 'openai', operation: 'responses', host: 'relay.example.com', credential: { carrier: 'body', kind: 'vendor-key', vendor: 'openai' } });
  });

  test('EventSource: a GET that asks for an event stream, the key in the query', () => {
    const req = request(`https://relay.example.com/v1/chat/completions?stream=true&api_key=${keys.newApi}`, 'GET', [{ name: 'Accept', value: 'text/event-stream' }], 'other');
    expect(classifyAiRequest(req)).toEqual({ protocol: 'openai', operation: 'chat.completions', host: 'relay.example.com', credential: { carrier: 'query-key', kind: 'relay-token', gateway: 'new-api' } });
  });

  test('Realtime over WebSocket, the key in the subprotocol as the browser API sends it', () => {
    const req = request('ws://relay.example.com/v1/realtime?model=gpt-realtime', 'GET', [{ name: 'Sec-WebSocket-Protocol', value: `realtime, openai-insecure-api-key.${keys.openai}` }], 'websocket');
    expect(classifyAiRequest(req)).toEqual({ protocol: 'openai', operation: 'realtime', host: 'relay.example.com', credential: { carrier: 'websocket-protocol', kind: 'vendor-key', vendor: 'openai' } });
  });

  test('a form posted into a frame', () => {
    const req: AiRequestInput = { url: 'https://relay.example.com/v1/chat/completions', method: 'POST', type: 'sub_frame', requestHeaders: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }], bodyCredential: { kind: 'relay-token', gateway: 'new-api' } };
    expect(classifyAiRequest(req)).toEqual({ protocol: 'openai', operation: 'chat.completions', host: 'relay.example.com', credential: { carrier: 'body', kind: 'relay-token', gateway: 'new-api' } });
  });
});

describe('bodyCredential', () => {
  test('finds a key in JSON and says only its kind', () => {
    expect(bodyCredential(JSON.stringify({ model: 'gpt-4o', api_key: keys.openai, input: 'hi' }))).toEqual({ kind: 'vendor-key', vendor: 'openai' });
    expect(bodyCredential(`key=${keys.newApi}&prompt=hi`)).toEqual({ kind: 'relay-token', gateway: 'new-api' });
  });

  test('a vendor key wins over a relay token beside it', () => {
    expect(bodyCredential(`token=${keys.newApi}&upstream=${keys.anthropic}`)).toEqual({ kind: 'vendor-key', vendor: 'anthropic' });
  });

  test('reads a bounded prefix: a key past MAX_BODY_CHARS is not looked for', () => {
    expect(bodyCredential(' '.repeat(MAX_BODY_CHARS) + keys.openai)).toBeNull();
    expect(bodyCredential('{"prompt":"no key here"}')).toBeNull();
    expect(bodyCredential('')).toBeNull();
  });
});

describe('not AI API traffic', () => {
  test.each<[string, AiRequestInput]>([
    // Chat apps post and list their own messages at /api/v1/messages; without Anthropic headers
    // or x-api-key that is what a GET (and a bearer-only POST) there is taken to be.
    ['GET …/v1/messages on a chat site', request('https://chat.example.com/api/v1/messages', 'GET', [{ name: 'cookie', value: 'sid=1' }])],
    ['GET …/v1/messages, headers unknown', request('https://chat.example.com/api/v1/messages', 'GET')],
    ['POST …/v1/messages with a session bearer', request('https://chat.example.com/api/v1/messages', 'POST', [bearer(keys.sessionJwt)])],
    // A bearer token that is no vendor key (vendor keys: "a vendor key sent anywhere", below).
    ['bearer on an ordinary API', request('https://app.example.com/api/v1/users', 'GET', [bearer(keys.newApi)])],
    ['bearer, no /v1 at all', request('https://app.example.com/graphql', 'POST', [bearer(keys.sessionJwt)])],
    ['a Google API key (public by design: Maps, Firebase)', request('https://firebaseinstallations.googleapis.com/v1/projects/p/installations', 'POST', [{ name: 'x-goog-api-key', value: keys.google }])],
    ['a Google API key in a body', { url: 'https://app.example.com/api/config', method: 'POST', type: 'xmlhttprequest', requestHeaders: [], bodyCredential: { kind: 'vendor-key', vendor: 'google' } }],
    ['a relay token in a body to an ordinary path', { url: 'https://app.example.com/api/settings', method: 'POST', type: 'xmlhttprequest', requestHeaders: [], bodyCredential: { kind: 'relay-token', gateway: 'new-api' } }],
    ['EventSource on a generic path without a key', request('https://news.example.com/api/v1/responses', 'GET', [{ name: 'Accept', value: 'text/event-stream' }], 'other')],
    ['a frame GET at an API path', request('https://docs.example.com/v1/chat/completions', 'GET', undefined, 'sub_frame')],
    ['docs page navigation', request('https://docs.example.com/docs/v1/chat/completions', 'GET', undefined, 'main_frame')],
    ['docs page in a frame', request('https://docs.example.com/docs/v1/chat/completions', 'GET', undefined, 'sub_frame')],
    ['form POST navigation', request('https://relay.example.com/v1/chat/completions', 'POST', [bearer(keys.openai)], 'main_frame')],
    ['script asset at an API-like path', request('https://cdn.example.com/v1/models', 'GET', undefined, 'script')],
    ['GET of a docs fragment', request('https://docs.example.com/docs/v1/chat/completions', 'GET', [])],
    // Every path shape names its methods, so preflights fall out; the real request follows.
    ['CORS preflight', request('https://relay.example.com/v1/chat/completions', 'OPTIONS', [])],
    ['CORS preflight to Anthropic', request('https://relay.example.com/v1/messages', 'OPTIONS')],
    ['generic /v1/models without a credential', request('https://cars.example.com/api/v1/models', 'GET', [{ name: 'accept', value: 'application/json' }])],
    ['generic /v1/responses without a credential', request('https://survey.example.com/api/v1/responses', 'POST', [{ name: 'cookie', value: 'sid=1' }])],
    ['POST /v1/models', request('https://relay.example.com/v1/models', 'POST', [bearer(keys.newApi)])],
    ['path continues past the operation', request('https://relay.example.com/v1/chat/completions/extra', 'POST', [bearer(keys.newApi)])],
    ['operation with a suffix', request('https://relay.example.com/v1/chat/completionsX', 'POST', [bearer(keys.newApi)])],
    ['bare /v1/audio/', request('https://relay.example.com/v1/audio/', 'POST', [bearer(keys.newApi)])],
    ['path without /v1/', request('https://relay.example.com/chat/completions', 'POST', [bearer(keys.newApi)])],
    ['unknown Gemini action', request('https://generativelanguage.googleapis.com/v1beta/models/gemini-pro:fooBar', 'POST', [])],
    ['GET of a Gemini action', request('https://generativelanguage.googleapis.com/v1beta/models/gemini-pro:generateContent', 'GET', [])],
    ['Azure GET', request('https://contoso.openai.azure.com/openai/deployments/d/chat/completions?api-version=1', 'GET', [])],
    ['non-Anthropic anthropic-* header only', request('https://claude.example.com/api/organizations', 'GET', [{ name: 'anthropic-client-platform', value: 'web' }])],
    ['unsupported scheme', request('ftp://relay.example.com/v1/chat/completions', 'POST', [bearer(keys.newApi)])],
  ])('%s', (_label, req) => {
    expect(classifyAiRequest(req)).toBeNull();
  });
});

describe('garbage input never throws', () => {
  test.each<[string, unknown]>([
    ['not a URL', { url: 'not a url /v1/chat/completions', method: 'POST' }],
    ['empty URL', { url: '', method: 'POST' }],
    ['scheme only', { url: 'http://', method: 'POST' }],
    ['javascript: URL', { url: 'javascript:alert(1)//v1/chat/completions', method: 'POST' }],
    ['data: URL', { url: 'data:text/plain,/v1/chat/completions', method: 'POST' }],
    ['file: URL', { url: 'file:///v1/chat/completions', method: 'POST' }],
    ['bad port', { url: 'https://relay.example.com:99999/v1/chat/completions', method: 'POST' }],
    ['null request', null],
    ['undefined request', undefined],
    ['number URL', { url: 42, method: 'POST' }],
    ['missing method', { url: 'https://relay.example.com/v1/chat/completions' }],
    ['headers are a number', { url: 'https://relay.example.com/v1/messages', method: 'GET', requestHeaders: 7 }],
    ['header entries are junk', { url: 'https://x.example/', method: 'GET', requestHeaders: [null, 3, 'anthropic-version', { name: 5 }, {}] }],
  ])('%s → null', (_label, req) => {
    expect(classifyAiRequest(req as AiRequestInput)).toBeNull();
  });

  test('junk header entries next to real ones are skipped', () => {
    const headers = [null, { name: 5 }, bearer(keys.newApi)] as unknown as RequestHeaders;
    expect(classifyAiRequest(request('https://relay.example.com/v1/embeddings', 'POST', headers))?.credential).toEqual({
      carrier: 'authorization-bearer',
      kind: 'relay-token',
      gateway: 'new-api',
    });
  });
});

describe('multi-tenant gateways: the account the call goes through', () => {
  const ACCOUNT = '0123456789abcdef0123456789abcdef';
  test.each<[string, string]>([
    [`https://gateway.ai.cloudflare.com/v1/${ACCOUNT}/my-gw/openai/chat/completions`, 'chat.completions'],
    [`https://gateway.ai.cloudflare.com/v1/${ACCOUNT}/my-gw/compat/chat/completions`, 'chat.completions'],
    [`https://gateway.ai.cloudflare.com/v1/${ACCOUNT}/my-gw/openai/embeddings`, 'embeddings'],
    [`https://gateway.ai.cloudflare.com/v1/${ACCOUNT}/my-gw/workers-ai/v1/chat/completions`, 'chat.completions'],
    [`https://gateway.ai.cloudflare.com/V1/${ACCOUNT.toUpperCase()}//My-GW/openai/chat/completions`, 'chat.completions'],
  ])('%s', (url, operation) => {
    expect(classifyAiRequest(request(url, 'POST', [bearer(keys.newApi)]))).toMatchObject({ protocol: 'openai', operation, host: 'gateway.ai.cloudflare.com', account: `${ACCOUNT}/my-gw` });
  });

  test('Anthropic through the gateway keeps its shape and gains the account', () => {
    const req = request(`https://gateway.ai.cloudflare.com/v1/${ACCOUNT}/my-gw/anthropic/v1/messages`, 'POST', [{ name: 'x-api-key', value: keys.anthropic }, { name: 'anthropic-version', value: '2023-06-01' }]);
    expect(classifyAiRequest(req)).toMatchObject({ protocol: 'anthropic', operation: 'messages', account: `${ACCOUNT}/my-gw` });
  });

  test('other hosts have no account', () => {
    expect(classifyAiRequest(request('https://openrouter.ai/api/v1/chat/completions', 'POST', [bearer(keys.openrouter)]))).not.toHaveProperty('account');
  });
});
