import { describe, expect, test } from 'vitest';
import { chars, KEY_CHARS, sampleKeys } from '../../tests/support/generated-keys.ts';
import { CLAUDE_CREDENTIAL_TYPES, CLAUDE_SUBSCRIPTION_BODY_MAX, CLAUDE_SUBSCRIPTION_BODY_MIN, containsClaudeSubscriptionCredential } from './claude-credentials.ts';
import { findSecrets } from './keys.ts';

/** What the full classifier says about the same text: the answer this module must agree with. */
const classifierFinds = (text: string) => findSecrets(text).some((match) => match.kind === 'subscription-credential');

const credential = (type: string, bodyLength: number, seed: number) => `sk-ant-${type}01-${chars(bodyLength, seed, KEY_CHARS)}`;

describe('containsClaudeSubscriptionCredential', () => {
  test('finds every type, at the body’s shortest and longest, alone or in text', () => {
    for (const [index, type] of CLAUDE_CREDENTIAL_TYPES.entries()) {
      for (const length of [CLAUDE_SUBSCRIPTION_BODY_MIN, 93, CLAUDE_SUBSCRIPTION_BODY_MAX]) {
        const token = credential(type, length, 500 + index * 7 + length);
        for (const text of [token, `cookie: ${token};`, `"${token}"`, `${token}\nnext line`]) {
          expect(containsClaudeSubscriptionCredential(text), `${type} ${length} in ${JSON.stringify(text.slice(0, 24))}`).toBe(true);
        }
      }
    }
    expect(containsClaudeSubscriptionCredential(sampleKeys.claudeSession)).toBe(true);
  });

  test.each([
    ['a placeholder', 'sk-ant-sid01-xxxx'],
    ['a body one short', credential('sid', CLAUDE_SUBSCRIPTION_BODY_MIN - 1, 510)],
    ['a body one too long', credential('oat', CLAUDE_SUBSCRIPTION_BODY_MAX + 1, 511)],
    ['glued to more key characters before', `x${credential('sid', 93, 512)}`],
    ['glued to more key characters after, past the longest body', `${credential('ort', CLAUDE_SUBSCRIPTION_BODY_MAX, 513)}_`],
    ['another version', `sk-ant-sid02-${chars(93, 514, KEY_CHARS)}`],
    ['an Anthropic API key', sampleKeys.anthropic],
    ['an OpenAI key', sampleKeys.openai],
    ['plain text', 'the sk-ant-sid01- prefix alone is not a credential'],
  ])('finds nothing in %s', (_, text) => {
    expect(containsClaudeSubscriptionCredential(text)).toBe(false);
  });

  test('agrees with the full key classifier (lib/detection/keys.ts) on every case, found or not', () => {
    const cases = [
      ...CLAUDE_CREDENTIAL_TYPES.flatMap((type, index) => [39, 40, 41, 93, 255, 256, 257].map((length) => credential(type, length, 520 + index * 11 + length))),
      `a ${credential('sid', 93, 530)} b`,
      `-${credential('sid', 93, 531)}`,
      `${credential('oat', 93, 532)}.${credential('ort', 93, 533)}`,
      sampleKeys.anthropic,
      sampleKeys.openai,
      'nothing here',
    ];
    for (const text of cases) expect(containsClaudeSubscriptionCredential(text), text.slice(0, 20)).toBe(classifierFinds(text));
  });

  test('anything but a string holds none', () => {
    expect(containsClaudeSubscriptionCredential(undefined as unknown as string)).toBe(false);
  });
});
