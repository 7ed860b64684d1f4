import { useEffect, useRef } from 'preact/hooks';
import type { InterstitialInfo } from '../../lib/protocol/messages.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { ReasonItem } from '../common/ReasonItem.tsx';

export interface InterstitialProps {
  readonly info: InterstitialInfo;
  readonly busy: boolean;
  readonly error: string | null;
  readonly onGoBack: () => void;
  readonly onProceedOnce: () => void;
  readonly onAlwaysAllow: () => void;
}

/**
 * The full-page stop for a blocked host: the URL in Unicode and ASCII (so a look-alike shows
 * itself), why it is blocked, and the three ways out. "Go back" is focused first: the safe
 * choice is the one a hurried Enter takes.
 */
export function Interstitial({ info, busy, error, onGoBack, onProceedOnce, onAlwaysAllow }: InterstitialProps) {
  const t = useTranslate();
  const goBack = useRef<HTMLButtonElement>(null);
  useEffect(() => goBack.current?.focus(), []);
  const showsAscii = info.hostAscii !== info.hostUnicode;

  return (
    <main class="interstitial" aria-labelledby="interstitial-title">
      <h1 id="interstitial-title">{t('interstitialTitle')}</h1>
      <p class="lead">{t('interstitialLead', { host: info.hostUnicode })}</p>
      <dl class="address">
        <dt>{t('interstitialAddress')}</dt>
        <dd data-testid="blocked-url">{info.url}</dd>
        {showsAscii && <dd class="ascii">{t('interstitialAscii', { ascii: info.hostAscii })}</dd>}
      </dl>
      <p>{t('interstitialRisk')}</p>
      <h2>{t('reasonsHeading')}</h2>
      <ul class="reasons">
        {info.reasons.map((reason, index) => (
          <ReasonItem key={index} reason={reason} />
        ))}
      </ul>
      {!info.navigable && <p role="note">{t('notNavigable')}</p>}
      {info.navigable && !info.allowProceed && <p role="note">{t('proceedForbidden')}</p>}
      {error && <p role="alert">{t('actionFailed', { error })}</p>}
      <div class="actions">
        <button type="button" class="primary" data-testid="go-back" ref={goBack} onClick={onGoBack}>
          {t('goBack')}
        </button>
        {info.navigable && info.allowProceed && (
          <button type="button" data-testid="proceed-once" disabled={busy} onClick={onProceedOnce}>
            {t('proceedOnce')}
          </button>
        )}
        {info.navigable && info.allowAlwaysAllow && (
          <button type="button" data-testid="always-allow" disabled={busy} onClick={onAlwaysAllow}>
            {t('alwaysAllow')}
          </button>
        )}
      </div>
    </main>
  );
}
