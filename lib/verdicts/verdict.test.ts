import { describe, expect, it } from 'vitest';
import type { HostScope } from '../core/host.ts';
import type { ListHit } from '../lists/matcher.ts';
import type { ListSource } from '../lists/precedence.ts';
import {
  VERDICT_LEVELS,
  listReason,
  reasonSchema,
  riskOf,
  tabVerdict,
  verdictForHost,
  type EndpointVerdict,
  type Reason,
  type Verdict,
  type VerdictLevel,
} from './verdict.ts';

function listHit(overrides: Partial<ListHit> = {}): ListHit {
  return {
    listId: 'bundled:vendors',
    listName: 'RelayGuard AI vendors',
    listVersion: '2026.11.26',
    source: 'bundled',
    pattern: 'api.openai.com',
    level: 'official',
    specificity: 6,
    ...overrides,
  };
}

function signal(source: string, detail = 'seen'): Reason {
  return { kind: 'signal', level: 'unvetted', source, detail };
}

function reasonAt(level: VerdictLevel, source: string): Reason {
  return { kind: 'list', level, source, detail: `${source} detail` };
}

function page(level: VerdictLevel, reasons: readonly Reason[] = [reasonAt(level, `page-${level}`)]): Verdict {
  return { level, reasons };
}

function endpoint(host: string, level: VerdictLevel, reasons: readonly Reason[] = [], protocol = 'openai'): EndpointVerdict {
  return { host, level, protocol, reasons };
}

describe('verdict levels', () => {
  it('are exactly the strings of docs/test-contract.md', () => {
    expect(VERDICT_LEVELS).toEqual(['official', 'vetted', 'unknown', 'unvetted', 'blocked']);
  });

  it.each([
    { level: 'official', risk: 0 },
    { level: 'vetted', risk: 0 },
    { level: 'unknown', risk: 1 },
    { level: 'unvetted', risk: 2 },
    { level: 'blocked', risk: 3 },
  ] as const)('riskOf($level) = $risk', ({ level, risk }) => {
    expect(riskOf(level)).toBe(risk);
  });
});

describe('listReason', () => {
  it.each([
    {
      name: 'category and reason',
      hit: { category: 'relay', reason: 'resells keys' },
      detail: 'api.openai.com (relay: resells keys)',
    },
    { name: 'category only', hit: { category: 'vendor-api' }, detail: 'api.openai.com (vendor-api)' },
    { name: 'reason only', hit: { reason: 'OpenAI API' }, detail: 'api.openai.com (OpenAI API)' },
    { name: 'neither', hit: {}, detail: 'api.openai.com' },
    { name: 'empty strings', hit: { category: '', reason: '' }, detail: 'api.openai.com' },
  ])('$name → $detail', ({ hit, detail }) => {
    expect(listReason(listHit(hit))).toEqual({
      kind: 'list',
      level: 'official',
      source: 'RelayGuard AI vendors v2026.11.26',
      detail,
      listSource: 'bundled',
    });
  });

  it.each<{ source: ListSource; listId?: string; shown: string }>([
    { source: 'bundled', shown: 'Some list v3.1' },
    { source: 'subscribed', shown: 'Some list v3.1' },
    // A person's own entries and the policy's own entries are named without a version.
    { source: 'user', shown: 'Some list' },
    { source: 'managed', listId: 'managed', shown: 'Some list' },
    // A list the organisation subscribes to is a list like any other: named with its version.
    { source: 'managed', listId: 'subscription:https://lists.corp.example/l.json', shown: 'Some list v3.1' },
  ])('a $source list ($listId) is shown as “$shown”', ({ source, listId, shown }) => {
    const reason = listReason(listHit({ source, listName: 'Some list', listVersion: '3.1', ...(listId && { listId }) }));
    expect(reason.source).toBe(shown);
    expect(reason.listSource).toBe(source);
  });

  it('names the list and its version, keeps the level and carries the evidence', () => {
    const hit = listHit({
      listName: 'Community relays',
      listVersion: '7',
      source: 'subscribed',
      pattern: '.relay.example',
      level: 'blocked',
      evidence: ['https://reports.example/1', 'https://reports.example/2'],
    });
    const reason = listReason(hit);
    expect(reason).toEqual({
      kind: 'list',
      level: 'blocked',
      source: 'Community relays v7',
      detail: '.relay.example',
      listSource: 'subscribed',
      evidence: ['https://reports.example/1', 'https://reports.example/2'],
    });
    expect(reasonSchema().safeParse(reason).success).toBe(true);
  });

  it('has no evidence key when the hit has none', () => {
    expect('evidence' in listReason(listHit())).toBe(false);
  });
});

describe('verdictForHost', () => {
  const detections = [signal('page-fingerprint:new-api'), signal('ai-traffic', 'POST /v1/chat/completions')];

  it.each<{ name: string; level: 'official' | 'vetted' | 'blocked'; scope: HostScope }>([
    { name: 'an official hit on a public host', level: 'official', scope: 'public' },
    { name: 'a vetted hit on a public host', level: 'vetted', scope: 'public' },
    { name: 'a blocked hit on a public host', level: 'blocked', scope: 'public' },
    { name: 'a blocked hit on a private host', level: 'blocked', scope: 'private' },
    { name: 'a vetted hit on a loopback host', level: 'vetted', scope: 'loopback' },
  ])('a list hit wins over detections: $name', ({ level, scope }) => {
    const hit = listHit({ level, pattern: 'gateway.example', ...(level === 'blocked' && { evidence: ['https://reports.example/1'] }) });
    expect(verdictForHost({ listHit: hit, host: 'gateway.example', scope, detections })).toEqual({
      level,
      reasons: [listReason(hit)],
    });
  });

  it.each<{ scope: HostScope; host: string }>([
    { scope: 'loopback', host: 'localhost' },
    { scope: 'loopback', host: '127.0.0.1' },
    { scope: 'private', host: '192.168.1.10' },
    { scope: 'private', host: 'nas.home.arpa' },
  ])('a $scope host ($host) is never unvetted, whatever is detected', ({ scope, host }) => {
    const expected = { level: 'unknown', reasons: [{ kind: 'local', level: 'unknown', source: host, detail: scope }] };
    expect(verdictForHost({ listHit: null, host, scope, detections })).toEqual(expected);
    expect(verdictForHost({ listHit: null, host, scope })).toEqual(expected);
  });

  it('detections on a public host make it unvetted, with exactly those reasons in order', () => {
    expect(verdictForHost({ listHit: null, host: 'relay.example', scope: 'public', detections })).toEqual({
      level: 'unvetted',
      reasons: detections,
    });
  });

  it('one detection is enough', () => {
    const only = [signal('lookalike')];
    expect(verdictForHost({ listHit: null, host: 'openai-api.example', scope: 'public', detections: only })).toEqual({
      level: 'unvetted',
      reasons: only,
    });
  });

  it.each([{ detections: undefined }, { detections: [] }])('nothing on a public host → unknown with no reasons ($detections)', ({ detections: none }) => {
    expect(verdictForHost({ listHit: null, host: 'example.com', scope: 'public', ...(none && { detections: none }) })).toEqual({
      level: 'unknown',
      reasons: [],
    });
  });
});

describe('tabVerdict: the worst of page and endpoints (docs/test-contract.md)', () => {
  // Rows: page level; columns: the one endpoint's level. Official and vetted endpoints never raise.
  const matrix: Record<VerdictLevel, Record<VerdictLevel, VerdictLevel>> = {
    official: { official: 'official', vetted: 'official', unknown: 'official', unvetted: 'unvetted', blocked: 'blocked' },
    vetted: { official: 'vetted', vetted: 'vetted', unknown: 'vetted', unvetted: 'unvetted', blocked: 'blocked' },
    unknown: { official: 'unknown', vetted: 'unknown', unknown: 'unknown', unvetted: 'unvetted', blocked: 'blocked' },
    unvetted: { official: 'unvetted', vetted: 'unvetted', unknown: 'unvetted', unvetted: 'unvetted', blocked: 'blocked' },
    blocked: { official: 'blocked', vetted: 'blocked', unknown: 'blocked', unvetted: 'blocked', blocked: 'blocked' },
  };
  const cases = VERDICT_LEVELS.flatMap((pageLevel) =>
    VERDICT_LEVELS.map((endpointLevel) => ({ pageLevel, endpointLevel, expected: matrix[pageLevel][endpointLevel] })),
  );

  it.each(cases)('page $pageLevel + endpoint $endpointLevel → $expected', ({ pageLevel, endpointLevel, expected }) => {
    expect(tabVerdict(page(pageLevel), [endpoint('api.relay.example', endpointLevel)]).level).toBe(expected);
  });

  it('with no endpoints the tab is the page', () => {
    for (const level of VERDICT_LEVELS) {
      const p = page(level);
      expect(tabVerdict(p, [])).toEqual({ level, reasons: p.reasons });
    }
  });

  it('official and vetted endpoints add no reasons and never raise the page', () => {
    const p = page('unknown', []);
    const verdict = tabVerdict(p, [
      endpoint('api.openai.com', 'official', [reasonAt('official', 'RelayGuard AI vendors v1')]),
      endpoint('openrouter.ai', 'vetted', [reasonAt('vetted', 'RelayGuard vetted v1')]),
      endpoint('api.unknown.example', 'unknown'),
    ]);
    expect(verdict).toEqual({ level: 'unknown', reasons: [] });
  });

  it('a blocked endpoint on a vetted page → blocked, the endpoint reason first and naming its host', () => {
    const vettedReason = reasonAt('vetted', 'Team gateways v3');
    const verdict = tabVerdict(page('vetted', [vettedReason]), [
      endpoint('evil-relay.example', 'blocked', [reasonAt('blocked', 'Community relays v7')], 'anthropic'),
    ]);
    expect(verdict).toEqual({
      level: 'blocked',
      reasons: [
        { kind: 'endpoint', level: 'blocked', source: 'evil-relay.example', detail: 'anthropic · Community relays v7' },
        vettedReason,
      ],
    });
  });

  it('an unvetted endpoint on an official page → unvetted', () => {
    const officialReason = reasonAt('official', 'RelayGuard AI vendors v1');
    const verdict = tabVerdict(page('official', [officialReason]), [
      endpoint('relay.example', 'unvetted', [signal('ai-traffic'), signal('header:x-new-api')]),
    ]);
    expect(verdict).toEqual({
      level: 'unvetted',
      reasons: [
        { kind: 'endpoint', level: 'unvetted', source: 'relay.example', detail: 'openai · ai-traffic · header:x-new-api' },
        officialReason,
      ],
    });
  });

  it('an endpoint without reasons is described by its protocol alone', () => {
    const verdict = tabVerdict(page('unknown', []), [endpoint('relay.example', 'unvetted', [], 'gemini')]);
    expect(verdict.reasons).toEqual([{ kind: 'endpoint', level: 'unvetted', source: 'relay.example', detail: 'gemini' }]);
  });

  it('orders reasons most severe first, keeping the given order among equals', () => {
    const pageUnvetted = signal('page-fingerprint');
    const pageLocal: Reason = { kind: 'local', level: 'unknown', source: 'x', detail: 'private' };
    const verdict = tabVerdict(page('unvetted', [pageLocal, pageUnvetted]), [
      endpoint('b.relay.example', 'unvetted', [signal('ai-traffic')]),
      endpoint('api.openai.com', 'official'),
      endpoint('a.blocked.example', 'blocked', [reasonAt('blocked', 'Blocklist v1')]),
      endpoint('c.blocked.example', 'blocked'),
    ]);
    expect(verdict.level).toBe('blocked');
    expect(verdict.reasons.map((r) => `${r.level} ${r.kind} ${r.source}`)).toEqual([
      'blocked endpoint a.blocked.example',
      'blocked endpoint c.blocked.example',
      'unvetted signal page-fingerprint',
      'unvetted endpoint b.relay.example',
      'unknown local x',
    ]);
    const risks = verdict.reasons.map((r) => riskOf(r.level));
    expect(risks).toEqual([...risks].sort((a, b) => b - a));
    // Reasons cross into storage and messages: every one must satisfy the shared schema.
    for (const reason of verdict.reasons) expect(reasonSchema().safeParse(reason).success).toBe(true);
  });

  it('a blocked page stays blocked and keeps its reason first', () => {
    const blockedReason = reasonAt('blocked', 'Blocklist v1');
    const verdict = tabVerdict(page('blocked', [blockedReason]), [endpoint('relay.example', 'unvetted', [signal('ai-traffic')])]);
    expect(verdict).toEqual({
      level: 'blocked',
      reasons: [blockedReason, { kind: 'endpoint', level: 'unvetted', source: 'relay.example', detail: 'openai · ai-traffic' }],
    });
  });

  it('does not modify the page verdict it was given', () => {
    const reasons = [reasonAt('official', 'Vendors v1')];
    const p = page('official', reasons);
    tabVerdict(p, [endpoint('relay.example', 'blocked')]);
    expect(p).toEqual({ level: 'official', reasons: [reasonAt('official', 'Vendors v1')] });
    expect(p.reasons).toBe(reasons);
  });
});
