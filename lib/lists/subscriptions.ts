import { MAX_SIGNATURE_FILE_CHARS, signatureUrlOf } from './minisign.ts';
import type { ListProblem } from './list-problem.ts';

/**
 * Downloads a subscribed list and its signature. The only network requests RelayGuard makes on
 * its own are these, to URLs a person or administrator configured. Conditional headers keep
 * refreshes cheap; the body comes back as untrusted bytes (a signature covers bytes, not text).
 * Nothing here throws: every way a download can go wrong is a ListProblem.
 */

/**
 * Sized for the largest list RelayGuard supports, one million entries: the bench's realistic
 * 1M-entry list (tests/bench/generate.ts: evidence on every blocked entry, reasons and categories
 * on some) is 130 MiB as JSON; 192 MiB leaves room for longer reasons and evidence.
 */
const MAX_LIST_BYTES = 192 * 1024 * 1024;

export interface DownloadLimits {
  readonly maxBytes: number;
  /** The response's status and headers must arrive within this long. */
  readonly answerMs: number;
  /** Once the body flows, no gap between two chunks may be longer than this. */
  readonly stallMs: number;
  /** The whole download, body included. */
  readonly totalMs: number;
}

export const DOWNLOAD_LIMITS: DownloadLimits = { maxBytes: MAX_LIST_BYTES, answerMs: 30_000, stallMs: 30_000, totalMs: 5 * 60_000 };

export interface Validators {
  readonly etag?: string | undefined;
  readonly lastModified?: string | undefined;
}

export type DownloadOutcome =
  | { readonly kind: 'not-modified' }
  | { readonly kind: 'downloaded'; readonly bytes: Uint8Array; readonly etag?: string; readonly lastModified?: string }
  | { readonly kind: 'failed'; readonly problem: ListProblem };

const MIB = 1024 * 1024;
const sizeText = (bytes: number) => (bytes >= MIB ? `${Math.round(bytes / MIB)} MB` : `${Math.round(bytes / 1024)} KB`);

/** GET `url` with the previous validators (a 304 keeps the stored list), reading at most `limits.maxBytes`. */
export async function downloadList(url: string, previous: Validators = {}, fetchImpl: typeof fetch = fetch, limits: DownloadLimits = DOWNLOAD_LIMITS): Promise<DownloadOutcome> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (previous.etag) headers['if-none-match'] = previous.etag;
  if (previous.lastModified) headers['if-modified-since'] = previous.lastModified;
  const fetched = await boundedGet(url, headers, fetchImpl, limits, 'list');
  if (fetched.kind !== 'answered') return fetched;
  const { response, read, discard } = fetched;
  if (response.status === 304) {
    await discard();
    return { kind: 'not-modified' };
  }
  if (!response.ok) {
    await discard(); // free the connection now, not at the timeout
    return failed('http-status', `Could not download the list: the server answered ${response.status}.`, String(response.status));
  }
  const body = await read();
  if (body.kind === 'failed') return body;
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  return { kind: 'downloaded', bytes: body.bytes, ...(etag && { etag }), ...(lastModified && { lastModified }) };
}

export type SignatureOutcome = { readonly kind: 'found'; readonly text: string } | { readonly kind: 'missing' } | { readonly kind: 'failed'; readonly problem: ListProblem };

/**
 * The list's minisign signature from `U.minisig`. A 404 is no error of the download: the list is
 * then unsigned, which verification refuses with `unsigned` when a key is pinned.
 */
export async function downloadSignature(listUrl: string, fetchImpl: typeof fetch = fetch, limits: DownloadLimits = DOWNLOAD_LIMITS): Promise<SignatureOutcome> {
  const fetched = await boundedGet(signatureUrlOf(listUrl), {}, fetchImpl, { ...limits, maxBytes: MAX_SIGNATURE_FILE_CHARS }, 'signature');
  if (fetched.kind !== 'answered') return fetched;
  const { response, read, discard } = fetched;
  if (response.status === 404 || response.status === 410) {
    await discard();
    return { kind: 'missing' };
  }
  if (!response.ok) {
    await discard();
    return failed('http-status', `Could not download the signature: the server answered ${response.status}.`, String(response.status));
  }
  const body = await read();
  if (body.kind === 'failed') return body;
  const text = decodeUtf8(body.bytes);
  return text === null ? failed('not-utf8', 'The signature is not UTF-8 text.') : { kind: 'found', text };
}

/** Strict UTF-8, as JSON requires; null for anything else. A leading byte-order mark is dropped (JSON.parse would refuse it). */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function failed(code: ListProblem['code'], message: string, detail?: string): { kind: 'failed'; problem: ListProblem } {
  return { kind: 'failed', problem: { code, message, ...(detail !== undefined && { detail }) } };
}

interface Answered {
  readonly kind: 'answered';
  readonly response: Response;
  readonly read: () => Promise<{ kind: 'read'; bytes: Uint8Array } | { kind: 'failed'; problem: ListProblem }>;
  readonly discard: () => Promise<void>;
}

/**
 * One GET under three clocks (answer, stall, total) and a size cap. Every timer ends in an abort
 * that the caller sees as a `timeout` problem, whether it fired before the answer or mid-body:
 * a slow server never leaves an exception or an open connection behind.
 */
async function boundedGet(url: string, headers: Record<string, string>, fetchImpl: typeof fetch, limits: DownloadLimits, what: 'list' | 'signature'): Promise<Answered | { kind: 'failed'; problem: ListProblem }> {
  const controller = new AbortController();
  let timedOut: string | null = null;
  const abortAfter = (ms: number, why: string) =>
    setTimeout(() => {
      timedOut = why;
      controller.abort();
    }, ms);
  const total = abortAfter(limits.totalMs, `the download took longer than ${limits.totalMs / 1000} s`);
  let stall = abortAfter(limits.answerMs, `no answer within ${limits.answerMs / 1000} s`);
  const done = () => {
    clearTimeout(total);
    clearTimeout(stall);
  };
  const Noun = what === 'list' ? 'list' : 'signature';
  const problemOf = (cause: unknown): ListProblem =>
    timedOut !== null
      ? { code: 'timeout', message: `Could not download the ${Noun}: ${timedOut}.` }
      : { code: 'unreachable', message: `Could not download the ${Noun}: the server could not be reached.`, ...(cause instanceof Error && { detail: cause.message }) };

  let response: Response;
  try {
    response = await fetchImpl(url, { headers, credentials: 'omit', cache: 'no-cache', redirect: 'follow', signal: controller.signal });
  } catch (cause) {
    done();
    return { kind: 'failed', problem: problemOf(cause) };
  }
  clearTimeout(stall);
  const release = async () => {
    done();
    await response.body?.cancel().catch(() => undefined);
  };
  const tooLarge = (): ListProblem => ({ code: 'too-large', message: `The ${Noun} is larger than ${sizeText(limits.maxBytes)}.`, detail: sizeText(limits.maxBytes) });

  const read: Answered['read'] = async () => {
    const declared = Number(response.headers.get('content-length'));
    if (declared > limits.maxBytes) {
      // Release the connection now rather than leave it open until a timer aborts it.
      await release();
      return { kind: 'failed', problem: tooLarge() };
    }
    if (!response.body) {
      done();
      return { kind: 'read', bytes: new Uint8Array(0) };
    }
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        stall = abortAfter(limits.stallMs, `the server stopped sending for ${limits.stallMs / 1000} s`);
        const { done: finished, value } = await reader.read();
        clearTimeout(stall);
        if (finished) break;
        size += value.byteLength;
        if (size > limits.maxBytes) {
          done();
          await reader.cancel().catch(() => undefined);
          return { kind: 'failed', problem: tooLarge() };
        }
        chunks.push(value);
      }
    } catch (cause) {
      done();
      await reader.cancel().catch(() => undefined);
      return { kind: 'failed', problem: problemOf(cause) };
    }
    done();
    return { kind: 'read', bytes: concat(chunks, size) };
  };
  // A body nobody reads (304, an error status) must not keep the connection or the clocks running.
  return { kind: 'answered', response, read, discard: release };
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
