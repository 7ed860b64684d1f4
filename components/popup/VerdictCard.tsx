import type { TabVerdictView } from '../../lib/protocol/messages.ts';
import { riskSource } from '../../lib/verdicts/risk-source.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { ManagedBy } from '../common/ManagedBy.tsx';
import { ReasonItem } from '../common/ReasonItem.tsx';

/**
 * The one sentence that answers "may I paste my key here?", safe action first. When only the AI
 * endpoint the page calls is the problem (a chat app on a relay), it names that endpoint, as the
 * in-page warning does, not the page.
 */
function pasteAnswer(verdict: TabVerdictView, t: ReturnType<typeof useTranslate>): string {
  const source = riskSource(verdict);
  if (source.kind === 'endpoint' && (verdict.level === 'unvetted' || verdict.level === 'blocked')) {
    return t(verdict.level === 'blocked' ? 'answer_endpoint_blocked' : 'answer_endpoint_unvetted', { endpoint: source.host });
  }
  return t(`answer_${verdict.level}`);
}

/** The verdict for one tab: level in words, the host, the answer to "may I paste my key here?", and every reason. */
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
      <p class="summary" data-testid="paste-answer">
        {pasteAnswer(verdict, t)}
      </p>
      {verdict.managedBy && <ManagedBy managedBy={verdict.managedBy} />}
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
