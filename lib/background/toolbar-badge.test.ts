import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, test } from 'vitest';
import english from '../../public/_locales/en/messages.json' with { type: 'json' };
import { actionForOpenTabs } from '../../tests/support/extension-apis.ts';
import { createTranslator, formatMessage, type MessagesJson } from '../core/i18n.ts';
import type { VerdictLevel } from '../verdicts/verdict.ts';
import { BADGE_STYLE, ToolbarBadge } from './toolbar-badge.ts';

/** browser.i18n.getMessage with the real English catalogue. */
const translate = createTranslator((key, substitutions) => formatMessage(english as MessagesJson, key, substitutions));

const EXPECTED: Record<VerdictLevel, { text: string; rgba: number[]; title: string }> = {
  blocked: { text: '✕', rgba: [0xb3, 0x26, 0x1e, 255], title: 'RelayGuard: Blocked relay — relay.example' },
  unvetted: { text: '!', rgba: [0x8a, 0x5a, 0x00, 255], title: 'RelayGuard: Unvetted relay — relay.example' },
  official: { text: '✓', rgba: [0x11, 0x63, 0x29, 255], title: 'RelayGuard: Official AI vendor — relay.example' },
  vetted: { text: '✓', rgba: [0x05, 0x50, 0xae, 255], title: 'RelayGuard: Vetted intermediary — relay.example' },
  unknown: { text: '', rgba: [0x57, 0x60, 0x6a, 255], title: 'RelayGuard: No relay seen — relay.example' },
};

let tabId: number;

beforeEach(async () => {
  fakeBrowser.reset();
  tabId = (await fakeBrowser.tabs.create({ url: 'https://relay.example/' })).id!;
});

async function shown(id: number) {
  const { action } = fakeBrowser;
  return {
    text: await action.getBadgeText({ tabId: id }),
    rgba: await action.getBadgeBackgroundColor({ tabId: id }),
    textColor: await action.getBadgeTextColor({ tabId: id }),
    title: await action.getTitle({ tabId: id }),
  };
}

describe('per level', () => {
  for (const level of Object.keys(EXPECTED) as VerdictLevel[]) {
    test(`${level}: its text, colour and a title in words`, async () => {
      const badge = new ToolbarBadge(actionForOpenTabs(), translate);
      await badge.show(tabId, { level, reasons: [] }, 'relay.example');
      const { text, rgba, title } = EXPECTED[level];
      expect(await shown(tabId)).toEqual({ text, rgba, textColor: '#ffffff', title });
    });
  }

  test('two tabs keep their own badges', async () => {
    const other = (await fakeBrowser.tabs.create({ url: 'https://api.openai.com/' })).id!;
    const badge = new ToolbarBadge(actionForOpenTabs(), translate);
    await badge.show(tabId, { level: 'blocked', reasons: [] }, 'relay.example');
    await badge.show(other, { level: 'official', reasons: [] }, 'api.openai.com');
    expect((await shown(tabId)).text).toBe('✕');
    expect(await shown(other)).toEqual({ text: '✓', rgba: EXPECTED.official.rgba, textColor: '#ffffff', title: 'RelayGuard: Official AI vendor — api.openai.com' });
  });

  test('an IDN host is shown as given, Unicode and punycode', async () => {
    const badge = new ToolbarBadge(actionForOpenTabs(), translate);
    await badge.show(tabId, { level: 'unvetted', reasons: [] }, 'bücher.example (xn--bcher-kva.example)');
    expect((await shown(tabId)).title).toBe('RelayGuard: Unvetted relay — bücher.example (xn--bcher-kva.example)');
  });
});

test('every badge colour keeps white text readable (contrast ≥ 4.5:1)', () => {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  for (const [level, { color }] of Object.entries(BADGE_STYLE)) {
    const contrast = 1.05 / (luminance(color) + 0.05);
    expect({ level, readable: contrast >= 4.5 }).toEqual({ level, readable: true });
  }
});

describe('when the badge cannot be shown', () => {
  test('a tab closed before the badge arrives: no throw, nothing set', async () => {
    // (fakeBrowser.tabs.remove looks the window up by the tab's id, so the closed tab is one that no longer exists.)
    const closed = tabId + 100;
    const badge = new ToolbarBadge(actionForOpenTabs(), translate);
    await expect(badge.show(closed, { level: 'blocked', reasons: [] }, 'relay.example')).resolves.toBeUndefined();
    expect(await shown(closed)).toEqual({ text: '', rgba: [0x5f, 0x5d, 0x5b, 255], textColor: '#FFFFFF', title: '' });
    // The open tab still gets its badge afterwards.
    await badge.show(tabId, { level: 'blocked', reasons: [] }, 'relay.example');
    expect((await shown(tabId)).text).toBe('✕');
  });

  test('a browser without setBadgeTextColor (Firefox MV2 browserAction) still gets text, colour and title', async () => {
    const badge = new ToolbarBadge(actionForOpenTabs({ withTextColor: false }), translate);
    await badge.show(tabId, { level: 'blocked', reasons: [] }, 'relay.example');
    expect(await shown(tabId)).toEqual({ ...EXPECTED.blocked, textColor: '#FFFFFF' });
  });
});
