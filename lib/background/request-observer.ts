import type { browser as browserApi } from 'wxt/browser';
import { bodyCredential, classifyAiRequest, MAX_BODY_CHARS, type AiRequestClassification, type BodyCredential } from '../detection/ai-request.ts';
import { signalsFromRequestHeaders, signalsFromResponseHeaders } from '../detection/gateway-headers.ts';
import { isStatusRoute, mayBeStartupCall, signalFromStartupCall } from '../detection/gateway-families.ts';
import { normalizeHost } from '../core/host.ts';
import { InFlight } from '../core/in-flight.ts';
import type { Signal } from '../detection/scoring.ts';
import type { TabVerdicts } from './tab-verdicts.ts';

type BrowserApi = typeof browserApi;
type WebRequest = BrowserApi['webRequest'];
type Header = { name: string; value?: string };

/** Serverless hosts that relays deploy to (docs/relay-signals.md §1): medium evidence with API traffic. */
const EDGE_SUFFIXES = ['.workers.dev', '.pages.dev', '.vercel.app', '.deno.dev', '.netlify.app'];

/** What Chromium reports for a request a declarativeNetRequest rule (RelayGuard's block rules) stopped. */
const BLOCKED_BY_CLIENT = 'net::ERR_BLOCKED_BY_CLIENT';
/** Bodies read between onBeforeRequest and the request's next event; a page cannot grow this past the cap. */
const MAX_PENDING_BODIES = 256;
const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);

interface RequestBody {
  raw?: Array<{ bytes?: ArrayBuffer }>;
  formData?: Record<string, string[]>;
}

/** The request fields this module reads; webRequest gives more. */
interface RequestDetails {
  requestId: string;
  tabId: number;
  frameId: number;
  url: string;
  method: string;
  type: string;
  timeStamp: number;
  /** Chromium: the origin that made the request (a worker's own origin). */
  initiator?: string;
  /** Firefox: the URL of the document or worker that made it. */
  originUrl?: string;
  requestHeaders?: Header[];
}

export interface RequestObserverDeps {
  readonly webRequest: WebRequest;
  readonly tabs: TabVerdicts;
  /** The key history's hook (lib/background/history-recorder.ts): each AI call once recorded. */
  readonly onAiCall?: (tabId: number, call: AiRequestClassification) => Promise<void>;
  /**
   * The browser's tabs, to find the tabs a worker serves (a service worker's or shared worker's
   * requests have no tab of their own). Without it such requests are dropped.
   */
  readonly browserTabs?: Pick<BrowserApi['tabs'], 'query'>;
}

/**
 * Watches requests (never blocks or changes them: MV3 observers are read-only) and turns what it
 * sees into evidence on the tab that made them: AI-API calls become endpoint records, gateway
 * headers become page signals. Credential values are classified by kind inside
 * classifyAiRequest and bodyCredential and never reach this module's output.
 */
export class RequestObserver {
  readonly #tabs: TabVerdicts;
  readonly #browserTabs: RequestObserverDeps['browserTabs'];
  readonly #inFlight = new InFlight();
  /** Request id → the credential its body carried, from onBeforeRequest until the request's next event. */
  readonly #bodies = new Map<string, BodyCredential>();

  readonly #onAiCall: RequestObserverDeps['onAiCall'];

  constructor({ webRequest, tabs, browserTabs, onAiCall }: RequestObserverDeps) {
    this.#tabs = tabs;
    this.#browserTabs = browserTabs;
    this.#onAiCall = onAiCall;
    const filter = { urls: ['<all_urls>'] };
    // Chromium hides some headers unless asked for 'extraHeaders'; Firefox has no such option and rejects it.
    const extra = 'OnBeforeSendHeadersOptions' in webRequest && (webRequest.OnBeforeSendHeadersOptions as Record<string, string>).EXTRA_HEADERS ? ['extraHeaders'] : [];
    webRequest.onBeforeRequest?.addListener(
      (details) => {
        this.#onBody(details as unknown as RequestDetails & { requestBody?: RequestBody | null });
        return undefined;
      },
      filter,
      ['requestBody'] as never,
    );
    webRequest.onBeforeSendHeaders.addListener((details) => void this.#inFlight.track(this.#onRequest(details as RequestDetails)), filter, ['requestHeaders', ...extra] as never);
    webRequest.onHeadersReceived.addListener((details) => void this.#inFlight.track(this.#onResponse(details)), filter, ['responseHeaders', ...extra] as never);
    webRequest.onErrorOccurred?.addListener((details) => void this.#inFlight.track(this.#onError(details as RequestDetails & { error: string })), filter);
  }

  /** Whether the work its event listeners started has all finished. */
  get idle(): boolean {
    return this.#inFlight.idle;
  }

  /** Resolves once the work its event listeners started has finished (what tests wait on). */
  whenIdle(): Promise<void> {
    return this.#inFlight.whenIdle();
  }

  /** Reads a bounded prefix of the body for a credential's kind; the text goes no further. */
  #onBody(details: RequestDetails & { requestBody?: RequestBody | null }): void {
    if (!details.requestBody || !BODY_METHODS.has(details.method.toUpperCase())) return;
    const found = bodyCredential(bodyText(details.requestBody), { keyEnding: this.#onAiCall !== undefined });
    if (!found) return;
    if (this.#bodies.size >= MAX_PENDING_BODIES) this.#bodies.delete(this.#bodies.keys().next().value!);
    this.#bodies.set(details.requestId, found);
  }

  #takeBody(requestId: string): BodyCredential | null {
    const found = this.#bodies.get(requestId) ?? null;
    this.#bodies.delete(requestId);
    return found;
  }

  async #onRequest(details: RequestDetails): Promise<void> {
    const body = this.#takeBody(details.requestId);
    // keyEnding: a vendor key's last four characters, for the key history; never more of it.
    const call = classifyAiRequest({ url: details.url, method: details.method, type: details.type, bodyCredential: body, ...(details.requestHeaders && { requestHeaders: details.requestHeaders }) }, { keyEnding: this.#onAiCall !== undefined });
    if (details.tabId < 0) {
      // A worker's request: evidence for every tab it serves (its origin's top-level pages).
      if (call) for (const tabId of await this.#tabsServedBy(details)) await this.#recordCall(tabId, details.timeStamp, call);
      return;
    }
    if (call) await this.#recordCall(details.tabId, details.timeStamp, call);
    // Dashboard headers only mean something when the relay's own page sends them.
    if (details.frameId === 0 && details.requestHeaders) {
      await this.#tabs.recordSignals(details.tabId, details.timeStamp, signalsFromRequestHeaders(details.requestHeaders));
    }
    await this.#recordStartupCall(details);
  }

  /**
   * A request RelayGuard's own block rules stopped never reaches onBeforeSendHeaders: the page
   * tried to reach a blocked host, which is evidence on its own (the URL is all there is to read).
   */
  async #onError(details: RequestDetails & { error: string }): Promise<void> {
    const body = this.#takeBody(details.requestId);
    if (details.error !== BLOCKED_BY_CLIENT) return;
    const call = classifyAiRequest({ url: details.url, method: details.method, type: details.type, bodyCredential: body });
    if (!call) return;
    const tabIds = details.tabId < 0 ? await this.#tabsServedBy(details) : [details.tabId];
    for (const tabId of tabIds) await this.#recordCall(tabId, details.timeStamp, call);
  }

  async #recordCall(tabId: number, observedAt: number, call: AiRequestClassification): Promise<void> {
    await this.#tabs.recordAiCall(tabId, observedAt, {
      host: call.host,
      protocol: call.protocol,
      ...(call.credential && { credentialKind: call.credential.kind }),
      ...(call.account && { account: call.account }),
    });
    await this.#onAiCall?.(tabId, call);
    if (EDGE_SUFFIXES.some((suffix) => call.host.endsWith(suffix))) {
      await this.#tabs.recordSignals(tabId, observedAt, [{ id: 'edge-host-ai-traffic', detail: call.host }]);
    }
  }

  /**
   * The tabs whose top-level page has the origin a worker's request came from: a service worker
   * controls, and a shared worker is connected to, pages of its own origin only.
   */
  async #tabsServedBy(details: RequestDetails): Promise<number[]> {
    const origin = originOf(details.initiator ?? details.originUrl);
    if (!origin || !this.#browserTabs) return [];
    const open = await this.#browserTabs.query({});
    return open.filter((tab) => tab.id !== undefined && tab.id >= 0 && originOf(tab.url) === origin).map((tab) => tab.id!);
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
    // RelayGuard's own status probe asks these routes from the page too, and looks the same here:
    // once the probe was granted, its answer speaks for them (a page's start-up call made before
    // the grant was already counted).
    if (isStatusRoute(pathname) && (await this.#tabs.wasProbeGranted(details.tabId))) return;
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

/** An http(s) URL's or origin's origin, with the host canonical; null for anything else. */
function originOf(url: string | undefined): string | null {
  if (!url || url.length > 4096) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  const host = normalizeHost(parsed.host);
  return host.ok ? `${parsed.protocol}//${host.value.host}:${parsed.port || (parsed.protocol === 'https:' ? '443' : '80')}` : null;
}

/** The first MAX_BODY_CHARS of a body, as text: raw bytes decoded as UTF-8, or form fields as `name=value`. */
function bodyText(body: RequestBody): string {
  if (body.formData) {
    let text = '';
    for (const [name, values] of Object.entries(body.formData)) {
      for (const value of values) {
        if (text.length >= MAX_BODY_CHARS) return text.slice(0, MAX_BODY_CHARS);
        text += `${name.slice(0, 256)}=${String(value).slice(0, MAX_BODY_CHARS)}\n`;
      }
    }
    return text.slice(0, MAX_BODY_CHARS);
  }
  const decoder = new TextDecoder();
  let text = '';
  for (const part of body.raw ?? []) {
    if (!(part.bytes instanceof ArrayBuffer)) continue;
    // No character takes more than four bytes in UTF-8: this many bytes hold the characters still wanted.
    const room = MAX_BODY_CHARS - text.length;
    text += decoder.decode(new Uint8Array(part.bytes, 0, Math.min(part.bytes.byteLength, room * 4)));
    if (text.length >= MAX_BODY_CHARS) break;
  }
  return text.slice(0, MAX_BODY_CHARS);
}

/** No gateway start-up call is longer; a page's longer URL (up to 2 MB) is not parsed for one. */
const MAX_STARTUP_CALL_URL_CHARS = 2048;

function pathnameOf(url: string): string | undefined {
  if (url.length > MAX_STARTUP_CALL_URL_CHARS) return undefined;
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}
