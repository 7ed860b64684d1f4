import { describe, expect, test } from 'vitest';
import { parseList, type RelayList } from './list-schema.ts';
import { packList, STORED_LIST_FORM, unpackList, type PackedList } from './stored-list.ts';

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function validated(input: unknown): RelayList {
  const parsed = parseList(input);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const LIST = validated({
  name: 'Community relays — 中转站名单',
  version: '2026.11.26',
  updated: '2026-11-26T08:00:00Z',
  homepage: 'https://lists.example.org/',
  entries: [
    { pattern: 'relay.example', level: 'blocked', evidence: ['https://evidence.example.org/1', 'https://evidence.example.org/2'], reason: 'kept keys\nand resold them "quietly"', category: 'reseller' },
    { pattern: '.api.gateway.example', level: 'vetted' },
    { pattern: 'xn--bcher-kva.example', level: 'official', added: '2026-11-20' },
    { pattern: '10.1.2.3', level: 'vetted', reason: '内部网关' },
  ],
});

describe('packList / unpackList', () => {
  test('a list\'s reportUrl is kept, is covered by the checksum, and a list without one packs as before', async () => {
    const withTracker = validated({ ...plain(LIST), reportUrl: 'https://lists.example.org/issues/new' });
    const packed = await packList(withTracker);
    const unpacked = await unpackList(packed);
    expect(unpacked.ok && unpacked.value.reportUrl).toBe('https://lists.example.org/issues/new');
    expect((await unpackList({ ...packed, reportUrl: 'https://elsewhere.example/new' })).ok).toBe(false);
    const { reportUrl: _dropped, ...without } = packed;
    expect((await packList(LIST)).checksum).not.toBe(packed.checksum);
    expect(await unpackList(without)).toEqual({ ok: false, error: 'the stored list failed its checksum (damaged on disk)' });
  });

  test('round trip: the same list comes back, entry for entry, without validation', async () => {
    const packed = await packList(LIST);
    expect(packed).toMatchObject({ form: STORED_LIST_FORM, count: 4, levels: 'bvov', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const unpacked = await unpackList(packed);
    expect(unpacked.ok).toBe(true);
    if (!unpacked.ok) return;
    expect(plain(unpacked.value)).toEqual(plain(LIST));
    // An entry's details read like a plain entry's, parsed on first use.
    const [first, second] = unpacked.value.entries;
    expect(first!.reason).toBe('kept keys\nand resold them "quietly"');
    expect(first!.evidence).toEqual(['https://evidence.example.org/1', 'https://evidence.example.org/2']);
    expect(first!.added).toBeUndefined();
    expect(second).toEqual({ pattern: '.api.gateway.example', level: 'vetted' });
  });

  test('an empty list and a list without homepage round-trip too', async () => {
    const empty = validated({ name: 'Empty', version: '1', updated: '2026-11-26', entries: [] });
    const unpacked = await unpackList(await packList(empty));
    expect(unpacked).toEqual({ ok: true, value: empty });
  });

  test('canonical: the same list packs to the same bytes and checksum, whatever order its fields came in', async () => {
    const reordered = validated({
      ...plain(LIST),
      entries: plain(LIST).entries.map((entry) => Object.fromEntries(Object.entries(entry).reverse())),
    });
    expect(await packList(reordered)).toEqual(await packList(LIST));
  });

  test('the checksum covers the metadata as well as the columns', async () => {
    const packed = await packList(LIST);
    const edits: Partial<PackedList>[] = [
      { name: 'Other' },
      { version: '2026.11.27' },
      { updated: '2026-11-27' },
      { homepage: 'https://evil.example/' },
      { levels: 'bbov' },
      { patterns: packed.patterns.replace('relay', 'relax') },
      { details: packed.details.replace('kept', 'lost') },
      { checksum: '0'.repeat(64) },
    ];
    for (const edit of edits) {
      expect(await unpackList({ ...packed, ...edit }), JSON.stringify(edit)).toEqual({ ok: false, error: 'the stored list failed its checksum (damaged on disk)' });
    }
  });

  test('another form is refused by its number, before anything else is read', async () => {
    const packed = await packList(LIST);
    expect(await unpackList({ ...packed, form: 1 })).toEqual({ ok: false, error: `the stored list has form 1, this version of RelayGuard reads form ${STORED_LIST_FORM}` });
    expect(await unpackList({ patterns: 'relay.example' })).toEqual({ ok: false, error: `the stored list has form undefined, this version of RelayGuard reads form ${STORED_LIST_FORM}` });
  });

  test('a malformed record is refused, never half read', async () => {
    const packed = await packList(LIST);
    expect(await unpackList(null)).toEqual({ ok: false, error: 'the stored list is missing' });
    expect(await unpackList({ ...packed, count: '4' })).toEqual({ ok: false, error: 'the stored list is malformed' });
    expect(await unpackList({ ...packed, levels: undefined })).toEqual({ ok: false, error: 'the stored list is malformed' });
  });
});
