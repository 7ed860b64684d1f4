// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { HistoryEntry } from '../../lib/history/key-history.ts';
import { sampleKeys } from '../../tests/support/generated-keys.ts';
import { secretWindows } from '../../tests/support/key-formats.ts';
import { FakeBackground } from '../../tests/support/fake-background.ts';
import { LANGUAGES, renderPage } from '../../tests/support/component-harness.tsx';
import { OptionsHistory } from './OptionsHistory.tsx';

const AT = Date.UTC(2026, 11, 3, 4, 0, 0);
const KEY = sampleKeys.anthropic;

const HISTORY: HistoryEntry[] = [
  {
    kind: 'key-sent',
    pageHost: 'chat.example',
    endpointHost: 'api.relay.example',
    vendor: 'anthropic',
    credentialKind: 'vendor-key',
    format: 'anthropic-api',
    last4: KEY.slice(-4),
    firstAt: AT,
    lastAt: AT,
    count: 2,
  },
  { kind: 'ai-call', pageHost: 'chat.example', endpointHost: 'api.relay.example', protocol: 'anthropic', level: 'unvetted', firstAt: AT, lastAt: AT, count: 2 },
  { kind: 'relay-visit', pageHost: 'relay.example', level: 'blocked', firstAt: AT - 1000, lastAt: AT - 1000, count: 1 },
];

let background: FakeBackground;

afterEach(() => {
  cleanup();
  expect(background.refused).toEqual([]);
});

const entries = () => [...document.querySelectorAll<HTMLElement>('[data-testid="history-entry"]')];

describe.each(LANGUAGES)('key history (%s)', (_locale, t) => {
  test('the options timeline: every entry, newest first, a key by its last four characters with a link to rotate it', async () => {
    background = new FakeBackground({ history: HISTORY });
    renderPage(<OptionsHistory />, { t, send: background.send });
    await waitFor(() => expect(entries()).toHaveLength(3));
    expect(entries().map((entry) => entry.dataset.kind)).toEqual(['key-sent', 'ai-call', 'relay-visit']);
    const [keySent, aiCall, visit] = entries() as [HTMLElement, HTMLElement, HTMLElement];
    expect(keySent.textContent).toContain(t('options_historyKeySent', { vendor: 'Anthropic', ending: `…${KEY.slice(-4)}`, page: 'chat.example', host: 'api.relay.example' }));
    expect(keySent.querySelector('[data-testid="rotate-key"]')?.getAttribute('href')).toBe('https://console.anthropic.com/settings/keys');
    expect(aiCall.textContent).toContain(t('options_historyAiCall', { page: 'chat.example', host: 'api.relay.example', level: t('level_unvetted') }));
    expect(visit.textContent).toContain(t('options_historyRelayVisit', { page: 'relay.example', level: t('level_blocked') }));
    for (const window of secretWindows(KEY, 5)) expect(document.body.textContent).not.toContain(window);
  });

  test('retention is saved; clear-all empties the timeline', async () => {
    background = new FakeBackground({ history: HISTORY });
    renderPage(<OptionsHistory />, { t, send: background.send });
    const days = (await screen.findByTestId('history-retention')) as HTMLInputElement;
    await waitFor(() => expect(days.value).toBe('90'));
    fireEvent.input(days, { target: { value: '30' } });
    fireEvent.submit(days.closest('form')!);
    await screen.findByText(t('options_historyRetentionSaved', { days: '30' }));
    expect(background.requestsOf('history/set-retention')).toEqual([{ type: 'history/set-retention', days: 30 }]);

    fireEvent.click(screen.getByTestId('history-clear'));
    await screen.findByTestId('history-empty');
    expect(entries()).toEqual([]);
    expect(background.history).toEqual([]);
  });

  test('export saves the history document as a file', async () => {
    background = new FakeBackground({ history: HISTORY });
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:history');
    renderPage(<OptionsHistory />, { t, send: background.send });
    await waitFor(() => expect(entries()).toHaveLength(3));
    fireEvent.click(screen.getByTestId('history-export'));
    await screen.findByText(t('options_historyExported', { count: '3' }));
    const blob = created.mock.calls[0]?.[0] as Blob;
    const document = JSON.parse(await blob.text()) as { schema: string; entries: unknown[] };
    expect(document.schema).toBe('relayguard.history/1');
    expect(document.entries).toHaveLength(3);
    created.mockRestore();
  });
});
