import { describe, expect, test } from 'vitest';
import { IndexedList } from './indexed-list.ts';
import { parseList, type RelayList } from './list-schema.ts';
import { packList, STORED_LIST_FORM, unpackDetails, unpackList, type PackedDetails, type PackedList } from './stored-list.ts';

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
const throughStorage = <T extends PackedList | PackedDetails>(packed: T): T => structuredClone(packed);

const metaOf = ({ name, version, updated, homepage, reportUrl }: RelayList | IndexedList) => plain({ name, version, updated, homepage, reportUrl });

/** Reads a packed list back as a cold worker does: the table, then its details. */
async function readBack({ table, details }: { table: PackedList; details: PackedDetails }): Promise<IndexedList> {
  const unpacked = await unpackList(throughStorage(table));
  if (!unpacked.ok) throw new Error(unpacked.error);
  const attached = await unpackDetails(throughStorage(details), unpacked.value);
  if (!attached.ok) throw new Error(attached.error);
  return unpacked.value;
}

const DAMAGED = { ok: false, error: 'the stored list failed its checksum (damaged on disk)' };

/** `buffer` with one bit flipped at `at`. */
function flippedAt(buffer: ArrayBuffer, at: number): ArrayBuffer {
  const copy = new Uint8Array(buffer.slice(0));
  copy[at] = copy[at]! ^ 0x20;
  return copy.buffer;
}

describe('packList / unpackList / unpackDetails', () => {
  test('round trip: the same list comes back, entry for entry, without validation', async () => {
    const packed = await pack(LIST);
    expect(packed.table).toMatchObject({ form: STORED_LIST_FORM, checksum: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const list = await readBack(packed);
    expect(list.count).toBe(5);
    expect(metaOf(list)).toEqual(metaOf(LIST));
    expect(plain(list.toEntries())).toEqual(plain(LIST.entries));
    expect(list.detailsAt(0)).toEqual({ category: 'reseller', reason: 'kept keys\nand resold them "quietly"', evidence: ['https://evidence.example.org/1', 'https://evidence.example.org/2'] });
    expect(list.detailsAt(1)).toEqual({});
    expect(list.patterns()).toEqual(LIST.entries.map((entry) => entry.pattern));
    expect(list.accountEntries()).toEqual([{ host: 'gateway.ai.cloudflare.com', pathPrefix: '/v1/0123456789abcdef0123456789abcdef/', at: 4 }]);
  });

  test('the table alone decides: until its details are read, entries carry pattern and level only', async () => {
    const unpacked = await unpackList(throughStorage((await pack(LIST)).table));
    if (!unpacked.ok) throw new Error(unpacked.error);
    expect(unpacked.value.toEntries()).toEqual(LIST.entries.map(({ pattern, level }) => ({ pattern, level })));
  });

  test('a list\'s reportUrl is kept and covered by the checksum', async () => {
    const withTracker = validated({ ...plain(LIST), reportUrl: 'https://lists.example.org/issues/new' });
    const packed = await pack(withTracker);
    expect((await readBack(packed)).reportUrl).toBe('https://lists.example.org/issues/new');
    expect((await pack(LIST)).table.checksum).not.toBe(packed.table.checksum);
  });

  test('an empty list and a list without homepage round-trip too', async () => {
    const empty = validated({ name: 'Empty', version: '1', updated: '2026-11-26', entries: [] });
    const list = await readBack(await pack(empty));
    expect(metaOf(list)).toEqual(metaOf(empty));
    expect(list.toEntries()).toEqual([]);
    expect(list.patterns()).toEqual([]);
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
    expect(await packList(await readBack(packed))).toEqual(packed);
  });

  test('the table\'s checksum covers every byte of it: metadata, patterns, levels, hash table', async () => {
    const { table } = await pack(LIST);
    const length = table.body.byteLength;
    for (let at = 0; at < length; at += Math.max(1, Math.floor(length / 97))) {
      expect(await unpackList({ ...table, body: flippedAt(table.body, at) }), `byte ${at}`).toEqual(DAMAGED);
    }
    expect(await unpackList({ ...table, checksum: '0'.repeat(64) })).toEqual(DAMAGED);
  });

  test('the table vouches for its details: one changed byte, or another list\'s details, are refused', async () => {
    const { table, details } = await pack(LIST);
    const other = await pack({ ...LIST, entries: LIST.entries.map((entry) => ({ ...entry, reason: 'else' })) });
    const fresh = async () => {
      const unpacked = await unpackList(throughStorage(table));
      if (!unpacked.ok) throw new Error(unpacked.error);
      return unpacked.value;
    };
    const refused = { ok: false, error: 'its details failed their checksum (damaged on disk)' };
    for (let at = 0; at < details.body.byteLength; at += Math.max(1, Math.floor(details.body.byteLength / 61))) {
      expect(await unpackDetails({ ...details, body: flippedAt(details.body, at) }, await fresh()), `byte ${at}`).toEqual(refused);
    }
    expect(await unpackDetails(other.details, await fresh())).toEqual(refused);
    expect(await unpackDetails(undefined, await fresh())).toEqual({ ok: false, error: 'its details are missing' });
    expect(await unpackDetails({ ...details, form: 3 }, await fresh())).toEqual({ ok: false, error: 'its details are malformed' });
  });

  test('another form is refused by its number, before anything else is read', async () => {
    const { table } = await pack(LIST);
    expect(await unpackList({ ...table, form: 3 })).toEqual({ ok: false, error: `the stored list has form 3, this version of RelayGuard reads form ${STORED_LIST_FORM}` });
    // The form before these: text columns instead of buffers.
    expect(await unpackList({ form: 2, patterns: 'relay.example', levels: 'b', details: '', count: 1, checksum: '0'.repeat(64) })).toEqual({
      ok: false,
      error: `the stored list has form 2, this version of RelayGuard reads form ${STORED_LIST_FORM}`,
    });
    expect(await unpackList({ patterns: 'relay.example' })).toEqual({ ok: false, error: `the stored list has form undefined, this version of RelayGuard reads form ${STORED_LIST_FORM}` });
  });

  test('a malformed record is refused, never half read', async () => {
    const { table } = await pack(LIST);
    expect(await unpackList(null)).toEqual({ ok: false, error: 'the stored list is missing' });
    expect(await unpackList({ ...table, body: 'not a buffer' })).toEqual({ ok: false, error: 'the stored list is malformed' });
    expect(await unpackList({ ...table, checksum: undefined })).toEqual({ ok: false, error: 'the stored list is malformed' });
  });

  test('buffers whose layout does not add up are refused', () => {
    const built = IndexedList.of(LIST);
    const body = built.toBody('');
    expect(IndexedList.fromBody(body.slice(0, body.byteLength - 1))).toEqual({ ok: false, error: 'the stored list is malformed' });
    expect(IndexedList.fromBody(new ArrayBuffer(2))).toEqual({ ok: false, error: 'the stored list is malformed' });
    const hugeHeader = body.slice(0);
    new DataView(hugeHeader).setUint32(0, 0xffff_fff0, true);
    expect(IndexedList.fromBody(hugeHeader)).toEqual({ ok: false, error: 'the stored list is malformed' });
    const read = IndexedList.fromBody(body);
    if (!read.ok) throw new Error(read.error);
    const details = built.detailsBody();
    expect(read.value.attachDetails(details.slice(0, details.byteLength - 1))).toEqual({ ok: false, error: 'its details are malformed' });
    expect(read.value.attachDetails(IndexedList.of({ ...LIST, entries: LIST.entries.slice(1) }).detailsBody())).toEqual({ ok: false, error: 'its details are malformed' });
  });
});
