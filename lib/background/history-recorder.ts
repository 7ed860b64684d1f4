import type { AiRequestClassification } from '../detection/ai-request.ts';
import { InFlight } from '../core/in-flight.ts';
import {
  createKeyHistory,
  keySentEvent,
  parseRetentionDays,
  type HistoryDatabase,
  type HistoryEventInput,
  type KeyHistory,
} from '../history/key-history.ts';
import { riskOf, type Verdict, type VerdictLevel } from '../verdicts/verdict.ts';
import type { MessageRouter } from './message-router.ts';
import type { TabVerdicts } from './tab-verdicts.ts';

/** Where the person's retention setting is kept (storage.local), in days. */
const HISTORY_RETENTION_KEY = 'historyRetentionDays';

export interface HistoryRecorderDeps {
  readonly tabs: Pick<TabVerdicts, 'get' | 'pageHost' | 'onChange'>;
  readonly router: MessageRouter;
  readonly openDatabase: () => Promise<HistoryDatabase>;
  readonly local: {
    get(key: string): Promise<Record<string, unknown>>;
    set(items: Record<string, unknown>): Promise<void>;
  };
  readonly now: () => number;
  /** Problems worth a line in the worker's console: never a key, only what failed. */
  readonly report: (problem: string) => void;
}

/**
 * "Where your keys went", in the service worker: records relays the person visits (a tab's
 * page judged unvetted or blocked on its own), AI calls to unvetted or blocked endpoints, and
 * vendor credentials sent to a host that is not the vendor's (from the request observer's
 * classification, which hands out a key's last four characters only). Answers the options
 * page's timeline, export, clear and retention requests and the popup's "your key ending …".
 */
export class HistoryRecorder {
  readonly #deps: HistoryRecorderDeps;
  readonly #inFlight = new InFlight();
  #database: Promise<HistoryDatabase> | null = null;

  constructor(deps: HistoryRecorderDeps) {
    this.#deps = deps;
    deps.tabs.onChange((tabId, verdict) => void this.#inFlight.track(this.#notePage(tabId, verdict)));
    deps.router.register({
      'history/get': async () => {
        const history = await this.#history();
        return { entries: await history.list(), retentionDays: await this.#retentionDays() };
      },
      'history/keys-sent': async ({ tabId }) => {
        const pageHost = await deps.tabs.pageHost(tabId);
        return pageHost ? (await this.#history()).keysSentFrom(pageHost) : [];
      },
      'history/export': async () => (await this.#history()).export(),
      'history/clear': async () => {
        await (await this.#history()).clear();
        return { cleared: true };
      },
      'history/set-retention': async ({ days }) => {
        await deps.local.set({ [HISTORY_RETENTION_KEY]: days });
        await (await this.#history()).prune();
        return { retentionDays: await this.#retentionDays() };
      },
    });
  }

  /** Whether the recording its listeners started has all finished. */
  get idle(): boolean {
    return this.#inFlight.idle;
  }

  /** Resolves once the recording its listeners started has finished (what tests wait on). */
  whenIdle(): Promise<void> {
    return this.#inFlight.whenIdle();
  }

  /** The request observer's hook: one AI call a tab's page made, after its evidence is recorded. */
  noteAiCall(tabId: number, call: AiRequestClassification): Promise<void> {
    return this.#inFlight.track(this.#noteAiCall(tabId, call));
  }

  async #noteAiCall(tabId: number, call: AiRequestClassification): Promise<void> {
    const [view, pageHost] = await Promise.all([this.#deps.tabs.get(tabId), this.#deps.tabs.pageHost(tabId)]);
    const level = view?.endpoints.find((endpoint) => endpoint.host === call.host)?.level;
    if (!pageHost || !level) return;
    const events: HistoryEventInput[] = [];
    if (isRisky(level)) events.push({ kind: 'ai-call', pageHost, endpointHost: call.host, protocol: call.protocol, level });
    const keySent = keySentEvent({ credential: call.credential, pageHost, endpointHost: call.host, endpointLevel: level });
    if (keySent) events.push(keySent);
    await this.#record(events);
  }

  /** A relay visit is the page's own verdict: the worst reason that is not an endpoint's. */
  async #notePage(tabId: number, verdict: Verdict): Promise<void> {
    const own = verdict.reasons.filter((reason) => reason.kind !== 'endpoint').reduce<VerdictLevel>((worst, reason) => (riskOf(reason.level) > riskOf(worst) ? reason.level : worst), 'unknown');
    if (!isRisky(own)) return;
    const pageHost = await this.#deps.tabs.pageHost(tabId);
    if (pageHost) await this.#record([{ kind: 'relay-visit', pageHost, level: own }]);
  }

  async #record(events: readonly HistoryEventInput[]): Promise<void> {
    if (events.length === 0) return;
    try {
      const history = await this.#history();
      for (const event of events) {
        if (!(await history.record(event))) this.#deps.report(`History: a ${event.kind} event was refused as invalid.`);
      }
    } catch (cause) {
      this.#deps.report(`History: could not record (${cause instanceof Error ? cause.name : 'error'}).`);
    }
  }

  async #retentionDays(): Promise<number> {
    return parseRetentionDays((await this.#deps.local.get(HISTORY_RETENTION_KEY))[HISTORY_RETENTION_KEY]);
  }

  async #history(): Promise<KeyHistory> {
    // A failed open is not kept: the next use tries again.
    this.#database ??= this.#deps.openDatabase().catch((cause: unknown) => {
      this.#database = null;
      throw cause;
    });
    const [db, days] = await Promise.all([this.#database, this.#retentionDays()]);
    return createKeyHistory({ db, now: this.#deps.now, retentionDays: () => days });
  }
}

function isRisky(level: VerdictLevel): level is 'unvetted' | 'blocked' {
  return level === 'unvetted' || level === 'blocked';
}
