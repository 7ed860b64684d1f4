/**
 * In-memory stand-ins for the extension APIs WXT's fakeBrowser does not implement
 * (declarativeNetRequest, webRequest) or implements too leniently for a test to see a failure
 * (fakeBrowser.action accepts any tab id; a real browser rejects a closed tab's id). Each does
 * the smallest faithful thing: it keeps the state the browser would keep, rejects what the
 * browser rejects, and records what was asked of it so a test can assert the calls themselves.
 */
import type { browser as browserApi } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { DnrRule } from '../../lib/lists/block-rules.ts';
import type { TabVerdictView } from '../../lib/protocol/messages.ts';

type BrowserApi = typeof browserApi;

// ——— webNavigation ———

export type CommittedDetails = Parameters<typeof fakeBrowser.webNavigation.onCommitted.trigger>[0];

/** webNavigation.onCommitted details as Chromium delivers them for a top-level document (frameId 0). */
export function committedDetails(tabId: number, url: string, timeStamp: number, frameId = 0): CommittedDetails {
  return {
    tabId,
    url,
    frameId,
    parentFrameId: frameId === 0 ? -1 : 0,
    processId: 11,
    timeStamp,
    transitionType: 'link',
    transitionQualifiers: [],
    documentId: `doc-${tabId}-${frameId}-${timeStamp}`,
    documentLifecycle: 'active',
    frameType: frameId === 0 ? 'outermost_frame' : 'sub_frame',
  } as CommittedDetails;
}

// ——— declarativeNetRequest ———

interface DnrUpdate {
  readonly removeRuleIds?: number[];
  readonly addRules?: DnrRule[];
}

type DnrCall =
  | { readonly method: 'getDynamicRules' | 'getSessionRules' }
  | { readonly method: 'updateDynamicRules' | 'updateSessionRules'; readonly options: DnrUpdate };

export interface DnrStandIn {
  /** Pass where `browser.declarativeNetRequest` is expected. */
  readonly api: BrowserApi['declarativeNetRequest'];
  /** The installed rules (copies). */
  dynamicRules(): DnrRule[];
  sessionRules(): DnrRule[];
  /** Every call in the order it was made (logged when the call starts). */
  readonly calls: DnrCall[];
  /** Every call's start and end, to see whether two operations interleaved. */
  readonly timeline: string[];
  /** Makes the next calls of `method` wait for `gate` before doing anything. */
  hold(method: DnrCall['method'], gate: Promise<void>): void;
  /** Makes the next call of `method` reject with `error` (as the browser does on a bad rule). */
  failNext(method: DnrCall['method'], error: Error): void;
}

const clone = <T>(value: T): T => structuredClone(value);

/**
 * Dynamic and session rules, each its own id space. Updates apply removals, then additions, all
 * or nothing, and reject as Chrome does when an added rule's id is not unique or not a positive
 * integer. Every call crosses an `await`, as the real IPC does, so unserialised callers interleave.
 */
export function createDnrStandIn(initial: { dynamic?: DnrRule[]; session?: DnrRule[] } = {}): DnrStandIn {
  const rulesets = { dynamic: new Map<number, DnrRule>(), session: new Map<number, DnrRule>() };
  for (const rule of initial.dynamic ?? []) rulesets.dynamic.set(rule.id, clone(rule));
  for (const rule of initial.session ?? []) rulesets.session.set(rule.id, clone(rule));
  const calls: DnrCall[] = [];
  const timeline: string[] = [];
  const holds = new Map<DnrCall['method'], Promise<void>>();
  const failures = new Map<DnrCall['method'], Error>();

  const enter = async (method: DnrCall['method']) => {
    timeline.push(`${method}:start`);
    await Promise.resolve();
    const gate = holds.get(method);
    if (gate) await gate;
    const failure = failures.get(method);
    if (failure) {
      failures.delete(method);
      timeline.push(`${method}:failed`);
      throw failure;
    }
  };

  const get = (which: 'dynamic' | 'session', method: 'getDynamicRules' | 'getSessionRules') => async (): Promise<DnrRule[]> => {
    calls.push({ method });
    await enter(method);
    const rules = [...rulesets[which].values()].map(clone);
    timeline.push(`${method}:end`);
    return rules;
  };

  const update = (which: 'dynamic' | 'session', method: 'updateDynamicRules' | 'updateSessionRules') => async (options: DnrUpdate): Promise<void> => {
    calls.push({ method, options: clone(options) });
    await enter(method);
    const next = new Map(rulesets[which]);
    for (const id of options.removeRuleIds ?? []) next.delete(id);
    for (const rule of options.addRules ?? []) {
      const problem = !Number.isSafeInteger(rule.id) || rule.id < 1 ? 'a valid' : next.has(rule.id) ? 'a unique' : null;
      if (problem) {
        timeline.push(`${method}:failed`);
        throw new Error(`Rule with id ${rule.id} does not have ${problem} ID.`);
      }
      next.set(rule.id, clone(rule));
    }
    rulesets[which] = next;
    timeline.push(`${method}:end`);
  };

  const api = {
    getDynamicRules: get('dynamic', 'getDynamicRules'),
    getSessionRules: get('session', 'getSessionRules'),
    updateDynamicRules: update('dynamic', 'updateDynamicRules'),
    updateSessionRules: update('session', 'updateSessionRules'),
  };

  return {
    api: api as unknown as BrowserApi['declarativeNetRequest'],
    dynamicRules: () => [...rulesets.dynamic.values()].map(clone),
    sessionRules: () => [...rulesets.session.values()].map(clone),
    calls,
    timeline,
    hold: (method, gate) => void holds.set(method, gate),
    failNext: (method, error) => void failures.set(method, error),
  };
}

// ——— webRequest ———

interface Registration {
  readonly filter: unknown;
  readonly extraInfoSpec: unknown;
}

type Listener = (details: never) => unknown;

class RecordingEvent {
  readonly registrations: Registration[] = [];
  readonly #listeners: Listener[] = [];

  addListener(listener: Listener, filter: unknown, extraInfoSpec?: unknown): void {
    this.#listeners.push(listener);
    this.registrations.push({ filter: clone(filter), extraInfoSpec: clone(extraInfoSpec) });
  }

  hasListeners(): boolean {
    return this.#listeners.length > 0;
  }

  /** Delivers `details` as the browser does: to every listener, not waiting for what they do. */
  dispatch(details: object): void {
    for (const listener of this.#listeners) listener(clone(details) as never);
  }
}

export interface WebRequestStandIn {
  readonly api: BrowserApi['webRequest'];
  readonly onBeforeSendHeaders: RecordingEvent;
  readonly onHeadersReceived: RecordingEvent;
  readonly onBeforeRedirect: RecordingEvent;
  readonly onBeforeRequest: RecordingEvent;
  readonly onErrorOccurred: RecordingEvent;
}

/**
 * `browser.webRequest` as Chromium has it (the option enums advertise EXTRA_HEADERS) or as
 * Firefox has it (no EXTRA_HEADERS; Firefox rejects `extraHeaders` in extraInfoSpec).
 */
export function createWebRequestStandIn({ extraHeaders }: { extraHeaders: boolean }): WebRequestStandIn {
  const extra = extraHeaders ? { EXTRA_HEADERS: 'extraHeaders' } : {};
  const onBeforeSendHeaders = new RecordingEvent();
  const onHeadersReceived = new RecordingEvent();
  const onBeforeRedirect = new RecordingEvent();
  const onBeforeRequest = new RecordingEvent();
  const onErrorOccurred = new RecordingEvent();
  const api = {
    OnBeforeSendHeadersOptions: { BLOCKING: 'blocking', REQUEST_HEADERS: 'requestHeaders', ...extra },
    OnHeadersReceivedOptions: { BLOCKING: 'blocking', RESPONSE_HEADERS: 'responseHeaders', ...extra },
    onBeforeSendHeaders,
    onHeadersReceived,
    onBeforeRedirect,
    onBeforeRequest,
    onErrorOccurred,
  };
  return { api: api as unknown as BrowserApi['webRequest'], onBeforeSendHeaders, onHeadersReceived, onBeforeRedirect, onBeforeRequest, onErrorOccurred };
}

// ——— action ———

type Action = BrowserApi['action'];

/**
 * fakeBrowser.action, except that setting anything on a tab that does not exist (any more)
 * rejects as Chrome does (`No tab with id: 7.`). `withTextColor: false` is Firefox before 105
 * and MV2's browserAction: no setBadgeTextColor.
 */
export function actionForOpenTabs({ withTextColor = true }: { withTextColor?: boolean } = {}): Action {
  const real = fakeBrowser.action;
  const requireTab = async (details: { tabId?: number }) => {
    if (details.tabId !== undefined && (await fakeBrowser.tabs.get(details.tabId)) === undefined) {
      throw new Error(`No tab with id: ${details.tabId}.`);
    }
  };
  const guarded = <D extends { tabId?: number }>(set: (details: D) => Promise<void>) => async (details: D) => {
    await requireTab(details);
    await set(details);
  };
  return {
    ...real,
    setBadgeText: guarded(real.setBadgeText),
    setBadgeBackgroundColor: guarded(real.setBadgeBackgroundColor),
    setTitle: guarded(real.setTitle),
    setBadgeTextColor: withTextColor ? guarded(real.setBadgeTextColor) : undefined,
  } as unknown as Action;
}

/** Commits a top-level document in `tabId` and waits until TabVerdicts has stored and announced it. */
export async function commitPage(tabs: { onChange(listener: (tabId: number) => void): () => void }, tabId: number, url: string, timeStamp: number): Promise<void> {
  const announced = new Promise<void>((resolve) => {
    const stop = tabs.onChange((changed) => {
      if (changed !== tabId) return;
      stop();
      resolve();
    });
  });
  await fakeBrowser.webNavigation.onCommitted.trigger(committedDetails(tabId, url, timeStamp));
  await announced;
}

/** What TabVerdicts answers for a public page commitPage committed and nothing was seen on since. */
export function quietPageView(tabId: number, url: string): TabVerdictView {
  return { tabId, url, hostDisplay: new URL(url).hostname, level: 'unknown', reasons: [], endpoints: [], family: undefined, control: { userEntry: null, managed: false } };
}
