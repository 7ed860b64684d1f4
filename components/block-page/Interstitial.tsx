import { useEffect, useRef } from 'preact/hooks';
import type { InterstitialInfo } from '../../lib/protocol/messages.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { ManagedBy } from '../common/ManagedBy.tsx';
import { ReasonItem } from '../common/ReasonItem.tsx';

export interface InterstitialProps {
  readonly info: InterstitialInfo;
  readonly busy: boolean;
  readonly error: string | null;
  readonly onGoBack: () => void;
  readonly onProceedOnce: () => void;
  /** Opens the address as an ordinary navigation: for a host no list blocks, nothing to lift. */
  readonly onGoToAddress: () => void;
  /** Opens the popup's view of this tab, with its report form open, in a tab beside it. */
  readonly onReport: () => void;
}

/**
 * The full-page stop for a blocked host: the URL in Unicode and ASCII (so a look-alike shows
 * itself), why it is blocked, and the ways out. "Go back" is focused first: the safe choice is the
 * one a hurried Enter takes. Any page can open this page with any address after '#', so it says
 * "a blocklist names it" only when the background says a list blocks the host now; otherwise it
 * says there is nothing to block and offers the address as a plain link, with no trust action.
 * Trusting a site for good is never offered here, only in the popup and the options page.
 */
export function Interstitial({ info, busy, error, onGoBack, onProceedOnce, onGoToAddress, onReport }: InterstitialProps) {
  const t = useTranslate();
  const goBack = useRef<HTMLButtonElement>(null);
  useEffect(() => goBack.current?.focus(), []);
  const showsAscii = info.hostAscii !== info.hostUnicode;
  const blocked = info.level === 'blocked';

  return (
    <main class="interstitial" aria-labelledby="interstitial-title" data-testid="block-page" data-state={blocked ? 'blocked' : 'not-blocked'}>
      <h1 id="interstitial-title" class={blocked ? undefined : 'not-blocked'}>
        {t(blocked ? 'interstitialTitle' : 'interstitialNotBlockedTitle')}
      </h1>
      <p class="lead">{t(blocked ? 'interstitialLead' : 'interstitialNotBlockedLead', { host: info.hostUnicode })}</p>
      <dl class="address">
        <dt>{t('interstitialAddress')}</dt>
        <dd data-testid="blocked-url">{info.url}</dd>
        {showsAscii && <dd class="ascii">{t('interstitialAscii', { ascii: info.hostAscii })}</dd>}
      </dl>
      {blocked && (
        <>
          <p>{t('interstitialRisk')}</p>
          <h2>{t('reasonsHeading')}</h2>
          <ul class="reasons">
            {info.reasons.map((reason, index) => (
              <ReasonItem key={index} reason={reason} />
            ))}
          </ul>
        </>
      )}
      {!info.navigable && <p role="note">{t('notNavigable')}</p>}
      {blocked && info.navigable && !info.allowProceed && <p role="note">{t('proceedForbidden')}</p>}
      {blocked && info.managedBy && <ManagedBy managedBy={info.managedBy} />}
      {error && <p role="alert">{t('actionFailed', { error })}</p>}
      <div class="actions">
        <button type="button" class="primary" data-testid="go-back" ref={goBack} onClick={onGoBack}>
          {t('goBack')}
        </button>
        {blocked && info.navigable && info.allowProceed && (
          <button type="button" data-testid="proceed-once" disabled={busy} onClick={onProceedOnce}>
            {t('proceedOnce')}
          </button>
        )}
        {!blocked && info.navigable && (
          <button type="button" data-testid="go-to-address" onClick={onGoToAddress}>
            {t('goToAddress')}
          </button>
        )}
        {/* Only for an address a list blocks now (a false positive is reported there): any page can open this page with
            any address after '#', and an address nothing blocks has nothing to report from here. The form is the popup's,
            in an extension tab. */}
        {blocked && info.navigable && (
          <button type="button" data-testid="block-page-report" onClick={onReport}>
            {t('report')}
          </button>
        )}
      </div>
      {blocked && info.navigable && info.allowProceed && <p class="muted trust-hint">{t('interstitialTrustHint')}</p>}
    </main>
  );
}

/** What the block page shows inside another page's frame: no verdict, no buttons, nothing to click. */
export function FramedBlockPage() {
  const t = useTranslate();
  return (
    <main class="interstitial" data-testid="block-page" data-state="framed">
      <p>{t('interstitialFramed')}</p>
    </main>
  );
}
