import type { AlarmsApi } from '../reports/report-queue.ts';
import type { ListRegistry } from './list-registry.ts';
import { RequestError, type MessageRouter } from './message-router.ts';

export const LIST_REFRESH_ALARM = 'relayguard-list-refresh';

export interface ListRefreshDeps {
  readonly registry: ListRegistry;
  readonly alarms: AlarmsApi;
  readonly now: () => number;
  readonly report: (problem: string) => void;
  readonly router?: MessageRouter;
}

/**
 * Keeps subscribed lists fresh. One alarm (it outlives the service worker) is armed for the
 * earliest `nextUpdateAt` of any subscription; when it fires, every list that is due is fetched
 * again, one after another, and the alarm is armed for the next. `start()` re-arms it whenever the
 * worker starts (Chrome may drop alarms when the browser restarts) and fetches what fell due while
 * the browser was closed. Each list's schedule, jitter included, is lib/lists/refresh-schedule.ts.
 */
export class ListRefresh {
  readonly #deps: ListRefreshDeps;
  #running: Promise<void> | null = null;
  #again = false;

  constructor(deps: ListRefreshDeps) {
    this.#deps = deps;
    // Synchronously, as a service worker must: an alarm is what wakes a stopped worker.
    deps.alarms.onAlarm.addListener((alarm) => {
      if (alarm.name === LIST_REFRESH_ALARM) void this.refreshDue();
    });
    deps.registry.onScheduleChange(() => this.#arm());
    deps.registry.onChange(() => this.#arm());
    deps.router?.register({
      'lists/update': async ({ id }) => {
        const result = await deps.registry.refresh(id);
        if (result === null) throw new RequestError('There is no such subscription.');
        // A failed update still answers with the list: the copy in force and why the update failed.
        const summary = deps.registry.summary().find((list) => list.id === id);
        if (!summary) throw new RequestError('There is no such subscription.');
        return summary;
      },
    });
  }

  /** Fetches what is due and arms the alarm for the rest; call once the worker is built. */
  async start(): Promise<void> {
    await this.refreshDue();
  }

  /**
   * Fetches every subscribed list whose time has come. A call while a run is going makes the run
   * look once more when it ends, so nothing that fell due meanwhile waits for the next alarm.
   */
  refreshDue(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#run().finally(() => (this.#running = null));
    return this.#running;
  }

  async #run(): Promise<void> {
    const { registry, now, report } = this.#deps;
    await registry.ready();
    do {
      this.#again = false;
      const due = registry.subscriptions().filter((subscription) => (subscription.nextUpdateAt ?? 0) <= now());
      for (const subscription of due) {
        try {
          await registry.refresh(subscription.id);
        } catch (cause) {
          // A storage failure ends this list's update only; the others still get theirs.
          report(`Refreshing ${subscription.url} failed: ${String(cause)}`);
        }
      }
    } while (this.#again);
    await this.#arm();
  }

  /** The one alarm, for the earliest list due; none when nothing is subscribed. */
  async #arm(): Promise<void> {
    const { registry, alarms, now, report } = this.#deps;
    const times = registry.subscriptions().map((subscription) => subscription.nextUpdateAt ?? now());
    try {
      if (times.length === 0) await alarms.clear(LIST_REFRESH_ALARM);
      else await alarms.create(LIST_REFRESH_ALARM, { when: Math.max(Math.min(...times), now()) });
    } catch (cause) {
      report(`The list refresh alarm could not be set: ${String(cause)}`);
    }
  }
}
