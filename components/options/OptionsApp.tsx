import { useCallback, useEffect, useState } from 'preact/hooks';
import { useTranslate } from '../common/i18n-context.ts';
import { OptionsEntriesSection } from './OptionsEntriesSection.tsx';
import { OptionsHistory } from './OptionsHistory.tsx';
import { OptionsListsSection } from './OptionsListsSection.tsx';
import { OptionsReports } from './OptionsReports.tsx';
import { OptionsSettings } from './OptionsSettings.tsx';
import { OptionsTransfer } from './OptionsTransfer.tsx';
import { useRequest } from '../common/send-context.ts';
import type { EntriesState } from './entries-state.ts';

/**
 * The options page: the person's allowlist and blocklist (beside the managed policy), the lists
 * RelayGuard reads, the settings, moving entries between browsers, and where reports go. Entries are loaded here
 * because two sections change them (adding/removing, importing).
 */
export function OptionsApp() {
  const t = useTranslate();
  const request = useRequest();
  const [entries, setEntries] = useState<EntriesState>({ status: 'loading' });

  const reloadEntries = useCallback(async () => {
    const answer = await request({ type: 'user-entries/list' });
    setEntries(answer.ok ? { status: 'ready', view: answer.data } : { status: 'error', error: answer.error });
  }, [request]);

  useEffect(() => void reloadEntries(), [reloadEntries]);
  // disableUserLists: no surface offers what the background would refuse (adding, removing, importing, subscribing).
  const locked = entries.status === 'ready' && entries.view.managed.disableUserLists;

  return (
    <div class="options">
      <header class="options-header">
        <h1>{t('options_title')}</h1>
        <p class="muted">{t('options_lead')}</p>
      </header>
      <OptionsEntriesSection entries={entries} reloadEntries={reloadEntries} locked={locked} />
      <OptionsListsSection locked={locked} />
      <OptionsSettings />
      <OptionsTransfer reloadEntries={reloadEntries} locked={locked} />
      <OptionsReports />
      <OptionsHistory />
    </div>
  );
}
