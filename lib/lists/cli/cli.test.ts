import { execFile, execFileSync } from 'node:child_process';
import { scryptSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blake2b } from '@noble/hashes/blake2.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from '../minisign.ts';
import { scryptParametersOf } from './secret-key.ts';

// The CLI as a maintainer runs it: node on main.ts, in a child process, on real temp files, with
// Debian's minisign binary on the other side of every signature.
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const SPAWN_TIMEOUT_MS = 60_000;
// Each run starts node and loads zod, tldts and the bundled lists: heavy by design on a busy machine.
const TEST_TIMEOUT_MS = 120_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function lists(args: readonly string[], stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [MAIN, ...args], { timeout: SPAWN_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
    child.stdin?.end(stdin ?? '');
  });
}

function minisign(args: readonly string[], stdin = ''): { code: number; output: string } {
  try {
    const output = execFileSync('minisign', args, { input: stdin, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: SPAWN_TIMEOUT_MS });
    return { code: 0, output };
  } catch (error) {
    const failure = error as { status?: number; stdout?: string; stderr?: string };
    return { code: failure.status ?? -1, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

const entry = (pattern: string, level: string, extra: Record<string, unknown> = {}) => ({
  pattern,
  level,
  ...(level === 'blocked' && { evidence: [`https://evidence.example/${pattern}`] }),
  ...extra,
});
const listOf = (entries: unknown[], version = '2026.12.01') => JSON.stringify({ name: 'Test list', version, updated: '2026-12-01', entries }, null, 2);

let dir: string;
const at = (name: string): string => join(dir, name);
const write = (name: string, text: string): string => {
  writeFileSync(at(name), text);
  return at(name);
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'relayguard-lists-cli-'));
  // A fresh passwordless key pair from the real binary (minisign -G -W).
  const generated = minisign(['-G', '-W', '-p', at('key.pub'), '-s', at('key.key')]);
  if (generated.code !== 0) throw new Error(`minisign -G failed: ${generated.output}`);
  minisign(['-G', '-W', '-p', at('other.pub'), '-s', at('other.key')]);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run lists -- lint', () => {
  it('passes a clean list and the bundled lists', { timeout: TEST_TIMEOUT_MS }, async () => {
    const clean = write('clean.json', listOf([entry('relay.example', 'blocked'), entry('gateway.example', 'vetted')]));
    const bundled = fileURLToPath(new URL('../../../assets/lists/vetted.json', import.meta.url));
    const run = await lists(['lint', clean, bundled]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${clean}: 2 entries, 0 errors, 0 warnings`);
  });

  it('names the file, the entry and the field of every problem, and exits 1', { timeout: TEST_TIMEOUT_MS }, async () => {
    const bad = write(
      'bad.json',
      listOf([
        entry('ok.example', 'vetted'), // 0
        { pattern: 'no-evidence.example', level: 'blocked' }, // 1
        entry('bad-evidence.example', 'vetted', { evidence: ['ftp://nope'] }), // 2
        entry('https://scheme.example/', 'blocked'), // 3
        entry('level.example', 'dangerous'), // 4
        entry('OK.example.', 'vetted'), // 5: the same canonical pattern as 0
        entry('relay.example', 'blocked'), // 6
        entry('api.relay.example', 'blocked'), // 7: shadowed by 6
        entry('.safe.relay.example', 'vetted'), // 8: an exception to 6, meant
        entry('openai.com', 'blocked'), // 9: covers api.openai.com
        entry('eu.api.openai.com', 'blocked'), // 10: under api.openai.com
        entry('typo.example', 'vetted', { evidance: ['https://x.example'] }), // 11
        entry('not-a-vendor.example', 'official'), // 12
        entry('eu.api.anthropic.com', 'official'), // 13: under a bundled vendor host
      ]),
    );
    const run = await lists(['lint', bad]);
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n');
    const expectLine = (...parts: string[]) => expect(lines.find((line) => parts.every((part) => line.includes(part))), parts.join(' … ')).toBeDefined();
    expectLine('error:', bad, 'entries[1] (no-evidence.example) evidence:', 'needs at least one evidence URL');
    expectLine('error:', bad, 'entries[2] (bad-evidence.example) evidence[0]:', 'http(s) URL');
    expectLine('error:', bad, 'entries[3] (https://scheme.example/) pattern:', 'without scheme');
    expectLine('error:', bad, 'entries[4] (level.example) level:');
    expectLine('error:', bad, 'entries[5] (ok.example) pattern: duplicates entries[0]');
    expectLine('warning:', bad, 'entries[7] (api.relay.example) pattern: shadowed by entries[6] (relay.example)');
    expectLine('error:', bad, 'entries[9] (openai.com) pattern: would block first-party vendor host', 'api.openai.com');
    expectLine('error:', bad, 'entries[10] (eu.api.openai.com) pattern: would block first-party vendor host api.openai.com');
    expectLine('warning:', bad, 'entries[10] (eu.api.openai.com) pattern: shadowed by entries[9] (openai.com)');
    expectLine('warning:', bad, 'entries[11] (typo.example) evidance: unknown field');
    expectLine('warning:', bad, 'entries[12] (not-a-vendor.example) level: official, but the bundled vendor list does not name this host');
    expect(lines.some((line) => line.includes('entries[8]') || line.includes('entries[13]'))).toBe(false);
    expect(lines.some((line) => line.includes('entries[0]') && !line.includes('duplicates'))).toBe(false);
    expectLine(bad, '14 entries, 7 errors, 4 warnings');
  });

  it('reports unreadable and invalid files by name', { timeout: TEST_TIMEOUT_MS }, async () => {
    const notJson = write('broken.json', '{"name": "x",');
    const run = await lists(['lint', notJson, at('missing.json')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${notJson}: not valid JSON`);
    expect(run.stderr).toContain(`${at('missing.json')}: cannot read: no such file`);
  });
});

describe('npm run lists -- sign and verify, against the minisign binary', () => {
  it.each([
    ['prehashed', []],
    ['legacy', ['--legacy']],
  ])('signs (%s) so that minisign -V and our verify accept it', { timeout: TEST_TIMEOUT_MS }, async (algorithm, flags) => {
    const list = write(`signed-${algorithm}.json`, listOf([entry('relay.example', 'blocked')]));
    const signed = await lists(['sign', list, '--secret-key', at('key.key'), ...flags]);
    expect(signed.code, signed.stderr).toBe(0);
    const minisig = readFileSync(`${list}.minisig`, 'utf8');
    expect(decodeBase64(minisig.split('\n')[1]!)!.subarray(0, 2)).toEqual(new TextEncoder().encode(algorithm === 'prehashed' ? 'ED' : 'Ed'));
    expect(minisig).toMatch(algorithm === 'prehashed' ? /trusted comment: timestamp:\d+\tfile:signed-prehashed\.json\thashed\n/ : /trusted comment: timestamp:\d+\tfile:signed-legacy\.json\n/);

    const byMinisign = minisign(['-V', '-p', at('key.pub'), '-m', list]);
    expect(byMinisign.output).toContain('Signature and comment signature verified');
    expect(byMinisign.code).toBe(0);

    const ours = await lists(['verify', list, '--public-key', at('key.pub')]);
    expect(ours.code, ours.stderr).toBe(0);
    expect(ours.stdout).toContain('Signature and comment signature verified');
  });

  it('verifies what minisign signed, with the key given as its base64 line', { timeout: TEST_TIMEOUT_MS }, async () => {
    const list = write('by-minisign.json', listOf([entry('gateway.example', 'vetted')]));
    expect(minisign(['-S', '-s', at('key.key'), '-m', list, '-t', 'release 7']).code).toBe(0);
    const keyLine = readFileSync(at('key.pub'), 'utf8').split('\n')[1]!.trim();
    const run = await lists(['verify', list, '--public-key', keyLine]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Trusted comment: release 7');
  });

  it('refuses a tampered list, a tampered trusted comment, another key and a missing signature', { timeout: TEST_TIMEOUT_MS }, async () => {
    const text = listOf([entry('relay.example', 'blocked')]);
    const list = write('tamper.json', text);
    expect((await lists(['sign', list, '--secret-key', at('key.key'), '--trusted-comment', 'version 1'])).code).toBe(0);
    const signature = readFileSync(`${list}.minisig`, 'utf8');

    write('tamper.json', text.replace('relay.example', 'relay.exampla'));
    const tamperedList = await lists(['verify', list, '--public-key', at('key.pub')]);
    expect(tamperedList.code).toBe(1);
    expect(tamperedList.stderr).toContain(`${list}: bad signature`);

    write('tamper.json', text);
    write('tamper.json.minisig', signature.replace('version 1', 'version 2'));
    const tamperedComment = await lists(['verify', list, '--public-key', at('key.pub')]);
    expect(tamperedComment.code).toBe(1);
    expect(tamperedComment.stderr).toContain(`${list}: bad trusted comment signature`);
    expect(minisign(['-V', '-p', at('key.pub'), '-m', list]).code).not.toBe(0);

    write('tamper.json.minisig', signature);
    const otherKey = await lists(['verify', list, '--public-key', at('other.pub')]);
    expect(otherKey.code).toBe(1);
    expect(otherKey.stderr).toContain(`${list}: key id mismatch`);

    rmSync(`${list}.minisig`);
    const unsigned = await lists(['verify', list, '--public-key', at('key.pub')]);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toContain(`${list}: unsigned`);
  });

  it('refuses to sign a list that fails lint, and writes nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const list = write('unsafe.json', listOf([entry('openai.com', 'blocked')]));
    const run = await lists(['sign', list, '--secret-key', at('key.key')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('entries[0] (openai.com) pattern: would block first-party vendor host');
    expect(run.stderr).toContain(`${list}: not signed`);
    expect(existsSync(`${list}.minisig`)).toBe(false);
  });

  it('signs any file with --no-lint', { timeout: TEST_TIMEOUT_MS }, async () => {
    const file = write('notes.txt', 'not a list at all\n');
    const run = await lists(['sign', file, '--secret-key', at('key.key'), '--no-lint']);
    expect(run.code, run.stderr).toBe(0);
    expect(minisign(['-V', '-p', at('key.pub'), '-m', file]).code).toBe(0);
  });

  it('signs with a password-protected key that minisign itself accepts', { timeout: TEST_TIMEOUT_MS }, async () => {
    // minisign's own limits cost 1 GiB of scrypt memory; the limits are stored in the key, so a key
    // with small ones exercises the same format cheaply. minisign signing with it proves the format.
    const encrypted = write('encrypted.key', encryptSecretKey(readFileSync(at('key.key'), 'utf8'), 'correct horse', 524_288, 8_388_608));
    const list = write('with-password.json', listOf([entry('relay.example', 'blocked')]));
    expect(minisign(['-S', '-s', encrypted, '-m', list, '-x', at('by-minisign.minisig')], 'correct horse\n').code).toBe(0);
    expect(minisign(['-V', '-p', at('key.pub'), '-m', list, '-x', at('by-minisign.minisig')]).code).toBe(0);

    const signed = await lists(['sign', list, '--secret-key', encrypted], 'correct horse\n');
    expect(signed.code, signed.stderr).toBe(0);
    expect(minisign(['-V', '-p', at('key.pub'), '-m', list]).code).toBe(0);

    const wrong = await lists(['sign', list, '--secret-key', encrypted, '--output', at('wrong.minisig')], 'battery staple\n');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`${encrypted}: Wrong password`);
    expect(existsSync(at('wrong.minisig'))).toBe(false);
  });
});

describe('npm run lists -- diff', () => {
  it('says what changed, in words', { timeout: TEST_TIMEOUT_MS }, async () => {
    const before = write(
      'v1.json',
      listOf([entry('kept.example', 'vetted'), entry('gone.example', 'blocked'), entry('promoted.example', 'vetted'), entry('proof.example', 'blocked')], '1'),
    );
    const after = write(
      'v2.json',
      listOf(
        [
          entry('kept.example', 'vetted'),
          entry('promoted.example', 'blocked'),
          entry('proof.example', 'blocked', { evidence: ['https://evidence.example/new'] }),
          entry('new.example', 'blocked', { reason: 'resells keys' }),
        ],
        '2',
      ),
    );
    const run = await lists(['diff', before, after]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      `${before}: "Test list" version 1, 4 entries`,
      `${after}: "Test list" version 2, 4 entries`,
      'version: "1" → "2"',
      'level changed: promoted.example vetted → blocked',
      'evidence changed: promoted.example: added https://evidence.example/promoted.example',
      'evidence changed: proof.example: added https://evidence.example/new; removed https://evidence.example/proof.example',
      'added: new.example (blocked; reason "resells keys"; evidence https://evidence.example/new.example)',
      'removed: gone.example (blocked; evidence https://evidence.example/gone.example)',
      '1 level changed, 2 evidence changed, 1 added, 1 removed',
      '',
    ]);
  });

  it('refuses an invalid version, naming the file, entry and field', { timeout: TEST_TIMEOUT_MS }, async () => {
    const before = write('ok.json', listOf([entry('kept.example', 'vetted')]));
    const after = write('invalid.json', listOf([{ pattern: 'kept.example', level: 'blocked' }]));
    const run = await lists(['diff', before, after]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${after}: entries[0].evidence: a blocked entry needs at least one evidence URL`);
  });
});

describe('npm run lists -- usage', () => {
  it('exits 2 on a wrong command line', { timeout: TEST_TIMEOUT_MS }, async () => {
    const unknown = await lists(['publish']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "publish"');
    const missingKey = await lists(['sign', at('clean.json')]);
    expect(missingKey.code).toBe(2);
    expect(missingKey.stderr).toContain('missing --secret-key');
  });
});

/** minisign's password protection (docs/minisign.md), with chosen scrypt limits. */
function encryptSecretKey(keyFile: string, password: string, opslimit: number, memlimit: number): string {
  const blob = decodeBase64(keyFile.trim().split('\n')[1]!.trim())!;
  const salt = blob.slice(6, 38).map((_, i) => (i * 37 + 11) & 0xff);
  const secret = blob.slice(54, 158);
  // A passwordless key from minisign 0.11 carries a zero checksum; an encrypted one needs the real one.
  secret.set(blake2b(new Uint8Array([...blob.subarray(0, 2), ...secret.subarray(0, 72)]), { dkLen: 32 }), 72);
  const { N, r, p } = scryptParametersOf(opslimit, memlimit);
  const stream = scryptSync(password, salt, 104, { N, r, p, maxmem: 256 * 1024 * 1024 });
  const out = new Uint8Array(158);
  out.set(blob.subarray(0, 2));
  out.set(new TextEncoder().encode('Sc'), 2);
  out.set(new TextEncoder().encode('B2'), 4);
  out.set(salt, 6);
  new DataView(out.buffer).setBigUint64(38, BigInt(opslimit), true);
  new DataView(out.buffer).setBigUint64(46, BigInt(memlimit), true);
  out.set(secret.map((byte, i) => byte ^ stream[i]!), 54);
  return `untrusted comment: minisign encrypted secret key\n${encodeBase64(out)}\n`;
}
