import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../tests/support/seeded-random.ts';
import { fnv1a, PatternSet } from './pattern-set.ts';

describe('PatternSet', () => {
  it('adds distinct patterns and reports the second copy of one', () => {
    const set = new PatternSet(4);
    expect(['example.com', '.example.com', 'a.example.com', 'b.example'].map((text) => set.add(text))).toEqual([true, true, true, true]);
    expect(set.add('example.com')).toBe(false);
    expect(set.add('.example.com')).toBe(false);
  });

  it('agrees with a Set on 50,000 generated patterns with repeats', () => {
    const random = seededRandom(5);
    const patterns = Array.from({ length: 50_000 }, () => `${Math.floor(random() * 30_000).toString(36)}.example`);
    const set = new PatternSet(patterns.length);
    const reference = new Set<string>();
    const answers = patterns.map((text) => set.add(text));
    const expected = patterns.map((text) => (reference.has(text) ? false : (reference.add(text), true)));
    expect(answers).toEqual(expected);
    expect(answers.filter((answer) => answer === false).length).toBeGreaterThan(10_000);
  });

  it('gives up ("not sure") on patterns crafted to pile into a few slots, instead of probing on', () => {
    // A 1,000-pattern set has 2,048 slots; patterns hashing into the first 8 make one long chain.
    const random = seededRandom(9);
    const crafted: string[] = [];
    while (crafted.length < 1_000) {
      const text = `${Math.floor(random() * 2 ** 40).toString(36)}.example`;
      if ((fnv1a(text) & 2047) < 8) crafted.push(text);
    }
    const set = new PatternSet(crafted.length);
    const answers = crafted.map((text) => set.add(text));
    const firstUnsure = answers.indexOf(null);
    // Linear probing through one chain costs about n²/2 probes: the budget (4 per slot) runs out early.
    expect(firstUnsure).toBeGreaterThan(50);
    expect(firstUnsure).toBeLessThan(200);
    expect(answers.slice(0, firstUnsure).every((answer) => answer === true)).toBe(true);
  });

  it('says "not sure" when asked to hold more than its capacity', () => {
    const set = new PatternSet(2);
    const answers = Array.from({ length: 20 }, (_, i) => set.add(`p${i}.example`));
    expect(answers.slice(0, 8)).toEqual(Array(8).fill(true));
    expect(answers.at(-1)).toBeNull();
  });
});
