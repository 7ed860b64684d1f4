import { describe, expect, it } from 'vitest';
import { HostTable, sortText } from './host-table.ts';
import { seededRandom } from '../../tests/support/seeded-random.ts';

function randomText(random: () => number, alphabet: readonly string[], maxLength: number): string {
  let text = '';
  const length = Math.floor(random() * (maxLength + 1));
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

describe('sortText', () => {
  it('sorts exactly as sort() does: code-unit order', () => {
    // Few letters, so long shared prefixes, equal strings and one string a prefix of another;
    // non-ASCII code units and a lone surrogate go through the fallback bucket.
    const alphabet = ['a', 'b', '.', '-', '0', 'z', 'é', '\u{1F600}', '\uD800', '\u0080', 'A', '~'];
    for (let seed = 1; seed <= 200; seed++) {
      const random = seededRandom(seed);
      const count = Math.floor(random() * 400);
      const items = Array.from({ length: count }, () => randomText(random, alphabet.slice(0, 2 + (seed % alphabet.length)), 12));
      expect(sortText([...items]), `seed ${seed}`).toEqual([...items].sort());
    }
  });

  it('sorts a large set of host names, duplicates included', () => {
    const random = seededRandom(7);
    const labels = ['api', 'relay', 'relay-proxy', 'gpt', 'x', 'a1', 'com', 'co', 'uk'];
    const hosts = Array.from({ length: 20_000 }, () => {
      const count = 1 + Math.floor(random() * 4);
      return Array.from({ length: count }, () => labels[Math.floor(random() * labels.length)]).join('.');
    });
    expect(sortText([...hosts])).toEqual([...hosts].sort());
  });

  it('sorts in place and returns the same array', () => {
    const items = ['b', 'a'];
    expect(sortText(items)).toBe(items);
    expect(items).toEqual(['a', 'b']);
  });
});

describe('HostTable', () => {
  it('holds each host once, in the order first added, with its label count', () => {
    const table = new HostTable(5);
    table.add('example.com', 2);
    table.add('api.example.com', 3);
    table.add('example.com', 2);
    expect(table.hosts).toEqual(['example.com', 'api.example.com']);
    expect([...table.labels.subarray(0, 2)]).toEqual([2, 3]);
    expect(table.has('example.com')).toBe(true);
    expect(table.has('xample.com')).toBe(false);
    expect(table.has('com')).toBe(false);
  });

  it('refuses more hosts than it was sized for', () => {
    const table = new HostTable(1);
    table.add('a.example', 2);
    expect(() => table.add('b.example', 2)).toThrow(RangeError);
  });

  it('finds the closest marked parent domain, as slicing and looking up each parent would', () => {
    const random = seededRandom(11);
    const labels = ['a', 'b', 'c', 'ab', 'ba'];
    for (let round = 0; round < 50; round++) {
      const hosts = [...new Set(Array.from({ length: 60 }, () => Array.from({ length: 1 + Math.floor(random() * 5) }, () => labels[Math.floor(random() * labels.length)]).join('.')))];
      const table = new HostTable(hosts.length);
      for (const host of hosts) table.add(host, host.split('.').length);
      const marks = new Uint8Array(hosts.length);
      hosts.forEach((_, index) => (marks[index] = random() < 0.5 ? 1 : 0));
      for (const host of [...hosts, 'q.a.b', 'a.q.b', 'q']) {
        const parents = host.split('.').map((_, i, parts) => parts.slice(i).join('.')).slice(1);
        const expected = parents.map((parent) => hosts.indexOf(parent)).find((index) => index !== -1 && marks[index] !== 0) ?? -1;
        expect(table.closestMarkedParent(host, marks), `${host} in ${hosts.join(' ')}`).toBe(expected);
      }
    }
  });
});
