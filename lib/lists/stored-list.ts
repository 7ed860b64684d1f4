import { err, type Result } from '../core/result.ts';
import { IndexedList } from './indexed-list.ts';

/**
 * The form a list is stored in once it passed validation at the door (download or import): the
 * matcher's own tables in one ArrayBuffer (indexed-list.ts), with a SHA-256 checksum over all of
 * it. Loading it back costs a copy out of IndexedDB and that checksum, never a second validation
 * or a compile: at 100k entries zod re-validation took a second of every worker start. A record
 * that fails its checksum, or has another `form`, is never used (the caller drops it and
 * downloads the list again).
 */

/** Bump when the layout or the table's hash changes; a record of any other form is dropped and downloaded again. */
export const STORED_LIST_FORM = 3;

export interface PackedList {
  readonly form: number;
  /** Lowercase hex SHA-256 of `body`. */
  readonly checksum: string;
  /** IndexedList.toBody(): metadata, columns and hash table. */
  readonly body: ArrayBuffer;
}

/** Packs an indexed list (built from parseList's output). */
export async function packList(list: IndexedList): Promise<PackedList> {
  const body = list.toBody();
  return { form: STORED_LIST_FORM, checksum: await sha256Hex(body), body };
}

/**
 * The list a stored record holds, or why it cannot be used (another form, a failed checksum, a
 * malformed record). Trusts the content once the checksum holds: it was validated when stored.
 */
export async function unpackList(record: unknown): Promise<Result<IndexedList, string>> {
  if (typeof record !== 'object' || record === null) return err('the stored list is missing');
  const { form, checksum, body } = record as Partial<Record<keyof PackedList, unknown>>;
  if (form !== STORED_LIST_FORM) return err(`the stored list has form ${String(form)}, this version of RelayGuard reads form ${STORED_LIST_FORM}`);
  if (typeof checksum !== 'string' || !isArrayBuffer(body)) return err('the stored list is malformed');
  if ((await sha256Hex(body)) !== checksum) return err('the stored list failed its checksum (damaged on disk)');
  return IndexedList.fromBody(body);
}

/** A realm-independent check: IndexedDB (or a test's fake of it) may hand back another realm's ArrayBuffer. */
function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
