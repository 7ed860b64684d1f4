import { useTranslate } from '../common/i18n-context.ts';

/**
 * "Report" is not built yet. The button stays focusable (aria-disabled rather than disabled) so
 * keyboard and screen-reader users meet the same explanation a mouse user sees on hover.
 */
export function PopupReportButton() {
  const t = useTranslate();
  return (
    <span class="tooltip-anchor">
      <button type="button" data-testid="report-site" aria-disabled="true" aria-describedby="popup-report-later" onClick={(event) => event.preventDefault()}>
        {t('popup_report')}
      </button>
      <span role="tooltip" id="popup-report-later" class="tooltip">
        {t('popup_reportLater')}
      </span>
    </span>
  );
}
