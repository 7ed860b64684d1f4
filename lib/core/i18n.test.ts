import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { createTranslator, formatMessage, type GetMessage, type MessagesJson } from './i18n.ts';
import { SIGNAL_IDS } from '../detection/scoring.ts';

const LOCALES_DIR = fileURLToPath(new URL('../../public/_locales/', import.meta.url));
const readCatalogue = (locale: string): MessagesJson => JSON.parse(readFileSync(`${LOCALES_DIR}${locale}/messages.json`, 'utf8')) as MessagesJson;
const english = readCatalogue('en');
const chinese = readCatalogue('zh_CN');
const catalogues = { en: english, zh_CN: chinese };

/** `$NAME$` references in a message, lower-cased as the browsers look them up. */
const referencesIn = (message: string) => [...message.matchAll(/\$([\w@]+)\$/g)].map((match) => match[1]!.toLowerCase());
const placeholdersOf = (catalogue: MessagesJson, key: string) =>
  Object.fromEntries(Object.entries(catalogue[key]?.placeholders ?? {}).map(([name, { content }]) => [name, content]));

describe('the catalogues', () => {
  test('the locales are exactly en and zh_CN', () => {
    expect(readdirSync(LOCALES_DIR).sort()).toEqual(['en', 'zh_CN']);
  });

  test('en and zh_CN have identical key sets', () => {
    const englishKeys = Object.keys(english).sort();
    expect(englishKeys.length).toBeGreaterThan(20);
    expect(Object.keys(chinese).sort()).toEqual(englishKeys);
  });

  test('every key has the same placeholders, with the same contents, in both', () => {
    for (const key of Object.keys(english)) {
      expect({ key, placeholders: placeholdersOf(chinese, key) }).toEqual({ key, placeholders: placeholdersOf(english, key) });
    }
  });

  for (const [locale, catalogue] of Object.entries(catalogues)) {
    test(`${locale}: every message is non-empty text with a valid name`, () => {
      for (const [key, entry] of Object.entries(catalogue)) {
        expect({ key, valid: /^[\w@]+$/.test(key) && !key.startsWith('@@') }).toEqual({ key, valid: true });
        expect({ key, type: typeof entry.message, empty: entry.message.trim() === '' }).toEqual({ key, type: 'string', empty: false });
      }
    });

    test(`${locale}: every $NAME$ reference exists and every placeholder is used`, () => {
      for (const [key, entry] of Object.entries(catalogue)) {
        const defined = Object.keys(entry.placeholders ?? {});
        const referenced = referencesIn(entry.message);
        expect({ key, missing: referenced.filter((name) => !defined.includes(name)) }).toEqual({ key, missing: [] });
        expect({ key, unused: defined.filter((name) => !referenced.includes(name)) }).toEqual({ key, unused: [] });
        // Placeholder names are looked up lower-cased; an upper-case name could never be found.
        expect({ key, names: defined.filter((name) => name !== name.toLowerCase()) }).toEqual({ key, names: [] });
      }
    });

    test(`${locale}: positional contents are $1…$n without gaps, as createTranslator assumes`, () => {
      for (const [key, entry] of Object.entries(catalogue)) {
        const positions = Object.values(entry.placeholders ?? {})
          .map(({ content }) => content)
          .filter((content) => /^\$\d+$/.test(content))
          .map((content) => Number(content.slice(1)))
          .sort((a, b) => a - b);
        expect({ key, positions }).toEqual({ key, positions: positions.map((_, index) => index + 1) });
      }
    });
  }
});

describe('formatMessage', () => {
  const catalogue: MessagesJson = {
    greeting: { message: 'Hello, $USER$! Welcome to $Site$.', placeholders: { user: { content: '$1' }, site: { content: 'Example.com' } } },
    swapped: { message: '$SECOND$ before $FIRST$', placeholders: { first: { content: '$1' }, second: { content: '$2' } } },
    direct: { message: 'Direct $1 and $2, missing $3.' },
    dollars: { message: 'Costs $$5, $$$ and $$1 and $ alone.' },
    unknown: { message: 'Left as is: $NOPE$', placeholders: {} },
    error: { message: 'Failed: $ERROR$', placeholders: { error: { content: '$1' } } },
  };

  test('$NAME$ → its placeholder content, names case-insensitive, literal contents kept', () => {
    expect(formatMessage(catalogue, 'greeting', ['Ada'])).toBe('Hello, Ada! Welcome to Example.com.');
    expect(formatMessage(catalogue, 'swapped', ['one', 'two'])).toBe('two before one');
  });

  test('$1…$9 directly in the message → substitutions; a missing one → empty', () => {
    expect(formatMessage(catalogue, 'direct', ['a', 'b'])).toBe('Direct a and b, missing .');
    expect(formatMessage(catalogue, 'greeting')).toBe('Hello, ! Welcome to Example.com.');
  });

  test('$$ → $ (of a run of dollars only the first is dropped); a lone $ stays', () => {
    expect(formatMessage(catalogue, 'dollars', ['x'])).toBe('Costs $5, $$ and $1 and $ alone.');
  });

  test('substituted values are inserted verbatim, never re-read', () => {
    expect(formatMessage(catalogue, 'error', ['costs US$$5, see $1 or $ERROR$'])).toBe('Failed: costs US$$5, see $1 or $ERROR$');
  });

  test('an unknown placeholder stays; an unknown key is the empty string (as getMessage answers)', () => {
    expect(formatMessage(catalogue, 'unknown')).toBe('Left as is: $NOPE$');
    expect(formatMessage(catalogue, 'missing', ['a'])).toBe('');
  });

  test('the real catalogues', () => {
    expect(formatMessage(english, 'reason_list', ['RelayGuard blocklist v2026.11.26', 'Blocked relay', 'relay.example'])).toBe(
      'RelayGuard blocklist v2026.11.26 lists it as “Blocked relay”: relay.example',
    );
    expect(formatMessage(chinese, 'reason_list', ['S', 'L', 'D'])).toBe('S 将其列为「L」：D');
    expect(formatMessage(english, 'noPage')).toBe('RelayGuard checks web pages. This tab has none.');
  });
});

describe('createTranslator', () => {
  const recording = (answer: (key: string, substitutions: string[]) => string) => {
    const calls: [string, string[] | undefined][] = [];
    const getMessage: GetMessage = (key, substitutions) => {
      calls.push([key, substitutions]);
      return answer(key, substitutions ?? []);
    };
    return { calls, t: createTranslator(getMessage) };
  };

  test('orders named values by placeholder position, whatever the object order', () => {
    const { calls, t } = recording((key, substitutions) => formatMessage(english, key, substitutions));
    expect(t('reason_list', { detail: 'relay.example', level: 'Blocked relay', source: 'Blocklist v1' })).toBe('Blocklist v1 lists it as “Blocked relay”: relay.example');
    expect(calls).toEqual([['reason_list', ['Blocklist v1', 'Blocked relay', 'relay.example']]]);
  });

  test('a key without placeholders passes no substitutions', () => {
    const { calls, t } = recording(() => 'x');
    expect(t('noPage')).toBe('x');
    expect(calls).toEqual([['noPage', []]]);
  });

  test('uses the browser’s answer for the current locale', () => {
    const { t } = recording((key, substitutions) => formatMessage(chinese, key, substitutions));
    expect(t('reason_list', { source: 'S', level: 'L', detail: 'D' })).toBe('S 将其列为「L」：D');
    expect(t('noPage')).toBe(chinese.noPage!.message);
  });

  test('falls back to English when getMessage answers the empty string', () => {
    const { calls, t } = recording(() => '');
    expect(t('reason_list', { source: 'S', level: 'L', detail: 'D' })).toBe('S lists it as “L”: D');
    expect(t('noPage')).toBe('RelayGuard checks web pages. This tab has none.');
    expect(calls.map(([key]) => key)).toEqual(['reason_list', 'noPage']);
  });

  test('the English fallback inserts values verbatim too', () => {
    const { t } = recording(() => '');
    expect(t('loadError', { error: 'quota $$ exceeded ($1)' })).toBe('RelayGuard could not check this tab: quota $$ exceeded ($1)');
  });
});

describe('detection signals have names in every language', () => {
  test.each(SIGNAL_IDS)('%s', (id) => {
    const key = `signal_${id.replaceAll('-', '_')}`;
    expect(Object.keys(english)).toContain(key);
    expect(Object.keys(chinese)).toContain(key);
  });
});
