import { useEffect, useRef, useState } from 'preact/hooks';
import { normalizeHost } from '../../lib/core/host.ts';
import type { ListSummary, ReportStateView, TabVerdictView } from '../../lib/protocol/messages.ts';
import { issueUrl } from '../../lib/reports/issue-url.ts';
import { reportAction } from '../../lib/reports/report-action.ts';
import { REPORT_LIMITS, type ReportDocument, type ReportKind } from '../../lib/reports/report-document.ts';
import type { ReportStatus } from '../../lib/reports/report-queue.ts';
import type { UserEntry } from '../../lib/lists/user-entry.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { patternDisplay } from '../common/pattern-display.ts';
import { saveFile } from '../common/save-file.ts';
import { useRequest } from '../common/send-context.ts';
import { PopupReportStatus } from './PopupReportStatus.tsx';

export interface PopupReportProps {
  readonly verdict: TabVerdictView;
  /** Open the form at once (`popup.html?tab=N&report=1`, from the in-page warning or the block page). */
  readonly startOpen?: boolean;
  /** The person's entries changed: the popup asks for the verdict again. */
  readonly onEntriesChanged: () => Promise<void>;
}

/** While a report waits, the popup asks for its state this often (only while it is open). */
const STATUS_POLL_MS = 1000;
/** Typing in the note asks for a new preview once the person pauses. */
const NOTE_PAUSE_MS = 300;

type Acted = { readonly pattern: string; readonly level: 'blocked' | 'vetted'; readonly previous: UserEntry | null };

/**
 * Reporting from the popup: the person picks the kind, may add a note, and sees exactly the
 * document that will be sent, built and redacted by the background (report/preview). Sending
 * stores it first and delivers it to the report endpoint; without one, the report can be copied,
 * exported or taken to a list's tracker. Making the report also acts at once: a relay goes on
 * the person's own blocklist, a false positive on their allowlist, through the list registry,
 * with an undo here.
 */
export function PopupReport({ verdict, startOpen = false, onEntriesChanged }: PopupReportProps) {
  const t = useTranslate();
  const request = useRequest();
  const [open, setOpen] = useState(startOpen);
  const [kind, setKind] = useState<ReportKind>('relay');
  const [note, setNote] = useState('');
  const [settledNote, setSettledNote] = useState('');
  const [preview, setPreview] = useState<ReportDocument | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [state, setState] = useState<ReportStateView | null>(null);
  const [status, setStatus] = useState<ReportStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [acted, setActed] = useState<Acted | null>(null);
  const [tracker, setTracker] = useState<{ readonly list: string; readonly reportUrl: string } | null>(null);
  const madeIds = useRef(new Set<string>());
  const previewRequest = useRef(0);
  const { tabId } = verdict;
  const normalized = normalizeHost(verdict.url);
  const pageHost = normalized.ok ? normalized.value.host : null;

  // The endpoint in force, and the last report about this page (shown again when the popup reopens).
  const loadState = async (): Promise<void> => {
    const answer = await request({ type: 'report/state' });
    if (!answer.ok) return setError(t('report_failed', { error: answer.error }));
    setState(answer.data);
    setStatus((current) => {
      const fresh = current ? answer.data.reports.find((report) => report.id === current.id) : undefined;
      return fresh ?? current ?? answer.data.reports.find((report) => report.host === pageHost) ?? null;
    });
  };

  useEffect(() => {
    if (!open) return;
    void loadState();
    void request({ type: 'lists/summary' }).then((answer) => answer.ok && setTracker(trackerFor(verdict, answer.data)));
    // Once per opening.
  }, [open]);

  useEffect(() => {
    const timer = setTimeout(() => setSettledNote(note), NOTE_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [note]);

  useEffect(() => {
    if (!open) return;
    const sequence = ++previewRequest.current;
    void request({ type: 'report/preview', tabId, kind, ...(settledNote.trim() && { note: settledNote }) }).then((answer) => {
      if (sequence !== previewRequest.current) return;
      if (answer.ok) {
        setPreview(answer.data);
        setPreviewError(null);
      } else {
        setPreview(null);
        setPreviewError(answer.error);
      }
    });
  }, [open, request, tabId, kind, settledNote]);

  useEffect(() => {
    if (status?.state !== 'queued') return;
    const timer = setInterval(() => void loadState(), STATUS_POLL_MS);
    return () => clearInterval(timer);
    // Polls while this report waits.
  }, [status?.state, status?.id]);

  const action = reportAction(verdict, kind);

  /** The report is made (sent, exported, copied or taken to a tracker): act on it once. */
  const actOnce = async (document: ReportDocument): Promise<void> => {
    if (madeIds.current.has(document.id)) return;
    madeIds.current.add(document.id);
    if (!action.act) return;
    const entries = await request({ type: 'user-entries/list' });
    const previous = entries.ok ? (entries.data.entries.find((entry) => entry.pattern === action.pattern) ?? null) : null;
    const put = await request({ type: 'user-entries/put', pattern: action.pattern, level: action.level, note: t('report_entryNote') });
    if (!put.ok) return setError(t('report_actFailed', { error: put.error }));
    setActed({ pattern: put.data.pattern, level: action.level, previous });
    await onEntriesChanged();
  };

  const undo = async (): Promise<void> => {
    if (!acted) return;
    setBusy(true);
    const answer = acted.previous
      ? await request({
          type: 'user-entries/put',
          pattern: acted.previous.pattern,
          level: acted.previous.level,
          ...(acted.previous.note !== undefined && { note: acted.previous.note }),
        })
      : await request({ type: 'user-entries/remove', pattern: acted.pattern });
    if (answer.ok) {
      setDone(t('report_undone', { host: patternDisplay(acted.pattern) }));
      setActed(null);
      await onEntriesChanged();
    } else {
      setError(t('report_actFailed', { error: answer.error }));
    }
    setBusy(false);
  };

  const send = async (): Promise<void> => {
    if (!preview) return;
    setBusy(true);
    setError(null);
    setDone(null);
    const answer = await request({ type: 'report/send', document: preview });
    if (answer.ok) {
      setStatus(answer.data);
      await actOnce(preview);
    } else {
      setError(t('report_failed', { error: answer.error }));
    }
    setBusy(false);
  };

  const retry = async (id: string): Promise<void> => {
    const answer = await request({ type: 'report/retry', id });
    if (answer.ok) setStatus(answer.data);
    else setError(t('report_failed', { error: answer.error }));
  };

  const json = preview ? JSON.stringify(preview, null, 2) : '';
  const copy = async (): Promise<void> => {
    if (!preview) return;
    try {
      await navigator.clipboard.writeText(json);
      setDone(t('report_copied'));
      await actOnce(preview);
    } catch {
      setError(t('report_copyFailed'));
    }
  };
  const exportJson = async (): Promise<void> => {
    if (!preview) return;
    saveFile(`relayguard-report-${preview.host}-${preview.id.slice(0, 8)}.json`, json);
    setDone(t('report_exported'));
    await actOnce(preview);
  };

  if (!open) {
    return (
      <button type="button" data-testid="report" aria-expanded="false" onClick={() => setOpen(true)}>
        {t('report')}
      </button>
    );
  }

  const endpoint = state?.endpoint ?? null;
  const alreadySent = preview !== null && status?.id === preview.id;
  const issueHref = preview && tracker && !endpoint ? issueUrl(tracker.reportUrl, preview) : null;
  return (
    <section class="report-form" data-testid="report-form" aria-labelledby="report-form-title">
      <h2 id="report-form-title">{t('report_formTitle')}</h2>
      <label for="report-kind">{t('report_kindLabel')}</label>
      <select id="report-kind" data-testid="report-kind" value={kind} onChange={(event) => setKind(event.currentTarget.value as ReportKind)}>
        <option value="relay">{t('report_kind_relay')}</option>
        <option value="false-positive">{t('report_kind_falsePositive')}</option>
      </select>
      <label for="report-note">{t('report_noteLabel')}</label>
      <textarea
        id="report-note"
        data-testid="report-note"
        rows={3}
        maxLength={REPORT_LIMITS.note}
        aria-describedby="report-note-help"
        value={note}
        onInput={(event) => setNote(event.currentTarget.value)}
      />
      <p id="report-note-help" class="muted small">
        {t('report_noteHelp')}
      </p>
      <p class="report-acts" data-testid="report-acts">
        {action.act
          ? t(action.level === 'blocked' ? 'report_actsBlock' : 'report_actsTrust', { host: patternDisplay(action.pattern) })
          : t(`report_actsNone_${action.why}`)}
      </p>
      <h3 id="report-preview-title">{t('report_previewLabel')}</h3>
      <pre class="report-preview" data-testid="report-preview" aria-labelledby="report-preview-title" aria-busy={preview === null && previewError === null} tabIndex={0}>
        {previewError ? t('report_previewFailed', { error: previewError }) : json}
      </pre>
      {endpoint ? (
        <p class="muted small" data-testid="report-destination">
          {t('report_sendTo', { endpoint })}
        </p>
      ) : (
        state && (
          <p class="note-box" id="report-no-endpoint" data-testid="report-no-endpoint">
            {t('report_noEndpoint')}
          </p>
        )
      )}
      <div class="action-row">
        <button
          type="button"
          class="primary"
          data-testid="report-send"
          disabled={!endpoint || preview === null || busy || alreadySent}
          {...(!endpoint && state && { 'aria-describedby': 'report-no-endpoint' })}
          onClick={() => void send()}
        >
          {t('report_send')}
        </button>
        <button type="button" data-testid="report-export" disabled={preview === null} onClick={() => void exportJson()}>
          {t('report_export')}
        </button>
        <button type="button" data-testid="report-copy" disabled={preview === null} onClick={() => void copy()}>
          {t('report_copy')}
        </button>
        {issueHref && tracker && (
          <a class="button-link" data-testid="report-issue" href={issueHref} target="_blank" rel="noopener noreferrer" onClick={() => preview && void actOnce(preview)}>
            {t('report_issue', { list: tracker.list })}
          </a>
        )}
      </div>
      {status && <PopupReportStatus status={status} endpoint={endpoint} onRetry={(id) => void retry(id)} />}
      {acted && (
        <div class="your-entry" data-testid="report-acted">
          <p>{t(acted.level === 'blocked' ? 'report_actedBlock' : 'report_actedTrust', { host: patternDisplay(acted.pattern) })}</p>
          <button type="button" data-testid="report-undo" disabled={busy} onClick={() => void undo()}>
            {t('popup_undo')}
          </button>
        </div>
      )}
      <p role="status" class="notice done" data-testid="report-result">
        {done ?? ''}
      </p>
      <p role="alert" class="notice error" data-testid="report-error">
        {error ?? ''}
      </p>
    </section>
  );
}

/**
 * The tracker a report goes to without an endpoint: that of the list whose entry decided the
 * page, else the first list in force (subscriptions before bundled lists) that declares one.
 * List names are shown as the list spells them, untranslated.
 */
function trackerFor(verdict: TabVerdictView, lists: readonly ListSummary[]): { list: string; reportUrl: string } | null {
  const withTracker = lists.filter((list): list is ListSummary & { reportUrl: string } => list.reportUrl !== undefined);
  const deciding = verdict.reasons.find((reason) => reason.kind === 'list');
  const chosen = withTracker.find((list) => deciding?.source === `${list.name} v${list.version}`) ?? withTracker[0];
  return chosen ? { list: chosen.name, reportUrl: chosen.reportUrl } : null;
}
