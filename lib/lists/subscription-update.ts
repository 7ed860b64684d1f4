import { parseListJson, type RelayList } from './list-schema.ts';
import type { ListProblem } from './list-problem.ts';
import { verifyListSignature } from './minisign.ts';
import { decodeUtf8, downloadList, downloadSignature, DOWNLOAD_LIMITS, type DownloadLimits, type Validators } from './subscriptions.ts';

/**
 * One update of a subscribed list, from the network to a validated list, in the order the checks
 * must run: download (conditional), then, with keys pinned, the signature over the exact bytes,
 * then UTF-8 and the schema. Nothing is stored here; the outcome says what to store.
 */

export interface UpdateTarget extends Validators {
  readonly url: string;
  /** Pinned minisign public keys; none means the list need not be signed. */
  readonly publicKeys: readonly string[];
}

export type UpdateOutcome =
  | { readonly kind: 'not-modified' }
  | {
      readonly kind: 'updated';
      readonly list: RelayList;
      readonly etag?: string;
      readonly lastModified?: string;
      readonly signedBy?: { readonly keyId: string; readonly trustedComment: string };
    }
  | { readonly kind: 'failed'; readonly problem: ListProblem };

export async function fetchListUpdate(target: UpdateTarget, fetchImpl: typeof fetch = fetch, limits: DownloadLimits = DOWNLOAD_LIMITS): Promise<UpdateOutcome> {
  const download = await downloadList(target.url, target, fetchImpl, limits);
  if (download.kind !== 'downloaded') return download;
  const { bytes, etag, lastModified } = download;
  const validators = { ...(etag && { etag }), ...(lastModified && { lastModified }) };

  let signedBy: { keyId: string; trustedComment: string } | undefined;
  if (target.publicKeys.length > 0) {
    const signature = await downloadSignature(target.url, fetchImpl, limits);
    if (signature.kind === 'failed') return signature;
    const verified = await verifyListSignature({ listBytes: bytes, signatureText: signature.kind === 'found' ? signature.text : null, publicKeys: target.publicKeys });
    if (!verified.ok) {
      const { code, message, where } = verified.error;
      return { kind: 'failed', problem: { code, message, ...(where !== undefined && { detail: where }) } };
    }
    signedBy = { keyId: verified.value.keyIdHex, trustedComment: verified.value.trustedComment };
  }

  const text = decodeUtf8(bytes);
  if (text === null) return { kind: 'failed', problem: { code: 'not-utf8', message: 'The list is not UTF-8 text.' } };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    return { kind: 'failed', problem: { code: 'invalid-json', message: 'The list is not valid JSON.', detail: (cause instanceof Error ? cause.message : String(cause)).slice(0, 300) } };
  }
  const parsed = parseListJson(json);
  if (!parsed.ok) {
    const { message, issues } = parsed.error;
    return { kind: 'failed', problem: { code: 'invalid-list', message, ...(issues[0] !== undefined && { detail: issues[0] }) } };
  }
  return { kind: 'updated', list: parsed.value, ...validators, ...(signedBy && { signedBy }) };
}
