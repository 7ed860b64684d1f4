import { whenArmed } from '../../lib/page/arming.ts';
import { familyName } from '../../lib/page/vendors.ts';
import type { TabVerdictView } from '../../lib/protocol/page-protocol.ts';
import { riskSource } from '../../lib/verdicts/risk-source.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { ManagedBy } from '../common/ManagedBy.tsx';
import { ReasonItem } from '../common/ReasonItem.tsx';
import { ArmingBar } from './ArmingBar.tsx';

/** How many reasons the card shows; the rest are one click away in Details. */
export const WARNING_REASON_LIMIT = 3;

export interface InPageWarningProps {
  /** The tab's verdict; the card is only ever rendered for `unvetted` and `blocked`. */
  readonly verdict: TabVerdictView;
  /** An action is on its way to the background: its buttons wait. */
  readonly busy?: boolean;
  /** Whether the buttons act yet: only once the card was seen, unobscured (lib/page/arming.ts). */
  readonly armed: boolean;
  /** Why the last action failed, in the background's words. */
  readonly error?: string | null;
  readonly onDetails: () => void;
  /** Opens the report form in an extension tab (the popup's view): nothing is decided in the page. */
  readonly onReport: () => void;
  readonly onDismiss: () => void;
}

/**
 * One sentence on what the site is. When only the AI endpoint the page calls is the problem (a
 * chat app on a relay), the sentence names that endpoint, not the page.
 */
function summarize(verdict: TabVerdictView, t: ReturnType<typeof useTranslate>): string {
  const host = verdict.hostDisplay;
  const blocked = verdict.level === 'blocked';
  const source = riskSource(verdict);
  if (source.kind === 'endpoint') return t(blocked ? 'warning_summary_endpointBlocked' : 'warning_summary_endpoint', { endpoint: source.host });
  if (blocked) return t('warning_summary_blocked', { host });
  return verdict.family ? t('warning_summary_family', { host, family: familyName(verdict.family) }) : t('warning_summary_unvetted', { host });
}

/**
 * The card a relay page gets, in a corner: what the site is in one sentence, the top reasons,
 * and what the person can do about it here: see the details, or dismiss the card. Trusting the
 * site is not offered: a trust decision made in page content is one a page can lure (issue 8);
 * it lives in the popup. The card never takes focus (the person may be typing), and its
 * buttons act on real clicks and key presses only, once the card has been seen unobscured: a page
 * script cannot dismiss it by dispatching events, nor by luring a click onto it.
 */
export function InPageWarning({ verdict, busy = false, armed, error = null, onDetails, onReport, onDismiss }: InPageWarningProps) {
  const t = useTranslate();
  const blocked = verdict.level === 'blocked';
  const summary = summarize(verdict, t);
  const shown = verdict.reasons.slice(0, WARNING_REASON_LIMIT);
  const more = verdict.reasons.length - shown.length;

  return (
    <section class={`rg-card rg-warning ${blocked ? 'rg-blocked' : 'rg-unvetted'}`} aria-labelledby="rg-warning-title" aria-describedby="rg-warning-summary">
      {/* Announced once when the card appears: assertively for a blocklisted site, politely otherwise. */}
      <div role={blocked ? 'alert' : 'status'}>
        <h2 id="rg-warning-title" class="rg-title">
          {t(blocked ? 'warning_title_blocked' : 'warning_title_unvetted')}
        </h2>
        <p id="rg-warning-summary" class="rg-summary">
          {summary}
        </p>
      </div>
      {shown.length > 0 && (
        <ul class="reasons" aria-label={t('reasonsHeading')}>
          {shown.map((reason, index) => (
            <ReasonItem key={index} reason={reason} />
          ))}
        </ul>
      )}
      {verdict.managedBy && <ManagedBy managedBy={verdict.managedBy} />}
      {more > 0 && <p class="rg-more">{t('warning_moreReasons', { count: String(more) })}</p>}
      {error && (
        <p class="rg-error" role="alert">
          {t('warning_actionFailed', { error })}
        </p>
      )}
      <ArmingBar armed={armed} />
      <div class="rg-actions" data-armed={String(armed)}>
        <button type="button" class="rg-button rg-primary" data-testid="warning-details" disabled={busy} aria-disabled={!armed} onClick={whenArmed(armed, onDetails)}>
          {t('warning_details')}
        </button>
        <button type="button" class="rg-button" data-testid="warning-report" disabled={busy} aria-disabled={!armed} onClick={whenArmed(armed, onReport)}>
          {t('report')}
        </button>
        <button type="button" class="rg-button" data-testid="warning-dismiss" disabled={busy} aria-disabled={!armed} onClick={whenArmed(armed, onDismiss)}>
          {t('warning_dismiss')}
        </button>
      </div>
    </section>
  );
}
