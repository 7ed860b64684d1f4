import { describe, expect, test } from 'vitest';
import { chars, HEX, KEY_CHARS, LOWER_ALNUM, oneApiUuidTail, sampleKeys } from '../../../tests/support/generated-keys.ts';
import type { VerdictLevel } from '../../verdicts/verdict.ts';
import { isClaudeHost } from '../../detection/claude-credentials.ts';
import { decidePaste, holdsUntilGuarded } from './paste-decision.ts';
import { pageContext } from '../test-support.ts';

const RELAY = 'relay.example';
const ALL_LEVELS: VerdictLevel[] = ['official', 'vetted', 'unknown', 'unvetted', 'blocked'];
const openAiCall = { host: 'api.openai.com', protocol: 'openai', count: 3, credentialKinds: ['vendor-key'], level: 'official' as const };

const relayTokens = {
  newApi: sampleKeys.newApiToken,
  oneApi: 'sk-' + chars(16, 201) + oneApiUuidTail(202),
  sub2api: 'sk-' + chars(64, 203, HEX),
  claudeRelayService: 'cr_' + chars(64, 204, HEX),
};

describe('decidePaste', () => {
  test('text without a key passes everywhere, also before the context is known', () => {
    for (const level of [...ALL_LEVELS, null]) {
      expect(decidePaste('just some notes, sk-short and AIza too', RELAY, pageContext(level))).toEqual({ action: 'pass' });
    }
    expect(decidePaste('hello', RELAY, null)).toEqual({ action: 'pass' });
    expect(decidePaste('', RELAY, pageContext('blocked'))).toEqual({ action: 'pass' });
  });

  test.each(['unvetted', 'blocked'] as const)('a vendor key on an %s page is held, naming its vendor', (level) => {
    expect(decidePaste(sampleKeys.openai, RELAY, pageContext(level))).toEqual({ action: 'hold', vendor: 'openai', kind: 'vendor-key' });
    expect(decidePaste(sampleKeys.anthropic, RELAY, pageContext(level))).toEqual({ action: 'hold', vendor: 'anthropic', kind: 'vendor-key' });
    expect(decidePaste(`GEMINI_API_KEY="${sampleKeys.google}"\n`, RELAY, pageContext(level))).toEqual({ action: 'hold', vendor: 'google', kind: 'vendor-key' });
    const openRouter = 'sk-or-v1-' + chars(64, 205, HEX);
    expect(decidePaste(openRouter, RELAY, pageContext(level))).toEqual({ action: 'hold', vendor: 'openrouter', kind: 'vendor-key' });
  });

  test.each(['official', 'vetted'] as const)('a vendor key on an %s page passes', (level) => {
    expect(decidePaste(sampleKeys.openai, 'api.openai.com', pageContext(level, {}, { endpoints: [openAiCall] }))).toEqual({ action: 'pass' });
  });

  test('unknown page: passes, with a notice only when the page called AI APIs and the notice is on', () => {
    expect(decidePaste(sampleKeys.openai, 'chat.example', pageContext('unknown'))).toEqual({ action: 'pass' });
    expect(decidePaste(sampleKeys.openai, 'chat.example', pageContext(null))).toEqual({ action: 'pass' });
    const calling = pageContext('unknown', {}, { endpoints: [openAiCall] });
    expect(decidePaste(sampleKeys.openai, 'chat.example', calling)).toEqual({ action: 'notice', vendor: 'openai', kind: 'vendor-key' });
    expect(decidePaste(sampleKeys.openai, 'chat.example', { ...calling, unknownPageNotice: false })).toEqual({ action: 'pass' });
    // A notice is for unknown pages only: an official page calling its own API gets none.
    expect(decidePaste(sampleKeys.openai, 'platform.openai.com', pageContext('official', {}, { endpoints: [openAiCall] }))).toEqual({ action: 'pass' });
  });

  test('with the paste guard off nothing is held', () => {
    for (const level of ALL_LEVELS) {
      const context = pageContext(level, { pasteGuard: false });
      expect(decidePaste(sampleKeys.openai, RELAY, context).action).not.toBe('hold');
      expect(decidePaste(sampleKeys.claudeSession, RELAY, context).action).not.toBe('hold');
    }
  });

  test('a Claude subscription credential is held on every page that is not Claude’s, whatever its level', () => {
    for (const level of [...ALL_LEVELS, null]) {
      for (const host of [RELAY, 'platform.openai.com', 'openrouter.ai', 'claude.ai.evil.example', 'notclaude.ai', 'anthropic.com.relay.example']) {
        expect(decidePaste(sampleKeys.claudeSession, host, pageContext(level))).toEqual({ action: 'hold', vendor: 'anthropic', kind: 'subscription-credential' });
      }
    }
    const oauth = 'sk-ant-oat01-' + chars(100, 206, KEY_CHARS);
    expect(decidePaste(oauth, RELAY, pageContext('vetted'))).toEqual({ action: 'hold', vendor: 'anthropic', kind: 'subscription-credential' });
  });

  test('Claude subscription credentials pass on claude.ai, anthropic.com and their subdomains', () => {
    for (const host of ['claude.ai', 'www.claude.ai', 'anthropic.com', 'console.anthropic.com', 'CLAUDE.AI', 'claude.ai.']) {
      expect(decidePaste(sampleKeys.claudeSession, host, pageContext('official'))).toEqual({ action: 'pass' });
      // Nothing to wait for either: the host alone decides.
      expect(decidePaste(sampleKeys.claudeSession, host, null)).toEqual({ action: 'pass' });
    }
  });

  test('the credential outranks a vendor key pasted with it', () => {
    const text = `${sampleKeys.openai}\n${sampleKeys.claudeSession}`;
    expect(decidePaste(text, RELAY, pageContext('unvetted'))).toEqual({ action: 'hold', vendor: 'anthropic', kind: 'subscription-credential' });
  });

  test('relay-issued tokens pass, on the relay’s own site too', () => {
    for (const token of Object.values(relayTokens)) {
      for (const level of ALL_LEVELS) expect(decidePaste(token, RELAY, pageContext(level))).toEqual({ action: 'pass' });
      expect(decidePaste(token, RELAY, null)).toEqual({ action: 'pass' });
    }
    // …but a vendor key next to one is still held.
    expect(decidePaste(`${relayTokens.newApi} ${sampleKeys.google}`, RELAY, pageContext('unvetted'))).toEqual({ action: 'hold', vendor: 'google', kind: 'vendor-key' });
  });

  test('a key glued to more key characters is a different string, not that key', () => {
    expect(decidePaste(sampleKeys.openai + 'x', RELAY, pageContext('unvetted'))).toEqual({ action: 'pass' });
  });

  test('a DeepSeek-shaped key counts only where DeepSeek is involved', () => {
    const deepseek = 'sk-' + chars(32, 207, LOWER_ALNUM);
    expect(decidePaste(deepseek, RELAY, pageContext('unvetted'))).toEqual({ action: 'pass' });
    const calledDeepseek = pageContext('unvetted', {}, { endpoints: [{ ...openAiCall, host: 'api.deepseek.com' }] });
    expect(decidePaste(deepseek, RELAY, calledDeepseek)).toEqual({ action: 'hold', vendor: 'deepseek', kind: 'vendor-key' });
  });

  test('before the context is known, a key that might be held waits for it', () => {
    expect(decidePaste(sampleKeys.openai, RELAY, null)).toEqual({ action: 'wait' });
    expect(decidePaste(sampleKeys.claudeSession, RELAY, null)).toEqual({ action: 'wait' });
  });

  test('the decision carries no part of the key', () => {
    for (const key of [sampleKeys.openai, sampleKeys.anthropic, sampleKeys.google, sampleKeys.claudeSession]) {
      for (const level of ['unvetted', 'unknown'] as const) {
        const decision = decidePaste(key, RELAY, pageContext(level, {}, { endpoints: [openAiCall] }));
        const serialized = JSON.stringify(decision);
        expect(serialized).not.toContain(key.slice(0, 12));
        expect(serialized).not.toContain(key.slice(-12));
        expect(Object.keys(decision).sort()).toEqual(decision.action === 'pass' ? ['action'] : ['action', 'kind', 'vendor']);
      }
    }
  });
});

describe('isClaudeHost', () => {
  test('claude.ai and anthropic.com with subdomains, nothing else', () => {
    expect(['claude.ai', 'api.claude.ai', 'anthropic.com', 'docs.anthropic.com'].every(isClaudeHost)).toBe(true);
    expect(['claude.ai.example', 'fakeclaude.ai', 'anthropic.co', 'anthropic.com.cn', 'xn--anthropic-7ya.com'].some(isClaudeHost)).toBe(false);
  });
});

describe('holdsUntilGuarded', () => {
  const credentials = {
    session: sampleKeys.claudeSession,
    oauthAccess: 'sk-ant-oat01-' + chars(100, 208, KEY_CHARS),
    oauthRefresh: 'sk-ant-ort01-' + chars(100, 209, KEY_CHARS),
  };

  test('a Claude subscription credential is held on any host that is not Claude’s, in whatever text it sits', () => {
    for (const credential of Object.values(credentials)) {
      for (const host of [RELAY, 'platform.openai.com', 'claude.ai.evil.example', 'notclaude.ai', 'anthropic.com.relay.example']) {
        expect(holdsUntilGuarded(credential, host)).toBe(true);
        expect(holdsUntilGuarded(`CLAUDE_SESSION="${credential}"\n`, host)).toBe(true);
      }
    }
    // Pasted together with a vendor key, the credential still decides.
    expect(holdsUntilGuarded(`${sampleKeys.openai} ${credentials.session}`, RELAY)).toBe(true);
  });

  test('on Claude’s own sites nothing is held', () => {
    for (const host of ['claude.ai', 'www.claude.ai', 'anthropic.com', 'console.anthropic.com', 'CLAUDE.AI', 'claude.ai.']) {
      for (const credential of Object.values(credentials)) expect(holdsUntilGuarded(credential, host)).toBe(false);
    }
  });

  test('vendor keys, relay tokens and ordinary text pass: without a guard in the page there is no verdict to hold them for', () => {
    for (const text of [sampleKeys.openai, sampleKeys.anthropic, sampleKeys.google, ...Object.values(relayTokens), 'hello', '', 'sk-ant-sid01-xxxx']) {
      expect(holdsUntilGuarded(text, RELAY)).toBe(false);
    }
  });

  test('what it holds, the guard holds too once it knows the context, on every level (with the paste guard on, as by default)', () => {
    for (const credential of Object.values(credentials)) {
      expect(decidePaste(credential, RELAY, null)).toEqual({ action: 'wait' });
      for (const level of ALL_LEVELS) {
        expect(decidePaste(credential, RELAY, pageContext(level))).toEqual({ action: 'hold', vendor: 'anthropic', kind: 'subscription-credential' });
      }
    }
  });
});

describe('holdsUntilGuarded in a frame inside the page (it cannot know the top page’s verdict)', () => {
  // One key of every vendor format lib/detection/keys.ts guards, shortest ones included.
  const vendorKeys = [
    sampleKeys.openai,
    sampleKeys.anthropic,
    sampleKeys.google,
    `sk-${chars(20, 401)}T3BlbkFJ${chars(20, 402)}`,
    `sk-or-v1-${chars(64, 403, HEX)}`,
    `gsk_${chars(52, 404)}`,
    `xai-${chars(80, 405)}`,
    `hf_${chars(34, 406)}`,
    `pplx-${chars(48, 407)}`,
    `r8_${chars(37, 408)}`,
    `sk-${chars(32, 409, LOWER_ALNUM)}`,
  ];

  test.each(vendorKeys.map((key) => [key.slice(0, 8), key]))('holds %s… wherever it sits in the text, on any host', (_prefix, key) => {
    expect(holdsUntilGuarded(`my key: ${key}.`, RELAY, true)).toBe(true);
    expect(holdsUntilGuarded(key, 'claude.ai', true)).toBe(true);
    // The top document decides without holding (its guard is there when its page needs one).
    expect(holdsUntilGuarded(key, RELAY, false)).toBe(false);
  });

  test('every text the guard would hold somewhere, the frame holds until its guard can decide', () => {
    for (const key of vendorKeys) {
      // On a DeepSeek host, so the bare `sk-` + 32 format counts as DeepSeek's too.
      expect(decidePaste(key, 'relay.deepseek.com', pageContext('unvetted')).action, key.slice(0, 8)).toBe('hold');
      expect(holdsUntilGuarded(key, RELAY, true)).toBe(true);
    }
  });

  test.each([
    ['a sentence', 'Could you look at the second paragraph again?'],
    ['a URL', 'https://docs.example.com/guide/getting-started?lang=en#install'],
    ['a short token', 'abcdefghij_123456789'.slice(0, 19)],
    ['empty', ''],
  ])('lets %s pass', (_name, text) => {
    expect(holdsUntilGuarded(text, RELAY, true)).toBe(false);
  });

  test('a 2 MB paste without a key run is answered (linear scan, no backtracking)', () => {
    const text = `${'abcdefghijklmnopqrs '.repeat(100_000)}`;
    expect(text.length).toBe(2_000_000);
    expect(holdsUntilGuarded(text, RELAY, true)).toBe(false);
    expect(holdsUntilGuarded(`${text}${sampleKeys.anthropic}`, RELAY, true)).toBe(true);
  });
});
