import { useState } from 'preact/hooks';
import type { ListSummary } from '../../lib/protocol/messages.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { useRequest } from '../common/send-context.ts';
import { listProblemText } from '../../lib/lists/list-problem-text.ts';
import { OptionsResult, type ActionResult } from './OptionsResult.tsx';

/**
 * One subscription (test contract: `[data-testid="subscription"]` with `data-url` and
 * `data-state`): the copy in force, how updating it went, when it updates next, and "update now".
 */
export function OptionsSubscriptionCard({ list, onChanged, onRemove }: { list: ListSummary; onChanged: () => Promise<void>; onRemove?: (list: ListSummary) => void }) {
  const t = useTranslate();
  const request = useRequest();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ActionResult>(null);
  const times = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  const when = (at: number | undefined) => (at === undefined ? t('options_never') : times.format(new Date(at)));
  const problem = listProblemText(t, list);
  const minutes = list.refreshMinutes;
  const interval =
    minutes === undefined ? null : minutes % 60 === 0 ? t('options_intervalHours', { hours: String(minutes / 60) }) : t('options_intervalMinutes', { minutes: String(minutes) });

  const updateNow = async () => {
    setBusy(true);
    setResult(null);
    const answer = await request({ type: 'lists/update', id: list.id });
    await onChanged();
    if (!answer.ok) setResult({ kind: 'error', text: t('options_actionFailed', { error: answer.error }) });
    else {
      const failure = listProblemText(t, answer.data);
      setResult(
        failure === null
          ? { kind: 'done', text: t('options_updated', { name: answer.data.name, version: answer.data.version }) }
          : { kind: 'error', text: t('options_updateFailed', { name: answer.data.name, error: failure }) },
      );
    }
    setBusy(false);
  };

  return (
    <li class="card" data-testid="subscription" data-list-id={list.id} data-url={list.url ?? ''} data-state={problem === null ? 'ok' : 'error'}>
      <div class="card-head">
        <strong>{list.name}</strong>
        <span class="actions">
          <button type="button" class="small" data-testid="update-now" disabled={busy} aria-busy={busy} aria-label={t('options_updateNowLabel', { name: list.name })} onClick={() => void updateNow()}>
            {busy ? t('options_updating') : t('options_updateNow')}
          </button>
          {list.source === 'managed' ? (
            <span class="managed-tag" data-testid="managed-subscription">
              {t('managed')}
            </span>
          ) : (
            onRemove && (
              <button type="button" class="small" aria-label={t('options_unsubscribeLabel', { name: list.name })} onClick={() => onRemove(list)}>
                {t('options_remove')}
              </button>
            )
          )}
        </span>
      </div>
      <dl class="facts">
        <dt>{t('options_subscriptionUrl')}</dt>
        <dd class="url">{list.url ?? ''}</dd>
        <dt>{t('options_columnVersion')}</dt>
        <dd data-testid="subscription-version">{list.version}</dd>
        <dt>{t('options_columnEntries')}</dt>
        <dd data-testid="subscription-entries">{list.entryCount.toLocaleString()}</dd>
        <dt>{t('options_signature')}</dt>
        <dd>{list.signedBy ? t('options_signedBy', { key: list.signedBy, count: String(list.pinnedKeys ?? 0) }) : t('options_notSigned')}</dd>
        <dt>{t('options_lastFetched')}</dt>
        <dd>{when(list.fetchedAt)}</dd>
        <dt>{t('options_lastTried')}</dt>
        <dd>{when(list.lastTriedAt)}</dd>
        {problem !== null && (
          <>
            <dt>{t('options_lastError')}</dt>
            <dd class="error-text" data-testid="subscription-error">
              {problem}
            </dd>
          </>
        )}
        <dt>{t('options_nextUpdate')}</dt>
        <dd>{interval === null ? when(list.nextUpdateAt) : t('options_nextUpdateAt', { when: when(list.nextUpdateAt), interval })}</dd>
      </dl>
      <OptionsResult result={result} />
    </li>
  );
}
