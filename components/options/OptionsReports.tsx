import { useEffect, useState } from 'preact/hooks';
import type { ReportStateView } from '../../lib/protocol/messages.ts';
import { OptionsResult, type ActionResult } from './OptionsResult.tsx';
import { useTranslate } from '../common/i18n-context.ts';
import { useRequest } from '../common/send-context.ts';

/**
 * (e) Reports: where they go (the person's report endpoint, or the administrator's, which cannot
 * be changed here) and the state of every stored report, with "Send again" for a failed one.
 */
export function OptionsReports() {
  const t = useTranslate();
  const request = useRequest();
  const [state, setState] = useState<ReportStateView | null>(null);
  const [endpoint, setEndpoint] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ActionResult>(null);

  useEffect(() => {
    void request({ type: 'report/state' }).then((answer) => {
      if (!answer.ok) return setResult({ kind: 'error', text: t('options_loadFailed', { error: answer.error }) });
      setState(answer.data);
      setEndpoint(answer.data.endpoint ?? '');
    });
  }, [request, t]);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setResult(null);
    const answer = await request({ type: 'report/set-endpoint', endpoint: endpoint.trim() === '' ? null : endpoint.trim() });
    if (answer.ok) {
      setState(answer.data);
      setEndpoint(answer.data.endpoint ?? '');
      setResult({ kind: 'done', text: answer.data.endpoint ? t('options_reportEndpointSaved', { endpoint: answer.data.endpoint }) : t('options_reportEndpointCleared') });
    } else {
      setResult({ kind: 'error', text: t('options_actionFailed', { error: answer.error }) });
    }
    setBusy(false);
  };

  const retry = async (id: string) => {
    const answer = await request({ type: 'report/retry', id });
    if (!answer.ok) return setResult({ kind: 'error', text: t('options_actionFailed', { error: answer.error }) });
    const fresh = await request({ type: 'report/state' });
    if (fresh.ok) setState(fresh.data);
  };

  const managed = state?.managed ?? false;
  const invalid = result?.kind === 'error';
  return (
    <section class="options-section" aria-labelledby="options-reports-title">
      <h2 id="options-reports-title">{t('options_reportsHeading')}</h2>
      <p class="muted">{t('options_reportsLead')}</p>
      <form onSubmit={(event) => void save(event)} noValidate>
        <div class="field">
          <label for="options-report-endpoint">{t('options_reportEndpointLabel')}</label>
          <div class="inline">
            <input
              id="options-report-endpoint"
              data-testid="report-endpoint"
              type="url"
              inputMode="url"
              value={endpoint}
              placeholder="https://"
              autocomplete="off"
              spellcheck={false}
              disabled={managed || state === null}
              aria-invalid={invalid}
              aria-describedby={`options-report-endpoint-help${invalid ? ' options-report-endpoint-error' : ''}`}
              onInput={(event) => setEndpoint(event.currentTarget.value)}
            />
            <button type="submit" class="primary" data-testid="report-endpoint-save" disabled={busy || managed || state === null}>
              {t('options_reportEndpointSave')}
            </button>
          </div>
          <p id="options-report-endpoint-help" class="help">
            {managed ? t('options_reportEndpointManaged') : t('options_reportEndpointHelp')}
          </p>
        </div>
        <OptionsResult result={result} errorId="options-report-endpoint-error" />
      </form>
      {state && state.reports.length > 0 && (
        <ul class="report-list" data-testid="report-list">
          {state.reports.map((report) => (
            <li key={report.id} data-state={report.state}>
              <span class="pattern">{report.host}</span> · {t(report.kind === 'relay' ? 'report_kind_relay' : 'report_kind_falsePositive')} ·{' '}
              {report.state === 'sent'
                ? t('report_state_sent')
                : report.state === 'failed'
                  ? t('report_state_failed', { why: report.lastError ?? '' })
                  : report.lastError
                    ? t('report_state_retrying', { why: report.lastError })
                    : t('report_state_queued', { endpoint: state.endpoint ?? '' })}
              {report.state === 'failed' && (
                <button type="button" class="link-button" onClick={() => void retry(report.id)}>
                  {t('report_retry')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
