import { describe, expect, it } from 'vitest';
import { parseListPattern } from '../core/host-pattern.ts';
import { canonicalPatternFast } from './canonical-pattern.ts';
import { listEntrySchema } from './list-schema.ts';
import { seededRandom } from '../../tests/support/seeded-random.ts';

/** The fast path may decline (null), but when it answers it must answer exactly what parseListPattern does. */
function disagreement(text: string): string | null {
  const fast = canonicalPatternFast(text);
  if (fast === null) return null;
  const slow = parseListPattern(text);
  if (!slow.ok) return `${JSON.stringify(text)}: fast path accepts as ${fast}, parseListPattern rejects: ${slow.error}`;
  if (slow.value.text !== fast) return `${JSON.stringify(text)}: fast path says ${fast}, parseListPattern ${slow.value.text}`;
  return null;
}

const ADVERSARIAL = [
  'example.com', '.example.com', 'api.example.com', 'a.b', 'ab.cd',
  // public suffixes, wildcard and exception rules, private suffixes
  'com', '.com', 'co.uk', '.co.uk', 'foo.co.uk', 'com.cn', 'a.com.cn', 'kawasaki.jp', 'foo.kawasaki.jp', 'city.kawasaki.jp',
  'x.city.kawasaki.jp', 'ck', 'x.ck', 'www.ck', 'a.www.ck', 'github.io', 'foo.github.io', 'workers.dev', 'a.workers.dev',
  'blogspot.com', 'uk', 'gov.uk', 'nic.uk', 'localhost', '.localhost', 'foo.localhost',
  // numbers and IP-ish hosts
  '1.2.3.4', '.1.2.3.4', '127.0.0.1', 'example.123', 'a.0x1f', '0x7f.0.0.1', '1.2.3', '999.999.999.999', 'a.b1', 'a1.b', '1a.b',
  'example.c0m', '::1', '[::1]', '1.2.3.4:80',
  // punycode, hyphens, underscores, case, spaces, dots
  'xn--bcher-kva.example', 'xn--.com', 'xn--a.com', 'ab--cd.com', 'a--b.com', 'abc--d.com', 'xn--p1ai', 'a.xn--p1ai',
  '-a.com', 'a-.com', 'a.-com', 'a.com-', 'a-b.com', 'a_b.com', '_dmarc.example.com', 'Example.com', 'EXAMPLE.COM',
  ' example.com', 'example.com ', 'exa mple.com', '\texample.com', 'example.com\n', 'a..com', '..com', '.', '..', '',
  'example.com.', '.example.com.', '..example.com', 'example..com',
  // schemes, paths, ports, wildcards
  'gateway.ai.cloudflare.com/v1/acct123/', 'gateway.ai.cloudflare.com/v1/acct123', 'http://example.com', 'example.com/path', 'example.com:8080', 'user@example.com', '*.example.com', 'example.com?x', 'example.com#x',
  // lengths at and over the limits
  `${'a'.repeat(63)}.com`, `${'a'.repeat(64)}.com`, `${'a.'.repeat(125)}com`, `${'a.'.repeat(126)}com`, `${'a.'.repeat(127)}com`,
  `${'ab.'.repeat(83)}com`, `${'ab.'.repeat(84)}com`, `.${'a.'.repeat(125)}com`,
  // non-ASCII look-alikes
  'bücher.example', 'exаmple.com', 'example。com', 'ｅxample.com', 'example.com\u200b',
];

describe('canonicalPatternFast agrees with parseListPattern', () => {
  it('on hand-picked adversarial patterns', () => {
    expect(ADVERSARIAL.map(disagreement).filter((line) => line !== null)).toEqual([]);
    // And it does take the common case: otherwise it would be no fast path at all.
    expect(['example.com', '.api.example.com', 'foo.co.uk', 'a-b.com.cn'].map(canonicalPatternFast)).toEqual([
      'example.com', '.api.example.com', 'foo.co.uk', 'a-b.com.cn',
    ]);
  });

  it('on generated patterns, near-domains and noise', { timeout: 60_000 }, () => {
    const random = seededRandom(11);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const tails = ['com', 'uk', 'co.uk', 'jp', 'kawasaki.jp', 'ck', 'io', 'github.io', 'cn', 'com.cn', 'localhost', 'xn--p1ai', '1', '0x1', 'dev'];
    const alphabet = 'abcxyz019-._:/*@ AZ\u00fcx';
    const failures: string[] = [];
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      let text: string;
      const style = random();
      if (style < 0.6) {
        const labels = Array.from({ length: Math.floor(random() * 4) }, () =>
          Array.from({ length: 1 + Math.floor(random() * (random() < 0.05 ? 70 : 8)) }, () => pick('abcdefxyz0123456789-'.split(''))).join(''),
        );
        text = [...labels, pick(tails)].join('.');
        if (random() < 0.3) text = `.${text}`;
      } else {
        text = Array.from({ length: Math.floor(random() * 16) }, () => pick(alphabet.split(''))).join('');
      }
      if (canonicalPatternFast(text) !== null) accepted++;
      const line = disagreement(text);
      if (line !== null) failures.push(line);
      if (failures.length > 20) break;
    }
    expect(failures).toEqual([]);
    expect(accepted).toBeGreaterThan(1_000);
  });

  it('leaves the schema’s verdicts and errors as they were', () => {
    const entry = (pattern: string) => listEntrySchema.safeParse({ pattern, level: 'vetted' });
    expect(entry('Example.COM.').data?.pattern).toBe('example.com');
    expect(entry('.foo.co.uk').data?.pattern).toBe('.foo.co.uk');
    expect(entry('co.uk').error?.issues[0]?.message).toBe('“co.uk”: a public suffix would match every site under it.');
    expect(entry('foo.kawasaki.jp').error?.issues[0]?.message).toBe('“foo.kawasaki.jp”: a public suffix would match every site under it.');
  });
});
