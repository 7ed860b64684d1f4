import { describe, expect, test } from 'vitest';
import { FAMILY_TRAITS, familyOfBasePath, familyOfTitle, MAX_TITLE_CHARS, mayBeStartupCall, signalFromStartupCall, STATUS_ROUTES } from './gateway-families.ts';
import { GATEWAY_FAMILIES, scoreSignals } from './scoring.ts';
import { signalsFromFingerprint } from './page-fingerprint.ts';
import { statusProbePaths, statusProbeSignals } from './status-probe.ts';

describe('the family table', () => {
  test('names each family once, each a known gateway family', () => {
    const families = FAMILY_TRAITS.map((row) => row.family);
    expect(new Set(families).size).toBe(families.length);
    for (const family of families) expect(GATEWAY_FAMILIES).toContain(family);
    expect(families).toEqual(expect.arrayContaining(['one-api', 'new-api', 'veloera', 'one-hub', 'done-hub', 'sub2api', 'claude-relay-service']));
  });

  test('every start-up path is an absolute path without query, slash-terminated never', () => {
    for (const row of FAMILY_TRAITS) {
      for (const { path } of row.startupCalls) expect(path, row.family).toMatch(/^\/[\w/-]*[\w-]$/);
      for (const title of row.servedTitles) expect(title).toBe(title.toLowerCase().trim());
    }
  });

  test('the probe asks each status route once, the one-api family’s first', () => {
    expect(STATUS_ROUTES).toEqual(['/api/status', '/api/v1/settings/public', '/admin/oem-settings']);
  });

  test('a family’s status route is asked first when the evidence names the family; the others follow', () => {
    expect(statusProbePaths('sub2api')).toEqual(['/api/v1/settings/public', '/api/status', '/admin/oem-settings']);
    expect(statusProbePaths('claude-relay-service')).toEqual(['/admin/oem-settings', '/api/status', '/api/v1/settings/public']);
    expect(statusProbePaths('new-api')).toEqual(STATUS_ROUTES);
    expect(statusProbePaths('litellm')).toEqual(STATUS_ROUTES); // no status route of its own
    expect(statusProbePaths()).toEqual(STATUS_ROUTES);
  });

  test('each status route has a shape the probe recognises (and only a gateway’s answers it)', () => {
    const answers: Record<string, unknown> = {
      '/api/status': { success: true, message: '', data: { system_name: 'Xinghe', quota_per_unit: 500000, version: 'v0.6.11' } },
      '/api/v1/settings/public': { code: 0, message: 'success', data: { site_name: 'Xinghe', api_base_url: 'https://xinghe.example', version: '0.1.40' } },
      '/admin/oem-settings': { success: true, data: { siteName: 'Xinghe', siteIcon: '', siteIconData: '', showAdminButton: false, ldapEnabled: false } },
    };
    for (const route of STATUS_ROUTES) expect(statusProbeSignals(answers[route]), route).toEqual([expect.objectContaining({ id: 'gateway-status-endpoint', detail: route })]);
    expect(statusProbeSignals({ success: true, data: { siteName: 'Blog' } })).toEqual([]);
  });
});

describe('signalFromStartupCall', () => {
  test.for([
    ['/setup/status', { id: 'gateway-api-call', detail: 'GET /setup/status', family: 'sub2api' }],
    ['/api/v1/settings/public', { id: 'gateway-api-call', detail: 'GET /api/v1/settings/public', family: 'sub2api' }],
    ['/admin/oem-settings', { id: 'gateway-api-call', detail: 'GET /admin/oem-settings', family: 'claude-relay-service' }],
    ['/apiStats/service-rates/', { id: 'gateway-api-call', detail: 'GET /apiStats/service-rates', family: 'claude-relay-service' }],
    // Shared by several families: named by none.
    ['/api/home_page_content', { id: 'gateway-api-call', detail: 'GET /api/home_page_content' }],
    ['/api/status', { id: 'gateway-common-api-call', detail: 'GET /api/status' }],
    ['/api/notice', { id: 'gateway-common-api-call', detail: 'GET /api/notice' }],
  ] as const)('%s', ([path, expected]) => {
    expect(signalFromStartupCall(path)).toEqual(expected);
    expect(mayBeStartupCall(path)).toBe(true);
  });

  test.for(['/', '', '/api', '/api/status/extra', '/Setup/Status', '/docs/setup/status', '/admin/oem-settings.json', 'setup/status', '//setup/status'])('%j is no start-up call', (path) => {
    expect(signalFromStartupCall(path)).toBeUndefined();
    expect(mayBeStartupCall(path)).toBe(false);
  });

  test('a megabyte path is refused by its length before any other work', () => {
    const huge = '/admin/oem-settings' + '/'.repeat(1_000_000);
    expect(signalFromStartupCall(huge)).toBeUndefined();
    expect(mayBeStartupCall(huge)).toBe(false);
  });
});

describe('the scoring of start-up calls', () => {
  test('two distinct distinctive calls reach unvetted, one does not, the same one twice does not', () => {
    const one = signalFromStartupCall('/setup/status')!;
    const other = signalFromStartupCall('/api/v1/settings/public')!;
    expect(scoreSignals([one]).unvetted).toBe(false);
    expect(scoreSignals([one, one]).unvetted).toBe(false);
    expect(scoreSignals([one, other])).toMatchObject({ unvetted: true, family: 'sub2api' });
  });

  test('a third distinctive call adds nothing: two count at most', () => {
    const calls = ['/admin/oem-settings', '/apiStats/service-rates', '/apiStats/models'].map((path) => signalFromStartupCall(path)!);
    expect(scoreSignals(calls).score).toBe(scoreSignals(calls.slice(0, 2)).score);
    expect(scoreSignals(calls).reasons.map((reason) => reason.detail)).toEqual(['GET /admin/oem-settings', 'GET /apiStats/service-rates']);
  });

  test('a common call makes a page suspect (the probe asks), never unvetted with weak traits beside it', () => {
    const status = signalFromStartupCall('/api/status')!;
    const notice = signalFromStartupCall('/api/notice')!;
    expect(scoreSignals([status])).toMatchObject({ suspect: true, unvetted: false });
    const withWeak = scoreSignals([status, notice, { id: 'gateway-route', detail: '/token' }, { id: 'relay-vocabulary', detail: '令牌、额度、倍率' }]);
    expect(withWeak.unvetted).toBe(false);
  });

  test('a common call and a distinctive one make a renamed one-api dashboard suspect; its probe answer decides', () => {
    const score = scoreSignals([signalFromStartupCall('/api/status')!, signalFromStartupCall('/api/home_page_content')!]);
    expect(score).toMatchObject({ suspect: true, unvetted: false });
    const probed = scoreSignals([signalFromStartupCall('/api/status')!, ...statusProbeSignals({ success: true, data: { system_name: 'X', quota_per_unit: 1 } })]);
    expect(probed.unvetted).toBe(true);
  });
});

describe('familyOfTitle', () => {
  test.for([
    ['Sub2API - AI API Gateway', 'sub2api'],
    ['Home - Sub2API', 'sub2api'],
    ['API Keys - Sub2API', 'sub2api'],
    ['Claude Relay Service - 管理后台', 'claude-relay-service'],
    ['claude relay service - 管理后台', 'claude-relay-service'],
    ['One API', 'one-api'],
    ['Done Hub', 'done-hub'],
  ] as const)('%s → %s', ([title, family]) => {
    expect(familyOfTitle(title)?.family).toBe(family);
  });

  test.for([' - Sub2API', 'Sub2API', 'Home - sub2api', 'Sub2API review - a blog', '星河 - 管理后台', 'Claude Relay Service', 'One API docs', ''])('%j names no family', (title) => {
    expect(familyOfTitle(title)).toBeUndefined();
  });

  test('reads at most MAX_TITLE_CHARS of a title, so a suffix past them is not seen', () => {
    expect(familyOfTitle('x'.repeat(MAX_TITLE_CHARS) + ' - Sub2API')).toBeUndefined();
    expect(familyOfTitle('x'.repeat(MAX_TITLE_CHARS - 20) + ' - Sub2API')?.family).toBe('sub2api');
    expect(familyOfTitle('x'.repeat(5_000_000))).toBeUndefined();
  });

  test('the detail shows the table’s suffix, never the page’s own words before it', () => {
    expect(familyOfTitle('Paste your key here - Sub2API')?.detail).toBe('… - Sub2API');
  });
});

describe('familyOfBasePath and the page fingerprint', () => {
  test('claude-relay-service’s /admin-next/ base path is a route naming its family, weak alone', () => {
    expect(familyOfBasePath('admin-next')).toBe('claude-relay-service');
    expect(familyOfBasePath('ADMIN-NEXT')).toBe('claude-relay-service');
    expect(familyOfBasePath('admin')).toBeUndefined();
    expect(familyOfBasePath('admin-next'.repeat(10))).toBeUndefined();
    const signals = signalsFromFingerprint({ storageKeys: [], path: '/admin-next/api-stats', vocabulary: [] });
    expect(signals).toEqual([{ id: 'gateway-route', detail: '/admin-next/*', family: 'claude-relay-service' }]);
    expect(scoreSignals(signals).suspect).toBe(false);
  });

  test('sub2api’s router title at DOMContentLoaded is a title signal naming sub2api', () => {
    expect(signalsFromFingerprint({ servedTitle: 'Home - Sub2API', storageKeys: [], path: '/home', vocabulary: [] })).toEqual([
      { id: 'gateway-default-title', detail: '… - Sub2API', family: 'sub2api' },
    ]);
  });

  test('the stock claude-relay-service title and its base path together make the page suspect', () => {
    const signals = signalsFromFingerprint({ servedTitle: 'Claude Relay Service - 管理后台', storageKeys: [], path: '/admin-next/api-stats', vocabulary: [] });
    expect(scoreSignals(signals)).toMatchObject({ suspect: true, unvetted: false, family: 'claude-relay-service' });
  });
});
