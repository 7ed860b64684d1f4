import { useCallback, useEffect, useState } from 'preact/hooks';
import { keyEnding, VENDOR_KEY_PAGES } from '../../lib/history/key-display.ts';
import type { ResponseFor } from '../../lib/protocol/messages.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { useRequest } from '../common/send-context.ts';
import { OptionsResult, type ActionResult } from './OptionsResult.tsx';
import { saveFile } from '../common/save-file.ts';

type HistoryView = ResponseFor<'history/get'>;
type HistoryEntry = HistoryView['entries'][number];

/**
 * "Where your keys went": the key history as a timeline, newest first, each vendor key with a
 * link to rotate it; how long entries are kept, export and clear-all. Everything here comes
 * from the background's history (lib/background/history-recorder.ts), kept on this computer.
 */
export function OptionsHistory() {
  const t = useTranslate();
  const request = useRequest();
  const [view, setView] = useState<HistoryView | null>(null);
  const [days, setDays] = useState('');
  const [result, setResult] = useState<ActionResult>(null);

  const load = useCallback(async () => {
    const answer = await request({ type: 'history/get' });
    if (!answer.ok) return setResult({ kind: 'error', text: t('options_actionFailed', { error: answer.error }) });
    setView(answer.data);
    setDays(String(answer.data.retentionDays));
  }, [request, t]);

  useEffect(() => void load(), [load]);

  const saveRetention = async (event: Event) => {
    event.preventDefault();
    const answer = await request({ type: 'history/set-retention', days: Number(days) });
    if (!answer.ok) return setResult({ kind: 'error', text: t('options_actionFailed', { error: answer.error }) });
    await load();
    setResult({ kind: 'done', text: t('options_historyRetentionSaved', { days: String(answer.data.retentionDays) }) });
  };

  const exportHistory = async () => {
    const answer = await request({ type: 'history/export' });
    if (!answer.ok) return setResult({ kind: 'error', text: t('options_actionFailed', { error: answer.error }) });
    saveFile(`relayguard-history-${answer.data.exportedAt.slice(0, 10)}.json`, `${JSON.stringify(answer.data, null, 2)}\n`);
    setResult({ kind: 'done', text: t('options_historyExported', { count: String(answer.data.entries.length) }) });
  };

  const clearHistory = async () => {
    const answer = await request({ type: 'history/clear' });
    if (!answer.ok) return setResult({ kind: 'error', text: t('options_actionFailed', { error: answer.error }) });
    await load();
    setResult({ kind: 'done', text: t('options_historyCleared') });
  };

  return (
    <section class="options-section" aria-labelledby="options-history-title" data-testid="history">
      <h2 id="options-history-title">{t('options_historyHeading')}</h2>
      <p class="help">{t('options_historyHelp')}</p>
      {view && view.entries.length === 0 && <p class="muted" data-testid="history-empty">{t('options_historyEmpty')}</p>}
      {view && view.entries.length > 0 && (
        <ol class="history-timeline">
          {view.entries.map((entry) => (
            <HistoryItem key={`${entry.kind}|${entry.firstAt}|${describe(entry)}`} entry={entry} />
          ))}
        </ol>
      )}
      <form class="inline history-retention" onSubmit={(event) => void saveRetention(event)}>
        <label for="options-history-days">{t('options_historyRetentionLabel')}</label>
        <input id="options-history-days" data-testid="history-retention" type="number" min={1} max={3650} step={1} required value={days} onInput={(event) => setDays(event.currentTarget.value)} />
        <button type="submit">{t('options_historyRetentionSave')}</button>
      </form>
      <div class="inline history-actions">
        <button type="button" data-testid="history-export" onClick={() => void exportHistory()}>
          {t('options_historyExport')}
        </button>
        <button type="button" data-testid="history-clear" onClick={() => void clearHistory()}>
          {t('options_historyClear')}
        </button>
      </div>
      <OptionsResult result={result} />
    </section>
  );
}

function describe(entry: HistoryEntry): string {
  return entry.kind === 'relay-visit' ? entry.pageHost : `${entry.pageHost}|${entry.endpointHost}`;
}

function HistoryItem({ entry }: { entry: HistoryEntry }) {
  const t = useTranslate();
  const times = t('options_historyTimes', { count: String(entry.count), time: new Date(entry.lastAt).toLocaleString() });
  switch (entry.kind) {
    case 'key-sent': {
      const vendor = VENDOR_KEY_PAGES[entry.vendor];
      return (
        <li class="history-entry level-blocked" data-testid="history-entry" data-kind="key-sent" data-vendor={entry.vendor}>
          <p>{t('options_historyKeySent', { vendor: vendor.name, ending: keyEnding(entry.last4), page: entry.pageHost, host: entry.endpointHost })}</p>
          <p class="help">
            {times} ·{' '}
            <a href={vendor.keyPage} target="_blank" rel="noreferrer" data-testid="rotate-key">
              {t('history_rotateKey')}
            </a>
          </p>
        </li>
      );
    }
    case 'ai-call':
      return (
        <li class={`history-entry level-${entry.level}`} data-testid="history-entry" data-kind="ai-call">
          <p>{t('options_historyAiCall', { page: entry.pageHost, host: entry.endpointHost, level: t(`level_${entry.level}`) })}</p>
          <p class="help">{times}</p>
        </li>
      );
    case 'relay-visit':
      return (
        <li class={`history-entry level-${entry.level}`} data-testid="history-entry" data-kind="relay-visit">
          <p>{t('options_historyRelayVisit', { page: entry.pageHost, level: t(`level_${entry.level}`) })}</p>
          <p class="help">{times}</p>
        </li>
      );
  }
}
