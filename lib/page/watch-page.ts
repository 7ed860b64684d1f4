/**
 * The page watch: the content script in every frame of every page, from document_start. It is
 * what an ordinary page pays for RelayGuard, so it does two small things (in a sub-frame only
 * the first) and carries no UI, no zod and no polyfill:
 * - opens the page bridge, whose capture-phase paste and drop listeners run before any of the
 *   page's own; while no page guard runs here, a Claude subscription credential is held for the
 *   guard (lib/page/paste/early-paste-hold.ts) and everything else passes untouched;
 * - looks at the page's fingerprint and reports it when it shows a relay signal (once on a page
 *   its server rendered; app shells and pages with a signal get a second look once rendered).
 * Everything a relay page needs (the warning, the key paste guard, the status probe) is the page
 * guard's, which the background runs in the pages that need it (lib/background/page-guards.ts).
 *
 * Browser APIs come in as parameters, so this runs under happy-dom in tests.
 */
import type { PageRequest } from '../protocol/page-protocol.ts';
import type { KeyValueStorage } from './fingerprint/collect-fingerprint.ts';
import { documentHost } from './document-host.ts';
import { whenDomReady } from './dom-ready.ts';
import { earlyPasteHold } from './paste/early-paste-hold.ts';
import type { ShadowRootReader } from './paste/paste-target.ts';
import type { Lifetime } from './lifetime.ts';
import { openPageBridge, type BridgeHost, type PageBridge } from './page-bridge.ts';
import { reportPage } from './fingerprint/report-page.ts';

export interface PageWatchDeps {
  readonly window: BridgeHost;
  readonly document: Document;
  readonly location: Pick<Location, 'hostname' | 'pathname' | 'hash'>;
  /** The page's localStorage (it may throw: sandboxed, storage blocked); asked for only when read. */
  readonly storage: () => KeyValueStorage | null;
  /** runtime.sendMessage */
  readonly send: (message: PageRequest) => Promise<unknown>;
  readonly lifetime: Lifetime;
  readonly wait: (ms: number) => Promise<void>;
  /**
   * This document is a frame inside a page (iframe, about:blank, srcdoc). It makes no look at
   * its fingerprint (the background judges a page by its top document) and holds every paste that
   * may carry a key until the guard the background starts here has decided on it.
   */
  readonly subFrame?: boolean;
  /** `window.origin`: an about:blank or srcdoc frame's host is its origin's (lib/page/document-host.ts). */
  readonly origin?: string;
  /** Opens the page's closed shadow roots (lib/page/paste/paste-target.ts); asked for on a held paste only. */
  readonly shadowRootOf?: () => ShadowRootReader;
}

export interface PageWatch {
  readonly bridge: PageBridge;
  /** Resolves once the watch is done looking at the page (lib/page/fingerprint/report-page.ts). */
  readonly reported: Promise<void>;
}

export function watchPage(deps: PageWatchDeps): PageWatch {
  const { lifetime } = deps;
  const live = () => lifetime.check();
  const send = (message: PageRequest) => (live() ? deps.send(message) : Promise.reject(new Error('RelayGuard was updated or removed.')));
  // No AbortSignal for the bridge's listeners: they check `live` on each event, and an
  // AbortController is one more thing an ordinary page would pay to set up.
  const bridge = openPageBridge(deps.window, live);
  bridge.setFallback(
    earlyPasteHold({
      bridge,
      pageHost: () => documentHost(deps.location, deps.origin),
      requestGuard: () => send({ type: 'page/guard-needed' }),
      subFrame: deps.subFrame ?? false,
      ...(deps.shadowRootOf && { shadowRootOf: deps.shadowRootOf }),
    }),
  );
  if (deps.subFrame) return { bridge, reported: Promise.resolve() };
  // The extension's own API is first touched when there is something to send, or a paste or drop
  // to answer for (the bridge asks whether the extension is still there): creating its bindings
  // is work an ordinary page should not pay for.
  const reported = whenDomReady(deps.document).then(() => reportPage({ send, document: deps.document, storage: deps.storage, location: deps.location, wait: deps.wait }));
  return { bridge, reported };
}
