/**
 * Credentials for tests, assembled at run time from a seeded generator: no literal key sits in
 * the repository for secret scanners to flag, and every run sees the same strings.
 */

import { seededRandom } from './seeded-random.ts';


const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
export const ALNUM = UPPER + LOWER + DIGITS;
export const KEY_CHARS = ALNUM + '_-';
export const HEX = '0123456789abcdef';
export const LOWER_ALNUM = LOWER + DIGITS;
export const OPENAI_MARKER = 'T3BlbkFJ';


export function chars(length: number, seed: number, alphabet: string = ALNUM): string {
  const next = seededRandom(seed);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet.charAt(Math.floor(next() * alphabet.length));
  return out;
}

/** Mirrors one-api's GenerateKey(): v4 UUID hex, letters at even indexes upper-cased. */
export function oneApiUuidTail(seed: number): string {
  const hex = chars(32, seed, HEX).split('');
  hex[12] = '4';
  hex[16] = '89ab'.charAt(Math.floor(seededRandom(seed + 1)() * 4));
  return hex.map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c)).join('');
}

/** One well-formed credential of the common kinds, for tests that need "a key", not a format table. */
export const sampleKeys = {
  openai: 'sk-proj-' + chars(74, 101, KEY_CHARS) + OPENAI_MARKER + chars(74, 102, KEY_CHARS),
  anthropic: 'sk-ant-api03-' + chars(93, 103, KEY_CHARS) + 'AA',
  claudeSession: 'sk-ant-sid01-' + chars(93, 104, KEY_CHARS) + 'AA',
  google: 'AIza' + chars(35, 105, KEY_CHARS),
  newApiToken: 'sk-' + chars(48, 106),
} as const;
