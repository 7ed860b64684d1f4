import { parseReportEndpoint } from '../core/report-endpoint.ts';
import { buildReport, newReportId } from '../reports/report-document.ts';
import {
  createReportQueue,
  type AlarmsApi,
  type ReportDatabase,
  type ReportQueue,
} from '../reports/report-queue.ts';
import type { ReportStateView, TabVerdictView } from '../protocol/messages.ts';
import { RequestError, type MessageRouter } from './message-router.ts';

/** Where the person's own report endpoint is kept (storage.local); the administrator's wins. */
const REPORT_ENDPOINT_KEY = 'reportEndpoint';

export interface ReportDeliveryDeps {
  readonly router: MessageRouter;
  readonly alarms: AlarmsApi;
  readonly openDatabase: () => Promise<ReportDatabase>;
  /** Used for report deliveries only. */
  readonly fetch: typeof fetch;
  /** What the popup shows for a tab (TabVerdicts.get). */
  readonly tabVerdict: (tabId: number) => Promise<TabVerdictView | null>;
  readonly tabTitle: (tabId: number) => Promise<string | undefined>;
  /** The lists in force, by name and version (ListRegistry.summary once ready). */
  readonly lists: () => Promise<readonly { name: string; version: string }[]>;
  readonly extensionVersion: () => string;
  /** The managed `reportEndpoint`, unparsed (storage.managed), or undefined. */
  readonly managedEndpoint: () => Promise<unknown>;
  readonly local: {
    get(key: string): Promise<Record<string, unknown>>;
    set(items: Record<string, unknown>): Promise<void>;
    remove(key: string): Promise<void>;
  };
  readonly now: () => number;
  readonly random?: () => number;
  readonly report: (problem: string) => void;
}

/**
 * Reporting in the service worker: the delivery queue (its alarm listener registered now,
 * synchronously), the report endpoint in force, and the popup's and options page's report
 * requests. The background builds the preview, so what the popup shows is the document that
 * is sent; `report/send` accepts only a document the report schema passes (lib/protocol).
 */
export function registerReportDelivery(deps: ReportDeliveryDeps): ReportQueue {
  const managed = async (): Promise<string | null> => {
    let raw: unknown;
    try {
      raw = await deps.managedEndpoint();
    } catch {
      // No managed storage (Firefox without policies): no managed endpoint.
      return null;
    }
    if (raw === undefined) return null;
    const parsed = typeof raw === 'string' ? parseReportEndpoint(raw) : null;
    if (!parsed?.ok) {
      deps.report(`Managed policy: reportEndpoint ${parsed ? parsed.error : 'is not a string.'}`);
      return null;
    }
    return parsed.value;
  };

  const personal = async (): Promise<string | null> => {
    const raw = (await deps.local.get(REPORT_ENDPOINT_KEY))[REPORT_ENDPOINT_KEY];
    if (typeof raw !== 'string') return null;
    const parsed = parseReportEndpoint(raw);
    return parsed.ok ? parsed.value : null;
  };

  const endpointInForce = async () => {
    const fromPolicy = await managed();
    return fromPolicy === null ? { endpoint: await personal(), managed: false } : { endpoint: fromPolicy, managed: true };
  };

  const queue = createReportQueue({
    openDatabase: deps.openDatabase,
    fetch: deps.fetch,
    alarms: deps.alarms,
    endpoint: async () => (await endpointInForce()).endpoint,
    now: deps.now,
    random: deps.random ?? Math.random,
  });
  queue.start().catch((cause: unknown) => deps.report(`Report delivery could not resume: ${String(cause)}`));

  const state = async (): Promise<ReportStateView> => ({ ...(await endpointInForce()), reports: await queue.list() });

  deps.router.register({
    'report/preview': async ({ tabId, kind, note }) => {
      const view = await deps.tabVerdict(tabId);
      if (!view) throw new RequestError('RelayGuard has seen nothing in this tab to report.');
      const title = await deps.tabTitle(tabId).catch(() => undefined);
      const built = buildReport(
        { ...view, ...(title !== undefined && { title }), lists: await deps.lists() },
        { kind, ...(note !== undefined && { note }) },
        { id: newReportId(), now: deps.now(), extensionVersion: deps.extensionVersion() },
      );
      if (!built.ok) throw new RequestError(built.error);
      return built.value;
    },
    'report/send': async ({ document }) => {
      const queued = await queue.enqueue(document);
      if (!queued.ok) throw new RequestError(queued.error);
      return queued.value;
    },
    'report/state': state,
    'report/retry': async ({ id }) => {
      const retried = await queue.retry(id);
      if (!retried.ok) throw new RequestError(retried.error);
      return retried.value;
    },
    'report/set-endpoint': async ({ endpoint }) => {
      if ((await managed()) !== null) throw new RequestError('Your organisation sets where reports go; it cannot be changed here.');
      if (endpoint === null || endpoint.trim() === '') {
        await deps.local.remove(REPORT_ENDPOINT_KEY);
      } else {
        const parsed = parseReportEndpoint(endpoint);
        if (!parsed.ok) throw new RequestError(parsed.error);
        await deps.local.set({ [REPORT_ENDPOINT_KEY]: parsed.value });
        // Reports that waited for an endpoint can go now.
        void queue.flush().catch(() => undefined);
      }
      return state();
    },
  });
  return queue;
}
