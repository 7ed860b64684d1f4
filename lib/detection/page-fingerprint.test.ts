import { describe, expect, test } from 'vitest';
import {
  RELAY_VOCABULARY,
  STOCK_META_DESCRIPTION,
  countedVocabulary,
  dashboardRoute,
  signalsFromFingerprint,
} from './page-fingerprint.ts';
import type { PageFingerprint } from './page-fingerprint.ts';
import { SIGNAL_TABLE, scoreSignals, signalSchema } from './scoring.ts';
import type { Signal } from './scoring.ts';

/** An ordinary page's fingerprint with the given fields changed. */
function fingerprint(fields: Partial<PageFingerprint> = {}): PageFingerprint {
  return { storageKeys: [], path: '/', vocabulary: [], ...fields };
}

function ids(signals: readonly Signal[]): string[] {
  return signals.map((signal) => signal.id);
}

function isWeak(signal: Signal): boolean {
  return SIGNAL_TABLE[signal.id].strength === 'weak';
}

describe('signalsFromFingerprint', () => {
  test('an ordinary page gives nothing', () => {
    expect(signalsFromFingerprint(fingerprint({ servedTitle: 'Example Domain', metaDescription: 'An example.', footerText: '© 2025 Example' }))).toEqual([]);
  });

  test('every signal it gives is valid and safe to show', () => {
    const all = signalsFromFingerprint(
      fingerprint({
        metaDescription: STOCK_META_DESCRIPTION,
        servedTitle: 'One API',
        footerText: 'One API v0.6.10 由 JustSong 构建，源代码遵循 MIT 协议',
        storageKeys: ['system_name', 'quota_per_unit'],
        statusStorage: { systemName: true, quotaPerUnit: true },
        path: '/token',
        vocabulary: ['令牌', '额度', '渠道', '充值', '兑换码'],
      }),
    );
    expect(new Set(ids(all)).size).toBe(7);
    for (const signal of all) expect(signalSchema().safeParse(signal).success).toBe(true);
  });

  describe('gateway-meta-description', () => {
    test('the stock description → very strong, one-api family', () => {
      const signals = signalsFromFingerprint(fingerprint({ metaDescription: STOCK_META_DESCRIPTION }));
      expect(signals).toEqual([{ id: 'gateway-meta-description', detail: 'one-api', family: 'one-api' }]);
      expect(scoreSignals(signals).unvetted).toBe(true);
    });

    test('whitespace differences do not matter', () => {
      const reflowed = `\n   ${STOCK_META_DESCRIPTION.replace('OpenAI ', 'OpenAI\n\t').replace('Azure', ' Azure ')}  `;
      expect(ids(signalsFromFingerprint(fingerprint({ metaDescription: reflowed })))).toEqual(['gateway-meta-description']);
    });

    test('a fork that edited the tail still matches on the strong prefix', () => {
      const edited = 'OpenAI 接口聚合管理，支持多种渠道包括 Azure，稳定高速，欢迎使用';
      const [signal] = signalsFromFingerprint(fingerprint({ metaDescription: edited }));
      expect(signal).toMatchObject({ id: 'gateway-meta-description', family: 'one-api' });
      expect(signal?.detail).toBe('one-api …');
    });

    test('a short or different description does not', () => {
      for (const metaDescription of ['OpenAI 接口聚合管理', 'OpenAI API 接口文档', 'Azure OpenAI 接口聚合管理，支持多种渠道包括 Azure', '']) {
        expect(signalsFromFingerprint(fingerprint({ metaDescription }))).toEqual([]);
      }
    });
  });

  describe('gateway-status-storage', () => {
    test('status JSON holding system_name and quota_per_unit → very strong', () => {
      const signals = signalsFromFingerprint(fingerprint({ statusStorage: { systemName: true, quotaPerUnit: true } }));
      expect(ids(signals)).toEqual(['gateway-status-storage']);
      expect(scoreSignals(signals).unvetted).toBe(true);
    });

    test('only one of the two fields is not enough', () => {
      expect(signalsFromFingerprint(fingerprint({ statusStorage: { systemName: true, quotaPerUnit: false } }))).toEqual([]);
      expect(signalsFromFingerprint(fingerprint({ statusStorage: { systemName: false, quotaPerUnit: true } }))).toEqual([]);
    });
  });

  describe('gateway-storage-keys', () => {
    test('two or more of the gateway keys → strong', () => {
      const signals = signalsFromFingerprint(fingerprint({ storageKeys: ['theme', 'system_name', 'quota_per_unit', 'user'] }));
      expect(signals).toEqual([{ id: 'gateway-storage-keys', detail: 'system_name, quota_per_unit' }]);
      expect(scoreSignals(signals).unvetted).toBe(true);
    });

    test('the keys beyond the four named in §1 count too', () => {
      expect(ids(signalsFromFingerprint(fingerprint({ storageKeys: ['quota_display_type', 'default_collapse_sidebar'] })))).toEqual(['gateway-storage-keys']);
      expect(ids(signalsFromFingerprint(fingerprint({ storageKeys: ['footer_html', 'display_in_currency'] })))).toEqual(['gateway-storage-keys']);
    });

    test('one key, a repeated key, or generic keys are not enough', () => {
      expect(signalsFromFingerprint(fingerprint({ storageKeys: ['system_name'] }))).toEqual([]);
      expect(signalsFromFingerprint(fingerprint({ storageKeys: ['system_name', 'system_name'] }))).toEqual([]);
      expect(signalsFromFingerprint(fingerprint({ storageKeys: ['status', 'user', 'logo', 'theme', 'chats', 'chat_link'] }))).toEqual([]);
      expect(signalsFromFingerprint(fingerprint({ storageKeys: ['System_Name', 'QUOTA_PER_UNIT'] }))).toEqual([]);
    });
  });

  describe('gateway-footer-credit', () => {
    test.each([
      ['One API v0.6.10 由 JustSong 构建，源代码遵循 MIT 协议', 'one-api', '由 JustSong 构建'],
      ['One API v0.6.10\n  由\n  JustSong\n  构建，源代码遵循 MIT 协议', 'one-api', '由 JustSong 构建'],
      ['One API is built by JustSong and licensed under MIT.', 'one-api', 'built by JustSong'],
      ['New API v0.6.6 由 Calcium-Ion 开发，基于 One API v0.5.4 © JustSong', 'new-api', '由 Calcium-Ion 开发'],
      ['© 2025 星河API. 版权所有 设计与开发由 New API', 'new-api', '设计与开发由 New API'],
      ['One Hub v1.2 由 MartialBE 开发，基于 JustSong One API', 'one-hub', '由 MartialBE 开发'],
    ] as const)('%j → %s', (footerText, family, detail) => {
      const signals = signalsFromFingerprint(fingerprint({ footerText }));
      expect(signals).toEqual([{ id: 'gateway-footer-credit', detail, family }]);
      expect(scoreSignals(signals).unvetted).toBe(true);
    });

    test('a fork crediting both itself and One API is named as the fork', () => {
      const [signal] = signalsFromFingerprint(fingerprint({ footerText: '由 Calcium-Ion 开发，基于 One API（由 JustSong 构建）' }));
      expect(signal?.family).toBe('new-api');
    });

    test('the detail is our own wording, not the page text', () => {
      const [signal] = signalsFromFingerprint(fingerprint({ footerText: '<img src=x onerror=alert(1)> 由 JustSong 构建 <b>free keys</b>' }));
      expect(signal?.detail).toBe('由 JustSong 构建');
    });

    test('footers that only look similar give nothing', () => {
      for (const footerText of [
        '© 2025 小林的技术笔记 · Powered by Hexo',
        '设计与开发由 mxlitey',
        'Thanks to One API and JustSong',
        '本站基于 One API 搭建',
      ]) {
        expect(signalsFromFingerprint(fingerprint({ footerText }))).toEqual([]);
      }
    });
  });

  describe('gateway-default-title', () => {
    test.each([
      ['One API', 'one-api'],
      ['New API', 'new-api'],
      ['One Hub', 'one-hub'],
      ['Done Hub', 'done-hub'],
      ['Veloera', 'veloera'],
      ['Sub2API - AI API Gateway', 'sub2api'],
      ['  one api \n', 'one-api'],
      ['NEW API', 'new-api'],
    ] as const)('%j → %s, medium: not enough alone', (servedTitle, family) => {
      const signals = signalsFromFingerprint(fingerprint({ servedTitle }));
      expect(signals).toMatchObject([{ id: 'gateway-default-title', family }]);
      expect(scoreSignals(signals).unvetted).toBe(false);
      expect(scoreSignals(signals).suspect).toBe(true);
    });

    test('a title that only contains a default is not one', () => {
      for (const servedTitle of ['One API 中转站', 'What is One API? | Blog', 'New APIs in Chrome 140', 'OneAPI', '星河API']) {
        expect(signalsFromFingerprint(fingerprint({ servedTitle }))).toEqual([]);
      }
    });
  });

  describe('gateway-route', () => {
    test.each([
      ['/token', '/token'],
      ['/token/edit/3', '/token'],
      ['/topup', '/topup'],
      ['/log', '/log'],
      ['/channel', '/channel'],
      ['/redemption', '/redemption'],
      ['/console/token', '/console/token'],
      ['/console/topup', '/console/topup'],
      ['/console/log', '/console/log'],
      ['/console/channel', '/console/channel'],
      ['/panel/dashboard', '/panel/*'],
      ['/keys', '/keys'],
      ['/usage', '/usage'],
      ['/redeem', '/redeem'],
      ['/#/token', '/token'],
      ['/#/console/log', '/console/log'],
      ['/#/token?page=2', '/token'],
      ['/TOKEN', '/token'],
    ])('%s → route %s (weak)', (path, route) => {
      expect(dashboardRoute(path)).toBe(route);
      const signals = signalsFromFingerprint(fingerprint({ path }));
      expect(signals).toEqual([{ id: 'gateway-route', detail: route }]);
      expect(signals.every(isWeak)).toBe(true);
    });

    test.each(['/', '/docs/token', '/tokenomics', '/blog/log', '/console', '/console/settings', '/panel', '/#token', '/#/about', '/about#/token-guide'])(
      '%s is not a dashboard route',
      (path) => {
        expect(dashboardRoute(path)).toBeUndefined();
        expect(signalsFromFingerprint(fingerprint({ path }))).toEqual([]);
      },
    );
  });

  describe('relay-vocabulary', () => {
    test('three distinct terms → weak signal naming up to four', () => {
      const signals = signalsFromFingerprint(fingerprint({ vocabulary: ['令牌', '额度', '渠道', '充值', '兑换码', '中转'] }));
      expect(signals).toEqual([{ id: 'relay-vocabulary', detail: '令牌、额度、渠道、充值' }]);
      expect(signals.every(isWeak)).toBe(true);
    });

    test('two terms are not enough', () => {
      expect(signalsFromFingerprint(fingerprint({ vocabulary: ['令牌', '额度'] }))).toEqual([]);
    });

    test('a term inside a longer matched term does not count again', () => {
      expect(countedVocabulary(['倍率', '模型倍率', '分组倍率'])).toEqual(['模型倍率', '分组倍率']);
      expect(signalsFromFingerprint(fingerprint({ vocabulary: ['倍率', '模型倍率', '令牌'] }))).toEqual([]);
      expect(ids(signalsFromFingerprint(fingerprint({ vocabulary: ['倍率', '模型倍率', '令牌', '额度'] })))).toEqual(['relay-vocabulary']);
    });
  });

  describe('pages about relays are not relays', () => {
    test('a blog post about one-api: own title, "One API" only in its h1, relay vocabulary', () => {
      const signals = signalsFromFingerprint(
        fingerprint({
          metaDescription: 'AI API 中转站到底靠不靠谱？从 one-api 的原理讲起',
          servedTitle: '中转站靠谱吗？聊聊 One API 和它的令牌、额度 | 小林的技术笔记',
          footerText: '© 2025 小林的技术笔记 · Powered by Hexo',
          path: '/2025/03/02/one-api-relay/',
          vocabulary: ['令牌', '额度', '倍率', '模型倍率', '分组倍率', '兑换码', '充值', '渠道', '中转'],
        }),
      );
      expect(ids(signals)).toEqual(['relay-vocabulary']);
      expect(scoreSignals(signals)).toMatchObject({ unvetted: false, suspect: false });
    });

    test('vocabulary only: weak, never a warning', () => {
      const signals = signalsFromFingerprint(fingerprint({ vocabulary: [...RELAY_VOCABULARY] }));
      expect(signals.every(isWeak)).toBe(true);
      expect(scoreSignals(signals).unvetted).toBe(false);
    });

    test('routes only: weak, never a warning', () => {
      const signals = signalsFromFingerprint(fingerprint({ path: '/console/token' }));
      expect(signals.every(isWeak)).toBe(true);
      expect(scoreSignals(signals)).toMatchObject({ unvetted: false, suspect: false });
    });

    test('route and vocabulary together: at most suspect (worth a probe), never unvetted', () => {
      const signals = signalsFromFingerprint(fingerprint({ path: '/token', vocabulary: ['令牌', '额度', '充值'] }));
      expect(signals.every(isWeak)).toBe(true);
      expect(scoreSignals(signals).unvetted).toBe(false);
    });
  });
});
