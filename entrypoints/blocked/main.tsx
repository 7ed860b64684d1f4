import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { I18nContext } from '../../components/common/i18n-context.ts';
import { FramedBlockPage, Interstitial } from '../../components/block-page/Interstitial.tsx';
import { createTranslator } from '../../lib/core/i18n.ts';
import { sendRequest, type InterstitialInfo } from '../../lib/protocol/messages.ts';
import '../popup/style.css';
import './style.css';

// The declarativeNetRequest redirect puts the original URL after '#': it may hold '&', '?' or
// its own '#', which a query parameter would mangle.
const blockedUrl = location.hash.slice(1);
const translate = createTranslator((key, substitutions) => browser.i18n.getMessage(key as never, substitutions));
const send = (message: unknown) => browser.runtime.sendMessage(message);
document.documentElement.lang = browser.i18n.getUILanguage();
document.title = translate('interstitialTitle');

/**
 * Inside another page's frame the block page could only be clickjacked: it asks the background
 * nothing and offers nothing. (Chromium does not even load it there: the manifest's
 * frame-ancestors 'none'. This covers browsers that do not honour that.)
 */
const framed = window.top !== window;

function BlockedApp() {
  const [info, setInfo] = useState<InterstitialInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void sendRequest(send, { type: 'interstitial/info', url: blockedUrl }).then((answer) =>
      answer.ok ? setInfo(answer.data) : setError(answer.error),
    );
  }, []);

  const proceedOnce = async () => {
    setBusy(true);
    const answer = await sendRequest(send, { type: 'interstitial/proceed-once', url: blockedUrl });
    if (answer.ok) location.replace(answer.data.url);
    else {
      setError(answer.error);
      setBusy(false);
    }
  };

  if (!info) return error ? <p role="alert">{translate('actionFailed', { error })}</p> : null;
  return (
    <Interstitial
      info={info}
      busy={busy}
      error={error}
      onGoBack={() => (history.length > 1 ? history.back() : location.replace('about:blank'))}
      onProceedOnce={() => void proceedOnce()}
      // Only offered for an http(s) address no list blocks: an ordinary navigation, nothing lifted.
      onGoToAddress={() => location.assign(info.url)}
    />
  );
}

render(
  <I18nContext.Provider value={translate}>{framed ? <FramedBlockPage /> : <BlockedApp />}</I18nContext.Provider>,
  document.getElementById('app')!,
);
