import { err, ok, type Result } from '../core/result.ts';
import { LIST_LEVELS, type ListEntry, type ListLevel, type RelayList } from './list-schema.ts';

/**
 * The compact, canonical form a list is stored in once it passed validation at the door
 * (download or import). Loading it back costs a checksum and a few string splits, never a
 * second validation: at 100k entries zod re-validation took a second of every worker start.
 *
 * Columns, one row per entry in list order:
 * - `patterns`: the canonical pattern texts joined by `\n` (a validated pattern has no `\n`);
 * - `levels`: one character per entry (`o` official, `v` vetted, `b` blocked);
 * - `details`: per entry the JSON of its other fields (category, reason, evidence, added), or an
 *   empty line when it has none, joined by `\n` (JSON text escapes every `\n`). An entry's
 *   details are parsed only when a hit needs them.
 * `checksum` is the SHA-256 of all of it (form, meta, columns); a record that fails it, or has
 * another `form`, is never used.
 */

/** Bump when the columns change; a record of any other form is dropped and downloaded again. */
export const STORED_LIST_FORM = 2;

export interface PackedList {
  readonly form: number;
  readonly name: string;
  readonly version: string;
  readonly updated: string;
  readonly homepage?: string;
  readonly reportUrl?: string;
  readonly count: number;
  readonly patterns: string;
  readonly levels: string;
  readonly details: string;
  /** Lowercase hex SHA-256 of `checksumInput`. */
  readonly checksum: string;
}

const LEVEL_CODES: Readonly<Record<ListLevel, string>> = { official: 'o', vetted: 'v', blocked: 'b' };
const LEVEL_OF_CODE: Readonly<Record<string, ListLevel>> = Object.fromEntries(LIST_LEVELS.map((level) => [LEVEL_CODES[level], level]));

type EntryDetails = Pick<ListEntry, 'category' | 'reason' | 'evidence' | 'added'>;

/** Packs an already validated list (parseList's output). */
export async function packList(list: RelayList): Promise<PackedList> {
  const patterns: string[] = [];
  let levels = '';
  const details: string[] = [];
  for (const { pattern, level, ...rest } of list.entries) {
    patterns.push(pattern);
    levels += LEVEL_CODES[level];
    details.push(detailsLine(rest));
  }
  const unsigned = {
    form: STORED_LIST_FORM,
    name: list.name,
    version: list.version,
    updated: list.updated,
    ...(list.homepage !== undefined && { homepage: list.homepage }),
    ...(list.reportUrl !== undefined && { reportUrl: list.reportUrl }),
    count: list.entries.length,
    patterns: patterns.join('\n'),
    levels,
    details: details.join('\n'),
  };
  return { ...unsigned, checksum: await sha256Hex(checksumInput(unsigned)) };
}

/**
 * The list a stored record holds, or why it cannot be used (another form, a failed checksum, a
 * malformed record). Trusts the content once the checksum holds: it was validated when stored.
 */
export async function unpackList(record: unknown): Promise<Result<RelayList, string>> {
  if (typeof record !== 'object' || record === null) return err('the stored list is missing');
  const packed = record as Partial<Record<keyof PackedList, unknown>>;
  if (packed.form !== STORED_LIST_FORM) return err(`the stored list has form ${String(packed.form)}, this version of RelayGuard reads form ${STORED_LIST_FORM}`);
  const { name, version, updated, homepage, reportUrl, count, patterns, levels, details, checksum } = packed;
  if (
    typeof name !== 'string' ||
    typeof version !== 'string' ||
    typeof updated !== 'string' ||
    (homepage !== undefined && typeof homepage !== 'string') ||
    (reportUrl !== undefined && typeof reportUrl !== 'string') ||
    typeof count !== 'number' ||
    typeof patterns !== 'string' ||
    typeof levels !== 'string' ||
    typeof details !== 'string' ||
    typeof checksum !== 'string'
  ) {
    return err('the stored list is malformed');
  }
  const unsigned = {
    form: STORED_LIST_FORM,
    name,
    version,
    updated,
    ...(homepage !== undefined && { homepage }),
    ...(reportUrl !== undefined && { reportUrl }),
    count,
    patterns,
    levels,
    details,
  };
  if ((await sha256Hex(checksumInput(unsigned))) !== checksum) return err('the stored list failed its checksum (damaged on disk)');

  const patternColumn = count === 0 ? [] : patterns.split('\n');
  const detailColumn = count === 0 ? [] : details.split('\n');
  if (patternColumn.length !== count || detailColumn.length !== count || levels.length !== count) return err('the stored list is malformed');
  const entries: ListEntry[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const level = LEVEL_OF_CODE[levels[i]!];
    if (level === undefined) return err('the stored list is malformed');
    entries[i] = detailColumn[i] === '' ? { pattern: patternColumn[i]!, level } : new StoredEntry(patternColumn[i]!, level, detailColumn[i]!);
  }
  return ok({ name, version, updated, ...(homepage !== undefined && { homepage }), ...(reportUrl !== undefined && { reportUrl }), entries });
}

/**
 * An entry with details, parsed on first read: at start-up only patterns and levels are needed.
 * `toJSON` keeps it serialisable as the plain entry it stands for.
 */
class StoredEntry implements ListEntry {
  readonly pattern: string;
  readonly level: ListLevel;
  #line: string;
  #details: EntryDetails | null = null;

  constructor(pattern: string, level: ListLevel, line: string) {
    this.pattern = pattern;
    this.level = level;
    this.#line = line;
  }

  get category(): string | undefined {
    return this.#read().category;
  }
  get reason(): string | undefined {
    return this.#read().reason;
  }
  get evidence(): string[] | undefined {
    return this.#read().evidence;
  }
  get added(): string | undefined {
    return this.#read().added;
  }

  toJSON(): ListEntry {
    return { pattern: this.pattern, level: this.level, ...this.#read() };
  }

  #read(): EntryDetails {
    if (this.#details === null) {
      this.#details = JSON.parse(this.#line) as EntryDetails;
      this.#line = '';
    }
    return this.#details;
  }
}

/** Only the fields that are set, in a fixed order, so the same entry always packs the same. */
function detailsLine(rest: EntryDetails): string {
  const { category, reason, evidence, added } = rest;
  if (category === undefined && reason === undefined && evidence === undefined && added === undefined) return '';
  return JSON.stringify({ category, reason, evidence, added });
}

function checksumInput(unsigned: Omit<PackedList, 'checksum'>): string {
  // reportUrl joins the meta only when set, so records stored before it existed keep their checksum.
  const meta = JSON.stringify([
    unsigned.form,
    unsigned.name,
    unsigned.version,
    unsigned.updated,
    unsigned.homepage ?? null,
    unsigned.count,
    ...(unsigned.reportUrl !== undefined ? [unsigned.reportUrl] : []),
  ]);
  return `${meta}\n${unsigned.levels}\n${unsigned.patterns}\n${unsigned.details}`;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
