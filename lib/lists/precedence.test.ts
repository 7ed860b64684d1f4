import { describe, expect, it } from 'vitest';
import { patternSpecificity } from '../core/host-pattern.ts';
import type { ListLevel } from './list-schema.ts';
import { LIST_SOURCES, PRECEDENCE, comparePrecedence, winningHit, type ListSource, type RankedHit } from './precedence.ts';

interface TestHit extends RankedHit {
  readonly id: string;
}

function hit(id: string, source: ListSource, specificity: number, level: ListLevel): TestHit {
  return { id, source, specificity, level };
}

const sign = (n: number) => Math.sign(n);

describe('PRECEDENCE table', () => {
  it('has exactly these rows, in this order (a new row needs a new test below)', () => {
    expect(PRECEDENCE.map((row) => row.rule)).toEqual([
      'source: managed > user > subscribed > bundled',
      'specificity: the pattern naming the host most precisely',
      'level: blocked > vetted > official',
    ]);
    for (const row of PRECEDENCE) expect(row.why.length).toBeGreaterThan(0);
  });

  // One case per row: the two hits are equal in every earlier row and differ only in this one.
  const rowCases: { row: number; winner: TestHit; loser: TestHit }[] = [
    { row: 0, winner: hit('w', 'managed', 4, 'official'), loser: hit('l', 'user', 4, 'official') },
    { row: 1, winner: hit('w', 'user', 6, 'official'), loser: hit('l', 'user', 4, 'official') },
    { row: 2, winner: hit('w', 'bundled', 4, 'blocked'), loser: hit('l', 'bundled', 4, 'official') },
  ];

  it('has one row case per PRECEDENCE row', () => {
    expect(rowCases.map((c) => c.row)).toEqual(PRECEDENCE.map((_, index) => index));
  });

  it.each(rowCases.map((c) => ({ ...c, rule: PRECEDENCE[c.row]?.rule })))('row $row ($rule) decides alone', ({ row, winner, loser }) => {
    PRECEDENCE.forEach((rule, index) => {
      const forward = sign(rule.compare(winner, loser));
      const backward = sign(rule.compare(loser, winner));
      if (index < row) {
        expect(forward, `row ${index} must not tell them apart`).toBe(0);
        expect(backward, `row ${index} must not tell them apart`).toBe(0);
      } else if (index === row) {
        expect(forward).toBe(1);
        expect(backward).toBe(-1);
      }
    });
    expect(sign(comparePrecedence(winner, loser))).toBe(1);
    expect(sign(comparePrecedence(loser, winner))).toBe(-1);
    expect(winningHit([loser, winner])).toBe(winner);
    expect(winningHit([winner, loser])).toBe(winner);
  });

  it.each([
    { a: 'managed', b: 'user' },
    { a: 'managed', b: 'subscribed' },
    { a: 'managed', b: 'bundled' },
    { a: 'user', b: 'subscribed' },
    { a: 'user', b: 'bundled' },
    { a: 'subscribed', b: 'bundled' },
  ] as const)('source: $a beats $b', ({ a, b }) => {
    const winner = hit('a', a, 4, 'official');
    const loser = hit('b', b, 4, 'official');
    expect(sign(PRECEDENCE[0]!.compare(winner, loser))).toBe(1);
    expect(winningHit([loser, winner])).toBe(winner);
  });

  it.each([
    { a: 'blocked', b: 'vetted' },
    { a: 'blocked', b: 'official' },
    { a: 'vetted', b: 'official' },
  ] as const)('level at equal source and specificity: $a beats $b', ({ a, b }) => {
    const winner = hit('a', 'user', 5, a);
    const loser = hit('b', 'user', 5, b);
    expect(sign(PRECEDENCE[2]!.compare(winner, loser))).toBe(1);
    expect(winningHit([loser, winner])).toBe(winner);
    expect(winningHit([winner, loser])).toBe(winner);
  });
});

describe('earlier rows dominate later ones', () => {
  it('a user `example.com` blocked entry beats a bundled `.api.example.com` official one', () => {
    const user = hit('user', 'user', patternSpecificity('example.com', false), 'blocked');
    const bundled = hit('bundled', 'bundled', patternSpecificity('api.example.com', true), 'official');
    expect(bundled.specificity).toBeGreaterThan(user.specificity);
    expect(winningHit([bundled, user])).toBe(user);
    expect(winningHit([user, bundled])).toBe(user);
  });

  it('a managed official entry beats a user blocked entry (source over level)', () => {
    const managed = hit('managed', 'managed', 4, 'official');
    const user = hit('user', 'user', 4, 'blocked');
    expect(winningHit([user, managed])).toBe(managed);
  });

  it('a subscribed `example.com` entry beats a bundled `.a.b.example.com` entry (source over specificity)', () => {
    const subscribed = hit('sub', 'subscribed', patternSpecificity('example.com', false), 'official');
    const bundled = hit('bundled', 'bundled', patternSpecificity('a.b.example.com', true), 'blocked');
    expect(winningHit([bundled, subscribed])).toBe(subscribed);
  });

  it('within one source a more specific official entry beats a less specific blocked one', () => {
    const official = hit('official', 'bundled', patternSpecificity('api.example.com', false), 'official');
    const blocked = hit('blocked', 'bundled', patternSpecificity('example.com', false), 'blocked');
    expect(winningHit([blocked, official])).toBe(official);
    expect(winningHit([official, blocked])).toBe(official);
  });

  it('an exact `.example.com` entry beats `example.com` of the same source whatever the levels', () => {
    const exact = hit('exact', 'user', patternSpecificity('example.com', true), 'official');
    const wide = hit('wide', 'user', patternSpecificity('example.com', false), 'blocked');
    expect(winningHit([wide, exact])).toBe(exact);
  });

  it('at equal specificity: blocked > vetted > official, whatever the order', () => {
    const blocked = hit('blocked', 'subscribed', 6, 'blocked');
    const vetted = hit('vetted', 'subscribed', 6, 'vetted');
    const official = hit('official', 'subscribed', 6, 'official');
    const orders = [
      [blocked, vetted, official],
      [official, vetted, blocked],
      [vetted, official, blocked],
      [official, blocked, vetted],
    ];
    for (const order of orders) expect(winningHit(order)).toBe(blocked);
    expect(winningHit([official, vetted])).toBe(vetted);
    expect(winningHit([vetted, official])).toBe(vetted);
  });
});

describe('ties and edge cases', () => {
  it('keeps the first of equal hits', () => {
    const first = hit('first', 'user', 4, 'vetted');
    const second = hit('second', 'user', 4, 'vetted');
    const third = hit('third', 'user', 4, 'vetted');
    expect(comparePrecedence(first, second)).toBe(0);
    expect(winningHit([first, second, third])).toBe(first);
    expect(winningHit([third, second, first])).toBe(third);
  });

  it('keeps the first of equal winners even after a weaker hit', () => {
    const weak = hit('weak', 'bundled', 4, 'official');
    const first = hit('first', 'managed', 4, 'blocked');
    const second = hit('second', 'managed', 4, 'blocked');
    expect(winningHit([weak, first, second])).toBe(first);
  });

  it('returns null for no hits and the hit itself for one', () => {
    expect(winningHit([])).toBeNull();
    const only = hit('only', 'bundled', 4, 'official');
    expect(winningHit([only])).toBe(only);
  });

  it('agrees with a lexicographic reference on every pair of hits', () => {
    const sourceRank: Record<ListSource, number> = { bundled: 0, subscribed: 1, user: 2, managed: 3 };
    const levelRank: Record<ListLevel, number> = { official: 0, vetted: 1, blocked: 2 };
    const all: TestHit[] = [];
    for (const source of LIST_SOURCES) {
      for (const specificity of [4, 5, 6, 7]) {
        for (const level of ['official', 'vetted', 'blocked'] as const) all.push(hit(`${source}/${specificity}/${level}`, source, specificity, level));
      }
    }
    const reference = (a: TestHit, b: TestHit) =>
      sign(sourceRank[a.source] - sourceRank[b.source]) ||
      sign(a.specificity - b.specificity) ||
      sign(levelRank[a.level] - levelRank[b.level]);
    for (const a of all) {
      for (const b of all) expect(sign(comparePrecedence(a, b)), `${a.id} vs ${b.id}`).toBe(reference(a, b));
    }
    // The winner of the whole set, in either order, is the strongest claim of the strongest source.
    expect(winningHit(all)?.id).toBe('managed/7/blocked');
    expect(winningHit([...all].reverse())?.id).toBe('managed/7/blocked');
  });
});
