import { render } from 'preact';
import { browser } from 'wxt/browser';
import { I18nContext } from '../../components/common/i18n-context.ts';
import { PopupApp } from '../../components/popup/PopupApp.tsx';
import { SendContext } from '../../components/common/send-context.ts';
import { createTranslator } from '../../lib/core/i18n.ts';
import './style.css';
import './controls.css';
import './popup.css';

const translate = createTranslator((key, substitutions) => browser.i18n.getMessage(key as never, substitutions));
const send = (message: unknown) => browser.runtime.sendMessage(message);
document.documentElement.lang = browser.i18n.getUILanguage();
document.title = translate('popupTitle');

/**
 * `popup.html?tab=<id>` shows that tab (tests and the in-page "details" link use it); otherwise the
 * active tab. `&report=1` opens the report form at once (the in-page warning's and block page's "Report").
 */
async function resolveTabId(): Promise<number | null> {
  const params = new URLSearchParams(location.search);
  const requested = Number(params.get('tab'));
  if (params.has('tab') && Number.isInteger(requested) && requested >= 0) return requested;
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  return active?.id ?? null;
}

function openOptions() {
  void browser.runtime.openOptionsPage().then(() => {
    // As the toolbar popup, get out of the way; opened as a tab (`?tab=`), stay.
    if (!new URLSearchParams(location.search).has('tab')) window.close();
  });
}

render(
  <I18nContext.Provider value={translate}>
    <SendContext.Provider value={send}>
      <PopupApp resolveTabId={resolveTabId} openOptions={openOptions} startReport={new URLSearchParams(location.search).get('report') === '1'} />
    </SendContext.Provider>
  </I18nContext.Provider>,
  document.getElementById('app')!,
);
