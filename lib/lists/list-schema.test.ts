import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssues, listSchema, parseList, type ListValidationError, type RelayList } from './list-schema.ts';
import { compileMatcher } from './matcher.ts';

const header = { name: 'Test list', version: '1.0.0', updated: '2026-11-26' };
const evidence = ['https://reports.example/relay-1'];

function valid(input: unknown): RelayList {
  const result = parseList(input);
  if (!result.ok) throw new Error(`expected a valid list, got: ${result.error.issues.join('; ')}`);
  return result.value;
}

function invalid(input: unknown): ListValidationError {
  const result = parseList(input);
  if (result.ok) throw new Error('expected the list to be rejected');
  return result.error;
}

function withEntries(entries: unknown[]): unknown {
  return { ...header, entries };
}

describe('parseList: valid lists', () => {
  it('accepts a minimal list', () => {
    expect(parseList({ ...header, entries: [] })).toEqual({ ok: true, value: { ...header, entries: [] } });
  });

  it('accepts a full list and returns it canonicalised', () => {
    const input = {
      name: '  Team blocklist ',
      version: ' 2026.11.26 ',
      updated: '2026-11-26T08:00:00Z',
      homepage: 'https://lists.example/team',
      entries: [
        {
          pattern: 'Relay.Example.COM.',
          level: 'blocked',
          category: ' relay ',
          reason: ' Resells keys ',
          evidence: ['https://reports.example/1', 'http://archive.example/2'],
          added: '2026-11-01',
        },
        { pattern: '.Exact.Example.', level: 'vetted', added: '2026-11-26T08:00:00+01:00' },
        { pattern: 'bücher.example', level: 'official' },
        { pattern: '.1.2.3.4', level: 'official' },
      ],
    };
    expect(parseList(input)).toEqual({
      ok: true,
      value: {
        name: 'Team blocklist',
        version: '2026.11.26',
        updated: '2026-11-26T08:00:00Z',
        homepage: 'https://lists.example/team',
        entries: [
          {
            pattern: 'relay.example.com',
            level: 'blocked',
            category: 'relay',
            reason: 'Resells keys',
            evidence: ['https://reports.example/1', 'http://archive.example/2'],
            added: '2026-11-01',
          },
          { pattern: '.exact.example', level: 'vetted', added: '2026-11-26T08:00:00+01:00' },
          { pattern: 'xn--bcher-kva.example', level: 'official' },
          { pattern: '1.2.3.4', level: 'official' },
        ],
      },
    });
  });

  // The levels README's list format publishes, written out: a list from outside must keep loading.
  it.each((['official', 'vetted', 'blocked'] as const).map((level) => ({ level })))('accepts level $level', ({ level }) => {
    const entry = level === 'blocked' ? { pattern: 'a.example', level, evidence } : { pattern: 'a.example', level };
    expect(valid(withEntries([entry])).entries[0]?.level).toBe(level);
  });

  it('parses JSON text as well as values', () => {
    const text = JSON.stringify(withEntries([{ pattern: 'A.Example.', level: 'official' }]));
    expect(parseList(text)).toEqual({ ok: true, value: { ...header, entries: [{ pattern: 'a.example', level: 'official' }] } });
  });

  it('drops unknown keys at every level (forward compatible)', () => {
    const list = valid({
      ...header,
      schema: 2,
      signature: 'abc',
      entries: [{ pattern: 'a.example', level: 'official', severity: 'high', tags: ['x'] }],
    });
    expect(list).toEqual({ ...header, entries: [{ pattern: 'a.example', level: 'official' }] });
    expect(Object.keys(list).sort()).toEqual(['entries', 'name', 'updated', 'version']);
    expect(Object.keys(list.entries[0]!).sort()).toEqual(['level', 'pattern']);
  });

  it.each([
    { date: '2026-11-26' },
    { date: '2024-02-29' },
    { date: '2026-11-26T08:00:00Z' },
    { date: '2026-11-26T08:00:00.123Z' },
    { date: '2026-11-26T08:00:00+05:30' },
  ])('accepts the date $date', ({ date }) => {
    expect(valid({ ...header, updated: date, entries: [{ pattern: 'a.example', level: 'official', added: date }] }).updated).toBe(date);
  });

  it('keeps `example.com` and `.example.com` as two different patterns', () => {
    const list = valid(withEntries([{ pattern: 'example.com', level: 'official' }, { pattern: '.example.com', level: 'vetted' }]));
    expect(list.entries.map((entry) => entry.pattern)).toEqual(['example.com', '.example.com']);
  });
});

describe('parseList: entry errors name the index and the field', () => {
  it.each([
    {
      name: 'blocked without evidence',
      entries: [{ pattern: 'a.example', level: 'official' }, { pattern: 'b.example', level: 'blocked' }],
      issues: ['entries[1].evidence: a blocked entry needs at least one evidence URL'],
    },
    {
      name: 'blocked with empty evidence',
      entries: [{ pattern: 'b.example', level: 'blocked', evidence: [] }],
      issues: ['entries[0].evidence: a blocked entry needs at least one evidence URL'],
    },
    {
      name: 'unknown level',
      entries: [{ pattern: 'a.example', level: 'official' }, { pattern: 'b.example', level: 'allowed' }],
      issues: ['entries[1].level: level must be "official", "vetted" or "blocked"'],
    },
    {
      name: 'level in the wrong case',
      entries: [{ pattern: 'a.example', level: 'Official' }],
      issues: ['entries[0].level: level must be "official", "vetted" or "blocked"'],
    },
    {
      name: 'verdict-only level',
      entries: [{ pattern: 'a.example', level: 'unvetted' }],
      issues: ['entries[0].level: level must be "official", "vetted" or "blocked"'],
    },
    {
      name: 'ftp evidence',
      entries: [{ pattern: 'b.example', level: 'blocked', evidence: ['https://ok.example/1', 'ftp://files.example/x'] }],
      issues: ['entries[0].evidence[1]: evidence must be an http(s) URL'],
    },
    {
      name: 'javascript evidence',
      entries: [{ pattern: 'b.example', level: 'blocked', evidence: ['javascript:alert(1)'] }],
      issues: ['entries[0].evidence[0]: evidence must be an http(s) URL'],
    },
    {
      name: 'data evidence',
      entries: [{ pattern: 'b.example', level: 'blocked', evidence: ['data:text/html,<b>x</b>'] }],
      issues: ['entries[0].evidence[0]: evidence must be an http(s) URL'],
    },
    {
      name: 'evidence without a scheme',
      entries: [{ pattern: 'b.example', level: 'blocked', evidence: ['reports.example/1'] }],
      issues: ['entries[0].evidence[0]: evidence must be an http(s) URL'],
    },
    {
      name: 'bad added date',
      entries: [{ pattern: 'a.example', level: 'official' }, { pattern: 'b.example', level: 'official', added: '26/11/2026' }],
      issues: ['entries[1].added: must be an ISO 8601 date such as 2026-11-26 or 2026-11-26T08:00:00Z'],
    },
    {
      name: 'impossible added date',
      entries: [{ pattern: 'a.example', level: 'official', added: '2026-02-30' }],
      issues: ['entries[0].added: must be an ISO 8601 date such as 2026-11-26 or 2026-11-26T08:00:00Z'],
    },
    {
      name: 'date-time without an offset',
      entries: [{ pattern: 'a.example', level: 'official', added: '2026-11-26T08:00:00' }],
      issues: ['entries[0].added: must be an ISO 8601 date such as 2026-11-26 or 2026-11-26T08:00:00Z'],
    },
    {
      name: 'wildcard pattern',
      entries: [{ pattern: 'a.example', level: 'official' }, { pattern: '*.b.example', level: 'official' }],
      issues: [
        'entries[1].pattern: “*.b.example”: wildcards are not supported; “example.com” already matches every subdomain, “.example.com” only that host.',
      ],
    },
    {
      name: 'pattern with a port',
      entries: [{ pattern: 'b.example:443', level: 'official' }],
      issues: ['entries[0].pattern: “b.example:443”: a pattern has no port.'],
    },
    {
      name: 'pattern that is not a string',
      entries: [{ pattern: 5, level: 'official' }],
      issues: ['entries[0].pattern: Invalid input: expected string, received number'],
    },
    {
      name: 'entry that is not an object',
      entries: ['a.example'],
      issues: ['entries[0]: Invalid input: expected object, received string'],
    },
  ])('$name', ({ entries, issues }) => {
    const error = invalid(withEntries(entries));
    expect(error.issues).toEqual(issues);
    expect(error.message).toBe(`The list is not a valid RelayGuard list: ${issues[0]}`);
  });

  it.each([
    {
      name: 'A.com and a.com.',
      patterns: ['A.com', 'x.example', 'a.com.'],
      issues: ['entries[2].pattern: duplicates entries[0] (a.com)'],
    },
    {
      name: 'two exact spellings',
      patterns: ['.Example.COM', '.example.com.'],
      issues: ['entries[1].pattern: duplicates entries[0] (.example.com)'],
    },
    {
      name: 'Unicode and Punycode',
      patterns: ['bücher.example', 'xn--bcher-kva.example'],
      issues: ['entries[1].pattern: duplicates entries[0] (xn--bcher-kva.example)'],
    },
    {
      name: 'an IP with and without the dot',
      patterns: ['1.2.3.4', '.1.2.3.4', '0x7f.1', '127.0.0.1'],
      issues: ['entries[1].pattern: duplicates entries[0] (1.2.3.4)', 'entries[3].pattern: duplicates entries[2] (127.0.0.1)'],
    },
    {
      name: 'three copies',
      patterns: ['a.example', 'A.EXAMPLE', 'a.example.'],
      issues: ['entries[1].pattern: duplicates entries[0] (a.example)', 'entries[2].pattern: duplicates entries[0] (a.example)'],
    },
  ])('rejects duplicates after canonicalisation: $name', ({ patterns, issues }) => {
    const error = invalid(withEntries(patterns.map((pattern) => ({ pattern, level: 'official' }))));
    expect(error.issues).toEqual(issues);
  });

  it('reports every bad entry, each line naming its index and field', () => {
    const error = invalid(
      withEntries([
        { pattern: 'ok.example', level: 'official' },
        { pattern: 'b.example', level: 'blocked' },
        { pattern: 'c.example', level: 'nope' },
        { pattern: 'https://d.example/', level: 'official' },
        { pattern: 'e.example', level: 'blocked', evidence: ['mailto:x@e.example'] },
        { pattern: 'f.example', level: 'official', added: 'yesterday', category: '' },
      ]),
    );
    expect(error.issues).toHaveLength(6);
    const fields = error.issues.map((line) => /^entries\[(\d+)\]\.([a-z]+)(\[\d+\])?: /.exec(line)?.slice(1, 3));
    expect(fields).toEqual([
      ['1', 'evidence'],
      ['2', 'level'],
      ['3', 'pattern'],
      ['4', 'evidence'],
      ['5', 'category'],
      ['5', 'added'],
    ]);
  });
});

describe('parseList: list-level errors', () => {
  it.each([
    { name: 'empty name', input: { ...header, name: '   ', entries: [] }, first: 'name: name must not be empty' },
    { name: 'empty version', input: { ...header, version: '', entries: [] }, first: 'version: version must not be empty' },
    {
      name: 'bad updated date',
      input: { ...header, updated: '2026-13-01', entries: [] },
      first: 'updated: must be an ISO 8601 date such as 2026-11-26 or 2026-11-26T08:00:00Z',
    },
    { name: 'missing entries', input: { ...header }, first: 'entries: Invalid input: expected array, received undefined' },
    { name: 'entries not an array', input: { ...header, entries: {} }, first: 'entries: Invalid input: expected array, received object' },
    { name: 'non-http homepage', input: { ...header, homepage: 'ftp://lists.example', entries: [] }, first: 'homepage: Invalid URL' },
  ])('$name', ({ input, first }) => {
    expect(invalid(input).issues[0]).toBe(first);
  });

  it.each([
    { name: 'a number', input: 42, received: 'number' },
    { name: 'null', input: null, received: 'null' },
    { name: 'undefined', input: undefined, received: 'undefined' },
    { name: 'an array', input: [], received: 'array' },
    { name: 'a boolean', input: true, received: 'boolean' },
    { name: 'JSON text of a number', input: '42', received: 'number' },
    { name: 'JSON text of an array', input: '[]', received: 'array' },
  ])('rejects $name that is not an object', ({ input, received }) => {
    expect(invalid(input)).toEqual({
      message: `The list is not a valid RelayGuard list: Invalid input: expected object, received ${received}`,
      issues: [`Invalid input: expected object, received ${received}`],
    });
  });

  it.each([{ text: '{"name": ' }, { text: '' }, { text: 'not json' }, { text: "{'name': 'x'}" }])('rejects invalid JSON text $text', ({ text }) => {
    const error = invalid(text);
    expect(error.message).toBe('The list is not valid JSON.');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.length).toBeGreaterThan(0);
  });
});

describe('formatIssues', () => {
  it('caps the lines and says how many more there were', () => {
    const entries = Array.from({ length: 25 }, (_, i) => ({ pattern: `h${i}.example`, level: 'bad' }));
    const parsed = listSchema.safeParse(withEntries(entries));
    if (parsed.success) throw new Error('expected failure');
    const lines = formatIssues(parsed.error);
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe('entries[0].level: level must be "official", "vetted" or "blocked"');
    expect(lines[19]).toBe('entries[19].level: level must be "official", "vetted" or "blocked"');
    expect(lines[20]).toBe('… and 5 more problems');
    expect(formatIssues(parsed.error, 3)).toEqual([
      'entries[0].level: level must be "official", "vetted" or "blocked"',
      'entries[1].level: level must be "official", "vetted" or "blocked"',
      'entries[2].level: level must be "official", "vetted" or "blocked"',
      '… and 22 more problems',
    ]);
  });

  it('parseList keeps the capped lines', () => {
    const entries = Array.from({ length: 30 }, (_, i) => ({ pattern: `h${i}.example`, level: 'blocked' }));
    const error = invalid(withEntries(entries));
    expect(error.issues).toHaveLength(21);
    expect(error.issues[20]).toBe('… and 10 more problems');
  });
});

describe('bundled lists (assets/lists/*.json)', () => {
  const directory = new URL('../../assets/lists/', import.meta.url);
  const files = readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort();
  const bundled = new Map(files.map((file) => [file, readFileSync(new URL(file, directory), 'utf8')]));

  function bundledList(file: string): RelayList {
    const text = bundled.get(file);
    if (text === undefined) throw new Error(`${file} is missing`);
    return valid(text);
  }

  it('ships exactly blocked.json, vendors.json and vetted.json', () => {
    expect(files).toEqual(['blocked.json', 'vendors.json', 'vetted.json']);
  });

  it.each(['blocked.json', 'vendors.json', 'vetted.json'])('%s validates with no duplicates and only canonical patterns', (file) => {
    const raw = JSON.parse(bundled.get(file)!) as { entries: { pattern: string }[] };
    const list = bundledList(file);
    const patterns = list.entries.map((entry) => entry.pattern);
    expect(new Set(patterns).size).toBe(patterns.length);
    // What ships is already canonical, so storage and the file agree byte for byte.
    expect(patterns).toEqual(raw.entries.map((entry) => entry.pattern));
  });

  it('vendors.json holds only official entries', () => {
    const list = bundledList('vendors.json');
    expect(list.entries.length).toBeGreaterThan(0);
    expect(list.entries.filter((entry) => entry.level !== 'official')).toEqual([]);
  });

  it('vetted.json holds only vetted entries', () => {
    const list = bundledList('vetted.json');
    expect(list.entries.length).toBeGreaterThan(0);
    expect(list.entries.filter((entry) => entry.level !== 'vetted')).toEqual([]);
  });

  it('blocked.json holds only blocked entries, each with evidence', () => {
    const list = bundledList('blocked.json');
    expect(list.entries.filter((entry) => entry.level !== 'blocked' || !entry.evidence?.length)).toEqual([]);
  });

  it('no pattern appears in two bundled lists', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const file of files) {
      for (const { pattern } of bundledList(file).entries) {
        const first = seen.get(pattern);
        if (first !== undefined) clashes.push(`${pattern} in ${first} and ${file}`);
        else seen.set(pattern, file);
      }
    }
    expect(clashes).toEqual([]);
  });

  describe('cover the known hosts of docs/relay-signals.md §3', () => {
    const matcher = compileMatcher(
      files.map((file) => ({ id: `bundled:${file.replace('.json', '')}`, source: 'bundled' as const, list: bundledList(file) })),
    );

    it.each([
      { host: 'api.openai.com', level: 'official', pattern: 'api.openai.com' },
      { host: 'api.anthropic.com', level: 'official', pattern: 'api.anthropic.com' },
      { host: 'generativelanguage.googleapis.com', level: 'official', pattern: 'generativelanguage.googleapis.com' },
      { host: 'us-central1-aiplatform.googleapis.com', level: 'official', pattern: 'us-central1-aiplatform.googleapis.com' },
      { host: 'europe-west4-aiplatform.googleapis.com', level: 'official', pattern: 'europe-west4-aiplatform.googleapis.com' },
      { host: 'bedrock-runtime.us-east-1.amazonaws.com', level: 'official', pattern: 'bedrock-runtime.us-east-1.amazonaws.com' },
      { host: 'bedrock-runtime.eu-central-1.amazonaws.com', level: 'official', pattern: 'bedrock-runtime.eu-central-1.amazonaws.com' },
      { host: 'x.openai.azure.com', level: 'official', pattern: 'openai.azure.com' },
      { host: 'my-team.cognitiveservices.azure.com', level: 'official', pattern: 'cognitiveservices.azure.com' },
      { host: 'my-team.services.ai.azure.com', level: 'official', pattern: 'services.ai.azure.com' },
      { host: 'models.inference.ai.azure.com', level: 'official', pattern: 'models.inference.ai.azure.com' },
      { host: 'api.mistral.ai', level: 'official', pattern: 'api.mistral.ai' },
      { host: 'api.deepseek.com', level: 'official', pattern: 'api.deepseek.com' },
      { host: 'api.moonshot.cn', level: 'official', pattern: 'api.moonshot.cn' },
      { host: 'api.moonshot.ai', level: 'official', pattern: 'api.moonshot.ai' },
      { host: 'open.bigmodel.cn', level: 'official', pattern: 'open.bigmodel.cn' },
      { host: 'api.z.ai', level: 'official', pattern: 'api.z.ai' },
      { host: 'dashscope.aliyuncs.com', level: 'official', pattern: 'dashscope.aliyuncs.com' },
      { host: 'dashscope-intl.aliyuncs.com', level: 'official', pattern: 'dashscope-intl.aliyuncs.com' },
      { host: 'api.x.ai', level: 'official', pattern: 'api.x.ai' },
      { host: 'api.groq.com', level: 'official', pattern: 'api.groq.com' },
      { host: 'api.together.xyz', level: 'official', pattern: 'api.together.xyz' },
      { host: 'api.together.ai', level: 'official', pattern: 'api.together.ai' },
      { host: 'api.fireworks.ai', level: 'official', pattern: 'api.fireworks.ai' },
      { host: 'api.perplexity.ai', level: 'official', pattern: 'api.perplexity.ai' },
      { host: 'api.cohere.com', level: 'official', pattern: 'api.cohere.com' },
      { host: 'api.cohere.ai', level: 'official', pattern: 'api.cohere.ai' },
      { host: 'ark.cn-beijing.volces.com', level: 'official', pattern: 'ark.cn-beijing.volces.com' },
      { host: 'qianfan.baidubce.com', level: 'official', pattern: 'qianfan.baidubce.com' },
      { host: 'aip.baidubce.com', level: 'official', pattern: 'aip.baidubce.com' },
      { host: 'hunyuan.tencentcloudapi.com', level: 'official', pattern: 'hunyuan.tencentcloudapi.com' },
      { host: 'api.minimax.chat', level: 'official', pattern: 'api.minimax.chat' },
      { host: 'api.stepfun.com', level: 'official', pattern: 'api.stepfun.com' },
      { host: 'api.lingyiwanwu.com', level: 'official', pattern: 'api.lingyiwanwu.com' },
      { host: 'api.baichuan-ai.com', level: 'official', pattern: 'api.baichuan-ai.com' },
      { host: 'api.siliconflow.cn', level: 'official', pattern: 'api.siliconflow.cn' },
      { host: 'platform.openai.com', level: 'official', pattern: 'platform.openai.com' },
      { host: 'console.anthropic.com', level: 'official', pattern: 'console.anthropic.com' },
      { host: 'aistudio.google.com', level: 'official', pattern: 'aistudio.google.com' },
      { host: 'console.cloud.google.com', level: 'official', pattern: 'console.cloud.google.com' },
      { host: 'portal.azure.com', level: 'official', pattern: 'portal.azure.com' },
      { host: 'console.aws.amazon.com', level: 'official', pattern: 'console.aws.amazon.com' },
      { host: 'console.mistral.ai', level: 'official', pattern: 'console.mistral.ai' },
      { host: 'platform.deepseek.com', level: 'official', pattern: 'platform.deepseek.com' },
      { host: 'openrouter.ai', level: 'vetted', pattern: 'openrouter.ai' },
      { host: 'gateway.ai.cloudflare.com', level: 'vetted', pattern: 'gateway.ai.cloudflare.com' },
      { host: 'ai-gateway.vercel.sh', level: 'vetted', pattern: 'ai-gateway.vercel.sh' },
      { host: 'api.portkey.ai', level: 'vetted', pattern: 'api.portkey.ai' },
      { host: 'oai.helicone.ai', level: 'vetted', pattern: 'oai.helicone.ai' },
      { host: 'api.replicate.com', level: 'vetted', pattern: 'api.replicate.com' },
      { host: 'huggingface.co', level: 'vetted', pattern: 'huggingface.co' },
      { host: 'router.huggingface.co', level: 'vetted', pattern: 'huggingface.co' },
      { host: 'api.novita.ai', level: 'vetted', pattern: 'api.novita.ai' },
    ])('$host → $level via $pattern', ({ host, level, pattern }) => {
      const hit = matcher.decide(host);
      expect(hit?.level).toBe(level);
      expect(hit?.pattern).toBe(pattern);
      expect(hit?.source).toBe('bundled');
      expect(hit?.listId).toBe(level === 'official' ? 'bundled:vendors' : 'bundled:vetted');
    });

    it.each([
      'openai.com',
      'api.openai.com.evil.test',
      'api-openai.com',
      'evilopenai.azure.com.attacker.test',
      'anthropic.com',
      'notopenrouter.ai',
      'ai.cloudflare.com',
      'example.com',
    ])('does not cover the look-alike %s', (host) => {
      expect(matcher.decide(host)).toBeNull();
    });
  });
});
