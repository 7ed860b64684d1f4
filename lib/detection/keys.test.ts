import { describe, expect, test } from 'vitest';
import { classifySecret, findSecrets } from './keys.ts';
import type { SecretMatch } from './keys.ts';
import { ALNUM, KEY_CHARS, HEX, LOWER_ALNUM, OPENAI_MARKER, chars, oneApiUuidTail } from '../../tests/support/generated-keys.ts';

function replaceAt(text: string, index: number, replacement: string): string {
  return text.slice(0, index) + replacement + text.slice(index + replacement.length);
}

const keys = {
  openaiProject: 'sk-proj-' + chars(74, 1, KEY_CHARS) + OPENAI_MARKER + chars(74, 2, KEY_CHARS),
  openaiProjectShort: 'sk-proj-' + chars(58, 3, KEY_CHARS) + OPENAI_MARKER + chars(58, 4, KEY_CHARS),
  openaiProjectMixed: 'sk-proj-' + chars(58, 5, KEY_CHARS) + OPENAI_MARKER + chars(74, 6, KEY_CHARS),
  openaiServiceAccount: 'sk-svcacct-' + chars(74, 7, KEY_CHARS) + OPENAI_MARKER + chars(74, 8, KEY_CHARS),
  openaiAdmin: 'sk-admin-' + chars(58, 9, KEY_CHARS) + OPENAI_MARKER + chars(58, 10, KEY_CHARS),
  openaiLegacy: 'sk-' + chars(20, 11) + OPENAI_MARKER + chars(20, 12),
  anthropicApi: 'sk-ant-api03-' + chars(93, 13, KEY_CHARS) + 'AA',
  anthropicAdmin: 'sk-ant-admin01-' + chars(93, 14, KEY_CHARS) + 'AA',
  claudeSession: 'sk-ant-sid01-' + chars(93, 15, KEY_CHARS) + 'AA',
  claudeOauthAccess: 'sk-ant-oat01-' + chars(93, 16, KEY_CHARS) + 'AA',
  claudeOauthRefresh: 'sk-ant-ort01-' + chars(93, 17, KEY_CHARS) + 'AA',
  google: 'AIza' + chars(35, 18, KEY_CHARS),
  openrouter: 'sk-or-v1-' + chars(64, 19, HEX),
  groq: 'gsk_' + chars(52, 20),
  xai: 'xai-' + chars(80, 21, ALNUM + '_'),
  huggingface: 'hf_' + chars(34, 22),
  perplexity: 'pplx-' + chars(48, 23),
  replicate: 'r8_' + chars(37, 24, KEY_CHARS),
  deepseek: 'sk-' + chars(32, 25, LOWER_ALNUM),
  oneApi: 'sk-' + chars(16, 26) + oneApiUuidTail(27),
  newApi: 'sk-' + chars(48, 29),
  sub2api: 'sk-' + chars(64, 30, HEX),
  claudeRelayService: 'cr_' + chars(64, 31, HEX),
};

type Expected = Omit<SecretMatch, 'start' | 'end'>;

const validCases: Array<[string, string, Expected]> = [
  ['OpenAI project, 74+74', keys.openaiProject, { kind: 'vendor-key', vendor: 'openai', format: 'openai-project' }],
  ['OpenAI project, 58+58', keys.openaiProjectShort, { kind: 'vendor-key', vendor: 'openai', format: 'openai-project' }],
  ['OpenAI project, 58+74', keys.openaiProjectMixed, { kind: 'vendor-key', vendor: 'openai', format: 'openai-project' }],
  ['OpenAI service account', keys.openaiServiceAccount, { kind: 'vendor-key', vendor: 'openai', format: 'openai-service-account' }],
  ['OpenAI admin', keys.openaiAdmin, { kind: 'vendor-key', vendor: 'openai', format: 'openai-admin' }],
  ['OpenAI legacy', keys.openaiLegacy, { kind: 'vendor-key', vendor: 'openai', format: 'openai-legacy' }],
  ['Anthropic API', keys.anthropicApi, { kind: 'vendor-key', vendor: 'anthropic', format: 'anthropic-api' }],
  ['Anthropic admin', keys.anthropicAdmin, { kind: 'vendor-key', vendor: 'anthropic', format: 'anthropic-admin' }],
  ['Claude session', keys.claudeSession, { kind: 'subscription-credential', vendor: 'anthropic', format: 'claude-session' }],
  ['Claude OAuth access', keys.claudeOauthAccess, { kind: 'subscription-credential', vendor: 'anthropic', format: 'claude-oauth-access' }],
  ['Claude OAuth refresh', keys.claudeOauthRefresh, { kind: 'subscription-credential', vendor: 'anthropic', format: 'claude-oauth-refresh' }],
  ['Google', keys.google, { kind: 'vendor-key', vendor: 'google', format: 'google-api' }],
  ['OpenRouter', keys.openrouter, { kind: 'vendor-key', vendor: 'openrouter', format: 'openrouter' }],
  ['Groq', keys.groq, { kind: 'vendor-key', vendor: 'groq', format: 'groq' }],
  ['xAI', keys.xai, { kind: 'vendor-key', vendor: 'xai', format: 'xai' }],
  ['Hugging Face', keys.huggingface, { kind: 'vendor-key', vendor: 'huggingface', format: 'huggingface' }],
  ['Perplexity', keys.perplexity, { kind: 'vendor-key', vendor: 'perplexity', format: 'perplexity' }],
  ['Replicate', keys.replicate, { kind: 'vendor-key', vendor: 'replicate', format: 'replicate' }],
  ['one-api', keys.oneApi, { kind: 'relay-token', gateway: 'one-api', format: 'one-api' }],
  ['new-api', keys.newApi, { kind: 'relay-token', gateway: 'new-api', format: 'new-api' }],
  ['sub2api', keys.sub2api, { kind: 'relay-token', gateway: 'sub2api', format: 'sub2api' }],
  ['claude-relay-service', keys.claudeRelayService, { kind: 'relay-token', gateway: 'claude-relay-service', format: 'claude-relay-service' }],
];

describe('classifySecret: every §4 format', () => {
  test.each(validCases)('%s', (_label, token, expected) => {
    expect(classifySecret(token)).toEqual({ ...expected, start: 0, end: token.length });
  });

  test('DeepSeek shape is a DeepSeek key only with DeepSeek context', () => {
    expect(classifySecret(keys.deepseek, { deepseekContext: true })).toEqual({
      kind: 'vendor-key',
      vendor: 'deepseek',
      format: 'deepseek',
      start: 0,
      end: 35,
    });
    expect(classifySecret(keys.deepseek)).toBeNull();
    expect(classifySecret(keys.deepseek, { deepseekContext: false })).toBeNull();
  });

  test('DeepSeek context does not change other formats', () => {
    expect(classifySecret(keys.newApi, { deepseekContext: true })?.format).toBe('new-api');
    expect(classifySecret(keys.sub2api, { deepseekContext: true })?.format).toBe('sub2api');
  });
});

// Near-misses that look like a format but are not it, and so must match nothing.
const rejectedCases: Array<[string, string]> = [
  ['OpenAI project: half one char short', 'sk-proj-' + chars(73, 40, KEY_CHARS) + OPENAI_MARKER + chars(74, 41, KEY_CHARS)],
  ['OpenAI project: half one char long', 'sk-proj-' + chars(74, 42, KEY_CHARS) + OPENAI_MARKER + chars(75, 43, KEY_CHARS)],
  ['OpenAI project: halves of 66', 'sk-proj-' + chars(66, 44, KEY_CHARS) + OPENAI_MARKER + chars(66, 45, KEY_CHARS)],
  ['OpenAI project: marker lower-case', keys.openaiProject.replace(OPENAI_MARKER, OPENAI_MARKER.toLowerCase())],
  ['OpenAI project: marker missing', 'sk-proj-' + chars(156, 46, KEY_CHARS)],
  ['OpenAI project: wrong scope', keys.openaiProject.replace('sk-proj-', 'sk-prj-')],
  ['OpenAI legacy: marker in wrong place', 'sk-' + chars(10, 47) + OPENAI_MARKER + chars(30, 48)],
  ['OpenAI legacy: one char short', 'sk-' + chars(19, 49) + OPENAI_MARKER + chars(20, 50)],
  ['Anthropic API: one char short', 'sk-ant-api03-' + chars(92, 51, KEY_CHARS) + 'AA'],
  ['Anthropic API: one char long', 'sk-ant-api03-' + chars(94, 52, KEY_CHARS) + 'AA'],
  ['Anthropic API: suffix lower-case', keys.anthropicApi.slice(0, -2) + 'Aa'],
  ['Anthropic API: wrong version', keys.anthropicApi.replace('api03', 'api02')],
  ['Anthropic admin: wrong prefix', keys.anthropicAdmin.replace('admin01', 'admin1')],
  ['Claude session: placeholder-length body', 'sk-ant-sid01-' + chars(30, 53, KEY_CHARS)],
  ['Claude session: blob-length body', 'sk-ant-sid01-' + chars(257, 75, KEY_CHARS)],
  ['Claude OAuth: unknown type', keys.claudeOauthAccess.replace('oat01', 'oat02')],
  ['Google: one char short', 'AIza' + chars(34, 54, KEY_CHARS)],
  ['Google: one char long', 'AIza' + chars(36, 55, KEY_CHARS)],
  ['Google: prefix case', keys.google.replace('AIza', 'Aiza')],
  ['OpenRouter: upper-case hex', 'sk-or-v1-' + chars(64, 56, HEX).toUpperCase()],
  ['OpenRouter: one char short', 'sk-or-v1-' + chars(63, 57, HEX)],
  ['OpenRouter: wrong version', keys.openrouter.replace('-v1-', '-v2-')],
  ['Groq: one char short', 'gsk_' + chars(51, 58)],
  ['Groq: hyphen in body', 'gsk_' + chars(25, 59) + '-' + chars(26, 60)],
  ['xAI: one char long', 'xai-' + chars(81, 61)],
  ['xAI: hyphen in body', 'xai-' + chars(40, 62) + '-' + chars(39, 63)],
  ['Hugging Face: one char short', 'hf_' + chars(33, 64)],
  ['Hugging Face: one char long', 'hf_' + chars(35, 65)],
  ['Perplexity: one char short', 'pplx-' + chars(47, 66)],
  ['Replicate: one char long', 'r8_' + chars(38, 67, KEY_CHARS)],
  ['Replicate: wrong prefix', keys.replicate.replace('r8_', 'r9_')],
  ['relay sk-: 47 alphanumerics', 'sk-' + chars(47, 68)],
  ['relay sk-: 49 alphanumerics', 'sk-' + chars(49, 69)],
  ['sub2api: one char short', 'sk-' + chars(63, 70, HEX)],
  ['sub2api: upper-case hex', 'sk-' + chars(64, 71, HEX).toUpperCase()],
  ['sub2api: non-hex letter', 'sk-' + chars(63, 72, HEX) + 'g'],
  ['claude-relay-service: one char long', 'cr_' + chars(65, 73, HEX)],
  ['claude-relay-service: hyphen prefix', keys.claudeRelayService.replace('cr_', 'cr-')],
  ['DeepSeek shape with upper case, even with context', 'sk-' + chars(32, 74, ALNUM)],
];

describe('classifySecret: near-misses', () => {
  test.each(rejectedCases)('%s', (_label, token) => {
    expect(classifySecret(token)).toBeNull();
    expect(classifySecret(token, { deepseekContext: true })).toBeNull();
    expect(findSecrets(`key: ${token}\n`)).toEqual([]);
  });

  // `sk-` + 48 alphanumerics is new-api's shape, so breaking a stricter 48-char format (one-api's
  // UUID tail, OpenAI's marker case) leaves a valid new-api-shaped token, not nothing.
  const oneApiPrefix = keys.oneApi.slice(0, 19); // 'sk-' + 16
  const oneApiTail = keys.oneApi.slice(19);
  test.each([
    ['one-api: lower-case letter at an even index', oneApiPrefix + replaceAt(oneApiTail, 0, 'a')],
    ['one-api: upper-case letter at an odd index', oneApiPrefix + replaceAt(oneApiTail, 1, 'F')],
    ['one-api: UUID version is not 4', oneApiPrefix + replaceAt(oneApiTail, 12, '5')],
    ['one-api: UUID variant is not 8/9/A/B', oneApiPrefix + replaceAt(oneApiTail, 16, 'C')],
    ['OpenAI legacy: marker lower-case', keys.openaiLegacy.replace(OPENAI_MARKER, OPENAI_MARKER.toLowerCase())],
  ])('%s falls back to new-api', (_label, token) => {
    expect(token).toHaveLength(51);
    expect(classifySecret(token)?.format).toBe('new-api');
  });

  test('classifySecret takes a bare token: surrounding characters make it a different string', () => {
    expect(classifySecret(` ${keys.google}`)).toBeNull();
    expect(classifySecret(`${keys.google}\n`)).toBeNull();
    expect(classifySecret(`"${keys.google}"`)).toBeNull();
  });
});

describe('token boundaries', () => {
  test.each([
    ['letter before', 'x' + keys.anthropicApi],
    ['letter after', keys.anthropicApi + 'x'],
    ['underscore after', keys.huggingface + '_'],
    ['hyphen before', '-' + keys.google],
    ['digit after', keys.sub2api + '0'],
    ['two keys glued', keys.groq + keys.groq],
  ])('a key inside a longer token is not that key (%s)', (_label, text) => {
    expect(classifySecret(text)).toBeNull();
    expect(findSecrets(`value ${text} end`)).toEqual([]);
  });

  test.each([
    ['whitespace', `\n\t ${keys.openrouter} \n`],
    ['double quotes', `"${keys.openrouter}"`],
    ['single quotes', `'${keys.openrouter}'`],
    ['backticks', '`' + keys.openrouter + '`'],
    ['env assignment', `OPENROUTER_API_KEY=${keys.openrouter}`],
    ['JSON member', `{"apiKey":"${keys.openrouter}"}`],
    ['header line', `Authorization: Bearer ${keys.openrouter}`],
    ['query string', `https://example.test/x?key=${keys.openrouter}&y=1`],
    ['sentence', `my key is ${keys.openrouter}.`],
  ])('separators around a key (%s)', (_label, text) => {
    const start = text.indexOf(keys.openrouter);
    expect(findSecrets(text)).toEqual([
      { kind: 'vendor-key', vendor: 'openrouter', format: 'openrouter', start, end: start + keys.openrouter.length },
    ]);
  });
});

describe('findSecrets', () => {
  test('reports every key in a multi-key paste with exact positions', () => {
    const text = [
      '# my .env',
      `OPENAI_API_KEY=${keys.openaiProject}`,
      `export ANTHROPIC_API_KEY="${keys.anthropicApi}"`,
      `  'gemini': '${keys.google}', relay: ${keys.oneApi}`,
      `CLAUDE_CODE_OAUTH_TOKEN=${keys.claudeOauthAccess}`,
      `crs ${keys.claudeRelayService}`,
    ].join('\n');
    const positionOf = (key: string) => {
      const start = text.indexOf(key);
      return { start, end: start + key.length };
    };

    const found = findSecrets(text);

    expect(found).toEqual([
      { kind: 'vendor-key', vendor: 'openai', format: 'openai-project', ...positionOf(keys.openaiProject) },
      { kind: 'vendor-key', vendor: 'anthropic', format: 'anthropic-api', ...positionOf(keys.anthropicApi) },
      { kind: 'vendor-key', vendor: 'google', format: 'google-api', ...positionOf(keys.google) },
      { kind: 'relay-token', gateway: 'one-api', format: 'one-api', ...positionOf(keys.oneApi) },
      { kind: 'subscription-credential', vendor: 'anthropic', format: 'claude-oauth-access', ...positionOf(keys.claudeOauthAccess) },
      { kind: 'relay-token', gateway: 'claude-relay-service', format: 'claude-relay-service', ...positionOf(keys.claudeRelayService) },
    ]);
    expect(found.map(({ start, end }) => text.slice(start, end))).toEqual([
      keys.openaiProject,
      keys.anthropicApi,
      keys.google,
      keys.oneApi,
      keys.claudeOauthAccess,
      keys.claudeRelayService,
    ]);
  });

  test('positions at the very start and end of the text', () => {
    const text = `${keys.perplexity} ${keys.replicate}`;
    expect(findSecrets(text)).toEqual([
      { kind: 'vendor-key', vendor: 'perplexity', format: 'perplexity', start: 0, end: 53 },
      { kind: 'vendor-key', vendor: 'replicate', format: 'replicate', start: 54, end: 94 },
    ]);
  });

  test('the same key twice is reported twice', () => {
    const text = `${keys.xai},${keys.xai}`;
    expect(findSecrets(text).map(({ start, end }) => [start, end])).toEqual([
      [0, 84],
      [85, 169],
    ]);
  });

  test('passes DeepSeek context through', () => {
    const text = `DEEPSEEK_API_KEY=${keys.deepseek}`;
    expect(findSecrets(text)).toEqual([]);
    expect(findSecrets(text, { deepseekContext: true })).toEqual([
      { kind: 'vendor-key', vendor: 'deepseek', format: 'deepseek', start: 17, end: 52 },
    ]);
  });

  test('matches carry positions, never the secret itself', () => {
    const matches = findSecrets(`${keys.groq} ${keys.newApi}`);
    expect(matches).toHaveLength(2);
    const serialized = JSON.stringify(matches);
    expect(serialized).not.toContain(keys.groq);
    expect(serialized).not.toContain(keys.newApi);
    expect(serialized).not.toContain(keys.groq.slice(4, 20));
  });

  test.each([
    ['empty', ''],
    ['prose', 'Relays terminate TLS and can read every prompt, response and key in plain text.'],
    ['Chinese prose', '中转站的令牌额度用完了，请充值或者联系管理员。'],
    ['bare prefixes', 'sk- sk-proj- sk-ant-api03- AIza gsk_ hf_ r8_ cr_ xai- pplx-'],
    ['documentation placeholders', 'export OPENAI_API_KEY=sk-... and ANTHROPIC_API_KEY=sk-ant-xxxx'],
    ['UUID', '6f1c2b9e-3d4a-4b5c-8d7e-9f0a1b2c3d4e'],
    ['unprefixed sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['git SHA', 'commit 9fceb02d0ae598e95dc970b74767f19372d61af8'],
    ['JWT', `eyJ${chars(30, 80)}.eyJ${chars(60, 81)}.${chars(43, 82, KEY_CHARS)}`],
    ['base64 blob', chars(300, 83, ALNUM + '+/') + '=='],
    ['long random key-character run', chars(120, 84, KEY_CHARS)],
    ['URL with a long path', 'https://example.test/assets/0123456789abcdef0123456789abcdef/app.js'],
    ['CSS class soup', 'flex items-center justify-between rounded-lg border-gray-200 px-4 py-2'],
  ])('finds nothing in %s', (_label, text) => {
    expect(findSecrets(text)).toEqual([]);
  });

  test('does not throw on non-string input', () => {
    expect(findSecrets(undefined as unknown as string)).toEqual([]);
    expect(classifySecret(42 as unknown as string)).toBeNull();
  });
});
