// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Translate } from '../../lib/core/i18n.ts';
import { LANGUAGES, trustedClick } from '../../lib/page/test-support.ts';
import { I18nContext } from '../common/i18n-context.ts';
import { NOTICE_VISIBLE_MS, PasteNotice, type PasteNoticeProps } from './PasteNotice.tsx';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function renderNotice(t: Translate, props: Partial<PasteNoticeProps> = {}) {
  const onClose = vi.fn();
  const result = render(
    <I18nContext.Provider value={t}>
      <PasteNotice vendor="google" kind="vendor-key" host="chat.example" armed onClose={onClose} {...props} />
    </I18nContext.Provider>,
  );
  return { ...result, onClose };
}

const EXPECTED = {
  en: {
    key: 'You pasted an API key for Google into chat.example. This site calls AI APIs from your browser, so its code can use or keep the key. Only do this on sites you trust.',
    subscription: 'You pasted a Claude subscription credential into chat.example, which is not Claude. Its code can use or keep it. Only do this on sites you trust.',
    close: 'Close',
  },
  zh_CN: {
    key: '你在 chat.example 中粘贴了一个 Google API 密钥。这个网站会在你的浏览器里调用 AI API，它的代码可以使用或保存这个密钥。请只在你信任的网站上这样做。',
    subscription: '你在 chat.example 中粘贴了 Claude 订阅凭据，而这里并不是 Claude。这个网站的代码可以使用或保存它。请只在你信任的网站上这样做。',
    close: '关闭',
  },
} as const;

describe.each(LANGUAGES)('PasteNotice (%s)', (locale, t) => {
  const text = EXPECTED[locale];

  test('a status message naming the vendor and the site, with a labelled close button', () => {
    renderNotice(t);
    expect(screen.getByRole('status').textContent).toContain(text.key);
    const close = screen.getByRole('button', { name: text.close });
    expect(close.getAttribute('data-testid')).toBe('notice-close');
  });

  test('Claude subscription credentials get their own sentence', () => {
    renderNotice(t, { vendor: 'anthropic', kind: 'subscription-credential' });
    expect(screen.getByRole('status').textContent).toContain(text.subscription);
  });

  test('does not take focus', () => {
    const field = document.createElement('textarea');
    document.body.append(field);
    field.focus();
    renderNotice(t);
    expect(document.activeElement).toBe(field);
    field.remove();
  });

  test('hides by itself after a while', () => {
    const { onClose } = renderNotice(t);
    act(() => {
      vi.advanceTimersByTime(NOTICE_VISIBLE_MS - 1);
    });
    expect(onClose).not.toHaveBeenCalled();
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  test('waits while the pointer is on it', () => {
    const { onClose } = renderNotice(t);
    act(() => {
      fireEvent.mouseEnter(screen.getByRole('status'));
    });
    act(() => {
      vi.advanceTimersByTime(NOTICE_VISIBLE_MS * 3);
    });
    expect(onClose).not.toHaveBeenCalled();
    act(() => {
      fireEvent.mouseLeave(screen.getByRole('status'));
    });
    act(() => {
      vi.advanceTimersByTime(NOTICE_VISIBLE_MS);
    });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  test('the close button waits until the notice was seen unobscured for a moment', () => {
    const { onClose } = renderNotice(t, { armed: false });
    trustedClick(screen.getByTestId('notice-close'));
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByTestId('notice-close').getAttribute('aria-disabled')).toBe('true');
  });

  test('the close button closes on a real click only', () => {
    const { onClose } = renderNotice(t);
    fireEvent.click(screen.getByTestId('notice-close'));
    expect(onClose).not.toHaveBeenCalled();
    trustedClick(screen.getByTestId('notice-close'));
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
