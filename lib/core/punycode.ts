/**
 * Punycode decoding (RFC 3492), used only to *display* IDN hosts in Unicode next to their
 * ASCII form. Encoding is left to the URL parser, which also applies IDNA mapping.
 * Returns null for a label that is not valid Punycode, so callers can show the ASCII form.
 */

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;
const MAX_CODE_POINT = 0x10ffff;

function adaptBias(delta: number, pointCount: number, firstTime: boolean): number {
  let scaled = firstTime ? Math.floor(delta / DAMP) : delta >> 1;
  scaled += Math.floor(scaled / pointCount);
  let k = 0;
  while (scaled > ((BASE - T_MIN) * T_MAX) >> 1) {
    scaled = Math.floor(scaled / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * scaled) / (scaled + SKEW));
}

function digitValue(charCode: number): number {
  if (charCode >= 0x30 && charCode <= 0x39) return charCode - 22; // '0'..'9' → 26..35
  if (charCode >= 0x61 && charCode <= 0x7a) return charCode - 0x61; // 'a'..'z' → 0..25
  if (charCode >= 0x41 && charCode <= 0x5a) return charCode - 0x41; // 'A'..'Z' → 0..25
  return BASE;
}

/** Decodes the part of a label after `xn--`. */
export function decodePunycode(encoded: string): string | null {
  const delimiter = encoded.lastIndexOf('-');
  const output: number[] = [];
  for (let i = 0; i < Math.max(delimiter, 0); i++) {
    const code = encoded.charCodeAt(i);
    if (code >= 0x80) return null;
    output.push(code);
  }

  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  let i = 0;
  for (let index = delimiter > 0 ? delimiter + 1 : 0; index < encoded.length; ) {
    const previousI = i;
    let weight = 1;
    for (let k = BASE; ; k += BASE) {
      if (index >= encoded.length) return null;
      const digit = digitValue(encoded.charCodeAt(index++));
      if (digit >= BASE) return null;
      i += digit * weight;
      if (i > MAX_CODE_POINT * (output.length + 1)) return null;
      const threshold = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (digit < threshold) break;
      weight *= BASE - threshold;
    }
    const pointCount = output.length + 1;
    bias = adaptBias(i - previousI, pointCount, previousI === 0);
    n += Math.floor(i / pointCount);
    i %= pointCount;
    if (n > MAX_CODE_POINT) return null;
    output.splice(i, 0, n);
    i++;
  }
  return String.fromCodePoint(...output);
}

/** `xn--bcher-kva.example` → `bücher.example`; labels that fail to decode stay ASCII. */
export function hostToUnicode(asciiHost: string): string {
  return asciiHost
    .split('.')
    .map((label) => {
      if (!label.startsWith('xn--')) return label;
      return decodePunycode(label.slice(4)) ?? label;
    })
    .join('.');
}
