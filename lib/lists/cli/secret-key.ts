import { blake2b } from '@noble/hashes/blake2.js';
import { err, ok, type Result } from '../../core/result.ts';
import {
  MAX_TRUSTED_COMMENT_BYTES,
  MAX_UNTRUSTED_COMMENT_BYTES,
  TRUSTED_COMMENT_PREFIX,
  UNTRUSTED_COMMENT_PREFIX,
  bufferSource,
  decodeBase64,
  encodeBase64,
  formatKeyId,
  globalPayload,
  signedPayload,
  type MinisignAlgorithm,
} from '../minisign.ts';

/**
 * minisign secret keys and signing, for the maintainer CLI only (the extension never signs).
 * Layout in docs/minisign.md. Passwordless keys (`minisign -G -W`) are read directly; a
 * password-protected key is decrypted by the caller-supplied scrypt (the CLI uses Node's),
 * so this module stays free of Node APIs.
 */

export interface MinisignSecretKey {
  readonly keyId: Uint8Array;
  readonly keyIdHex: string;
  /** 32-byte Ed25519 seed. */
  readonly seed: Uint8Array;
  /** 32-byte Ed25519 public key, as stored beside the seed and checked against it. */
  readonly publicKey: Uint8Array;
}

interface ScryptParameters {
  readonly salt: Uint8Array;
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly length: number;
}

/** Turns a password into the key stream minisign XORs the secret part with (scrypt, salsa20/8). */
export type DeriveKeyStream = (password: string, parameters: ScryptParameters) => Promise<Uint8Array>;

const SECRET_KEY_BLOB_BYTES = 158;
const ENCRYPTED_PART_OFFSET = 54; // after algorithm, KDF, checksum algorithm, salt, opslimit, memlimit
const ENCRYPTED_PART_BYTES = 104; // key id ‖ secret key ‖ checksum
const ED25519_PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);

const ascii = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

function readUint64(bytes: Uint8Array, offset: number): number {
  let value = 0;
  for (let i = 7; i >= 0; i--) value = value * 256 + bytes[offset + i]!;
  return value;
}

/**
 * libsodium's crypto_pwhash_scryptsalsa208sha256 turns (opslimit, memlimit) into scrypt's
 * (N, r, p) this way (pickparams); minisign stores the two limits in the key.
 */
export function scryptParametersOf(opslimit: number, memlimit: number): { N: number; r: number; p: number } {
  const ops = Math.max(opslimit, 32768);
  const r = 8;
  const log2NBelow = (maxN: number): number => {
    let log2N = 1;
    while (log2N < 63 && 2 ** log2N <= Math.floor(maxN / 2)) log2N++;
    return log2N;
  };
  if (ops < Math.floor(memlimit / 32)) return { N: 2 ** log2NBelow(Math.floor(ops / (r * 4))), r, p: 1 };
  const log2N = log2NBelow(Math.floor(memlimit / (r * 128)));
  const maxrp = Math.min(Math.floor(Math.floor(ops / 4) / 2 ** log2N), 0x3fffffff);
  return { N: 2 ** log2N, r, p: Math.max(1, Math.floor(maxrp / r)) };
}

function checksumOf(algorithm: Uint8Array, keyId: Uint8Array, secretKey: Uint8Array): Uint8Array {
  const input = new Uint8Array(algorithm.length + keyId.length + secretKey.length);
  input.set(algorithm);
  input.set(keyId, algorithm.length);
  input.set(secretKey, algorithm.length + keyId.length);
  return blake2b(input, { dkLen: 32 });
}

async function importSigningKey(seed: Uint8Array): Promise<CryptoKey> {
  const pkcs8 = new Uint8Array(ED25519_PKCS8_PREFIX.length + seed.length);
  pkcs8.set(ED25519_PKCS8_PREFIX);
  pkcs8.set(seed, ED25519_PKCS8_PREFIX.length);
  return crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, ['sign']);
}

/** The public key the seed really gives, to check the stored one (WebCrypto exports it in the JWK). */
async function publicKeyOfSeed(seed: Uint8Array): Promise<Uint8Array | null> {
  const jwk = await crypto.subtle.exportKey('jwk', await importSigningKey(seed));
  if (typeof jwk.x !== 'string') return null;
  return decodeBase64(jwk.x.replaceAll('-', '+').replaceAll('_', '/').padEnd(44, '='));
}

export interface SecretKeyError {
  /** `password-required`: ask for one and call again with it. */
  readonly code: 'password-required' | 'wrong-password' | 'malformed';
  readonly message: string;
}

const malformed = (message: string) => err<SecretKeyError>({ code: 'malformed', message });

/** Reads a `minisign.key` file; `derive` and `password` are needed only for an encrypted key. */
export async function parseSecretKey(
  text: string,
  unlock?: { password: string; derive: DeriveKeyStream },
): Promise<Result<MinisignSecretKey, SecretKeyError>> {
  if (text.length > 4096) return malformed('This is not a minisign secret key: the file is far too long.');
  const lines = text.trim().split(/\r?\n/);
  if (lines.length !== 2 || !lines[0]!.startsWith(UNTRUSTED_COMMENT_PREFIX)) {
    return malformed('This is not a minisign secret key: expected an "untrusted comment:" line, then one base64 line.');
  }
  const blob = decodeBase64(lines[1]!.trim());
  if (blob === null || blob.length !== SECRET_KEY_BLOB_BYTES) {
    return malformed(`This is not a minisign secret key: line 2 must be base64 of ${SECRET_KEY_BLOB_BYTES} bytes.`);
  }
  const algorithm = blob.subarray(0, 2);
  const kdf = ascii(blob.subarray(2, 4));
  if (ascii(algorithm) !== 'Ed' || ascii(blob.subarray(4, 6)) !== 'B2') {
    return malformed('This minisign secret key uses an algorithm RelayGuard does not know (expected Ed25519 with a BLAKE2b checksum).');
  }
  const secretPart = blob.slice(ENCRYPTED_PART_OFFSET, ENCRYPTED_PART_OFFSET + ENCRYPTED_PART_BYTES);
  const encrypted = kdf === 'Sc';
  if (encrypted) {
    if (unlock === undefined) return err({ code: 'password-required', message: 'This secret key is protected by a password; none was given.' });
    const { N, r, p } = scryptParametersOf(readUint64(blob, 38), readUint64(blob, 46));
    const stream = await unlock.derive(unlock.password, { salt: blob.slice(6, 38), N, r, p, length: ENCRYPTED_PART_BYTES });
    for (let i = 0; i < ENCRYPTED_PART_BYTES; i++) secretPart[i]! ^= stream[i]!;
  } else if (kdf !== '\0\0') {
    return malformed(`This minisign secret key uses an unknown key derivation ("${kdf}").`);
  }

  const keyId = secretPart.slice(0, 8);
  const secretKey = secretPart.subarray(8, 72);
  const checksum = secretPart.subarray(72, 104);
  const checksumMatches = checksumOf(algorithm, keyId, secretKey).every((byte, i) => byte === checksum[i]);
  if (encrypted && !checksumMatches) return err({ code: 'wrong-password', message: 'Wrong password for this secret key.' });
  // minisign 0.11 leaves a passwordless key's checksum zero: the seed must still give the stored public key.
  if (!encrypted && !checksumMatches && checksum.some((byte) => byte !== 0)) return malformed('The secret key is damaged: its checksum does not match.');
  const seed = secretKey.slice(0, 32);
  const publicKey = secretKey.slice(32, 64);
  const derived = await publicKeyOfSeed(seed);
  if (derived === null || !derived.every((byte, i) => byte === publicKey[i])) {
    return malformed('The secret key is damaged: its public half does not belong to its seed.');
  }
  return ok({ keyId, keyIdHex: formatKeyId(keyId), seed, publicKey });
}

/** The public key file minisign would write for this secret key (`minisign -R`). */
export function publicKeyFileOf(secretKey: MinisignSecretKey): string {
  const blob = new Uint8Array(42);
  blob.set([0x45, 0x64]);
  blob.set(secretKey.keyId, 2);
  blob.set(secretKey.publicKey, 10);
  return `${UNTRUSTED_COMMENT_PREFIX}minisign public key ${secretKey.keyIdHex}\n${encodeBase64(blob)}\n`;
}

interface SignOptions {
  readonly algorithm?: MinisignAlgorithm;
  readonly trustedComment: string;
  readonly untrustedComment?: string;
}

/** A `.minisig` file for `message`, byte for byte what `minisign -S` writes. */
export async function signMessage(message: Uint8Array, secretKey: MinisignSecretKey, options: SignOptions): Promise<Result<string, string>> {
  const algorithm = options.algorithm ?? 'prehashed';
  const untrustedComment = options.untrustedComment ?? 'signature from minisign secret key';
  const encoder = new TextEncoder();
  for (const [name, comment, max] of [
    ['trusted', options.trustedComment, MAX_TRUSTED_COMMENT_BYTES],
    ['untrusted', untrustedComment, MAX_UNTRUSTED_COMMENT_BYTES],
  ] as const) {
    if (/[\r\n]/.test(comment)) return err(`The ${name} comment must be one line.`);
    if (encoder.encode(comment).length > max) return err(`The ${name} comment is longer than ${max} bytes.`);
  }
  const key = await importSigningKey(secretKey.seed);
  const sign = async (data: Uint8Array): Promise<Uint8Array> => new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, key, bufferSource(data)));
  const signature = await sign(await signedPayload(message, algorithm));
  const globalSignature = await sign(globalPayload(signature, options.trustedComment));
  const blob = new Uint8Array(74);
  blob.set(algorithm === 'prehashed' ? [0x45, 0x44] : [0x45, 0x64]);
  blob.set(secretKey.keyId, 2);
  blob.set(signature, 10);
  return ok(
    `${UNTRUSTED_COMMENT_PREFIX}${untrustedComment}\n${encodeBase64(blob)}\n${TRUSTED_COMMENT_PREFIX}${options.trustedComment}\n${encodeBase64(globalSignature)}\n`,
  );
}

/** minisign's default trusted comment: `timestamp:<unix seconds>\tfile:<name>`, plus `\thashed` when prehashed. */
export function defaultTrustedComment(fileName: string, algorithm: MinisignAlgorithm, nowMs: number): string {
  return `timestamp:${Math.floor(nowMs / 1000)}\tfile:${fileName}${algorithm === 'prehashed' ? '\thashed' : ''}`;
}
