import { render } from 'preact';
import { browser } from 'wxt/browser';
import { I18nContext } from '../../components/i18n-context.ts';
import { createTranslator } from '../../lib/i18n.ts';
import { PopupApp } from './PopupApp.tsx';
import './style.css';

const translate = createTranslator((key, substitutions) => browser.i18n.getMessage(key as never, substitutions));
document.documentElement.lang = browser.i18n.getUILanguage();
document.title = translate('popupTitle');

render(
  <I18nContext.Provider value={translate}>
    <PopupApp />
  </I18nContext.Provider>,
  document.getElementById('app')!,
);
