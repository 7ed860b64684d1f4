import { describe, expect, it } from 'vitest';
import { bundledListProblems, loadBundledLists } from './bundled-lists.ts';
import { parseList } from './list-schema.ts';

const header = { name: 'Test list', version: '1', updated: '2026-11-26' };

describe('bundled lists: validated before they ship, taken as they are at run time', () => {
  it('every shipped list is valid and exactly what validation makes of it', () => {
    expect(bundledListProblems()).toEqual([]);
  });

  it('what the worker loads equals what parseList makes of the same files', () => {
    const { lists } = loadBundledLists();
    expect(lists.map(({ id, source }) => `${source} ${id}`)).toEqual(['bundled bundled:vendors', 'bundled bundled:vetted', 'bundled bundled:blocked']);
    for (const { list } of lists) {
      const parsed = parseList(JSON.parse(JSON.stringify(list)));
      expect(parsed.ok && parsed.value).toEqual(list);
    }
  });

  it('refuses an invalid list, naming it', () => {
    const raw = { ...header, entries: [{ pattern: 'relay.example', level: 'blocked' }] };
    expect(bundledListProblems([{ id: 'bundled:test', raw }])).toEqual([
      'bundled:test: The list is not a valid RelayGuard list: entries[0].evidence: a blocked entry needs at least one evidence URL',
    ]);
  });

  it.each([
    ['a pattern that is not canonical', { ...header, entries: [{ pattern: 'Relay.Example.', level: 'vetted' }] }, 'entries[0].pattern'],
    ['text validation trims', { ...header, name: ' Test list ', entries: [] }, 'name'],
    ['a key the schema drops', { ...header, entries: [{ pattern: 'relay.example', level: 'vetted', note: 'x' }] }, 'entries[0].note'],
  ])('refuses a valid list that validation would change: %s', (_what, raw, where) => {
    expect(bundledListProblems([{ id: 'bundled:test', raw }])).toEqual([`bundled:test: validation changes ${where}; write the file as the schema makes it`]);
  });
});
