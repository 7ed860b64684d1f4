import { describe, expect, test } from 'vitest';
import { KEY_OF_EVERY_FORMAT, secretWindows } from '../../tests/support/key-formats.ts';
import { chars, KEY_CHARS } from '../../tests/support/generated-keys.ts';
import { isOpaqueToken, isRedacted, MAX_SCANNED_LENGTH, REDACTED, redactText, redactUrl } from './redaction.ts';

const EVERY_KEY = Object.entries(KEY_OF_EVERY_FORMAT);

describe('redactText', () => {
  test.each(EVERY_KEY)('cuts a %s credential wherever it sits', (_format, key) => {
    for (const text of [key, `key: ${key}`, `(${key})`, `"${key}",`, `x ${key}\ny`]) {
      const out = redactText(text, 1000);
      expect(out).toContain(REDACTED);
      for (const window of secretWindows(key, 6)) expect(out).not.toContain(window);
    }
  });

  test.each(EVERY_KEY)('cuts the head of a %s credential that a length cap splits', (_format, key) => {
    for (let cap = 25; cap < 60; cap += 7) {
      const out = redactText(`Title ${key} more`, cap);
      expect(out.length).toBeLessThanOrEqual(cap);
      for (const window of secretWindows(key, 6)) expect(out).not.toContain(window);
    }
  });

  test('a key cut by the scanning bound is dropped whole, not left as a short head', () => {
    const key = KEY_OF_EVERY_FORMAT['anthropic-api'];
    // The bound is 4 × maxLength: put the key across it, after text that redaction shrinks.
    const filler = `${KEY_OF_EVERY_FORMAT['google-api']} `.repeat(9);
    const text = filler + key;
    const out = redactText(text, 100);
    for (const window of secretWindows(key, 6)) expect(out).not.toContain(window);
  });

  test('labelled credentials: cookies, bearer and basic schemes, password=, api_key:', () => {
    const text = [
      'Cookie: sid=abc; theme=dark',
      'set-cookie=session=42',
      'Authorization: Bearer abc.def',
      'Basic dXNlcjpwYXNz',
      'password=hunter2&user=me',
      'api_key: sesame',
      'token=xyz',
    ].join('\n');
    const out = redactText(text, 1000);
    for (const secret of ['sid=abc', 'theme=dark', 'session=42', 'abc.def', 'dXNlcjpwYXNz', 'hunter2', 'sesame', 'xyz']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('user=me');
  });

  test('ordinary titles, prose and slugs survive unchanged', () => {
    for (const text of [
      'OpenAI API pricing — Basic plan',
      'New API · 令牌管理',
      'how-to-use-an-api-key-safely-with-your-own-gateway',
      'Chat with GPT-4o (beta) 2026-12-03',
      'The token ending a1b2 was rotated',
    ]) {
      expect(redactText(text, 200)).toBe(text);
      expect(isRedacted(text)).toBe(true);
    }
  });

  test('opaque tokens: long, mixed runs go; long single-case words stay', () => {
    expect(isOpaqueToken(chars(20, 1, KEY_CHARS))).toBe(true);
    expect(isOpaqueToken('3f2a9c1e-4b7d-4e2a-9c1e-3f2a9c1e4b7d')).toBe(true);
    expect(isOpaqueToken('abcdefghijklmnopqrstuvwxyz')).toBe(false);
    expect(isOpaqueToken(chars(19, 2, KEY_CHARS))).toBe(false);
    expect(redactText('id eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c', 300)).toBe(
      `id ${REDACTED}.${REDACTED}.${REDACTED}`,
    );
  });

  test('control characters become spaces; work is bounded by MAX_SCANNED_LENGTH', () => {
    expect(redactText('a\u0000b\rc\td\ne', 20)).toBe('a b c\td\ne');
    const huge = 'word '.repeat(MAX_SCANNED_LENGTH);
    expect(redactText(huge, 100_000).length).toBeLessThanOrEqual(MAX_SCANNED_LENGTH);
    expect(isRedacted(huge)).toBe(false);
  });

  test('redaction is stable: redacted text is left as it is', () => {
    const once = redactText(`Bearer x Cookie: a=b\npassword=p ${KEY_OF_EVERY_FORMAT.groq} Basic dXNlcjpwYXNz`, 500);
    expect(redactText(once, 500)).toBe(once);
    expect(isRedacted(once)).toBe(true);
  });
});

describe('redactUrl', () => {
  test('keeps scheme, host, port and path; drops user info, query and fragment', () => {
    expect(redactUrl('https://user:pass@Relay.Example:8443/console/token?key=1&x=2#access_token=3')).toBe(
      'https://relay.example:8443/console/token',
    );
    expect(redactUrl('http://relay.example/')).toBe('http://relay.example/');
  });

  test.each(EVERY_KEY)('a %s credential in the path, raw or percent-encoded, takes its segment with it', (_format, key) => {
    const raw = redactUrl(`https://relay.example/v1/${key}/chat`);
    const encoded = redactUrl(`https://relay.example/v1/${encodeURIComponent(`k=${key}`)}/chat`);
    for (const url of [raw, encoded]) {
      expect(url).toBe(`https://relay.example/v1/${REDACTED}/chat`);
    }
  });

  test('non-http(s) and unparsable URLs have no report form', () => {
    expect(redactUrl('chrome://settings')).toBeNull();
    expect(redactUrl('file:///etc/passwd')).toBeNull();
    expect(redactUrl('not a url')).toBeNull();
  });

  test('a long path is capped at a segment boundary', () => {
    const url = redactUrl(`https://relay.example/${'segment/'.repeat(200)}`);
    expect(url).not.toBeNull();
    expect(url!.length).toBeLessThan(600);
    expect(url!.endsWith('/…')).toBe(true);
  });
});
