import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { normalizeHost } from '../../lib/core/host.ts';
import type { Request, TabVerdictView } from '../../lib/protocol/messages.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { PopupActions, type PopupAction } from './PopupActions.tsx';
import { PopupEndpoints } from './PopupEndpoints.tsx';
import { PopupKeysSent } from './PopupKeysSent.tsx';
import { patternDisplay } from '../common/pattern-display.ts';
import { PopupReport } from './PopupReport.tsx';
import { PopupStatus, type PopupNotice } from './PopupStatus.tsx';
import { useRequest } from '../common/send-context.ts';
import { VerdictCard } from './VerdictCard.tsx';

type PopupState = { status: 'loading' } | { status: 'error'; error: string } | { status: 'no-page' } | { status: 'ready'; verdict: TabVerdictView };

export interface PopupAppProps {
  /** Which tab to show: `?tab=<id>` or the active tab (entrypoints/popup/main.tsx); null for none. */
  readonly resolveTabId: () => Promise<number | null>;
  /** runtime.openOptionsPage() in the extension. */
  readonly openOptions: () => void;
  /** Open the report form at once (`&report=1`: the in-page warning's and the block page's "Report"). */
  readonly startReport?: boolean;
}

/**
 * The popup: the tab's verdict with its reasons, the AI endpoints the page called, and what the
 * person can do about the site. After an action the verdict is asked for again, so what the
 * popup shows is always the background's answer, never a guess.
 */
export function PopupApp({ resolveTabId, openOptions, startReport = false }: PopupAppProps) {
  const t = useTranslate();
  const request = useRequest();
  const [state, setState] = useState<PopupState>({ status: 'loading' });
  const [notice, setNotice] = useState<PopupNotice | null>(null);
  const [busy, setBusy] = useState(false);
  const tabId = useRef<number | null>(null);

  const load = useCallback(async (): Promise<void> => {
    if (tabId.current === null) return setState({ status: 'no-page' });
    const answer = await request({ type: 'tab-verdict/get', tabId: tabId.current });
    if (!answer.ok) return setState({ status: 'error', error: answer.error });
    setState(answer.data ? { status: 'ready', verdict: answer.data } : { status: 'no-page' });
  }, [request]);

  useEffect(() => {
    void resolveTabId()
      .then((id) => {
        tabId.current = id;
        return load();
      })
      .catch((cause: unknown) => setState({ status: 'error', error: cause instanceof Error ? cause.message : String(cause) }));
  }, [resolveTabId, load]);

  const act = async (action: PopupAction, verdict: TabVerdictView) => {
    const host = pageHost(verdict);
    const change = describeAction(action, verdict, host);
    if (!change) return;
    setBusy(true);
    setNotice(null);
    const answer = await request(change.request);
    if (answer.ok) {
      await load();
      setNotice({ kind: 'done', text: t(change.done, { pattern: patternDisplay(change.pattern) }) });
    } else {
      setNotice({ kind: 'error', text: t('popup_actionFailed', { error: answer.error }) });
    }
    setBusy(false);
  };

  let body;
  switch (state.status) {
    case 'loading':
      body = (
        <p class="muted" aria-busy="true">
          {t('loading')}
        </p>
      );
      break;
    case 'error':
      body = <p role="alert">{t('loadError', { error: state.error })}</p>;
      break;
    case 'no-page':
      body = <p class="muted">{t('noPage')}</p>;
      break;
    case 'ready': {
      const { verdict } = state;
      body = (
        <>
          <VerdictCard verdict={verdict} />
          <PopupKeysSent tabId={verdict.tabId} />
          {verdict.family && <p class="family">{t('popup_family', { family: verdict.family })}</p>}
          <PopupEndpoints endpoints={verdict.endpoints} />
          <PopupActions verdict={verdict} canAct={pageHost(verdict) !== null} busy={busy} onAction={(action) => void act(action, verdict)} />
          {isWebPage(verdict) && <PopupReport verdict={verdict} startOpen={startReport} onEntriesChanged={load} />}
        </>
      );
      break;
    }
  }

  return (
    <div class="popup">
      {body}
      <PopupStatus notice={notice} />
      <footer class="popup-footer">
        <button type="button" class="link-button" data-testid="open-options" onClick={openOptions}>
          {t('popup_openOptions')}
        </button>
      </footer>
    </div>
  );
}

/**
 * The page's canonical ASCII host, derived from the verdict's URL exactly as the background
 * derives the tab's host (lib/core/host.ts); `hostDisplay` may read "unicode (punycode)" and is for people.
 */
function pageHost(verdict: TabVerdictView): string | null {
  const normalized = normalizeHost(verdict.url);
  return normalized.ok ? normalized.value.host : null;
}

/** Reports describe http(s) pages only (docs/test-contract.md "Reporting"). */
function isWebPage(verdict: TabVerdictView): boolean {
  return /^https?:/i.test(verdict.url);
}

type Change = {
  request: Extract<Request, { type: 'user-entries/put' | 'user-entries/remove' }>;
  pattern: string;
  done: 'popup_trusted' | 'popup_blocked' | 'popup_undone';
};

function describeAction(action: PopupAction, verdict: TabVerdictView, host: string | null): Change | null {
  if (action === 'undo') {
    const entry = verdict.control.userEntry;
    return entry ? { request: { type: 'user-entries/remove', pattern: entry.pattern }, pattern: entry.pattern, done: 'popup_undone' } : null;
  }
  if (!host) return null;
  const level = action === 'trust' ? 'vetted' : 'blocked';
  return { request: { type: 'user-entries/put', pattern: host, level }, pattern: host, done: action === 'trust' ? 'popup_trusted' : 'popup_blocked' };
}
