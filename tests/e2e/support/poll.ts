/**
 * Polling without vitest, so the harness also runs from plain node (the demo, tests/demo/run.ts):
 * vitest's `expect.poll` only works inside a running test.
 */

const EXPIRED: unique symbol = Symbol('expired');

export interface PollOptions {
  /** Give up after this long (the last attempt is cut short at the deadline too). */
  readonly timeout: number;
  /** Pause between attempts; 200 ms unless told. */
  readonly interval?: number;
  /** What was awaited, for the error: "popup for tab 3 never showed \"blocked\"". */
  readonly message: string;
}

/**
 * Calls `read` until `accept` holds for its value, and resolves to that value. An attempt that
 * throws counts as a miss (the page may be mid-navigation). Rejects after `timeout` with
 * `message` and the last value or error seen.
 */
export async function pollUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, options: PollOptions): Promise<T> {
  const { timeout, interval = 200, message } = options;
  const deadline = Date.now() + timeout;
  let last: { value: T } | { error: unknown } | undefined;
  while (true) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<typeof EXPIRED>((resolve) => {
      timer = setTimeout(() => resolve(EXPIRED), remaining);
    });
    try {
      const value = await Promise.race([read(), expired]);
      if (value === EXPIRED) break;
      last = { value };
      if (accept(value)) return value;
    } catch (error) {
      last = { error };
    } finally {
      clearTimeout(timer);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(interval, Math.max(0, deadline - Date.now()))));
  }
  const seen =
    last === undefined
      ? 'no attempt finished'
      : 'value' in last
        ? `last value: ${JSON.stringify(last.value)}`
        : `last error: ${last.error instanceof Error ? last.error.message.split('\n')[0] : String(last.error)}`;
  throw new Error(`${message} within ${timeout} ms (${seen})`);
}
