import type { browser as browserApi } from 'wxt/browser';
import type { Translate } from '../core/i18n.ts';
import type { Verdict, VerdictLevel } from '../verdicts/verdict.ts';

type BrowserApi = typeof browserApi;
type Action = BrowserApi['action'];

/**
 * Distinct colour and text for the two warning levels, a positive mark for the vendor's own
 * site (so people learn to trust the negative marks), nothing for `unknown`. Colours keep white
 * text readable (contrast ≥ 4.5:1).
 */
export const BADGE_STYLE: Record<VerdictLevel, { text: string; color: string }> = {
  blocked: { text: '✕', color: '#b3261e' },
  unvetted: { text: '!', color: '#8a5a00' },
  official: { text: '✓', color: '#116329' },
  vetted: { text: '✓', color: '#0550ae' },
  unknown: { text: '', color: '#57606a' },
};

export class ToolbarBadge {
  readonly #action: Action;
  readonly #translate: Translate;

  constructor(action: Action, translate: Translate) {
    this.#action = action;
    this.#translate = translate;
  }

  async show(tabId: number, verdict: Verdict, hostDisplay: string): Promise<void> {
    const { text, color } = BADGE_STYLE[verdict.level];
    const level = this.#translate(`level_${verdict.level}`);
    try {
      await Promise.all([
        this.#action.setBadgeText({ tabId, text }),
        this.#action.setBadgeBackgroundColor({ tabId, color }),
        this.#action.setTitle({ tabId, title: this.#translate('badgeTitle', { level, host: hostDisplay }) }),
      ]);
      // Firefox and recent Chromium default to dark text on some colours; white reads on all of ours.
      await this.#action.setBadgeTextColor?.({ tabId, color: '#ffffff' });
    } catch {
      // The tab closed between the verdict and the badge; nothing to show it on.
    }
  }
}
