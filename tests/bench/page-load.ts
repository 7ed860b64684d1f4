import type { BrowserContext, CDPSession } from 'playwright-core';

/**
 * One measured page load in a fresh tab: Performance domain enabled (in the thread-ticks time
 * domain) before the navigation starts, navigate, wait for `load`, wait `settleMs` more, read the
 * metrics, close the tab. Optionally records a trace or a V8 CPU profile of the same load.
 */

/** Performance.getMetrics values used by the bench (durations in ms of main-thread CPU time). */
export interface LoadMetrics {
  readonly scriptMs: number;
  readonly compileMs: number;
  readonly taskMs: number;
  readonly layoutMs: number;
  readonly styleMs: number;
  readonly jsHeapUsedBytes: number;
  /** Wall-clock ms from navigation start to DOMContentLoaded (document timing, not thread time). */
  readonly domContentLoadedMs: number;
}

export interface TraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: { readonly data?: Record<string, unknown> } & Record<string, unknown>;
}

export interface CpuProfile {
  readonly nodes: readonly { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface LoadResult {
  readonly metrics: LoadMetrics;
  /** Wall-clock ms of page.goto up to the load event, as the harness saw it. */
  readonly gotoMs: number;
  /** Harness clock (performance.now()) when the navigation started and when `load` was seen. */
  readonly startedAt: number;
  readonly loadedAt: number;
  readonly trace?: readonly TraceEvent[];
  readonly profile?: CpuProfile;
  /** Checks made in the page after the metrics were read (only when asked for). */
  readonly inspected?: { readonly elements: number; readonly relayguardElements: number };
}

export interface LoadOptions {
  readonly url: string;
  readonly settleMs: number;
  readonly trace?: { readonly categories: readonly string[] };
  readonly profileIntervalUs?: number;
  readonly inspect?: boolean;
  /** Called once the load event was seen (or the load failed). */
  readonly onLoaded?: () => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readTrace(session: CDPSession): Promise<TraceEvent[]> {
  const complete = new Promise<string>((resolve) => session.once('Tracing.tracingComplete', (event) => resolve((event as { stream: string }).stream)));
  await session.send('Tracing.end');
  const stream = await complete;
  const chunks: string[] = [];
  for (;;) {
    const { data, eof, base64Encoded } = (await session.send('IO.read', { handle: stream })) as { data: string; eof: boolean; base64Encoded?: boolean };
    chunks.push(base64Encoded ? Buffer.from(data, 'base64').toString('utf8') : data);
    if (eof) break;
  }
  await session.send('IO.close', { handle: stream });
  const parsed = JSON.parse(chunks.join('')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
}

export async function measureLoad(context: BrowserContext, options: LoadOptions): Promise<LoadResult> {
  try {
    return await measure(context, options);
  } finally {
    options.onLoaded?.(); // idempotent for the caller: a second call after the load event changes nothing
  }
}

async function measure(context: BrowserContext, options: LoadOptions): Promise<LoadResult> {
  const page = await context.newPage();
  try {
    const session = await context.newCDPSession(page);
    // Thread ticks: durations are the renderer main thread's CPU time, so other processes on
    // this 2-core machine (the other browser, the extension's worker) hardly inflate them.
    await session.send('Performance.enable', { timeDomain: 'threadTicks' } as never);
    if (options.profileIntervalUs !== undefined) {
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval', { interval: options.profileIntervalUs });
      await session.send('Profiler.start');
    }
    if (options.trace) {
      await session.send('Tracing.start', {
        traceConfig: { includedCategories: [...options.trace.categories], recordMode: 'recordAsMuchAsPossible' },
        transferMode: 'ReturnAsStream',
      } as never);
    }
    const startedAt = performance.now();
    const response = await page.goto(options.url, { waitUntil: 'load' });
    const loadedAt = performance.now();
    options.onLoaded?.();
    if (!response || response.status() !== 200) throw new Error(`${options.url} answered ${response?.status() ?? 'nothing'}`);
    await sleep(options.settleMs);

    const raw = (await session.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const value = (name: string) => raw.metrics.find((m) => m.name === name)?.value ?? Number.NaN;
    const metrics: LoadMetrics = {
      scriptMs: value('ScriptDuration') * 1000,
      compileMs: value('V8CompileDuration') * 1000,
      taskMs: value('TaskDuration') * 1000,
      layoutMs: value('LayoutDuration') * 1000,
      styleMs: value('RecalcStyleDuration') * 1000,
      jsHeapUsedBytes: value('JSHeapUsedSize'),
      domContentLoadedMs: (value('DomContentLoaded') - value('NavigationStart')) * 1000,
    };
    const profile = options.profileIntervalUs !== undefined ? ((await session.send('Profiler.stop')) as { profile: CpuProfile }).profile : undefined;
    const trace = options.trace ? await readTrace(session) : undefined;
    const inspected = options.inspect
      ? await page.evaluate(() => ({ elements: document.getElementsByTagName('*').length, relayguardElements: document.querySelectorAll('[data-relayguard]').length }))
      : undefined;
    await session.detach().catch(() => {});
    return { metrics, gotoMs: loadedAt - startedAt, startedAt, loadedAt, ...(trace && { trace }), ...(profile && { profile }), ...(inspected && { inspected }) };
  } finally {
    await page.close().catch(() => {});
  }
}
