import os from 'node:os';
import { parseList, type RelayList } from '../../lib/lists/list-schema.ts';
import { compileMatcher, type ListHit, type SourcedList } from '../../lib/lists/matcher.ts';
import { generateListJson, generateLists, generateQueries, QUERY_MIX } from './generate.ts';
import { compileNaive } from './naive.ts';
import { createRng } from './prng.ts';
import { formatDetails, formatTable, formatTargets, type CaseResult } from './report.ts';
import { median, percentile } from './stats.ts';
import { fullGc, hasGc, measureHeap, measureHeapOfRebuild, timeLookups, timeOnce, timeRepeated } from './timing.ts';

/** Fixed seed: every run generates the same lists and queries. */
const SEED = 0x5eed_2026;

const CASES = [
  { n: 1_000, buildRepeats: 31, naiveQueries: 4_096, naiveBatch: 16, naiveWarmup: 1_024 },
  { n: 100_000, buildRepeats: 11, naiveQueries: 1_000, naiveBatch: 1, naiveWarmup: 32 },
  { n: 1_000_000, buildRepeats: 7, naiveQueries: 200, naiveBatch: 1, naiveWarmup: 8 },
] as const;
const LOOKUP_BATCH = 128;
const MEASURED_LOOKUPS = 131_072;
const WARMUP_LOOKUPS = 32_768;
const PARSE_LIST_SIZE = 100_000;
const PARSE_LIST_WARM_RUNS = 5;

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

function sameDecision(a: ListHit | null, b: ListHit | null): boolean {
  if (a === null || b === null) return a === b;
  return a.listId === b.listId && a.pattern === b.pattern && a.level === b.level && a.specificity === b.specificity;
}

/** Generated lists must be what parseList accepts and outputs unchanged (canonical patterns). */
function assertCanonical(lists: readonly SourcedList<RelayList>[]): void {
  for (const { id, list } of lists) {
    const parsed = parseList(structuredClone(list));
    if (!parsed.ok) throw new Error(`generated list ${id} is invalid: ${parsed.error.issues.join('; ')}`);
    parsed.value.entries.forEach((entry, i) => {
      if (entry.pattern !== list.entries[i]!.pattern) throw new Error(`generated pattern not canonical: ${list.entries[i]!.pattern}`);
    });
  }
}

function runCase({ n, buildRepeats, naiveQueries, naiveBatch, naiveWarmup }: (typeof CASES)[number]): CaseResult {
  const rng = createRng(SEED ^ n);
  log(`N=${n.toLocaleString('en-US')}: generating lists`);
  const { value: lists, bytes: listsHeapBytes } = measureHeap(() => generateLists(rng, n));
  if (n <= 1_000) assertCanonical(lists);

  log(`N=${n.toLocaleString('en-US')}: build ×${buildRepeats}`);
  // Fresh list objects each time: the matcher indexes a list object once and keeps it, and building
  // is indexing (what happens once when a list is validated) plus compiling.
  const fresh = () => lists.map(({ list, ...sourced }) => ({ ...sourced, list: { ...list } }));
  const builds = timeRepeated(() => compileMatcher(fresh()), buildRepeats);
  const { value: matcher, bytes: heapBytes, firstBytes } = measureHeapOfRebuild(() => compileMatcher(fresh()));
  if (firstBytes !== null && heapBytes !== null && Math.abs(firstBytes - heapBytes) > heapBytes * 0.1) {
    log(`N=${n.toLocaleString('en-US')}: heap of the first and second build differ (${firstBytes} vs ${heapBytes} bytes); reporting the second`);
  }
  if (matcher.entryCount !== n) throw new Error(`matcher has ${matcher.entryCount} entries, expected ${n}`);

  log(`N=${n.toLocaleString('en-US')}: lookups`);
  const warmup = generateQueries(rng, lists, WARMUP_LOOKUPS);
  const queries = generateQueries(rng, lists, MEASURED_LOOKUPS);
  for (let pass = 0; pass < 2; pass++) for (const host of warmup) matcher.decide(host);
  fullGc();
  const lookups = timeLookups(matcher.decide, queries, LOOKUP_BATCH);

  log(`N=${n.toLocaleString('en-US')}: naive baseline (${naiveQueries} queries)`);
  const naive = compileNaive(lists);
  for (const host of warmup.slice(0, naiveWarmup)) naive.decide(host);
  const naiveSet = queries.slice(0, naiveQueries);
  fullGc();
  const naiveTiming = timeLookups(naive.decide, naiveSet, naiveBatch);
  const agree = naiveSet.filter((host) => sameDecision(naive.decide(host), matcher.decide(host))).length;

  return {
    n,
    listSizes: lists.map(({ list }) => list.entries.length),
    buildMedianMs: median(builds),
    buildFirstMs: builds[0]!,
    buildRepeats,
    lookupMedianUs: median(lookups.perLookupNs) / 1000,
    lookupP99Us: percentile(lookups.perLookupNs, 99) / 1000,
    lookups: lookups.lookups,
    lookupBatch: LOOKUP_BATCH,
    hitRate: lookups.hits / lookups.lookups,
    heapBytes,
    listsHeapBytes,
    naiveMedianUs: median(naiveTiming.perLookupNs) / 1000,
    naiveQueries: naiveTiming.lookups,
    naiveBatch,
    naiveAgreement: { agree, checked: naiveSet.length },
  };
}

/** Validation cost a subscription pays once per download: JSON text in, RelayList out. */
function measureParseList(): string {
  log(`parseList on one ${PARSE_LIST_SIZE.toLocaleString('en-US')}-entry list`);
  const json = generateListJson(createRng(SEED ^ 0x9a75e), PARSE_LIST_SIZE);
  fullGc();
  const jsonOnly = timeOnce(() => JSON.parse(json) as unknown);
  fullGc();
  // The first run is what a freshly started service worker pays; the later ones show the code warm.
  const { value: parsed, ms } = timeOnce(() => parseList(json));
  if (!parsed.ok) throw new Error(`generated ${PARSE_LIST_SIZE}-entry list is invalid: ${parsed.error.issues.join('; ')}`);
  if (parsed.value.entries.length !== PARSE_LIST_SIZE) throw new Error('parseList dropped entries');
  const warm = median(timeRepeated(() => parseList(json), PARSE_LIST_WARM_RUNS));
  const mbText = (json.length / 1024 / 1024).toFixed(1);
  return `parseList (JSON.parse + validation) of one ${PARSE_LIST_SIZE.toLocaleString('en-US')}-entry list (${mbText} MB JSON): first run ${ms.toFixed(0)} ms, median of ${PARSE_LIST_WARM_RUNS} more ${warm.toFixed(0)} ms (JSON.parse alone: ${jsonOnly.ms.toFixed(0)} ms). Not included in build time.`;
}

export function runSuite(): { consistent: boolean; pass: boolean } {
  const started = process.hrtime.bigint();
  const loadAtStart = os.loadavg()[0] ?? 0; // other processes on the machine make timings noisier
  if (!hasGc) log('globalThis.gc is unavailable: heap is reported as n/a and builds are not preceded by a full GC');
  const parseLine = measureParseList();
  const results = CASES.map((c) => {
    const result = runCase(c);
    fullGc();
    return result;
  });

  const at = (n: number) => results.find((r) => r.n === n)!;
  const targets = formatTargets([
    { label: 'lookup median @ 1M entries', measured: at(1_000_000).lookupMedianUs, limit: 2, unit: 'µs' },
    { label: 'build median @ 100k entries', measured: at(100_000).buildMedianMs, limit: 100, unit: 'ms' },
  ]);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const totalS = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
  const mix = QUERY_MIX.map(([kind, share]) => `${share * 100}% ${kind}`).join(', ');

  console.log(
    [
      '## RelayGuard matcher benchmark',
      '',
      `Node ${process.version} (${process.platform}/${process.arch}) · CPU: ${cpu} (${os.cpus().length} logical CPUs, load average ${loadAtStart.toFixed(2)} at start) · seed 0x${SEED.toString(16)} · gc ${hasGc ? 'exposed' : 'NOT exposed (heap n/a)'}`,
      '',
      formatTable(results),
      '',
      targets.text,
      '',
      'Method:',
      `- Entries are spread over 3 lists (bundled / subscribed / user, 50/40/10%, ~3% of patterns repeated across lists); patterns are canonical RelayList patterns, no validation in build time.`,
      `- build: indexing the 3 lists (IndexedList.of, done once when a list is validated; a stored list is read back already indexed) and compileMatcher over them, median of repeated builds, each after a full GC.`,
      `- lookup: matcher.decide(host). Single calls are too short to time with hrtime, so lookups are timed in batches of ${LOOKUP_BATCH} and median/p99 are over the batch means (ns per lookup); p99 therefore shows slow batches (GC, cache misses), not the single slowest lookup. Each measured host is a fresh string looked up once, after a warm-up on ${WARMUP_LOOKUPS.toLocaleString('en-US')} other hosts.`,
      `- queries: ${mix}.`,
      `- heap: process.memoryUsage().heapUsed plus arrayBuffers (the tables are typed arrays) after full GCs, after minus before the build, with the matcher still referenced (measured on a second kept build, since V8 can hold the previous build alive until the next one); the list objects it points to are not counted.`,
      `- naive: linear scan over all entries per lookup (host === p || host.endsWith('.' + p), exact-only patterns skip the suffix test), on the first ${CASES.map((c) => c.naiveQueries.toLocaleString('en-US')).join(' / ')} hosts of the same query set for N = ${CASES.map((c) => c.n.toLocaleString('en-US')).join(' / ')} (fewer at large N: one 1M-entry scan takes milliseconds), then winningHit like the matcher; its answers are checked against the matcher's.`,
      formatDetails(results),
      `- ${parseLine}`,
      `- total bench time: ${totalS} s`,
    ].join('\n'),
  );
  return { consistent: results.every((r) => r.naiveAgreement.agree === r.naiveAgreement.checked), pass: targets.pass };
}
