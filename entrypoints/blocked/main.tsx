import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { I18nContext } from '../../components/common/i18n-context.ts';
import { Interstitial } from '../../components/block-page/Interstitial.tsx';
import { createTranslator } from '../../lib/core/i18n.ts';
import { sendRequest, type InterstitialInfo, type Request } from '../../lib/protocol/messages.ts';
import '../popup/style.css';
import './style.css';

// The declarativeNetRequest redirect puts the original URL after '#': it may hold '&', '?' or
// its own '#', which a query parameter would mangle.
const blockedUrl = location.hash.slice(1);
const translate = createTranslator((key, substitutions) => browser.i18n.getMessage(key as never, substitutions));
const send = (message: unknown) => browser.runtime.sendMessage(message);
document.documentElement.lang = browser.i18n.getUILanguage();
document.title = translate('interstitialTitle');

function BlockedApp() {
  const [info, setInfo] = useState<InterstitialInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void sendRequest(send, { type: 'interstitial/info', url: blockedUrl }).then((answer) =>
      answer.ok ? setInfo(answer.data) : setError(answer.error),
    );
  }, []);

  const continueWith = async (request: Request & { type: 'interstitial/proceed-once' | 'interstitial/always-allow' }) => {
    setBusy(true);
    const answer = await sendRequest(send, request);
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
      onProceedOnce={() => void continueWith({ type: 'interstitial/proceed-once', url: blockedUrl })}
      onAlwaysAllow={() => void continueWith({ type: 'interstitial/always-allow', url: blockedUrl })}
    />
  );
}

render(
  <I18nContext.Provider value={translate}>
    <BlockedApp />
  </I18nContext.Provider>,
  document.getElementById('app')!,
);
