import { describe, expect, it, test } from 'vitest';
import { scoreSignals, SIGNAL_IDS, signalSchema, type Signal, type SignalId } from './scoring.ts';

const signal = (id: SignalId, detail: string = id, family?: Signal['family']): Signal => ({ id, detail, ...(family && { family }) });

/**
 * What each signal does on its own, written out rather than read from the table: changing a
 * weight so that a signal crosses a threshold has to change this row too.
 */
const ALONE: Record<SignalId, { unvetted: boolean; suspect: boolean }> = {
  'gateway-meta-description': { unvetted: true, suspect: true },
  'gateway-response-header': { unvetted: true, suspect: true },
  'dashboard-user-header': { unvetted: true, suspect: true },
  'gateway-status-storage': { unvetted: true, suspect: true },
  'gateway-storage-keys': { unvetted: true, suspect: true },
  'gateway-status-endpoint': { unvetted: true, suspect: true },
  'gateway-footer-credit': { unvetted: true, suspect: true },
  'gateway-api-call': { unvetted: false, suspect: true },
  'gateway-default-title': { unvetted: false, suspect: true },
  'edge-host-ai-traffic': { unvetted: false, suspect: true },
  'gateway-common-api-call': { unvetted: false, suspect: true },
  'gateway-route': { unvetted: false, suspect: false },
  'relay-vocabulary': { unvetted: false, suspect: false },
  'litellm-proxy-header': { unvetted: false, suspect: false },
};

describe('each row of the signal table, alone', () => {
  test('every signal has its row here', () => {
    expect(Object.keys(ALONE).sort()).toEqual([...SIGNAL_IDS].sort());
  });

  it.each(Object.entries(ALONE))('%s', (id, expected) => {
    const score = scoreSignals([signal(id as SignalId)]);
    expect({ unvetted: score.unvetted, suspect: score.suspect }).toEqual(expected);
    // Shown either way, at the level the whole score reached.
    expect(score.reasons).toEqual([{ kind: 'signal', level: expected.unvetted ? 'unvetted' : 'unknown', source: id, detail: id }]);
  });
});

describe('the rules the weights encode', () => {
  test('weak signals never reach unvetted, however many: a blog post about relays has the words and the route', () => {
    const score = scoreSignals([
      signal('gateway-route', '/token'),
      signal('relay-vocabulary', '令牌'),
      signal('relay-vocabulary', '额度'),
      signal('gateway-route', '/topup'),
      signal('litellm-proxy-header', 'x-litellm-version'),
    ]);
    expect(score.unvetted).toBe(false);
  });

  test('each signal id counts once, however often it was seen; the first sighting is the one shown', () => {
    const once = scoreSignals([signal('gateway-default-title', 'One API')]);
    const often = scoreSignals([signal('gateway-default-title', 'One API'), signal('gateway-default-title', 'New API'), signal('gateway-default-title', 'One Hub')]);
    expect(often.score).toBe(once.score);
    expect(often.unvetted).toBe(false);
    expect(often.reasons.map((reason) => reason.detail)).toEqual(['One API']);
  });

  test('a medium signal and weak ones together can reach unvetted', () => {
    const score = scoreSignals([signal('gateway-default-title', 'New API'), signal('gateway-route', '/console/token'), signal('relay-vocabulary', '倍率')]);
    expect(score.unvetted).toBe(true);
    expect(score.reasons.every((reason) => reason.level === 'unvetted')).toBe(true);
  });

  test('reasons come strongest first', () => {
    const score = scoreSignals([signal('relay-vocabulary'), signal('gateway-footer-credit'), signal('gateway-response-header'), signal('gateway-default-title')]);
    expect(score.reasons.map((reason) => reason.source)).toEqual(['gateway-response-header', 'gateway-footer-credit', 'gateway-default-title', 'relay-vocabulary']);
  });

  test('nothing seen scores nothing', () => {
    expect(scoreSignals([])).toEqual({ score: 0, unvetted: false, suspect: false, reasons: [] });
  });
});

describe('the gateway family', () => {
  test('is the one the signals weigh most for', () => {
    const score = scoreSignals([
      signal('gateway-default-title', 'One API', 'one-api'),
      signal('dashboard-user-header', 'New-API-User', 'new-api'),
    ]);
    expect(score.family).toBe('new-api');
  });

  test('is absent when no signal names one', () => {
    expect(scoreSignals([signal('gateway-meta-description')])).not.toHaveProperty('family');
  });
});

describe('signalSchema', () => {
  test('accepts a signal as the page watch sends it', () => {
    expect(signalSchema().safeParse({ id: 'gateway-footer-credit', detail: '由 JustSong 构建', family: 'one-api' }).success).toBe(true);
  });

  test('refuses an unknown id, an unknown family and an overlong detail', () => {
    expect(signalSchema().safeParse({ id: 'trust-me', detail: 'x' }).success).toBe(false);
    expect(signalSchema().safeParse({ id: 'gateway-route', detail: '/token', family: 'my-gateway' }).success).toBe(false);
    expect(signalSchema().safeParse({ id: 'gateway-route', detail: 'x'.repeat(201) }).success).toBe(false);
  });
});
