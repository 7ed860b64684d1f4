// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { LANGUAGES, renderPage } from '../../tests/support/component-harness.tsx';
import type { Translate } from '../../lib/core/i18n.ts';
import type { InterstitialInfo } from '../../lib/protocol/messages.ts';
import { BlockPageApp } from './BlockPageApp.tsx';

const RELAY = 'https://relay.example/console?x=1#top';
const LIST_REASON = { kind: 'list', level: 'blocked', source: 'Community relays v7', detail: 'relay.example', listSource: 'subscribed' } as const;

const blockedInfo = (url: string): InterstitialInfo => ({ url, navigable: true, hostUnicode: 'relay.example', hostAscii: 'relay.example', level: 'blocked', reasons: [LIST_REASON], allowProceed: true });

/** The background as the block page meets it: answers for `interstitial/info` and `proceed-once`, every message kept. */
function background(info: InterstitialInfo, proceed: { ok: true; data: { url: string } } | { ok: false; error: string } = { ok: true, data: { url: info.url } }) {
  const sent: { type: string }[] = [];
  const send = async (message: unknown) => {
    sent.push(message as { type: string });
    return (message as { type: string }).type === 'interstitial/info' ? { ok: true, data: info } : proceed;
  };
  return { sent, send };
}

function renderBlockPage(t: Translate, blockedUrl: string, framed: boolean, bg: ReturnType<typeof background>) {
  const navigate = { back: vi.fn(), replace: vi.fn(), assign: vi.fn(), openReport: vi.fn() };
  renderPage(<BlockPageApp blockedUrl={blockedUrl} framed={framed} navigate={navigate} />, { t, send: bg.send });
  return navigate;
}

const buttons = () => screen.queryAllByRole('button').map((button) => button.getAttribute('data-testid'));

afterEach(cleanup);

describe.each(LANGUAGES)('block page (%s)', (_locale, t) => {
  test('inside another page’s frame: asks the background nothing and offers nothing to click', async () => {
    const bg = background(blockedInfo(RELAY));
    renderBlockPage(t, RELAY, true, bg);
    expect(screen.getByTestId('block-page').getAttribute('data-state')).toBe('framed');
    expect(screen.getByText(t('interstitialFramed'))).toBeTruthy();
    expect(buttons()).toEqual([]);
    expect(bg.sent).toEqual([]);
  });

  test('a blocked host: says a blocklist names it and why; go back (focused) or continue once; no trust here', async () => {
    const bg = background(blockedInfo(RELAY));
    const navigate = renderBlockPage(t, RELAY, false, bg);
    await screen.findByText(t('interstitialTitle'));
    expect(screen.getByTestId('block-page').getAttribute('data-state')).toBe('blocked');
    expect(screen.getByText(t('interstitialLead', { host: 'relay.example' }))).toBeTruthy();
    expect(screen.getByTestId('blocked-url').textContent).toBe(RELAY);
    expect(screen.getByTestId('reason').textContent).toContain('Community relays v7');
    expect(buttons()).toEqual(['go-back', 'proceed-once', 'block-page-report']);
    expect(screen.getByTestId('block-page-report').textContent).toBe(t('report'));
    await waitFor(() => expect(document.activeElement?.getAttribute('data-testid')).toBe('go-back'));
    expect(screen.getByText(t('interstitialTrustHint'))).toBeTruthy();

    fireEvent.click(screen.getByTestId('proceed-once'));
    await waitFor(() => expect(navigate.replace).toHaveBeenCalledWith(RELAY));
    expect(bg.sent).toEqual([
      { type: 'interstitial/info', url: RELAY },
      { type: 'interstitial/proceed-once', url: RELAY },
    ]);
  });

  test('an address no list blocks (a vendor’s own): nothing to block, a plain link, no continue and no trust', async () => {
    const url = 'https://platform.openai.com/';
    const bg = background({ url, navigable: true, hostUnicode: 'platform.openai.com', hostAscii: 'platform.openai.com', level: 'official', reasons: [], allowProceed: true });
    const navigate = renderBlockPage(t, url, false, bg);
    await screen.findByText(t('interstitialNotBlockedTitle'));
    expect(screen.getByTestId('block-page').getAttribute('data-state')).toBe('not-blocked');
    expect(screen.getByText(t('interstitialNotBlockedLead', { host: 'platform.openai.com' }))).toBeTruthy();
    expect(screen.queryByText(t('interstitialLead', { host: 'platform.openai.com' }))).toBeNull();
    expect(screen.queryByText(t('interstitialTrustHint'))).toBeNull();
    expect(buttons()).toEqual(['go-back', 'go-to-address']);

    fireEvent.click(screen.getByTestId('go-to-address'));
    expect(navigate.assign).toHaveBeenCalledWith(url);
    expect(bg.sent.map((message) => message.type)).toEqual(['interstitial/info']);
  });

  test('"Report" opens the popup\'s report form beside the tab and asks the background for nothing here', async () => {
    const bg = background(blockedInfo(RELAY));
    const navigate = renderBlockPage(t, RELAY, false, bg);
    fireEvent.click(await screen.findByTestId('block-page-report'));
    expect(navigate.openReport).toHaveBeenCalledOnce();
    expect(bg.sent.map((message) => message.type)).toEqual(['interstitial/info']);
  });

  test('a refused continue shows the background’s reason and stays on the block page', async () => {
    const bg = background(blockedInfo(RELAY), { ok: false, error: 'RelayGuard did not stop a visit to this address in this tab.' });
    const navigate = renderBlockPage(t, RELAY, false, bg);
    fireEvent.click(await screen.findByTestId('proceed-once'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(t('actionFailed', { error: 'RelayGuard did not stop a visit to this address in this tab.' }));
    expect(navigate.replace).not.toHaveBeenCalled();
    expect((screen.getByTestId('proceed-once') as HTMLButtonElement).disabled).toBe(false);
  });

  test('a javascript: address offers no way to go there, blocked or not', async () => {
    const url = 'javascript:alert(1)';
    const bg = background({ url, navigable: false, hostUnicode: url, hostAscii: url, level: 'unknown', reasons: [], allowProceed: false });
    renderBlockPage(t, url, false, bg);
    await screen.findByText(t('notNavigable'));
    expect(buttons()).toEqual(['go-back']);
  });
});
