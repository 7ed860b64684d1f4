import { describe, expect, test } from 'vitest';
import type { UserEntry } from './user-entry.ts';
import { err, ok } from '../core/result.ts';
import { exportUserEntries, parseUserEntriesFile, USER_ENTRIES_FORMAT } from './user-entries-file.ts';

const ENTRIES: UserEntry[] = [
  { pattern: 'relay.example', level: 'blocked', added: '2026-11-20T09:15:00.000Z', note: 'sold my key on' },
  { pattern: '.gateway.corp.example', level: 'vetted', added: '2026-11-21T10:00:00+08:00' },
  { pattern: 'xn--bcher-kva.example', level: 'vetted', added: '2026-11-22T00:00:00Z' },
  { pattern: '203.0.113.7', level: 'blocked', added: '2026-11-23T00:00:00Z' },
];

const NOW = new Date('2026-11-26T08:30:00.000Z');

/** A file as a person's editor might leave it. */
const file = (body: Record<string, unknown>) => JSON.stringify({ format: USER_ENTRIES_FORMAT, version: 1, ...body });

describe('export', () => {
  test('writes a self-describing, readable file', () => {
    const text = exportUserEntries(ENTRIES.slice(0, 2), NOW);
    expect(text).toBe(
      [
        '{',
        '  "format": "relayguard-user-entries",',
        '  "version": 1,',
        '  "exported": "2026-11-26T08:30:00.000Z",',
        '  "entries": [',
        '    {',
        '      "pattern": "relay.example",',
        '      "level": "blocked",',
        '      "added": "2026-11-20T09:15:00.000Z",',
        '      "note": "sold my key on"',
        '    },',
        '    {',
        '      "pattern": ".gateway.corp.example",',
        '      "level": "vetted",',
        '      "added": "2026-11-21T10:00:00+08:00"',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('export → parse gives back exactly the entries', () => {
    expect(parseUserEntriesFile(exportUserEntries(ENTRIES, NOW))).toEqual(ok(ENTRIES));
    expect(parseUserEntriesFile(exportUserEntries([], NOW))).toEqual(ok([]));
  });

  test('a file without an export time is accepted', () => {
    expect(parseUserEntriesFile(file({ entries: ENTRIES }))).toEqual(ok(ENTRIES));
  });
});

describe('what the file is', () => {
  test('a list file imported by mistake says what is wrong', () => {
    const listFile = JSON.stringify({ name: 'Community relays', version: '7', updated: '2026-11-20', entries: [{ pattern: 'relay.example', level: 'blocked', evidence: ['https://evidence.example.org/1'] }] });
    const result = parseUserEntriesFile(listFile);
    expect(result).toEqual(
      err({
        message: 'The file was not imported: format: format must be "relayguard-user-entries": is this a RelayGuard export?',
        issues: [
          'format: format must be "relayguard-user-entries": is this a RelayGuard export?',
          'version: version must be 1',
          'entries[0].added: Invalid input: expected string, received undefined',
        ],
      }),
    );
  });

  test('another format name is refused', () => {
    expect(parseUserEntriesFile(JSON.stringify({ format: 'relayguard-list', version: 1, entries: [] }))).toEqual(
      err({
        message: 'The file was not imported: format: format must be "relayguard-user-entries": is this a RelayGuard export?',
        issues: ['format: format must be "relayguard-user-entries": is this a RelayGuard export?'],
      }),
    );
  });

  test('another version is refused', () => {
    for (const version of [2, 0, '1', null]) {
      expect({ version, result: parseUserEntriesFile(file({ version, entries: [] })) }).toEqual({
        version,
        result: err({ message: 'The file was not imported: version: version must be 1', issues: ['version: version must be 1'] }),
      });
    }
  });

  test('text that is not JSON is refused, saying so', () => {
    for (const text of ['', '{"format": "relayguard-user-entries",', 'pattern,level\nrelay.example,blocked\n']) {
      let parserMessage = '';
      try {
        JSON.parse(text);
      } catch (cause) {
        parserMessage = (cause as Error).message;
      }
      expect(parserMessage).not.toBe('');
      expect(parseUserEntriesFile(text)).toEqual(err({ message: 'The file is not valid JSON.', issues: [parserMessage] }));
    }
  });

  test('JSON that is not an object is refused', () => {
    expect(parseUserEntriesFile('[]')).toEqual(
      err({ message: 'The file was not imported: Invalid input: expected object, received array', issues: ['Invalid input: expected object, received array'] }),
    );
    expect(parseUserEntriesFile('null')).toEqual(
      err({ message: 'The file was not imported: Invalid input: expected object, received null', issues: ['Invalid input: expected object, received null'] }),
    );
  });

  test('a file without entries is refused', () => {
    expect(parseUserEntriesFile(file({}))).toEqual(
      err({ message: 'The file was not imported: entries: Invalid input: expected array, received undefined', issues: ['entries: Invalid input: expected array, received undefined'] }),
    );
  });

  test('a malformed export time is refused', () => {
    expect(parseUserEntriesFile(file({ exported: 'yesterday', entries: [] }))).toEqual(
      err({ message: 'The file was not imported: exported: Invalid ISO datetime', issues: ['exported: Invalid ISO datetime'] }),
    );
  });
});

describe('entries', () => {
  test('every bad entry is named by its index and field; nothing is accepted', () => {
    const result = parseUserEntriesFile(
      file({
        entries: [
          { pattern: 'fine.example', level: 'vetted', added: '2026-11-20T00:00:00Z' },
          { pattern: 'https://relay.example/login', level: 'blocked', added: '2026-11-20T00:00:00Z' },
          { pattern: 'official.example', level: 'official', added: '2026-11-20T00:00:00Z' },
          { pattern: 'dated.example', level: 'blocked', added: '2026-11-20' },
          { pattern: 'noted.example', level: 'blocked', added: '2026-11-20T00:00:00Z', note: 'x'.repeat(501) },
          { pattern: '*.relay.example', level: 'blocked', added: '2026-11-20T00:00:00Z' },
          'relay.example',
        ],
      }),
    );
    const issues = [
      'entries[1].pattern: “https://relay.example/login”: a pattern is a host name such as “example.com”, without scheme, path or spaces.',
      'entries[2].level: Invalid option: expected one of "vetted"|"blocked"',
      'entries[3].added: Invalid ISO datetime',
      'entries[4].note: Too big: expected string to have <=500 characters',
      'entries[5].pattern: “*.relay.example”: wildcards are not supported; “example.com” already matches every subdomain, “.example.com” only that host.',
      'entries[6]: Invalid input: expected object, received string',
    ];
    expect(result).toEqual(err({ message: `The file was not imported: ${issues[0]}`, issues }));
  });

  test('a pattern that would cover a whole suffix is refused', () => {
    const result = parseUserEntriesFile(file({ entries: [{ pattern: 'co.uk', level: 'blocked', added: '2026-11-20T00:00:00Z' }] }));
    const issue = 'entries[0].pattern: “co.uk”: a public suffix would match every site under it.';
    expect(result).toEqual(err({ message: `The file was not imported: ${issue}`, issues: [issue] }));
  });

  test('unknown keys, in the file and in its entries, are dropped, not imported', () => {
    const result = parseUserEntriesFile(
      file({
        exported: '2026-11-26T08:30:00Z',
        producedBy: 'RelayGuard 9.0',
        entries: [{ pattern: 'relay.example', level: 'blocked', added: '2026-11-20T00:00:00Z', colour: 'red', evidence: ['https://evidence.example.org/1'] }],
      }),
    );
    expect(result).toEqual(ok([{ pattern: 'relay.example', level: 'blocked', added: '2026-11-20T00:00:00Z' }]));
    expect(result.ok && Object.keys(result.value[0]!)).toEqual(['pattern', 'level', 'added']);
  });

  test('patterns come out in their canonical form', () => {
    const spelled = ['Relay.EXAMPLE.', '  .Chat.Relay.Example  ', 'bücher.example', '.BÜCHER.example', '[2001:DB8::1]', '.203.0.113.7'];
    const result = parseUserEntriesFile(file({ entries: spelled.map((pattern) => ({ pattern, level: 'blocked', added: '2026-11-20T00:00:00Z' })) }));
    expect(result.ok && result.value.map((entry) => entry.pattern)).toEqual([
      'relay.example',
      '.chat.relay.example',
      'xn--bcher-kva.example',
      '.xn--bcher-kva.example',
      '2001:db8::1',
      '203.0.113.7',
    ]);
  });
});
