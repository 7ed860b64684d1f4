import { describe, expect, it } from 'vitest';
import { parseList, type ListEntry, type RelayList } from './list-schema.ts';
import { IndexedList } from './indexed-list.ts';
import { compileMatcher, type ListHit, type SourcedList } from './matcher.ts';
import { winningHit, type ListSource } from './precedence.ts';

const evidence = ['https://reports.example/1'];

/** A list through the real schema, so patterns are canonical exactly as in production. */
function list(name: string, entries: readonly Record<string, unknown>[], version = '1.0'): RelayList {
  const parsed = parseList({ name, version, updated: '2026-11-26', entries });
  if (!parsed.ok) throw new Error(parsed.error.issues.join('; '));
  return parsed.value;
}

/** A list as IndexedDB hands it back: its packed body, read without the entries it was built from. */
function storedCopy(relayList: RelayList): IndexedList {
  const built = IndexedList.of(relayList);
  const read = IndexedList.fromBody(structuredClone(built.toBody('')));
  if (!read.ok) throw new Error(read.error);
  const attached = read.value.attachDetails(structuredClone(built.detailsBody()));
  if (!attached.ok) throw new Error(attached.error);
  return read.value;
}

function sourced(id: string, source: ListSource, relayList: RelayList): SourcedList<RelayList> {
  return { id, source, list: relayList };
}

function one(pattern: string, level: 'official' | 'vetted' | 'blocked' = 'official'): SourcedList {
  const entry = level === 'blocked' ? { pattern, level, evidence } : { pattern, level };
  return sourced('test', 'bundled', list('Test', [entry]));
}

describe('compileMatcher: subdomain patterns', () => {
  const matcher = compileMatcher([one('example.com')]);

  it.each([
    { host: 'example.com', matches: true },
    { host: 'a.example.com', matches: true },
    { host: 'a.b.example.com', matches: true },
    { host: 'x.y.z.a.b.example.com', matches: true },
    { host: 'badexample.com', matches: false },
    { host: 'xexample.com', matches: false },
    { host: 'a.badexample.com', matches: false },
    { host: 'example.com.evil.test', matches: false },
    { host: 'example.co', matches: false },
    { host: 'example.org', matches: false },
    { host: 'com', matches: false },
    { host: 'ample.com', matches: false },
    { host: '', matches: false },
  ])('example.com vs $host → $matches', ({ host, matches }) => {
    const hits = matcher.match(host);
    expect(hits.map((h) => h.pattern)).toEqual(matches ? ['example.com'] : []);
    expect(matcher.decide(host)?.pattern ?? null).toBe(matches ? 'example.com' : null);
  });
});

describe('compileMatcher: exact-host patterns', () => {
  const matcher = compileMatcher([one('.example.com')]);

  it.each([
    { host: 'example.com', matches: true },
    { host: 'a.example.com', matches: false },
    { host: 'a.b.example.com', matches: false },
    { host: 'badexample.com', matches: false },
  ])('.example.com vs $host → $matches', ({ host, matches }) => {
    expect(matcher.match(host).map((h) => h.pattern)).toEqual(matches ? ['.example.com'] : []);
  });

  it('an exact parent pattern does not stop a subdomain pattern above it', () => {
    const both = compileMatcher([sourced('l', 'user', list('L', [{ pattern: '.a.example.com', level: 'vetted' }, { pattern: 'example.com', level: 'official' }]))]);
    expect(both.match('b.a.example.com').map((h) => h.pattern)).toEqual(['example.com']);
    expect(both.match('a.example.com').map((h) => h.pattern).sort()).toEqual(['.a.example.com', 'example.com']);
  });

  it('example.com and .example.com under one key both match the host, only the first matches a subdomain', () => {
    const both = compileMatcher([sourced('l', 'user', list('L', [{ pattern: 'example.com', level: 'official' }, { pattern: '.example.com', level: 'vetted' }]))]);
    expect(both.match('example.com').map((h) => h.pattern)).toEqual(['example.com', '.example.com']);
    expect(both.match('www.example.com').map((h) => h.pattern)).toEqual(['example.com']);
  });
});

describe('compileMatcher: IP patterns', () => {
  it.each([
    { pattern: '1.2.3.4', host: '1.2.3.4', matches: true },
    { pattern: '1.2.3.4', host: '11.2.3.4', matches: false },
    { pattern: '1.2.3.4', host: '1.2.3.40', matches: false },
    { pattern: '1.2.3.4', host: '1.2.3.5', matches: false },
    { pattern: '0x7f.1', host: '127.0.0.1', matches: true },
    { pattern: '::1', host: '::1', matches: true },
    { pattern: '[::1]', host: '::1', matches: true },
    { pattern: '::1', host: 'fe80::1', matches: false },
    { pattern: '2001:db8::1', host: '2001:db8::1', matches: true },
    { pattern: '2001:db8::1', host: '2001:db8::11', matches: false },
  ])('$pattern vs $host → $matches', ({ pattern, host, matches }) => {
    expect(compileMatcher([one(pattern)]).match(host)).toHaveLength(matches ? 1 : 0);
  });

  it('never probes the "parents" of an IPv4 address, even for entries that look like its tail', () => {
    // Entries the schema would refuse, put in directly: a lookup of 10.0.0.1 must not find them.
    const entries: ListEntry[] = ['0.0.1', '0.1', '1', '.0.0.1'].map((pattern) => ({ pattern, level: 'blocked', evidence }));
    const raw: RelayList = { name: 'Raw', version: '1', updated: '2026-11-26', entries };
    const matcher = compileMatcher([sourced('raw', 'user', raw)]);
    expect(matcher.match('10.0.0.1')).toEqual([]);
    expect(matcher.decide('10.0.0.1')).toBeNull();
  });

  it('never probes the "parents" of an IPv6 address', () => {
    const entries: ListEntry[] = [{ pattern: 'ffff:7f00:1', level: 'official' }];
    const matcher = compileMatcher([sourced('raw', 'user', { name: 'Raw', version: '1', updated: '2026-11-26', entries })]);
    expect(matcher.match('::ffff:7f00:1')).toEqual([]);
  });

  it('a domain pattern never matches an IP host', () => {
    expect(compileMatcher([one('example.com')]).match('93.184.216.34')).toEqual([]);
  });
});

describe('compileMatcher: hits', () => {
  const bundled = sourced(
    'bundled:vendors',
    'bundled',
    list('RelayGuard AI vendors', [
      { pattern: 'openai.com', level: 'official', category: 'vendor' },
      { pattern: '.api.openai.com', level: 'official', category: 'vendor-api', reason: 'OpenAI API' },
    ], '2026.11.26'),
  );
  const subscribed = sourced(
    'subscription:https://lists.example/relays.json',
    'subscribed',
    list('Community relays', [{ pattern: 'openai.com', level: 'blocked', reason: 'test', evidence: ['https://reports.example/1', 'https://reports.example/2'] }], '7'),
  );
  const user = sourced('user', 'user', list('My list', [{ pattern: 'api.openai.com', level: 'vetted' }], '1'));
  const matcher = compileMatcher([bundled, subscribed, user]);

  it('carries list id, name, version, source, pattern, level, specificity and the entry’s notes', () => {
    const hits = matcher.match('api.openai.com');
    const expected: ListHit[] = [
      {
        listId: 'bundled:vendors',
        listName: 'RelayGuard AI vendors',
        listVersion: '2026.11.26',
        source: 'bundled',
        pattern: '.api.openai.com',
        level: 'official',
        specificity: 7,
        category: 'vendor-api',
        reason: 'OpenAI API',
      },
      { listId: 'user', listName: 'My list', listVersion: '1', source: 'user', pattern: 'api.openai.com', level: 'vetted', specificity: 6 },
      {
        listId: 'bundled:vendors',
        listName: 'RelayGuard AI vendors',
        listVersion: '2026.11.26',
        source: 'bundled',
        pattern: 'openai.com',
        level: 'official',
        specificity: 4,
        category: 'vendor',
      },
      {
        listId: 'subscription:https://lists.example/relays.json',
        listName: 'Community relays',
        listVersion: '7',
        source: 'subscribed',
        pattern: 'openai.com',
        level: 'blocked',
        specificity: 4,
        reason: 'test',
        evidence: ['https://reports.example/1', 'https://reports.example/2'],
      },
    ];
    expect(hits).toHaveLength(expected.length);
    // Order across pattern hosts is an implementation detail; compare as a set keyed by list and pattern.
    const key = (h: ListHit) => `${h.listId} ${h.pattern}`;
    expect([...hits].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...expected].sort((a, b) => key(a).localeCompare(key(b))));
  });

  it('leaves out optional fields the entry does not have', () => {
    const hit = matcher.match('api.openai.com').find((h) => h.listId === 'user');
    expect(hit).toBeDefined();
    expect(Object.keys(hit!).sort()).toEqual(['level', 'listId', 'listName', 'listVersion', 'pattern', 'source', 'specificity']);
  });

  it('hits of one pattern keep list order across lists', () => {
    const hits = matcher.match('chat.openai.com');
    expect(hits.map((h) => h.listId)).toEqual(['bundled:vendors', 'subscription:https://lists.example/relays.json']);
    expect(hits.map((h) => h.specificity)).toEqual([4, 4]);
  });

  it('decide returns the precedence winner', () => {
    // user (vetted) beats subscribed (blocked) and bundled (official, more specific)
    expect(matcher.decide('api.openai.com')?.listId).toBe('user');
    // user does not name chat.openai.com: subscribed beats bundled
    expect(matcher.decide('chat.openai.com')).toEqual(matcher.match('chat.openai.com')[1]);
    expect(matcher.decide('chat.openai.com')?.level).toBe('blocked');
    expect(matcher.decide('anthropic.com')).toBeNull();
  });

  it('a user `example.com` blocked entry beats a bundled `.api.example.com` official entry', () => {
    const m = compileMatcher([
      sourced('bundled', 'bundled', list('B', [{ pattern: '.api.example.com', level: 'official' }])),
      sourced('user', 'user', list('U', [{ pattern: 'example.com', level: 'blocked', evidence }])),
    ]);
    expect(m.decide('api.example.com')).toMatchObject({ listId: 'user', pattern: 'example.com', level: 'blocked' });
    expect(m.decide('www.example.com')).toMatchObject({ listId: 'user', level: 'blocked' });
  });

  it('within one source the more specific official entry beats a less specific blocked one', () => {
    const m = compileMatcher([
      sourced('a', 'subscribed', list('A', [{ pattern: 'example.com', level: 'blocked', evidence }])),
      sourced('b', 'subscribed', list('B', [{ pattern: 'api.example.com', level: 'official' }])),
    ]);
    expect(m.decide('v1.api.example.com')).toMatchObject({ listId: 'b', level: 'official' });
    expect(m.decide('www.example.com')).toMatchObject({ listId: 'a', level: 'blocked' });
  });

  it('at equal specificity blocked > vetted > official', () => {
    const official = sourced('o', 'user', list('O', [{ pattern: 'example.com', level: 'official' }]));
    const vetted = sourced('v', 'user', list('V', [{ pattern: 'example.com', level: 'vetted' }]));
    const blocked = sourced('b', 'user', list('B', [{ pattern: 'example.com', level: 'blocked', evidence }]));
    expect(compileMatcher([official, vetted, blocked]).decide('example.com')?.listId).toBe('b');
    expect(compileMatcher([blocked, vetted, official]).decide('example.com')?.listId).toBe('b');
    expect(compileMatcher([official, vetted]).decide('example.com')?.listId).toBe('v');
    expect(compileMatcher([vetted, official]).decide('example.com')?.listId).toBe('v');
  });

  it('equal hits: the first list wins', () => {
    const a = sourced('a', 'bundled', list('A', [{ pattern: 'example.com', level: 'official' }]));
    const b = sourced('b', 'bundled', list('B', [{ pattern: 'example.com', level: 'official' }]));
    expect(compileMatcher([a, b]).decide('www.example.com')?.listId).toBe('a');
    expect(compileMatcher([b, a]).decide('www.example.com')?.listId).toBe('b');
  });
});

describe('compileMatcher: bookkeeping', () => {
  it('counts entries across lists and reports the lists', () => {
    const m = compileMatcher([
      sourced('a', 'bundled', list('A', [{ pattern: 'a.example', level: 'official' }, { pattern: '.b.example', level: 'vetted' }])),
      sourced('empty', 'subscribed', list('Empty', [])),
      sourced('c', 'managed', list('C', [{ pattern: 'a.example', level: 'blocked', evidence }])),
    ]);
    expect(m.entryCount).toBe(3);
    expect(m.lists).toEqual([
      { id: 'a', source: 'bundled' },
      { id: 'empty', source: 'subscribed' },
      { id: 'c', source: 'managed' },
    ]);
  });

  it('lists every distinct pattern text once', () => {
    const m = compileMatcher([
      sourced('a', 'bundled', list('A', [{ pattern: 'A.example', level: 'official' }, { pattern: '.b.example', level: 'vetted' }, { pattern: 'b.example', level: 'vetted' }])),
      sourced('c', 'managed', list('C', [{ pattern: 'a.example', level: 'blocked', evidence }])),
    ]);
    expect(m.patterns().sort()).toEqual(['.b.example', 'a.example', 'b.example']);
    expect(compileMatcher([]).patterns()).toEqual([]);
  });

  it('works with no lists', () => {
    const m = compileMatcher([]);
    expect(m.entryCount).toBe(0);
    expect(m.lists).toEqual([]);
    expect(m.match('example.com')).toEqual([]);
    expect(m.decide('example.com')).toBeNull();
  });

  it('works with only empty lists', () => {
    const m = compileMatcher([sourced('a', 'user', list('A', [])), sourced('b', 'bundled', list('B', []))]);
    expect(m.entryCount).toBe(0);
    expect(m.match('a.b.example.com')).toEqual([]);
    expect(m.decide('a.b.example.com')).toBeNull();
  });

  it('finds one entry among many', () => {
    const entries = Array.from({ length: 5000 }, (_, i) => ({ pattern: `host${i}.example`, level: 'official' as const }));
    const m = compileMatcher([sourced('big', 'bundled', list('Big', entries))]);
    expect(m.entryCount).toBe(5000);
    expect(m.decide('api.host4321.example')?.pattern).toBe('host4321.example');
    expect(m.match('host50000.example')).toEqual([]);
  });
});

describe('compileMatcher agrees with a naive scan', () => {
  // The reference: every entry of every list, checked one by one the obvious way.
  function naiveMatch(lists: readonly SourcedList<RelayList>[], host: string): ListHit[] {
    const isIp = host.includes(':') || /^\d+\.\d+\.\d+\.\d+$/.test(host);
    const hits: { hit: ListHit; depth: number }[] = [];
    for (const { id, source, list: relayList } of lists) {
      for (const entry of relayList.entries) {
        const exact = entry.pattern.startsWith('.');
        const patternHost = exact ? entry.pattern.slice(1) : entry.pattern;
        const applies = host === patternHost || (!exact && !isIp && host.endsWith(`.${patternHost}`));
        if (!applies) continue;
        const labels = patternHost.split('.').length;
        hits.push({
          depth: -labels,
          hit: {
            listId: id,
            listName: relayList.name,
            listVersion: relayList.version,
            source,
            pattern: entry.pattern,
            level: entry.level,
            specificity: labels * 2 + (exact || isIp ? 1 : 0),
            ...(entry.category !== undefined && { category: entry.category }),
            ...(entry.reason !== undefined && { reason: entry.reason }),
            ...(entry.evidence !== undefined && { evidence: entry.evidence }),
          },
        });
      }
    }
    return hits.sort((a, b) => a.depth - b.depth).map(({ hit }) => hit);
  }

  function seeded(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
  }

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i: match() and decide() equal the naive scan on 300 hosts', (seed) => {
    const random = seeded(seed);
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const labels = ['a', 'b', 'api', 'relay', 'x1', 'gw', 'cn'];
    const bases = ['example.com', 'relay.test', 'b.co.uk', 'gw.example.com'];
    const hostOf = () => {
      const depth = Math.floor(random() * 3);
      return [...Array.from({ length: depth }, () => pick(labels)), pick(bases)].join('.');
    };
    const sources: ListSource[] = ['managed', 'user', 'subscribed', 'bundled'];
    const levels = ['official', 'vetted', 'blocked'] as const;
    const lists = sources.map((source, index) => {
      const seen = new Set<string>();
      const entries: ListEntry[] = [];
      for (let i = 0; i < 12; i++) {
        const pattern = `${random() < 0.3 ? '.' : ''}${hostOf()}`;
        if (seen.has(pattern)) continue;
        seen.add(pattern);
        entries.push({ pattern, level: pick(levels), ...(random() < 0.3 && { reason: `r${i}` }) });
      }
      entries.push({ pattern: '10.0.0.1', level: pick(levels) });
      return sourced(`list-${index}`, source, { name: `L${index}`, version: String(index), updated: '2026-11-26', entries });
    });
    const matcher = compileMatcher(lists);
    // The same lists as a cold worker reads them back from storage: one buffer each, no entries.
    const stored = compileMatcher(lists.map(({ id, source, list: relayList }) => ({ id, source, list: storedCopy(relayList) })));
    for (let i = 0; i < 300; i++) {
      const host = random() < 0.05 ? '10.0.0.1' : hostOf();
      const expected = naiveMatch(lists, host);
      expect(matcher.match(host)).toEqual(expected);
      expect(matcher.decide(host)).toEqual(winningHit(expected));
      expect(stored.match(host)).toEqual(expected);
      expect(stored.decideHostAndSubdomains(host)).toEqual(matcher.decideHostAndSubdomains(host));
    }
    expect(stored.patterns()).toEqual(matcher.patterns());
  });
});

describe('decideEndpoint: a multi-tenant gateway is vetted by account, not by host', () => {
  const GATEWAY = 'gateway.ai.cloudflare.com';
  const TEAM = '0123456789abcdef0123456789abcdef';
  const STRANGER = 'fedcba9876543210fedcba9876543210';
  const matcher = compileMatcher([
    sourced('bundled:vetted', 'bundled', list('Vetted', [{ pattern: GATEWAY, level: 'vetted' }, { pattern: 'openrouter.ai', level: 'vetted' }])),
    sourced('subscription:team', 'subscribed', list('Team', [{ pattern: `${GATEWAY}/v1/${TEAM}/`, level: 'vetted', reason: 'our account' }])),
  ]);

  it('an account pattern vets calls through that account, every gateway of it', () => {
    expect(matcher.decideEndpoint(GATEWAY, `/v1/${TEAM}/chat-gw/`)).toMatchObject({ pattern: `${GATEWAY}/v1/${TEAM}/`, level: 'vetted', listName: 'Team' });
    expect(matcher.decideEndpoint(GATEWAY, `/v1/${TEAM}/other-gw/`)?.listName).toBe('Team');
  });

  it("the host's own vetted entry vets no account: a stranger's, or a call with none", () => {
    expect(matcher.decideEndpoint(GATEWAY, `/v1/${STRANGER}/chat-gw/`)).toBeNull();
    expect(matcher.decideEndpoint(GATEWAY)).toBeNull();
  });

  it('pages and other hosts are decided by host as before', () => {
    expect(matcher.decide(GATEWAY)).toMatchObject({ pattern: GATEWAY, level: 'vetted' });
    expect(matcher.decideEndpoint('openrouter.ai')).toMatchObject({ pattern: 'openrouter.ai', level: 'vetted' });
    expect(matcher.patterns()).toEqual([GATEWAY, 'openrouter.ai']);
  });

  it('a blocked host entry still blocks every account, the vetted one included when it outranks it', () => {
    const blocked = compileMatcher([
      sourced('managed', 'managed', list('Policy', [{ pattern: GATEWAY, level: 'blocked', evidence }])),
      sourced('subscription:team', 'subscribed', list('Team', [{ pattern: `${GATEWAY}/v1/${TEAM}/`, level: 'vetted' }])),
    ]);
    expect(blocked.decideEndpoint(GATEWAY, `/v1/${STRANGER}/gw/`)?.level).toBe('blocked');
    expect(blocked.decideEndpoint(GATEWAY, `/v1/${TEAM}/gw/`)?.level).toBe('blocked');
  });

  it('an account pattern can only vet', () => {
    expect(parseList({ name: 'x', version: '1', updated: '2026-12-01', entries: [{ pattern: `${GATEWAY}/v1/${TEAM}/`, level: 'blocked', evidence }] })).toMatchObject({
      ok: false,
      error: { issues: ['entries[0].level: a gateway account pattern (host/path) can only be "vetted"'] },
    });
  });
});
