import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ListSummary } from '../../lib/protocol/messages.ts';
import { OptionsBlockRuleStatus } from './OptionsBlockRuleStatus.tsx';
import { OptionsBundledLists } from './OptionsBundledLists.tsx';
import { OptionsResult, type ActionResult } from './OptionsResult.tsx';
import { OptionsSubscribeForm } from './OptionsSubscribeForm.tsx';
import { OptionsSubscriptions } from './OptionsSubscriptions.tsx';
import { useTranslate } from '../common/i18n-context.ts';
import { useRequest } from '../common/send-context.ts';

type ListsState = { status: 'loading' } | { status: 'error'; error: string } | { status: 'ready'; lists: ListSummary[] };

/** (b) The lists RelayGuard reads: the bundled ones (read-only) and the person's subscriptions. */
export function OptionsListsSection({ locked = false }: { locked?: boolean }) {
  const t = useTranslate();
  const request = useRequest();
  const [lists, setLists] = useState<ListsState>({ status: 'loading' });
  const [result, setResult] = useState<ActionResult>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const reload = useCallback(async () => {
    const answer = await request({ type: 'lists/summary' });
    setLists(answer.ok ? { status: 'ready', lists: answer.data } : { status: 'error', error: answer.error });
  }, [request]);
  useEffect(() => void reload(), [reload]);

  const unsubscribe = async (list: ListSummary) => {
    const answer = await request({ type: 'lists/unsubscribe', id: list.id });
    await reload();
    setResult(answer.ok ? { kind: 'done', text: t('options_unsubscribed', { name: list.name }) } : { kind: 'error', text: t('options_actionFailed', { error: answer.error }) });
    heading.current?.focus();
  };

  return (
    <section class="options-section" aria-labelledby="options-lists-title">
      <h2 id="options-lists-title" tabIndex={-1} ref={heading}>
        {t('options_listsHeading')}
      </h2>
      <p class="muted">{t('options_listsLead')}</p>
      {lists.status === 'loading' && (
        <p class="muted" aria-busy="true">
          {t('options_loading')}
        </p>
      )}
      {lists.status === 'error' && <p role="alert">{t('options_loadFailed', { error: lists.error })}</p>}
      {lists.status === 'ready' && (
        <>
          <OptionsBundledLists lists={lists.lists.filter((list) => list.source === 'bundled')} />
          {/* The organisation's subscriptions (source managed, with a URL) show beside the person's, without a remove button. */}
          <OptionsSubscriptions
            lists={lists.lists.filter((list) => list.source === 'subscribed' || (list.source === 'managed' && list.url !== undefined))}
            onChanged={reload}
            {...(!locked && { onRemove: (list: ListSummary) => void unsubscribe(list) })}
          />
          <OptionsBlockRuleStatus lists={lists.lists} />
        </>
      )}
      {!locked && <OptionsSubscribeForm onSubscribed={reload} />}
      <OptionsResult result={result} />
    </section>
  );
}
