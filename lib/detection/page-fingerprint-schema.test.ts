import { describe, expect, test } from 'vitest';
import { FINGERPRINT_LIMITS, STOCK_META_DESCRIPTION, type PageFingerprint } from './page-fingerprint.ts';
import { pageFingerprintSchema, parsePageFingerprint } from './page-fingerprint-schema.ts';

/** An ordinary page's fingerprint with the given fields changed. */
function fingerprint(fields: Partial<PageFingerprint> = {}): PageFingerprint {
  return { storageKeys: [], path: '/', vocabulary: [], ...fields };
}

describe('pageFingerprintSchema', () => {
  const valid = fingerprint({
    metaDescription: STOCK_META_DESCRIPTION,
    servedTitle: 'One API',
    footerText: '由 JustSong 构建',
    storageKeys: ['system_name', 'quota_per_unit'],
    statusStorage: { systemName: true, quotaPerUnit: true },
    path: '/#/token',
    vocabulary: ['令牌', '额度'],
  });

  test('accepts what the content script sends, and the bare minimum', () => {
    expect(pageFingerprintSchema().parse(valid)).toEqual(valid);
    expect(parsePageFingerprint({ storageKeys: [], path: '/', vocabulary: [] })).toEqual({ ok: true, value: fingerprint() });
  });

  test('accepts every field at its exact limit', () => {
    const atLimit = {
      metaDescription: 'm'.repeat(FINGERPRINT_LIMITS.metaDescription),
      servedTitle: 't'.repeat(FINGERPRINT_LIMITS.servedTitle),
      footerText: 'f'.repeat(FINGERPRINT_LIMITS.footerText),
      storageKeys: Array.from({ length: FINGERPRINT_LIMITS.storageKeys }, () => 'k'.repeat(FINGERPRINT_LIMITS.storageKeyLength)),
      path: '/'.repeat(FINGERPRINT_LIMITS.path),
      vocabulary: Array.from({ length: FINGERPRINT_LIMITS.vocabulary }, () => '令牌'),
    };
    expect(pageFingerprintSchema().safeParse(atLimit).success).toBe(true);
  });

  test.each<[string, Record<string, unknown>]>([
    ['metaDescription', { metaDescription: 'm'.repeat(401) }],
    ['servedTitle', { servedTitle: 't'.repeat(201) }],
    ['footerText', { footerText: 'f'.repeat(601) }],
    ['storageKeys', { storageKeys: Array.from({ length: 65 }, (_, index) => `key${index}`) }],
    ['storageKeys.0', { storageKeys: ['k'.repeat(65)] }],
    ['path', { path: '/'.repeat(301) }],
    ['vocabulary', { vocabulary: Array.from({ length: 21 }, () => '令牌') }],
    ['vocabulary.0', { vocabulary: ['free GPT-5'] }],
    ['statusStorage.systemName', { statusStorage: { systemName: 'yes', quotaPerUnit: true } }],
    ['statusStorage', { statusStorage: { systemName: true, quotaPerUnit: true, raw: '{"system_name":"x"}' } }],
    ['(root)', { storageValues: { system_name: 'x' } }],
    ['storageKeys.0', { storageKeys: [42] }],
  ])('rejects oversize or odd %s', (field, change) => {
    const result = parsePageFingerprint({ ...valid, ...change });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(`page fingerprint: ${field}:`);
  });

  test('rejects missing required fields and non-objects', () => {
    for (const input of [null, undefined, 'fingerprint', [], 42, { path: '/', vocabulary: [] }, { storageKeys: [], vocabulary: [] }, { storageKeys: [], path: '/' }]) {
      expect(parsePageFingerprint(input).ok).toBe(false);
    }
  });
});

