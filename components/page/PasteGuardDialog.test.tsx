// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Translate } from '../../lib/core/i18n.ts';
import { LANGUAGES, trusted, trustedClick } from '../../lib/page/test-support.ts';
import { I18nContext } from '../common/i18n-context.ts';
import { PasteGuardDialog, type PasteGuardDialogProps } from './PasteGuardDialog.tsx';

afterEach(cleanup);

function renderDialog(t: Translate, props: Partial<PasteGuardDialogProps> = {}) {
  const onPaste = vi.fn();
  const onCancel = vi.fn();
  const result = render(
    <I18nContext.Provider value={t}>
      <PasteGuardDialog vendor="openai" kind="vendor-key" host="relay.example" level="unvetted" armed onPaste={onPaste} onCancel={onCancel} {...props} />
    </I18nContext.Provider>,
  );
  return { ...result, onPaste, onCancel };
}

function key(target: Element, init: KeyboardEventInit, isTrusted = true): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(isTrusted ? trusted(event) : event);
  return event;
}

const EXPECTED = {
  en: {
    title: 'RelayGuard held this paste',
    leadKey: 'The text you pasted contains an API key for OpenAI. Pasting it here would hand the key to relay.example (Unvetted relay).',
    leadBlocked: 'The text you pasted contains an API key for Google. Pasting it here would hand the key to bad.example (Blocked relay).',
    leadSubscription:
      'The text you pasted contains a Claude subscription credential: the login behind your Claude account. Pasting it here would hand it to platform.openai.com, which is not Claude.',
    riskKey: 'A relay sees every prompt, answer and key sent through it in plain text. Keys handed to relays have been resold and abused, and can get the account behind them banned.',
    riskSubscription: "Relays collect these credentials to resell access to other people's subscriptions. Whoever holds it can use your Claude account, and it can get the account banned.",
    cancel: "Don't paste",
    paste: 'Paste anyway',
  },
  zh_CN: {
    title: 'RelayGuard 拦下了这次粘贴',
    leadKey: '你粘贴的文本包含一个 OpenAI API 密钥。在这里粘贴，会把这个密钥交给 relay.example（未经审核的中转站）。',
    leadBlocked: '你粘贴的文本包含一个 Google API 密钥。在这里粘贴，会把这个密钥交给 bad.example（已拦截的中转站）。',
    leadSubscription: '你粘贴的文本包含 Claude 订阅凭据，也就是你 Claude 账号的登录凭据。在这里粘贴，会把它交给 platform.openai.com，而这里并不是 Claude。',
    riskKey: '中转站能以明文看到经过它的每条提示、回复和密钥。交给中转站的密钥曾被转卖和滥用，还可能导致其所属账号被封禁。',
    riskSubscription: '中转站会收集这类凭据，把别人的订阅额度转卖出去。拿到它的人可以使用你的 Claude 账号，还可能导致该账号被封禁。',
    cancel: '不粘贴',
    paste: '仍然粘贴',
  },
} as const;

describe.each(LANGUAGES)('PasteGuardDialog (%s)', (locale, t) => {
  const text = EXPECTED[locale];

  test('a modal dialog named by its title, describing whose key it is and where it would go', () => {
    renderDialog(t);
    const dialog = screen.getByRole('dialog', { name: text.title });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.getAttribute('aria-describedby')).toBe('rg-paste-lead rg-paste-risk');
    expect(document.getElementById('rg-paste-lead')!.textContent).toBe(text.leadKey);
    expect(document.getElementById('rg-paste-risk')!.textContent).toBe(text.riskKey);
    expect(screen.getByTestId('cancel-paste').textContent).toBe(text.cancel);
    expect(screen.getByTestId('paste-anyway').textContent).toBe(text.paste);
  });

  test('names the vendor and the level of the destination', () => {
    renderDialog(t, { vendor: 'google', host: 'bad.example', level: 'blocked' });
    expect(document.getElementById('rg-paste-lead')!.textContent).toBe(text.leadBlocked);
  });

  test('a Claude subscription credential gets its own explanation', () => {
    renderDialog(t, { vendor: 'anthropic', kind: 'subscription-credential', host: 'platform.openai.com', level: 'official' });
    expect(document.getElementById('rg-paste-lead')!.textContent).toBe(text.leadSubscription);
    expect(document.getElementById('rg-paste-risk')!.textContent).toBe(text.riskSubscription);
  });

  test('focus starts on the safe choice', () => {
    renderDialog(t);
    expect(document.activeElement).toBe(screen.getByTestId('cancel-paste'));
  });

  test('Tab and Shift+Tab stay inside the dialog', () => {
    renderDialog(t);
    const cancel = screen.getByTestId('cancel-paste');
    const pasteAnyway = screen.getByTestId('paste-anyway');
    // Document order is the Tab order: cancel, then paste anyway.
    expect(screen.getAllByRole('button')).toEqual([cancel, pasteAnyway]);
    pasteAnyway.focus();
    const forward = key(pasteAnyway, { key: 'Tab' });
    expect(forward.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(cancel);
    const backward = key(cancel, { key: 'Tab', shiftKey: true });
    expect(backward.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(pasteAnyway);
    // In the middle of the cycle the browser moves focus itself.
    cancel.focus();
    expect(key(cancel, { key: 'Tab' }).defaultPrevented).toBe(false);
  });

  test('Escape cancels', () => {
    const { onCancel, onPaste } = renderDialog(t);
    key(screen.getByTestId('cancel-paste'), { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onPaste).not.toHaveBeenCalled();
  });

  test('the buttons call their callbacks on real clicks', () => {
    const { onCancel, onPaste } = renderDialog(t);
    trustedClick(screen.getByTestId('paste-anyway'));
    expect(onPaste).toHaveBeenCalledTimes(1);
    trustedClick(screen.getByTestId('cancel-paste'));
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  test('before the question was seen unobscured for a moment, real clicks do nothing; Escape, which only cancels, works at once', () => {
    const { onCancel, onPaste, container } = renderDialog(t, { armed: false });
    trustedClick(screen.getByTestId('paste-anyway'));
    trustedClick(screen.getByTestId('cancel-paste'));
    expect(onPaste).not.toHaveBeenCalled();
    expect(onCancel).not.toHaveBeenCalled();
    expect(screen.getByTestId('paste-anyway').getAttribute('aria-disabled')).toBe('true');
    expect(container.querySelector('.rg-actions')!.getAttribute('data-armed')).toBe('false');
    expect(container.querySelector('.rg-arming')).not.toBeNull();
    key(screen.getByTestId('cancel-paste'), { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onPaste).not.toHaveBeenCalled();
  });

  test('synthetic clicks and keys from a page script do nothing', () => {
    const { onCancel, onPaste } = renderDialog(t);
    fireEvent.click(screen.getByTestId('paste-anyway'));
    (screen.getByTestId('paste-anyway') as HTMLButtonElement).click();
    fireEvent.click(screen.getByTestId('cancel-paste'));
    key(screen.getByTestId('cancel-paste'), { key: 'Escape' }, false);
    expect(onPaste).not.toHaveBeenCalled();
    expect(onCancel).not.toHaveBeenCalled();
  });

  test('focus a page script pulls out of the dialog comes back', () => {
    renderDialog(t);
    const outside = document.createElement('input');
    document.body.append(outside);
    const cancel = screen.getByTestId('cancel-paste');
    cancel.dispatchEvent(new FocusEvent('focusout', { bubbles: true, relatedTarget: outside }));
    expect(document.activeElement).toBe(cancel);
    outside.remove();
  });
});
