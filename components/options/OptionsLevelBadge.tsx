import type { VerdictLevel } from '../../lib/verdicts/verdict.ts';
import { useTranslate } from '../common/i18n-context.ts';

/** A level in words, coloured like the popup's verdict (the colour is never the only signal). */
export function OptionsLevelBadge({ level }: { level: VerdictLevel }) {
  const t = useTranslate();
  return <span class={`level-badge level-${level}`}>{t(`level_${level}`)}</span>;
}
