import type { UserEntry } from '../../lib/lists/user-entry.ts';
import { OptionsLevelBadge } from './OptionsLevelBadge.tsx';
import { OptionsPatternText } from './OptionsPatternText.tsx';
import { patternDisplay } from '../common/pattern-display.ts';
import { useTranslate } from '../common/i18n-context.ts';

export interface OptionsEntryTableProps {
  /** The entries that pass the filter. */
  readonly entries: readonly UserEntry[];
  readonly filter: string;
  /** How many entries there are before filtering. */
  readonly total: number;
  /** Absent while the policy locks the person's lists: no entry can be removed. */
  readonly onRemove?: (pattern: string) => void;
}

/** The person's own entries, each removable unless the policy locks them. */
export function OptionsEntryTable({ entries, filter, total, onRemove }: OptionsEntryTableProps) {
  const t = useTranslate();
  if (total === 0) return <p class="muted" data-testid="no-entries">{t('options_noEntries')}</p>;
  if (entries.length === 0) return <p class="muted">{t('options_noMatches', { filter: filter.trim() })}</p>;
  const dates = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
  return (
    <div class="table-scroll">
      <table class="entries" data-testid="user-entries">
        <caption>{t('options_yourEntriesCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('options_columnPattern')}</th>
            <th scope="col">{t('options_columnLevel')}</th>
            <th scope="col">{t('options_columnCovers')}</th>
            <th scope="col">{t('options_columnAdded')}</th>
            <th scope="col">{t('options_columnNote')}</th>
            {onRemove && <th scope="col">{t('options_columnActions')}</th>}
          </tr>
        </thead>
        <tbody>
          {[...entries].sort(byHost).map((entry) => (
            <tr key={entry.pattern} data-testid="user-entry" data-pattern={entry.pattern} data-level={entry.level}>
              <th scope="row">
                <OptionsPatternText pattern={entry.pattern} />
              </th>
              <td class="nowrap">
                <OptionsLevelBadge level={entry.level} />
              </td>
              <td>{t(entry.pattern.startsWith('.') ? 'options_coversExact' : 'options_coversSubdomains')}</td>
              <td class="nowrap">
                <time dateTime={entry.added}>{dates.format(new Date(entry.added))}</time>
              </td>
              <td class="note">{entry.note ?? ''}</td>
              {onRemove && (
                <td>
                  <button type="button" class="small" aria-label={t('options_removeEntryLabel', { pattern: patternDisplay(entry.pattern) })} onClick={() => onRemove(entry.pattern)}>
                    {t('options_remove')}
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `example.com` and `.example.com` side by side, hosts in alphabetical order. */
function byHost(a: UserEntry, b: UserEntry): number {
  return a.pattern.replace(/^\./, '').localeCompare(b.pattern.replace(/^\./, '')) || a.pattern.localeCompare(b.pattern);
}
