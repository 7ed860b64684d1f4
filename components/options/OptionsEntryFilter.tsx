import { useTranslate } from '../common/i18n-context.ts';
import { patternUnicode } from '../common/pattern-display.ts';

/** Whether an entry matches the search text: its pattern (ASCII or Unicode) or note, ignoring case. */
export function matchesFilter(filter: string, pattern: string, note?: string): boolean {
  const query = filter.trim().toLowerCase();
  if (query === '') return true;
  return [pattern, patternUnicode(pattern) ?? '', note ?? ''].some((text) => text.toLowerCase().includes(query));
}

/** The search box above the entries; filters as the person types. */
export function OptionsEntryFilter({ value, onInput }: { value: string; onInput: (value: string) => void }) {
  const t = useTranslate();
  return (
    <div class="field filter">
      <label for="options-entry-filter">{t('options_filterLabel')}</label>
      <input
        id="options-entry-filter"
        type="search"
        value={value}
        autocomplete="off"
        spellcheck={false}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
    </div>
  );
}
