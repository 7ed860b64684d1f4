import type { ReportStatus } from '../../lib/reports/report-queue.ts';
import { useTranslate } from '../common/i18n-context.ts';

export interface PopupReportStatusProps {
  readonly status: ReportStatus;
  readonly endpoint: string | null;
  readonly onRetry: (id: string) => void;
}

/**
 * The last report's state (docs/test-contract.md `report-status`): queued, sent or failed, and
 * why, in the words of the delivery queue's last attempt. A failed report can be sent again.
 */
export function PopupReportStatus({ status, endpoint, onRetry }: PopupReportStatusProps) {
  const t = useTranslate();
  let text: string;
  if (status.state === 'sent') text = t('report_state_sent');
  else if (status.state === 'failed') text = t('report_state_failed', { why: status.lastError ?? '' });
  else if (status.lastError) text = t('report_state_retrying', { why: status.lastError });
  else text = t('report_state_queued', { endpoint: endpoint ?? '' });
  return (
    <div class={`report-status state-${status.state}`} role="status">
      <p data-testid="report-status" data-state={status.state} data-attempts={String(status.attempts)}>
        {text}
      </p>
      {status.state === 'failed' && (
        <button type="button" data-testid="report-retry" onClick={() => onRetry(status.id)}>
          {t('report_retry')}
        </button>
      )}
    </div>
  );
}
