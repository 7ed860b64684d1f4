import { describe, expect, it } from 'vitest';
import { buildBlockRules } from './block-rules.ts';
import { parseList, type ListLevel } from './list-schema.ts';
import { compileMatcher, type Matcher, type SourcedList } from './matcher.ts';
import { withPolicyLocks } from './policy.ts';
import type { ListSource } from './precedence.ts';
import { seededRandom } from '../../tests/support/seeded-random.ts';

/**
 * Matcher.decideHostAndSubdomains is a shortcut for two `decide` calls: the host, and a subdomain
 * no list names. Block rules built with it must be the very rules built without it.
 */

const UNIVERSE = ['example.com', 'api.example.com', 'v1.api.example.com', 'other.example.com', 'relay.co.uk', 'x.relay.co.uk', '10.0.0.1', 'rg-probe-subdomain.example.com'];
const LEVELS: readonly ListLevel[] = ['official', 'vetted', 'blocked'];
const SOURCES: readonly ListSource[] = ['bundled', 'subscribed', 'user', 'managed', 'subscribed'];
const evidence = ['https://evidence.example/report'];

function randomLists(seed: number): SourcedList[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const lists: SourcedList[] = [];
  for (const [index, source] of SOURCES.entries()) {
    const entries = new Map<string, ListLevel>();
    const count = Math.floor(random() * 6);
    for (let i = 0; i < count; i++) {
      const host = pick(UNIVERSE);
      // `.10.0.0.1` is `10.0.0.1`: an IP address has no subdomains.
      entries.set(`${random() < 0.35 && !/^\d/.test(host) ? '.' : ''}${host}`, pick(LEVELS));
    }
    const parsed = parseList({
      name: `${source}:${index}`,
      version: '1',
      updated: '2026-11-26',
      entries: [...entries].map(([pattern, level]) => (level === 'blocked' ? { pattern, level, evidence } : { pattern, level })),
    });
    if (!parsed.ok) throw new Error(parsed.error.issues.join('; '));
    if (parsed.value.entries.length > 0) lists.push({ id: `${source}:${index}`, source, list: parsed.value });
  }
  return lists;
}

function build(matcher: Matcher, onePass: boolean) {
  return buildBlockRules({
    decide: (host) => matcher.decide(host),
    ...(onePass && { decideHostAndSubdomains: (host: string) => matcher.decideHostAndSubdomains(host) }),
    patterns: matcher.patterns(),
    interstitialUrl: 'chrome-extension://abcdefghijklmnop/blocked.html',
    blockApiRequests: true,
  });
}

describe('Matcher.decideHostAndSubdomains', () => {
  it('answers what decide answers for the host and for an unnamed subdomain', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      // The policy's locks change decide: the one-pass answer must follow them too.
      const compiled = compileMatcher(randomLists(seed));
      const matcher = seed % 2 === 0 ? withPolicyLocks(compiled, { allowProceed: false }) : compiled;
      for (const host of [...UNIVERSE, 'q.example.com', 'com', 'uk']) {
        const levels = matcher.decideHostAndSubdomains(host);
        const expected = { host: matcher.decide(host)?.level ?? null, subdomains: host.includes(':') || /^[\d.]+$/.test(host) ? levels.subdomains : (matcher.decide(`unnamed-sub.${host}`)?.level ?? null) };
        if (levels.host !== expected.host || levels.subdomains !== expected.subdomains) {
          failures.push(`seed ${seed} ${host}: ${JSON.stringify(levels)} ≠ ${JSON.stringify(expected)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('gives buildBlockRules the same rules, problems and left-out hosts as two decide calls', () => {
    let withRules = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const compiled = compileMatcher(randomLists(seed));
      const matcher = seed % 2 === 0 ? withPolicyLocks(compiled, { allowProceed: false }) : compiled;
      const onePass = build(matcher, true);
      expect(onePass, `seed ${seed}`).toEqual(build(matcher, false));
      if (onePass.rules.length > 0) withRules++;
    }
    expect(withRules).toBeGreaterThan(100);
  });

  it('reports a failing one-pass decision like a failing decide, and skips the host', () => {
    const matcher = compileMatcher(randomLists(7));
    const result = buildBlockRules({
      decide: (host) => matcher.decide(host),
      decideHostAndSubdomains: () => {
        throw new Error('matcher broke');
      },
      patterns: ['example.com'],
      interstitialUrl: 'chrome-extension://abcdefghijklmnop/blocked.html',
      blockApiRequests: true,
    });
    expect(result.rules).toEqual([]);
    expect(result.problems.join(' ')).toContain('example.com: matcher broke');
    expect(result.leftOut).toEqual([{ reason: 'not-understood', count: 1, hosts: ['example.com'] }]);
  });
});
