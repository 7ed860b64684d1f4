/**
 * The one same-origin status probe, run by the page guard when the background asks for it (it
 * grants one per document, and only on a page that already scores as suspect). The answer's
 * shape becomes a signal (lib/detection/status-probe.ts); the body itself never leaves the page.
 */
import { sendPageRequest } from '../../protocol/page-protocol.ts';
import { statusProbePaths, statusProbeSignals } from '../../detection/status-probe.ts';
import type { GatewayFamily } from '../../detection/scoring.ts';

export interface ProbeStatusDeps {
  readonly send: (message: unknown) => Promise<unknown>;
  /** GET a same-origin path and parse JSON; null on any failure. */
  readonly fetchJson: (path: string) => Promise<unknown>;
  /** The family the page's evidence points to: its status route is asked first. */
  readonly family?: GatewayFamily;
}

/** Tries each known path in turn; reports the first gateway-shaped answer. */
export async function probeStatus(deps: ProbeStatusDeps): Promise<void> {
  for (const path of statusProbePaths(deps.family)) {
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
    if (!response.ok || Number(response.headers.get('content-length') ?? 0) > MAX_ANSWER_BYTES) return null;
    const text = await boundedText(response, MAX_ANSWER_BYTES);
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/** A gateway's status answer is a few KB; anything over this is not one and is not read on. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * The body as text, or null once it passes `maxBytes`: read chunk by chunk and cancelled there,
 * so an answer without a length (chunked, or endless) is never read whole.
 */
async function boundedText(response: Response, maxBytes: number): Promise<string | null> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel();
      return null;
    }
    text += decoder.decode(value, { stream: true });
  }
}
