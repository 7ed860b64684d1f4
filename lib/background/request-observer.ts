import type { browser as browserApi } from 'wxt/browser';
import { classifyAiRequest, type AiRequestClassification } from '../detection/ai-request.ts';
import { signalsFromRequestHeaders, signalsFromResponseHeaders } from '../detection/gateway-headers.ts';
import { mayBeStartupCall, signalFromStartupCall } from '../detection/gateway-families.ts';
import { normalizeHost } from '../core/host.ts';
import { InFlight } from '../core/in-flight.ts';
import type { Signal } from '../detection/scoring.ts';
import type { TabVerdicts } from './tab-verdicts.ts';

type BrowserApi = typeof browserApi;
type WebRequest = BrowserApi['webRequest'];
type Header = { name: string; value?: string };

/** Serverless hosts that relays deploy to (docs/relay-signals.md §1): medium evidence with API traffic. */
const EDGE_SUFFIXES = ['.workers.dev', '.pages.dev', '.vercel.app', '.deno.dev', '.netlify.app'];

export interface RequestObserverDeps {
  readonly webRequest: WebRequest;
  readonly tabs: TabVerdicts;
  /** The key history's hook (lib/background/history-recorder.ts): each AI call once recorded. */
  readonly onAiCall?: (tabId: number, call: AiRequestClassification) => Promise<void>;
}

/**
 * Watches requests (never blocks or changes them: MV3 observers are read-only) and turns what it
 * sees into evidence on the tab that made them: AI-API calls become endpoint records, gateway
 * headers become page signals. Credential values are classified by kind inside
 * classifyAiRequest and never reach this module's output.
 */
export class RequestObserver {
  readonly #tabs: TabVerdicts;
  readonly #inFlight = new InFlight();
  readonly #onAiCall: RequestObserverDeps['onAiCall'];

  constructor({ webRequest, tabs, onAiCall }: RequestObserverDeps) {
    this.#tabs = tabs;
    this.#onAiCall = onAiCall;
    const filter = { urls: ['<all_urls>'] };
    // Chromium hides some headers unless asked for 'extraHeaders'; Firefox has no such option and rejects it.
    const extra = 'OnBeforeSendHeadersOptions' in webRequest && (webRequest.OnBeforeSendHeadersOptions as Record<string, string>).EXTRA_HEADERS ? ['extraHeaders'] : [];
    webRequest.onBeforeSendHeaders.addListener((details) => void this.#inFlight.track(this.#onRequest(details)), filter, ['requestHeaders', ...extra] as never);
    webRequest.onHeadersReceived.addListener((details) => void this.#inFlight.track(this.#onResponse(details)), filter, ['responseHeaders', ...extra] as never);
  }

  /** Whether the work its event listeners started has all finished. */
  get idle(): boolean {
    return this.#inFlight.idle;
  }

  /** Resolves once the work its event listeners started has finished (what tests wait on). */
  whenIdle(): Promise<void> {
    return this.#inFlight.whenIdle();
  }

  async #onRequest(details: { tabId: number; frameId: number; url: string; method: string; type: string; timeStamp: number; requestHeaders?: Header[] }): Promise<void> {
    if (details.tabId < 0) return; // service workers and the browser itself: no tab to warn in
    // keyEnding: a vendor key's last four characters, for the key history; never more of it.
    const call = classifyAiRequest({ url: details.url, method: details.method, type: details.type, ...(details.requestHeaders && { requestHeaders: details.requestHeaders }) }, { keyEnding: this.#onAiCall !== undefined });
    if (call) {
      await this.#tabs.recordAiCall(details.tabId, details.timeStamp, {
        host: call.host,
        protocol: call.protocol,
        ...(call.credential && { credentialKind: call.credential.kind }),
      });
      await this.#onAiCall?.(details.tabId, call);
      if (EDGE_SUFFIXES.some((suffix) => call.host.endsWith(suffix))) {
        await this.#tabs.recordSignals(details.tabId, details.timeStamp, [{ id: 'edge-host-ai-traffic', detail: call.host }]);
      }
    }
    // Dashboard headers only mean something when the relay's own page sends them.
    if (details.frameId === 0 && details.requestHeaders) {
      await this.#tabs.recordSignals(details.tabId, details.timeStamp, signalsFromRequestHeaders(details.requestHeaders));
    }
    await this.#recordStartupCall(details);
  }

  // --- Gateway families' start-up calls (lib/detection/gateway-families.ts; owned by detection) ---

  /**
   * The page's script asking its own origin for a gateway front end's start-up route
   * (`GET /setup/status`, `/admin/oem-settings`, …): a trait that survives any rebrand. Only a
   * script's `GET` from the top frame counts (a link or an image to the same path is not the
   * app starting), and only to the page's own host; the host is looked up only for the few paths
   * in the family table, so an ordinary request costs one URL parse and a Set lookup.
   */
  async #recordStartupCall(details: { tabId: number; frameId: number; url: string; method: string; type: string; timeStamp: number }): Promise<void> {
    if (details.frameId !== 0 || details.method !== 'GET' || details.type !== 'xmlhttprequest') return;
    const pathname = pathnameOf(details.url);
    if (pathname === undefined || !mayBeStartupCall(pathname)) return;
    const signal = signalFromStartupCall(pathname);
    const host = normalizeHost(details.url);
    if (!signal || !host.ok || host.value.host !== (await this.#tabs.pageHost(details.tabId))) return;
    await this.#tabs.recordSignals(details.tabId, details.timeStamp, [signal]);
  }

  async #onResponse(details: { tabId: number; frameId: number; url: string; type: string; timeStamp: number; responseHeaders?: Header[] }): Promise<void> {
    if (details.tabId < 0 || details.frameId !== 0 || !details.responseHeaders) return;
    const signals: Signal[] = signalsFromResponseHeaders(details.responseHeaders);
    if (signals.length === 0) return;
    if (details.type === 'main_frame') {
      this.#tabs.noteDocumentSignals(details.tabId, details.url, signals);
      return;
    }
    // A gateway header from the page's own site is about the page; from elsewhere it is about an endpoint.
    const host = normalizeHost(details.url);
    const pageHost = await this.#tabs.pageHost(details.tabId);
    if (host.ok && host.value.host === pageHost) await this.#tabs.recordSignals(details.tabId, details.timeStamp, signals);
  }
}

function pathnameOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}
