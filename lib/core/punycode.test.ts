import { describe, expect, it } from 'vitest';
import { decodePunycode, hostToUnicode } from './punycode.ts';
import { seededRandom } from '../../tests/support/seeded-random.ts';

describe('decodePunycode: known decodes', () => {
  it.each([
    // Everyday IDN labels (the part after xn--)
    { encoded: 'bcher-kva', decoded: 'bücher' },
    { encoded: 'mnchen-3ya', decoded: 'münchen' },
    { encoded: 'fa-hia', decoded: 'faß' },
    { encoded: 'fiq228c', decoded: '中文' },
    { encoded: 'fiqs8s', decoded: '中国' },
    { encoded: 'fiqz9s', decoded: '中國' },
    { encoded: 'r8jz45g', decoded: '例え' },
    { encoded: 'mxacd', decoded: 'αβγ' },
    { encoded: 'd1acufc', decoded: 'домен' },
    { encoded: 'p1ai', decoded: 'рф' },
    { encoded: '80ak6aa92e', decoded: 'аррӏе' },
    { encoded: 'wgbh1c', decoded: 'مصر' },
    { encoded: 'ls8h', decoded: '💩' },
    { encoded: 'tu8hd', decoded: '📹📷' },
    // RFC 3492 §7.1 sample strings
    { encoded: 'egbpdaj6bu4bxfgehfvwxn', decoded: 'ليهمابتكلموشعربي؟' },
    { encoded: 'ihqwcrb4cv8a8dqg056pqjye', decoded: '他们为什么不说中文' },
    { encoded: 'ihqwctvzc91f659drss3x8bo0yb', decoded: '他們爲什麽不說中文' },
    { encoded: 'd9juau41awczczp', decoded: 'そのスピードで' },
    { encoded: '2-u9tlzr9756bt3uc0v', decoded: 'ひとつ屋根の下2' },
    { encoded: 'de-jg4avhby1noc0d', decoded: 'パフィーdeルンバ' },
    // Mixed-case annotation: basic code points keep their case, digits read case-insensitively
    { encoded: '3B-ww4c5e180e575a65lsy2b', decoded: '3年B組金八先生' },
    { encoded: 'MajiKoi5-783gue6qz075azm5e', decoded: 'MajiでKoiする5秒前' },
    { encoded: '-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n', decoded: '安室奈美恵-with-SUPER-MONKEYS' },
    { encoded: 'Hello-Another-Way--fc4qua05auwb3674vfr0b', decoded: 'Hello-Another-Way-それぞれの場所' },
    { encoded: 'BCHER-KVA', decoded: 'BüCHER' },
    // Only basic code points: everything before the last delimiter
    { encoded: '-> $1.00 <--', decoded: '-> $1.00 <-' },
    { encoded: 'abc-', decoded: 'abc' },
    { encoded: '', decoded: '' },
  ])('$encoded → $decoded', ({ encoded, decoded }) => {
    expect(decodePunycode(encoded)).toBe(decoded);
  });
});

describe('decodePunycode: invalid input → null', () => {
  it.each([
    { name: 'a lone delimiter', encoded: '-' },
    { name: 'delimiter first, then a bad digit', encoded: '-abc' },
    { name: 'a truncated variable-length integer', encoded: 'b' },
    { name: 'a truncated integer after basic code points', encoded: 'bcher-kv' },
    { name: 'a non-basic code point before the delimiter', encoded: 'ü-abc' },
    { name: 'a non-basic code point among the digits', encoded: 'bü' },
    { name: 'punctuation among the digits', encoded: 'a!b' },
    { name: 'a dot among the digits', encoded: 'bcher.kva' },
    { name: 'a space among the digits', encoded: 'bcher kva' },
    { name: 'a delta beyond U+10FFFF', encoded: '99999999' },
    { name: 'another overflow', encoded: '9zzzzzzz' },
    { name: 'a very long overflow', encoded: '9'.repeat(64) },
  ])('$name ($encoded)', ({ encoded }) => {
    expect(decodePunycode(encoded)).toBeNull();
  });
});

describe('hostToUnicode', () => {
  it.each([
    { ascii: 'xn--bcher-kva.example', unicode: 'bücher.example' },
    { ascii: 'xn--mnchen-3ya.de', unicode: 'münchen.de' },
    { ascii: 'xn--fiq228c.com', unicode: '中文.com' },
    { ascii: 'www.xn--bcher-kva.example', unicode: 'www.bücher.example' },
    { ascii: 'xn--bcher-kva.xn--fiqs8s', unicode: 'bücher.中国' },
    { ascii: 'api.xn--r8jz45g.jp', unicode: 'api.例え.jp' },
    { ascii: 'xn--d1acufc.xn--p1ai', unicode: 'домен.рф' },
    { ascii: 'xn--bcher-kva', unicode: 'bücher' },
    // Labels that are not valid Punycode stay ASCII; the valid ones beside them still decode.
    { ascii: 'xn--b.com', unicode: 'xn--b.com' },
    { ascii: 'xn--bcher-kva.xn--b.example', unicode: 'bücher.xn--b.example' },
    { ascii: 'xn--99999999.example', unicode: 'xn--99999999.example' },
    // Only labels that begin with xn-- are Punycode.
    { ascii: 'a-xn--bcher-kva.example', unicode: 'a-xn--bcher-kva.example' },
    { ascii: 'example.com', unicode: 'example.com' },
    { ascii: 'localhost', unicode: 'localhost' },
    { ascii: '127.0.0.1', unicode: '127.0.0.1' },
    { ascii: '', unicode: '' },
  ])('$ascii → $unicode', ({ ascii, unicode }) => {
    expect(hostToUnicode(ascii)).toBe(unicode);
  });

  it('inverts the URL parser’s IDNA encoding (200 seeded random labels)', () => {
    const random = seededRandom(0xb0c4e7);
    // Ranges whose code points are valid in IDNA and left unchanged by its mapping.
    const ranges: readonly [number, number][] = [
      [0x61, 0x7a], // a-z
      [0x30, 0x39], // 0-9
      [0xe0, 0xf6], // à-ö
      [0x3b1, 0x3c9], // Greek small letters
      [0x430, 0x44f], // Cyrillic small letters
      [0x3041, 0x3096], // Hiragana
      [0x4e00, 0x9fa5], // CJK unified ideographs
      [0xac00, 0xd7a3], // Hangul syllables
    ];
    let checked = 0;
    for (let n = 0; n < 200; n++) {
      const codePoints: number[] = [];
      const length = 1 + Math.floor(random() * 12);
      for (let i = 0; i < length; i++) {
        const [low, high] = ranges[Math.floor(random() * ranges.length)]!;
        codePoints.push(low + Math.floor(random() * (high - low + 1)));
      }
      const label = String.fromCodePoint(...codePoints);
      const hostname = new URL(`http://${label}.example/`).hostname;
      if (/^[a-z0-9]+$/.test(label)) {
        expect(hostname).toBe(`${label}.example`);
      } else {
        expect(hostname.startsWith('xn--'), label).toBe(true);
        checked++;
      }
      expect(hostToUnicode(hostname), hostname).toBe(`${label}.example`);
    }
    expect(checked).toBeGreaterThan(150);
  });
});
