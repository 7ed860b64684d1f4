/**
 * The fingerprint's bounds and vocabulary, on their own: the schema (page-fingerprint-schema.ts)
 * and the classifier (page-fingerprint.ts) both need them, and the classifier takes its type from
 * the schema, so they live here rather than in either (no import cycle, type-only or not).
 */

/** Relay vocabulary (docs/relay-signals.md §1). Longer terms that contain a shorter one are listed too. */
export const RELAY_VOCABULARY = ['令牌', '额度', '倍率', '模型倍率', '分组倍率', '补全倍率', '兑换码', '充值', '渠道', '中转'] as const;
export type RelayTerm = (typeof RELAY_VOCABULARY)[number];

/** Every string in a fingerprint is the page's, so every one is bounded. */
export const FINGERPRINT_LIMITS = {
  metaDescription: 400,
  servedTitle: 200,
  footerText: 600,
  storageKeys: 64,
  storageKeyLength: 64,
  path: 300,
  vocabulary: 20,
} as const;
