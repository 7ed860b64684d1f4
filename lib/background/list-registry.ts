import { compileMatcher, type Matcher, type SourcedList } from '../lists/matcher.ts';
import type { ListSummary } from '../protocol/messages.ts';
import { assembleLists, managedView, summarizeLists } from './list-summary.ts';
import {
  loadListDetails,
  loadSubscriptions,
  loadUserEntries,
  putUserEntries,
  putUserEntry,
  removeUserEntry,
  subscriptionId,
  userEntriesAsList,
  type ListDatabase,
  type StoredSubscription,
} from '../lists/list-store.ts';
import type { UserEntry } from '../lists/user-entry.ts';
import { policyManages, type ManagedPolicy, type PolicyTarget } from '../lists/policy.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { UpdateOutcome, UpdateTarget } from '../lists/subscription-update.ts';
import type { ListProblem } from '../lists/list-problem.ts';
import { SubscriptionUpdates, type AppliedUpdate } from './subscription-updates.ts';
import { parseHostPattern } from '../core/host-pattern.ts';
import { parseUserEntriesFile } from '../lists/user-entries-file.ts';
import { RequestError, type HandlerTable, type MessageRouter } from './message-router.ts';
import { ManagedPolicySource, type PolicyCache } from './managed-policy-source.ts';

export interface ListRegistryDeps {
  readonly bundled: readonly SourcedList[];
  readonly openDatabase: () => Promise<ListDatabase>;
  readonly readManagedPolicy: () => Promise<unknown>;
  /** The last managed policy seen (storage.local), so a start never waits on storage.managed (managed-policy-source.ts). */
  readonly policyCache?: PolicyCache;
  /** One update of a subscribed list from the network (lib/lists/subscription-update.ts). */
  readonly fetchUpdate: (target: UpdateTarget) => Promise<UpdateOutcome>;
  readonly report: (problem: string) => void;
  /** When an entry of the person's is added (its `added` date). */
  readonly now?: () => Date;
  /** Where its requests arrive (absent in tests of this component alone). */
  readonly router?: MessageRouter;
  /** In [0, 1): spreads refresh times (Math.random unless a test fixes it). */
  readonly random?: () => number;
  /** A refused update in the person's language (lib/lists/list-problem-text.ts); the English message without it. */
  readonly describeProblem?: (problem: ListProblem) => string;
}

/** One of the person's own entries as they ask for it; the registry dates it. */
export type UserEntryInput = Pick<UserEntry, 'pattern' | 'level' | 'note'>;

/** Told after every change to the lists; the change is complete once every listener's promise settles. */
type ChangeListener = () => unknown;

/**
 * Owns every list RelayGuard knows and the one matcher compiled from them, and is the only
 * writer of the stored ones (subscriptions and the person's own entries). The bundled lists
 * answer from the first instant; stored and managed lists join when `ready()` resolves, and every
 * change recompiles the matcher and tells listeners (tab verdicts, the block rules). A change
 * resolves only once every listener has applied it: a navigation right after must obey it.
 *
 * About 390 lines, because being the one writer of every stored list is the point: the person's
 * entries, the subscriptions and their requests meet here, around one matcher. The administrator's
 * policy (live and cached, its locks and its subscriptions) is managed-policy-source.ts; the pure
 * parts are list-summary.ts; how a subscription update is fetched and written is
 * lib/lists/subscription-update.ts and subscription-updates.ts.
 */
export class ListRegistry {
  readonly #deps: ListRegistryDeps;
  readonly #listeners = new Set<ChangeListener>();
  readonly #scheduleListeners = new Set<() => unknown>();
  readonly #updates: SubscriptionUpdates;
  #database: Promise<ListDatabase> | null = null;
  #subscriptions: StoredSubscription[] = [];
  #userList: SourcedList | null = null;
  readonly #policySource: ManagedPolicySource;
  #matcher: Matcher;
  #loaded: Promise<void> | null = null;
  #detailsLoaded: Promise<void> | null = null;
  /** URLs whose dropped stored copy is being downloaded again in this worker's life. */
  readonly #refetching = new Set<string>();

  constructor(deps: ListRegistryDeps) {
    this.#deps = deps;
    this.#policySource = new ManagedPolicySource({ readManagedPolicy: deps.readManagedPolicy, policyCache: deps.policyCache, report: deps.report, lists: this });
    this.#updates = new SubscriptionUpdates({
      db: () => this.#db(),
      fetchUpdate: deps.fetchUpdate,
      now: () => this.#now().getTime(),
      random: deps.random ?? Math.random,
      requiredMinutes: (url) => this.#policySource.requiredMinutes(url),
    });
    this.#matcher = compileMatcher(deps.bundled);
    deps.router?.register(this.#handlers());
  }

  get matcher(): Matcher {
    return this.#matcher;
  }

  get policy(): ManagedPolicy {
    return this.#policySource.policy;
  }

  /** Resolves once stored and managed lists are in the matcher; safe to call any number of times. */
  ready(): Promise<void> {
    this.#loaded ??= this.#loadAll();
    return this.#loaded;
  }

  /**
   * Resolves once the stored lists' details (category, reason, evidence) are read too: what
   * anything that shows a hit waits for. Decisions need only `ready()`.
   */
  async detailsReady(): Promise<void> {
    await this.ready();
    await this.#detailsLoaded;
  }

  /** Called after every change to the lists (not for the initial load of what was stored). */
  onChange(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Resolves once the policy in force is the one storage.managed answers now, not the cached one:
   * what a lock (allowProceed, disableUserLists) is checked against before it lets anything through.
   */
  livePolicy(): Promise<ManagedPolicy> {
    return this.#policySource.live();
  }

  /** The administrator changed the policy while the browser runs: apply it, keep everything else. */
  reloadPolicy(): Promise<void> {
    return this.#policySource.reload(this.ready()).then((changed) => (changed ? this.#recompile() : undefined));
  }

  /**
   * Whether the administrator's policy decides every host `target` names (policyManages): the
   * person's own entry for it would change nothing.
   */
  manages(target: PolicyTarget): boolean {
    return policyManages(this.#matcher.match(target.host), target);
  }

  /** The person's own entries as stored. */
  async userEntries(): Promise<UserEntry[]> {
    await this.ready();
    return (await loadUserEntries(await this.#db())).records;
  }

  /** Adds or replaces one of the person's entries; an invalid pattern is refused in words. */
  async putUserEntry(entry: UserEntryInput): Promise<Result<UserEntry, string>> {
    await this.ready();
    const stored = await putUserEntry(await this.#db(), { ...entry, added: this.#now().toISOString() });
    if (stored.ok) await this.#userEntriesChanged();
    return stored;
  }

  /** Removes the person's entry for `pattern` (any spelling of it); false when there was none. */
  async removeUserEntry(pattern: string): Promise<boolean> {
    await this.ready();
    const removed = await removeUserEntry(await this.#db(), pattern);
    await this.#userEntriesChanged();
    return removed;
  }

  /** Adds or replaces every entry of an already validated import, all in one transaction. */
  async importUserEntries(entries: readonly UserEntry[]): Promise<void> {
    await this.ready();
    await putUserEntries(await this.#db(), entries);
    await this.#userEntriesChanged();
  }

  /** The stored subscriptions (as in force now), for the refresh schedule. */
  subscriptions(): readonly StoredSubscription[] {
    return this.#subscriptions;
  }

  /**
   * Subscribes to the list at `url`, pinning `publicKeys` (none: the list need not be signed). The
   * list is downloaded, its signature checked and the list validated before anything is stored;
   * subscribing again to the same URL updates it (with new keys: fetched whole and checked again).
   */
  async subscribe(url: string, publicKeys: readonly string[] = [], beforeWrite?: () => Promise<void>): Promise<Result<ListSummary, ListProblem>> {
    await this.ready();
    return this.#update(url, publicKeys, beforeWrite);
  }

  /** Fetches a subscribed list again now; the stored copy stays on any failure, with the reason. Null when there is no such subscription. */
  async refresh(id: string): Promise<Result<ListSummary, ListProblem> | null> {
    await this.ready();
    const subscription = this.#subscriptions.find((candidate) => candidate.id === id);
    return subscription ? this.#update(subscription.url) : null;
  }

  /** Called after every update attempt and unsubscribe, whatever its outcome: when each list is due again may have moved. */
  onScheduleChange(listener: () => unknown): void {
    this.#scheduleListeners.add(listener);
  }

  async #update(url: string, publicKeys?: readonly string[], beforeWrite?: () => Promise<void>): Promise<Result<ListSummary, ListProblem>> {
    const applied = await this.#updates.update(url, publicKeys, beforeWrite);
    const previous = this.#subscriptions.find((subscription) => subscription.url === url);
    this.#follow(url, applied);
    if ('stored' in applied) {
      // The validated copy applies while IndexedDB stores it: the browser installs its block rules meanwhile.
      const [written] = await Promise.allSettled([applied.written, this.#recompile()]);
      if (written.status === 'rejected') {
        // Not stored: back to the copy that is, so memory, rules and storage agree again (other
        // lists keep what changed meanwhile).
        this.#setSubscription(url, previous);
        await this.#recompile();
        this.#scheduleListeners.forEach((listener) => void listener());
        throw written.reason;
      }
    }
    this.#scheduleListeners.forEach((listener) => void listener());
    if (!applied.ok) return err(applied.problem);
    const summary = this.summary().find((list) => list.id === subscriptionId(url));
    return summary ? ok(summary) : err({ code: 'damaged-record', message: `The list at ${url} could not be read back after it was stored.` });
  }

  /**
   * The copy in memory follows what was written, without reading every list back: the new copy
   * was validated on the way in. Kept in key order, the order IndexedDB returns them in.
   */
  #follow(url: string, applied: AppliedUpdate): void {
    if ('stored' in applied) {
      this.#setSubscription(url, applied.stored);
    } else if (applied.patch) {
      const patch = applied.patch;
      this.#subscriptions = this.#subscriptions.map((subscription) => (subscription.url === url ? patch(subscription) : subscription));
    }
  }

  /** Puts `subscription` in memory as the copy of `url` (none: no copy), in key order. */
  #setSubscription(url: string, subscription: StoredSubscription | undefined): void {
    const others = this.#subscriptions.filter((candidate) => candidate.url !== url);
    this.#subscriptions = [...others, ...(subscription ? [subscription] : [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async unsubscribe(id: string): Promise<boolean> {
    await this.ready();
    const subscription = this.#subscriptions.find((candidate) => candidate.id === id);
    if (!subscription) return false;
    const removed = await this.#updates.remove(subscription.url);
    this.#subscriptions = this.#subscriptions.filter((candidate) => candidate.id !== id);
    await this.#recompile();
    this.#scheduleListeners.forEach((listener) => void listener());
    return removed;
  }

  summary(): ListSummary[] {
    // The interval in force: the administrator's `updateHours` over the list's own ask.
    const subscriptions = this.#subscriptions.map((subscription) => ({ ...subscription, refreshMinutes: this.#policySource.requiredMinutes(subscription.url) ?? subscription.refreshMinutes }));
    return summarizeLists(this.#sourcedLists(), subscriptions);
  }

  async #loadAll(): Promise<void> {
    // Each source loads on its own: a broken database must not cost the managed policy, and vice versa.
    // Readiness never waits on storage.managed: the last policy seen stands in for it, and the live
    // one applies as a change when it answers (at once, in the first compile, if it already has).
    const { live } = await this.#policySource.load(() => Promise.all([this.#readSubscriptions(), this.#readUserEntries()]));
    // Loading what was already stored is not a change: rules and badges from before still hold.
    this.#matcher = this.#compile();
    this.#detailsLoaded = this.#readDetails();
    void live.then((changed) => (changed ? this.#recompile() : undefined));
  }

  /** The stored lists' details, read after the tables (they are most of the bytes and no decision needs them). */
  async #readDetails(): Promise<void> {
    try {
      const { problems, refetch } = await loadListDetails(await this.#db(), this.#subscriptions);
      problems.forEach((problem) => this.#deps.report(`Stored list details skipped: ${problem}`));
      this.#downloadAgain(refetch);
    } catch (cause) {
      this.#deps.report(`The subscribed lists' details could not be read: ${String(cause)}`);
    }
  }

  /** Resolves once the policy's subscriptions seen so far are subscribed (or failed, recorded) and the dropped ones removed. */
  managedSubscriptionsSynced(): Promise<void> {
    return this.#policySource.subscriptionsSynced();
  }

  async #userEntriesChanged(): Promise<void> {
    await this.#readUserEntries();
    await this.#recompile();
  }

  #now(): Date {
    return this.#deps.now?.() ?? new Date();
  }

  #db(): Promise<ListDatabase> {
    if (!this.#database) {
      const opening = this.#deps.openDatabase();
      this.#database = opening;
      // A failed open (disk full, a blocked upgrade) is retried on the next use, not remembered.
      opening.catch(() => {
        if (this.#database === opening) this.#database = null;
      });
    }
    return this.#database;
  }

  async #readSubscriptions(): Promise<void> {
    try {
      const { records, problems, refetch } = await loadSubscriptions(await this.#db());
      this.#subscriptions = records;
      problems.forEach((problem) => this.#deps.report(`Stored list skipped: ${problem}`));
      this.#downloadAgain(refetch);
    } catch (cause) {
      this.#deps.report(`Subscribed lists could not be read: ${String(cause)}`);
    }
  }

  /** A dropped copy is downloaded again once per worker life (not on every re-read, which a failed download causes). */
  #downloadAgain(urls: readonly string[]): void {
    for (const url of urls) {
      if (this.#refetching.has(url)) continue;
      this.#refetching.add(url);
      // With the keys it had: a dropped copy is no reason to stop checking signatures.
      void this.ready().then(() => this.#update(url).then((result) => {
        if (!result.ok) this.#deps.report(`Stored list ${url} could not be downloaded again: ${result.error.message}`);
      }));
    }
  }

  async #readUserEntries(): Promise<void> {
    try {
      const { records, problems } = await loadUserEntries(await this.#db());
      this.#userList = records.length > 0 ? { id: 'user', source: 'user', list: userEntriesAsList(records) } : null;
      problems.forEach((problem) => this.#deps.report(`Stored entry skipped: ${problem}`));
    } catch (cause) {
      this.#deps.report(`Your entries could not be read: ${String(cause)}`);
    }
  }

  #sourcedLists(): SourcedList[] {
    return assembleLists({ policy: this.policy, userList: this.#userList, subscriptions: this.#subscriptions, bundled: this.#deps.bundled });
  }

  #compile(): Matcher {
    return this.#policySource.lock(compileMatcher(this.#sourcedLists()));
  }

  async #recompile(): Promise<void> {
    this.#matcher = this.#compile();
    const outcomes = await Promise.allSettled([...this.#listeners].map(async (listener) => listener()));
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') this.#deps.report(`A list change was not applied everywhere: ${String(outcome.reason)}`);
    }
  }

  #handlers(): HandlerTable {
    return {
      'lists/subscribe': async ({ url, publicKeys }) => {
        // Refused at once when the policy in force locks the lists. The live policy, which Chromium
        // can take seconds to answer after a start, is awaited alongside the download and checked
        // before anything is stored: the person waits for the slower of the two, not for both.
        this.#policySource.refuseWhileLockedNow();
        const result = await this.subscribe(url, publicKeys ?? [], () => this.#policySource.refuseWhileListsLocked());
        if (!result.ok) throw new RequestError(this.#deps.describeProblem?.(result.error) ?? result.error.message);
        return result.value;
      },
      'lists/unsubscribe': async ({ id }) => {
        await this.#policySource.refuseWhileListsLocked();
        const subscription = this.#subscriptions.find((candidate) => candidate.id === id);
        if (subscription && this.#policySource.subscribes(subscription.url)) {
          throw new RequestError('Your organisation subscribed RelayGuard to this list; it cannot be removed here.');
        }
        return { removed: await this.unsubscribe(id) };
      },
      'lists/summary': async () => {
        await this.ready();
        return this.summary();
      },
      'user-entries/list': async () => {
        const entries = await this.userEntries();
        return { entries, managed: managedView(this.policy) };
      },
      'user-entries/put': async ({ pattern, level, note }) => {
        await this.#policySource.refuseWhileListsLocked();
        // An entry the organisation's policy outranks would change nothing but look as if it did.
        const target = parseHostPattern(pattern);
        if (target.ok && this.manages(target.value)) throw new RequestError('Your organisation manages this site; your own entry would not change it.');
        const stored = await this.putUserEntry({ pattern, level, ...(note && { note }) });
        if (!stored.ok) throw new RequestError(stored.error);
        return stored.value;
      },
      'user-entries/remove': async ({ pattern }) => {
        await this.#policySource.refuseWhileListsLocked();
        return { removed: await this.removeUserEntry(pattern) };
      },
      'user-entries/import': async ({ text }) => {
        await this.#policySource.refuseWhileListsLocked();
        const parsed = parseUserEntriesFile(text);
        if (!parsed.ok) throw new RequestError(parsed.error.message);
        await this.importUserEntries(parsed.value);
        return { imported: parsed.value.length };
      },
    };
  }
}
