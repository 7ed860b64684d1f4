import { describe, expect, it, test } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings, settingsChangesSchema, settingsSchema, type Settings } from './settings.ts';

test('the defaults protect: every guard on', () => {
  expect(DEFAULT_SETTINGS).toEqual({ blockAiRequestsToBlocked: true, pasteGuard: true, unknownPageNotice: true });
});

describe('parseSettings', () => {
  test('nothing stored yet gives the defaults', () => {
    expect(parseSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings({})).toEqual(DEFAULT_SETTINGS);
  });

  test('a stored value that is not an object gives the defaults', () => {
    for (const raw of ['{"pasteGuard":false}', 42, true, [], [false, false, false]]) {
      expect({ raw, settings: parseSettings(raw) }).toEqual({ raw, settings: DEFAULT_SETTINGS });
    }
  });

  test('valid values are kept as they are', () => {
    const all: Settings = { blockAiRequestsToBlocked: false, pasteGuard: false, unknownPageNotice: false };
    expect(parseSettings(all)).toEqual(all);
    expect(parseSettings({ pasteGuard: false })).toEqual({ blockAiRequestsToBlocked: true, pasteGuard: false, unknownPageNotice: true });
  });

  test('a damaged field falls back to its default; the other fields keep their values', () => {
    expect(parseSettings({ blockAiRequestsToBlocked: 'no', pasteGuard: false, unknownPageNotice: null })).toEqual({
      blockAiRequestsToBlocked: true,
      pasteGuard: false,
      unknownPageNotice: true,
    });
    expect(parseSettings({ blockAiRequestsToBlocked: false, pasteGuard: 0, unknownPageNotice: false })).toEqual({
      blockAiRequestsToBlocked: false,
      pasteGuard: true,
      unknownPageNotice: false,
    });
  });

  test('keys from another version are dropped, not carried along', () => {
    expect(parseSettings({ pasteGuard: false, theme: 'dark', lastSeenVersion: '0.9.0' })).toEqual({
      blockAiRequestsToBlocked: true,
      pasteGuard: false,
      unknownPageNotice: true,
    });
  });

  test('the result is a fresh object each time, never the shared defaults', () => {
    const first = parseSettings(undefined);
    first.pasteGuard = false;
    expect(parseSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.pasteGuard).toBe(true);
  });
});

test('the schema’s keys are exactly the settings the defaults name', () => {
  expect(Object.keys(settingsSchema.shape).sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort());
});

describe('settingsChangesSchema (settings/set)', () => {
  it('accepts any subset of real booleans', () => {
    expect(settingsChangesSchema.parse({ pasteGuard: false })).toEqual({ pasteGuard: false });
    expect(settingsChangesSchema.parse({})).toEqual({});
  });

  it.each([{ pasteGuard: 'false' }, { unknownPageNotice: null }, { blockAiRequestsToBlocked: 0 }, { somethingElse: true }])('refuses %j instead of reading it as a default', (changes) => {
    expect(settingsChangesSchema.safeParse(changes).success).toBe(false);
  });
});
