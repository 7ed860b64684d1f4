import type { BrowserContext, CDPSession, Page, Worker } from 'playwright-core';
import { ServiceWorkerControl } from '../e2e/support/service-worker-control.ts';
import { startFixtureServer, type FixtureServer } from '../e2e/support/fixture-server.ts';
import { FIXTURE_SITES, HOSTS } from '../e2e/support/sites.ts';
import { prepareExtension, type PreparedExtension } from './extension-build.ts';
import { generateListJson } from './generate.ts';
import { launchBenchBrowser, type BenchBrowser } from './page-browser.ts';
import { createRng } from './prng.ts';
import { fixed, int, markdownTable } from './report.ts';
import { median } from './stats.ts';

/**
 * Issue 11's list targets, in real Chromium with the built extension: how long a cold service
 * worker takes until every list is in its matcher (the worker's own `relayguard:lists-ready`
 * performance mark, set in createBackground; measured from the worker's time origin), how long
 * after DOMContentLoaded a relay page on a cold worker is warned, how long subscribing takes until
 * the block rules are installed (the subscribe request answers only after that), the worker's
 * heap (CDP Runtime.getHeapUsage on the worker's own target: the V8 heap plus ArrayBuffer backing
 * stores, where the lists' tables live), and that a million-entry list is
 * accepted with every blocked entry covered by an installed redirect rule, real navigations to a
 * sample of them landing on the block page, and nothing left out (`block-rules/status`).
 * Each browser is fresh (a throw-away profile); the lists come from generate.ts (seeded).
 */

const COLD_STARTS = 5;
const WARNING_LOADS = 5;
const NAVIGATION_SAMPLE = 20;
const SEED = 0x11_2026;
const LISTS_READY_MARK = 'relayguard:lists-ready';
const POLICY_LIVE_MARK = 'relayguard:policy-live';
const LIST_HOST = 'lists.bench.test';
const RELAY_URL = `http://${HOSTS.oneApi}/`;
const WARNING_SELECTOR = '[data-relayguard="warning"]';

const log = (message: string) => process.stderr.write(`[bench] lists: ${message}\n`);

interface Scenario {
  readonly label: string;
  readonly entries: number;
}
/** `RELAYGUARD_BENCH_LIST_SIZES=0,100000` runs only those scenarios (entries per subscription). */
const CHOSEN_SIZES = process.env.RELAYGUARD_BENCH_LIST_SIZES?.split(',').map(Number);
const SCENARIOS: readonly Scenario[] = [
  { label: 'bundled only', entries: 0 },
  { label: '100k subscription', entries: 100_000 },
  { label: '1M subscription', entries: 1_000_000 },
].filter((scenario) => CHOSEN_SIZES === undefined || CHOSEN_SIZES.includes(scenario.entries));

interface ScenarioResult {
  readonly label: string;
  readonly entries: number;
  readonly subscribeMs: number | null;
  /** When the first worker had storage.managed's answer in force, ms after its time origin (subscribing waits for it). */
  readonly policyLiveMs: number | null;
  readonly installedRules: number | null;
  readonly leftOut: number | null;
  readonly coldStartMs: number[];
  readonly warningMs: number[];
  readonly heapBytes: number | null;
  readonly enforcement: string | null;
  /** What failed, step by step; the other steps' figures stand. */
  readonly errors: string[];
}

interface Target {
  readonly label: string;
  readonly limit: number;
  readonly unit: string;
  readonly measured: number | null;
}

interface ListEntryJson {
  readonly pattern: string;
  readonly level: string;
}

declare const chrome: {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  declarativeNetRequest: { getDynamicRules(): Promise<{ action: { type: string }; condition: { requestDomains?: string[] } }[]> };
};

/** Sends a request to the background from an extension page, as the options page does; answers the envelope and how long it took. */
async function ask(page: Page, message: unknown): Promise<{ answer: { ok: boolean; data?: unknown; error?: string }; ms: number }> {
  return page.evaluate(async (request) => {
    const started = performance.now();
    const answer = (await chrome.runtime.sendMessage(request)) as { ok: boolean; data?: unknown; error?: string };
    return { answer, ms: performance.now() - started };
  }, message);
}

/** The worker's heap in use with its ArrayBuffers, from its own DevTools target (a page session reaches it through Target). */
async function workerHeapBytes(session: CDPSession, scriptUrl: string): Promise<number> {
  const { targetInfos } = (await session.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
  const target = targetInfos.find((info) => info.type === 'service_worker' && info.url === scriptUrl);
  if (!target) throw new Error(`no service_worker target for ${scriptUrl}`);
  const { sessionId } = (await session.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })) as { sessionId: string };
  try {
    const answer = new Promise<number>((resolve, reject) => {
      const onMessage = ({ sessionId: from, message }: { sessionId: string; message: string }) => {
        if (from !== sessionId) return;
        const parsed = JSON.parse(message) as { id?: number; result?: { usedSize: number; backingStorageSize?: number }; error?: { message: string } };
        if (parsed.id === 2) {
          session.off('Target.receivedMessageFromTarget', onMessage);
          // The lists live in ArrayBuffers, whose bytes are outside the V8 heap: counted in too.
          if (parsed.result?.backingStorageSize === undefined) reject(new Error(`Runtime.getHeapUsage gave no backingStorageSize: ${message.slice(0, 200)}`));
          else resolve(parsed.result.usedSize + parsed.result.backingStorageSize);
        }
      };
      session.on('Target.receivedMessageFromTarget', onMessage);
    });
    // Collect garbage first, so the figure is what the worker holds, not what it has not freed yet.
    await session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }) });
    await session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 2, method: 'Runtime.getHeapUsage' }) });
    return await answer;
  } finally {
    await session.send('Target.detachFromTarget', { sessionId }).catch(() => {});
  }
}

/** Polls the (re)started worker for one of its performance marks: ms after the worker's time origin. */
async function markMs(worker: Worker, name: string): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const mark = await worker.evaluate((markName) => performance.getEntriesByName(markName)[0]?.startTime ?? null, name);
    if (mark !== null) return mark;
    if (Date.now() > deadline) throw new Error(`the worker set no ${name} mark within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const listsReadyMs = (worker: Worker) => markMs(worker, LISTS_READY_MARK);

async function serviceWorker(context: BrowserContext): Promise<Worker> {
  const worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  if (!worker) throw new Error('no extension service worker');
  return worker;
}

/** Stops the worker, wakes it with a message from the options page, and reads its lists-ready mark. */
async function coldStart(control: ServiceWorkerControl, options: Page, worker: Worker): Promise<number> {
  await control.stop();
  await ask(options, { type: 'lists/summary' });
  return listsReadyMs(worker);
}

/** Stops the worker, opens the relay fixture in a new tab, and answers how long after DOMContentLoaded the warning came. */
async function warningOnColdWorker(control: ServiceWorkerControl, context: BrowserContext): Promise<number> {
  await control.stop();
  const page = await context.newPage();
  try {
    await page.addInitScript((selector) => {
      const state = { domContentLoaded: -1, warned: -1 };
      (window as unknown as { __benchWarning: typeof state }).__benchWarning = state;
      document.addEventListener('DOMContentLoaded', () => (state.domContentLoaded = performance.now()), { once: true });
      new MutationObserver((_records, observer) => {
        if (document.querySelector(selector)) {
          state.warned = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    }, WARNING_SELECTOR);
    await page.goto(RELAY_URL, { waitUntil: 'domcontentloaded' });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const state = await page.evaluate(() => (window as unknown as { __benchWarning: { domContentLoaded: number; warned: number } }).__benchWarning);
      if (state.warned >= 0 && state.domContentLoaded >= 0) return state.warned - state.domContentLoaded;
      if (Date.now() > deadline) throw new Error(`no warning on ${RELAY_URL} within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await page.close();
  }
}

/**
 * Every blocked entry of the list is covered by an installed redirect rule: its host, or for a
 * subdomain-matching pattern an ancestor, is in some redirect rule's requestDomains.
 */
function coverage(entries: readonly ListEntryJson[], rules: readonly { action: { type: string }; condition: { requestDomains?: string[] } }[]): { blocked: number; uncovered: string[] } {
  const redirected = new Set(rules.filter((rule) => rule.action.type === 'redirect').flatMap((rule) => rule.condition.requestDomains ?? []));
  const uncovered: string[] = [];
  let blocked = 0;
  for (const { pattern, level } of entries) {
    if (level !== 'blocked') continue;
    blocked++;
    const host = pattern.replace(/^\./, '');
    let covered = redirected.has(host);
    for (let dot = host.indexOf('.'); !covered && !pattern.startsWith('.') && dot !== -1; dot = host.indexOf('.', dot + 1)) covered = redirected.has(host.slice(dot + 1));
    // An exact pattern under a subdomain-blocked ancestor is blocked by the ancestor's rule too.
    for (let dot = host.indexOf('.'); !covered && dot !== -1; dot = host.indexOf('.', dot + 1)) covered = redirected.has(host.slice(dot + 1));
    if (!covered) uncovered.push(pattern);
  }
  return { blocked, uncovered };
}

/** Real navigations to a sample of blocked hosts: each must land on the block page. */
async function navigationsBlocked(context: BrowserContext, hosts: readonly string[]): Promise<number> {
  let redirected = 0;
  const page = await context.newPage();
  try {
    for (const host of hosts) {
      await page.goto(`http://${host}/bench`, { waitUntil: 'commit' }).catch(() => {});
      if (/^chrome-extension:\/\/[a-p]{32}\/blocked\.html#/.test(page.url())) redirected++;
    }
  } finally {
    await page.close();
  }
  return redirected;
}

async function runScenario(scenario: Scenario, prepared: PreparedExtension, server: FixtureServer): Promise<ScenarioResult> {
  let entries: ListEntryJson[] = [];
  if (scenario.entries > 0) {
    log(`${scenario.label}: generating the list`);
    const list = JSON.parse(generateListJson(createRng(SEED + scenario.entries), scenario.entries)) as { entries: ListEntryJson[] };
    entries = list.entries;
    server.json(`http://${LIST_HOST}/${scenario.entries}.json`, list);
  }
  const browser: BenchBrowser = await launchBenchBrowser({ label: scenario.label, port: server.port, extensionDir: prepared.dir });
  try {
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    const worker = await serviceWorker(browser.context);
    const control = await ServiceWorkerControl.attach(browser.context, options, `chrome-extension://${browser.extensionId}/`);
    await listsReadyMs(worker);
    // Chromium answers storage.managed seconds after a launch; a subscription waits for that answer
    // before it stores anything (a lock may forbid it). Timed once it is in, so the figure is ours.
    const policyLiveMs = await markMs(worker, POLICY_LIVE_MARK);

    let subscribeMs: number | null = null;
    if (scenario.entries > 0) {
      log(`${scenario.label}: subscribing`);
      const { answer, ms } = await ask(options, { type: 'lists/subscribe', url: `http://${LIST_HOST}/${scenario.entries}.json` });
      const summary = answer.data as { entryCount?: number } | undefined;
      if (!answer.ok || summary?.entryCount !== scenario.entries) throw new Error(`subscribing answered ${JSON.stringify(answer).slice(0, 300)}`);
      subscribeMs = ms;
    }
    const status = (await ask(options, { type: 'block-rules/status' })).answer.data as { installed: number | null; leftOut: { count: number }[] };

    let enforcement: string | null = null;
    if (scenario.entries >= 1_000_000) {
      const rules = await worker.evaluate(() => chrome.declarativeNetRequest.getDynamicRules());
      const { blocked, uncovered } = coverage(entries, rules);
      const rng = createRng(SEED);
      const sample = Array.from({ length: NAVIGATION_SAMPLE }, () => {
        const blockedEntries = entries.filter((entry) => entry.level === 'blocked');
        return blockedEntries[rng.int(0, blockedEntries.length - 1)]!.pattern.replace(/^\./, '');
      });
      const landed = await navigationsBlocked(browser.context, sample);
      enforcement = `${int(blocked - uncovered.length)} of ${int(blocked)} blocked entries have a redirect rule${uncovered.length ? ` (missing e.g. ${uncovered.slice(0, 3).join(', ')})` : ''}; ${landed} of ${NAVIGATION_SAMPLE} sampled navigations landed on the block page`;
      if (uncovered.length > 0 || landed !== NAVIGATION_SAMPLE) throw new Error(enforcement);
    }

    const session = await browser.context.newCDPSession(options);
    const heapBytes = await workerHeapBytes(session, worker.url());
    await session.detach();

    log(`${scenario.label}: ${COLD_STARTS} cold starts`);
    const coldStartMs: number[] = [];
    for (let i = 0; i < COLD_STARTS; i++) coldStartMs.push(await coldStart(control, options, worker));

    const warningMs: number[] = [];
    const errors: string[] = [];
    if (scenario.entries <= 100_000) {
      log(`${scenario.label}: ${WARNING_LOADS} warnings on a cold worker`);
      try {
        for (let i = 0; i < WARNING_LOADS; i++) warningMs.push(await warningOnColdWorker(control, browser.context));
      } catch (error) {
        errors.push(`warning on a cold worker: ${error instanceof Error ? error.message.split('\n')[0]! : String(error)}`);
      }
    }
    await control.detach();
    return {
      label: scenario.label,
      entries: scenario.entries,
      subscribeMs,
      policyLiveMs,
      installedRules: status.installed,
      leftOut: status.leftOut.reduce((sum, item) => sum + item.count, 0),
      coldStartMs,
      warningMs,
      heapBytes,
      enforcement,
      errors,
    };
  } finally {
    await browser.close();
  }
}

function targetsOf(results: readonly ScenarioResult[]): Target[] {
  const by = (entries: number) => results.find((result) => result.entries === entries);
  const med = (values: readonly number[] | undefined) => (values && values.length > 0 ? median(values) : null);
  return [
    { label: 'worker cold start → lists ready, bundled only (median)', limit: 50, unit: 'ms', measured: med(by(0)?.coldStartMs) },
    { label: 'worker cold start → lists ready, 100k subscription (median)', limit: 150, unit: 'ms', measured: med(by(100_000)?.coldStartMs) },
    { label: 'worker cold start → lists ready, 1M subscription (median)', limit: 500, unit: 'ms', measured: med(by(1_000_000)?.coldStartMs) },
    { label: 'warning after DOMContentLoaded, cold worker, 100k (median)', limit: 300, unit: 'ms', measured: med(by(100_000)?.warningMs) },
    { label: 'subscribe 100k → block rules installed', limit: 2_000, unit: 'ms', measured: by(100_000)?.subscribeMs ?? null },
    { label: 'worker heap with 100k', limit: 30, unit: 'MB', measured: by(100_000)?.heapBytes === undefined || by(100_000)?.heapBytes === null ? null : by(100_000)!.heapBytes! / 1024 / 1024 },
  ];
}

export async function runListsSuite({ build }: { build: boolean }): Promise<{ text: string; pass: boolean }> {
  const prepared = prepareExtension({ build });
  const server = await startFixtureServer({ sites: FIXTURE_SITES });
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of SCENARIOS) {
      try {
        results.push(await runScenario(scenario, prepared, server));
      } catch (error) {
        const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
        log(`${scenario.label}: FAILED: ${message}`);
        results.push({ label: scenario.label, entries: scenario.entries, subscribeMs: null, policyLiveMs: null, installedRules: null, leftOut: null, coldStartMs: [], warningMs: [], heapBytes: null, enforcement: null, errors: [message] });
      }
    }
  } finally {
    await server.close();
    prepared.dispose();
  }

  const ms = (value: number | null) => (value === null ? '—' : int(value));
  const table = markdownTable(
    ['lists', 'storage.managed in force after launch', 'subscribe → rules installed', 'rules installed', 'left out', 'cold start → lists ready (median, runs)', 'warning after DOMContentLoaded, cold (median, runs)', 'worker heap with ArrayBuffers'],
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    results.map((result) => [
      result.label,
      result.policyLiveMs === null ? '—' : `${int(result.policyLiveMs)} ms`,
      result.subscribeMs === null ? '—' : `${int(result.subscribeMs)} ms`,
      ms(result.installedRules),
      ms(result.leftOut),
      result.coldStartMs.length ? `${int(median(result.coldStartMs))} ms (${result.coldStartMs.map(int).join(', ')})` : '—',
      result.warningMs.length ? `${int(median(result.warningMs))} ms (${result.warningMs.map(int).join(', ')})` : '—',
      result.heapBytes === null ? '—' : `${fixed(result.heapBytes / 1024 / 1024, 1)} MB`,
    ]),
  );
  const targets = targetsOf(results);
  const million = results.find((result) => result.entries === 1_000_000);
  const millionOk = million !== undefined && million.errors.length === 0 && million.enforcement !== null && million.leftOut === 0;
  const targetRows = [
    ...targets.map((target) => [
      target.label,
      `≤ ${int(target.limit)} ${target.unit}`,
      target.measured === null ? 'not measured' : `${target.unit === 'MB' ? fixed(target.measured, 1) : int(target.measured)} ${target.unit}`,
      target.measured !== null && target.measured <= target.limit ? 'met' : 'MISSED',
    ]),
    ['1M accepted, every entry enforced', 'all blocked entries redirected, nothing left out', million?.enforcement ?? million?.errors[0] ?? 'not measured', millionOk ? 'met' : 'MISSED'],
  ];
  const pass = targets.every((target) => target.measured !== null && target.measured <= target.limit) && millionOk;
  const errors = results.flatMap((result) => result.errors.map((error) => `- ${result.label}: **failed**: ${error}`));
  const text = [
    '## Lists in real Chromium: start-up, subscription, block rules (issue 11 targets)',
    '',
    `Headless ${SCENARIOS.length} fresh browsers, the built extension; lists generated by tests/bench/generate.ts (seeded). Subscribe: timed from the options page's request to its answer, which comes once the block rules are installed, after the worker has the live managed policy (first column: how long Chromium took to answer storage.managed after the launch, out of RelayGuard's hands; a subscription asked for sooner downloads meanwhile and waits for it before storing). Cold start: the worker stopped through CDP, woken by a message; ${COLD_STARTS} runs each. Warning: a one-api fixture page opened on a stopped worker; ${WARNING_LOADS} runs.`,
    '',
    table,
    '',
    markdownTable(['target', 'limit', 'measured', ''], ['l', 'r', 'r', 'l'], targetRows),
    ...(errors.length ? ['', ...errors] : []),
    '',
    `**${pass ? 'PASS' : 'FAIL'}** (list targets)`,
  ].join('\n');
  return { text, pass };
}
