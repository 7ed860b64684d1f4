// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, test } from 'vitest';
import { sampleKeys } from '../../tests/support/generated-keys.ts';
import { FakeBackground } from '../../tests/support/fake-background.ts';
import { LANGUAGES, renderPage } from '../../tests/support/component-harness.tsx';
import { PopupKeysSent } from './PopupKeysSent.tsx';

const AT = Date.UTC(2026, 11, 3, 4, 0, 0);
const KEY = sampleKeys.anthropic;
const CHAT_TAB = 4;
const HISTORY = [
  {
    kind: 'key-sent' as const,
    pageHost: 'chat.example',
    endpointHost: 'api.relay.example',
    vendor: 'anthropic' as const,
    credentialKind: 'vendor-key' as const,
    format: 'anthropic-api',
    last4: KEY.slice(-4),
    firstAt: AT,
    lastAt: AT,
    count: 1,
  },
];

let background: FakeBackground;

afterEach(() => {
  cleanup();
  expect(background.refused).toEqual([]);
});

describe.each(LANGUAGES)('"your key ending …" (%s)', (_locale, t) => {
  test('the popup says it on the spot for the tab whose page sent a key, and is silent elsewhere', async () => {
    background = new FakeBackground({ history: HISTORY, tabs: { [CHAT_TAB]: { url: 'https://chat.example/c/1' }, 5: { url: 'https://other.example/' } } });
    renderPage(<PopupKeysSent tabId={CHAT_TAB} />, { t, send: background.send });
    const notice = await screen.findByTestId('key-sent-notice');
    expect(notice.textContent).toContain(t('popup_keySent', { vendor: 'Anthropic', ending: `…${KEY.slice(-4)}`, host: 'api.relay.example' }));
    expect(notice.querySelector('[data-testid="rotate-key"]')?.getAttribute('href')).toBe('https://console.anthropic.com/settings/keys');
    cleanup();

    renderPage(<PopupKeysSent tabId={5} />, { t, send: background.send });
    await waitFor(() => expect(document.querySelector('[data-testid="keys-sent"]')?.getAttribute('data-count')).toBe('0'));
    expect(document.querySelector('[data-testid="key-sent-notice"]')).toBeNull();
  });
});
