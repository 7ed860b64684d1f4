// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Translate } from '../../lib/core/i18n.ts';
import { exportUserEntries, parseUserEntriesFile } from '../../lib/lists/user-entries-file.ts';
import { LANGUAGES, renderPage } from '../../tests/support/component-harness.tsx';
import { FakeBackground, type FakeBackgroundOptions } from '../../tests/support/fake-background.ts';
import { OptionsApp } from './OptionsApp.tsx';

const ENTRIES = [
  { pattern: 'relay-one.example', level: 'blocked', added: '2026-11-01T08:00:00Z', note: 'resells keys' },
  { pattern: '.gateway.corp.example', level: 'vetted', added: '2026-11-02T08:00:00Z' },
  { pattern: 'xn--bcher-kva.example', level: 'blocked', added: '2026-11-03T08:00:00Z' },
] as const;

const SUBSCRIBED_LIST = {
  name: 'Team blocklist',
  version: '3.1.0',
  updated: '2026-11-20',
  entries: [
    { pattern: 'bad-relay.example', level: 'blocked', evidence: ['https://reports.example/bad-relay'] },
    { pattern: 'worse-relay.example', level: 'blocked', evidence: ['https://reports.example/worse-relay'] },
  ],
};

let background: FakeBackground;

async function renderOptions(t: Translate, options: FakeBackgroundOptions = {}) {
  background = new FakeBackground({ entries: ENTRIES, ...options });
  renderPage(<OptionsApp />, { t, send: background.send });
  await screen.findByTestId('user-entries');
}

const rows = () => [...document.querySelectorAll<HTMLElement>('[data-testid="user-entry"]')].map((row) => `${row.dataset.level} ${row.dataset.pattern}`);
const section = (t: Translate, heading: Parameters<Translate>[0]) => screen.getByRole('region', { name: t(heading as 'options_listsHeading') });

afterEach(() => {
  cleanup();
  expect(background.refused).toEqual([]);
});

describe.each(LANGUAGES)('options page (%s)', (_locale, t) => {
  test('lists the person\'s entries, with Unicode beside punycode', async () => {
    await renderOptions(t);
    expect(rows()).toEqual(['vetted .gateway.corp.example', 'blocked relay-one.example', 'blocked xn--bcher-kva.example']);
    const idn = document.querySelector<HTMLElement>('[data-pattern="xn--bcher-kva.example"]')!;
    expect(within(idn).getByRole('rowheader').textContent).toBe('bücher.example (xn--bcher-kva.example)');
    expect(within(idn).getByText(t('level_blocked'))).toBeTruthy();
    expect(within(document.querySelector<HTMLElement>('[data-pattern=".gateway.corp.example"]')!).getByText(t('options_coversExact'))).toBeTruthy();
  });

  test('says which blocked hosts have no browser rule, and why; nothing when every host has one', async () => {
    const hosts = Array.from({ length: 50 }, (_, i) => `relay-${String(i).padStart(2, '0')}.example`);
    await renderOptions(t, {
      blockRuleStatus: {
        installed: 4_500,
        leftOut: [
          { reason: 'redirect-over-limit', count: 1_234, hosts },
          { reason: 'exact-block-too-long', count: 1, hosts: ['a-very-long-host.example'] },
        ],
      },
    });
    const notice = await screen.findByTestId('block-rules-left-out');
    const items = within(notice).getAllByTestId('left-out');
    expect(items.map((item) => item.dataset.reason)).toEqual(['redirect-over-limit', 'exact-block-too-long']);
    expect(items[0]!.textContent).toContain(t('options_leftOutRedirectOverLimit', { count: (1_234).toLocaleString() }));
    expect(within(items[0]!).getAllByRole('listitem').map((item) => item.textContent)).toEqual(hosts);
    expect(items[0]!.textContent).toContain(t('options_leftOutMore', { count: (1_184).toLocaleString() }));
    expect(items[1]!.textContent).toContain(t('options_leftOutExactBlockTooLong', { count: '1' }));
    expect(items[1]!.textContent).not.toContain(t('options_leftOutMore', { count: '0' }));
    cleanup();

    await renderOptions(t, { blockRuleStatus: { installed: 12, leftOut: [] } });
    expect((await screen.findByTestId('block-rules-complete')).textContent).toBe(t('options_blockRulesComplete', { count: '12' }));
    expect(screen.queryByTestId('block-rules-left-out')).toBeNull();
  });

  test("adding a wildcard shows the background's exact message and adds nothing", async () => {
    await renderOptions(t);
    const input = screen.getByLabelText(t('options_patternLabel'));
    fireEvent.input(input, { target: { value: '*.relay.example' } });
    fireEvent.click(screen.getByRole('button', { name: t('options_addButton') }));

    const message = '“*.relay.example”: wildcards are not supported; “example.com” already matches every subdomain, “.example.com” only that host.';
    await waitFor(() => expect(document.getElementById('options-entry-error')?.textContent).toBe(t('options_entryAddFailed', { error: message })));
    expect(document.getElementById('options-entry-error')?.getAttribute('role')).toBe('alert');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toContain('options-entry-error');
    expect(background.requestsOf('user-entries/put')).toEqual([{ type: 'user-entries/put', pattern: '*.relay.example', level: 'blocked' }]);
    expect(rows()).toHaveLength(3);
  });

  test('adding a valid pattern: the canonical entry appears and the result is announced', async () => {
    await renderOptions(t);
    fireEvent.input(screen.getByLabelText(t('options_patternLabel')), { target: { value: '  OpenRouter.AI ' } });
    fireEvent.click(screen.getByLabelText(t('options_levelVetted')));
    fireEvent.input(screen.getByLabelText(t('options_noteLabel')), { target: { value: 'team gateway' } });
    fireEvent.click(screen.getByRole('button', { name: t('options_addButton') }));

    await waitFor(() => expect(rows()).toContain('vetted openrouter.ai'));
    expect(background.requestsOf('user-entries/put')).toEqual([{ type: 'user-entries/put', pattern: '  OpenRouter.AI ', level: 'vetted', note: 'team gateway' }]);
    const statuses = screen.getAllByRole('status').map((status) => status.textContent);
    expect(statuses).toContain(t('options_entryAddedVetted', { pattern: 'openrouter.ai' }));
    expect((screen.getByLabelText(t('options_patternLabel')) as HTMLInputElement).value).toBe('');
  });

  test('removing an entry', async () => {
    await renderOptions(t);
    fireEvent.click(screen.getByRole('button', { name: t('options_removeEntryLabel', { pattern: 'relay-one.example' }) }));

    await waitFor(() => expect(rows()).toEqual(['vetted .gateway.corp.example', 'blocked xn--bcher-kva.example']));
    expect(background.requestsOf('user-entries/remove')).toEqual([{ type: 'user-entries/remove', pattern: 'relay-one.example' }]);
    expect(screen.getAllByRole('status').map((status) => status.textContent)).toContain(t('options_entryRemoved', { pattern: 'relay-one.example' }));
    expect(document.activeElement?.id).toBe('options-entries-title');
  });

  test('search filters by pattern (ASCII or Unicode) and note', async () => {
    await renderOptions(t);
    const search = screen.getByLabelText(t('options_filterLabel'));

    fireEvent.input(search, { target: { value: 'BÜCHER' } });
    expect(rows()).toEqual(['blocked xn--bcher-kva.example']);
    fireEvent.input(search, { target: { value: 'resells' } });
    expect(rows()).toEqual(['blocked relay-one.example']);
    fireEvent.input(search, { target: { value: 'nothing-like-this' } });
    expect(rows()).toEqual([]);
    expect(screen.getByText(t('options_noMatches', { filter: 'nothing-like-this' }))).toBeTruthy();
    fireEvent.input(search, { target: { value: '' } });
    expect(rows()).toHaveLength(3);
  });

  test('managed entries are listed read-only and marked managed, and the search covers them', async () => {
    await renderOptions(t, { policy: { allowlist: ['gateway.corp.example'], blocklist: ['.evil-relay.example', 'not a pattern'], allowProceed: false } });
    const managed = screen.getByTestId('managed-entries');
    const managedRows = within(managed).getAllByRole('row').filter((row) => row.dataset.testid === 'managed-entry');
    expect(managedRows.map((row) => `${row.dataset.level} ${row.dataset.pattern}`)).toEqual(['vetted gateway.corp.example', 'blocked .evil-relay.example']);
    for (const row of managedRows) {
      expect(within(row).getByText(t('managed'))).toBeTruthy();
      expect(within(row).queryByRole('button')).toBeNull();
    }
    expect(within(managed).getByText(t('options_managedNoProceed'))).toBeTruthy();
    expect(within(managed).getByText(t('options_managedProblems', { count: '1' }))).toBeTruthy();

    fireEvent.input(screen.getByLabelText(t('options_filterLabel')), { target: { value: 'evil' } });
    expect(within(managed).getAllByRole('row').filter((row) => row.dataset.testid === 'managed-entry')).toHaveLength(1);
  });

  test('the policy’s organisation, locks and settings, and each ignored value with its key and why', async () => {
    await renderOptions(t, {
      policy: {
        organization: { name: 'Example Corp IT', supportUrl: 'https://help.corp.example/ai' },
        listMode: 'overwrite',
        pasteGuard: 'warn',
        reportEndpoint: 'https://security.corp.example/r',
        listSubscriptions: [{ url: 'https://lists.corp.example/relays.json' }],
        allowProceed: 'no',
        blocklist: ['*.relay.example'],
      },
    });
    const managed = screen.getByTestId('managed-entries');
    expect(within(managed).getByTestId('managed-by').textContent).toContain(t('managedBy', { organization: 'Example Corp IT' }));
    expect(within(managed).getByTestId('managed-overwrite').textContent).toBe(t('options_managedOverwrite'));
    expect(within(managed).getByText(t('options_managedPasteGuard'))).toBeTruthy();
    expect(within(managed).getByText(t('options_managedReportEndpoint', { endpoint: 'https://security.corp.example/r' }))).toBeTruthy();
    expect(within(managed).getByText(t('options_managedSubscriptions', { count: '1' }))).toBeTruthy();
    expect(within(managed).getAllByTestId('managed-problem').map((item) => item.textContent)).toEqual([
      'allowProceed: Invalid input: expected boolean, received string',
      'blocklist[0]: “*.relay.example”: wildcards are not supported; “example.com” already matches every subdomain, “.example.com” only that host.',
    ]);
  });

  test('disableUserLists: no way to add, remove or import entries, nor to subscribe; the entries are still shown', async () => {
    await renderOptions(t, { policy: { disableUserLists: true }, entries: [{ pattern: 'my-gateway.example', level: 'vetted', added: '2026-11-20T08:00:00Z' }] });
    await waitFor(() => expect(screen.getAllByTestId('lists-locked')).toHaveLength(1));
    expect(screen.getAllByTestId('user-entry').map((row) => row.dataset.pattern)).toEqual(['my-gateway.example']);
    expect(within(screen.getByTestId('user-entries')).queryByRole('button')).toBeNull();
    expect(screen.queryByLabelText(t('options_importLabel'))).toBeNull();
    expect(screen.queryByLabelText(t('options_subscribeUrlLabel'))).toBeNull();
    expect(document.querySelector('form.entry-form')).toBeNull();
  });

  test('without a policy there is no managed part', async () => {
    await renderOptions(t);
    expect(screen.queryByTestId('managed-entries')).toBeNull();
  });

  test('settings: each toggle reflects and saves the background\'s settings', async () => {
    await renderOptions(t, { settings: { pasteGuard: false } });
    const pasteGuard = screen.getByLabelText(t('options_settingPasteGuard')) as HTMLInputElement;
    await waitFor(() => expect(pasteGuard.disabled).toBe(false));
    const blockRequests = screen.getByLabelText(t('options_settingBlockRequests')) as HTMLInputElement;
    const notice = screen.getByLabelText(t('options_settingUnknownNotice')) as HTMLInputElement;
    expect([blockRequests.checked, pasteGuard.checked, notice.checked]).toEqual([true, false, true]);
    expect(document.getElementById(pasteGuard.getAttribute('aria-describedby')!)?.textContent).toBe(t('options_settingPasteGuardHelp'));

    fireEvent.click(pasteGuard);
    await waitFor(() => expect(background.settings.pasteGuard).toBe(true));
    fireEvent.click(blockRequests);
    await waitFor(() => expect(background.settings.blockAiRequestsToBlocked).toBe(false));

    expect(background.requestsOf('settings/set')).toEqual([
      { type: 'settings/set', changes: { pasteGuard: true } },
      { type: 'settings/set', changes: { blockAiRequestsToBlocked: false } },
    ]);
    await waitFor(() => expect(blockRequests.checked).toBe(false));
    expect(pasteGuard.checked).toBe(true);
    const settings = section(t, 'options_settingsHeading');
    expect(within(settings).getByRole('status').textContent).toBe(t('options_settingOff', { setting: t('options_settingBlockRequests') }));
  });

  test('settings: a refused change shows why and the toggle keeps the stored value', async () => {
    background = new FakeBackground({ entries: ENTRIES });
    const send = (message: unknown) =>
      (message as { type?: string }).type === 'settings/set' ? Promise.resolve({ ok: false, error: 'Storage is not available.' }) : background.send(message);
    renderPage(<OptionsApp />, { t, send });
    const pasteGuard = (await screen.findByLabelText(t('options_settingPasteGuard'))) as HTMLInputElement;
    await waitFor(() => expect(pasteGuard.disabled).toBe(false));
    expect(pasteGuard.checked).toBe(true);

    fireEvent.click(pasteGuard);

    const settings = section(t, 'options_settingsHeading');
    await waitFor(() => expect(within(settings).getByRole('alert').textContent).toBe(t('options_actionFailed', { error: 'Storage is not available.' })));
    expect(pasteGuard.checked).toBe(true);
    expect(background.settings.pasteGuard).toBe(true);
  });

  test('export produces a file that parses back to the same entries', async () => {
    await renderOptions(t);
    let saved: Blob | undefined;
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved = blob as Blob;
      return 'blob:relayguard-test';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicks: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this);
    });

    fireEvent.click(screen.getByRole('button', { name: t('options_exportButton') }));

    await waitFor(() => expect(createObjectURL).toHaveBeenCalledOnce());
    expect(clicks).toHaveLength(1);
    expect(clicks[0]!.download).toMatch(/^relayguard-entries-\d{4}-\d{2}-\d{2}\.json$/);
    expect(clicks[0]!.href).toBe('blob:relayguard-test');
    expect(saved!.type).toBe('application/json');
    const parsed = parseUserEntriesFile(await saved!.text());
    expect(parsed).toEqual({ ok: true, value: background.entries });
    expect(within(section(t, 'options_transferHeading')).getByRole('status').textContent).toBe(t('options_exported', { count: '3' }));
  });

  test('import: a bad file changes nothing and shows the background\'s message', async () => {
    await renderOptions(t);
    const before = structuredClone(background.entries);
    const file = new File([JSON.stringify({ format: 'relayguard-list', version: 1, entries: [] })], 'wrong.json', { type: 'application/json' });
    const input = screen.getByLabelText(t('options_importLabel')) as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    fireEvent.change(input);

    const transfer = section(t, 'options_transferHeading');
    await waitFor(() => expect(within(transfer).getByRole('alert').textContent).not.toBe(''));
    const expected = parseUserEntriesFile(await file.text());
    expect(expected.ok).toBe(false);
    expect(within(transfer).getByRole('alert').textContent).toBe(t('options_importFailed', { error: !expected.ok ? expected.error.message : '' }));
    expect(within(transfer).getByRole('alert').textContent).toContain('format must be "relayguard-user-entries"');
    expect(background.entries).toEqual(before);
    expect(rows()).toHaveLength(3);
  });

  test('import: a good file adds its entries and the list shows them', async () => {
    await renderOptions(t);
    const text = exportUserEntries([{ pattern: 'imported-relay.example', level: 'blocked', added: '2026-10-01T00:00:00.000Z' }]);
    const input = screen.getByLabelText(t('options_importLabel')) as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [new File([text], 'backup.json')], configurable: true });
    fireEvent.change(input);

    await waitFor(() => expect(rows()).toContain('blocked imported-relay.example'));
    expect(rows()).toHaveLength(4);
    expect(within(section(t, 'options_transferHeading')).getByRole('status').textContent).toBe(t('options_imported', { count: '1', file: 'backup.json' }));
  });

  test('lists: bundled lists read-only with versions and counts; subscriptions with their state', async () => {
    await renderOptions(t, {
      subscriptions: [
        {
          url: 'https://lists.example.org/team.json',
          list: SUBSCRIBED_LIST,
          fetchedAt: Date.UTC(2026, 10, 20),
          lastTriedAt: Date.UTC(2026, 10, 26),
          lastError: 'HTTP 503',
        },
      ],
    });
    const lists = section(t, 'options_listsHeading');
    await within(lists).findByTestId('bundled-lists');
    const bundled = within(lists).getAllByTestId('bundled-list');
    expect(bundled.map((row) => row.dataset.listId)).toEqual(['bundled:vendors', 'bundled:vetted', 'bundled:blocked']);
    for (const row of bundled) expect(within(row).queryByRole('button')).toBeNull();
    const summary = (await background.send({ type: 'lists/summary' })) as { data: Array<{ id: string; version: string; entryCount: number }> };
    const vendors = summary.data.find((list) => list.id === 'bundled:vendors')!;
    expect(within(bundled[0]!).getByText(vendors.version)).toBeTruthy();
    expect(within(bundled[0]!).getByText(vendors.entryCount.toLocaleString())).toBeTruthy();

    const [subscription] = within(lists).getAllByTestId('subscription');
    expect(within(subscription!).getByText('https://lists.example.org/team.json')).toBeTruthy();
    expect(within(subscription!).getByText('3.1.0')).toBeTruthy();
    expect(within(subscription!).getByText(t('options_lastError'))).toBeTruthy();
    expect(within(subscription!).getByText('HTTP 503')).toBeTruthy();
    expect(within(subscription!).getByText(t('options_lastTried'))).toBeTruthy();
    // The person's own entries and the policy are lists to the background, but not "lists" here.
    expect(within(lists).queryByText('Your entries')).toBeNull();
  });

  test('lists: subscribe by URL, then remove the subscription', async () => {
    await renderOptions(t, { remoteLists: { 'https://lists.example.org/team.json': SUBSCRIBED_LIST } });
    const lists = section(t, 'options_listsHeading');
    await within(lists).findByText(t('options_noSubscriptions'));

    fireEvent.input(within(lists).getByLabelText(t('options_subscribeUrlLabel')), { target: { value: 'https://lists.example.org/team.json' } });
    fireEvent.click(within(lists).getByRole('button', { name: t('options_subscribeButton') }));

    await waitFor(() => expect(document.getElementById('options-subscribe-error')?.textContent).toBe(''));
    await within(lists).findByTestId('subscription');
    expect(within(lists).getAllByRole('status').map((status) => status.textContent)).toContain(t('options_subscribed', { name: 'Team blocklist', count: '2' }));

    fireEvent.click(within(lists).getByRole('button', { name: t('options_unsubscribeLabel', { name: 'Team blocklist' }) }));
    await within(lists).findByText(t('options_noSubscriptions'));
    expect(background.requestsOf('lists/unsubscribe')).toEqual([{ type: 'lists/unsubscribe', id: 'subscription:https://lists.example.org/team.json' }]);
  });

  test('lists: the contract hooks, a pinned key sent without its comment line, and the card’s state', async () => {
    const url = 'https://lists.example.org/team.json';
    await renderOptions(t, { remoteLists: { [url]: SUBSCRIBED_LIST } });
    const lists = section(t, 'options_listsHeading');
    await within(lists).findByText(t('options_noSubscriptions'));
    fireEvent.input(within(lists).getByTestId('subscribe-url'), { target: { value: url } });
    fireEvent.input(within(lists).getByTestId('subscribe-key'), {
      target: { value: 'untrusted comment: minisign public key 186B920B0CE6B268\n RWRosuYMC5JrGHmaHQLKgPj1rie3rLMqBSZP6FH5GnNj/xOm/iShP3M5 \n' },
    });
    fireEvent.click(within(lists).getByTestId('subscribe'));

    const card = await within(lists).findByTestId('subscription');
    expect(background.requestsOf('lists/subscribe')).toEqual([{ type: 'lists/subscribe', url, publicKeys: ['RWRosuYMC5JrGHmaHQLKgPj1rie3rLMqBSZP6FH5GnNj/xOm/iShP3M5'] }]);
    expect(card.dataset.url).toBe(url);
    expect(card.dataset.state).toBe('ok');
    for (const text of ['Team blocklist', '3.1.0', '2', t('options_lastFetched'), t('options_lastTried'), t('options_nextUpdate'), t('options_updateNow')]) {
      expect(card.textContent).toContain(text);
    }
  });

  test('lists: update now shows the new version, and a failed update the reason with the old copy kept', async () => {
    const url = 'https://lists.example.org/team.json';
    await renderOptions(t, { subscriptions: [{ url, list: SUBSCRIBED_LIST, fetchedAt: Date.UTC(2026, 10, 20), lastTriedAt: Date.UTC(2026, 10, 20) }] });
    const lists = section(t, 'options_listsHeading');
    const card = await within(lists).findByTestId('subscription');

    background.remoteLists[url] = { ...SUBSCRIBED_LIST, version: '3.2.0' };
    fireEvent.click(within(card).getByRole('button', { name: t('options_updateNowLabel', { name: 'Team blocklist' }) }));
    await waitFor(() => expect(within(lists).getByTestId('subscription-version').textContent).toBe('3.2.0'));
    await waitFor(() => expect(within(lists).getAllByRole('status').map((status) => status.textContent)).toContain(t('options_updated', { name: 'Team blocklist', version: '3.2.0' })));
    expect(within(lists).getByTestId('subscription').dataset.state).toBe('ok');

    delete background.remoteLists[url];
    fireEvent.click(within(lists).getByRole('button', { name: t('options_updateNowLabel', { name: 'Team blocklist' }) }));
    await waitFor(() => expect(within(lists).getByTestId('subscription').dataset.state).toBe('error'));
    const failed = within(lists).getByTestId('subscription');
    expect(within(failed).getByTestId('subscription-error').textContent).toBe(t('options_problemHttpStatus', { status: '404' }));
    expect(within(failed).getByTestId('subscription-version').textContent).toBe('3.2.0');
    await waitFor(() =>
      expect(within(lists).getAllByRole('alert').map((alert) => alert.textContent)).toContain(
        t('options_updateFailed', { name: 'Team blocklist', error: t('options_problemHttpStatus', { status: '404' }) }),
      ),
    );
  });

  test('lists: a failed subscription shows why', async () => {
    await renderOptions(t);
    const lists = section(t, 'options_listsHeading');
    fireEvent.input(within(lists).getByLabelText(t('options_subscribeUrlLabel')), { target: { value: 'https://lists.example.org/missing.json' } });
    fireEvent.click(within(lists).getByRole('button', { name: t('options_subscribeButton') }));

    await waitFor(() => expect(document.getElementById('options-subscribe-error')?.textContent).not.toBe(''));
    expect(document.getElementById('options-subscribe-error')?.textContent).toBe(
      t('options_subscribeFailed', { error: 'The list at https://lists.example.org/missing.json could not be downloaded: HTTP 404.' }),
    );
  });

  test('every form control has a label', async () => {
    await renderOptions(t, { policy: { blocklist: ['.evil-relay.example'] } });
    for (const control of document.querySelectorAll<HTMLInputElement>('input, select, textarea')) {
      const labelled = control.labels?.length || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby');
      expect({ id: control.id, name: control.name, labelled: Boolean(labelled) }).toEqual({ id: control.id, name: control.name, labelled: true });
    }
    for (const fieldset of document.querySelectorAll('fieldset')) expect(fieldset.querySelector(':scope > legend')?.textContent).toBeTruthy();
  });

  test('the report endpoint: an http address off this machine is refused with why, an https one is saved, empty removes it', async () => {
    await renderOptions(t);
    const input = screen.getByTestId('report-endpoint') as HTMLInputElement;
    await waitFor(() => expect(input.disabled).toBe(false));
    const save = screen.getByTestId('report-endpoint-save');

    fireEvent.input(input, { target: { value: 'http://collector.example/reports' } });
    fireEvent.click(save);
    await waitFor(() =>
      expect(document.getElementById('options-report-endpoint-error')?.textContent).toBe(
        t('options_actionFailed', { error: 'The report endpoint must be an https URL (http only on this machine).' }),
      ),
    );
    expect(background.reportEndpoint).toBeNull();

    fireEvent.input(input, { target: { value: ' https://collector.example/reports ' } });
    fireEvent.click(save);
    await waitFor(() => expect(background.reportEndpoint).toBe('https://collector.example/reports'));
    expect(screen.getByText(t('options_reportEndpointSaved', { endpoint: 'https://collector.example/reports' }))).toBeTruthy();

    fireEvent.input(input, { target: { value: '' } });
    fireEvent.click(save);
    await waitFor(() => expect(background.reportEndpoint).toBeNull());
    expect(screen.getByText(t('options_reportEndpointCleared'))).toBeTruthy();
  });
});
