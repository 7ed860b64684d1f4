/**
 * Measurement primitives: wall-clock of whole builds, batched lookup timing, heap deltas.
 * All timing uses process.hrtime.bigint() (monotonic, ns).
 */

export const hasGc = typeof globalThis.gc === 'function';

/**
 * Full collections (at least three) until heapUsed stops falling: right after a large structure
 * is dropped, one or two gc() calls did not always reclaim it here. What V8 keeps reachable
 * stays, however often this runs: see measureHeapOfRebuild.
 */
export function fullGc(): void {
  const gc = globalThis.gc;
  if (gc === undefined) return;
  let previous = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 10; round++) {
    gc();
    const used = process.memoryUsage().heapUsed;
    if (round >= 2 && previous - used < 64 * 1024) return;
    previous = used;
  }
}

const elapsedMs = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

/** Wall-clock of `repeats` separate runs (ms), each after a full GC so no run pays for the last one's garbage. */
export function timeRepeated(run: () => unknown, repeats: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    fullGc();
    const start = process.hrtime.bigint();
    run();
    samples.push(elapsedMs(start));
  }
  return samples;
}

/** Time one run (ms). */
export function timeOnce<T>(run: () => T): { value: T; ms: number } {
  const start = process.hrtime.bigint();
  const value = run();
  return { value, ms: elapsedMs(start) };
}

export interface LookupTiming {
  /** One sample per batch: the batch's wall-clock divided by its size (ns per lookup). */
  readonly perLookupNs: Float64Array;
  readonly batchSize: number;
  readonly lookups: number;
  readonly hits: number;
}

/**
 * hrtime around a single sub-µs call is mostly timer overhead and quantisation, so lookups are
 * timed in consecutive batches of `batchSize` and each batch contributes its mean as one sample.
 * Each host is looked up once (no string-hash caching from an earlier lookup of the same string).
 */
export function timeLookups(decide: (host: string) => unknown, queries: readonly string[], batchSize: number): LookupTiming {
  const batches = Math.floor(queries.length / batchSize);
  const perLookupNs = new Float64Array(batches);
  let hits = 0; // also keeps the results observable, so no call can be optimised away
  for (let b = 0; b < batches; b++) {
    const from = b * batchSize;
    const to = from + batchSize;
    const start = process.hrtime.bigint();
    for (let i = from; i < to; i++) if (decide(queries[i]!) !== null) hits++;
    perLookupNs[b] = Number(process.hrtime.bigint() - start) / batchSize;
  }
  return { perLookupNs, batchSize, lookups: batches * batchSize, hits };
}

/** The V8 heap plus ArrayBuffer backing stores: the matcher's tables live in typed arrays. */
const heapUsed = (): number => {
  const { heapUsed: v8Heap, arrayBuffers } = process.memoryUsage();
  return v8Heap + arrayBuffers;
};

/**
 * heapUsed growth caused by `make()`, measured after full GCs before and after while the
 * returned value is still referenced (it is returned to the caller). null without --expose-gc:
 * uncollected garbage would make the number meaningless.
 */
export function measureHeap<T>(make: () => T): { value: T; bytes: number | null } {
  fullGc();
  const before = heapUsed();
  const value = make();
  fullGc();
  return { value, bytes: hasGc ? heapUsed() - before : null };
}

/**
 * Like measureHeap, for a structure built more than once in the process (the matcher): V8 can
 * keep the previously built one alive until the next build (it showed up as a 100k matcher
 * "costing" -0.02 MB), which hides the new one's cost. So this builds twice, keeps both, and
 * reports the growth caused by the second build; it returns the second value.
 */
export function measureHeapOfRebuild<T>(make: () => T): { value: T; bytes: number | null; firstBytes: number | null } {
  fullGc();
  const before = heapUsed();
  const kept = [make()];
  fullGc();
  const middle = heapUsed();
  kept.push(make());
  fullGc();
  const after = heapUsed();
  const value = kept[kept.length - 1] as T;
  return { value, bytes: hasGc ? after - middle : null, firstBytes: hasGc ? middle - before : null };
}
