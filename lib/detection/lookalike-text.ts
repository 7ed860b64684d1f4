import type { KeywordStrength } from './lookalike-names.ts';

/**
 * The string work behind look-alike detection, each bounded by the label length: folding ASCII
 * look-alikes, the confusable skeleton of a Unicode label, a bounded edit distance, and whether
 * a string is made of relay keywords.
 */

/**
 * ASCII look-alikes folded for `character-swap`: digits for letters and letter pairs that render
 * as one letter. The folded form is only compared with the folded brand, so `l` as the class
 * representative of 1/l/i is arbitrary.
 */
const FOLDABLE = /[015i]|rn|vv/;

export function foldAscii(label: string): string {
  if (!FOLDABLE.test(label)) return label;
  let out = '';
  for (let i = 0; i < label.length; i++) {
    const char = label[i]!;
    const next = label[i + 1];
    if (char === 'r' && next === 'n') {
      out += 'm';
      i++;
    } else if (char === 'v' && next === 'v') {
      out += 'w';
      i++;
    } else if (char === '0') out += 'o';
    else if (char === '1' || char === 'i') out += 'l';
    else if (char === '5') out += 's';
    else out += char;
  }
  return out;
}

/**
 * Confusable skeleton (after Unicode TS #39, reduced to the characters used in practice against
 * Latin brand names): Cyrillic, Greek, Armenian and Latin-extension look-alikes map to the Latin
 * letter they imitate; full-width forms to ASCII (IDNA already maps them in hosts that came
 * through normalizeHost; kept for any other caller); diacritics are dropped (NFD, then combining
 * marks removed), since a brand name never carries them. Anything else is kept, so a genuine
 * non-Latin label never spells a Latin brand.
 */
const CONFUSABLES: ReadonlyMap<string, string> = new Map(Object.entries({
  // Cyrillic
  'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j',
  'ѕ': 's', 'ԁ': 'd', 'ӏ': 'l', 'һ': 'h', 'ԛ': 'q', 'ԝ': 'w', 'ѵ': 'v', 'ү': 'y', 'к': 'k', 'ԍ': 'g',
  // Greek
  'ο': 'o', 'ν': 'v', 'α': 'a', 'ι': 'i', 'κ': 'k', 'ρ': 'p', 'υ': 'u', 'χ': 'x', 'ε': 'e',
  'γ': 'y', 'η': 'n', 'ϲ': 'c', 'ϳ': 'j', 'τ': 't', 'ω': 'w',
  // Armenian
  'օ': 'o', 'ս': 'u', 'հ': 'h', 'ց': 'g', 'զ': 'q', 'ո': 'n',
  // Cherokee
  'ꮃ': 'w',
  // Latin extensions, IPA and small capitals
  'ɑ': 'a', 'ɡ': 'g', 'ı': 'i', 'ɩ': 'i', 'ȷ': 'j', 'ʟ': 'l', 'ɪ': 'i', 'ᴏ': 'o', 'ł': 'l',
}));

export function skeleton(label: string): string {
  let out = '';
  for (const char of label.normalize('NFD')) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x300 && code <= 0x36f) continue; // combining diacritical mark
    if (code >= 0xff01 && code <= 0xff5e) {
      out += String.fromCharCode(code - 0xfee0).toLowerCase(); // full-width ASCII
      continue;
    }
    out += CONFUSABLES.get(char) ?? char;
  }
  // Recompose what NFD split without a mark to drop (Hangul), so only real folding shows.
  return out.normalize('NFC');
}

export const NON_ASCII = /[\x80-\uffff]/;

export const MAX_LABEL_LENGTH = 63;

/**
 * Damerau–Levenshtein distance (optimal string alignment: insertions, deletions, substitutions,
 * adjacent transpositions), abandoned as soon as it must exceed `bound`; returns bound + 1 then.
 * `rows` is three reusable rows of at least b.length + 1 cells, so a check allocates nothing.
 */
export function boundedDamerauLevenshtein(a: string, b: string, bound: number, rows: readonly [Int32Array, Int32Array, Int32Array]): number {
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  let [twoBack, previous, current] = rows;
  const width = b.length + 1;
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    const aPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j < width; j++) {
      const bj = b.charCodeAt(j - 1);
      let value = previous[j - 1]! + (ai === bj ? 0 : 1);
      const deletion = previous[j]! + 1;
      if (deletion < value) value = deletion;
      const insertion = current[j - 1]! + 1;
      if (insertion < value) value = insertion;
      if (j > 1 && ai === b.charCodeAt(j - 2) && aPrev === bj && twoBack[j - 2]! + 1 < value) value = twoBack[j - 2]! + 1;
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > bound) return bound + 1;
    const spare = twoBack;
    twoBack = previous;
    previous = current;
    current = spare;
  }
  return Math.min(previous[b.length]!, bound + 1);
}

export type KeywordList = readonly (readonly [word: string, strength: KeywordStrength])[];

/** A keyword run: the whole string (hyphens aside) is relay keywords; 0 when it is not. */
export function keywordRun(text: string, keywords: KeywordList): 0 | KeywordStrength {
  const s = text.includes('-') ? text.replace(/-/g, '') : text;
  if (s === '' || s.length > MAX_LABEL_LENGTH) return 0;
  // best[i]: strongest keyword run covering s[i..]; -1 when s[i..] is no run.
  const best = new Int8Array(s.length + 1).fill(-1);
  best[s.length] = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    for (const [word, strength] of keywords) {
      const rest = best[i + word.length];
      if (rest !== undefined && rest >= 0 && s.startsWith(word, i)) {
        best[i] = Math.max(best[i]!, strength, rest);
      }
    }
  }
  const run = best[0]!;
  return run <= 0 ? 0 : (run as KeywordStrength);
}
