import type { MessageKey } from '../../lib/core/i18n.ts';
import { SIGNAL_IDS } from '../../lib/detection/scoring.ts';
import type { Reason } from '../../lib/verdicts/verdict.ts';
import { MANAGED_POLICY_LIST_NAME } from '../../lib/lists/precedence.ts';
import { useTranslate } from './i18n-context.ts';

/** One reason in words, always naming its source (a list, a signal, an endpoint host). */
export function ReasonItem({ reason }: { reason: Reason }) {
  const t = useTranslate();
  return (
    <li class="reason" data-testid="reason" data-kind={reason.kind} data-level={reason.level}>
      <span>{describe(reason, t)}</span>
      {reason.listSource === 'managed' && <span class="managed-tag">{t('managed')}</span>}
      {reason.evidence && reason.evidence.length > 0 && (
        <span class="evidence">
          {reason.evidence.map((url, index) => (
            <a key={url} href={url} target="_blank" rel="noopener noreferrer">
              {t('evidenceLink', { index: String(index + 1) })}
            </a>
          ))}
        </span>
      )}
    </li>
  );
}

/**
 * The person's own entries and their organisation's policy are named in their language; lists
 * (a list the organisation subscribes to among them, with its managed tag) by their own name.
 */
function listSourceName(reason: Reason, t: ReturnType<typeof useTranslate>): string {
  if (reason.listSource === 'user') return t('source_user');
  if (reason.listSource === 'managed' && reason.source === MANAGED_POLICY_LIST_NAME) return t('source_managed');
  return reason.source;
}

/** A detection signal's name in the person's language; an id this version does not know stays as it is. */
function signalName(id: string, t: ReturnType<typeof useTranslate>): string {
  return (SIGNAL_IDS as readonly string[]).includes(id) ? t(`signal_${id.replaceAll('-', '_')}` as MessageKey) : id;
}

function describe(reason: Reason, t: ReturnType<typeof useTranslate>): string {
  switch (reason.kind) {
    case 'list':
      return t('reason_list', { source: listSourceName(reason, t), level: t(`level_${reason.level}`), detail: reason.detail });
    case 'endpoint':
      return t('reason_endpoint', { host: reason.source, detail: reason.detail });
    case 'local':
      return t('reason_local', { host: reason.source, scope: reason.detail === 'loopback' ? t('scope_loopback') : t('scope_private') });
    case 'lookalike':
      return t('reason_lookalike', { source: reason.source, detail: reason.detail });
    case 'signal':
      return t('reason_signal', { source: signalName(reason.source, t), detail: reason.detail });
    case 'tamper':
      // detail is `<surface>:<how>` (lib/background/hidden-warnings.ts); anything else reads as covering.
      return t(reason.detail.endsWith(':removed') ? 'reason_tamper_removed' : 'reason_tamper_covered', { host: reason.source });
  }
}
