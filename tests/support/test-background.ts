/**
 * The service worker exactly as entrypoints/background.ts builds it (createBackground), over
 * fakes of the browser APIs only: WXT's fakeBrowser, the stand-ins of extension-apis.ts for what
 * it lacks, an in-memory IndexedDB, and recorders for what leaves the worker (scripts run in
 * pages, messages sent to tabs, tabs opened). Requests reach it as they do in the browser:
 * through runtime.onMessage, validated by the real router.
 */
import { IDBFactory } from 'fake-indexeddb';
import type { browser as browserApi } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import english from '../../public/_locales/en/messages.json' with { type: 'json' };
import { createBackground, type Background, type BackgroundBrowser } from '../../lib/background/create-background.ts';
import { PAGE_WATCH_SCRIPT } from '../../lib/background/existing-tabs.ts';
import { RequestError, type Sender } from '../../lib/background/message-router.ts';
import { formatMessage, type MessagesJson } from '../../lib/core/i18n.ts';
import type { Envelope, Request, ResponseFor } from '../../lib/protocol/messages.ts';
import { actionForOpenTabs, createDnrStandIn, createWebRequestStandIn, type DnrStandIn, type WebRequestStandIn } from './extension-apis.ts';

type BrowserApi = typeof browserApi;

/** Where the background ran the page guard, or tried to. */
export interface ScriptRun {
  readonly tabId: number;
  readonly documentId: string | undefined;
}

export interface TestBackgroundOptions {
  /** The IndexedDB the worker stores lists in (a fresh one unless given). */
  readonly indexedDB?: IDBFactory;
  readonly dnr?: DnrStandIn;
  readonly now?: () => Date;
  /** Problems the worker reports land here (a test asserts on them). */
  readonly reports?: string[];
}

export interface TestBackground extends Background {
  readonly dnr: DnrStandIn;
  readonly webRequest: WebRequestStandIn;
  /** Every document the worker ran the page guard in, or tried to (scripting.executeScript). */
  readonly guardRuns: ScriptRun[];
  /** Every tab the worker ran the page watch in, or tried to (tabs open before an install or update). */
  readonly watchRuns: { tabId: number; allFrames: boolean }[];
  /** Tabs where scripting.executeScript rejects (a browser page, the web store, a document gone). */
  readonly unscriptable: Set<number>;
  /** Every message the worker sent a tab's top frame (tabs.sendMessage). */
  readonly tabMessages: { tabId: number; message: { type: string } }[];
  /** Every tab the worker opened (tabs.create). */
  readonly openedTabs: Parameters<BrowserApi['tabs']['create']>[0][];
  /** Every browser notification the worker showed (notifications.create). */
  readonly notifications: { id: string; title: string; message: string; iconUrl: string }[];
  readonly reports: string[];
}

/** Builds the worker over the fakes; call after fakeBrowser.reset(). */
export function startTestBackground(options: TestBackgroundOptions = {}): TestBackground {
  const dnr = options.dnr ?? createDnrStandIn();
  const webRequest = createWebRequestStandIn({ extraHeaders: true });
  const guardRuns: ScriptRun[] = [];
  const watchRuns: TestBackground['watchRuns'] = [];
  const unscriptable = new Set<number>();
  const tabMessages: TestBackground['tabMessages'] = [];
  const openedTabs: TestBackground['openedTabs'] = [];
  const notifications: TestBackground['notifications'] = [];
  const reports = options.reports ?? [];

  const browser = {
    ...fakeBrowser,
    declarativeNetRequest: dnr.api,
    webRequest: webRequest.api,
    action: actionForOpenTabs(),
    notifications: {
      create: async (id: string, options: { title: string; message: string; iconUrl: string }) => {
        notifications.push({ id, title: options.title, message: options.message, iconUrl: options.iconUrl });
        return id;
      },
    },
    i18n: { ...fakeBrowser.i18n, getMessage: (key: string, substitutions?: string | string[]) => formatMessage(english as MessagesJson, key, typeof substitutions === 'string' ? [substitutions] : substitutions) },
    scripting: {
      ...fakeBrowser.scripting,
      executeScript: async (injection: { target: { tabId: number; documentIds?: string[]; allFrames?: boolean }; files: string[] }) => {
        const { tabId, documentIds } = injection.target;
        if (injection.files.includes(PAGE_WATCH_SCRIPT)) {
          watchRuns.push({ tabId, allFrames: injection.target.allFrames ?? false });
          if (unscriptable.has(tabId)) throw new Error('Cannot access contents of the page.');
          return [];
        }
        guardRuns.push({ tabId, documentId: documentIds?.[0] });
        if (unscriptable.has(tabId)) throw new Error('Cannot access contents of the page.');
        return [];
      },
    },
    tabs: {
      ...fakeBrowser.tabs,
      sendMessage: async (tabId: number, message: { type: string }) => {
        tabMessages.push({ tabId, message: structuredClone(message) });
      },
      create: async (properties: Parameters<BrowserApi['tabs']['create']>[0]) => {
        openedTabs.push(structuredClone(properties));
        return fakeBrowser.tabs.create(properties);
      },
    },
  } as unknown as BackgroundBrowser;

  const background = createBackground({
    browser,
    indexedDB: options.indexedDB ?? new IDBFactory(),
    fetch: (input, init) => fetch(input, init),
    report: (problem) => void reports.push(problem),
    ...(options.now && { now: options.now }),
  });
  return { ...background, dnr, webRequest, guardRuns, watchRuns, unscriptable, tabMessages, openedTabs, notifications, reports };
}

/**
 * Sends a request as runtime.sendMessage does from `sender`, and answers what the worker
 * answered: the data, or a RequestError with the error it gave.
 */
export async function ask<R extends Request>(request: R, sender: Sender): Promise<ResponseFor<R['type']>> {
  const replies = await fakeBrowser.runtime.onMessage.trigger(structuredClone(request), sender, () => {
    throw new Error('the router must answer with a promise, not sendResponse');
  });
  const answer = replies.find((reply) => reply !== undefined) as Envelope<ResponseFor<R['type']>> | undefined;
  if (!answer) throw new Error(`Nothing answered ${request.type}.`);
  if (!answer.ok) throw new RequestError(answer.error);
  return answer.data;
}

/** The message of the RequestError a handler refused with; anything else (an answer, another error) fails. */
export async function refusal(pending: Promise<unknown>): Promise<string> {
  let outcome: unknown;
  try {
    outcome = await pending;
  } catch (error) {
    if (error instanceof RequestError) return error.message;
    throw new Error(`expected a RequestError, got ${String(error)}`, { cause: error });
  }
  throw new Error(`expected a RequestError, got the answer ${JSON.stringify(outcome)}`);
}
