import os from 'node:os';
import { SECOND_LOOK_DELAY_MS } from '../../lib/content/report-page.ts';
import { prepareExtension, type PreparedExtension } from './extension-build.ts';
import { BASE_FLAGS, CHROMIUM_PATH, launchBenchBrowser, type BenchBrowser } from './page-browser.ts';
import { assertNotARelay, FIXTURE_HOST, generateFixturePage } from './page-fixture.ts';
import { measureLoad, type LoadMetrics, type LoadResult } from './page-load.ts';
import { summariseProfiles, type ProfileShare } from './page-profile.ts';
import { startPageServer } from './page-server.ts';
import { attributeTrace, type TraceAttribution } from './page-trace.ts';
import { createRng } from './prng.ts';
import { fixed, formatTargets, int, markdownTable } from './report.ts';
import { bootstrapMedianDifference, median } from './stats.ts';

/**
 * What the content script costs a large ordinary page, in real Chromium: the same page loaded
 * in two browsers, one with the extension and one without, alternating, and the renderer main
 * thread's CPU time compared (Performance.getMetrics in the thread-ticks domain, read after the
 * content script's second look). Then a few traced loads attribute time to the content script
 * itself, and a few profiled loads show which code it is spent in.
 */

const LOADS = 20;
const WARMUP_LOADS = 3;
/** Pause between one browser's load event and the other browser's next navigation. */
const HANDOFF_GAP_MS = 100;
/** After `load`: covers the second look (SECOND_LOOK_DELAY_MS after the first, which runs at DOMContentLoaded ≤ load) plus a margin. */
const SETTLE_MS = SECOND_LOOK_DELAY_MS + 250;
const TRACE_LOADS = 5;
const PROFILE_LOADS = 3;
const PROFILE_INTERVAL_US = 100;
const TRACE_CATEGORIES = ['devtools.timeline', 'v8', 'v8.execute'] as const;
const TARGET_ADDED_MS = 5;
const TARGET_GZIP_BYTES = 30_000;
const SEED = 0xb007_2026;

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface AbRun {
  readonly withExtension: readonly LoadResult[];
  readonly without: readonly LoadResult[];
  /** Measured loads whose navigation-to-load window overlapped one in the other browser (0 by construction). */
  readonly overlapping: number;
}

/**
 * Loads alternate between the two browsers, chained: a load starts once the other browser's
 * previous load reached its load event (+ HANDOFF_GAP_MS) and this browser's previous load is
 * done (settled, metrics read, tab closed). So no two page loads run at once, and each
 * browser's settle time is spent loading the page in the other one.
 */
async function runAlternating(withExtension: BenchBrowser, without: BenchBrowser, url: string): Promise<AbRun> {
  const total = 2 * (WARMUP_LOADS + LOADS);
  const loaded: Promise<void>[] = [];
  const done: Promise<LoadResult>[] = [];
  for (let k = 0; k < total; k++) {
    const browser = k % 2 === 0 ? withExtension : without;
    let markLoaded!: () => void;
    loaded.push(new Promise<void>((resolve) => (markLoaded = resolve)));
    const gate = Promise.all([k >= 2 ? done[k - 2] : null, k >= 1 ? loaded[k - 1]!.then(() => sleep(HANDOFF_GAP_MS)) : null]);
    done.push(
      gate.then(async () => {
        const result = await measureLoad(browser.context, { url, settleMs: SETTLE_MS, onLoaded: markLoaded });
        if (k === 2 * WARMUP_LOADS - 1) log('page: warm-up done');
        return result;
      }),
    );
  }
  const results = await Promise.all(done);
  const measured = results.slice(2 * WARMUP_LOADS);
  const a = measured.filter((_, i) => i % 2 === 0);
  const b = measured.filter((_, i) => i % 2 === 1);
  const overlap = (x: LoadResult, y: LoadResult) => x.startedAt < y.loadedAt && y.startedAt < x.loadedAt;
  const overlapping = a.filter((x) => b.some((y) => overlap(x, y))).length + b.filter((y) => a.some((x) => overlap(x, y))).length;
  return { withExtension: a, without: b, overlapping };
}

interface MetricRow {
  readonly label: string;
  readonly pick: (m: LoadMetrics) => number;
  readonly unit: 'ms' | 'KB';
}

const METRIC_ROWS: readonly MetricRow[] = [
  { label: '**TaskDuration**: all main-thread tasks', pick: (m) => m.taskMs, unit: 'ms' },
  { label: 'ScriptDuration + V8CompileDuration: all JS', pick: (m) => m.scriptMs + m.compileMs, unit: 'ms' },
  { label: '… ScriptDuration', pick: (m) => m.scriptMs, unit: 'ms' },
  { label: '… V8CompileDuration', pick: (m) => m.compileMs, unit: 'ms' },
  { label: 'LayoutDuration + RecalcStyleDuration', pick: (m) => m.layoutMs + m.styleMs, unit: 'ms' },
  { label: 'JS heap used after settle (JSHeapUsedSize)', pick: (m) => m.jsHeapUsedBytes / 1000, unit: 'KB' },
  { label: 'DOMContentLoaded after navigation start (wall clock, so noisy on a busy machine)', pick: (m) => m.domContentLoadedMs, unit: 'ms' },
];

const num = (value: number, unit: 'ms' | 'KB') => (unit === 'KB' ? int(value) : fixed(value, Math.abs(value) < 10 ? 2 : 1));
const signed = (value: number, unit: 'ms' | 'KB') => `${value >= 0 ? '+' : '−'}${num(Math.abs(value), unit)}`;

function abTable(run: AbRun): { table: string; addedTaskMs: number; addedScriptMs: number } {
  const rng = createRng(SEED);
  let addedTaskMs = Number.NaN;
  let addedScriptMs = Number.NaN;
  const rows = METRIC_ROWS.map((row, index) => {
    const a = run.withExtension.map((r) => row.pick(r.metrics));
    const b = run.without.map((r) => row.pick(r.metrics));
    const added = median(a) - median(b);
    if (index === 0) addedTaskMs = added;
    if (index === 1) addedScriptMs = added;
    const [lo, hi] = bootstrapMedianDifference(a, b, rng);
    return [
      row.label,
      `${num(median(b), row.unit)} (${num(Math.min(...b), row.unit)}–${num(Math.max(...b), row.unit)})`,
      `${num(median(a), row.unit)} (${num(Math.min(...a), row.unit)}–${num(Math.max(...a), row.unit)})`,
      `${index === 0 ? '**' : ''}${signed(added, row.unit)}${index === 0 ? '**' : ''}`,
      `${signed(lo, row.unit)} … ${signed(hi, row.unit)}`,
    ];
  });
  const table = markdownTable(
    [`Performance.getMetrics, renderer main thread (CPU ms unless noted), median (min–max) of ${LOADS} loads`, 'without extension', 'with extension', 'added (difference of medians)', '95% bootstrap interval of added'],
    ['l', 'r', 'r', 'r', 'r'],
    rows,
  );
  return { table, addedTaskMs, addedScriptMs };
}

function traceTable(attributions: readonly TraceAttribution[]): string {
  const med = (pick: (a: TraceAttribution) => number) => fixed(median(attributions.map(pick)), 2);
  const rows: string[][] = [
    ['injection at document_start: compile + top-level run incl. WXT wrapper and `main()` (EvaluateScript)', med((a) => a.injection.threadMs), med((a) => a.injection.wallMs)],
    ['… of which compile (v8.compile)', med((a) => a.injection.compileThreadMs), '—'],
    ['DOMContentLoaded listeners + their microtasks (first fingerprint look, warning set-up)', med((a) => a.domContentLoaded.threadMs), med((a) => a.domContentLoaded.wallMs)],
    [`second look: the ${SECOND_LOOK_DELAY_MS / 1000} s timer + its microtasks`, med((a) => a.secondLook.threadMs), med((a) => a.secondLook.wallMs)],
    ['other content-script callbacks (pageshow, …)', med((a) => a.otherCallbacks.threadMs), med((a) => a.otherCallbacks.wallMs)],
    ['**total attributed to the content script**', `**${med((a) => a.total.threadMs)}**`, med((a) => a.total.wallMs)],
  ];
  return markdownTable([`trace events of ${attributions.length} loads with the extension, median per load`, 'main-thread CPU ms', 'wall ms'], ['l', 'r', 'r'], rows);
}

const pct = (share: ProfileShare) => `${share.label} ${fixed(share.share * 100, 0)}%`;

export interface PageSuiteOptions {
  readonly build: boolean;
}

export async function runPageSuite(options: PageSuiteOptions): Promise<{ text: string; pass: boolean }> {
  const started = performance.now();
  const loadAtStart = os.loadavg();
  log(`page: ${options.build ? 'building the extension (npx wxt build)' : 'using the existing .output/chrome-mv3 (--no-build)'}`);
  const extension: PreparedExtension = prepareExtension({ build: options.build });
  const fixture = generateFixturePage();
  assertNotARelay(fixture.html);
  const server = await startPageServer(FIXTURE_HOST, fixture.html);
  const url = `http://${FIXTURE_HOST}/article`;
  const browsers: BenchBrowser[] = [];
  try {
    log('page: launching Chromium with and without the extension');
    const withExtension = await launchBenchBrowser({ label: 'with extension', port: server.port, extensionDir: extension.dir });
    browsers.push(withExtension);
    const without = await launchBenchBrowser({ label: 'without extension', port: server.port, extensionDir: null });
    browsers.push(without);

    log(`page: ${WARMUP_LOADS} warm-up + ${LOADS} measured loads per browser, alternating (about ${Math.round(((WARMUP_LOADS + LOADS) * (SETTLE_MS + 500)) / 1000)} s)`);
    const ab = await runAlternating(withExtension, without, url);
    const { table: metricsTable, addedTaskMs, addedScriptMs } = abTable(ab);

    log(`page: ${TRACE_LOADS} traced loads with the extension`);
    const attributions: TraceAttribution[] = [];
    let inspected: LoadResult['inspected'];
    for (let i = 0; i < TRACE_LOADS; i++) {
      const result = await measureLoad(withExtension.context, { url, settleMs: SETTLE_MS, trace: { categories: TRACE_CATEGORIES }, inspect: i === 0 });
      inspected ??= result.inspected;
      const attribution = attributeTrace(result.trace ?? []);
      if (attribution) attributions.push(attribution);
    }
    log(`page: ${PROFILE_LOADS} profiled loads with the extension`);
    const profiles = [];
    for (let i = 0; i < PROFILE_LOADS; i++) {
      const result = await measureLoad(withExtension.context, { url, settleMs: SETTLE_MS, profileIntervalUs: PROFILE_INTERVAL_US });
      if (result.profile) profiles.push(result.profile);
    }
    const profile = summariseProfiles(profiles, extension.pageScript, 'payload' in extension.sourceMap ? extension.sourceMap.payload : null);
    const loadAtEnd = os.loadavg();

    const gzipTotal = extension.contentScripts.reduce((sum, f) => sum + f.gzipBytes, 0);
    const targets = formatTargets([
      { label: 'added main-thread time on the large page (TaskDuration, difference of medians)', measured: addedTaskMs, limit: TARGET_ADDED_MS, unit: 'ms' },
      { label: 'content scripts gzipped', measured: gzipTotal / 1000, limit: TARGET_GZIP_BYTES / 1000, unit: 'KB' },
    ]);
    const sizeTable = markdownTable(
      ['content script file', 'raw bytes', 'gzip bytes (zlib level 6)'],
      ['l', 'r', 'r'],
      extension.contentScripts.map((f) => [f.name, `${int(f.rawBytes)} (${fixed(f.rawBytes / 1024, 1)} KiB)`, `${int(f.gzipBytes)} (${fixed(f.gzipBytes / 1024, 1)} KiB)`]),
    );
    const secondLookSeen = attributions.filter((a) => a.secondLook.slices > 0).length;
    const serverHosts = [...server.requests].map(([host, count]) => `${host || '(no host)'} ×${count}`).join(', ');
    const traceMedian = attributions.length > 0 ? median(attributions.map((a) => a.total.threadMs)) : Number.NaN;
    const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' / ');
    const totalS = ((performance.now() - started) / 1000).toFixed(1);

    const text = [
      '## Content script cost on a large page (real Chromium)',
      '',
      `${withExtension.version} (${CHROMIUM_PATH}, headless) · Node ${process.version} · CPU: ${os.cpus()[0]?.model ?? 'unknown'} (${os.cpus().length} logical CPUs) · load average (1/5/15 min) ${load(loadAtStart)} at the start of this section, ${load(loadAtEnd)} at its end · extension: ${extension.built ? `built by \`npx wxt build\` in ${((extension.buildMs ?? 0) / 1000).toFixed(1)} s` : 'the existing .output/chrome-mv3 (--no-build)'}`,
      '',
      `Page: ${url}, generated (seeded): ${inspected ? `${int(inspected.elements)} elements in the browser` : `${int(fixture.elements)} elements`}, ${int(fixture.bytes)} bytes of HTML; ${fixture.summary}. Not a relay: none of the fingerprint's relay vocabulary or gateway storage keys, no gateway title; ${inspected ? `${inspected.relayguardElements} RelayGuard element(s) on it after settling` : 'not inspected'}. Requests the server saw: ${serverHosts}.`,
      '',
      metricsTable,
      '',
      attributions.length > 0 ? traceTable(attributions) : `**No trace showed the content script evaluating** (${TRACE_LOADS} traced loads): was it injected?`,
      '',
      profile.attributedMs > 0
        ? [
            `Where the content script's JS time goes (V8 sampling profiler every ${PROFILE_INTERVAL_US} µs over ${profile.loads} loads, ${int(profile.samples)} samples; shares of the ${fixed(profile.attributedMs, 1)} ms the profiler attributed to the content script; the profiler slows JS down, so read shares, not milliseconds; names via ${profile.named}; compile time is not in here, see the trace table):`,
            '',
            `- by module: ${profile.modules.map(pct).join(' · ')}`,
            `- native calls made by it (DOM, extension bindings): ${profile.natives.length > 0 ? profile.natives.map(pct).join(' · ') : 'none sampled'}`,
            '',
            markdownTable(
              ['share', 'function: innermost content-script frame (time in the DOM/extension APIs it calls included), original file:line and its first line'],
              ['r', 'l'],
              profile.functions.map((f) => [`${fixed(f.share * 100, 1)}%`, f.label]),
            ),
          ].join('\n')
        : `No profile sample was attributed to the content script (${profile.loads} profiled loads).`,
      '',
      sizeTable,
      '',
      targets.text,
      '',
      'Method:',
      `- Two Chromium instances (fresh temp profiles), identical flags (headless, ${BASE_FLAGS.join(', ')}, --host-resolver-rules="MAP *.test 127.0.0.1:<port>, MAP * ~NOTFOUND"), one also with --load-extension/--disable-extensions-except=<private copy of .output/chrome-mv3>. The page comes from a node:http server on 127.0.0.1 (Cache-Control: no-store, so every load fetches and parses it).`,
      `- Each load: a new tab, Performance.enable({ timeDomain: 'threadTicks' }) before navigating, page.goto(…, load), ${SETTLE_MS} ms more, Performance.getMetrics, close the tab. The content script looks at the page at DOMContentLoaded and again ${SECOND_LOOK_DELAY_MS} ms later (lib/content/report-page.ts); DOMContentLoaded ≤ load, so the read comes ≥ ${SETTLE_MS - SECOND_LOOK_DELAY_MS} ms after the second look (the traced loads saw it before the read in ${secondLookSeen}/${attributions.length}). Thread ticks make every duration the renderer main thread's CPU time, so another process busy on this 2-core machine hardly inflates it (it still can, through caches and scheduling).`,
      `- ${WARMUP_LOADS} warm-up loads per browser (discarded), then ${LOADS} measured each, alternating with/without: a load starts ${HANDOFF_GAP_MS} ms after the other browser's previous load reached its load event, once its own browser's previous load is done; so page loads never run at the same time (${ab.overlapping} of ${2 * LOADS} measured loads overlapped one), and one browser loads while the other settles.`,
      `- "added" is median(with) − median(without); its interval is a 95% percentile bootstrap (2,000 resamples of each group, seeded). TaskDuration is the headline (and the target): everything the page's main thread does extra — the content script's JS and compile, Blink setting up its isolated world and extension bindings, message handling, GC of its heap. ScriptDuration + V8CompileDuration counts JS only (script run in probes and Blink-initiated compiles), so it leaves out Blink's share and microtasks run outside a script call.`,
      `- The trace table is exact per-slice timing from ${TRACE_LOADS} further loads with the extension, traced (${TRACE_CATEGORIES.join(', ')}); see tests/bench/page-trace.ts for what is attributed. Tracing adds overhead, and microtasks after a runtime.sendMessage reply and the isolated world's set-up are not attributed there: the A/B difference is the number to trust for "added", the trace for how it splits. Median trace total ${fixed(traceMedian, 2)} ms vs added JS (A/B) ${fixed(addedScriptMs, 2)} ms.`,
      `- gzip: Node zlib at its default level 6 (what \`gzip\` and most servers use); the target counts 30 KB as 30,000 bytes, summed over content-scripts/*.js.`,
      `- page section time: ${totalS} s`,
    ].join('\n');
    return { text, pass: targets.pass };
  } finally {
    await Promise.all(browsers.map((b) => b.close()));
    await server.close();
    extension.dispose();
  }
}
