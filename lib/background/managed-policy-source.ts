import type { Matcher } from '../lists/matcher.ts';
import type { StoredSubscription } from '../lists/list-store.ts';
import { EMPTY_POLICY, parseManagedPolicy, withPolicyLocks, type ManagedPolicy } from '../lists/policy.ts';
import type { Result } from '../core/result.ts';
import type { ListProblem } from '../lists/list-problem.ts';
import { RequestError } from './message-router.ts';

/** Where the last managed policy seen is kept, unparsed: it is read through the policy's schema like the live one. */
export interface PolicyCache {
  read(): Promise<unknown>;
  write(raw: unknown): Promise<void>;
}

/** The lists the policy's subscriptions are kept in step with (the list registry). */
export interface ManagedListOwner {
  ready(): Promise<void>;
  subscriptions(): readonly StoredSubscription[];
  subscribe(url: string, publicKeys: readonly string[]): Promise<Result<unknown, ListProblem>>;
  unsubscribe(id: string): Promise<boolean>;
}

export interface ManagedPolicySourceDeps {
  readonly readManagedPolicy: () => Promise<unknown>;
  /**
   * The last managed policy seen, kept (storage.local) so a start never waits on storage.managed,
   * which Chromium can take a second or more to answer right after the browser starts.
   */
  readonly policyCache?: PolicyCache | undefined;
  readonly report: (problem: string) => void;
  readonly lists: ManagedListOwner;
}

const LISTS_LOCKED = 'Your organisation manages RelayGuard’s lists: entries and subscriptions cannot be changed here.';

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, index) => key.trim() === b[index]!.trim());
}

/** A managed policy as storage answered it, with a canonical text to tell whether it changed. */
interface RawPolicy {
  readonly value: unknown;
  readonly text: string;
}

function rawPolicy(value: unknown): RawPolicy {
  const present = value !== undefined && value !== null && !(typeof value === 'object' && Object.keys(value).length === 0);
  return present ? { value, text: JSON.stringify(value) } : { value: undefined, text: '' };
}

/**
 * The administrator's policy in force, for the list registry: read from storage.managed, kept in
 * storage.local for the next start (which then never waits on storage.managed), its problems
 * reported, its locks applied, and its subscriptions kept subscribed. The registry decides when
 * a change recompiles the matcher; this says whether the policy changed.
 */
export class ManagedPolicySource {
  readonly #deps: ManagedPolicySourceDeps;
  #policy: ManagedPolicy = EMPTY_POLICY;
  /** Every read of storage.managed started so far, applied: what `live()` waits for. */
  #livePolicy: Promise<unknown> = Promise.resolve();
  #managedSync: Promise<void> = Promise.resolve();
  #policyText: string | null = null;
  #cachedPolicyText: string | null = null;

  constructor(deps: ManagedPolicySourceDeps) {
    this.#deps = deps;
  }

  get policy(): ManagedPolicy {
    return this.#policy;
  }

  /**
   * The first load. Starts reading storage.managed at once, and once the cached policy and
   * `alongside` (the stored lists) have loaded, puts in force the live policy if it has answered
   * by then, the cached one otherwise. `live` resolves once the live answer is in force: true
   * when it differs from the one put in force first (the caller recompiles).
   */
  async load(alongside: () => Promise<unknown>): Promise<{ readonly live: Promise<boolean> }> {
    let live: RawPolicy | null = null;
    const reading = this.#readLivePolicy().then((raw) => (live = raw));
    const [cached] = await Promise.all([this.#readCachedPolicy(), alongside()]);
    this.#setPolicy(live ?? cached);
    const adopted = reading.then((raw) => this.#adoptLivePolicy(raw));
    this.#awaitLive(adopted);
    return { live: adopted };
  }

  /** Reads storage.managed again once `after` resolves; true when the policy changed. */
  reload(after: Promise<void>): Promise<boolean> {
    const adopted = after.then(() => this.#readLivePolicy()).then((raw) => this.#adoptLivePolicy(raw));
    this.#awaitLive(adopted);
    return adopted;
  }

  /** The policy storage.managed answers now, not the cached one, once the lists are loaded. */
  async live(): Promise<ManagedPolicy> {
    await this.#deps.lists.ready();
    await this.#livePolicy;
    return this.#policy;
  }

  /** The matcher with the policy's locks applied. */
  lock(matcher: Matcher): Matcher {
    return withPolicyLocks(matcher, this.#policy);
  }

  /** Refuses a change to the person's lists while the policy in force now (live or cached) locks them. */
  refuseWhileLockedNow(): void {
    if (this.#policy.disableUserLists) throw new RequestError(LISTS_LOCKED);
  }

  /** Refuses a change to the person's lists while the live policy locks them (disableUserLists). */
  async refuseWhileListsLocked(): Promise<void> {
    if ((await this.live()).disableUserLists) throw new RequestError(LISTS_LOCKED);
  }

  /** Whether the policy subscribed RelayGuard to the list at `url` (the person cannot remove it). */
  subscribes(url: string): boolean {
    return this.#policy.listSubscriptions.some((managed) => managed.url === url);
  }

  /** The refresh interval the administrator set for a managed subscription (`updateHours`), in minutes. */
  requiredMinutes(url: string): number | undefined {
    const hours = this.#policy.listSubscriptions.find((managed) => managed.url === url)?.updateHours;
    return hours === undefined ? undefined : hours * 60;
  }

  /** Resolves once the policy's subscriptions seen so far are subscribed (or failed, recorded) and the dropped ones removed. */
  subscriptionsSynced(): Promise<void> {
    return this.#managedSync;
  }

  #awaitLive(adopted: Promise<boolean>): void {
    this.#livePolicy = Promise.all([this.#livePolicy, adopted]);
  }

  /** Puts a policy read from storage.managed in force and keeps it for the next start; true when it differs from the one in force. */
  #adoptLivePolicy(raw: RawPolicy): boolean {
    const changed = raw.text !== this.#policyText;
    this.#setPolicy(raw);
    void this.#cachePolicy(raw);
    return changed;
  }

  #setPolicy(raw: RawPolicy): void {
    if (raw.text === this.#policyText) return;
    const before = this.#policy;
    this.#policyText = raw.text;
    this.#policy = parseManagedPolicy(raw.value);
    this.#policy.problems.forEach((problem) => this.#deps.report(`Managed policy: ${problem}`));
    const kept = new Set(this.#policy.listSubscriptions.map((subscription) => subscription.url));
    this.#syncManagedSubscriptions(before.listSubscriptions.map((subscription) => subscription.url).filter((url) => !kept.has(url)));
  }

  /**
   * The policy's subscriptions need no action from the person: each is subscribed with its pinned
   * keys (again when the keys change), refreshed like any other, and removed when the policy drops
   * it. One sync at a time, after the lists are loaded.
   */
  #syncManagedSubscriptions(dropped: readonly string[]): void {
    const lists = this.#deps.lists;
    this.#managedSync = this.#managedSync
      .then(async () => {
        await lists.ready();
        for (const url of dropped) {
          const subscription = lists.subscriptions().find((candidate) => candidate.url === url);
          if (subscription && !this.subscribes(url)) await lists.unsubscribe(subscription.id);
        }
        for (const { url, publicKeys } of this.#policy.listSubscriptions) {
          const stored = lists.subscriptions().find((candidate) => candidate.url === url);
          if (stored && sameKeys(stored.publicKeys ?? [], publicKeys)) continue;
          const result = await lists.subscribe(url, publicKeys);
          if (!result.ok) this.#deps.report(`Managed list ${url}: ${result.error.message}`);
        }
      })
      .catch((cause: unknown) => this.#deps.report(`Managed subscriptions not updated: ${String(cause)}`));
  }

  async #readLivePolicy(): Promise<RawPolicy> {
    try {
      return rawPolicy(await this.#deps.readManagedPolicy());
    } catch {
      // No managed storage (Firefox without policies, or none configured) means no policy.
      return rawPolicy(undefined);
    }
  }

  async #readCachedPolicy(): Promise<RawPolicy> {
    try {
      const cached = rawPolicy(await this.#deps.policyCache?.read());
      this.#cachedPolicyText = cached.text;
      return cached;
    } catch (cause) {
      this.#deps.report(`The last managed policy seen could not be read: ${String(cause)}`);
      return rawPolicy(undefined);
    }
  }

  async #cachePolicy(raw: RawPolicy): Promise<void> {
    if (raw.text === this.#cachedPolicyText) return;
    this.#cachedPolicyText = raw.text;
    try {
      await this.#deps.policyCache?.write(raw.value ?? null);
    } catch (cause) {
      this.#deps.report(`The managed policy could not be kept for the next start: ${String(cause)}`);
    }
  }
}
