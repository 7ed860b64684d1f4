import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_SETTINGS } from '../core/settings.ts';
import { Preferences } from './preferences.ts';

// The real WXT storage over fakeBrowser's storage.local, as entrypoints/background.ts wires it.
let preferences: Preferences;

const stored = async () => fakeBrowser.storage.local.get(null);

beforeEach(() => {
  fakeBrowser.reset();
  preferences = new Preferences(storage);
});

describe('settings', () => {
  test('nothing stored gives the defaults and writes nothing', async () => {
    expect(await preferences.settings()).toEqual(DEFAULT_SETTINGS);
    expect(await stored()).toEqual({});
  });

  test('a damaged stored value falls back field by field', async () => {
    await fakeBrowser.storage.local.set({ settings: { blockAiRequestsToBlocked: false, pasteGuard: 'off', unknownPageNotice: 7 } });
    expect(await preferences.settings()).toEqual({ blockAiRequestsToBlocked: false, pasteGuard: true, unknownPageNotice: true });

    await fakeBrowser.storage.local.set({ settings: 'corrupted' });
    expect(await preferences.settings()).toEqual(DEFAULT_SETTINGS);
  });

  test('updateSettings changes only the named fields, stores and returns the result', async () => {
    expect(await preferences.updateSettings({ pasteGuard: false })).toEqual({ blockAiRequestsToBlocked: true, pasteGuard: false, unknownPageNotice: true });
    expect(await preferences.updateSettings({ unknownPageNotice: false })).toEqual({ blockAiRequestsToBlocked: true, pasteGuard: false, unknownPageNotice: false });
    expect(await stored()).toEqual({ settings: { blockAiRequestsToBlocked: true, pasteGuard: false, unknownPageNotice: false } });
    // Another instance (a restarted worker) reads the same.
    expect(await new Preferences(storage).settings()).toEqual({ blockAiRequestsToBlocked: true, pasteGuard: false, unknownPageNotice: false });
  });

  test('updating over a damaged value stores a repaired one', async () => {
    await fakeBrowser.storage.local.set({ settings: { pasteGuard: 'off', theme: 'dark' } });
    await preferences.updateSettings({ blockAiRequestsToBlocked: false });
    expect(await stored()).toEqual({ settings: { blockAiRequestsToBlocked: false, pasteGuard: true, unknownPageNotice: true } });
  });
});

describe('dismissed warnings', () => {
  test('a dismissed host is remembered; others are not', async () => {
    expect(await preferences.isWarningDismissed('relay.example')).toBe(false);
    await preferences.dismissWarning('relay.example');
    expect(await preferences.isWarningDismissed('relay.example')).toBe(true);
    expect(await preferences.isWarningDismissed('chat.relay.example')).toBe(false);
    expect(await preferences.isWarningDismissed('other.example')).toBe(false);
    expect(await stored()).toEqual({ dismissedWarnings: ['relay.example'] });
  });

  test('dismissing again keeps one entry and makes it the most recent', async () => {
    await preferences.dismissWarning('a.example');
    await preferences.dismissWarning('b.example');
    await preferences.dismissWarning('a.example');
    expect(await stored()).toEqual({ dismissedWarnings: ['b.example', 'a.example'] });
  });

  test('at most 500 are kept; the oldest goes first', async () => {
    const hosts = Array.from({ length: 500 }, (_, i) => `site-${i}.example`);
    await fakeBrowser.storage.local.set({ dismissedWarnings: hosts });

    await preferences.dismissWarning('new.example');
    expect(await stored()).toEqual({ dismissedWarnings: [...hosts.slice(1), 'new.example'] });
    expect(await preferences.isWarningDismissed('site-0.example')).toBe(false);
    expect(await preferences.isWarningDismissed('site-1.example')).toBe(true);

    // Dismissing a host already kept drops nobody.
    await preferences.dismissWarning('site-1.example');
    expect(await stored()).toEqual({ dismissedWarnings: [...hosts.slice(2), 'new.example', 'site-1.example'] });
  });

  test('a damaged stored list is read as far as it is readable and repaired on the next write', async () => {
    await fakeBrowser.storage.local.set({ dismissedWarnings: [42, 'a.example', null, { host: 'b.example' }] });
    expect(await preferences.isWarningDismissed('a.example')).toBe(true);
    expect(await preferences.isWarningDismissed('b.example')).toBe(false);
    await preferences.dismissWarning('c.example');
    expect(await stored()).toEqual({ dismissedWarnings: ['a.example', 'c.example'] });

    await fakeBrowser.storage.local.set({ dismissedWarnings: 'a.example' });
    expect(await preferences.isWarningDismissed('a.example')).toBe(false);
    await preferences.dismissWarning('d.example');
    expect(await stored()).toEqual({ dismissedWarnings: ['d.example'] });
  });

  test('settings and dismissals do not disturb each other', async () => {
    await preferences.dismissWarning('relay.example');
    await preferences.updateSettings({ pasteGuard: false });
    expect(await stored()).toEqual({ dismissedWarnings: ['relay.example'], settings: { ...DEFAULT_SETTINGS, pasteGuard: false } });
  });
});
