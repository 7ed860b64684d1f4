import { useLayoutEffect, useRef } from 'preact/hooks';
import type { TargetedKeyboardEvent } from 'preact';
import type { VendorId } from '../../lib/detection/keys.ts';
import type { GuardedKind } from '../../lib/page/paste/paste-decision.ts';
import { whenArmed } from '../../lib/page/arming.ts';
import { isTrustedEvent } from '../../lib/page/paste/trusted-event.ts';
import { VENDOR_NAMES } from '../../lib/page/vendors.ts';
import type { VerdictLevel } from '../../lib/verdicts/verdict.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { ArmingBar } from './ArmingBar.tsx';

export interface PasteGuardDialogProps {
  readonly vendor: VendorId;
  readonly kind: GuardedKind;
  /** The host the key would go to, for display. */
  readonly host: string;
  readonly level: VerdictLevel;
  /** Whether the buttons act yet: only once the question was seen, unobscured (lib/page/arming.ts). */
  readonly armed: boolean;
  readonly onPaste: () => void;
  readonly onCancel: () => void;
}

/**
 * Asks before a held key reaches the page. Modal: focus starts on "Don't paste" (the safe
 * choice is the one a hurried Enter takes), Tab stays inside, Escape cancels. It never shows
 * the key itself, only whose key it is and where it would go. Buttons and keys act on real
 * input only: a page script cannot answer for the person. The buttons also wait until the
 * question has been seen unobscured for a moment, so a click the page lured (the person clicking
 * on, right after pasting) cannot land on them; Escape, which only ever cancels, does not wait.
 */
export function PasteGuardDialog({ vendor, kind, host, level, armed, onPaste, onCancel }: PasteGuardDialogProps) {
  const t = useTranslate();
  const dialog = useRef<HTMLDivElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  // Layout effect: focus moves in the moment the dialog exists, before a fast Tab or Enter lands.
  useLayoutEffect(() => cancel.current?.focus(), []);

  const subscription = kind === 'subscription-credential';
  const lead = subscription
    ? t('paste_lead_subscription', { host })
    : t('paste_lead_key', { vendor: VENDOR_NAMES[vendor], host, level: t(`level_${level}`) });

  const onKeyDown = (event: TargetedKeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      if (isTrustedEvent(event)) onCancel();
      return;
    }
    if (event.key === 'Tab') trapTab(event, dialog.current);
  };

  // Focus that leaves for the page (a page script calling focus()) comes back.
  const onFocusOut = (event: FocusEvent) => {
    const next = event.relatedTarget as Node | null;
    if (next && dialog.current && !dialog.current.contains(next)) cancel.current?.focus();
  };

  return (
    // The backdrop keeps the page's pointer events away while the question is open.
    <div class="rg-backdrop" onMouseDown={(event) => event.target === event.currentTarget && event.preventDefault()}>
      <div
        ref={dialog}
        class={`rg-card rg-dialog ${level === 'blocked' ? 'rg-blocked' : 'rg-unvetted'}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby="rg-paste-title"
        aria-describedby="rg-paste-lead rg-paste-risk"
        data-kind={kind}
        onKeyDown={onKeyDown}
        onFocusOut={onFocusOut}
      >
        <h2 id="rg-paste-title" class="rg-title">
          {t('paste_title')}
        </h2>
        <p id="rg-paste-lead">{lead}</p>
        <p id="rg-paste-risk">{t(subscription ? 'paste_risk_subscription' : 'paste_risk_key')}</p>
        <p class="rg-advice">{t('paste_advice')}</p>
        <ArmingBar armed={armed} />
        <div class="rg-actions" data-armed={String(armed)}>
          <button type="button" class="rg-button rg-primary" data-testid="cancel-paste" ref={cancel} aria-disabled={!armed} onClick={whenArmed(armed, onCancel)}>
            {t('paste_cancel')}
          </button>
          <button type="button" class="rg-button" data-testid="paste-anyway" aria-disabled={!armed} onClick={whenArmed(armed, onPaste)}>
            {t('paste_anyway')}
          </button>
        </div>
      </div>
    </div>
  );
}

/** Keeps Tab and Shift+Tab cycling through the dialog's own controls. */
function trapTab(event: KeyboardEvent, dialog: HTMLElement | null): void {
  if (!dialog) return;
  const focusable = Array.from(dialog.querySelectorAll<HTMLElement>('button:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])'));
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  const root = dialog.getRootNode() as Document | ShadowRoot;
  const active = root.activeElement;
  const inside = active instanceof Node && dialog.contains(active);
  if (event.shiftKey && (active === first || !inside)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !inside)) {
    event.preventDefault();
    first.focus();
  }
}
