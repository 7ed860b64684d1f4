import { describe, expect, test } from 'vitest';
import { IndexedList } from './indexed-list.ts';
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
    { pattern: 'gateway.ai.cloudflare.com/v1/0123456789abcdef0123456789abcdef/', level: 'vetted', reason: 'our account' },
  ],
});

const pack = (list: RelayList) => packList(IndexedList.of(list));

/** What IndexedDB does to a record: a structured clone, in a fresh buffer. */
const throughStorage = (packed: PackedList): PackedList => structuredClone(packed);

const metaOf = ({ name, version, updated, homepage, reportUrl }: RelayList | IndexedList) => plain({ name, version, updated, homepage, reportUrl });

describe('packList / unpackList', () => {
  test('round trip: the same list comes back, entry for entry, without validation', async () => {
    const packed = await pack(LIST);
    expect(packed).toMatchObject({ form: STORED_LIST_FORM, checksum: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const unpacked = await unpackList(throughStorage(packed));
    expect(unpacked.ok).toBe(true);
    if (!unpacked.ok) return;
    expect(unpacked.value.count).toBe(5);
    expect(metaOf(unpacked.value)).toEqual(metaOf(LIST));
    expect(plain(unpacked.value.toEntries())).toEqual(plain(LIST.entries));
    // An entry's details are read when asked for, from the stored bytes.
    expect(unpacked.value.detailsAt(0)).toEqual({ category: 'reseller', reason: 'kept keys\nand resold them "quietly"', evidence: ['https://evidence.example.org/1', 'https://evidence.example.org/2'] });
    expect(unpacked.value.detailsAt(1)).toEqual({});
    expect(unpacked.value.patterns()).toEqual(LIST.entries.map((entry) => entry.pattern));
    expect(unpacked.value.accountEntries()).toEqual([{ host: 'gateway.ai.cloudflare.com', pathPrefix: '/v1/0123456789abcdef0123456789abcdef/', at: 4 }]);
  });

  test('a list\'s reportUrl is kept and covered by the checksum', async () => {
    const withTracker = validated({ ...plain(LIST), reportUrl: 'https://lists.example.org/issues/new' });
    const packed = await pack(withTracker);
    const unpacked = await unpackList(throughStorage(packed));
    expect(unpacked.ok && unpacked.value.reportUrl).toBe('https://lists.example.org/issues/new');
    expect((await pack(LIST)).checksum).not.toBe(packed.checksum);
  });

  test('an empty list and a list without homepage round-trip too', async () => {
    const empty = validated({ name: 'Empty', version: '1', updated: '2026-11-26', entries: [] });
    const unpacked = await unpackList(throughStorage(await pack(empty)));
    expect(unpacked.ok).toBe(true);
    if (!unpacked.ok) return;
    expect(metaOf(unpacked.value)).toEqual(metaOf(empty));
    expect(unpacked.value.toEntries()).toEqual([]);
    expect(unpacked.value.patterns()).toEqual([]);
  });

  test('canonical: the same list packs to the same bytes and checksum, whatever order its fields came in', async () => {
    const reordered = validated({
      ...plain(LIST),
      entries: plain(LIST).entries.map((entry) => Object.fromEntries(Object.entries(entry).reverse())),
    });
    expect(await pack(reordered)).toEqual(await pack(LIST));
  });

  test('a list read back packs to the same bytes again (what a migration or a rewrite stores)', async () => {
    const packed = await pack(LIST);
    const unpacked = await unpackList(throughStorage(packed));
    if (!unpacked.ok) throw new Error(unpacked.error);
    expect(await packList(unpacked.value)).toEqual(packed);
  });

  test('the checksum covers every byte: metadata, patterns, levels, table and details', async () => {
    const packed = await pack(LIST);
    const length = packed.body.byteLength;
    // One flipped byte at a time, across the whole body (each section lies somewhere in it).
    for (let at = 0; at < length; at += Math.max(1, Math.floor(length / 97))) {
      const damaged = throughStorage(packed);
      const bytes = new Uint8Array(damaged.body);
      bytes[at] = bytes[at]! ^ 0x20;
      expect(await unpackList(damaged), `byte ${at}`).toEqual({ ok: false, error: 'the stored list failed its checksum (damaged on disk)' });
    }
    expect(await unpackList({ ...packed, checksum: '0'.repeat(64) })).toEqual({ ok: false, error: 'the stored list failed its checksum (damaged on disk)' });
  });

  test('another form is refused by its number, before anything else is read', async () => {
    const packed = await pack(LIST);
    expect(await unpackList({ ...packed, form: 2 })).toEqual({ ok: false, error: `the stored list has form 2, this version of RelayGuard reads form ${STORED_LIST_FORM}` });
    // The form before this one: text columns instead of one buffer.
    expect(await unpackList({ form: 2, patterns: 'relay.example', levels: 'b', details: '', count: 1, checksum: '0'.repeat(64) })).toEqual({
      ok: false,
      error: `the stored list has form 2, this version of RelayGuard reads form ${STORED_LIST_FORM}`,
    });
    expect(await unpackList({ patterns: 'relay.example' })).toEqual({ ok: false, error: `the stored list has form undefined, this version of RelayGuard reads form ${STORED_LIST_FORM}` });
  });

  test('a malformed record is refused, never half read', async () => {
    const packed = await pack(LIST);
    expect(await unpackList(null)).toEqual({ ok: false, error: 'the stored list is missing' });
    expect(await unpackList({ ...packed, body: 'not a buffer' })).toEqual({ ok: false, error: 'the stored list is malformed' });
    expect(await unpackList({ ...packed, checksum: undefined })).toEqual({ ok: false, error: 'the stored list is malformed' });
  });

  test('a body whose checksum holds but whose layout does not add up is refused', () => {
    const body = IndexedList.of(LIST).toBody();
    const cut = body.slice(0, body.byteLength - 1);
    expect(IndexedList.fromBody(cut)).toEqual({ ok: false, error: 'the stored list is malformed' });
    expect(IndexedList.fromBody(new ArrayBuffer(2))).toEqual({ ok: false, error: 'the stored list is malformed' });
    const hugeHeader = body.slice(0);
    new DataView(hugeHeader).setUint32(0, 0xffff_fff0, true);
    expect(IndexedList.fromBody(hugeHeader)).toEqual({ ok: false, error: 'the stored list is malformed' });
  });
});
