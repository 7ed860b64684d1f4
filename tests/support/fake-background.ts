import { RequestError } from '../../lib/background/message-router.ts';
import { assembleLists, managedView, summarizeLists } from '../../lib/background/list-summary.ts';
import { loadBundledLists } from '../../lib/lists/bundled-lists.ts';
import { parseHostPattern } from '../../lib/core/host-pattern.ts';
import { normalizeHost } from '../../lib/core/host.ts';
import { parseList, type RelayList } from '../../lib/lists/list-schema.ts';
import { subscriptionId, userEntriesAsList } from '../../lib/lists/list-store.ts';
import type { ListProblem } from '../../lib/lists/list-problem.ts';
import { userEntrySchema, type UserEntry } from '../../lib/lists/user-entry.ts';
import { compileMatcher, type SourcedList } from '../../lib/lists/matcher.ts';
import { requestSchema, responseSchemas, type BlockRuleStatus, type ListSummary, type Request, type RequestType, type ResponseFor, type TabVerdictView } from '../../lib/protocol/messages.ts';
import { parseManagedPolicy, policyManages, type ManagedPolicy } from '../../lib/lists/policy.ts';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../../lib/core/settings.ts';
import { parseUserEntriesFile } from '../../lib/lists/user-entries-file.ts';
import { tabVerdictView } from '../../lib/verdicts/tab-view.ts';
import type { HistoryEntry } from '../../lib/history/key-history.ts';
import type { Reason } from '../../lib/verdicts/verdict.ts';
import { buildReport, newReportId } from '../../lib/reports/report-document.ts';
import { parseReportEndpoint } from '../../lib/core/report-endpoint.ts';
import type { ReportStatus } from '../../lib/reports/report-queue.ts';

/**
 * A small in-memory background for component tests of the popup and the options page. It speaks
 * the real protocol: every request is checked with lib/protocol/messages.ts's `requestSchema` (and refused
 * the way the router refuses it), every answer with `responseSchemas` (an off-protocol answer
 * throws, failing the test), and both cross a structured clone as runtime.sendMessage does. The
 * answers come from the real pure parts of the background: pattern and entry validation, the
 * user-entries file format, list parsing, the matcher, precedence and the verdict functions.
 */

export interface FakeTab {
  readonly url: string;
  /** Detection findings that already passed scoring (each argues `unvetted`). */
  readonly detections?: readonly Reason[];
  readonly endpoints?: ReadonlyArray<{ host: string; protocol: string; count: number; credentialKinds: string[] }>;
  readonly family?: TabVerdictView['family'];
  readonly title?: string;
}

export interface FakeSubscription {
  readonly url: string;
  /** The list as fetched (validated with the real list schema when the fake starts). */
  readonly list: unknown;
  readonly fetchedAt: number;
  readonly lastTriedAt: number;
  readonly lastError?: string;
  readonly problem?: ListProblem;
  readonly publicKeys?: string[];
}

export interface FakeBackgroundOptions {
  /** The person's entries, in the stored (wire) form. */
  readonly entries?: readonly unknown[];
  /** A raw managed policy, as chrome.storage.managed would hold it. */
  readonly policy?: unknown;
  readonly settings?: Partial<Settings>;
  readonly tabs?: Readonly<Record<number, FakeTab>>;
  readonly subscriptions?: readonly FakeSubscription[];
  /** What `lists/subscribe` finds at a URL: a list's JSON, or absent for a failed download. */
  readonly remoteLists?: Readonly<Record<string, unknown>>;
  /** What `block-rules/status` answers (default: nothing left out). */
  readonly blockRuleStatus?: BlockRuleStatus;
  readonly now?: () => Date;
  /** The report endpoint in force (the person's or the administrator's). */
  readonly reportEndpoint?: string;
  /** The key history, newest first, as `history/get` answers it. */
  readonly history?: readonly HistoryEntry[];
}

type FakeHandlers = { [T in RequestType]?: (request: Extract<Request, { type: T }>) => ResponseFor<T> | Promise<ResponseFor<T>> };

export class FakeBackground {
  entries: UserEntry[];
  readonly policy: ManagedPolicy;
  settings: Settings;
  readonly tabs: Record<number, FakeTab>;
  subscriptions: Array<FakeSubscription & { list: RelayList }>;
  readonly remoteLists: Record<string, unknown>;
  blockRuleStatus: BlockRuleStatus;
  /** Every request that passed validation, in order. */
  readonly requests: Request[] = [];
  /** Requests the router would refuse as malformed (a protocol drift unless a test expects it). */
  readonly refused: unknown[] = [];
  reportEndpoint: string | null;
  /** Reports sent, newest first, as report/state shows them; tests move them on with settleReport. */
  reports: ReportStatus[] = [];
  history: HistoryEntry[];
  historyRetentionDays = 90;
  readonly #now: () => Date;
  readonly #bundled = loadBundledLists().lists;

  constructor(options: FakeBackgroundOptions = {}) {
    this.entries = (options.entries ?? []).map((entry) => userEntrySchema.parse(entry));
    this.policy = parseManagedPolicy(options.policy);
    this.settings = settingsSchema.parse({ ...DEFAULT_SETTINGS, ...options.settings });
    this.tabs = { ...options.tabs };
    this.subscriptions = (options.subscriptions ?? []).map((subscription) => {
      const list = parseList(subscription.list);
      if (!list.ok) throw new Error(`FakeBackground: subscription ${subscription.url}: ${list.error.message}`);
      return { ...subscription, list: list.value };
    });
    this.remoteLists = { ...options.remoteLists };
    this.blockRuleStatus = options.blockRuleStatus ?? { installed: 0, leftOut: [] };
    this.#now = options.now ?? (() => new Date('2026-11-27T10:00:00Z'));
    this.reportEndpoint = options.reportEndpoint ?? null;
    this.history = [...(options.history ?? [])];
  }

  /** What the delivery queue would record after an attempt. */
  settleReport(id: string, change: Partial<Pick<ReportStatus, 'state' | 'attempts' | 'lastError'>>): void {
    this.reports = this.reports.map((report) => (report.id === id ? { ...report, ...change } : report));
  }

  /** Stands in for runtime.sendMessage. */
  readonly send = async (message: unknown): Promise<unknown> => {
    const parsed = requestSchema.safeParse(structuredClone(message));
    if (!parsed.success) {
      this.refused.push(message);
      const type = typeof message === 'object' && message !== null && 'type' in message ? String(message.type) : 'unknown';
      return { ok: false, error: `Invalid ${type} request: ${parsed.error.issues[0]?.message ?? 'bad shape'}` };
    }
    const request = parsed.data;
    this.requests.push(request);
    const handler = this.#handlers[request.type] as ((request: Request) => unknown) | undefined;
    if (!handler) throw new Error(`The fake background does not answer ${request.type}.`);
    let data: unknown;
    try {
      data = await handler(request);
    } catch (cause) {
      if (cause instanceof RequestError) return { ok: false, error: cause.message };
      throw cause;
    }
    const checked = responseSchemas()[request.type].safeParse(data);
    if (!checked.success) throw new Error(`The fake background's answer to ${request.type} is off-protocol: ${checked.error.message}`);
    return structuredClone({ ok: true, data });
  };

  /** Requests of one type that reached the background. */
  requestsOf<T extends RequestType>(type: T): Extract<Request, { type: T }>[] {
    return this.requests.filter((request): request is Extract<Request, { type: T }> => request.type === type);
  }

  #sourcedLists(): SourcedList[] {
    const userList = this.entries.length > 0 ? { id: 'user', source: 'user' as const, list: userEntriesAsList(this.entries) } : null;
    return assembleLists({ policy: this.policy, userList, subscriptions: this.#storedSubscriptions(), bundled: this.#bundled });
  }

  #storedSubscriptions() {
    return this.subscriptions.map((subscription) => ({ ...subscription, id: subscriptionId(subscription.url) }));
  }

  #summary(): ListSummary[] {
    return summarizeLists(this.#sourcedLists(), this.#storedSubscriptions());
  }

  /** TabVerdicts' view, made by the same function (tabVerdictView) from the fake tab's facts. */
  #verdict(tabId: number): TabVerdictView | null {
    const tab = this.tabs[tabId];
    if (!tab) return null;
    const normalized = normalizeHost(tab.url);
    if (!normalized.ok) return null;
    const { host, display, scope } = normalized.value;
    return tabVerdictView(compileMatcher(this.#sourcedLists()), {
      tabId,
      url: tab.url,
      host,
      hostDisplay: display,
      scope,
      detections: tab.detections ?? [],
      endpoints: tab.endpoints ?? [],
      family: tab.family,
    }, this.policy);
  }

  #putEntry(candidate: unknown): UserEntry {
    const parsed = userEntrySchema.safeParse(candidate);
    // lib/lists/list-store.ts putUserEntry words a refusal exactly so.
    if (!parsed.success) throw new RequestError(parsed.error.issues.map((issue) => issue.message).join('; '));
    this.entries = [...this.entries.filter((entry) => entry.pattern !== parsed.data.pattern), parsed.data];
    return parsed.data;
  }

  readonly #handlers: FakeHandlers = {
    'tab-verdict/get': ({ tabId }) => this.#verdict(tabId),
    'user-entries/list': () => ({
      entries: this.entries,
      managed: managedView(this.policy),
    }),
    'user-entries/put': ({ pattern, level, note }) => {
      // As ListRegistry refuses it, by the same rule.
      const target = parseHostPattern(pattern);
      if (target.ok && policyManages(compileMatcher(this.#sourcedLists()).match(target.value.host), target.value)) {
        throw new RequestError('Your organisation manages this site; your own entry would not change it.');
      }
      return this.#putEntry({ pattern, level, ...(note && { note }), added: this.#now().toISOString() });
    },
    'user-entries/remove': ({ pattern }) => {
      const canonical = parseHostPattern(pattern);
      const key = canonical.ok ? canonical.value.text : pattern;
      const before = this.entries.length;
      this.entries = this.entries.filter((entry) => entry.pattern !== key);
      return { removed: this.entries.length < before };
    },
    'user-entries/import': ({ text }) => {
      const parsed = parseUserEntriesFile(text);
      if (!parsed.ok) throw new RequestError(parsed.error.message);
      for (const entry of parsed.value) this.#putEntry(entry);
      return { imported: parsed.value.length };
    },
    'lists/summary': () => this.#summary(),
    'block-rules/status': () => this.blockRuleStatus,
    'lists/subscribe': ({ url, publicKeys }) => {
      const at = this.#now().getTime();
      if (!(url in this.remoteLists)) throw new RequestError(`The list at ${url} could not be downloaded: HTTP 404.`);
      const parsed = parseList(this.remoteLists[url]);
      if (!parsed.ok) throw new RequestError(parsed.error.message);
      this.subscriptions = [...this.subscriptions.filter((subscription) => subscription.url !== url), { url, list: parsed.value, fetchedAt: at, lastTriedAt: at, ...(publicKeys && { publicKeys }) }];
      return this.#summary().find((list) => list.id === subscriptionId(url))!;
    },
    'lists/update': ({ id }) => {
      const at = this.#now().getTime();
      const subscription = this.subscriptions.find((candidate) => subscriptionId(candidate.url) === id);
      if (!subscription) throw new RequestError('There is no such subscription.');
      const { url } = subscription;
      const parsed = url in this.remoteLists ? parseList(this.remoteLists[url]) : null;
      const updated = parsed?.ok
        ? { url, list: parsed.value, fetchedAt: at, lastTriedAt: at }
        : {
            ...subscription,
            lastTriedAt: at,
            ...(parsed === null
              ? { lastError: 'Could not download the list: the server answered 404.', problem: { code: 'http-status', message: 'Could not download the list: the server answered 404.', detail: '404' } as const }
              : { lastError: parsed.error.message, problem: { code: 'invalid-list', message: parsed.error.message, detail: parsed.error.issues[0] ?? '' } as const }),
          };
      this.subscriptions = this.subscriptions.map((candidate) => (candidate === subscription ? updated : candidate));
      return this.#summary().find((list) => list.id === id)!;
    },
    'lists/unsubscribe': ({ id }) => {
      const before = this.subscriptions.length;
      this.subscriptions = this.subscriptions.filter((subscription) => subscriptionId(subscription.url) !== id);
      return { removed: this.subscriptions.length < before };
    },
    'report/preview': ({ tabId, kind, note }) => {
      const view = this.#verdict(tabId);
      if (!view) throw new RequestError('RelayGuard has seen nothing in this tab to report.');
      const title = this.tabs[tabId]?.title;
      const built = buildReport(
        { ...view, ...(title !== undefined && { title }), lists: this.#summary().map(({ name, version }) => ({ name, version })) },
        { kind, ...(note !== undefined && { note }) },
        { id: newReportId(), now: this.#now().getTime(), extensionVersion: '0.0.0-test' },
      );
      if (!built.ok) throw new RequestError(built.error);
      return built.value;
    },
    'report/send': ({ document }) => {
      // As the queue refuses it (lib/reports/report-queue.ts enqueue).
      if (this.reportEndpoint === null) throw new RequestError('No report endpoint is configured.');
      const existing = this.reports.find((report) => report.id === document.id);
      if (existing) return existing;
      const at = this.#now().getTime();
      const status: ReportStatus = { id: document.id, state: 'queued', kind: document.kind, host: document.host, createdAt: at, attempts: 0, nextAttemptAt: at };
      this.reports = [status, ...this.reports];
      return status;
    },
    'history/get': () => ({ entries: this.history, retentionDays: this.historyRetentionDays }),
    'history/keys-sent': ({ tabId }) => {
      const tab = this.tabs[tabId];
      const host = tab ? normalizeHost(tab.url) : null;
      return host?.ok ? this.history.filter((entry) => entry.kind === 'key-sent' && entry.pageHost === host.value.host) : [];
    },
    'history/export': () => ({ schema: 'relayguard.history/1', exportedAt: this.#now().toISOString(), retentionDays: this.historyRetentionDays, entries: this.history }),
    'history/clear': () => {
      this.history = [];
      return { cleared: true };
    },
    'history/set-retention': ({ days }) => {
      this.historyRetentionDays = days;
      return { retentionDays: days };
    },
    'report/state': () => ({ endpoint: this.reportEndpoint, managed: false, reports: this.reports }),
    'report/retry': ({ id }) => {
      const report = this.reports.find((candidate) => candidate.id === id);
      if (report?.state !== 'failed') throw new RequestError('Only a failed report can be sent again.');
      this.settleReport(id, { state: 'queued', attempts: 0 });
      return this.reports.find((candidate) => candidate.id === id)!;
    },
    'report/set-endpoint': ({ endpoint }) => {
      if (endpoint === null || endpoint.trim() === '') this.reportEndpoint = null;
      else {
        const parsed = parseReportEndpoint(endpoint);
        if (!parsed.ok) throw new RequestError(parsed.error);
        this.reportEndpoint = parsed.value;
      }
      return { endpoint: this.reportEndpoint, managed: false, reports: this.reports };
    },
    'settings/get': () => this.settings,
    'settings/set': ({ changes }) => {
      this.settings = settingsSchema.parse({ ...this.settings, ...changes });
      return this.settings;
    },
  };
}
