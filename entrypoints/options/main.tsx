import { render } from 'preact';
import { browser } from 'wxt/browser';
import { I18nContext } from '../../components/common/i18n-context.ts';
import { OptionsApp } from '../../components/options/OptionsApp.tsx';
import { SendContext } from '../../components/common/send-context.ts';
import { createTranslator } from '../../lib/core/i18n.ts';
import '../popup/style.css';
import '../popup/controls.css';
import './style.css';

const translate = createTranslator((key, substitutions) => browser.i18n.getMessage(key as never, substitutions));
const send = (message: unknown) => browser.runtime.sendMessage(message);
document.documentElement.lang = browser.i18n.getUILanguage();
document.title = translate('options_title');

render(
  <I18nContext.Provider value={translate}>
    <SendContext.Provider value={send}>
      <OptionsApp />
    </SendContext.Provider>
  </I18nContext.Provider>,
  document.getElementById('app')!,
);
