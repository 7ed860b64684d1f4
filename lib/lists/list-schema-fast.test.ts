import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../tests/support/seeded-random.ts';
import { listEntryFast, listEntrySchema, parseList, parseListJson, parseListWithZod } from './list-schema.ts';

/**
 * parseList takes a fast path for entries of the common shape and leaves every other entry, and
 * every refused list, to zod. These tests hold the fast path to zod's exact answers: the same
 * output (values and key order) for every accepted entry and list, the same error (message,
 * issues, order) for every refused list, on generated and adversarial input.
 */

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Same value, same key order: toStrictEqual ignores the order, JSON text does not. */
function expectIdentical(actual: unknown, expected: unknown): void {
  expect(actual).toStrictEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

/**
 * The fast path may decline (null), but when it answers it must answer exactly what the schema
 * does; also when it may keep the entry itself (`reuse`, for fresh JSON).
 */
function entryDisagreement(entry: unknown): string | null {
  const copied = entryDisagreementIn(entry, false);
  if (copied !== null || entry === undefined) return copied;
  const text = JSON.stringify(entry);
  return text === undefined ? null : entryDisagreementIn(JSON.parse(text), true);
}

function entryDisagreementIn(entry: unknown, reuse: boolean): string | null {
  const fast = listEntryFast(entry, reuse);
  if (fast === null) return null;
  const slow = listEntrySchema.safeParse(entry);
  const shown = JSON.stringify(entry);
  if (!slow.success) return `${shown}: fast path accepts, zod rejects: ${slow.error.issues.map((issue) => issue.message).join('; ')}`;
  if (JSON.stringify(fast) !== JSON.stringify(slow.data)) return `${shown}: fast path gives ${JSON.stringify(fast)}, zod ${JSON.stringify(slow.data)}`;
  try {
    expect(fast).toStrictEqual(slow.data);
  } catch {
    return `${shown}: fast path and zod outputs differ in undefined keys or prototypes`;
  }
  return null;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function label(random: Random, maxLength = 10): string {
  const length = 1 + Math.floor(random() * maxLength);
  let text = '';
  for (let i = 0; i < length; i++) text += random() < 0.15 ? String(Math.floor(random() * 10)) : LETTERS[Math.floor(random() * 26)];
  return text;
}

const TLDS = ['com', 'net', 'org', 'io', 'dev', 'cn', 'com.cn', 'co.uk', 'jp', 'ai', 'xyz', 'top'];

function host(random: Random): string {
  const labels = Array.from({ length: Math.floor(random() * 3) }, () => label(random, 8));
  return [...labels, label(random, 12), pick(random, TLDS)].join('.');
}

/** Patterns: mostly canonical hosts, then every way a pattern can be unusual or wrong. */
const ODD_PATTERNS: readonly unknown[] = [
  'Example.COM', 'example.com.', '.Exact.Example.', ' example.com', 'example.com ', 'bücher.example', 'xn--bcher-kva.example', 'xn--zz.com',
  'ab--cd.com', 'com', 'co.uk', '.co.uk', 'foo.kawasaki.jp', 'github.io', 'foo.github.io', '1.2.3.4', '.1.2.3.4', '0x7f.1', 'example.123',
  'localhost', 'a..com', '-a.com', 'a_b.com', '*.example.com', 'example.com:443', 'https://example.com/', 'example.com/path',
  'gateway.ai.cloudflare.com/v1/acct123/', 'gateway.ai.cloudflare.com/v1/acct123', `${'a'.repeat(64)}.com`, `${'a.'.repeat(126)}com`,
  'exаmple.com', 'ｅxample.com', '', '.', 5, null, undefined, ['example.com'], { host: 'example.com' },
];

/** URLs: common ones the fast path should take, and every kind zod refuses or rewrites. */
const LONG_HOST_URL = `https://${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.com/`;
const ODD_URLS: readonly unknown[] = [
  'http://', 'https://', 'https:', 'https://a b', 'https://a b.com/', 'javascript:alert(1)', 'ftp://files.example/x', 'mailto:x@a.com',
  'data:text/html,<b>x</b>', 'reports.example/1', '//a.com/x', 'HTTPS://A.COM/x', 'Https://a.com/', 'https://A.com/', 'https:a.com',
  'https:/a.com', 'https:///a.com', 'https:\\\\a.com', 'https://a.com:8080/', 'https://a.com:/', 'https://a.com:99999/', 'https://a.com:x/', 'https://a.com:-1/', 'https://user@a.com/', 'https://u:p@a.com/',
  'https://1.2.3.4/', 'https://999.1.1.1/', 'https://1.2.3/', 'https://a.123/', 'https://a.0x1f/', 'https://0x7f.1/', 'https://[::1]/',
  'https://xn--bcher-kva.example/', 'https://xn--zz.com/', 'https://ab--cd.com/', 'https://bücher.example/', 'https://a..com/',
  'https://.a.com/', 'https://a.com./', 'https://-a.com/', 'https://a-.com/', 'https://a_b.com/', 'https://%61.com/', 'https://a%2ecom/',
  ' https://a.com/x', 'https://a.com/x ', '\thttps://a.com/', 'https://a.com/\t', 'https://exa\nmple.com/', 'https://a.com/x\ny',
  'https://a.com/path with space', 'https://a.com/%zz', 'https://a.com/?q=<script>', 'https://a.com/"q"', 'https://a.com/{x}',
  'https://a.com/x|y', 'https://a.com\\evil', 'https://a.com/\\evil', 'https://a.com/é', 'https://a.com/\u0000', 'https://a.com/\u00a0',
  'https://a.com\u3002cn/', 'https://localhost/', 'https://com/', 'https://a/', 'https://a.b/', `https://${'a'.repeat(64)}.com/`,
  LONG_HOST_URL, `https://a.com/${'x'.repeat(2048 - 'https://a.com/'.length)}`, `https://a.com/${'x'.repeat(2049 - 'https://a.com/'.length)}`,
  'https://a.com?x=1', 'https://a.com#x', 'https://a.com/#', 'https://a.com/?', 'https://a.com/[x]@y', 'https://a.com/%20',
  5, null, undefined, {}, ['https://a.com/'],
];

function commonUrl(random: Random): string {
  const path = Array.from({ length: Math.floor(random() * 4) }, () => label(random, 12)).join('/');
  const query = random() < 0.2 ? `?id=${Math.floor(random() * 1e6)}&ref=${label(random)}` : '';
  return `${random() < 0.8 ? 'https' : 'http'}://${host(random)}/${path}${query}${random() < 0.1 ? '#top' : ''}`;
}

const ODD_DATES: readonly unknown[] = [
  '2024-02-29', '2023-02-29', '2000-02-29', '1900-02-29', '0000-02-29', '2026-02-30', '2026-04-31', '2026-06-31', '2026-13-01', '2026-00-10',
  '2026-11-00', '2026-11-32', '9999-12-31', '2026-11-26T08:00:00Z', '2026-11-26T08:00:00.123Z', '2026-11-26T08:00:00.Z', '2026-11-26T08:00:00.1234567+01:00',
  '2026-11-26T08:00:00+05:30', '2026-11-26T08:00:00-23:59', '2026-11-26T08:00:00+24:00', '2026-11-26T08:00:00+05:60', '2026-11-26T24:00:00Z',
  '2026-11-26T08:60:00Z', '2026-11-26T08:00:60Z', '2026-11-26T08:00:00', '2026-11-26T08:00Z', '2026-11-26t08:00:00z', '2026-11-26 08:00:00Z',
  '2026-11-26T08:00:00+0530', '2026-11-26T08:00:00+05', '2026-11-26T08:00:00ZZ', '2026-11-26T8:00:00Z', '26/11/2026', '２０２６-11-26',
  '2026-11-26\n', ' 2026-11-26', '2026-1-26', '+2026-11-26', '2026-11-26Z', '2026-02-29T08:00:00Z', '2024-02-29T08:00:00Z', '', 20261126, null, undefined,
];

function randomDate(random: Random): string {
  const digits = (count: number, max: number) => String(Math.floor(random() * (max + 1))).padStart(count, '0');
  const date = `${digits(4, 9999)}-${digits(2, 13)}-${digits(2, 32)}`;
  if (random() < 0.5) return date;
  const fraction = random() < 0.3 ? `.${digits(1 + Math.floor(random() * 4), 9999)}` : '';
  const zone = random() < 0.5 ? 'Z' : `${random() < 0.5 ? '+' : '-'}${digits(2, 25)}:${digits(2, 61)}`;
  return `${date}T${digits(2, 25)}:${digits(2, 61)}:${digits(2, 61)}${fraction}${zone}`;
}

const ODD_TEXTS: readonly unknown[] = [
  '', ' ', '\u00a0', ' relay ', '\u00a0relay\u3000', '\ufeffrelay', 'relay\n', 'x'.repeat(64), 'x'.repeat(65), ` ${'x'.repeat(64)} `,
  '😀'.repeat(32), '😀'.repeat(33), '😀'.repeat(500), '😀'.repeat(501), 'x'.repeat(1000), 'x'.repeat(1001), '\ud83d', 'a\ud83d', 5, null, true, ['x'], {},
];

const LEVELS: readonly unknown[] = ['official', 'vetted', 'blocked'];
const ODD_LEVELS: readonly unknown[] = ['Official', 'BLOCKED', 'unvetted', 'allowed', '', ' vetted', 5, null, undefined, ['vetted']];

/**
 * One entry: usually of the common shape; each field now and then (`oddness` scales how often) odd,
 * absent, or present but undefined.
 */
function randomEntry(random: Random, oddness = 1): unknown {
  const odd = (share: number) => random() < share * oddness;
  const entry: Record<string, unknown> = {};
  if (!odd(0.01)) entry.pattern = odd(0.08) ? pick(random, ODD_PATTERNS) : `${random() < 0.15 ? '.' : ''}${host(random)}`;
  if (!odd(0.01)) entry.level = odd(0.04) ? pick(random, ODD_LEVELS) : pick(random, LEVELS);
  const optional = (key: string, value: () => unknown, absent = 0.45) => {
    if (random() < absent) return;
    entry[key] = odd(0.03) ? undefined : value();
  };
  optional('category', () => (odd(0.15) ? pick(random, ODD_TEXTS) : pick(random, ['relay', 'reseller', 'gateway', 'phishing'])));
  if (random() < 0.3) entry.severity = 'high'; // unknown keys are dropped, wherever they are
  optional('reason', () => (odd(0.15) ? pick(random, ODD_TEXTS) : 'Resells keys without consent.'));
  if (entry.level === 'blocked' || random() < 0.2) {
    const evidence = () => {
      if (odd(0.05)) return pick(random, [[], 'https://a.com/', null, 5, Array.from({ length: 21 }, () => 'https://a.com/'), [, 'https://a.com/']]);
      return Array.from({ length: 1 + Math.floor(random() * 3) }, () => (odd(0.12) ? pick(random, ODD_URLS) : commonUrl(random)));
    };
    optional('evidence', evidence, entry.level === 'blocked' ? 0.1 * oddness : 0.45);
  }
  const date = () => `2026-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
  optional('added', () => (odd(0.15) ? pick(random, ODD_DATES) : random() < 0.3 ? randomDate(random) : date()));
  if (random() < 0.05) entry.tags = ['x'];
  return entry;
}

const NOT_PLAIN_ENTRIES: readonly unknown[] = [
  'example.com', 5, null, undefined, true, ['example.com', 'official'], new Date(0),
  Object.assign(Object.create(null) as object, { pattern: 'example.com', level: 'official' }),
  Object.assign(Object.create({ level: 'vetted' }) as object, { pattern: 'example.com' }),
  Object.assign(Object.create({ category: 'inherited' }) as object, { pattern: 'example.com', level: 'official', category: undefined }),
  // JSON text can carry a `__proto__` key as an own property; the schema ignores it like any unknown key.
  JSON.parse('{"pattern":"example.com","level":"official","__proto__":{"category":"x"}}') as unknown,
  JSON.parse('{"__proto__":null,"pattern":"example.com","level":"vetted","constructor":"x","toString":5}') as unknown,
  { pattern: 'example.com', level: 'official', category: undefined },
  { pattern: 'example.com', level: 'blocked', evidence: undefined },
  { pattern: 'example.com', level: 'official', added: undefined },
  { pattern: 'example.com', level: 'official', reason: undefined },
  { level: 'official', pattern: 'example.com', added: '2026-11-26', evidence: ['https://a.com/'], reason: 'r', category: 'c' },
];

describe('listEntryFast agrees with listEntrySchema', () => {
  it('on hand-picked adversarial entries and field values', () => {
    const entries: unknown[] = [...NOT_PLAIN_ENTRIES];
    for (const pattern of ODD_PATTERNS) entries.push({ pattern, level: 'vetted' }, { pattern, level: 'blocked', evidence: ['https://a.com/1'] });
    for (const level of [...LEVELS, ...ODD_LEVELS]) entries.push({ pattern: 'example.com', level, evidence: ['https://a.com/1'] });
    for (const url of ODD_URLS) entries.push({ pattern: 'example.com', level: 'blocked', evidence: [url] }, { pattern: 'example.com', level: 'vetted', evidence: ['https://a.com/', url] });
    for (const added of ODD_DATES) entries.push({ pattern: 'example.com', level: 'official', added });
    for (const text of ODD_TEXTS) entries.push({ pattern: 'example.com', level: 'official', category: text }, { pattern: 'example.com', level: 'official', reason: text });
    const failures = entries.map(entryDisagreement).filter((line) => line !== null);
    expect(failures).toEqual([]);
    // And it takes the common shapes: otherwise it would be no fast path at all.
    const common = [
      { pattern: 'example.com', level: 'official' },
      { pattern: '.api.example.com', level: 'vetted', category: ' relay ', added: '2026-11-26T08:00:00.5+05:30' },
      { pattern: 'relay.com.cn', level: 'blocked', reason: 'r', evidence: ['https://github.com/org/repo/issues/1?x=1#y', 'http://archive.example/2'], added: '2024-12-31', extra: 1 },
    ];
    for (const entry of common) expectIdentical(listEntryFast(entry), listEntrySchema.parse(entry));
  });

  it('declines what Node’s URL parser takes but another may refuse: punycode-shaped labels', () => {
    // Node accepts `xn--a.com` unchecked; Chromium's parser checks punycode, and the worker runs
    // there. So these go to zod (whichever parser it has), which this test cannot compare in Node.
    for (const pattern of ['xn--a.com', 'a.xn--zz.com', 'ab--cd.com']) expect(listEntryFast({ pattern, level: 'vetted' })).toBeNull();
    for (const url of ['https://xn--a.com/', 'https://a.xn--zz.com/x', 'http://ab--cd.com/']) {
      expect(listEntryFast({ pattern: 'a.example', level: 'blocked', evidence: [url] })).toBeNull();
    }
  });

  it('on every date of four years, and on generated date-times', () => {
    const failures: string[] = [];
    const check = (added: string) => {
      const line = entryDisagreement({ pattern: 'example.com', level: 'official', added });
      if (line !== null) failures.push(line);
    };
    for (const year of ['1900', '2000', '2024', '2026']) {
      for (let month = 0; month <= 13; month++) for (let day = 0; day <= 32; day++) check(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
    }
    const random = seededRandom(7);
    for (let i = 0; i < 20_000; i++) check(randomDate(random));
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('on generated entries', { timeout: 60_000 }, () => {
    const random = seededRandom(2026);
    const failures: string[] = [];
    let taken = 0;
    const count = 20_000;
    for (let i = 0; i < count && failures.length < 20; i++) {
      const entry = randomEntry(random);
      if (listEntryFast(entry) !== null) taken++;
      const line = entryDisagreement(entry);
      if (line !== null) failures.push(line);
    }
    expect(failures).toEqual([]);
    expect(taken).toBeGreaterThan(count * 0.4);
  });
});

describe('listEntryFast keeps a fresh JSON entry only when it is exactly the schema’s output', () => {
  it.each([
    { name: 'all fields, in order', text: '{"pattern":"a.example","level":"blocked","category":"relay","reason":"r","evidence":["https://x.example/1"],"added":"2026-11-26"}', kept: true },
    { name: 'some fields, in order', text: '{"pattern":"a.example","level":"vetted","added":"2026-11-26"}', kept: true },
    { name: 'fields out of order', text: '{"level":"vetted","pattern":"a.example"}', kept: false },
    { name: 'an unknown key', text: '{"pattern":"a.example","level":"vetted","severity":"high"}', kept: false },
    { name: 'a __proto__ key', text: '{"pattern":"a.example","level":"vetted","__proto__":{"x":1}}', kept: false },
    { name: 'text to trim', text: '{"pattern":"a.example","level":"vetted","category":" relay"}', kept: false },
  ])('$name', ({ text, kept }) => {
    const entry: unknown = JSON.parse(text);
    const fast = listEntryFast(entry, true);
    expect(fast === entry).toBe(kept);
    expectIdentical(fast, listEntrySchema.parse(entry));
    // Without `reuse`, never the input itself, nor its evidence array.
    const copy = listEntryFast(entry, false);
    expect(copy).not.toBe(entry);
    if (copy?.evidence) expect(copy.evidence).not.toBe((entry as { evidence: unknown }).evidence);
  });
});

describe('parseList answers exactly what parseListWithZod answers', () => {
  const header = { name: 'Test list', version: '1.0.0', updated: '2026-11-26' };

  /** The value as it is, and as JSON text and fresh JSON (where entries may be kept rather than copied). */
  function expectSameAnswer(list: unknown): void {
    expectIdentical(parseList(list), parseListWithZod(list));
    const text = JSON.stringify(list);
    if (text === undefined) return;
    const expected = parseListWithZod(JSON.parse(text));
    expectIdentical(parseList(text), expected);
    expectIdentical(parseListJson(JSON.parse(text)), expected);
  }

  it('on generated lists of every mix: valid, canonicalised, duplicated, refused', { timeout: 60_000 }, () => {
    const random = seededRandom(11);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 400; i++) {
      const oddness = pick(random, [0, 0, 0.02, 0.1, 1]);
      const entries = Array.from({ length: Math.floor(random() * 40) }, () => randomEntry(random, oddness));
      // Duplicates: the same text again, or a spelling zod canonicalises into an earlier pattern.
      if (entries.length > 2 && random() < 0.3) {
        const earlier = entries[Math.floor(random() * entries.length)] as { pattern?: unknown };
        if (typeof earlier?.pattern === 'string') {
          const spelling = pick(random, [earlier.pattern, earlier.pattern.toUpperCase(), `${earlier.pattern}.`]);
          entries.splice(Math.floor(random() * entries.length), 0, { pattern: spelling, level: 'vetted' });
        }
      }
      const list: Record<string, unknown> = { ...header, entries };
      if (random() < 0.05) list.name = pick(random, ['', '  ', 5, 'x'.repeat(201)]);
      if (random() < 0.05) list.updated = pick(random, ODD_DATES);
      if (random() < 0.05) list.homepage = pick(random, ODD_URLS);
      if (random() < 0.05) list.refreshMinutes = pick(random, [0, 1.5, 60, '60', 99_999]);
      if (random() < 0.05) delete list.version;
      const answer = parseListWithZod(list);
      if (answer.ok) accepted++;
      else refused++;
      expectSameAnswer(list);
    }
    // Both outcomes occur often enough for the comparison to mean something.
    expect(accepted).toBeGreaterThan(40);
    expect(refused).toBeGreaterThan(40);
  });

  it('on a large list of common entries with a few that only zod can canonicalise', { timeout: 60_000 }, () => {
    const random = seededRandom(3);
    const patterns = new Set<string>();
    const entries: unknown[] = [];
    while (entries.length < 5_000) {
      const pattern = host(random);
      if (patterns.has(pattern)) continue;
      patterns.add(pattern);
      const blocked = random() < 0.6;
      const entry: Record<string, unknown> = { pattern: entries.length % 500 === 7 ? pattern.toUpperCase() : pattern, level: blocked ? 'blocked' : pick(random, ['official', 'vetted']) };
      if (random() < 0.5) entry.category = 'relay';
      if (blocked) entry.evidence = [commonUrl(random)];
      if (random() < 0.5) entry.added = entries.length % 700 === 3 ? '2024-02-29' : `2026-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
      entries.push(entry);
    }
    const list = { ...header, homepage: 'https://lists.example/', entries };
    const answer = parseListWithZod(list);
    expectSameAnswer(list);
    expectSameAnswer(JSON.parse(JSON.stringify(list)));
    // A duplicate at the very end, and one refused entry in the middle, refuse the whole list alike.
    expectSameAnswer({ ...list, entries: [...entries, { pattern: (entries[10] as { pattern: string }).pattern, level: 'vetted' }] });
    expectSameAnswer({ ...list, entries: entries.map((entry, i) => (i === 2_500 ? { pattern: 'co.uk', level: 'vetted' } : entry)) });
    expect(answer.ok).toBe(true);
  });

  it('on lists that are not lists', () => {
    for (const value of [null, 5, true, [], {}, { ...header }, { ...header, entries: {} }, { ...header, entries: 'a.com' }, { entries: [] }, new Date(0)]) {
      expectSameAnswer(value);
    }
  });
});
