import { sendPageRequest } from '../page-protocol.ts';
import { STATUS_PROBE_PATHS, signalsFromFingerprint, statusProbeSignals } from '../page-fingerprint.ts';
import { collectFingerprint, type KeyValueStorage, type PageLocation } from './collect-fingerprint.ts';

export interface ReportPageDeps {
  readonly send: (message: unknown) => Promise<unknown>;
  readonly document: Document;
  readonly storage: KeyValueStorage | null;
  readonly location: PageLocation;
  /** GET a same-origin path and parse JSON; null on any failure. */
  readonly fetchJson: (path: string) => Promise<unknown>;
  readonly wait: (ms: number) => Promise<void>;
}

/** Single-page dashboards render their footer and text after start-up: one more look, later. */
export const SECOND_LOOK_DELAY_MS = 2000;

/**
 * Looks at the page twice (at document_end, and once more after the app had time to render),
 * and tells the background only when there is something to tell: ordinary pages cost one
 * bounded DOM read each time and no message. When the background grants it, makes the single
 * same-origin status probe and reports what it shows.
 */
export async function reportPage(deps: ReportPageDeps): Promise<void> {
  const servedTitle = deps.document.querySelector('title')?.textContent ?? '';
  let reportedSignals = 0;
  let probed = false;
  for (const delay of [0, SECOND_LOOK_DELAY_MS]) {
    if (delay > 0) await deps.wait(delay);
    const fingerprint = collectFingerprint(deps.document, deps.storage, deps.location, servedTitle);
    const signalCount = signalsFromFingerprint(fingerprint).length;
    if (signalCount <= reportedSignals) continue;
    reportedSignals = signalCount;
    const answer = await sendPageRequest(deps.send, { type: 'page/fingerprint', fingerprint });
    if (answer.ok && answer.data.probe && !probed) {
      probed = true;
      await probeStatus(deps);
    }
  }
}

async function probeStatus(deps: ReportPageDeps): Promise<void> {
  for (const path of STATUS_PROBE_PATHS) {
    const signals = statusProbeSignals(await deps.fetchJson(path));
    if (signals.length > 0) {
      await sendPageRequest(deps.send, { type: 'page/probe-signals', signals });
      return;
    }
  }
}

/** The probe as the content script makes it: same origin, no cookies, small answers only. */
export async function fetchSameOriginJson(path: string): Promise<unknown> {
  try {
    const response = await fetch(path, { credentials: 'omit', redirect: 'error', headers: { accept: 'application/json' } });
    if (!response.ok || Number(response.headers.get('content-length') ?? 0) > 64 * 1024) return null;
    const text = await response.text();
    return text.length > 64 * 1024 ? null : JSON.parse(text);
  } catch {
    return null;
  }
}
