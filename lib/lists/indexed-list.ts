import { err, ok, type Result } from '../core/result.ts';
import { LIST_LEVELS, type ListEntry, type ListLevel, type RelayList } from './list-schema.ts';

/**
 * A list in the matcher's own form: its pattern texts as bytes, a level per entry and the hash
 * of each entry's pattern host, all in typed arrays. Built once when a
 * list is validated (download, import, the bundled lists on first use), stored as one ArrayBuffer
 * (stored-list.ts) and read back without touching a single entry: a cold service worker pays a
 * copy and a checksum, not a parse, a validation or a hash per pattern. At 100k entries,
 * re-validating took a second of every start and compiling the matcher 50–70 ms.
 *
 * The hashes are hashOfSuffix's (the matcher's right-to-left pass). The matcher puts every list's
 * hashes into one table of its own (entryHashes) and compares a candidate's bytes with the host
 * (hostIs) without slicing a string.
 *
 * About 400 lines in one file: how the columns are built, laid out in the stored buffer and read
 * must change together (a change to any is a new STORED_LIST_FORM), and none is used alone.
 */

const DOT = 46;
const NEWLINE = 10;

/** FNV-1a step: cheap, and good enough once finalised by `finalizeHash`. */
export function hashStep(hash: number, charCode: number): number {
  return Math.imul(hash ^ charCode, 0x01000193);
}

/** murmur3's finaliser: spreads FNV's weak low bits, which pick the slot. */
export function finalizeHash(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) | 0;
}

export const HASH_SEED = 0x811c9dc5 | 0;

/**
 * Hash of `text.slice(from)`, computed right to left like the matcher's suffix pass. Stored
 * lists hold these hashes: changing this function changes the stored form (STORED_LIST_FORM).
 */
export function hashOfSuffix(text: string, from: number): number {
  let hash = HASH_SEED;
  for (let i = text.length - 1; i >= from; i--) hash = hashStep(hash, text.charCodeAt(i));
  return finalizeHash(hash);
}

/** What a list says of itself. */
export interface ListMeta {
  readonly name: string;
  readonly version: string;
  readonly updated: string;
  readonly homepage?: string;
  readonly reportUrl?: string;
}

type EntryDetails = Pick<ListEntry, 'category' | 'reason' | 'evidence' | 'added'>;

/** A gateway account entry (`host/v1/<account>/`): no host hash; looked up by host and path prefix. */
export interface AccountEntry {
  readonly host: string;
  readonly pathPrefix: string;
  readonly at: number;
}

interface Columns {
  /** Every pattern's UTF-8 text followed by `\n` (a validated pattern has none). */
  readonly patternBytes: Uint8Array;
  /** count + 1 byte offsets: pattern i is [starts[i], starts[i + 1] - 1). */
  readonly patternStarts: Uint32Array;
  /** Index into LIST_LEVELS per entry. */
  readonly levels: Uint8Array;
  /** Per entry, its pattern host's hash (hashOfSuffix); 0 for a gateway account entry. */
  readonly hashes: Int32Array;
  /** Entry indexes of gateway account patterns, in list order. */
  readonly accounts: Uint32Array;
  readonly hasSingleLabelKey: boolean;
}

/** Details as the JSON of the fields that are set, one line per entry (empty: none), like patterns. */
interface DetailColumns {
  readonly detailBytes: Uint8Array;
  readonly detailStarts: Uint32Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class IndexedList implements ListMeta {
  readonly name: string;
  readonly version: string;
  readonly updated: string;
  readonly homepage?: string;
  readonly reportUrl?: string;
  readonly count: number;
  readonly hasSingleLabelKey: boolean;
  readonly #columns: Columns;
  /**
   * A list built in this worker keeps its validated entries for details; a stored one gets the
   * detail columns when they are read (attachDetails), after the table: no decision needs them.
   */
  #details: readonly ListEntry[] | DetailColumns | null;
  /** For a stored list: the SHA-256 its detail columns must have (the table's checksum covers it). */
  readonly detailsChecksum?: string;
  #accountEntries: readonly AccountEntry[] | null = null;

  private constructor(meta: ListMeta, count: number, columns: Columns, details: readonly ListEntry[] | null, detailsChecksum?: string) {
    this.name = meta.name;
    this.version = meta.version;
    this.updated = meta.updated;
    if (meta.homepage !== undefined) this.homepage = meta.homepage;
    if (meta.reportUrl !== undefined) this.reportUrl = meta.reportUrl;
    this.count = count;
    this.hasSingleLabelKey = columns.hasSingleLabelKey;
    this.#columns = columns;
    this.#details = details;
    if (detailsChecksum !== undefined) this.detailsChecksum = detailsChecksum;
  }

  /** Indexes an already validated list (parseList's output, or the bundled and the person's lists). */
  static of(list: RelayList): IndexedList {
    const { entries } = list;
    const count = entries.length;
    let text = '';
    for (let i = 0; i < count; i++) text += `${entries[i]!.pattern}\n`;
    const patternBytes = encoder.encode(text);
    const patternStarts = lineStarts(patternBytes, count);
    const levels = new Uint8Array(count);
    const hashes = new Int32Array(count);
    const accounts: number[] = [];
    let hasSingleLabelKey = false;
    for (let i = 0; i < count; i++) {
      const { pattern, level } = entries[i]!;
      levels[i] = LEVEL_INDEX[level];
      if (pattern.includes('/')) {
        accounts.push(i);
        continue;
      }
      const from = pattern.charCodeAt(0) === DOT ? 1 : 0;
      if (!pattern.includes('.', from)) hasSingleLabelKey = true;
      hashes[i] = hashOfSuffix(pattern, from);
    }
    const meta = metaOf(list);
    return new IndexedList(meta, count, { patternBytes, patternStarts, levels, hashes, accounts: Uint32Array.from(accounts), hasSingleLabelKey }, entries);
  }

  /** The list a body made by `toBody` holds, or why it cannot be one (a malformed body). */
  static fromBody(body: ArrayBuffer): Result<IndexedList, string> {
    const malformed = err('the stored list is malformed');
    if (body.byteLength < 4) return malformed;
    const headerLength = new DataView(body).getUint32(0, true);
    if (headerLength > body.byteLength - 4) return malformed;
    let header: unknown;
    try {
      header = JSON.parse(decoder.decode(new Uint8Array(body, 4, headerLength)));
    } catch {
      return malformed;
    }
    const parsed = readHeader(header);
    if (!parsed) return malformed;
    const { meta, count, hasSingleLabelKey, sizes, detailsChecksum } = parsed;
    let offset = align4(4 + headerLength);
    const take = (bytes: number) => {
      const at = offset;
      offset = align4(offset + bytes);
      return at;
    };
    const at = {
      patternStarts: take((count + 1) * 4),
      hashes: take(count * 4),
      accounts: take(sizes.accounts * 4),
      levels: take(count),
      patternBytes: take(sizes.patternBytes),
    };
    if (offset !== align4(body.byteLength) || at.patternBytes + sizes.patternBytes !== body.byteLength) return malformed;
    const columns: Columns = {
      patternStarts: new Uint32Array(body, at.patternStarts, count + 1),
      hashes: new Int32Array(body, at.hashes, count),
      accounts: new Uint32Array(body, at.accounts, sizes.accounts),
      levels: new Uint8Array(body, at.levels, count),
      patternBytes: new Uint8Array(body, at.patternBytes, sizes.patternBytes),
      hasSingleLabelKey,
    };
    // The ends of the columns must meet: the checksum vouches for everything in between.
    if (columns.patternStarts[count] !== sizes.patternBytes) return malformed;
    return ok(new IndexedList(meta, count, columns, null, detailsChecksum));
  }

  /**
   * Gives a stored list its details from a body made by `detailsBody` (whose SHA-256 the caller
   * checked against `detailsChecksum`); until then its hits carry no category, reason or evidence.
   */
  attachDetails(body: ArrayBuffer): Result<void, string> {
    const malformed = err('its details are malformed');
    if (body.byteLength < 4) return malformed;
    const count = new DataView(body).getUint32(0, true);
    const bytesAt = 4 + (count + 1) * 4;
    if (count !== this.count || bytesAt > body.byteLength) return malformed;
    const details: DetailColumns = { detailStarts: new Uint32Array(body, 4, count + 1), detailBytes: new Uint8Array(body, bytesAt) };
    if (details.detailStarts[count] !== details.detailBytes.length) return malformed;
    this.#details = details;
    return ok(undefined);
  }

  /** The detail columns in one buffer: the entry count, count + 1 offsets, the JSON lines. */
  detailsBody(): ArrayBuffer {
    const { detailBytes, detailStarts } = this.#detailColumns();
    const body = new ArrayBuffer(4 + detailStarts.byteLength + detailBytes.byteLength);
    new DataView(body).setUint32(0, this.count, true);
    new Uint32Array(body, 4, this.count + 1).set(detailStarts);
    new Uint8Array(body, 4 + detailStarts.byteLength).set(detailBytes);
    return body;
  }

  /**
   * The table in one buffer, in a fixed layout: what stored-list.ts checksums and IndexedDB keeps.
   * `detailsChecksum` (of detailsBody) goes in its header, so the table vouches for its details.
   */
  toBody(detailsChecksum: string): ArrayBuffer {
    const { patternBytes, patternStarts, levels, hashes, accounts, hasSingleLabelKey } = this.#columns;
    const header: StoredHeader = {
      meta: metaOf(this),
      count: this.count,
      hasSingleLabelKey,
      sizes: { accounts: accounts.length, patternBytes: patternBytes.length },
      detailsChecksum,
    };
    const headerBytes = encoder.encode(JSON.stringify(header));
    const parts: ArrayBufferView[] = [patternStarts, hashes, accounts, levels, patternBytes];
    let length = align4(4 + headerBytes.length);
    const offsets = parts.map((part) => {
      const at = length;
      length = align4(length + part.byteLength);
      return at;
    });
    // The last part ends the buffer exactly (fromBody checks it), padding only between parts.
    length = offsets.at(-1)! + patternBytes.byteLength;
    const body = new ArrayBuffer(length);
    const bytes = new Uint8Array(body);
    new DataView(body).setUint32(0, headerBytes.length, true);
    bytes.set(headerBytes, 4);
    parts.forEach((part, index) => bytes.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), offsets[index]));
    return body;
  }

  patternAt(at: number): string {
    const { patternBytes, patternStarts } = this.#columns;
    return decodeRange(patternBytes, patternStarts[at]!, patternStarts[at + 1]! - 1);
  }

  levelAt(at: number): ListLevel {
    return LIST_LEVELS[this.#columns.levels[at]!]!;
  }

  /** `.example.com`: that host only, not its subdomains. */
  isExactHostOnlyAt(at: number): boolean {
    return this.#columns.patternBytes[this.#columns.patternStarts[at]!] === DOT;
  }

  /** The entry's category, reason, evidence and added date, as far as it has them. */
  detailsAt(at: number): EntryDetails {
    if (this.#details === null) return {};
    if (!('detailBytes' in this.#details)) {
      const { category, reason, evidence, added } = this.#details[at]!;
      return { ...(category !== undefined && { category }), ...(reason !== undefined && { reason }), ...(evidence !== undefined && { evidence }), ...(added !== undefined && { added }) };
    }
    const { detailBytes, detailStarts } = this.#details;
    const start = detailStarts[at]!;
    const end = detailStarts[at + 1]! - 1;
    return end > start ? (JSON.parse(decodeRange(detailBytes, start, end)) as EntryDetails) : {};
  }

  entryAt(at: number): ListEntry {
    return { pattern: this.patternAt(at), level: this.levelAt(at), ...this.detailsAt(at) };
  }

  /** Every entry, in list order (for the CLI, exports and tests; lookups never need it). */
  toEntries(): ListEntry[] {
    return Array.from({ length: this.count }, (_, at) => this.entryAt(at));
  }

  /** Serialises as the plain list it stands for (exports, logs and tests compare lists that way). */
  toJSON(): RelayList {
    return { ...metaOf(this), entries: this.toEntries() };
  }

  /** Every pattern text in list order, decoded at once. */
  patterns(): string[] {
    if (this.count === 0) return [];
    const text = decoder.decode(this.#columns.patternBytes);
    return text.slice(0, -1).split('\n');
  }

  /** The gateway account entries, parsed on first use (few in any list). */
  accountEntries(): readonly AccountEntry[] {
    this.#accountEntries ??= Array.from(this.#columns.accounts, (at) => {
      const pattern = this.patternAt(at);
      const slash = pattern.indexOf('/');
      return { host: pattern.slice(0, slash), pathPrefix: pattern.slice(slash), at };
    });
    return this.#accountEntries;
  }

  /**
   * The pattern host's hash of every entry, by entry index (0 for account entries): what the
   * matcher builds its table from without hashing a pattern again.
   */
  entryHashes(): Int32Array {
    return this.#columns.hashes;
  }

  /** Whether entry `at`'s pattern host (without its leading dot) equals `host.slice(offset)`. */
  hostIs(at: number, host: string, offset: number): boolean {
    const { patternBytes, patternStarts } = this.#columns;
    let start = patternStarts[at]!;
    const end = patternStarts[at + 1]! - 1;
    if (patternBytes[start] === DOT) start++;
    if (end - start !== host.length - offset) return false;
    for (let i = 0; i < end - start; i++) if (patternBytes[start + i] !== host.charCodeAt(offset + i)) return false;
    return true;
  }

  #detailColumns(): DetailColumns {
    if (this.#details === null) throw new Error('this list\'s details have not been read');
    if ('detailBytes' in this.#details) return this.#details;
    let text = '';
    for (const entry of this.#details) text += `${detailsLine(entry)}\n`;
    const detailBytes = encoder.encode(text);
    return { detailBytes, detailStarts: lineStarts(detailBytes, this.count) };
  }
}

const LEVEL_INDEX: Readonly<Record<ListLevel, number>> = { official: LIST_LEVELS.indexOf('official'), vetted: LIST_LEVELS.indexOf('vetted'), blocked: LIST_LEVELS.indexOf('blocked') };

interface StoredHeader {
  readonly meta: ListMeta;
  readonly count: number;
  readonly hasSingleLabelKey: boolean;
  readonly sizes: { readonly accounts: number; readonly patternBytes: number };
  readonly detailsChecksum: string;
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff;
const isOptionalString = (value: unknown) => value === undefined || typeof value === 'string';

/** The header's shape, checked by hand: it was written by toBody and vouched for by the checksum, so this only guards the arithmetic. */
function readHeader(value: unknown): StoredHeader | null {
  if (typeof value !== 'object' || value === null) return null;
  const { meta, count, hasSingleLabelKey, sizes, detailsChecksum } = value as Partial<Record<keyof StoredHeader, unknown>>;
  if (typeof meta !== 'object' || meta === null || typeof sizes !== 'object' || sizes === null) return null;
  const { name, version, updated, homepage, reportUrl } = meta as Partial<Record<keyof ListMeta, unknown>>;
  const { accounts, patternBytes } = sizes as Partial<Record<keyof StoredHeader['sizes'], unknown>>;
  if (typeof name !== 'string' || typeof version !== 'string' || typeof updated !== 'string' || !isOptionalString(homepage) || !isOptionalString(reportUrl)) return null;
  if (!isCount(count) || typeof hasSingleLabelKey !== 'boolean' || !isCount(accounts) || !isCount(patternBytes) || typeof detailsChecksum !== 'string') return null;
  return {
    meta: { name, version, updated, ...(homepage !== undefined && { homepage: homepage as string }), ...(reportUrl !== undefined && { reportUrl: reportUrl as string }) },
    count,
    hasSingleLabelKey,
    sizes: { accounts, patternBytes },
    detailsChecksum,
  };
}

/** Only what a list says of itself (a RelayList or an IndexedList), in a fixed order. */
function metaOf(list: ListMeta): ListMeta {
  return {
    name: list.name,
    version: list.version,
    updated: list.updated,
    ...(list.homepage !== undefined && { homepage: list.homepage }),
    ...(list.reportUrl !== undefined && { reportUrl: list.reportUrl }),
  };
}

/** Only the fields that are set, in a fixed order, so the same entry always packs the same. */
function detailsLine({ category, reason, evidence, added }: EntryDetails): string {
  if (category === undefined && reason === undefined && evidence === undefined && added === undefined) return '';
  return JSON.stringify({ category, reason, evidence, added });
}

/** count + 1 offsets of `count` lines each ending in `\n` (UTF-8 never has that byte inside a character). */
function lineStarts(bytes: Uint8Array, count: number): Uint32Array {
  const starts = new Uint32Array(count + 1);
  let line = 1;
  for (let i = bytes.indexOf(NEWLINE); i !== -1 && line <= count; i = bytes.indexOf(NEWLINE, i + 1)) starts[line++] = i + 1;
  return starts;
}

function decodeRange(bytes: Uint8Array, start: number, end: number): string {
  // Patterns are nearly always ASCII: build short strings directly, leave the rest to the decoder.
  if (end - start <= 64) {
    let ascii = true;
    for (let i = start; i < end; i++) if (bytes[i]! > 0x7f) ascii = false;
    if (ascii) return String.fromCharCode(...bytes.subarray(start, end));
  }
  return decoder.decode(bytes.subarray(start, end));
}

function align4(offset: number): number {
  return (offset + 3) & ~3;
}
