// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Translate } from '../../lib/core/i18n.ts';
import type { ReportDocument } from '../../lib/reports/report-document.ts';
import { LANGUAGES, renderPage } from '../../tests/support/component-harness.tsx';
import { FakeBackground, type FakeBackgroundOptions } from '../../tests/support/fake-background.ts';
import { sampleKeys } from '../../tests/support/generated-keys.ts';
import { PopupApp } from './PopupApp.tsx';

const RELAY_TAB = 7;
const CHAT_TAB = 8;
const LOOKALIKE_TAB = 9;
const KEY = sampleKeys.openai;

const TABS: FakeBackgroundOptions['tabs'] = {
  [RELAY_TAB]: {
    url: `https://relay.example/console/token?key=${KEY}#t=${KEY}`,
    title: `Console ${KEY}`,
    detections: [{ kind: 'signal', level: 'unvetted', source: 'gateway-meta-description', detail: 'one-api stock description' }],
    endpoints: [{ host: 'relay.example', protocol: 'openai', count: 3, credentialKinds: ['vendor-key'] }],
    family: 'one-api',
  },
  // A chat app that is no relay itself, but sends what is typed to one.
  [CHAT_TAB]: {
    url: 'https://chat.example/',
    endpoints: [{ host: 'api.relay-endpoint.example', protocol: 'openai', count: 1, credentialKinds: [] }],
  },
  [LOOKALIKE_TAB]: { url: 'https://openai-api.example/', detections: [{ kind: 'lookalike', level: 'unvetted', source: 'openai-api.example', detail: 'api.openai.com' }] },
};

let background: FakeBackground;

function renderPopup(t: Translate, tabId: number, options: FakeBackgroundOptions & { startReport?: boolean } = {}) {
  background = new FakeBackground({ tabs: TABS, ...options });
  renderPage(<PopupApp resolveTabId={async () => tabId} openOptions={vi.fn()} startReport={options.startReport ?? false} />, { t, send: background.send });
}

const preview = () => screen.getByTestId('report-preview');
async function shownDocument(): Promise<ReportDocument> {
  await waitFor(() => expect(preview().textContent).toMatch(/^\{/));
  return JSON.parse(preview().textContent ?? '') as ReportDocument;
}

async function openForm(t: Translate) {
  fireEvent.click(await screen.findByRole('button', { name: t('report') }));
  return screen.getByTestId('report-form');
}

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  expect(background.refused).toEqual([]);
});

describe.each(LANGUAGES)('popup report form (%s)', (_locale, t) => {
  test('previews exactly what is sent, redacted, and sending it blocks the relay for the person at once, undoably', async () => {
    renderPopup(t, RELAY_TAB, { reportEndpoint: 'https://collector.example/reports' });
    await openForm(t);

    const first = await shownDocument();
    expect(first).toMatchObject({ schema: 'relayguard.report/1', kind: 'relay', host: 'relay.example', url: 'https://relay.example/console/token', level: 'unvetted' });
    expect(preview().textContent).not.toContain(KEY.slice(8, 24));
    expect(screen.getByTestId('report-destination').textContent).toBe(t('report_sendTo', { endpoint: 'https://collector.example/reports' }));
    expect(screen.getByTestId('report-acts').textContent).toBe(t('report_actsBlock', { host: 'relay.example' }));

    fireEvent.change(screen.getByTestId('report-kind'), { target: { value: 'false-positive' } });
    await waitFor(async () => expect((await shownDocument()).kind).toBe('false-positive'));
    expect(screen.getByTestId('report-acts').textContent).toBe(t('report_actsTrust', { host: 'relay.example' }));
    fireEvent.change(screen.getByTestId('report-kind'), { target: { value: 'relay' } });
    fireEvent.input(screen.getByTestId('report-note'), { target: { value: `it asked me for ${KEY}` } });
    await waitFor(async () => expect((await shownDocument()).note).toBe('it asked me for [redacted]'));
    const shown = await shownDocument();
    expect(shown.kind).toBe('relay');

    fireEvent.click(screen.getByTestId('report-send'));
    await waitFor(() => expect(screen.getByTestId('report-status').getAttribute('data-state')).toBe('queued'));
    // The document sent is the one previewed, to the byte.
    expect(background.requestsOf('report/send').map((request) => request.document)).toEqual([shown]);
    await waitFor(() => expect(screen.getByTestId('report-acted').textContent).toContain(t('report_actedBlock', { host: 'relay.example' })));
    expect(background.entries).toMatchObject([{ pattern: 'relay.example', level: 'blocked', note: t('report_entryNote') }]);
    await waitFor(() => expect(screen.getByTestId('verdict').getAttribute('data-level')).toBe('blocked'));
    expect((screen.getByTestId('report-send') as HTMLButtonElement).disabled).toBe(true); // sent once

    await waitFor(() => expect((screen.getByTestId('report-undo') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('report-undo'));
    await waitFor(() => expect(screen.getByTestId('report-result').textContent).toBe(t('report_undone', { host: 'relay.example' })));
    expect(background.entries).toEqual([]);
    await waitFor(() => expect(screen.getByTestId('verdict').getAttribute('data-level')).toBe('unvetted'));
  });

  test('undo puts back the entry the report replaced', async () => {
    renderPopup(t, RELAY_TAB, {
      reportEndpoint: 'https://collector.example/reports',
      entries: [{ pattern: 'relay.example', level: 'vetted', added: '2026-11-01T00:00:00Z', note: 'my team' }],
    });
    await openForm(t);
    await shownDocument();
    fireEvent.click(screen.getByTestId('report-send'));
    await waitFor(() => expect((screen.getByTestId('report-undo') as HTMLButtonElement).disabled).toBe(false));
    expect(background.entries).toMatchObject([{ pattern: 'relay.example', level: 'blocked' }]);
    fireEvent.click(screen.getByTestId('report-undo'));
    await waitFor(() => expect(background.entries).toMatchObject([{ pattern: 'relay.example', level: 'vetted', note: 'my team' }]));
  });

  test('shows the state the delivery queue records: queued, retrying with why, sent; a failed one can be sent again', async () => {
    renderPopup(t, RELAY_TAB, { reportEndpoint: 'https://collector.example/reports' });
    await openForm(t);
    const { id } = await shownDocument();
    fireEvent.click(screen.getByTestId('report-send'));
    const status = () => screen.getByTestId('report-status');
    await waitFor(() => expect(status().textContent).toBe(t('report_state_queued', { endpoint: 'https://collector.example/reports' })));

    background.settleReport(id, { attempts: 1, lastError: 'The endpoint answered HTTP 503; will retry.' });
    await waitFor(() => expect(status().textContent).toBe(t('report_state_retrying', { why: 'The endpoint answered HTTP 503; will retry.' })), { timeout: 3000 });
    background.settleReport(id, { state: 'failed', lastError: 'The endpoint refused the report: HTTP 400.' });
    await waitFor(() => expect(status().getAttribute('data-state')).toBe('failed'), { timeout: 3000 });
    expect(status().textContent).toBe(t('report_state_failed', { why: 'The endpoint refused the report: HTTP 400.' }));

    fireEvent.click(screen.getByTestId('report-retry'));
    await waitFor(() => expect(status().getAttribute('data-state')).toBe('queued'));
    background.settleReport(id, { state: 'sent', attempts: 1 });
    await waitFor(() => expect(status().getAttribute('data-state')).toBe('sent'), { timeout: 3000 });
    expect(status().textContent).toBe(t('report_state_sent'));
  });

  test('without an endpoint: the preview, an export and a copy, and Send says why it waits', async () => {
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:report';
    });
    renderPopup(t, RELAY_TAB);
    await openForm(t);
    const shown = await shownDocument();

    const send = screen.getByTestId('report-send') as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    await waitFor(() => expect(document.getElementById(send.getAttribute('aria-describedby') ?? '')?.textContent).toBe(t('report_noEndpoint')));

    fireEvent.click(screen.getByTestId('report-export'));
    await waitFor(() => expect(screen.getByTestId('report-result').textContent).toBe(t('report_exported')));
    expect(created).toHaveLength(1);
    expect(JSON.parse(await created[0]!.text())).toEqual(shown);
    // Exporting made the report: the relay is blocked for the person now.
    await waitFor(() => expect(background.entries).toMatchObject([{ pattern: 'relay.example', level: 'blocked' }]));
    expect(background.requestsOf('report/send')).toEqual([]);

    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    fireEvent.click(screen.getByTestId('report-copy'));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(JSON.stringify(shown, null, 2)));
    // The same report made twice acts once.
    expect(background.requestsOf('user-entries/put')).toHaveLength(1);
  });

  test('a chat app that calls a relay: the report is about the endpoint, which is what gets blocked', async () => {
    renderPopup(t, CHAT_TAB, { reportEndpoint: 'https://collector.example/reports' });
    await openForm(t);
    await shownDocument();
    expect(screen.getByTestId('report-acts').textContent).toBe(t('report_actsBlock', { host: 'api.relay-endpoint.example' }));
    fireEvent.click(screen.getByTestId('report-send'));
    await waitFor(() => expect(background.entries).toMatchObject([{ pattern: 'api.relay-endpoint.example', level: 'blocked' }]));
  });

  test('a false positive on a look-alike host trusts nothing', async () => {
    renderPopup(t, LOOKALIKE_TAB, { reportEndpoint: 'https://collector.example/reports' });
    await openForm(t);
    fireEvent.change(screen.getByTestId('report-kind'), { target: { value: 'false-positive' } });
    await waitFor(() => expect(screen.getByTestId('report-acts').textContent).toBe(t('report_actsNone_lookalike')));
    await waitFor(async () => expect((await shownDocument()).kind).toBe('false-positive'));
    fireEvent.click(screen.getByTestId('report-send'));
    await waitFor(() => expect(screen.getByTestId('report-status').getAttribute('data-state')).toBe('queued'));
    expect(background.requestsOf('user-entries/put')).toEqual([]);
  });

  test('without an endpoint, a list that declares a tracker gets a pre-filled issue; making it acts at once', async () => {
    renderPopup(t, RELAY_TAB, {
      subscriptions: [
        {
          url: 'https://lists.example/team.json',
          list: { name: 'Team blocklist', version: '3.1.0', updated: '2026-11-20', reportUrl: 'https://tracker.example/team/issues/new', entries: [] },
          fetchedAt: 0,
          lastTriedAt: 0,
        },
      ],
    });
    await openForm(t);
    const shown = await shownDocument();
    const link = (await screen.findByTestId('report-issue')) as HTMLAnchorElement;
    expect(link.textContent).toBe(t('report_issue', { list: 'Team blocklist' }));
    expect(link.rel).toBe('noopener noreferrer');
    const url = new URL(link.href);
    expect(url.origin + url.pathname).toBe('https://tracker.example/team/issues/new');
    expect(url.searchParams.get('title')).toBe('Relay: relay.example');
    expect(url.searchParams.get('body')).toContain(`id ${shown.id}`);
    expect(url.href).not.toContain(KEY.slice(8, 24));
    link.addEventListener('click', (event) => event.preventDefault());
    fireEvent.click(link);
    await waitFor(() => expect(background.entries).toMatchObject([{ pattern: 'relay.example', level: 'blocked' }]));
  });

  test('with an endpoint, no issue link: reports go where the endpoint says', async () => {
    renderPopup(t, RELAY_TAB, {
      reportEndpoint: 'https://collector.example/reports',
      subscriptions: [
        { url: 'https://lists.example/team.json', list: { name: 'Team blocklist', version: '3.1.0', updated: '2026-11-20', reportUrl: 'https://tracker.example/new', entries: [] }, fetchedAt: 0, lastTriedAt: 0 },
      ],
    });
    await openForm(t);
    await shownDocument();
    await screen.findByTestId('report-destination');
    expect(screen.queryByTestId('report-issue')).toBeNull();
  });

  test('opened from the in-page warning or the block page (&report=1), the form is open at once', async () => {
    renderPopup(t, RELAY_TAB, { startReport: true });
    expect(await screen.findByTestId('report-form')).toBeTruthy();
    await shownDocument();
  });
});
