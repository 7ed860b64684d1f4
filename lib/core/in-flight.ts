/**
 * Work a browser event listener starts and does not wait for (listeners must return at once),
 * counted so that whoever needs to know can wait until all of it has finished: tests that
 * check an event changed nothing wait on `whenIdle()` instead of a guessed sleep.
 */
export class InFlight {
  readonly #pending = new Set<Promise<unknown>>();

  /** Counts `work` until it settles; returns it unchanged. Its rejection stays the caller's. */
  track<T>(work: Promise<T>): Promise<T> {
    this.#pending.add(work);
    const done = () => this.#pending.delete(work);
    work.then(done, done);
    return work;
  }

  get idle(): boolean {
    return this.#pending.size === 0;
  }

  /** Resolves once nothing is in flight, including work started by work that was (never rejects). */
  async whenIdle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}

/** Anything that can say when its background work has finished. */
export interface Settles {
  readonly idle: boolean;
  whenIdle(): Promise<void>;
}

/**
 * Resolves once every source is idle at the same time: work in one may start work in another
 * (a verdict change makes the page guards review), so one pass is not enough.
 */
export async function whenAllIdle(...sources: readonly Settles[]): Promise<void> {
  for (;;) {
    for (const source of sources) await source.whenIdle();
    if (sources.every((source) => source.idle)) return;
  }
}
