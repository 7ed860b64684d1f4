import { useEffect, useRef, useState } from 'preact/hooks';
import type { TabVerdictView } from '../../lib/protocol/messages.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { patternDisplay } from '../common/pattern-display.ts';

export type PopupAction = 'trust' | 'block' | 'undo';

export interface PopupActionsProps {
  readonly verdict: TabVerdictView;
  /** False when the page has no host a pattern could name. */
  readonly canAct: boolean;
  readonly busy: boolean;
  readonly onAction: (action: PopupAction) => void;
}

/**
 * Trust, block and undo for the page's host (reporting is PopupReport, below it). A managed host shows why nothing here
 * applies, with the buttons disabled rather than hidden, so the person sees what they cannot do.
 * The safe actions are the prominent ones; "Trust this site" is a plain button that opens a
 * second step saying what trust means, where "Keep warning me" is the default. A host that
 * imitates a vendor's is offered no trust at all. This popup (and the options page) is the only
 * place trust is offered: no page can open, frame or script it.
 */
export function PopupActions({ verdict, canAct, busy, onAction }: PopupActionsProps) {
  const t = useTranslate();
  const { userEntry, managed } = verdict.control;
  // The policy takes the host out of the person's hands: no control is offered at all, only why.
  const policyLocked = verdict.control.locked === true;
  const locked = managed || busy || !canAct;
  const section = useRef<HTMLElement>(null);
  const acted = useRef(false);
  const [confirmingTrust, setConfirmingTrust] = useState(false);
  const keepWarning = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirmingTrust) keepWarning.current?.focus();
  }, [confirmingTrust]);

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
  const imitatesVendor = verdict.reasons.some((reason) => reason.kind === 'lookalike');
  const offersTrust = !imitatesVendor && (managed || (listLevel !== 'official' && listLevel !== 'vetted'));

  const press = (action: PopupAction) => () => {
    acted.current = true;
    onAction(action);
  };

  if (policyLocked) {
    return (
      <section class="popup-actions" aria-labelledby="popup-actions-title" ref={section}>
        <h2 id="popup-actions-title">{t('popup_actionsHeading')}</h2>
        <p class="managed-note" data-testid="lists-locked">
          <span class="managed-tag">{t('managed')}</span> <span>{t(verdict.level === 'blocked' && !verdict.control.userEntry ? 'popup_proceedLocked' : 'popup_listsLocked')}</span>
        </p>
      </section>
    );
  }

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
      {imitatesVendor && (
        <p class="note-box" data-testid="lookalike-no-trust">
          {t('popup_lookalikeNoTrust')}
        </p>
      )}
      {confirmingTrust && offersTrust && !locked && (
        <div class="confirm-box" role="group" aria-labelledby="trust-confirm-title" data-testid="trust-confirm">
          <p id="trust-confirm-title" class="confirm-title">
            {t('popup_trustConfirmTitle', { host: verdict.hostDisplay })}
          </p>
          <p>{t('popup_trustConfirmBody')}</p>
          <div class="action-row">
            <button type="button" class="primary" data-testid="trust-cancel" ref={keepWarning} onClick={() => setConfirmingTrust(false)}>
              {t('popup_trustCancel')}
            </button>
            <button
              type="button"
              data-testid="trust-confirm-yes"
              onClick={() => {
                setConfirmingTrust(false);
                press('trust')();
              }}
            >
              {t('popup_trustConfirm')}
            </button>
          </div>
        </div>
      )}
      <div class="action-row">
        {offersTrust && !confirmingTrust && (
          <button type="button" data-testid="trust-site" disabled={locked} onClick={() => setConfirmingTrust(true)}>
            {t('popup_trust')}
          </button>
        )}
        {(managed || listLevel !== 'blocked') && (
          <button type="button" class="danger" data-testid="block-site" disabled={locked} onClick={press('block')}>
            {t('popup_block')}
          </button>
        )}
      </div>
    </section>
  );
}
