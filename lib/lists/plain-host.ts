/**
 * The host shape both fast paths of the list schema are sure about (canonical-pattern.ts for
 * patterns, certain-formats.ts for evidence URLs): lower-case ASCII letter-digit-hyphen labels
 * that every URL parser and parseListPattern take as they are. One pass, one table lookup per
 * character and no calls: a 1M-entry list runs this on every pattern and every evidence URL.
 */

const DOT = 46;
const HYPHEN = 45;
const MAX_HOST_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

const LETTER = 1;
const DIGIT = 2;
const HYPHEN_CLASS = 4;
/** `/`, `?`, `#`: where a URL's host ends. */
const HOST_END = 8;

const ASCII_CLASS = (() => {
  const classes = new Uint8Array(128);
  for (let code = 97; code <= 122; code++) classes[code] = LETTER;
  for (let code = 48; code <= 57; code++) classes[code] = DIGIT;
  classes[HYPHEN] = HYPHEN_CLASS;
  for (const char of '/?#') classes[char.charCodeAt(0)] = HOST_END;
  return classes;
})();

/**
 * Where the plain host that starts at `start` ends: the index of the first `/`, `?` or `#`, or
 * the text's length; -1 when the host is not plain. Plain: 1 to 253 characters of labels of 1
 * to 63 lower-case letters, digits and hyphens, each starting and ending with a letter or digit,
 * none shaped like punycode (`xn--`, any `??--`: the URL parser checks those), and a last label
 * of letters only, so never an IPv4 address or a number a URL parser would read as one.
 */
export function plainHostEnd(text: string, start: number): number {
  const length = text.length;
  let labelStart = start;
  let lettersOnly = true;
  for (let i = start; ; i++) {
    const code = i < length ? text.charCodeAt(i) : 47;
    const kind = code < 128 ? ASCII_CLASS[code]! : 0;
    if (kind === LETTER) continue;
    if (kind === DIGIT || kind === HYPHEN_CLASS) {
      lettersOnly = false;
      continue;
    }
    if (code !== DOT && kind !== HOST_END) return -1;
    // A label ends here.
    const labelLength = i - labelStart;
    if (labelLength === 0 || labelLength > MAX_LABEL_LENGTH) return -1;
    if (ASCII_CLASS[text.charCodeAt(labelStart)] === HYPHEN_CLASS || ASCII_CLASS[text.charCodeAt(i - 1)] === HYPHEN_CLASS) return -1;
    if (labelLength >= 4 && text.charCodeAt(labelStart + 2) === HYPHEN && text.charCodeAt(labelStart + 3) === HYPHEN) return -1;
    if (code === DOT) {
      labelStart = i + 1;
      lettersOnly = true;
      continue;
    }
    return lettersOnly && i - start <= MAX_HOST_LENGTH ? i : -1;
  }
}
