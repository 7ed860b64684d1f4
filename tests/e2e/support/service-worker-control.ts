import type { BrowserContext, CDPSession, Page } from 'playwright-core';

/**
 * Stops the extension's service worker the way Chromium does when it idles it out, and watches
 * it come back, through the DevTools protocol's ServiceWorker domain.
 *
 * What works with playwright-core's persistent context (Chromium 156, Playwright 1.65):
 * - There is no browser-level CDP session (`context.browser()` is null for a persistent context),
 *   but a page's session sees every service worker of the profile: `ServiceWorker.enable` reports
 *   each version with its `runningStatus`, and `ServiceWorker.stopWorker({ versionId })` stops one.
 * - `Target.closeTarget` on the worker's target answers `success: true` and does nothing.
 * - A stopped worker's target is not destroyed: Playwright fires no `close` on its Worker,
 *   `context.serviceWorkers()` keeps it, and no new `serviceworker` event fires on restart. The
 *   same Worker object evaluates in the new realm once the worker runs again (and an evaluate
 *   sent while it is stopped waits for that rather than waking it). So "stopped" is read from
 *   `runningStatus`, and "restarted" from a fresh global scope.
 */

export type RunningStatus = 'stopped' | 'starting' | 'running' | 'stopping';

interface VersionUpdate {
  readonly versionId: string;
  readonly scriptURL: string;
  readonly runningStatus: RunningStatus;
  readonly status: string;
}

export class ServiceWorkerControl {
  readonly #session: CDPSession;
  readonly #scriptPrefix: string;
  #versionId: string | undefined;
  #status: RunningStatus | undefined;
  /** Every running status seen, in order (for tests that want to see stopped → starting → running). */
  readonly #history: RunningStatus[] = [];
  readonly #listeners = new Set<() => void>();

  private constructor(session: CDPSession, scriptPrefix: string) {
    this.#session = session;
    this.#scriptPrefix = scriptPrefix;
    session.on('ServiceWorker.workerVersionUpdated', ({ versions }: { versions: VersionUpdate[] }) => {
      for (const version of versions) {
        if (!version.scriptURL.startsWith(this.#scriptPrefix) || version.status === 'redundant') continue;
        this.#versionId = version.versionId;
        if (version.runningStatus !== this.#status) this.#history.push(version.runningStatus);
        this.#status = version.runningStatus;
      }
      for (const listener of this.#listeners) listener();
    });
  }

  /** Watches the workers whose script URL starts with `scriptPrefix`, through `page`'s session. */
  static async attach(context: BrowserContext, page: Page, scriptPrefix: string): Promise<ServiceWorkerControl> {
    const session = await context.newCDPSession(page);
    const control = new ServiceWorkerControl(session, scriptPrefix);
    await session.send('ServiceWorker.enable'); // reports the current state of every version at once
    await control.waitFor((status) => status !== undefined, 10_000, 'the extension service worker to be reported');
    return control;
  }

  get status(): RunningStatus | undefined {
    return this.#status;
  }

  /** Running statuses seen since `attach`, without repeats. */
  get history(): readonly RunningStatus[] {
    return this.#history;
  }

  /** Stops the worker (if it runs) and resolves once Chromium reports it stopped. */
  async stop(timeout = 15_000): Promise<void> {
    if (this.#status === 'stopped') return;
    await this.waitFor((status) => status === 'running', timeout, 'the service worker to run before stopping it');
    await this.#session.send('ServiceWorker.stopWorker', { versionId: this.#versionId! });
    await this.waitFor((status) => status === 'stopped', timeout, 'the service worker to stop');
  }

  /** Resolves when `predicate` holds for the current running status. */
  waitFor(predicate: (status: RunningStatus | undefined) => boolean, timeout: number, what: string): Promise<void> {
    if (predicate(this.#status)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this.#status)) return;
        clearTimeout(timer);
        this.#listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        reject(new Error(`Timed out after ${timeout} ms waiting for ${what} (status: ${this.#status ?? 'unknown'}; seen: ${this.#history.join(' → ')}).`));
      }, timeout);
      this.#listeners.add(check);
    });
  }

  async detach(): Promise<void> {
    await this.#session.detach().catch(() => {});
  }
}
