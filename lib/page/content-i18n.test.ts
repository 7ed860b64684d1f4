import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createTranslator, type MessageKey } from '../core/i18n.ts';
import { CONTENT_PLACEHOLDERS, createContentTranslator } from './content-i18n.ts';
import { CATALOGUES, getMessageFrom } from './test-support.ts';

/** Every file whose strings the content script renders. */
const CONTENT_UI_FILES = ['components/page/InPageWarning.tsx', 'components/page/PasteGuardDialog.tsx', 'components/page/PasteNotice.tsx', 'components/common/ReasonItem.tsx'];

function messageKeysUsedIn(file: string): string[] {
  const source = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
  const literal = [...source.matchAll(/\bt\(\s*'(\w+)'/g)].map((match) => match[1]!);
  const ternary = [...source.matchAll(/\bt\([^,()]+\?\s*'(\w+)'\s*:\s*'(\w+)'/g)].flatMap((match) => [match[1]!, match[2]!]);
  // Template keys (`level_${level}`) expand over the placeholder-free level names.
  const templated = [...source.matchAll(/\bt\(\s*`(\w+)\$\{/g)].flatMap((match) => Object.keys(CATALOGUES.en).filter((key) => key.startsWith(match[1]!)));
  return [...new Set([...literal, ...ternary, ...templated])];
}

describe('createContentTranslator', () => {
  const table: Record<string, readonly string[]> = CONTENT_PLACEHOLDERS;

  test('knows the placeholder order of every in-page message that has placeholders', () => {
    const used = CONTENT_UI_FILES.flatMap(messageKeysUsedIn);
    expect(used.length).toBeGreaterThan(20);
    for (const key of used) {
      const entry = CATALOGUES.en[key];
      expect(entry, `${key} is in the English catalogue`).toBeDefined();
      const placeholders = Object.keys(entry!.placeholders ?? {});
      if (placeholders.length > 0) expect(table[key], `${key} is in CONTENT_PLACEHOLDERS`).toBeDefined();
    }
  });

  test.each(Object.keys(CONTENT_PLACEHOLDERS))('%s: its order is the catalogue’s', (key) => {
    const placeholders = CATALOGUES.en[key]!.placeholders!;
    const byPosition = Object.entries(placeholders)
      .sort(([, a], [, b]) => Number(a.content.slice(1)) - Number(b.content.slice(1)))
      .map(([name]) => name);
    expect(table[key]).toEqual(byPosition);
  });

  test.each(['en', 'zh_CN'] as const)('gives the same text as the full translator (%s)', (locale) => {
    const full = createTranslator(getMessageFrom(locale));
    const light = createContentTranslator(getMessageFrom(locale));
    for (const [key, names] of Object.entries(table)) {
      const values = Object.fromEntries(names.map((name, index) => [name, `«${name}-${index}»`]));
      const call = (t: typeof full) => (t as (key: MessageKey, values: Record<string, string>) => string)(key as MessageKey, values);
      expect(call(light)).toBe(call(full));
      for (const name of names) expect(call(light)).toContain(values[name]);
    }
    expect(light('paste_title')).toBe(full('paste_title'));
  });
});
