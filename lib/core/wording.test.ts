import { describe, expect, test } from 'vitest';
import english from '../../public/_locales/en/messages.json' with { type: 'json' };
import chinese from '../../public/_locales/zh_CN/messages.json' with { type: 'json' };
import { loadBundledLists } from '../lists/bundled-lists.ts';
import type { MessagesJson } from './i18n.ts';

/**
 * One wording per concept across the in-page warning, the popup, the block page and the options
 * page, in both languages (issue 12): each concept below has one word, and its synonyms appear
 * in no message. "Report" was 举报 in one place and 报告 in another.
 */
const SYNONYMS: Record<'en' | 'zh_CN', ReadonlyArray<readonly [concept: string, banned: RegExp]>> = {
  en: [
    ['allowlist', /\b(white ?list|allow list|trust ?list)/i],
    ['blocklist', /\b(black ?list|block list|deny ?list)/i],
  ],
  zh_CN: [
    ['报告 (report)', /举报/],
    ['允许列表 (allowlist)', /白名单|信任名单|信任列表|允许名单/],
    ['拦截列表 (blocklist)', /黑名单|拦截名单|屏蔽/],
    ['未经审核 (unvetted)', /未审核|未审查|未经审查/],
  ],
};

describe.each([
  ['en', english],
  ['zh_CN', chinese],
] as const)('%s: one word per concept', (locale, catalogue) => {
  test.each(SYNONYMS[locale])('%s', (_concept, banned) => {
    const offenders = Object.entries(catalogue as MessagesJson).filter(([, { message }]) => banned.test(message)).map(([key, { message }]) => `${key}: ${message}`);
    expect(offenders).toEqual([]);
  });
});

test('"Report" is one message, used by the popup, the in-page warning and the block page', () => {
  expect((english as MessagesJson).report?.message).toBe('Report');
  expect((chinese as MessagesJson).report?.message).toBe('报告');
  for (const retired of ['popup_report', 'warning_report', 'popup_reportLater', 'warning_reportSoon']) {
    expect(Object.keys(english)).not.toContain(retired);
  }
});

test('built-in list names are not translated: the Chinese UI shows them as the lists spell them', () => {
  const names = loadBundledLists().lists.map(({ list }) => list.name);
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) expect(Object.values(chinese as MessagesJson).some(({ message }) => message.includes(name))).toBe(false);
  for (const name of names) expect(name).toMatch(/^[\x20-\x7e]+$/);
});
