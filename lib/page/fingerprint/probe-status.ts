/**
 * The one same-origin status probe, run by the page guard when the background asks for it (it
 * grants one per document, and only on a page that already scores as suspect). The answer's
 * shape becomes a signal (lib/detection/status-probe.ts); the body itself never leaves the page.
 */
import { sendPageRequest } from '../../protocol/page-protocol.ts';
import { STATUS_PROBE_PATHS, statusProbeSignals } from '../../detection/status-probe.ts';

export interface ProbeStatusDeps {
  readonly send: (message: unknown) => Promise<unknown>;
  /** GET a same-origin path and parse JSON; null on any failure. */
  readonly fetchJson: (path: string) => Promise<unknown>;
}

/** Tries each known path in turn; reports the first gateway-shaped answer. */
export async function probeStatus(deps: ProbeStatusDeps): Promise<void> {
  for (const path of STATUS_PROBE_PATHS) {
    const signals = statusProbeSignals(await deps.fetchJson(path));
    if (signals.length > 0) {
      await sendPageRequest(deps.send, { type: 'page/probe-signals', signals });
      return;
    }
  }
}

/** The probe as the page guard makes it: same origin, no cookies, small answers only. */
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
