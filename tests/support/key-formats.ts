/**
 * One credential of every format lib/detection/keys.ts recognises, generated at run time
 * (tests/support/generated-keys.ts), for tests that must prove no format slips through.
 */
import type { SecretFormat } from '../../lib/detection/keys.ts';
import { ALNUM, HEX, KEY_CHARS, LOWER_ALNUM, OPENAI_MARKER, chars, oneApiUuidTail } from './generated-keys.ts';

export const KEY_OF_EVERY_FORMAT: Readonly<Record<SecretFormat, string>> = {
  'openai-project': 'sk-proj-' + chars(74, 201, KEY_CHARS) + OPENAI_MARKER + chars(58, 202, KEY_CHARS),
  'openai-service-account': 'sk-svcacct-' + chars(74, 203, KEY_CHARS) + OPENAI_MARKER + chars(74, 204, KEY_CHARS),
  'openai-admin': 'sk-admin-' + chars(58, 205, KEY_CHARS) + OPENAI_MARKER + chars(58, 206, KEY_CHARS),
  'openai-legacy': 'sk-' + chars(20, 207) + OPENAI_MARKER + chars(20, 208),
  'anthropic-api': 'sk-ant-api03-' + chars(93, 209, KEY_CHARS) + 'AA',
  'anthropic-admin': 'sk-ant-admin01-' + chars(93, 210, KEY_CHARS) + 'AA',
  'claude-session': 'sk-ant-sid01-' + chars(93, 211, KEY_CHARS) + 'AA',
  'claude-oauth-access': 'sk-ant-oat01-' + chars(93, 212, KEY_CHARS) + 'AA',
  'claude-oauth-refresh': 'sk-ant-ort01-' + chars(93, 213, KEY_CHARS) + 'AA',
  'google-api': 'AIza' + chars(35, 214, KEY_CHARS),
  openrouter: 'sk-or-v1-' + chars(64, 215, HEX),
  groq: 'gsk_' + chars(52, 216),
  xai: 'xai-' + chars(80, 217, ALNUM + '_'),
  huggingface: 'hf_' + chars(34, 218),
  perplexity: 'pplx-' + chars(48, 219),
  replicate: 'r8_' + chars(37, 220, KEY_CHARS),
  deepseek: 'sk-' + chars(32, 221, LOWER_ALNUM),
  'one-api': 'sk-' + chars(16, 222) + oneApiUuidTail(223),
  'new-api': 'sk-' + chars(48, 225),
  sub2api: 'sk-' + chars(64, 226, HEX),
  'claude-relay-service': 'cr_' + chars(64, 227, HEX),
};

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
