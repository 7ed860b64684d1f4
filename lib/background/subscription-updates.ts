import type { ListProblem } from '../lists/list-problem.ts';
import { markListConfirmed, recordFailedUpdate, removeSubscription, startStoringFetchedList, subscriptionId, type ListDatabase, type StoredSubscription } from '../lists/list-store.ts';
import { nextUpdateAt } from '../lists/refresh-schedule.ts';
import type { UpdateOutcome, UpdateTarget } from '../lists/subscription-update.ts';

/**
 * How ListRegistry writes subscriptions: one update at a time per URL (an alarm, "update now" and
 * a new subscribe for the same list never interleave, and an unsubscribe waits for them), each
 * outcome applied in one write that keeps the last good copy on every failure.
 */

export interface SubscriptionUpdateDeps {
  readonly db: () => Promise<ListDatabase>;
  readonly fetchUpdate: (target: UpdateTarget) => Promise<UpdateOutcome>;
  readonly now: () => number;
  readonly random: () => number;
  /** An interval the administrator set for this URL (managed `updateHours`), over the list's own ask. */
  readonly requiredMinutes?: (url: string) => number | undefined;
}

/**
 * What an update did, and how the registry's copy in memory follows it without reading every list
 * back from storage: `stored` is the new copy (recompile), `patch` the metadata change of the old one.
 * A new copy is in memory before it is stored: `written` resolves once it is, and rejects when it
 * cannot be (the previous copy then stays stored, and the registry goes back to it).
 */
export type AppliedUpdate =
  | { readonly ok: true; readonly stored: StoredSubscription; readonly written: Promise<void> }
  | { readonly ok: true; readonly patch: (subscription: StoredSubscription) => StoredSubscription }
  | { readonly ok: false; readonly problem: ListProblem; readonly patch?: (subscription: StoredSubscription) => StoredSubscription };

export class SubscriptionUpdates {
  readonly #deps: SubscriptionUpdateDeps;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(deps: SubscriptionUpdateDeps) {
    this.#deps = deps;
  }

  /**
   * Fetches the list at `url` and stores what came. `publicKeys` replaces the pinned keys (a new
   * subscription, or subscribing again with other keys: then the whole list is fetched and checked
   * against them, and the old keys stay if it fails); absent, the stored ones apply.
   */
  update(url: string, publicKeys?: readonly string[], beforeWrite?: () => Promise<void>): Promise<AppliedUpdate> {
    return this.#serial(url, () => this.#update(url, publicKeys, beforeWrite));
  }

  remove(url: string): Promise<boolean> {
    return this.#serial(url, async () => removeSubscription(await this.#deps.db(), subscriptionId(url)));
  }

  /** `beforeWrite` may refuse the update (by throwing) once the download is in, before anything is written. */
  async #update(url: string, newKeys: readonly string[] | undefined, beforeWrite?: () => Promise<void>): Promise<AppliedUpdate> {
    const { now, random } = this.#deps;
    const db = await this.#deps.db();
    // Read inside the queue: the update before this one may just have changed it.
    const previous = await db.get('subscriptions', subscriptionId(url));
    const keys = newKeys ?? previous?.publicKeys ?? [];
    const sameKeys = previous !== undefined && sameStrings(keys, previous.publicKeys ?? []);
    // Validators only for the copy these keys already vouch for; a 304 must not skip a new key's check.
    const validators = sameKeys ? { etag: previous.etag, lastModified: previous.lastModified } : {};
    const outcome = await this.#deps.fetchUpdate({ url, publicKeys: keys, ...validators });
    await beforeWrite?.();
    const at = now();

    if (outcome.kind === 'failed') {
      const { problem } = outcome;
      const next = nextUpdateAt({ url, refreshMinutes: this.#interval(url, previous?.refreshMinutes), at, failed: true, random: random() });
      const kept = await recordFailedUpdate(db, url, { at, problem, nextUpdateAt: next });
      if (!kept) return { ok: false, problem };
      return { ok: false, problem, patch: (subscription) => ({ ...subscription, lastTriedAt: at, lastError: problem.message, problem, nextUpdateAt: next }) };
    }
    if (outcome.kind === 'not-modified') {
      if (previous === undefined) {
        // Only a request without validators can get here: a server answering 304 to it is broken.
        return { ok: false, problem: { code: 'http-status', message: 'Could not download the list: the server answered 304 without a copy to keep.', detail: '304' } };
      }
      const next = nextUpdateAt({ url, refreshMinutes: this.#interval(url, previous.refreshMinutes), at, failed: false, random: random() });
      await markListConfirmed(db, url, { at, nextUpdateAt: next });
      return {
        ok: true,
        patch: ({ lastError: _error, problem: _problem, ...subscription }) => ({ ...subscription, fetchedAt: at, lastTriedAt: at, nextUpdateAt: next }),
      };
    }
    const { list, etag, lastModified, signedBy } = outcome;
    const { stored, written } = startStoringFetchedList(db, {
      url,
      list,
      at,
      nextUpdateAt: nextUpdateAt({ url, refreshMinutes: this.#interval(url, list.refreshMinutes), at, failed: false, random: random() }),
      etag,
      lastModified,
      publicKeys: keys,
      signedBy,
      refreshMinutes: list.refreshMinutes,
    });
    return { ok: true, stored, written };
  }

  #interval(url: string, asked: number | undefined): number | undefined {
    return this.#deps.requiredMinutes?.(url) ?? asked;
  }

  async #serial<T>(url: string, task: () => Promise<T>): Promise<T> {
    const before = this.#queues.get(url) ?? Promise.resolve();
    const run = before.then(task, task);
    // The next update of this URL reads what this one stored: it waits for the write too.
    const settled = run.then((result) => (result as { written?: Promise<void> } | undefined)?.written).catch(() => undefined);
    this.#queues.set(url, settled);
    void settled.then(() => {
      if (this.#queues.get(url) === settled) this.#queues.delete(url);
    });
    return run;
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
