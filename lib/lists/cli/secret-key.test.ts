import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from '../minisign.ts';
import { parseSecretKey, publicKeyFileOf, scryptParametersOf, signMessage } from './secret-key.ts';

const vector = (name: string): string => readFileSync(new URL(`../testdata/minisign/${name}`, import.meta.url), 'utf8');
const signerKey = vector('signer.key');

async function signer() {
  const parsed = await parseSecretKey(signerKey);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe('parseSecretKey', () => {
  it('reads a passwordless key made by minisign -G -W, whose public half matches signer.pub', async () => {
    const key = await signer();
    expect(key.keyIdHex).toBe('186B920B0CE6B268');
    expect(publicKeyFileOf(key).split('\n')[1]).toBe(vector('signer.pub').split('\n')[1]);
  });

  it('refuses a key whose public half does not belong to its seed', async () => {
    const lines = signerKey.trim().split('\n');
    const blob = decodeBase64(lines[1]!)!;
    blob[54 + 8 + 40]! ^= 0x01; // one bit of the stored public key
    const damaged = await parseSecretKey(`${lines[0]}\n${encodeBase64(blob)}\n`);
    expect(!damaged.ok && damaged.error).toMatchObject({ code: 'malformed', message: expect.stringContaining('public half does not belong to its seed') });
  });

  it('asks for a password only when the key has one', async () => {
    const lines = signerKey.trim().split('\n');
    const blob = decodeBase64(lines[1]!)!;
    blob.set([0x53, 0x63], 2); // "Sc": scrypt-protected
    const locked = await parseSecretKey(`${lines[0]}\n${encodeBase64(blob)}\n`);
    expect(!locked.ok && locked.error.code).toBe('password-required');
  });

  it.each(['', 'untrusted comment: x\nRWQ=', vector('signer.pub')])('refuses what is not a secret key (%j)', async (text) => {
    expect((await parseSecretKey(text)).ok).toBe(false);
  });
});

describe('scryptParametersOf', () => {
  it("turns minisign's limits into libsodium's scrypt parameters (1 GiB: N = 2^20, r = 8, p = 1)", () => {
    expect(scryptParametersOf(33_554_432, 1_073_741_824)).toEqual({ N: 2 ** 20, r: 8, p: 1 });
  });
});

describe('signMessage', () => {
  // Ed25519 is deterministic: the same key, file and comments give the very bytes minisign wrote.
  it.each([
    ['prehashed', 'list.json.minisig', 'RelayGuard test list 2026.12.03'],
    ['legacy', 'list.json.legacy.minisig', 'RelayGuard test list 2026.12.03 (legacy)'],
  ] as const)('writes what minisign -S writes, byte for byte (%s)', async (algorithm, file, trustedComment) => {
    const message = new Uint8Array(readFileSync(new URL('../testdata/minisign/list.json', import.meta.url)));
    const signed = await signMessage(message, await signer(), { algorithm, trustedComment });
    expect(signed).toEqual({ ok: true, value: vector(file) });
  });

  it('refuses a comment that would break the file', async () => {
    const signed = await signMessage(new Uint8Array([1]), await signer(), { trustedComment: 'one\ntwo' });
    expect(!signed.ok && signed.error).toBe('The trusted comment must be one line.');
  });
});
