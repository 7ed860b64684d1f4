import { useEffect, useRef, useState } from 'preact/hooks';
import type { VendorId } from '../../lib/detection/keys.ts';
import type { GuardedKind } from '../../lib/page/paste/paste-decision.ts';
import { whenArmed } from '../../lib/page/arming.ts';
import { VENDOR_NAMES } from '../../lib/page/vendors.ts';
import { useTranslate } from '../common/i18n-context.ts';

/** Long enough to read two sentences in either language; hovering or focusing pauses it. */
export const NOTICE_VISIBLE_MS = 12_000;

export interface PasteNoticeProps {
  readonly vendor: VendorId;
  readonly kind: GuardedKind;
  readonly host: string;
  /** Whether its close button acts yet (lib/page/arming.ts). */
  readonly armed: boolean;
  readonly onClose: () => void;
  readonly visibleMs?: number;
}

/**
 * A key went into a page that calls AI APIs itself but shows no relay: the paste went through,
 * and this small note says what that means. It never takes focus and hides by itself; the
 * timer waits while the pointer or focus is on it.
 */
export function PasteNotice({ vendor, kind, host, armed, onClose, visibleMs = NOTICE_VISIBLE_MS }: PasteNoticeProps) {
  const t = useTranslate();
  const [paused, setPaused] = useState(false);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    if (paused) return;
    const timer = setTimeout(() => close.current(), visibleMs);
    return () => clearTimeout(timer);
  }, [paused, visibleMs]);

  const text = kind === 'subscription-credential' ? t('notice_subscription', { host }) : t('notice_key', { vendor: VENDOR_NAMES[vendor], host });
  return (
    <div
      class="rg-card rg-notice"
      data-armed={String(armed)}
      role="status"
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocusIn={() => setPaused(true)}
      onFocusOut={() => setPaused(false)}
    >
      <p class="rg-notice-text">{text}</p>
      <button type="button" class="rg-close" data-testid="notice-close" aria-label={t('notice_close')} title={t('notice_close')} aria-disabled={!armed} onClick={whenArmed(armed, onClose)}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}
