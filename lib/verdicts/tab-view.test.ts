import { describe, expect, test } from 'vitest';
import { compileMatcher } from '../lists/matcher.ts';
import { parseManagedPolicy, policyAsList } from '../lists/policy.ts';
import { endpointVerdict, tabVerdictOf, tabVerdictView, type TabFacts } from './tab-view.ts';

const list = (entries: { pattern: string; level: 'official' | 'vetted' | 'blocked' }[]) => ({ name: 'Test list', version: '1', updated: '2026-11-20', entries });
const matcher = compileMatcher([
  { id: 'managed', source: 'managed', list: policyAsList(parseManagedPolicy({ blocklist: ['managed-block.example'] })) },
  { id: 'user', source: 'user', list: list([{ pattern: 'own-gateway.example', level: 'vetted' }]) },
  { id: 'bundled:vendors', source: 'bundled', list: list([{ pattern: 'api.openai.com', level: 'official' }, { pattern: 'bad-relay.example', level: 'blocked' }]) },
]);

const page = (overrides: Partial<TabFacts> = {}): TabFacts => ({
  tabId: 3,
  url: 'https://chat.example.com/',
  host: 'chat.example.com',
  hostDisplay: 'chat.example.com',
  scope: 'public',
  detections: [],
  endpoints: [],
  ...overrides,
});
const called = (host: string) => ({ host, protocol: 'openai', count: 1, credentialKinds: ['vendor-key'] });

describe('endpointVerdict', () => {
  test('an AI call to a public host no list vouches for is unvetted; listed hosts keep their level; local hosts stay unknown', () => {
    expect(endpointVerdict(matcher, called('cheap-api.example')).level).toBe('unvetted');
    expect(endpointVerdict(matcher, called('api.openai.com')).level).toBe('official');
    expect(endpointVerdict(matcher, called('own-gateway.example')).level).toBe('vetted');
    expect(endpointVerdict(matcher, called('bad-relay.example')).level).toBe('blocked');
    expect(endpointVerdict(matcher, called('127.0.0.1')).level).toBe('unknown');
  });

  test('a multi-tenant gateway: its account pattern vets that account, its host entry vets none', () => {
    const ACCOUNT = '0123456789abcdef0123456789abcdef';
    const gateways = compileMatcher([
      { id: 'bundled:vetted', source: 'bundled', list: list([{ pattern: 'gateway.ai.cloudflare.com', level: 'vetted' }]) },
      { id: 'user', source: 'user', list: list([{ pattern: `gateway.ai.cloudflare.com/v1/${ACCOUNT}/`, level: 'vetted' }]) },
    ]);
    const through = (account?: string) => ({ ...called('gateway.ai.cloudflare.com'), ...(account && { account }) });
    expect(endpointVerdict(gateways, through(`${ACCOUNT}/team-gw`)).level).toBe('vetted');
    expect(endpointVerdict(gateways, through('fedcba9876543210fedcba9876543210/gw')).level).toBe('unvetted');
    expect(endpointVerdict(gateways, through()).level).toBe('unvetted');
  });
});

describe('tabVerdictOf', () => {
  test('the tab is the worst of its page and its endpoints', () => {
    expect(tabVerdictOf(matcher, page({ endpoints: [called('cheap-api.example')] })).level).toBe('unvetted');
    expect(tabVerdictOf(matcher, page({ endpoints: [called('cheap-api.example'), called('bad-relay.example')] })).level).toBe('blocked');
  });

  test('official and vetted endpoints never raise a page above unknown, nor lower a page', () => {
    expect(tabVerdictOf(matcher, page({ endpoints: [called('api.openai.com'), called('own-gateway.example')] }))).toEqual({ level: 'unknown', reasons: [] });
    const blockedPage = page({ host: 'bad-relay.example', hostDisplay: 'bad-relay.example', endpoints: [called('api.openai.com')] });
    expect(tabVerdictOf(matcher, blockedPage).level).toBe('blocked');
  });
});

describe('tabVerdictView', () => {
  test('each endpoint carries its own level; the control says whose entry decides and whether policy manages the page', () => {
    const view = tabVerdictView(matcher, page({ host: 'own-gateway.example', hostDisplay: 'own-gateway.example', endpoints: [called('cheap-api.example')] }));
    expect(view).toMatchObject({ level: 'unvetted', endpoints: [{ host: 'cheap-api.example', level: 'unvetted', count: 1 }], control: { userEntry: { pattern: 'own-gateway.example', level: 'vetted' }, managed: false } });
    expect(tabVerdictView(matcher, page({ host: 'managed-block.example', hostDisplay: 'managed-block.example' })).control).toEqual({ userEntry: null, managed: true });
  });
});
