import { saveFile } from '../common/save-file.ts';
import { useRef, useState } from 'preact/hooks';
import { exportUserEntries } from '../../lib/lists/user-entries-file.ts';
import { OptionsResult, type ActionResult } from './OptionsResult.tsx';
import { useTranslate } from '../common/i18n-context.ts';
import { useRequest } from '../common/send-context.ts';

/**
 * (d) Export the person's entries to a file and import such a file (another browser, a backup).
 * An import is all or nothing: the background checks the whole file first, and its message
 * names what is wrong and where.
 */
export function OptionsTransfer({ reloadEntries, locked = false }: { reloadEntries: () => Promise<void>; locked?: boolean }) {
  const t = useTranslate();
  const request = useRequest();
  const [result, setResult] = useState<ActionResult>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const exportEntries = async () => {
    // Ask now rather than reuse what the page shows: another window may have changed them.
    const answer = await request({ type: 'user-entries/list' });
    if (!answer.ok) return setResult({ kind: 'error', text: t('options_actionFailed', { error: answer.error }) });
    const now = new Date();
    saveFile(`relayguard-entries-${now.toISOString().slice(0, 10)}.json`, exportUserEntries(answer.data.entries, now));
    setResult({ kind: 'done', text: t('options_exported', { count: String(answer.data.entries.length) }) });
  };

  const importFile = async (file: File) => {
    setBusy(true);
    setResult(null);
    let text: string;
    try {
      text = await file.text();
    } catch (cause) {
      setResult({ kind: 'error', text: t('options_importFailed', { error: cause instanceof Error ? cause.message : String(cause) }) });
      setBusy(false);
      return;
    }
    const answer = await request({ type: 'user-entries/import', text });
    if (answer.ok) {
      await reloadEntries();
      setResult({ kind: 'done', text: t('options_imported', { count: String(answer.data.imported), file: file.name }) });
    } else {
      setResult({ kind: 'error', text: t('options_importFailed', { error: answer.error }) });
    }
    setBusy(false);
    // The same file may be chosen again after fixing it.
    if (fileInput.current) fileInput.current.value = '';
  };

  return (
    <section class="options-section" aria-labelledby="options-transfer-title">
      <h2 id="options-transfer-title">{t('options_transferHeading')}</h2>
      <fieldset>
        <legend>{t('options_exportLegend')}</legend>
        <p class="help">{t('options_exportHelp')}</p>
        <button type="button" data-testid="export-entries" onClick={() => void exportEntries()}>
          {t('options_exportButton')}
        </button>
      </fieldset>
      {!locked && (
      <fieldset aria-busy={busy}>
        <legend>{t('options_importLegend')}</legend>
        <div class="field">
          <label for="options-import-file">{t('options_importLabel')}</label>
          <input
            id="options-import-file"
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            aria-describedby="options-import-help"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              if (file) void importFile(file);
            }}
          />
          <p id="options-import-help" class="help">
            {t('options_importHelp')}
          </p>
        </div>
      </fieldset>
      )}
      <OptionsResult result={result} />
    </section>
  );
}
