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

describe.each(LANGUAGES)('ReasonItem (%s): what the organisation decided', (_locale, t) => {
  const render1 = (source: string) =>
    render(
      <I18nContext.Provider value={t}>
        <ReasonItem reason={{ kind: 'list', level: 'blocked', source, detail: 'relay.example', listSource: 'managed' }} />
      </I18nContext.Provider>,
    ).container.querySelector('[data-testid="reason"]')!.textContent;

  test('the policy’s own entry names the policy; a list the organisation subscribes to names that list; both marked managed', () => {
    expect(render1('Managed policy')).toBe(`${t('reason_list', { source: t('source_managed'), level: t('level_blocked'), detail: 'relay.example' })}${t('managed')}`);
    cleanup();
    expect(render1('Example Corp relay list v2026.12.03')).toBe(`${t('reason_list', { source: 'Example Corp relay list v2026.12.03', level: t('level_blocked'), detail: 'relay.example' })}${t('managed')}`);
  });
});
