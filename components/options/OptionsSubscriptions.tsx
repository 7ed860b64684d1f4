import type { ListSummary } from '../../lib/protocol/messages.ts';
import { useTranslate } from '../common/i18n-context.ts';

/** Lists the person subscribed to, with where they come from and how the last fetch went. */
export function OptionsSubscriptions({ lists, onRemove }: { lists: readonly ListSummary[]; onRemove: (list: ListSummary) => void }) {
  const t = useTranslate();
  const times = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  const when = (at: number | undefined) => (at === undefined ? t('options_never') : times.format(new Date(at)));
  return (
    <div class="subscriptions">
      <h3>{t('options_subscriptionsHeading')}</h3>
      {lists.length === 0 ? (
        <p class="muted">{t('options_noSubscriptions')}</p>
      ) : (
        <ul class="cards">
          {lists.map((list) => (
            <li key={list.id} class="card" data-testid="subscription" data-list-id={list.id}>
              <div class="card-head">
                <strong>{list.name}</strong>
                <button type="button" class="small" aria-label={t('options_unsubscribeLabel', { name: list.name })} onClick={() => onRemove(list)}>
                  {t('options_remove')}
                </button>
              </div>
              <dl class="facts">
                <dt>{t('options_subscriptionUrl')}</dt>
                <dd class="url">{list.url ?? ''}</dd>
                <dt>{t('options_columnVersion')}</dt>
                <dd>{list.version}</dd>
                <dt>{t('options_columnEntries')}</dt>
                <dd>{list.entryCount.toLocaleString()}</dd>
                <dt>{t('options_lastFetched')}</dt>
                <dd>{when(list.fetchedAt)}</dd>
                {list.lastTriedAt !== undefined && list.lastTriedAt !== list.fetchedAt && (
                  <>
                    <dt>{t('options_lastTried')}</dt>
                    <dd>{when(list.lastTriedAt)}</dd>
                  </>
                )}
                {list.lastError && (
                  <>
                    <dt>{t('options_lastError')}</dt>
                    <dd class="error-text">{list.lastError}</dd>
                  </>
                )}
              </dl>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
