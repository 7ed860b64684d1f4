import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MAX_PINNED_KEYS,
  MAX_SIGNATURE_FILE_CHARS,
  decodeBase64,
  encodeBase64,
  parsePublicKey,
  parseSignature,
  signatureUrlOf,
  signedPayload,
  verifyListSignature,
  verifySignature,
  type MinisignErrorCode,
} from './minisign.ts';

// Vectors made by Debian's minisign 0.11 binary (testdata/minisign/README.md says how).
const vector = (name: string): Buffer => readFileSync(new URL(`./testdata/minisign/${name}`, import.meta.url));
const text = (name: string): string => vector(name).toString('utf8');

const listBytes = new Uint8Array(vector('list.json'));
const signerPubFile = text('signer.pub');
const signerKey = signerPubFile.split('\n')[1]!.trim();
const otherKey = text('other.pub').split('\n')[1]!.trim();
const prehashed = text('list.json.minisig');
const legacy = text('list.json.legacy.minisig');

async function expectRefused(result: ReturnType<typeof verifyListSignature>, code: MinisignErrorCode): Promise<void> {
  const outcome = await result;
  expect(outcome.ok ? 'verified' : outcome.error.code).toBe(code);
}

function replaceLine(signature: string, lineIndex: number, replacement: string): string {
  const lines = signature.split('\n');
  lines[lineIndex] = replacement;
  return lines.join('\n');
}

describe('parsePublicKey', () => {
  it('reads the base64 line alone and the whole minisign.pub file to the same key', () => {
    const alone = parsePublicKey(signerKey);
    const file = parsePublicKey(signerPubFile);
    expect(alone.ok && file.ok).toBe(true);
    if (!alone.ok || !file.ok) return;
    expect(file.value.keyIdHex).toBe(alone.value.keyIdHex);
    expect(file.value.publicKey).toEqual(alone.value.publicKey);
    expect(alone.value.publicKey).toHaveLength(32);
  });

  it('prints the key id the way minisign does in the public key file', () => {
    const parsed = parsePublicKey(signerKey);
    const idInComment = signerPubFile.match(/minisign public key ([0-9A-F]{16})/)![1];
    expect(parsed.ok && parsed.value.keyIdHex).toBe(idInComment);
  });

  it.each([
    ['garbage', 'not a key', 'not valid base64'],
    ['too short', encodeBase64(new Uint8Array(40)), '42 bytes'],
    ['not Ed25519', encodeBase64(new Uint8Array(42)), 'must start with "Ed"'],
    ['three lines', `untrusted comment: x\n${signerKey}\n${signerKey}`, 'one base64 line'],
  ])('refuses a malformed key (%s) and says why', (_name, input, why) => {
    const parsed = parsePublicKey(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.code).toBe('malformed-public-key');
      expect(parsed.error.message).toContain(why);
    }
  });
});

describe('parseSignature', () => {
  it('reads both algorithms, the comments and the key id', () => {
    const modern = parseSignature(prehashed);
    const old = parseSignature(legacy);
    expect(modern.ok && modern.value.algorithm).toBe('prehashed');
    expect(old.ok && old.value.algorithm).toBe('legacy');
    expect(modern.ok && modern.value.trustedComment).toBe('RelayGuard test list 2026.12.03');
    expect(modern.ok && modern.value.untrustedComment).toBe('signature from minisign secret key');
    const key = parsePublicKey(signerKey);
    expect(modern.ok && key.ok && modern.value.keyIdHex === key.value.keyIdHex).toBe(true);
  });

  it.each([
    ['three lines', prehashed.split('\n').slice(0, 3).join('\n'), 'file'],
    ['no untrusted comment prefix', replaceLine(prehashed, 0, 'comment: x'), 'line 1 (untrusted comment)'],
    ['signature not base64', replaceLine(prehashed, 1, 'RUR!!!!'), 'line 2 (signature)'],
    ['signature too short', replaceLine(prehashed, 1, encodeBase64(new Uint8Array(73).fill(0x45))), 'line 2 (signature)'],
    ['unknown algorithm', replaceLine(prehashed, 1, encodeBase64(new Uint8Array(74).fill(0x45))), 'line 2 (signature)'],
    ['no trusted comment prefix', replaceLine(prehashed, 2, 'RelayGuard test list'), 'line 3 (trusted comment)'],
    ['trusted comment too long', replaceLine(prehashed, 2, `trusted comment: ${'x'.repeat(8193)}`), 'line 3 (trusted comment)'],
    ['global signature too short', replaceLine(prehashed, 3, encodeBase64(new Uint8Array(63))), 'line 4 (trusted comment signature)'],
  ])('refuses a malformed signature file (%s) and names where', (_name, input, where) => {
    const parsed = parseSignature(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatchObject({ code: 'malformed-signature', where });
  });

  it('refuses an oversized file before splitting it', () => {
    const parsed = parseSignature(`${prehashed}\n${' '.repeat(MAX_SIGNATURE_FILE_CHARS)}x`);
    expect(!parsed.ok && parsed.error.code).toBe('too-large');
  });

  it('accepts CRLF line endings', () => {
    expect(parseSignature(prehashed.replaceAll('\n', '\r\n')).ok).toBe(true);
  });
});

describe('verifyListSignature against signatures made by the minisign binary', () => {
  it('verifies the default prehashed (ED) signature, from bytes and from text', async () => {
    const fromBytes = await verifyListSignature({ listBytes, signatureText: prehashed, publicKeys: [signerKey] });
    expect(fromBytes).toEqual({ ok: true, value: { algorithm: 'prehashed', keyIdHex: '186B920B0CE6B268', trustedComment: 'RelayGuard test list 2026.12.03' } });
    const fromText = await verifyListSignature({ listText: text('list.json'), signatureText: prehashed, publicKeys: [signerPubFile] });
    expect(fromText.ok).toBe(true);
  });

  it('verifies the legacy (Ed) signature', async () => {
    const result = await verifyListSignature({ listBytes, signatureText: legacy, publicKeys: [signerKey] });
    expect(result.ok && result.value.algorithm).toBe('legacy');
  });

  it("verifies minisign's default trusted comment (timestamp, file name, hashed)", async () => {
    const result = await verifyListSignature({ listBytes, signatureText: text('list.json.default.minisig'), publicKeys: [signerKey] });
    expect(result.ok && result.value.trustedComment).toMatch(/^timestamp:\d+\tfile:list\.json\thashed$/);
  });

  it.each([
    ['prehashed', prehashed],
    ['legacy', legacy],
  ])('verifies exactly the bytes of a view into a larger buffer (%s)', async (_name, signatureText) => {
    // A Node Buffer or a subarray shares a larger ArrayBuffer: only the view's bytes are the list.
    const padded = Buffer.alloc(listBytes.length + 64, 0x20);
    padded.set(listBytes, 32);
    const view = padded.subarray(32, 32 + listBytes.length); // a Buffer, whose slice() is a view too
    expect((await verifyListSignature({ listBytes: view, signatureText, publicKeys: [signerKey] })).ok).toBe(true);
  });

  it('finds the signing key among several pinned keys', async () => {
    const result = await verifyListSignature({ listBytes, signatureText: prehashed, publicKeys: [otherKey, signerKey] });
    expect(result.ok).toBe(true);
  });

  it.each([
    ['prehashed', prehashed],
    ['legacy', legacy],
  ])('refuses a tampered list (%s)', async (_name, signatureText) => {
    const tampered = listBytes.slice();
    tampered[tampered.indexOf(0x76 /* v */)] = 0x62; // "vetted" → "betted"
    await expectRefused(verifyListSignature({ listBytes: tampered, signatureText, publicKeys: [signerKey] }), 'bad-signature');
    const appended = new Uint8Array([...listBytes, 0x0a]);
    await expectRefused(verifyListSignature({ listBytes: appended, signatureText, publicKeys: [signerKey] }), 'bad-signature');
  });

  it.each([
    ['prehashed', prehashed],
    ['legacy', legacy],
  ])('refuses a tampered trusted comment (%s)', async (_name, signatureText) => {
    const tampered = signatureText.replace('2026.12.03', '2099.01.01');
    await expectRefused(verifyListSignature({ listBytes, signatureText: tampered, publicKeys: [signerKey] }), 'bad-trusted-comment-signature');
  });

  it('ignores the untrusted comment, which anyone may change', async () => {
    const changed = replaceLine(prehashed, 0, 'untrusted comment: anything at all');
    expect((await verifyListSignature({ listBytes, signatureText: changed, publicKeys: [signerKey] })).ok).toBe(true);
  });

  it('refuses a signature made by another key', async () => {
    await expectRefused(verifyListSignature({ listBytes, signatureText: prehashed, publicKeys: [otherKey] }), 'key-id-mismatch');
  });

  it('refuses a wrong key that claims the signer’s key id', async () => {
    // The other key's Ed25519 bytes behind the signer's id: the id matches, the signature cannot.
    const signer = decodeBase64(signerKey)!;
    const impostor = decodeBase64(otherKey)!;
    impostor.set(signer.subarray(2, 10), 2);
    await expectRefused(verifyListSignature({ listBytes, signatureText: prehashed, publicKeys: [encodeBase64(impostor)] }), 'bad-signature');
  });

  it('refuses a signature swapped to the other algorithm', async () => {
    // Same bytes, algorithm flipped from ED to Ed: the signature no longer covers what it claims.
    const blob = decodeBase64(prehashed.split('\n')[1]!)!;
    blob[1] = 0x64;
    const flipped = replaceLine(prehashed, 1, encodeBase64(blob));
    await expectRefused(verifyListSignature({ listBytes, signatureText: flipped, publicKeys: [signerKey] }), 'bad-signature');
  });

  it.each([null, undefined, '', ' \n'])('calls a missing signature unsigned (%j)', async (signatureText) => {
    await expectRefused(verifyListSignature({ listBytes, signatureText, publicKeys: [signerKey] }), 'unsigned');
  });

  it('says which pinned key is malformed', async () => {
    const result = await verifyListSignature({ listBytes, signatureText: prehashed, publicKeys: [signerKey, 'RWQnope'] });
    expect(!result.ok && result.error).toMatchObject({ code: 'malformed-public-key', where: 'publicKeys[1] key' });
  });

  it('refuses without a key, and with too many keys', async () => {
    await expectRefused(verifyListSignature({ listBytes, signatureText: prehashed, publicKeys: [] }), 'no-public-key');
    const many = Array.from({ length: MAX_PINNED_KEYS + 1 }, () => signerKey);
    await expectRefused(verifyListSignature({ listBytes, signatureText: prehashed, publicKeys: many }), 'too-large');
  });

  it('never throws on input of the wrong type', async () => {
    const hostile = { listBytes: 'x', signatureText: 42, publicKeys: [signerKey, { key: 1 }] } as unknown as Parameters<typeof verifyListSignature>[0];
    const result = await verifyListSignature(hostile);
    expect(result.ok).toBe(false);
  });

  it('verifies bytes, not decoded text: a byte-order mark is part of what was signed', async () => {
    const bom = new Uint8Array(vector('bom.json'));
    const signatureText = text('bom.json.minisig');
    expect((await verifyListSignature({ listBytes: bom, signatureText, publicKeys: [signerKey] })).ok).toBe(true);
    // TextDecoder (and Response.text()) drop the mark, so the text alone no longer matches.
    const decoded = new TextDecoder().decode(bom);
    await expectRefused(verifyListSignature({ listText: decoded, signatureText, publicKeys: [signerKey] }), 'bad-signature');
  });
});

describe('verifySignature', () => {
  it('checks the key id before any cryptography', async () => {
    const signature = parseSignature(prehashed);
    const key = parsePublicKey(otherKey);
    if (!signature.ok || !key.ok) throw new Error('vectors must parse');
    const result = await verifySignature(listBytes, signature.value, key.value);
    expect(!result.ok && result.error.message).toContain('186B920B0CE6B268');
  });
});

describe('signedPayload', () => {
  // Node's native BLAKE2b-512 (OpenSSL) as the oracle, around the 1 MiB slices the hash is fed in.
  it.each([0, 1, 1024 * 1024 - 1, 1024 * 1024, 1024 * 1024 + 1, 3.5 * 1024 * 1024])('is BLAKE2b-512 of %i bytes when prehashed', async (size) => {
    const message = new Uint8Array(size);
    for (let i = 0, state = 1; i < size; i++) message[i] = (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24;
    const expected = new Uint8Array(createHash('blake2b512').update(message).digest());
    expect(await signedPayload(message, 'prehashed')).toEqual(expected);
  });

  it('is the message itself for legacy signatures', async () => {
    expect(await signedPayload(listBytes, 'legacy')).toBe(listBytes);
  });
});

describe('signatureUrlOf', () => {
  it('appends .minisig to the list URL, as minisign names signatures', () => {
    expect(signatureUrlOf('https://lists.example/relays.json')).toBe('https://lists.example/relays.json.minisig');
  });
});
