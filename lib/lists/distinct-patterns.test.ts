import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../tests/support/seeded-random.ts';
import { certainlyDistinct, fnv1a } from './distinct-patterns.ts';

describe('certainlyDistinct', () => {
  it('says yes to distinct patterns and no to a repeated one, wherever it is', () => {
    expect(certainlyDistinct([])).toBe(true);
    expect(certainlyDistinct(['example.com', '.example.com', 'a.example.com', 'b.example'])).toBe(true);
    expect(certainlyDistinct(['example.com', '.example.com', 'a.example.com', 'example.com'])).toBe(false);
    expect(certainlyDistinct(['x.example', 'x.example'])).toBe(false);
  });

  it('agrees with a Set on generated lists with and without repeats', () => {
    const random = seededRandom(5);
    for (let round = 0; round < 200; round++) {
      const size = Math.floor(random() * 2_000);
      const range = size + Math.floor(random() * 50 * size);
      const patterns = Array.from({ length: size }, () => `${Math.floor(random() * range).toString(36)}.example`);
      expect(certainlyDistinct(patterns)).toBe(new Set(patterns).size === patterns.length);
    }
  });

  it('tells distinct patterns that share a hash apart, and a repeat among them', () => {
    // A hash with few values makes every run of equal hashes long, as chance does in big lists.
    const coarse = (text: string) => fnv1a(text) % 64;
    const patterns = Array.from({ length: 300 }, (_, i) => `p${i}.example`);
    expect(certainlyDistinct(patterns, coarse)).toBe(true);
    expect(certainlyDistinct([...patterns, 'p17.example'], coarse)).toBe(false);
  });

  it('gives up (says no) when more patterns share a hash than chance makes: crafted collisions cost no quadratic work', () => {
    const patterns = Array.from({ length: 10_000 }, (_, i) => `p${i}.example`);
    expect(certainlyDistinct(patterns, () => 7)).toBe(false);
    expect(certainlyDistinct(patterns.slice(0, 8), () => 7)).toBe(true);
    expect(certainlyDistinct(patterns.slice(0, 9), () => 7)).toBe(false);
  });
});
