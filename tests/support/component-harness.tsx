import { render, type RenderResult } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { I18nContext } from '../../components/common/i18n-context.ts';
import { SendContext, type Send } from '../../components/common/send-context.ts';
import { createTranslator, formatMessage, type MessagesJson, type Translate } from '../../lib/core/i18n.ts';

import english from '../../public/_locales/en/messages.json' with { type: 'json' };
import chinese from '../../public/_locales/zh_CN/messages.json' with { type: 'json' };

/** The shipped catalogues, exactly the files the browser reads. */
const CATALOGUES: Record<string, MessagesJson> = { en: english, zh_CN: chinese };
const catalogue = (locale: string): MessagesJson => CATALOGUES[locale]!;

/**
 * One translator per shipped language, each answering only from its own catalogue: a key missing
 * from it throws instead of quietly falling back to English.
 */
export const LANGUAGES: ReadonlyArray<readonly [locale: string, t: Translate]> = ['en', 'zh_CN'].map((locale) => {
  const messages = catalogue(locale);
  const getMessage = (key: string, substitutions?: string[]) => {
    if (!(key in messages)) throw new Error(`${locale}/messages.json has no ${key}`);
    return formatMessage(messages, key, substitutions);
  };
  return [locale, createTranslator(getMessage)] as const;
});

/** Renders `ui` as an extension page renders it: strings from `t`, the background through `send`. */
export function renderPage(ui: ComponentChildren, { t, send }: { t: Translate; send: Send }): RenderResult {
  return render(
    <I18nContext.Provider value={t}>
      <SendContext.Provider value={send}>{ui}</SendContext.Provider>
    </I18nContext.Provider>,
  );
}
