// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, test } from 'vitest';
import { hiddenWarningReason } from '../../lib/verdicts/hidden-warning.ts';
import { LANGUAGES } from '../../lib/page/test-support.ts';
import { I18nContext } from './i18n-context.ts';
import { ReasonItem } from './ReasonItem.tsx';

afterEach(cleanup);

const EXPECTED = {
  en: {
    covered: "RelayGuard's own check: relay.example kept covering RelayGuard's warning",
    removed: "RelayGuard's own check: relay.example kept removing RelayGuard's warning",
  },
  zh_CN: {
    covered: 'RelayGuard 自身检查：relay.example 一直遮挡 RelayGuard 的警告',
    removed: 'RelayGuard 自身检查：relay.example 一直移除 RelayGuard 的警告',
  },
} as const;

describe.each(LANGUAGES)('ReasonItem (%s): a page that hid RelayGuard’s warning', (locale, t) => {
  test.each(['covered', 'removed'] as const)('%s: its own reason, naming the site and what it did', (how) => {
    const { container } = render(
      <I18nContext.Provider value={t}>
        <ReasonItem reason={hiddenWarningReason('relay.example', { surface: 'warning', how })} />
      </I18nContext.Provider>,
    );
    const item = container.querySelector('[data-testid="reason"]')!;
    expect(item.getAttribute('data-kind')).toBe('tamper');
    expect(item.getAttribute('data-level')).toBe('unvetted');
    expect(item.textContent).toBe(EXPECTED[locale][how]);
  });
});
