import { useEffect, useState } from 'preact/hooks';
import type { InterstitialInfo } from '../../lib/protocol/messages.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { useRequest } from '../common/send-context.ts';
import { FramedBlockPage, Interstitial } from './Interstitial.tsx';

/** Where the block page sends the tab; `location` in the extension, a record in tests. */
export interface BlockPageNavigation {
  readonly back: () => void;
  /** Replaces the block page in the tab's history (after "Continue once"). */
  readonly replace: (url: string) => void;
  /** An ordinary navigation (an address no list blocks). */
  readonly assign: (url: string) => void;
  /** Opens `popup.html?tab=<this tab>&report=1` beside this tab. */
  readonly openReport: () => void;
}

export interface BlockPageAppProps {
  /** The address after '#': the URL the block page stands in for. */
  readonly blockedUrl: string;
  /** Whether the page is inside another page's frame (`window.top !== window`). */
  readonly framed: boolean;
  readonly navigate: BlockPageNavigation;
}

/**
 * The block page. Inside another page's frame it could only be clickjacked: it then asks the
 * background nothing and offers nothing. (Chromium does not even load it there: the manifest's
 * frame-ancestors 'none'. This covers browsers that do not honour that.)
 */
export function BlockPageApp({ blockedUrl, framed, navigate }: BlockPageAppProps) {
  return framed ? <FramedBlockPage /> : <TopLevelBlockPage blockedUrl={blockedUrl} navigate={navigate} />;
}

function TopLevelBlockPage({ blockedUrl, navigate }: Omit<BlockPageAppProps, 'framed'>) {
  const t = useTranslate();
  const request = useRequest();
  const [info, setInfo] = useState<InterstitialInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void request({ type: 'interstitial/info', url: blockedUrl }).then((answer) => (answer.ok ? setInfo(answer.data) : setError(answer.error)));
  }, [request, blockedUrl]);

  const proceedOnce = async () => {
    setBusy(true);
    const answer = await request({ type: 'interstitial/proceed-once', url: blockedUrl });
    if (answer.ok) navigate.replace(answer.data.url);
    else {
      setError(answer.error);
      setBusy(false);
    }
  };

  if (!info) return error ? <p role="alert">{t('actionFailed', { error })}</p> : null;
  return (
    <Interstitial
      info={info}
      busy={busy}
      error={error}
      onGoBack={navigate.back}
      onProceedOnce={() => void proceedOnce()}
      // Only offered for an http(s) address no list blocks: an ordinary navigation, nothing lifted.
      onGoToAddress={() => navigate.assign(info.url)}
      onReport={navigate.openReport}
    />
  );
}
