// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Translate } from '../../lib/core/i18n.ts';
import { LANGUAGES, reason, trustedClick, verdictView } from '../../lib/page/test-support.ts';
import type { TabVerdictView } from '../../lib/protocol/page-protocol.ts';
import { I18nContext } from '../common/i18n-context.ts';
import { InPageWarning, WARNING_REASON_LIMIT } from './InPageWarning.tsx';

afterEach(cleanup);

function renderWarning(t: Translate, verdict: TabVerdictView, props: { busy?: boolean; armed?: boolean; error?: string | null } = {}) {
  const actions = { onDetails: vi.fn(), onReport: vi.fn(), onDismiss: vi.fn() };
  const result = render(
    <I18nContext.Provider value={t}>
      <InPageWarning verdict={verdict} armed {...props} {...actions} />
    </I18nContext.Provider>,
  );
  return { ...result, ...actions };
}

const EXPECTED = {
  en: {
    titleUnvetted: 'RelayGuard: unvetted AI relay',
    titleBlocked: 'RelayGuard: blocked AI relay',
    family: 'relay.example looks like a new-api relay: an unvetted third party that sees every prompt and key you send through it.',
    unvetted: 'relay.example looks like an AI API relay that no allowlist vouches for: an unvetted third party that sees every prompt and key you send through it.',
    blocked: 'relay.example is on a blocklist of AI API relays. Do not send it prompts, data or API keys.',
    buttons: ['Details', 'Report', 'Dismiss for this site'],
    more: '2 more in Details',
    failed: 'That did not work: Your organisation manages this site.',
  },
  zh_CN: {
    titleUnvetted: 'RelayGuard：未经审核的 AI 中转站',
    titleBlocked: 'RelayGuard：已拦截的 AI 中转站',
    family: 'relay.example 看起来是一个 new-api 中转站：这个未经审核的第三方能看到你通过它发送的每条提示和每个密钥。',
    unvetted: 'relay.example 看起来是一个没有任何允许列表认可的 AI API 中转站：这个未经审核的第三方能看到你通过它发送的每条提示和每个密钥。',
    blocked: 'relay.example 在 AI API 中转站拦截列表中。不要向它发送提示、数据或 API 密钥。',
    buttons: ['详情', '报告', '在此网站不再提示'],
    more: '另有 2 条，见“详情”',
    failed: '操作未成功：Your organisation manages this site.',
  },
} as const;

describe.each(LANGUAGES)('InPageWarning (%s)', (locale, t) => {
  const text = EXPECTED[locale];

  test('unvetted with a known gateway family: family-specific sentence, polite status, named region', () => {
    renderWarning(t, verdictView('unvetted', { family: 'new-api' }));
    const region = screen.getByRole('region', { name: text.titleUnvetted });
    expect(region.getAttribute('aria-describedby')).toBe('rg-warning-summary');
    expect(screen.getByRole('status').textContent).toBe(text.titleUnvetted + text.family);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe(text.titleUnvetted);
  });

  test('blocked by the organisation: "managed by" with its name and support link; nobody named otherwise', () => {
    const managedBy = { name: 'Example Corp IT', supportUrl: 'https://help.corp.example/ai' };
    renderWarning(t, { ...verdictView('blocked'), managedBy });
    const line = screen.getByTestId('managed-by');
    expect(line.textContent).toContain(t('managedBy', { organization: 'Example Corp IT' }));
    expect(line.querySelector('a')?.getAttribute('href')).toBe('https://help.corp.example/ai');
    cleanup();
    renderWarning(t, verdictView('blocked'));
    expect(screen.queryByTestId('managed-by')).toBeNull();
  });

  test('unvetted without a family: the generic sentence', () => {
    renderWarning(t, verdictView('unvetted'));
    expect(screen.getByText(text.unvetted)).toBeTruthy();
  });

  test('a page that only calls a relay: the sentence names the endpoint, not the page', () => {
    const endpointReason = { kind: 'endpoint', level: 'unvetted', source: 'api.relay-endpoint.test', detail: 'openai' } as const;
    renderWarning(t, verdictView('unvetted', { hostDisplay: 'ask-anything.test', reasons: [endpointReason] }));
    expect(screen.getByText(t('warning_summary_endpoint', { endpoint: 'api.relay-endpoint.test' }))).toBeTruthy();
    expect(screen.queryByText(t('warning_summary_unvetted', { host: 'ask-anything.test' }))).toBeNull();
  });

  test('blocked: blocklist sentence, announced assertively, whatever the family', () => {
    renderWarning(t, verdictView('blocked', { family: 'one-api' }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe(text.titleBlocked + text.blocked);
    expect(screen.getByRole('region', { name: text.titleBlocked })).toBeTruthy();
  });

  test('shows the top three reasons, each naming its source, and says how many more there are', () => {
    const reasons = [
      reason({ kind: 'list', level: 'blocked', source: 'Community blocklist v3', detail: 'relay.example' }),
      reason({ kind: 'lookalike', source: 'relay.example', detail: 'openai.com' }),
      reason({ kind: 'endpoint', source: 'api.relay.example', detail: 'openai' }),
      reason({ source: 'gateway-footer-credit', detail: 'new-api' }),
      reason({ source: 'relay-vocabulary', detail: '令牌, 额度' }),
    ];
    renderWarning(t, verdictView('blocked', { reasons }));
    const items = screen.getAllByTestId('reason');
    expect(items).toHaveLength(WARNING_REASON_LIMIT);
    expect(items[0]!.textContent).toContain('Community blocklist v3');
    expect(items[1]!.textContent).toContain('openai.com');
    expect(items[2]!.textContent).toContain('api.relay.example');
    expect(screen.getByText(text.more)).toBeTruthy();
  });

  test('real buttons in reading order, all of them live', () => {
    renderWarning(t, verdictView('unvetted'));
    const buttons = screen.getAllByRole('button');
    expect(buttons.map((button) => button.textContent)).toEqual(text.buttons);
    for (const button of buttons) {
      expect(button.tagName).toBe('BUTTON');
      expect(button.getAttribute('type')).toBe('button');
      // Tab order is document order: nothing jumps the queue.
      expect(button.hasAttribute('tabindex')).toBe(false);
    }
    expect(buttons.filter((button) => (button as HTMLButtonElement).disabled)).toEqual([]);
  });

  test('each action calls its callback on a real click', () => {
    const { onDetails, onReport, onDismiss } = renderWarning(t, verdictView('unvetted'));
    trustedClick(screen.getByTestId('warning-details'));
    trustedClick(screen.getByTestId('warning-report'));
    trustedClick(screen.getByTestId('warning-dismiss'));
    expect(onDetails).toHaveBeenCalledTimes(1);
    expect(onReport).toHaveBeenCalledTimes(1);
    expect(onDismiss).toHaveBeenCalledTimes(1);
  });

  test('clicks a page script synthesises do nothing', () => {
    const { onDetails, onReport, onDismiss } = renderWarning(t, verdictView('unvetted'));
    fireEvent.click(screen.getByTestId('warning-report'));
    fireEvent.click(screen.getByTestId('warning-details'));
    (screen.getByTestId('warning-details') as HTMLButtonElement).click();
    screen.getByTestId('warning-dismiss').dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(onDetails).not.toHaveBeenCalled();
    expect(onReport).not.toHaveBeenCalled();
    expect(onDismiss).not.toHaveBeenCalled();
  });

  test('before the card was seen unobscured for a moment, real clicks do nothing either, and the buttons say so', () => {
    const { onDetails, onDismiss, container } = renderWarning(t, verdictView('unvetted'), { armed: false });
    trustedClick(screen.getByTestId('warning-details'));
    trustedClick(screen.getByTestId('warning-dismiss'));
    expect(onDetails).not.toHaveBeenCalled();
    expect(onDismiss).not.toHaveBeenCalled();
    expect(screen.getByTestId('warning-dismiss').getAttribute('aria-disabled')).toBe('true');
    expect(container.querySelector('.rg-actions')!.getAttribute('data-armed')).toBe('false');
    expect(container.querySelector('.rg-arming')).not.toBeNull();
  });

  test('no trust decision in page content: never a "Trust this site", whatever the verdict', () => {
    for (const verdict of [verdictView('unvetted'), verdictView('blocked'), verdictView('blocked', { control: { userEntry: null, managed: true } })]) {
      const { container, unmount } = renderWarning(t, verdict);
      expect(screen.queryByTestId('warning-trust')).toBeNull();
      for (const button of container.querySelectorAll('button')) expect(button.textContent).not.toMatch(/trust|allow|信任|允许/i);
      unmount();
    }
  });

  test('while busy the actions wait; a failure is shown as an alert', () => {
    renderWarning(t, verdictView('unvetted'), { busy: true, error: 'Your organisation manages this site.' });
    expect((screen.getByTestId('warning-details') as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId('warning-dismiss') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(text.failed).getAttribute('role')).toBe('alert');
  });

  test('appearing does not take focus from what the person is typing in', () => {
    const field = document.createElement('input');
    document.body.append(field);
    field.focus();
    renderWarning(t, verdictView('blocked'));
    expect(document.activeElement).toBe(field);
    field.remove();
  });
});
