import { err, ok, type Result } from '../core/result.ts';
import type { FetchedList } from './list-store.ts';

/**
 * Downloads a subscribed list. The only network requests RelayGuard makes on its own are these,
 * to URLs a person or administrator configured. Conditional headers keep refreshes cheap; the
 * body is returned as untrusted text for list-store to validate.
 */

export const MAX_LIST_BYTES = 32 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

export interface PreviousFetch {
  readonly etag?: string;
  readonly lastModified?: string;
}

export type FetchOutcome = { notModified: true; at: number } | ({ notModified: false } & FetchedList);

export async function downloadList(
  url: string,
  previous: PreviousFetch = {},
  fetchImpl: typeof fetch = fetch,
  now: () => number = Date.now,
): Promise<FetchOutcome> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (previous.etag) headers['if-none-match'] = previous.etag;
  if (previous.lastModified) headers['if-modified-since'] = previous.lastModified;
  const failed = (message: string): FetchOutcome => ({ notModified: false, url, body: err(message), at: now() });

  let response: Response;
  try {
    response = await fetchImpl(url, {
      headers,
      credentials: 'omit',
      cache: 'no-cache',
      redirect: 'follow',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (cause) {
    const reason = cause instanceof Error && cause.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : 'the server could not be reached';
    return failed(`Could not download the list: ${reason}.`);
  }
  if (response.status === 304) return { notModified: true, at: now() };
  if (!response.ok) {
    await response.body?.cancel(); // free the connection now, not at the timeout
    return failed(`Could not download the list: the server answered ${response.status}.`);
  }

  const body = await readLimited(response);
  if (!body.ok) return failed(body.error);
  return {
    notModified: false,
    url,
    body,
    at: now(),
    ...(response.headers.get('etag') && { etag: response.headers.get('etag')! }),
    ...(response.headers.get('last-modified') && { lastModified: response.headers.get('last-modified')! }),
  };
}

/** Reads at most MAX_LIST_BYTES, so a hostile or broken server cannot exhaust memory. */
async function readLimited(response: Response): Promise<Result<string, string>> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > MAX_LIST_BYTES) {
    // Release the connection now rather than leave it open until the timeout aborts it.
    await response.body?.cancel();
    return err(`The list is larger than ${MAX_LIST_BYTES / 1024 / 1024} MB.`);
  }
  if (!response.body) return ok(await response.text());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_LIST_BYTES) {
      await reader.cancel();
      return err(`The list is larger than ${MAX_LIST_BYTES / 1024 / 1024} MB.`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return ok(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return err('The list is not UTF-8 text.');
  }
}
