import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { useTranslate } from '../../components/i18n-context.ts';
import { VerdictCard } from '../../components/VerdictCard.tsx';
import { sendRequest, type TabVerdictView } from '../../lib/messages.ts';

type PopupState = { status: 'loading' } | { status: 'error'; error: string } | { status: 'no-page' } | { status: 'ready'; verdict: TabVerdictView };

/** `popup.html?tab=<id>` shows that tab (tests and "details" links use it); otherwise the active tab. */
async function targetTabId(): Promise<number | null> {
  const requested = Number(new URLSearchParams(location.search).get('tab'));
  if (Number.isInteger(requested) && requested >= 0 && new URLSearchParams(location.search).has('tab')) return requested;
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  return active?.id ?? null;
}

export function PopupApp() {
  const t = useTranslate();
  const [state, setState] = useState<PopupState>({ status: 'loading' });

  useEffect(() => {
    void (async () => {
      const tabId = await targetTabId();
      if (tabId === null) return setState({ status: 'no-page' });
      const answer = await sendRequest((message) => browser.runtime.sendMessage(message), { type: 'tab-verdict/get', tabId });
      if (!answer.ok) return setState({ status: 'error', error: answer.error });
      setState(answer.data ? { status: 'ready', verdict: answer.data } : { status: 'no-page' });
    })();
  }, []);

  switch (state.status) {
    case 'loading':
      return <p class="muted" aria-busy="true">{t('loading')}</p>;
    case 'error':
      return <p role="alert">{t('loadError', { error: state.error })}</p>;
    case 'no-page':
      return <p class="muted">{t('noPage')}</p>;
    case 'ready':
      return <VerdictCard verdict={state.verdict} />;
  }
}
