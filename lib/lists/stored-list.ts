import { err, type Result } from '../core/result.ts';
import { IndexedList } from './indexed-list.ts';

/**
 * The form a list is stored in once it passed validation at the door (download or import): the
 * matcher's own columns in one ArrayBuffer (indexed-list.ts) with a SHA-256 checksum over all of
 * it, and the entries' details (category, reason, evidence) in a second buffer whose SHA-256 the
 * table's header holds. Loading the table back costs a copy out of IndexedDB and that checksum,
 * never a second validation or a compile: at 100k entries zod re-validation took a second of every
 * worker start. Details are most of a list's bytes and no decision needs them, so they are read
 * after the table. A record that fails its checksum, or has another `form`, is never used (the
 * caller drops it and downloads the list again).
 */

/** Bump when a layout or the table's hash changes; a record of any other form is dropped and downloaded again. */
export const STORED_LIST_FORM = 5;

export interface PackedList {
  readonly form: number;
  /** Lowercase hex SHA-256 of `body`. */
  readonly checksum: string;
  /** IndexedList.toBody(): metadata, columns (patterns, levels, hashes), and the details' checksum. */
  readonly body: ArrayBuffer;
}

export interface PackedDetails {
  readonly form: number;
  /** IndexedList.detailsBody(); its SHA-256 is in the table's header. */
  readonly body: ArrayBuffer;
}

/** Packs an indexed list (built from parseList's output): its table and its details. */
export async function packList(list: IndexedList): Promise<{ readonly table: PackedList; readonly details: PackedDetails }> {
  const detailsBody = list.detailsBody();
  const body = list.toBody(await sha256Hex(detailsBody));
  return { table: { form: STORED_LIST_FORM, checksum: await sha256Hex(body), body }, details: { form: STORED_LIST_FORM, body: detailsBody } };
}

/**
 * The list a stored table holds, or why it cannot be used (another form, a failed checksum, a
 * malformed record). Trusts the content once the checksum holds: it was validated when stored.
 * Its details come later, with unpackDetails.
 */
export async function unpackList(record: unknown): Promise<Result<IndexedList, string>> {
  if (typeof record !== 'object' || record === null) return err('the stored list is missing');
  const { form, checksum, body } = record as Partial<Record<keyof PackedList, unknown>>;
  if (form !== STORED_LIST_FORM) return err(`the stored list has form ${String(form)}, this version of RelayGuard reads form ${STORED_LIST_FORM}`);
  if (typeof checksum !== 'string' || !isArrayBuffer(body)) return err('the stored list is malformed');
  if ((await sha256Hex(body)) !== checksum) return err('the stored list failed its checksum (damaged on disk)');
  return IndexedList.fromBody(body);
}

/** Gives `list` (from unpackList) its stored details, or says why they cannot be used. */
export async function unpackDetails(record: unknown, list: IndexedList): Promise<Result<void, string>> {
  if (typeof record !== 'object' || record === null) return err('its details are missing');
  const { form, body } = record as Partial<Record<keyof PackedDetails, unknown>>;
  if (form !== STORED_LIST_FORM || !isArrayBuffer(body)) return err('its details are malformed');
  if ((await sha256Hex(body)) !== list.detailsChecksum) return err('its details failed their checksum (damaged on disk)');
  return list.attachDetails(body);
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
