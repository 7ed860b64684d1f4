import { render } from 'preact';
import { browser } from 'wxt/browser';
import { BlockPageApp } from '../../components/block-page/BlockPageApp.tsx';
import { I18nContext } from '../../components/common/i18n-context.ts';
import { SendContext } from '../../components/common/send-context.ts';
import { createTranslator } from '../../lib/core/i18n.ts';
import '../popup/style.css';
import './style.css';

const translate = createTranslator((key, substitutions) => browser.i18n.getMessage(key as never, substitutions));
const send = (message: unknown) => browser.runtime.sendMessage(message);
document.documentElement.lang = browser.i18n.getUILanguage();
document.title = translate('interstitialTitle');

/** The popup's view of this tab (it speaks of the blocked address), report form open, beside it. */
async function openReport(): Promise<void> {
  const tab = await browser.tabs.getCurrent();
  if (tab?.id === undefined) return;
  await browser.tabs.create({ url: `${browser.runtime.getURL('/popup.html')}?tab=${tab.id}&report=1`, index: tab.index + 1, openerTabId: tab.id });
}

render(
  <I18nContext.Provider value={translate}>
    <SendContext.Provider value={send}>
      <BlockPageApp
        // The declarativeNetRequest redirect puts the original URL after '#': it may hold '&', '?'
        // or its own '#', which a query parameter would mangle.
        blockedUrl={location.hash.slice(1)}
        framed={window.top !== window}
        navigate={{
          back: () => (history.length > 1 ? history.back() : location.replace('about:blank')),
          replace: (url) => location.replace(url),
          assign: (url) => location.assign(url),
          openReport: () => void openReport(),
        }}
      />
    </SendContext.Provider>
  </I18nContext.Provider>,
  document.getElementById('app')!,
);
