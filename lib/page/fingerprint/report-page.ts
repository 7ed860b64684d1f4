import type { PageRequest } from '../../protocol/page-protocol.ts';
import { signalsFromFingerprint, type PageFingerprint } from '../../detection/page-fingerprint.ts';
import { collectFingerprint, type KeyValueStorage, type PageLocation } from './collect-fingerprint.ts';

export interface ReportPageDeps {
  /** runtime.sendMessage; the answer is not needed (the background acts on a report by itself). */
  readonly send: (message: PageRequest) => Promise<unknown>;
  readonly document: Document;
  /** The page's localStorage, asked for only if it is to be read (collect-fingerprint.ts). */
  readonly storage: () => KeyValueStorage | null;
  readonly location: PageLocation;
  readonly wait: (ms: number) => Promise<void>;
}

/** Single-page dashboards render their footer and text after start-up: one more look, later. */
export const SECOND_LOOK_DELAY_MS = 2000;

/**
 * A page with at least this many elements when its HTML is parsed was rendered by its server,
 * not by a single-page app still to start: gateway dashboards are single-page apps whose HTML is
 * a near-empty shell (one-api, new-api, sub2api: a root element and their scripts).
 */
export const RENDERED_PAGE_ELEMENTS = 1000;

/**
 * Looks at the page at document_end and tells the background only when there is something to
 * tell: an ordinary page costs one bounded read of its markup and no message.
 * - An app shell (few elements when parsed) is looked at thoroughly (words, storage) and again
 *   once the app had time to render: that is where a gateway dashboard shows itself.
 * - A page that came rendered is read for its head and route; the rest (footer, words, storage)
 *   only once they show a gateway trait, and then it is looked at again too (it may show more).
 * What the background makes of a report (a verdict, the page guard, the one status probe) it
 * does by itself; nothing comes back here to parse.
 */
export async function reportPage(deps: ReportPageDeps): Promise<void> {
  const servedTitle = deps.document.querySelector('title')?.textContent ?? '';
  // Whether there is an element at that position: the walk stops there, however large the page.
  const appShell = deps.document.getElementsByTagName('*')[RENDERED_PAGE_ELEMENTS - 1] === undefined;
  const look = (thorough: boolean) => collectFingerprint(deps.document, deps.storage, deps.location, servedTitle, { thorough });
  const first = look(appShell);
  const firstSignals = signalsFromFingerprint(first).length;
  if (firstSignals > 0) await report(deps, first);
  if (!appShell && firstSignals === 0) return;
  await deps.wait(SECOND_LOOK_DELAY_MS);
  const second = look(true);
  if (signalsFromFingerprint(second).length > firstSignals) await report(deps, second);
}

async function report(deps: ReportPageDeps, fingerprint: PageFingerprint): Promise<void> {
  try {
    await deps.send({ type: 'page/fingerprint', fingerprint });
  } catch {
    // The background is restarting or the extension is gone: the next page tells it.
  }
}
