import { describe, expect, test } from 'vitest';
import { parseHostPattern } from '../core/host-pattern.ts';
import { compileMatcher } from './matcher.ts';
import { EMPTY_POLICY, parseManagedPolicy, policyAsList, policyManages } from './policy.ts';

const WILDCARD = '“*.relay.example”: wildcards are not supported; “example.com” already matches every subdomain, “.example.com” only that host.';

describe('parseManagedPolicy', () => {
  test('no policy at all (undefined, null, {}) is the empty policy', () => {
    expect(parseManagedPolicy(undefined)).toBe(EMPTY_POLICY);
    expect(parseManagedPolicy(null)).toBe(EMPTY_POLICY);
    expect(parseManagedPolicy({})).toEqual({ allowlist: [], blocklist: [], allowProceed: true, problems: [] });
  });

  test('values as objects (Chrome with managed_schema), patterns canonicalised', () => {
    expect(
      parseManagedPolicy({ allowlist: ['Gateway.Corp.Example', '.api.vetted.example'], blocklist: ['relay.example.', 'xn--bcher-kva.example'], allowProceed: false }),
    ).toEqual({
      allowlist: ['gateway.corp.example', '.api.vetted.example'],
      blocklist: ['relay.example', 'xn--bcher-kva.example'],
      allowProceed: false,
      problems: [],
    });
  });

  test('every key also as a JSON string (how some platforms pass nested values)', () => {
    expect(
      parseManagedPolicy({ allowlist: '["gateway.corp.example"]', blocklist: JSON.stringify(['relay.example', 'bücher.example']), allowProceed: 'false' }),
    ).toEqual({ allowlist: ['gateway.corp.example'], blocklist: ['relay.example', 'xn--bcher-kva.example'], allowProceed: false, problems: [] });
    expect(parseManagedPolicy({ allowProceed: 'true' }).allowProceed).toBe(true);
  });

  test('an invalid key is reported by name while the valid keys still apply', () => {
    expect(parseManagedPolicy({ allowlist: 'gateway.corp.example', blocklist: ['relay.example'], allowProceed: 'no' })).toEqual({
      allowlist: [],
      blocklist: ['relay.example'],
      allowProceed: true,
      problems: ['allowlist: Invalid input: expected array, received string', 'allowProceed: Invalid input: expected boolean, received string'],
    });
    expect(parseManagedPolicy({ allowlist: ['gateway.corp.example'], blocklist: { 0: 'relay.example' }, allowProceed: 0 })).toEqual({
      allowlist: ['gateway.corp.example'],
      blocklist: [],
      allowProceed: true,
      problems: ['blocklist: Invalid input: expected array, received object', 'allowProceed: Invalid input: expected boolean, received number'],
    });
  });

  test('a non-string inside a list rejects that key', () => {
    expect(parseManagedPolicy({ blocklist: ['relay.example', 7], allowProceed: false })).toEqual({
      allowlist: [],
      blocklist: [],
      allowProceed: false,
      problems: ['blocklist: Invalid input: expected string, received number'],
    });
  });

  test('invalid patterns are reported by key and index; the other patterns still apply', () => {
    expect(
      parseManagedPolicy({ allowlist: ['gateway.corp.example', '*.relay.example', 'https://x.example/path'], blocklist: ['relay.example', 'com', 'relay.example:443'] }),
    ).toEqual({
      allowlist: ['gateway.corp.example'],
      blocklist: ['relay.example'],
      allowProceed: true,
      problems: [
        `allowlist[1]: ${WILDCARD}`,
        'allowlist[2]: “https://x.example/path”: a pattern is a host name such as “example.com”, without scheme, path or spaces.',
        'blocklist[1]: “com”: a single label would match a whole top-level domain.',
        'blocklist[2]: “relay.example:443”: a pattern has no port.',
      ],
    });
  });

  test('indexes in a JSON-string list refer to the parsed array', () => {
    expect(parseManagedPolicy({ blocklist: '["relay.example", "*.relay.example"]' }).problems).toEqual([`blocklist[1]: ${WILDCARD}`]);
  });

  test('unknown keys are ignored', () => {
    expect(parseManagedPolicy({ blocklist: ['relay.example'], futureKey: 1 })).toEqual({ allowlist: [], blocklist: ['relay.example'], allowProceed: true, problems: [] });
  });

  for (const [name, raw] of [
    ['a string', 'relay.example'],
    ['a number', 3],
    ['a boolean', true],
    ['an array', ['relay.example']],
  ] as const) {
    test(`${name} is not a policy`, () => {
      expect(parseManagedPolicy(raw)).toEqual({ allowlist: [], blocklist: [], allowProceed: true, problems: ['The managed policy is not an object.'] });
    });
  }

  test('never throws on hostile input', () => {
    const hostile = Object.create(null) as Record<string, unknown>;
    hostile.allowlist = Object.create(null);
    expect(parseManagedPolicy(hostile)).toEqual({ allowlist: [], blocklist: [], allowProceed: true, problems: ['allowlist: Invalid input: expected array, received object'] });
  });
});

describe('policyAsList', () => {
  test('allowlist entries become vetted, blocklist entries blocked, in that order', () => {
    const policy = parseManagedPolicy({ allowlist: ['gateway.corp.example', '.api.vetted.example'], blocklist: ['relay.example'] });
    expect(policyAsList(policy)).toEqual({
      name: 'Managed policy',
      version: '1',
      updated: '1970-01-01',
      entries: [
        { pattern: 'gateway.corp.example', level: 'vetted' },
        { pattern: '.api.vetted.example', level: 'vetted' },
        { pattern: 'relay.example', level: 'blocked' },
      ],
    });
    expect(policyAsList(EMPTY_POLICY).entries).toEqual([]);
  });

  test('compiled, a host on both lists is blocked and subdomains follow the pattern rules', () => {
    const policy = parseManagedPolicy({ allowlist: ['relay.example', '.api.vetted.example'], blocklist: ['relay.example'] });
    const matcher = compileMatcher([{ id: 'managed', source: 'managed', list: policyAsList(policy) }]);
    expect(matcher.decide('relay.example')?.level).toBe('blocked');
    expect(matcher.decide('eu.relay.example')?.level).toBe('blocked');
    expect(matcher.decide('api.vetted.example')?.level).toBe('vetted');
    expect(matcher.decide('eu.api.vetted.example')).toBeNull();
  });
});

describe('policyManages', () => {
  const matcher = compileMatcher([{ id: 'managed', source: 'managed', list: policyAsList(parseManagedPolicy({ blocklist: ['relay.example'], allowlist: ['.gateway.example'] })) }]);
  const manages = (pattern: string) => {
    const target = parseHostPattern(pattern);
    if (!target.ok) throw new Error(target.error);
    return policyManages(matcher.match(target.value.host), target.value);
  };

  test('a page host under a managed pattern is managed, whichever pattern matched it', () => {
    for (const host of ['relay.example', 'chat.relay.example', 'gateway.example']) {
      expect({ host, managed: policyManages(matcher.match(host), { host, exactHostOnly: true }) }).toEqual({ host, managed: true });
    }
    expect(policyManages(matcher.match('api.gateway.example'), { host: 'api.gateway.example', exactHostOnly: true })).toBe(false);
    expect(policyManages(matcher.match('other.example'), { host: 'other.example', exactHostOnly: true })).toBe(false);
  });

  test('a pattern is managed only when a managed pattern covers every host it names', () => {
    expect(manages('relay.example')).toBe(true);
    expect(manages('chat.relay.example')).toBe(true);
    expect(manages('.chat.relay.example')).toBe(true);
    expect(manages('.gateway.example')).toBe(true);
    // The policy names gateway.example alone: the person's entry still decides its subdomains.
    expect(manages('gateway.example')).toBe(false);
    expect(manages('unrelated.example')).toBe(false);
  });

  test('the person’s and the lists’ own hits never make a host managed', () => {
    const hits = [{ source: 'user', pattern: 'relay.example' }, { source: 'bundled', pattern: 'relay.example' }] as const;
    expect(policyManages(hits, { host: 'relay.example', exactHostOnly: true })).toBe(false);
  });
});
