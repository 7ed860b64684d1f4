import type { ListSummary } from '../../lib/protocol/messages.ts';
import { useTranslate } from '../common/i18n-context.ts';

/** The lists that ship with RelayGuard: read-only, updated with the extension. */
export function OptionsBundledLists({ lists }: { lists: readonly ListSummary[] }) {
  const t = useTranslate();
  return (
    <div class="table-scroll">
      <table class="lists" data-testid="bundled-lists">
        <caption>{t('options_bundledCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('options_columnList')}</th>
            <th scope="col">{t('options_columnVersion')}</th>
            <th scope="col" class="number">
              {t('options_columnEntries')}
            </th>
          </tr>
        </thead>
        <tbody>
          {lists.map((list) => (
            <tr key={list.id} data-testid="bundled-list" data-list-id={list.id}>
              <th scope="row">{list.name}</th>
              <td>{list.version}</td>
              <td class="number">{list.entryCount.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
