import type { EntriesView } from './entries-state.ts';
import { matchesFilter } from './OptionsEntryFilter.tsx';
import { OptionsLevelBadge } from './OptionsLevelBadge.tsx';
import { OptionsPatternText } from './OptionsPatternText.tsx';
import { useTranslate } from '../common/i18n-context.ts';
import { ManagedBy } from '../common/ManagedBy.tsx';

/**
 * What the organisation's policy says, read-only: who manages RelayGuard, the locks and settings it
 * sets, its entries (which outrank the person's own, so the page shows them beside them), and every
 * value it holds that RelayGuard ignored, with the key and why. Nothing is shown when no policy is set.
 */
export function OptionsManagedEntries({ managed, filter }: { managed: EntriesView['managed']; filter: string }) {
  const t = useTranslate();
  const rows = [
    ...managed.allowlist.map((pattern) => ({ pattern, level: 'vetted' as const })),
    ...managed.blocklist.map((pattern) => ({ pattern, level: 'blocked' as const })),
  ];
  if (managed.keys.length === 0 && managed.problems.length === 0) return null;
  const shown = rows.filter((row) => matchesFilter(filter, row.pattern));
  return (
    <div class="managed-entries" data-testid="managed-entries">
      <h3>{t('options_managedHeading')}</h3>
      {managed.organization && <ManagedBy managedBy={managed.organization} />}
      <p class="muted">{t('options_managedLead')}</p>
      {!managed.allowProceed && <p class="note-box">{t('options_managedNoProceed')}</p>}
      {managed.listMode === 'overwrite' && <p class="note-box" data-testid="managed-overwrite">{t('options_managedOverwrite')}</p>}
      {managed.pasteGuard !== null && <p class="muted">{t('options_managedPasteGuard')}</p>}
      {managed.reportEndpoint !== null && <p class="muted">{t('options_managedReportEndpoint', { endpoint: managed.reportEndpoint })}</p>}
      {managed.listSubscriptions.length > 0 && <p class="muted">{t('options_managedSubscriptions', { count: String(managed.listSubscriptions.length) })}</p>}
      {rows.length > 0 && shown.length === 0 && <p class="muted">{t('options_noMatches', { filter: filter.trim() })}</p>}
      {shown.length > 0 && (
        <div class="table-scroll">
          <table class="entries">
            <caption class="visually-hidden">{t('options_managedHeading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('options_columnPattern')}</th>
                <th scope="col">{t('options_columnLevel')}</th>
                <th scope="col">{t('options_columnCovers')}</th>
                <th scope="col">{t('options_columnSource')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => (
                <tr key={`${row.level}:${row.pattern}`} data-testid="managed-entry" data-pattern={row.pattern} data-level={row.level}>
                  <th scope="row">
                    <OptionsPatternText pattern={row.pattern} />
                  </th>
                  <td>
                    <OptionsLevelBadge level={row.level} />
                  </td>
                  <td>{t(row.pattern.startsWith('.') ? 'options_coversExact' : 'options_coversSubdomains')}</td>
                  <td>
                    <span class="managed-tag">{t('managed')}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {managed.problems.length > 0 && (
        <details class="problems" data-testid="managed-problems" open>
          <summary>{t('options_managedProblems', { count: String(managed.problems.length) })}</summary>
          <ul>
            {managed.problems.map((problem) => (
              <li key={problem} data-testid="managed-problem">
                {problem}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
