import { describe, expect, test } from 'vitest';
import { signalsFromRequestHeaders, signalsFromResponseHeaders } from './gateway-headers.ts';
import { scoreSignals, signalSchema } from './scoring.ts';

describe('signalsFromRequestHeaders', () => {
  test.each([
    ['New-API-User', 'new-api'],
    ['Veloera-User', 'veloera'],
    ['voapi-user', 'voapi'],
    ['Rix-Api-User', 'rix-api'],
    ['neo-api-user', 'neo-api'],
  ] as const)('%s → dashboard-user-header (%s)', (name, family) => {
    const signals = signalsFromRequestHeaders([
      { name: 'Accept', value: 'application/json' },
      { name, value: '1' },
    ]);
    expect(signals).toEqual([{ id: 'dashboard-user-header', detail: name, family }]);
    expect(scoreSignals(signals).unvetted).toBe(true);
  });

  test('matches names case-insensitively and shows the canonical name', () => {
    expect(signalsFromRequestHeaders([{ name: 'new-api-user', value: '42' }])).toEqual([
      { id: 'dashboard-user-header', detail: 'New-API-User', family: 'new-api' },
    ]);
    expect(signalsFromRequestHeaders([{ name: 'VOAPI-USER' }])[0]?.family).toBe('voapi');
  });

  test('never copies the header value into the signal', () => {
    const value = 'user-31337-private';
    const signals = signalsFromRequestHeaders([{ name: 'New-API-User', value }]);
    expect(JSON.stringify(signals)).not.toContain(value);
    for (const signal of signals) expect(signalSchema().safeParse(signal).success).toBe(true);
  });

  test('one signal per header name, however often it repeats', () => {
    expect(signalsFromRequestHeaders([{ name: 'New-API-User' }, { name: 'new-api-user' }])).toHaveLength(1);
  });

  test('ordinary request headers and look-alikes give nothing', () => {
    expect(
      signalsFromRequestHeaders([
        { name: 'Authorization', value: 'Bearer x' },
        { name: 'X-New-API-User', value: '1' },
        { name: 'New-API-Users', value: '1' },
        { name: 'User-Agent', value: 'New-API-User' },
      ]),
    ).toEqual([]);
    expect(signalsFromRequestHeaders([])).toEqual([]);
  });
});

describe('signalsFromResponseHeaders', () => {
  test('X-Oneapi-Request-Id with a 23–31 digit value → gateway-response-header (one-api)', () => {
    for (const value of ['2'.repeat(23), '20250302101530123456789012', '9'.repeat(31)]) {
      const signals = signalsFromResponseHeaders([
        { name: 'Content-Type', value: 'application/json' },
        { name: 'x-oneapi-request-id', value },
      ]);
      expect(signals).toEqual([{ id: 'gateway-response-header', detail: 'X-Oneapi-Request-Id', family: 'one-api' }]);
      expect(JSON.stringify(signals)).not.toContain(value);
    }
  });

  test('X-Oneapi-Request-Id with another value shape gives nothing', () => {
    for (const value of [undefined, '', '1'.repeat(22), '1'.repeat(32), 'abc', '2025130210153012345678901x', 'req_0123456789012345678901234']) {
      expect(signalsFromResponseHeaders([{ name: 'X-Oneapi-Request-Id', ...(value !== undefined && { value }) }])).toEqual([]);
    }
  });

  test('the new-api family\'s form (timestamp, then 8 letters and digits) → gateway-response-header naming no single family', () => {
    // GetTimeString(): 20060102150405 then the nanoseconds, unpadded (1–9 digits); then GetRandomString(8).
    for (const value of ['20251203064512123456789aB3dE9fQ', '202512030645127Zz0aA9xQ', '20240229235959000000001abcdefgh']) {
      expect(signalsFromResponseHeaders([{ name: 'X-Oneapi-Request-Id', value }])).toEqual([{ id: 'gateway-response-header', detail: 'X-Oneapi-Request-Id' }]);
    }
  });

  test('the lettered form needs a real date and time and exactly 8 trailing characters', () => {
    for (const value of [
      '20251303064512123456789aB3dE9fQ', // month 13
      '20251203244512123456789aB3dE9fQ', // hour 24
      '19991203064512123456789aB3dE9fQ', // not this century
      '20251203064512aB3dE9fQ', // no nanoseconds
      '202512030645121234567890aB3dE9fQ', // 10 digits of nanoseconds
      '20251203064512123aB3dE9fQx', // 9 trailing characters after 3 digits: the tail is not 8 of them
      '20251203064512123-B3dE9fQ',
    ]) {
      expect(signalsFromResponseHeaders([{ name: 'X-Oneapi-Request-Id', value }]), value).toEqual([]);
    }
  });

  test('tolerates surrounding whitespace in the value', () => {
    expect(signalsFromResponseHeaders([{ name: 'X-ONEAPI-REQUEST-ID', value: ` ${'7'.repeat(26)} ` }])).toHaveLength(1);
  });

  test('x-litellm-* → litellm-proxy-header, informational: shown, never scored', () => {
    const signals = signalsFromResponseHeaders([
      { name: 'X-LiteLLM-Model-Id', value: 'abc' },
      { name: 'x-litellm-version', value: '1.60.0' },
    ]);
    expect(signals).toEqual([{ id: 'litellm-proxy-header', detail: 'x-litellm-model-id', family: 'litellm' }]);
    const score = scoreSignals(signals);
    expect(score.score).toBe(0);
    expect(score.suspect).toBe(false);
    expect(score.reasons).toHaveLength(1);
  });

  test('a very long x-litellm-* name is bounded in the detail', () => {
    const [signal] = signalsFromResponseHeaders([{ name: 'x-litellm-' + 'a'.repeat(500) }]);
    expect(signal && signalSchema().safeParse(signal).success).toBe(true);
  });

  test('both at once, gateway first', () => {
    const signals = signalsFromResponseHeaders([
      { name: 'x-litellm-call-id', value: '1' },
      { name: 'X-Oneapi-Request-Id', value: '1'.repeat(25) },
    ]);
    expect(signals.map((signal) => signal.id)).toEqual(['gateway-response-header', 'litellm-proxy-header']);
  });

  test('ordinary response headers give nothing', () => {
    expect(
      signalsFromResponseHeaders([
        { name: 'X-Request-Id', value: '1'.repeat(25) },
        { name: 'x-litellm', value: '1' },
        { name: 'litellm-version', value: '1' },
        { name: 'Server', value: 'one-api' },
        { name: 'New-API-User', value: '1' },
      ]),
    ).toEqual([]);
  });
});
