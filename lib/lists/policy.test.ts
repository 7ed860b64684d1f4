import { describe, expect, test } from 'vitest';
import { parseHostPattern } from '../core/host-pattern.ts';
import { compileMatcher } from './matcher.ts';
import { EMPTY_POLICY, parseManagedPolicy, policyAsList, policyManages, POLICY_KEY_NAMES, POLICY_KEYS, type ManagedPolicy, type PolicyKey } from './policy.ts';

const WILDCARD = '“*.relay.example”: wildcards are not supported; “example.com” already matches every subdomain, “.example.com” only that host.';

const KEY = 'RWR2tkVzUrGeYMr62KORxWy8+e9EvfZgJVRSL0MbPLoNvLSRavkKa3SF'; // testdata/minisign/signer.pub
const OTHER_KEY = 'RWRosuYMC5JrGHmaHQLKgPj1rie3rLMqBSZP6FH5GnNj/xOm/iShP3M5'; // testdata/minisign/other.pub

/** The policy with just these fields different from no policy at all. */
const policyWith = (fields: Partial<ManagedPolicy>): ManagedPolicy => ({ ...EMPTY_POLICY, ...fields });

describe('parseManagedPolicy', () => {
  test('no policy at all (undefined, null, {}) is the empty policy', () => {
    expect(parseManagedPolicy(undefined)).toBe(EMPTY_POLICY);
    expect(parseManagedPolicy(null)).toBe(EMPTY_POLICY);
    expect(parseManagedPolicy({})).toEqual(EMPTY_POLICY);
    expect(EMPTY_POLICY).toEqual({
      allowlist: [],
      blocklist: [],
      allowProceed: true,
      listSubscriptions: [],
      listMode: 'add',
      disableUserLists: false,
      reportEndpoint: null,
      pasteGuard: null,
      organization: null,
      keys: [],
      problems: [],
    });
  });

  test('every documented example is a valid value of its key', () => {
    for (const key of POLICY_KEY_NAMES) {
      const parsed = parseManagedPolicy({ [key]: POLICY_KEYS[key].example });
      expect({ key, problems: parsed.problems, keys: parsed.keys }).toEqual({ key, problems: [], keys: [key] });
    }
  });

  /**
   * Every key, valid: [raw value, what the policy then holds]. Each is tested as the value itself
   * (Chrome with managed_schema) and as a JSON string of it (how some platforms pass values).
   */
  const VALID: { [K in PolicyKey]: readonly [unknown, Partial<ManagedPolicy>][] } = {
    allowlist: [
      [['Gateway.Corp.Example', '.api.vetted.example', 'bücher.example'], { allowlist: ['gateway.corp.example', '.api.vetted.example', 'xn--bcher-kva.example'] }],
      [[], { allowlist: [] }],
    ],
    blocklist: [[['relay.example.', 'relay.example'], { blocklist: ['relay.example'] }]],
    allowProceed: [
      [false, { allowProceed: false }],
      [true, { allowProceed: true }],
    ],
    listSubscriptions: [
      [
        [{ url: 'https://lists.corp.example/relays.json', publicKeys: [KEY, OTHER_KEY], updateHours: 6 }, { url: 'http://127.0.0.1:8080/l.json' }],
        {
          listSubscriptions: [
            { url: 'https://lists.corp.example/relays.json', publicKeys: [KEY, OTHER_KEY], updateHours: 6 },
            { url: 'http://127.0.0.1:8080/l.json', publicKeys: [] },
          ],
        },
      ],
      // A whole minisign.pub (comment line and key) is a key too.
      [[{ url: 'https://l.example/x.json', publicKeys: [`untrusted comment: minisign public key 609EB1527345B676\n${KEY}`] }], { listSubscriptions: [{ url: 'https://l.example/x.json', publicKeys: [`untrusted comment: minisign public key 609EB1527345B676\n${KEY}`] }] }],
    ],
    listMode: [
      ['add', { listMode: 'add' }],
      ['overwrite', { listMode: 'overwrite' }],
    ],
    disableUserLists: [
      [true, { disableUserLists: true }],
      [false, { disableUserLists: false }],
    ],
    reportEndpoint: [
      ['https://security.corp.example/reports', { reportEndpoint: 'https://security.corp.example/reports' }],
      ['http://127.0.0.1:9000/collect', { reportEndpoint: 'http://127.0.0.1:9000/collect' }],
    ],
    pasteGuard: [
      ['warn', { pasteGuard: 'warn' }],
      ['off', { pasteGuard: 'off' }],
    ],
    organization: [
      [{ name: 'Example Corp IT' }, { organization: { name: 'Example Corp IT' } }],
      [
        { name: ' Example Corp IT ', supportUrl: 'https://help.corp.example/ai', supportEmail: 'it@corp.example' },
        { organization: { name: 'Example Corp IT', supportUrl: 'https://help.corp.example/ai', supportEmail: 'it@corp.example' } },
      ],
    ],
  };

  for (const key of POLICY_KEY_NAMES) {
    for (const [raw, expected] of VALID[key]) {
      test(`${key}: ${JSON.stringify(raw)} is valid, as the value and as a JSON string of it`, () => {
        const wanted = policyWith({ ...expected, keys: [key] });
        expect(parseManagedPolicy({ [key]: raw })).toEqual(wanted);
        expect(parseManagedPolicy({ [key]: JSON.stringify(raw) })).toEqual(wanted);
      });
    }
  }

  /**
   * Every key, invalid: [raw value, the problem named, what applies instead]. The problem names the
   * key; the rest of the policy (here a blocklist and allowProceed: false) is never weakened by it.
   */
  const INVALID: { [K in PolicyKey]: readonly [unknown, string, Partial<ManagedPolicy>?][] } = {
    allowlist: [
      ['gateway.corp.example', 'allowlist: Invalid input: expected array, received string'],
      [{ 0: 'gateway.corp.example' }, 'allowlist: Invalid input: expected array, received object'],
      [['gateway.corp.example', 7], 'allowlist[1]: Invalid input: expected string, received number', { allowlist: ['gateway.corp.example'] }],
      [['gateway.corp.example', '*.relay.example'], `allowlist[1]: ${WILDCARD}`, { allowlist: ['gateway.corp.example'] }],
      [['https://x.example/path'], 'allowlist[0]: “https://x.example/path”: a pattern is a host name such as “example.com”, without scheme, path or spaces.', { allowlist: [] }],
    ],
    blocklist: [
      [7, 'blocklist: Invalid input: expected array, received number'],
      [['com', 'bad.example'], 'blocklist[0]: “com”: a single label would match a whole top-level domain.', { blocklist: ['bad.example'] }],
      [['bad.example:443'], 'blocklist[0]: “bad.example:443”: a pattern has no port.', { blocklist: [] }],
    ],
    allowProceed: [
      ['no', 'allowProceed: Invalid input: expected boolean, received string'],
      [0, 'allowProceed: Invalid input: expected boolean, received number'],
    ],
    listSubscriptions: [
      [{ url: 'https://l.example/x.json' }, 'listSubscriptions: Invalid input: expected array, received object'],
      [['https://l.example/x.json'], 'listSubscriptions[0]: Invalid input: expected object, received string', { listSubscriptions: [] }],
      [[{ url: 'ftp://l.example/x.json' }], 'listSubscriptions[0].url: “ftp://l.example/x.json” is not an http(s) URL; this subscription is not fetched.', { listSubscriptions: [] }],
      [[{ url: 'https://l.example/x.json', publicKeys: [KEY, 'not-a-key'] }], 'listSubscriptions[0].publicKeys[1]:', { listSubscriptions: [] }],
      [[{ url: 'https://l.example/x.json', updateHours: 0 }], 'listSubscriptions[0].updateHours: Too small: expected number to be >=1', { listSubscriptions: [] }],
      [[{ url: 'https://l.example/x.json', updateHours: 1.5 }], 'listSubscriptions[0].updateHours: Invalid input: expected int, received number', { listSubscriptions: [] }],
      [
        [{ url: 'https://l.example/x.json' }, { url: 'https://l.example/x.json', publicKeys: [KEY] }],
        'listSubscriptions[1]: https://l.example/x.json is listed twice; the first one applies.',
        { listSubscriptions: [{ url: 'https://l.example/x.json', publicKeys: [] }] },
      ],
    ],
    listMode: [
      ['replace', 'listMode: Invalid option: expected one of "add"|"overwrite"'],
      [true, 'listMode: Invalid option: expected one of "add"|"overwrite"'],
    ],
    disableUserLists: [['yes', 'disableUserLists: Invalid input: expected boolean, received string']],
    reportEndpoint: [
      ['http://collector.example/r', 'reportEndpoint: The report endpoint must be an https URL (http only on this machine).'],
      ['not a url', 'reportEndpoint: The report endpoint is not a URL.'],
      [['https://a.example'], 'reportEndpoint: Invalid input: expected string, received array'],
    ],
    pasteGuard: [
      ['block', 'pasteGuard: Invalid option: expected one of "warn"|"off"'],
      [false, 'pasteGuard: Invalid option: expected one of "warn"|"off"'],
    ],
    organization: [
      ['Example Corp', 'organization: Invalid input: expected object, received string'],
      [{ supportUrl: 'https://help.example' }, 'organization.name: Invalid input: expected string, received undefined'],
      [{ name: '' }, 'organization.name: Too small: expected string to have >=1 characters'],
      [{ name: 'Corp', supportUrl: 'javascript:alert(1)' }, 'organization.supportUrl: “javascript:alert(1)” is not an http(s) URL; no link is shown.', { organization: { name: 'Corp' } }],
      [{ name: 'Corp', supportEmail: 'it at corp' }, 'organization.supportEmail: “it at corp” is not an e-mail address; it is not shown.', { organization: { name: 'Corp' } }],
    ],
  };

  const STRICT = { blocklist: ['relay.example'], allowProceed: false };

  for (const key of POLICY_KEY_NAMES) {
    for (const [raw, problem, instead] of INVALID[key]) {
      test(`${key}: ${JSON.stringify(raw)} is named and ignored, as the value and as a JSON string; the other keys still hold`, () => {
        // A key given alongside itself would be one key: the strict rest is added only when it is another key.
        const rest = key === 'blocklist' ? { allowProceed: false } : key === 'allowProceed' ? { blocklist: ['relay.example'] } : STRICT;
        for (const form of [raw, JSON.stringify(raw)]) {
          const parsed = parseManagedPolicy({ ...rest, [key]: form });
          expect(parsed.problems).toHaveLength(1);
          expect(parsed.problems[0]!.startsWith(problem)).toBe(true);
          const { problems: _problems, keys, ...values } = parsed;
          expect(values).toEqual({ ...withoutBookkeeping(policyWith(rest as Partial<ManagedPolicy>)), ...(instead ?? {}) });
          expect(keys.includes(key)).toBe(instead !== undefined && key !== 'reportEndpoint');
          expect(parsed.blocklist).toEqual(key === 'blocklist' ? (instead?.blocklist ?? []) : ['relay.example']);
          expect(parsed.allowProceed).toBe(key === 'allowProceed' ? true : false);
        }
      });
    }
  }

  test('a bad item never costs the good ones: a blocklist with one broken pattern still blocks the rest', () => {
    expect(parseManagedPolicy({ blocklist: ['relay.example', 7, 'com', 'other-relay.example'] })).toEqual(
      policyWith({
        blocklist: ['relay.example', 'other-relay.example'],
        keys: ['blocklist'],
        problems: ['blocklist[1]: Invalid input: expected string, received number', 'blocklist[2]: “com”: a single label would match a whole top-level domain.'],
      }),
    );
  });

  test('items of a JSON-string list may be JSON strings themselves; indexes refer to the parsed array', () => {
    expect(parseManagedPolicy({ listSubscriptions: JSON.stringify([JSON.stringify({ url: 'https://l.example/x.json' })]) }).listSubscriptions).toEqual([
      { url: 'https://l.example/x.json', publicKeys: [] },
    ]);
    expect(parseManagedPolicy({ blocklist: '["relay.example", "*.relay.example"]' }).problems).toEqual([`blocklist[1]: ${WILDCARD}`]);
  });

  test('a list over its limit is ignored whole, by name', () => {
    const many = Array.from({ length: 51 }, (_, index) => ({ url: `https://l.example/${index}.json` }));
    expect(parseManagedPolicy({ listSubscriptions: many, allowProceed: false })).toEqual(
      policyWith({ allowProceed: false, keys: ['allowProceed'], problems: ['listSubscriptions: 51 items; at most 50. Ignored whole.'] }),
    );
  });

  test('an unknown key (a typo, most often) is named and ignored', () => {
    expect(parseManagedPolicy({ blocklist: ['relay.example'], allowProceeds: false })).toEqual(
      policyWith({
        blocklist: ['relay.example'],
        keys: ['blocklist'],
        problems: [`allowProceeds: not a RelayGuard policy key; ignored (the keys are ${POLICY_KEY_NAMES.join(', ')}).`],
      }),
    );
  });

  test('null stands for unset (how some tools write an emptied key)', () => {
    expect(parseManagedPolicy({ allowlist: null, organization: null })).toEqual(EMPTY_POLICY);
  });

  for (const [name, raw] of [
    ['a string', 'relay.example'],
    ['a number', 3],
    ['a boolean', true],
    ['an array', ['relay.example']],
  ] as const) {
    test(`${name} is not a policy`, () => {
      expect(parseManagedPolicy(raw)).toEqual(policyWith({ problems: ['The managed policy is not an object.'] }));
    });
  }

  test('never throws on hostile input', () => {
    const hostile = Object.create(null) as Record<string, unknown>;
    hostile.allowlist = Object.create(null);
    hostile.organization = { name: { toString: () => 'x' } };
    hostile.listSubscriptions = '[' + '['.repeat(10_000);
    const parsed = parseManagedPolicy(hostile);
    expect(parsed.problems).toEqual([
      'allowlist: Invalid input: expected array, received object',
      'listSubscriptions: Invalid input: expected array, received string',
      'organization.name: Invalid input: expected string, received object',
    ]);
  });
});

function withoutBookkeeping(policy: ManagedPolicy): Omit<ManagedPolicy, 'keys' | 'problems'> {
  const { keys: _keys, problems: _problems, ...values } = policy;
  return values;
}

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
