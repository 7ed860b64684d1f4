import { useRef, useState } from 'preact/hooks';
import type { EntriesState } from './entries-state.ts';
import { OptionsEntryFilter, matchesFilter } from './OptionsEntryFilter.tsx';
import { OptionsEntryForm } from './OptionsEntryForm.tsx';
import { OptionsEntryTable } from './OptionsEntryTable.tsx';
import { OptionsManagedEntries } from './OptionsManagedEntries.tsx';
import { OptionsResult, type ActionResult } from './OptionsResult.tsx';
import { patternDisplay } from '../common/pattern-display.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { useRequest } from '../common/send-context.ts';

export interface OptionsEntriesSectionProps {
  readonly entries: EntriesState;
  readonly reloadEntries: () => Promise<void>;
  /** The policy locks the person's lists: nothing here changes them. */
  readonly locked?: boolean;
}

/** (a) The person's allowlist and blocklist, and the managed entries beside them (read-only). */
export function OptionsEntriesSection({ entries, reloadEntries, locked = false }: OptionsEntriesSectionProps) {
  const t = useTranslate();
  const request = useRequest();
  const [filter, setFilter] = useState('');
  const [result, setResult] = useState<ActionResult>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const remove = async (pattern: string) => {
    const answer = await request({ type: 'user-entries/remove', pattern });
    await reloadEntries();
    setResult(answer.ok ? { kind: 'done', text: t('options_entryRemoved', { pattern: patternDisplay(pattern) }) } : { kind: 'error', text: t('options_actionFailed', { error: answer.error }) });
    // The row and its button are gone: put focus somewhere stable instead of on <body>.
    heading.current?.focus();
  };

  return (
    <section class="options-section" aria-labelledby="options-entries-title">
      <h2 id="options-entries-title" tabIndex={-1} ref={heading}>
        {t('options_entriesHeading')}
      </h2>
      <p class="muted">{t('options_entriesLead')}</p>
      {locked ? (
        <p class="note-box" data-testid="lists-locked">
          {t('options_listsLocked')}
        </p>
      ) : (
        <OptionsEntryForm reloadEntries={reloadEntries} />
      )}
      {entries.status === 'loading' && (
        <p class="muted" aria-busy="true">
          {t('options_loading')}
        </p>
      )}
      {entries.status === 'error' && <p role="alert">{t('options_loadFailed', { error: entries.error })}</p>}
      {entries.status === 'ready' && (
        <>
          <OptionsEntryFilter value={filter} onInput={setFilter} />
          <OptionsEntryTable entries={entries.view.entries.filter((entry) => matchesFilter(filter, entry.pattern, entry.note))} filter={filter} total={entries.view.entries.length} {...(!locked && { onRemove: (pattern: string) => void remove(pattern) })} />
          <OptionsManagedEntries managed={entries.view.managed} filter={filter} />
        </>
      )}
      <OptionsResult result={result} />
    </section>
  );
}
