import type { TabVerdictView } from '../../lib/protocol/messages.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { ReasonItem } from '../common/ReasonItem.tsx';

/** The verdict for one tab: level in words, the host, one sentence, and every reason. */
export function VerdictCard({ verdict }: { verdict: TabVerdictView }) {
  const t = useTranslate();
  return (
    <section class={`verdict-card level-${verdict.level}`} aria-labelledby="verdict-title">
      <div data-testid="verdict" data-level={verdict.level} class="verdict" role="status">
        <span class="level-dot" aria-hidden="true" />
        <h1 id="verdict-title">{t(`level_${verdict.level}`)}</h1>
      </div>
      <p class="host" title={verdict.url}>
        {verdict.hostDisplay}
      </p>
      <p class="summary">{t(`summary_${verdict.level}`)}</p>
      {verdict.reasons.length > 0 && (
        <>
          <h2>{t('reasonsHeading')}</h2>
          <ul class="reasons">
            {verdict.reasons.map((reason, index) => (
              <ReasonItem key={index} reason={reason} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
