import { useRef, useState } from 'preact/hooks';
import { OptionsResult, type ActionResult } from './OptionsResult.tsx';
import { patternDisplay } from '../common/pattern-display.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { useRequest } from '../common/send-context.ts';

type Level = 'vetted' | 'blocked';

/**
 * Adds one entry. The background validates the pattern (lib/core/host-pattern.ts) and its message,
 * which quotes the pattern and says what is wrong, is shown as it is.
 */
export function OptionsEntryForm({ reloadEntries }: { reloadEntries: () => Promise<void> }) {
  const t = useTranslate();
  const request = useRequest();
  const [pattern, setPattern] = useState('');
  const [level, setLevel] = useState<Level>('blocked');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ActionResult>(null);
  const patternInput = useRef<HTMLInputElement>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const answer = await request({ type: 'user-entries/put', pattern, level, ...(note.trim() && { note: note.trim() }) });
    if (answer.ok) {
      await reloadEntries();
      const added = patternDisplay(answer.data.pattern);
      setResult({ kind: 'done', text: t(answer.data.level === 'vetted' ? 'options_entryAddedVetted' : 'options_entryAddedBlocked', { pattern: added }) });
      setPattern('');
      setNote('');
    } else {
      setResult({ kind: 'error', text: t('options_entryAddFailed', { error: answer.error }) });
    }
    setBusy(false);
    patternInput.current?.focus();
  };

  const invalid = result?.kind === 'error';
  return (
    <form class="entry-form" onSubmit={(event) => void submit(event)} noValidate>
      <fieldset>
        <legend>{t('options_addLegend')}</legend>
        <div class="field">
          <label for="options-entry-pattern">{t('options_patternLabel')}</label>
          <input
            id="options-entry-pattern"
            ref={patternInput}
            type="text"
            value={pattern}
            maxLength={300}
            autocomplete="off"
            spellcheck={false}
            aria-invalid={invalid}
            aria-describedby={`options-entry-pattern-help${invalid ? ' options-entry-error' : ''}`}
            onInput={(event) => setPattern(event.currentTarget.value)}
          />
          <p id="options-entry-pattern-help" class="help">
            {t('options_patternHelp')}
          </p>
        </div>
        <fieldset class="radio-group">
          <legend>{t('options_levelLegend')}</legend>
          {(['blocked', 'vetted'] as const).map((value) => (
            <label key={value} class="radio">
              <input type="radio" name="options-entry-level" value={value} checked={level === value} onChange={() => setLevel(value)} />
              {t(value === 'vetted' ? 'options_levelVetted' : 'options_levelBlocked')}
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for="options-entry-note">{t('options_noteLabel')}</label>
          <input id="options-entry-note" type="text" value={note} maxLength={500} onInput={(event) => setNote(event.currentTarget.value)} />
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {t('options_addButton')}
        </button>
        <OptionsResult result={result} errorId="options-entry-error" />
      </fieldset>
    </form>
  );
}
