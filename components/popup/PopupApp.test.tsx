// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { FakeBackground, type FakeBackgroundOptions } from '../../tests/support/fake-background.ts';
import { LANGUAGES, renderPage } from '../../tests/support/component-harness.tsx';
import type { Translate } from '../../lib/core/i18n.ts';
import { PopupApp } from './PopupApp.tsx';

const RELAY_TAB = 7;
const IDN_TAB = 8;
const MANAGED_TAB = 9;
const INTRANET_TAB = 10;
const SUBDOMAIN_TAB = 11;
const VETTED_TAB = 12;

/** A relay console that called its own OpenAI-compatible endpoint with a vendor key, and the real API once. */
const TABS: FakeBackgroundOptions['tabs'] = {
  [RELAY_TAB]: {
    url: 'https://relay.example/console/token',
    detections: [{ kind: 'signal', level: 'unvetted', source: 'gateway-meta-description', detail: 'one-api stock description' }],
    endpoints: [
      { host: 'relay.example', protocol: 'openai', count: 3, credentialKinds: ['vendor-key', 'relay-token'] },
      { host: 'api.openai.com', protocol: 'openai', count: 1, credentialKinds: [] },
    ],
    family: 'one-api',
  },
  [IDN_TAB]: { url: 'https://xn--bcher-kva.example/', detections: [{ kind: 'lookalike', level: 'unvetted', source: 'bücher.example', detail: 'api.openai.com' }] },
  [MANAGED_TAB]: { url: 'https://corp-relay.example/' },
  [INTRANET_TAB]: { url: 'http://intranet/' },
  [SUBDOMAIN_TAB]: { url: 'https://chat.relay.example/' },
  [VETTED_TAB]: { url: 'https://openrouter.ai/keys' },
};

let background: FakeBackground;

function renderPopup(t: Translate, tabId: number | null, options: FakeBackgroundOptions = {}) {
  background = new FakeBackground({ tabs: TABS, ...options });
  const openOptions = vi.fn();
  renderPage(<PopupApp resolveTabId={async () => tabId} openOptions={openOptions} />, { t, send: background.send });
  return { openOptions };
}

const verdict = () => document.querySelector('[data-testid="verdict"][data-level]');
async function level(expected: string) {
  await waitFor(() => expect(verdict()?.getAttribute('data-level')).toBe(expected));
}

afterEach(() => {
  cleanup();
  // Nothing the popup sent may have been refused as malformed: that would be protocol drift.
  expect(background.refused).toEqual([]);
});

describe.each(LANGUAGES)('popup (%s)', (_locale, t) => {
  test('shows the verdict with its reasons, and every endpoint the page called', async () => {
    renderPopup(t, RELAY_TAB);
    await level('unvetted');

    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(t('level_unvetted'));
    expect(document.querySelectorAll('[data-testid="reason"]').length).toBe(2); // the signal and the endpoint
    expect(screen.getByText(t('popup_family', { family: 'one-api' }))).toBeTruthy();

    const endpoints = screen.getByRole('region', { name: t('popup_endpointsHeading') });
    const items = within(endpoints).getAllByRole('listitem').filter((item) => item.dataset.testid === 'endpoint');
    expect(items.map((item) => [item.dataset.host, item.dataset.level])).toEqual([
      ['relay.example', 'unvetted'],
      ['api.openai.com', 'official'],
    ]);
    const [relay, official] = items as [HTMLElement, HTMLElement];
    expect(within(relay).getByText('relay.example')).toBeTruthy();
    expect(within(relay).getByText(t('level_unvetted'))).toBeTruthy();
    expect(within(relay).getByText(t('popup_protocol_openai'))).toBeTruthy();
    expect(within(relay).getByText('3')).toBeTruthy();
    expect(within(relay).getByText(t('popup_credential_vendorKey'))).toBeTruthy();
    expect(within(relay).getByText(t('popup_credential_relayToken'))).toBeTruthy();
    expect(within(official).getByText(t('level_official'))).toBeTruthy();
    expect(within(official).getByText(t('popup_credential_none'))).toBeTruthy();
  });

  test('a page that called no AI API says so', async () => {
    renderPopup(t, IDN_TAB);
    await level('unvetted');
    expect(screen.getByText(t('popup_noEndpoints'))).toBeTruthy();
  });

  test('"Trust this site" asks first, with "Keep warning me" as the default; nothing is stored until confirmed', async () => {
    renderPopup(t, RELAY_TAB);
    await level('unvetted');
    // The safe action is the prominent one.
    expect(screen.getByRole('button', { name: t('popup_trust') }).classList.contains('primary')).toBe(false);
    expect(screen.getByRole('button', { name: t('popup_block') }).classList.contains('danger')).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: t('popup_trust') }));
    const confirm = screen.getByRole('group', { name: t('popup_trustConfirmTitle', { host: 'relay.example' }) });
    expect(within(confirm).getByText(t('popup_trustConfirmBody'))).toBeTruthy();
    await waitFor(() => expect(document.activeElement?.getAttribute('data-testid')).toBe('trust-cancel'));
    expect(background.requestsOf('user-entries/put')).toEqual([]);

    fireEvent.click(within(confirm).getByRole('button', { name: t('popup_trustCancel') }));
    expect(screen.queryByTestId('trust-confirm')).toBeNull();
    expect(background.requestsOf('user-entries/put')).toEqual([]);
    expect(verdict()?.getAttribute('data-level')).toBe('unvetted');
  });

  test('a host that imitates a vendor is offered no trust at all', async () => {
    renderPopup(t, IDN_TAB);
    await level('unvetted');
    expect(screen.queryByRole('button', { name: t('popup_trust') })).toBeNull();
    expect(screen.getByTestId('lookalike-no-trust').textContent).toBe(t('popup_lookalikeNoTrust'));
    expect(screen.getByRole('button', { name: t('popup_block') })).toBeTruthy();
  });

  test('"Trust this site", confirmed, puts the page host on the allowlist and the verdict turns vetted at once', async () => {
    renderPopup(t, RELAY_TAB);
    await level('unvetted');

    fireEvent.click(screen.getByRole('button', { name: t('popup_trust') }));
    fireEvent.click(screen.getByRole('button', { name: t('popup_trustConfirm') }));

    await level('vetted');
    expect(background.requestsOf('user-entries/put')).toEqual([{ type: 'user-entries/put', pattern: 'relay.example', level: 'vetted' }]);
    expect(screen.getByTestId('action-result').textContent).toContain(t('popup_trusted', { pattern: 'relay.example' }));
    expect(screen.queryByRole('button', { name: t('popup_trust') })).toBeNull();
    expect(screen.getByText(t('popup_yourEntry', { pattern: 'relay.example', level: t('level_vetted') }))).toBeTruthy();
    // The endpoint on the same host is vouched for too; the verdict was asked for again, not guessed.
    expect(document.querySelector('[data-testid="endpoint"][data-host="relay.example"]')?.getAttribute('data-level')).toBe('vetted');
    expect(background.requestsOf('tab-verdict/get')).toHaveLength(2);
    // "Trust" is gone; keyboard focus lands on what replaced it rather than on <body>.
    await waitFor(() => expect(document.activeElement?.getAttribute('data-testid')).toBe('undo-entry'));
  });

  test('the pattern is the canonical ASCII host, not the "unicode (punycode)" display', async () => {
    renderPopup(t, IDN_TAB);
    await level('unvetted');
    expect(document.querySelector('.host')?.textContent).toBe('bücher.example (xn--bcher-kva.example)');

    fireEvent.click(screen.getByRole('button', { name: t('popup_block') }));

    await level('blocked');
    expect(background.requestsOf('user-entries/put')).toEqual([{ type: 'user-entries/put', pattern: 'xn--bcher-kva.example', level: 'blocked' }]);
    // People read the Unicode form first, with the punycode that was stored beside it.
    expect(screen.getByTestId('action-result').textContent).toBe(t('popup_blocked', { pattern: 'bücher.example (xn--bcher-kva.example)' }));
  });

  test('"Block it", then "Undo" removes exactly that entry and the verdict returns', async () => {
    renderPopup(t, RELAY_TAB);
    await level('unvetted');

    fireEvent.click(screen.getByRole('button', { name: t('popup_block') }));
    await level('blocked');
    expect(screen.queryByRole('button', { name: t('popup_block') })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: t('popup_undo') }));
    await level('unvetted');
    expect(background.requestsOf('user-entries/remove')).toEqual([{ type: 'user-entries/remove', pattern: 'relay.example' }]);
    expect(background.entries).toEqual([]);
    expect(screen.queryByRole('button', { name: t('popup_undo') })).toBeNull();
    expect(screen.getByTestId('action-result').textContent).toContain(t('popup_undone', { pattern: 'relay.example' }));
  });

  test('undo removes the entry that decides the host, even a parent pattern', async () => {
    renderPopup(t, SUBDOMAIN_TAB, { entries: [{ pattern: 'relay.example', level: 'vetted', added: '2026-11-01T00:00:00Z' }] });
    await level('vetted');
    expect(screen.getByText(t('popup_yourEntry', { pattern: 'relay.example', level: t('level_vetted') }))).toBeTruthy();
    expect(screen.queryByRole('button', { name: t('popup_trust') })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: t('popup_undo') }));

    await level('unknown');
    expect(background.requestsOf('user-entries/remove')).toEqual([{ type: 'user-entries/remove', pattern: 'relay.example' }]);
  });

  test('a host a list already vouches for offers no "Trust", a host a list blocks no "Block it"', async () => {
    renderPopup(t, VETTED_TAB);
    await level('vetted');
    expect(screen.queryByRole('button', { name: t('popup_trust') })).toBeNull();
    expect(screen.getByRole('button', { name: t('popup_block') })).toBeTruthy();
    cleanup();

    renderPopup(t, SUBDOMAIN_TAB, { entries: [{ pattern: 'relay.example', level: 'blocked', added: '2026-11-20T08:00:00Z' }] });
    await level('blocked');
    expect(screen.queryByRole('button', { name: t('popup_block') })).toBeNull();
    expect(screen.getByRole('button', { name: t('popup_trust') })).toBeTruthy();
  });

  test('a managed host: says so, and trust and block are disabled', async () => {
    renderPopup(t, MANAGED_TAB, { policy: { blocklist: ['corp-relay.example'] } });
    await level('blocked');

    expect(screen.getByTestId('managed-note').textContent).toContain(t('managed'));
    const trust = screen.getByRole('button', { name: t('popup_trust') }) as HTMLButtonElement;
    expect(trust.disabled).toBe(true);
    expect((screen.getByRole('button', { name: t('popup_block') }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(trust);
    expect(background.requestsOf('user-entries/put')).toEqual([]);
  });

  test('a managed host with an entry of the person\'s own: undo is disabled too', async () => {
    renderPopup(t, MANAGED_TAB, {
      policy: { allowlist: ['corp-relay.example'] },
      entries: [{ pattern: 'corp-relay.example', level: 'blocked', added: '2026-11-01T00:00:00Z' }],
    });
    await level('vetted'); // managed outranks the person's own entry

    expect(screen.getByTestId('managed-note').textContent).toContain(t('managed'));
    expect(screen.getByText(t('popup_yourEntry', { pattern: 'corp-relay.example', level: t('level_blocked') }))).toBeTruthy();
    const undo = screen.getByRole('button', { name: t('popup_undo') }) as HTMLButtonElement;
    expect(undo.disabled).toBe(true);
    expect((screen.getByRole('button', { name: t('popup_trust') }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(undo);
    expect(background.requestsOf('user-entries/remove')).toEqual([]);
  });

  test('a verdict a managed entry decided names the organisation, with its support link and address', async () => {
    renderPopup(t, MANAGED_TAB, {
      policy: { blocklist: ['corp-relay.example'], organization: { name: 'Example Corp IT', supportUrl: 'https://help.corp.example/ai', supportEmail: 'it@corp.example' } },
    });
    await level('blocked');
    const managedBy = screen.getByTestId('managed-by');
    expect(managedBy.textContent).toContain(t('managedBy', { organization: 'Example Corp IT' }));
    expect(within(managedBy).getByTestId('managed-by-support').getAttribute('href')).toBe('https://help.corp.example/ai');
    expect(within(managedBy).getByTestId('managed-by-email').getAttribute('href')).toBe('mailto:it@corp.example');
  });

  test('no organisation named: "your organisation"; a verdict the policy did not decide names nobody', async () => {
    renderPopup(t, MANAGED_TAB, { policy: { allowlist: ['corp-relay.example'] } });
    await level('vetted');
    expect(screen.getByTestId('managed-by').textContent).toBe(t('managedBy', { organization: t('managedBy_yourOrganisation') }));
    cleanup();
    renderPopup(t, VETTED_TAB, { policy: { allowlist: ['corp-relay.example'], organization: { name: 'Example Corp IT' } } });
    await level('vetted');
    expect(screen.queryByTestId('managed-by')).toBeNull();
  });

  test('disableUserLists: no trust, block or undo at all, only why', async () => {
    renderPopup(t, SUBDOMAIN_TAB, { policy: { disableUserLists: true }, entries: [{ pattern: 'relay.example', level: 'blocked', added: '2026-11-20T08:00:00Z' }] });
    await level('blocked');
    expect(screen.getByTestId('lists-locked').textContent).toContain(t('popup_listsLocked'));
    for (const testId of ['trust-site', 'block-site', 'undo-entry']) expect(screen.queryByTestId(testId)).toBeNull();
  });

  test('allowProceed: false on a blocked site: no trust offered (it would be a way through)', async () => {
    renderPopup(t, MANAGED_TAB, { policy: { blocklist: ['corp-relay.example'], allowProceed: false } });
    await level('blocked');
    expect(screen.getByTestId('lists-locked').textContent).toContain(t('popup_proceedLocked'));
    expect(screen.queryByTestId('trust-site')).toBeNull();
  });

  test("a refused action shows the background's message and leaves the verdict as it was", async () => {
    renderPopup(t, INTRANET_TAB);
    await level('unknown');

    fireEvent.click(screen.getByRole('button', { name: t('popup_trust') }));
    fireEvent.click(screen.getByRole('button', { name: t('popup_trustConfirm') }));

    await waitFor(() => expect(screen.getByRole('alert').textContent).not.toBe(''));
    expect(screen.getByRole('alert').textContent).toBe(t('popup_actionFailed', { error: '“intranet”: a single label would match a whole top-level domain.' }));
    expect(verdict()?.getAttribute('data-level')).toBe('unknown');
  });

  test('a tab without a web page, and the link to the options page', async () => {
    const { openOptions } = renderPopup(t, null);
    await screen.findByText(t('noPage'));
    expect(verdict()).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: t('popup_openOptions') }));
    expect(openOptions).toHaveBeenCalledOnce();
  });

  test('a tab the background does not know shows "no page"', async () => {
    renderPopup(t, 99);
    await screen.findByText(t('noPage'));
  });

  describe('"may I paste my key here?": one sentence for every level, safe action first', () => {
    const CHAT_TAB = 20;
    const OFFICIAL_TAB = 21;
    const UNKNOWN_TAB = 22;
    const tabs: FakeBackgroundOptions['tabs'] = {
      ...TABS,
      [CHAT_TAB]: { url: 'https://ask-anything.example/', endpoints: [{ host: 'api.relay-endpoint.example', protocol: 'openai', count: 2, credentialKinds: [] }] },
      [OFFICIAL_TAB]: { url: 'https://platform.openai.com/' },
      [UNKNOWN_TAB]: { url: 'https://recipes.example/' },
    };
    const answer = () => screen.getByTestId('paste-answer').textContent;

    test.each([
      [OFFICIAL_TAB, 'official', 'answer_official'],
      [VETTED_TAB, 'vetted', 'answer_vetted'],
      [UNKNOWN_TAB, 'unknown', 'answer_unknown'],
      [RELAY_TAB, 'unvetted', 'answer_unvetted'],
    ] as const)('tab %i (%s)', async (tabId, expected, key) => {
      renderPopup(t, tabId, { tabs });
      await level(expected);
      expect(answer()).toBe(t(key));
    });

    test('blocked', async () => {
      renderPopup(t, RELAY_TAB, { entries: [{ pattern: 'relay.example', level: 'blocked', added: '2026-11-01T00:00:00Z' }] });
      await level('blocked');
      expect(answer()).toBe(t('answer_blocked'));
    });

    test('a chat app that calls a relay: the endpoint is named as the risk, not the page', async () => {
      renderPopup(t, CHAT_TAB, { tabs });
      await level('unvetted');
      expect(answer()).toBe(t('answer_endpoint_unvetted', { endpoint: 'api.relay-endpoint.example' }));
      background.entries = [{ pattern: 'api.relay-endpoint.example', level: 'blocked', added: '2026-11-01T00:00:00Z' }];
      cleanup();
      renderPage(<PopupApp resolveTabId={async () => CHAT_TAB} openOptions={vi.fn()} />, { t, send: background.send });
      await level('blocked');
      expect(answer()).toBe(t('answer_endpoint_blocked', { endpoint: 'api.relay-endpoint.example' }));
    });
  });
});
