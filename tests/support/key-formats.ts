/**
 * One credential of every format lib/detection/keys.ts recognises, generated at run time
 * (tests/support/generated-keys.ts), for tests that must prove no format slips through.
 */
import type { SecretFormat } from '../../lib/detection/keys.ts';
import { ALNUM, HEX, KEY_CHARS, LOWER_ALNUM, OPENAI_MARKER, chars, oneApiUuidTail } from './generated-keys.ts';

/** A generator of well-formed keys per format: a different key for every seed. */
export const KEY_GENERATORS: Readonly<Record<SecretFormat, (seed: number) => string>> = {
  'openai-project': (seed) => 'sk-proj-' + chars(74, seed, KEY_CHARS) + OPENAI_MARKER + chars(58, seed + 1, KEY_CHARS),
  'openai-service-account': (seed) => 'sk-svcacct-' + chars(74, seed, KEY_CHARS) + OPENAI_MARKER + chars(74, seed + 1, KEY_CHARS),
  'openai-admin': (seed) => 'sk-admin-' + chars(58, seed, KEY_CHARS) + OPENAI_MARKER + chars(58, seed + 1, KEY_CHARS),
  'openai-legacy': (seed) => 'sk-' + chars(20, seed) + OPENAI_MARKER + chars(20, seed + 1),
  'anthropic-api': (seed) => 'sk-ant-api03-' + chars(93, seed, KEY_CHARS) + 'AA',
  'anthropic-admin': (seed) => 'sk-ant-admin01-' + chars(93, seed, KEY_CHARS) + 'AA',
  'claude-session': (seed) => 'sk-ant-sid01-' + chars(93, seed, KEY_CHARS) + 'AA',
  'claude-oauth-access': (seed) => 'sk-ant-oat01-' + chars(93, seed, KEY_CHARS) + 'AA',
  'claude-oauth-refresh': (seed) => 'sk-ant-ort01-' + chars(93, seed, KEY_CHARS) + 'AA',
  'google-api': (seed) => 'AIza' + chars(35, seed, KEY_CHARS),
  openrouter: (seed) => 'sk-or-v1-' + chars(64, seed, HEX),
  groq: (seed) => 'gsk_' + chars(52, seed),
  xai: (seed) => 'xai-' + chars(80, seed, ALNUM + '_'),
  huggingface: (seed) => 'hf_' + chars(34, seed),
  perplexity: (seed) => 'pplx-' + chars(48, seed),
  replicate: (seed) => 'r8_' + chars(37, seed, KEY_CHARS),
  deepseek: (seed) => 'sk-' + chars(32, seed, LOWER_ALNUM),
  'one-api': (seed) => 'sk-' + chars(16, seed) + oneApiUuidTail(seed + 1),
  'new-api': (seed) => 'sk-' + chars(48, seed),
  sub2api: (seed) => 'sk-' + chars(64, seed, HEX),
  'claude-relay-service': (seed) => 'cr_' + chars(64, seed, HEX),
};

const FIXED_SEEDS: Readonly<Record<SecretFormat, number>> = {
  'openai-project': 201,
  'openai-service-account': 203,
  'openai-admin': 205,
  'openai-legacy': 207,
  'anthropic-api': 209,
  'anthropic-admin': 210,
  'claude-session': 211,
  'claude-oauth-access': 212,
  'claude-oauth-refresh': 213,
  'google-api': 214,
  openrouter: 215,
  groq: 216,
  xai: 217,
  huggingface: 218,
  perplexity: 219,
  replicate: 220,
  deepseek: 221,
  'one-api': 222,
  'new-api': 225,
  sub2api: 226,
  'claude-relay-service': 227,
};

export const KEY_OF_EVERY_FORMAT: Readonly<Record<SecretFormat, string>> = Object.fromEntries(
  (Object.keys(KEY_GENERATORS) as SecretFormat[]).map((format) => [format, KEY_GENERATORS[format](FIXED_SEEDS[format])]),
) as Record<SecretFormat, string>;

/** The part of a credential after its published prefix: what must never leave in full. */
function secretBody(key: string): string {
  const prefix = /^(?:sk-(?:proj|svcacct|admin|ant-(?:api03|admin01|sid01|oat01|ort01)|or-v1)-|sk-|AIza|gsk_|xai-|hf_|pplx-|r8_|cr_)/.exec(key);
  return key.slice(prefix ? prefix[0].length : 0);
}

/** Every window of `size` characters of the credential's secret body. */
export function secretWindows(key: string, size: number): string[] {
  const body = secretBody(key);
  const windows: string[] = [];
  for (let i = 0; i + size <= body.length; i++) windows.push(body.slice(i, i + size));
  return windows;
}
