import type { ListSummary } from '../../lib/protocol/messages.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { OptionsSubscriptionCard } from './OptionsSubscriptionCard.tsx';

/** Lists the person (or their organisation: marked managed, not removable) subscribed to, with where they come from and how updating them goes. */
export function OptionsSubscriptions({ lists, onChanged, onRemove }: { lists: readonly ListSummary[]; onChanged: () => Promise<void>; onRemove?: (list: ListSummary) => void }) {
  const t = useTranslate();
  return (
    <div class="subscriptions">
      <h3>{t('options_subscriptionsHeading')}</h3>
      {lists.length === 0 ? (
        <p class="muted">{t('options_noSubscriptions')}</p>
      ) : (
        <ul class="cards">
          {lists.map((list) => (
            <OptionsSubscriptionCard key={list.id} list={list} onChanged={onChanged} {...(list.source !== 'managed' && onRemove && { onRemove })} />
          ))}
        </ul>
      )}
    </div>
  );
}
