import { useEffect, useRef } from 'preact/hooks';
import type { TabVerdictView } from '../../lib/protocol/messages.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { patternDisplay } from '../common/pattern-display.ts';
import { PopupReportButton } from './PopupReportButton.tsx';

export type PopupAction = 'trust' | 'block' | 'undo';

export interface PopupActionsProps {
  readonly verdict: TabVerdictView;
  /** False when the page has no host a pattern could name. */
  readonly canAct: boolean;
  readonly busy: boolean;
  readonly onAction: (action: PopupAction) => void;
}

/**
 * Trust, block, report and undo for the page's host. A managed host shows why nothing here
 * applies, with the buttons disabled rather than hidden, so the person sees what they cannot do.
 */
export function PopupActions({ verdict, canAct, busy, onAction }: PopupActionsProps) {
  const t = useTranslate();
  const { userEntry, managed } = verdict.control;
  const locked = managed || busy || !canAct;
  const section = useRef<HTMLElement>(null);
  const acted = useRef(false);

  // When an action this section started has finished, the button pressed may be gone ("Trust"
  // disappears once the site is trusted): keep keyboard focus in the section, not on <body>.
  const wasBusy = useRef(busy);
  useEffect(() => {
    const finished = wasBusy.current && !busy;
    wasBusy.current = busy;
    if (!finished || !acted.current) return;
    acted.current = false;
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected && section.current?.contains(active)) return;
    section.current?.querySelector<HTMLButtonElement>('button:not([disabled]):not([aria-disabled="true"])')?.focus();
  }, [busy]);

  // What the lists already say about the page's own host: offering to trust a vetted site or to block a
  // blocked one would change nothing. (The tab's level can differ: it also counts the endpoints called.)
  // A managed host keeps both, disabled, so the person sees what they cannot change.
  const listLevel = verdict.reasons.find((reason) => reason.kind === 'list')?.level;

  const press = (action: PopupAction) => () => {
    acted.current = true;
    onAction(action);
  };

  return (
    <section class="popup-actions" aria-labelledby="popup-actions-title" ref={section}>
      <h2 id="popup-actions-title">{t('popup_actionsHeading')}</h2>
      {managed && (
        <p class="managed-note" data-testid="managed-note">
          <span class="managed-tag">{t('managed')}</span> <span>{t('popup_managedHelp')}</span>
        </p>
      )}
      {userEntry?.level === 'vetted' && !managed && (verdict.level === 'unvetted' || verdict.level === 'blocked') && (
        <p class="note-box" data-testid="endpoints-still-risky">
          {t('popup_trustedButEndpoints')}
        </p>
      )}
      {userEntry && (
        <div class="your-entry">
          <p>{t('popup_yourEntry', { pattern: patternDisplay(userEntry.pattern), level: t(`level_${userEntry.level}`) })}</p>
          <button type="button" data-testid="undo-entry" disabled={locked} onClick={press('undo')}>
            {t('popup_undo')}
          </button>
        </div>
      )}
      <div class="action-row">
        {(managed || (listLevel !== 'official' && listLevel !== 'vetted')) && (
          <button type="button" class="primary" data-testid="trust-site" disabled={locked} onClick={press('trust')}>
            {t('popup_trust')}
          </button>
        )}
        {(managed || listLevel !== 'blocked') && (
          <button type="button" class="danger" data-testid="block-site" disabled={locked} onClick={press('block')}>
            {t('popup_block')}
          </button>
        )}
        <PopupReportButton />
      </div>
    </section>
  );
}
