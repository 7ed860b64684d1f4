import { describe, expect, test } from 'vitest';
import { scoreSignals } from './scoring.ts';
import { statusProbeSignals } from './status-probe.ts';

describe('statusProbeSignals', () => {
  test('one-api family /api/status → gateway-status-endpoint', () => {
    const body = {
      success: true,
      message: '',
      data: { system_name: '星河API', version: 'v0.6.6', quota_per_unit: 500000, display_in_currency: true, logo: '', footer_html: '' },
    };
    const signals = statusProbeSignals(body);
    expect(signals).toEqual([{ id: 'gateway-status-endpoint', detail: '/api/status' }]);
    expect(JSON.stringify(signals)).not.toContain('星河');
    expect(scoreSignals(signals).unvetted).toBe(true);
  });

  test('quota_per_unit as a string counts too (some forks serialise it so)', () => {
    expect(statusProbeSignals({ success: true, data: { system_name: 'One API', quota_per_unit: '500000' } })).toHaveLength(1);
  });

  test('sub2api /api/v1/settings/public → gateway-status-endpoint (sub2api)', () => {
    const body = { code: 0, message: 'success', data: { site_name: 'Sub2API', api_base_url: 'https://relay.example/v1', registration_enabled: true } };
    expect(statusProbeSignals(body)).toEqual([
      { id: 'gateway-status-endpoint', detail: '/api/v1/settings/public', family: 'sub2api' },
    ]);
  });

  test('other answers give nothing', () => {
    for (const body of [
      null,
      undefined,
      'OK',
      '<!doctype html><title>One API</title>',
      [],
      { status: 'ok' },
      { success: false, data: { system_name: 'One API', quota_per_unit: 500000 } },
      { success: true, data: { system_name: 'One API' } },
      { success: true, data: { quota_per_unit: 500000 } },
      { success: 'true', data: { system_name: 'One API', quota_per_unit: 500000 } },
      { success: true, data: null },
      { code: 1, message: 'success', data: { site_name: 'x', api_base_url: 'y' } },
      { code: 0, message: 'ok', data: { site_name: 'x', api_base_url: 'y' } },
      { code: 0, message: 'success', data: { site_name: 'x' } },
    ]) {
      expect(statusProbeSignals(body)).toEqual([]);
    }
  });
});
