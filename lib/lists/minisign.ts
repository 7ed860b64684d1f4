import { blake2b } from '@noble/hashes/blake2.js';
import { err, ok, type Result } from '../core/result.ts';

/**
 * minisign signatures, the format list maintainers already use (docs/minisign.md has the byte
 * layout). Verification only needs WebCrypto's Ed25519 (Node 24, Chromium, Firefox) and BLAKE2b
 * from @noble/hashes for the default prehashed algorithm. Every input here is untrusted: each
 * function returns a Result, never throws, and refuses oversized input before doing any work.
 *
 * About 380 lines, kept in one file: parsing keys and signatures and verifying both algorithms
 * share one byte layout and one set of limits; every step is a small named function.
 */

/** `Ed`: Ed25519 over the message itself (minisign -l); `ED`: Ed25519 over its BLAKE2b-512 (the default). */
export type MinisignAlgorithm = 'legacy' | 'prehashed';

export type MinisignErrorCode =
  | 'unsigned'
  | 'no-public-key'
  | 'malformed-public-key'
  | 'malformed-signature'
  | 'too-large'
  | 'key-id-mismatch'
  | 'bad-signature'
  | 'bad-trusted-comment-signature'
  | 'no-ed25519';

export interface MinisignError {
  /** Stable, for code and translated messages; `message` is an English explanation for logs and the CLI. */
  readonly code: MinisignErrorCode;
  readonly message: string;
  /** For malformed input: which part (`line 2 (signature)`, `publicKeys[1]`). */
  readonly where?: string;
}

export interface MinisignPublicKey {
  /** 8 bytes, as stored. */
  readonly keyId: Uint8Array;
  /** The id as minisign prints it (`E645E551FD85EDB6`): the little-endian number in upper-case hex. */
  readonly keyIdHex: string;
  /** 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
}

export interface MinisignSignature {
  readonly algorithm: MinisignAlgorithm;
  readonly keyId: Uint8Array;
  readonly keyIdHex: string;
  /** 64-byte Ed25519 signature over the message (legacy) or its BLAKE2b-512 (prehashed). */
  readonly signature: Uint8Array;
  /** Free text anyone can change; never show it as verified. */
  readonly untrustedComment: string;
  /** Signed together with the signature; trustworthy only after verification. */
  readonly trustedComment: string;
  /** 64-byte Ed25519 signature over `signature ‖ trustedComment` (UTF-8). */
  readonly globalSignature: Uint8Array;
}

export interface VerifiedSignature {
  readonly algorithm: MinisignAlgorithm;
  readonly keyIdHex: string;
  readonly trustedComment: string;
}

export const UNTRUSTED_COMMENT_PREFIX = 'untrusted comment: ';
export const TRUSTED_COMMENT_PREFIX = 'trusted comment: ';
/** minisign's own limits (COMMENTMAXBYTES, TRUSTEDCOMMENTMAXBYTES). */
export const MAX_UNTRUSTED_COMMENT_BYTES = 1024;
export const MAX_TRUSTED_COMMENT_BYTES = 8192;
/** A signature file is four short lines; anything much longer is not one. */
export const MAX_SIGNATURE_FILE_CHARS = 16 * 1024;
const MAX_PUBLIC_KEY_TEXT_CHARS = 4 * 1024;
/** Pinning is for a handful of maintainers' keys; a long array is a mistake, not a policy. */
export const MAX_PINNED_KEYS = 32;
/** Above the subscription download cap with room to grow; hashing is linear, this bounds it. */
const MAX_SIGNED_MESSAGE_BYTES = 256 * 1024 * 1024;

const KEY_ID_BYTES = 8;
const PUBLIC_KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;
const PUBLIC_KEY_BLOB_BYTES = 2 + KEY_ID_BYTES + PUBLIC_KEY_BYTES; // "Ed" ‖ key id ‖ key
const SIGNATURE_BLOB_BYTES = 2 + KEY_ID_BYTES + SIGNATURE_BYTES; // "Ed"/"ED" ‖ key id ‖ signature

const utf8 = new TextEncoder();

const fail = (code: MinisignErrorCode, message: string, where?: string): { ok: false; error: MinisignError } =>
  err(where === undefined ? { code, message } : { code, message, where });

/** Strict standard base64 (padding required, no whitespace), as minisign writes it. */
export function decodeBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** minisign prints a key id as the little-endian 64-bit number it stores, in upper-case hex. */
export function formatKeyId(keyId: Uint8Array): string {
  let hex = '';
  for (let i = keyId.length - 1; i >= 0; i--) hex += keyId[i]!.toString(16).padStart(2, '0');
  return hex.toUpperCase();
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

function algorithmOf(blob: Uint8Array): MinisignAlgorithm | null {
  if (blob[0] !== 0x45) return null; // 'E'
  if (blob[1] === 0x64) return 'legacy'; // 'd'
  if (blob[1] === 0x44) return 'prehashed'; // 'D'
  return null;
}

/** Lines without their line ending (LF or CRLF), trailing blank lines dropped. */
function linesOf(text: string): string[] {
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines;
}

/**
 * A minisign public key: either the base64 line alone (what `minisign -P` takes and what a
 * subscription pins) or the whole `minisign.pub` file with its untrusted comment line.
 */
export function parsePublicKey(text: string): Result<MinisignPublicKey, MinisignError> {
  if (typeof text !== 'string') return fail('malformed-public-key', 'A public key must be text.');
  if (text.length > MAX_PUBLIC_KEY_TEXT_CHARS) {
    return fail('too-large', `A public key is a few dozen characters; this one has ${text.length}.`);
  }
  const lines = linesOf(text.trim());
  let keyLine: string;
  let where: string;
  if (lines.length === 1) {
    keyLine = lines[0]!.trim();
    where = 'key';
  } else if (lines.length === 2 && lines[0]!.startsWith(UNTRUSTED_COMMENT_PREFIX)) {
    keyLine = lines[1]!.trim();
    where = 'line 2 (key)';
  } else {
    return fail(
      'malformed-public-key',
      'A public key is one base64 line, or a minisign.pub file: an "untrusted comment:" line, then the base64 line.',
      lines.length === 0 ? 'key' : 'line 1',
    );
  }
  const blob = decodeBase64(keyLine);
  if (blob === null) return fail('malformed-public-key', 'The key is not valid base64.', where);
  if (blob.length !== PUBLIC_KEY_BLOB_BYTES) {
    return fail('malformed-public-key', `A minisign public key has ${PUBLIC_KEY_BLOB_BYTES} bytes; this one has ${blob.length}.`, where);
  }
  if (algorithmOf(blob) !== 'legacy') {
    return fail('malformed-public-key', 'The key is not an Ed25519 minisign key (it must start with "Ed").', where);
  }
  const keyId = blob.slice(2, 2 + KEY_ID_BYTES);
  return ok({ keyId, keyIdHex: formatKeyId(keyId), publicKey: blob.slice(2 + KEY_ID_BYTES) });
}

/** A `.minisig` file: untrusted comment, signature, trusted comment, global signature. */
export function parseSignature(text: string): Result<MinisignSignature, MinisignError> {
  if (typeof text !== 'string') return fail('malformed-signature', 'A signature must be text.');
  if (text.trim() === '') return fail('unsigned', 'The signature file is empty.');
  if (text.length > MAX_SIGNATURE_FILE_CHARS) {
    return fail('too-large', `A minisign signature file has at most about ${MAX_SIGNATURE_FILE_CHARS / 1024} KB; this one has ${text.length} characters.`);
  }
  const lines = linesOf(text);
  if (lines.length !== 4) {
    return fail('malformed-signature', `A minisign signature file has 4 lines; this one has ${lines.length}.`, 'file');
  }
  const [untrustedLine, signatureLine, trustedLine, globalLine] = lines as [string, string, string, string];
  if (!untrustedLine.startsWith(UNTRUSTED_COMMENT_PREFIX)) {
    return fail('malformed-signature', `The first line must start with "${UNTRUSTED_COMMENT_PREFIX}".`, 'line 1 (untrusted comment)');
  }
  const untrustedComment = untrustedLine.slice(UNTRUSTED_COMMENT_PREFIX.length);
  if (utf8.encode(untrustedComment).length > MAX_UNTRUSTED_COMMENT_BYTES) {
    return fail('malformed-signature', `The untrusted comment is longer than ${MAX_UNTRUSTED_COMMENT_BYTES} bytes.`, 'line 1 (untrusted comment)');
  }

  const blob = decodeBase64(signatureLine.trim());
  if (blob === null) return fail('malformed-signature', 'The signature is not valid base64.', 'line 2 (signature)');
  if (blob.length !== SIGNATURE_BLOB_BYTES) {
    return fail('malformed-signature', `A minisign signature has ${SIGNATURE_BLOB_BYTES} bytes; this one has ${blob.length}.`, 'line 2 (signature)');
  }
  const algorithm = algorithmOf(blob);
  if (algorithm === null) {
    return fail('malformed-signature', 'Unknown signature algorithm: minisign signatures start with "Ed" (legacy) or "ED" (prehashed).', 'line 2 (signature)');
  }

  if (!trustedLine.startsWith(TRUSTED_COMMENT_PREFIX)) {
    return fail('malformed-signature', `The third line must start with "${TRUSTED_COMMENT_PREFIX}".`, 'line 3 (trusted comment)');
  }
  const trustedComment = trustedLine.slice(TRUSTED_COMMENT_PREFIX.length);
  if (utf8.encode(trustedComment).length > MAX_TRUSTED_COMMENT_BYTES) {
    return fail('malformed-signature', `The trusted comment is longer than ${MAX_TRUSTED_COMMENT_BYTES} bytes.`, 'line 3 (trusted comment)');
  }

  const globalSignature = decodeBase64(globalLine.trim());
  if (globalSignature === null) return fail('malformed-signature', 'The trusted comment signature is not valid base64.', 'line 4 (trusted comment signature)');
  if (globalSignature.length !== SIGNATURE_BYTES) {
    return fail(
      'malformed-signature',
      `The trusted comment signature has ${SIGNATURE_BYTES} bytes; this one has ${globalSignature.length}.`,
      'line 4 (trusted comment signature)',
    );
  }

  const keyId = blob.slice(2, 2 + KEY_ID_BYTES);
  return ok({
    algorithm,
    keyId,
    keyIdHex: formatKeyId(keyId),
    signature: blob.slice(2 + KEY_ID_BYTES),
    untrustedComment,
    trustedComment,
    globalSignature,
  });
}

/** What the Ed25519 signature covers: the message (legacy) or its BLAKE2b-512 (prehashed). */
export async function signedPayload(message: Uint8Array, algorithm: MinisignAlgorithm): Promise<Uint8Array> {
  if (algorithm === 'legacy') return message;
  // BLAKE2b in JavaScript runs at tens of MB/s: hash in slices and let other tasks run between
  // them, so a large list never holds the service worker for the whole hash.
  const hash = blake2b.create({ dkLen: 64 });
  for (let offset = 0; offset < message.length; offset += HASH_SLICE_BYTES) {
    hash.update(message.subarray(offset, offset + HASH_SLICE_BYTES));
    if (offset + HASH_SLICE_BYTES < message.length) await nextTask();
  }
  return hash.digest();
}

/** 1 MiB: about 25 ms of hashing on a slow machine. */
const HASH_SLICE_BYTES = 1024 * 1024;

/** Yields to the event loop (timers exist in workers, pages and Node; read at call time). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** What the global signature covers: the signature, then the trusted comment's UTF-8 bytes. */
export function globalPayload(signature: Uint8Array, trustedComment: string): Uint8Array {
  const comment = utf8.encode(trustedComment);
  const payload = new Uint8Array(signature.length + comment.length);
  payload.set(signature);
  payload.set(comment, signature.length);
  return payload;
}

/**
 * WebCrypto takes the view itself; only its type says ArrayBuffer. Never `.buffer`: a Node Buffer
 * or a subarray shares a larger buffer, and signing that would sign the wrong bytes.
 */
export function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

async function ed25519Verify(subtle: SubtleCrypto, key: CryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  try {
    return await subtle.verify({ name: 'Ed25519' }, key, bufferSource(signature), bufferSource(data));
  } catch {
    return false;
  }
}

/** Read at call time: nothing here touches a global on import. */
function webCrypto(): SubtleCrypto | null {
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  return subtle ?? null;
}

/** Verifies one parsed signature of `message` with one parsed key, as `minisign -V` does. */
export async function verifySignature(
  message: Uint8Array,
  signature: MinisignSignature,
  publicKey: MinisignPublicKey,
): Promise<Result<VerifiedSignature, MinisignError>> {
  if (message.length > MAX_SIGNED_MESSAGE_BYTES) {
    return fail('too-large', `The signed file is larger than ${MAX_SIGNED_MESSAGE_BYTES / 1024 / 1024} MB.`);
  }
  if (!sameBytes(signature.keyId, publicKey.keyId)) {
    return fail('key-id-mismatch', `The file was signed with key ${signature.keyIdHex}, not with key ${publicKey.keyIdHex}.`);
  }
  const subtle = webCrypto();
  if (subtle === null) return fail('no-ed25519', 'This environment has no WebCrypto to verify Ed25519 signatures.');
  let key: CryptoKey;
  try {
    key = await subtle.importKey('raw', bufferSource(publicKey.publicKey), { name: 'Ed25519' }, false, ['verify']);
  } catch (cause) {
    if (cause instanceof Error && cause.name === 'NotSupportedError') {
      return fail('no-ed25519', 'This environment cannot verify Ed25519 signatures (WebCrypto has no Ed25519).');
    }
    return fail('malformed-public-key', `The public key ${publicKey.keyIdHex} is not a valid Ed25519 key.`);
  }

  let payload: Uint8Array;
  try {
    payload = await signedPayload(message, signature.algorithm);
  } catch {
    return fail('bad-signature', 'The signed file could not be hashed.');
  }
  if (!(await ed25519Verify(subtle, key, signature.signature, payload))) {
    return fail('bad-signature', `The signature does not match the file: the file was changed after signing, or signed by another key with id ${signature.keyIdHex}.`);
  }
  if (!(await ed25519Verify(subtle, key, signature.globalSignature, globalPayload(signature.signature, signature.trustedComment)))) {
    return fail('bad-trusted-comment-signature', 'The file is signed, but its trusted comment was changed after signing.');
  }
  return ok({ algorithm: signature.algorithm, keyIdHex: signature.keyIdHex, trustedComment: signature.trustedComment });
}

/** Where the signature of the list at `listUrl` is: the same URL with `.minisig` appended, as minisign names it. */
export function signatureUrlOf(listUrl: string): string {
  return `${listUrl}.minisig`;
}

export interface ListSignatureInput {
  /**
   * The list exactly as downloaded. Prefer `listBytes`: a signature covers bytes, and decoding
   * to text may drop a byte-order mark or replace invalid UTF-8. `listText` is encoded as UTF-8.
   */
  readonly listBytes?: Uint8Array;
  readonly listText?: string;
  /** The `.minisig` file's text; null, undefined or empty when the server had none. */
  readonly signatureText: string | null | undefined;
  /** Pinned public keys (base64 lines or whole minisign.pub files); the signature must be by one of them. */
  readonly publicKeys: readonly string[];
}

/**
 * The one call a subscription needs: is this list signed by one of the pinned keys? Checks, in
 * order: a signature is there, keys and signature are well-formed, the signing key is pinned,
 * the signature covers these bytes, the trusted comment is untouched.
 */
export async function verifyListSignature(input: ListSignatureInput): Promise<Result<VerifiedSignature, MinisignError>> {
  try {
    const { signatureText, publicKeys } = input;
    if (!Array.isArray(publicKeys) || publicKeys.length === 0) {
      return fail('no-public-key', 'No public key to verify the signature with.');
    }
    if (publicKeys.length > MAX_PINNED_KEYS) {
      return fail('too-large', `At most ${MAX_PINNED_KEYS} public keys can be pinned; ${publicKeys.length} were given.`);
    }
    const keys: MinisignPublicKey[] = [];
    for (const [index, text] of publicKeys.entries()) {
      const parsed = parsePublicKey(text);
      if (!parsed.ok) return fail(parsed.error.code, parsed.error.message, `publicKeys[${index}]${parsed.error.where ? ` ${parsed.error.where}` : ''}`);
      keys.push(parsed.value);
    }
    if (signatureText === null || signatureText === undefined || (typeof signatureText === 'string' && signatureText.trim() === '')) {
      return fail('unsigned', 'The list is not signed: a pinned key requires a signature (the list URL + ".minisig").');
    }
    const signature = parseSignature(signatureText);
    if (!signature.ok) return signature;

    let message: Uint8Array;
    if (input.listBytes instanceof Uint8Array) message = input.listBytes;
    else if (typeof input.listText === 'string') {
      // Checked before encoding: UTF-8 never has fewer bytes than UTF-16 code units.
      if (input.listText.length > MAX_SIGNED_MESSAGE_BYTES) {
        return fail('too-large', `The signed file is larger than ${MAX_SIGNED_MESSAGE_BYTES / 1024 / 1024} MB.`);
      }
      message = utf8.encode(input.listText);
    } else return fail('unsigned', 'There is no list to verify.');

    const key = keys.find((candidate) => sameBytes(candidate.keyId, signature.value.keyId));
    if (key === undefined) {
      const pinned = keys.map((candidate) => candidate.keyIdHex).join(', ');
      return fail('key-id-mismatch', `The list was signed with key ${signature.value.keyIdHex}, which is not pinned (pinned: ${pinned}).`);
    }
    return await verifySignature(message, signature.value, key);
  } catch (cause) {
    // Nothing above should throw; if something does, the caller still gets a refusal, not an exception.
    return fail('bad-signature', `The signature could not be checked: ${cause instanceof Error ? cause.message : String(cause)}.`);
  }
}
