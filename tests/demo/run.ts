/**
 * `npm run demo`: RelayGuard in Chromium on a handful of local demo sites, one per thing it tells
 * apart (tests/demo/sites.ts), so a newcomer sees every warning in a minute.
 *
 * 1. builds the extension (`npx wxt build`) and the browser bundle of the OpenAI SDK;
 * 2. serves the demo sites on 127.0.0.1 (an ephemeral port) under made-up host names, with an
 *    index page at http://relayguard-demo.test/ linking them all;
 * 3. starts Chromium (/usr/bin/chromium) with RelayGuard loaded, a fresh temp profile, and DNS
 *    that sends the demo hosts to that server and fails everything else;
 * 4. subscribes RelayGuard to a small demo blocklist the server serves (the real `lists/subscribe`
 *    message, sent from an extension page).
 *
 * With a display (DISPLAY or WAYLAND_DISPLAY) the window stays open on the index page until it
 * is closed or Ctrl+C. Without one the run is headless: it visits every site, opens the popup
 * for each tab, saves screenshots, prints a summary table and exits 1 if a level differs.
 *
 *   npm run demo                      headed with a display, headless without
 *   npm run demo -- --headless        headless even with a display
 *   npm run demo -- --out <dir>       screenshots there (default tests/demo/.artifacts/<timestamp>/)
 *
 * Exit codes: 0 all as expected (or the window was closed), 1 a level or a check differed,
 * 2 the demo itself failed (build, server, browser), 3 it ran out of time, 130/143/129 interrupted (SIGINT/SIGTERM/SIGHUP).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { buildSdkBundles } from '../e2e/sdk/bundle.ts';
import { launchExtensionBrowser, type ExtensionBrowser } from '../e2e/support/browser.ts';
import { RealClipboard } from '../e2e/support/clipboard.ts';
import { buildExtensionCopy, ROOT, type BuiltExtension } from '../e2e/support/extension-build.ts';
import { startFixtureServer, type FixtureServer } from '../e2e/support/fixture-server.ts';
import { InterstitialPage } from '../e2e/support/interstitial-page.ts';
import { subscribeList } from '../e2e/support/lists.ts';
import { pollUntil } from '../e2e/support/poll.ts';
import { PopupPage } from '../e2e/support/popup-page.ts';
import { sampleKeys } from '../support/generated-keys.ts';
import {
  CHAT_RELAY_ENDPOINT,
  CHAT_REPLY,
  DEMO_BLOCKLIST,
  DEMO_BLOCKLIST_URL,
  DEMO_HOSTS,
  DEMO_SITES,
  demoSiteDirs,
  indexPage,
  realHostsOf,
  type DemoSite,
} from './sites.ts';

/** Everything before the window is handed to a person, and a whole headless run. */
const OVERALL_TIMEOUT_MS = 120_000;
/** How long one site may keep the popup from showing its expected level. */
const LEVEL_TIMEOUT_MS = 10_000;
/** The in-page warning appears within 2 s of the page or of the evidence (docs/test-contract.md). */
const WARNING_TIMEOUT_MS = 5_000;
/** Closing the browser and the server at the end. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

const INDEX_URL = `http://${DEMO_HOSTS.index}/`;
const ARTIFACTS_ROOT = fileURLToPath(new URL('./.artifacts/', import.meta.url));

// ---------------------------------------------------------------------------------------------
// Arguments and mode.

const USAGE = `usage: npm run demo [-- --headless] [-- --out <dir>]
  --headless   run the headless check even when a display is set
  --out <dir>  where the headless run writes its screenshots
               (default tests/demo/.artifacts/<timestamp>/)`;

let args: { headless?: boolean; out?: string; help?: boolean };
try {
  args = parseArgs({
    options: { headless: { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  }).values;
} catch (error) {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const headed = hasDisplay && !args.headless;
const isRoot = process.getuid?.() === 0;

// ---------------------------------------------------------------------------------------------
// Resources, and one way out that releases them all, whatever ends the run.

let built: BuiltExtension | undefined;
let indexDir: string | undefined;
let server: FixtureServer | undefined;
let browser: ExtensionBrowser | undefined;
let step = 'starting';
/** Set once shutting down; every later way out waits for the same cleanup. */
let stopping: Promise<void> | undefined;
let exitCode = 0;

const watchdog = setTimeout(() => {
  console.error(`\ndemo: gave up after ${OVERALL_TIMEOUT_MS / 1000} s while ${step}.`);
  void shutdown(3);
}, OVERALL_TIMEOUT_MS);

function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The temp directories; synchronous, so a second Ctrl+C can still run it. */
function removeTempDirs(): void {
  built?.remove();
  built = undefined;
  if (indexDir) rmSync(indexDir, { recursive: true, force: true });
  indexDir = undefined;
}

/**
 * Closes the browser (which deletes its temp profile) and the server, deletes the temp
 * directories, and exits with the code of the first call (a Ctrl+C also closes the browser,
 * whose close then asks to shut down again).
 */
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    exitCode = code;
    clearTimeout(watchdog);
    stopping = within(Promise.allSettled([browser?.close(), server?.close()]), SHUTDOWN_TIMEOUT_MS).then(removeTempDirs);
  }
  await stopping;
  process.exit(exitCode);
}

function onSignal(signal: NodeJS.Signals, code: number): void {
  if (stopping) {
    // Asked twice: stop waiting for the browser.
    removeTempDirs();
    process.exit(code);
  }
  console.error(`\ndemo: ${signal}, stopping…`);
  void shutdown(code);
}
process.on('SIGINT', () => onSignal('SIGINT', 130));
process.on('SIGTERM', () => onSignal('SIGTERM', 143));
process.on('SIGHUP', () => onSignal('SIGHUP', 129));

function log(line: string): void {
  console.log(line);
}

// ---------------------------------------------------------------------------------------------
// Setting up: build, serve, launch, subscribe.

/** The few lines of `wxt build`'s output worth seeing, without its spinner. */
function buildSummary(output: string): string[] {
  return output
    // eslint-disable-next-line no-control-regex -- ANSI escape sequences start with ESC
    .split(/\r|\n|\x1b\[[0-9;?]*[A-Z]/i)
    .map((line) => line.trim())
    .filter((line) => /^(?:WXT \d|[ℹ✔Σ⚠✖])/.test(line));
}

async function setUp(): Promise<ExtensionBrowser> {
  step = 'building the extension (npx wxt build)';
  log('demo: building the extension (npx wxt build)…');
  built = buildExtensionCopy({ label: 'demo', onFailure: 'no demo', timeoutMs: OVERALL_TIMEOUT_MS / 2 });
  for (const line of buildSummary(built.output)) log(`  │ ${line}`);

  step = 'bundling the OpenAI SDK for the chat app';
  const sdkBundleDir = await buildSdkBundles();

  step = 'starting the demo server';
  indexDir = mkdtempSync(join(tmpdir(), 'relayguard-demo-index-'));
  writeFileSync(join(indexDir, 'index.html'), indexPage(DEMO_SITES, sampleKeys.openai));
  server = await startFixtureServer({ sites: demoSiteDirs(indexDir, sdkBundleDir) });
  server.json(CHAT_RELAY_ENDPOINT, CHAT_REPLY);
  log(`demo: serving ${DEMO_SITES.length + 1} demo sites on 127.0.0.1:${server.port}`);

  step = 'starting Chromium';
  log(`demo: starting Chromium ${headed ? 'in a window' : 'headless'}${isRoot ? ' (--no-sandbox: running as root)' : ''}…`);
  const launched = await launchExtensionBrowser({
    extensionPath: built.path,
    fixturePort: server.port,
    realHosts: realHostsOf(DEMO_SITES),
    headless: !headed,
    sandbox: !isRoot,
    handleSIGINT: false,
  });
  browser = launched;

  step = 'subscribing RelayGuard to the demo blocklist';
  await subscribeList(launched, server, DEMO_BLOCKLIST_URL, DEMO_BLOCKLIST);
  // sendToBackground() spoke from a popup.html tab; a person has no use for it.
  await Promise.all(
    launched.context
      .pages()
      .filter((page) => page.url().startsWith(launched.extensionUrl('')))
      .map((page) => page.close()),
  );
  log(`demo: subscribed to "${DEMO_BLOCKLIST.name}" (${DEMO_BLOCKLIST_URL}), blocking ${DEMO_BLOCKLIST.entries.map((entry) => entry.pattern).join(', ')}`);
  return launched;
}

// ---------------------------------------------------------------------------------------------
// Headed: hand the window to the person.

async function runHeaded(launched: ExtensionBrowser): Promise<never> {
  step = 'opening the index page';
  const first = launched.context.pages().find((page) => page.url() === 'about:blank') ?? (await launched.newPage());
  await first.goto(INDEX_URL);
  clearTimeout(watchdog); // from here on the person decides how long it runs
  log('');
  log(`demo: Chromium is open on ${INDEX_URL}`);
  for (const site of DEMO_SITES) log(`  ${site.id.padEnd(11)} ${site.url}`);
  log('demo: pin RelayGuard (puzzle-piece icon) to see its badge. Close the window or press Ctrl+C to stop.');
  await new Promise<void>((resolve) => launched.context.once('close', () => resolve()));
  if (!stopping) log('demo: the browser was closed; cleaning up.');
  return shutdown(0);
}

// ---------------------------------------------------------------------------------------------
// Headless: visit every site and report.

interface Row {
  readonly site: DemoSite;
  shown: string;
  page: string;
  badge: string;
  screenshots: string[];
  /** A check other than the level that did not hold, or an error while visiting. */
  problem?: string;
}

function timestamp(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, '').replace(/[:T]/g, '-');
}

async function warningLevel(page: Page, wait: boolean): Promise<string | null> {
  const warning = page.locator('[data-relayguard="warning"]');
  if (wait) {
    await warning.waitFor({ state: 'attached', timeout: WARNING_TIMEOUT_MS }).catch(() => {});
  }
  if ((await warning.count()) === 0) return null;
  return warning.first().getAttribute('data-level');
}

async function visit(launched: ExtensionBrowser, site: DemoSite, index: number, outDir: string, clipboard: RealClipboard): Promise<Row> {
  const row: Row = { site, shown: '—', page: '—', badge: '—', screenshots: [] };
  const shot = async (page: Page, what: string): Promise<void> => {
    const file = join(outDir, `${String(index).padStart(2, '0')}-${site.id}-${what}.png`);
    await page.screenshot({ path: file });
    row.screenshots.push(file);
  };
  const warns = site.expected === 'unvetted' || site.expected === 'blocked';
  const notes: string[] = [];

  let page: Page;
  if (site.visit === 'blocked') {
    page = await launched.newPage();
    await page.goto(site.url).catch(() => {}); // the redirect to blocked.html may abort this navigation
    const interstitial = await InterstitialPage.expectOn(launched, page, site.url);
    await shot(page, 'block-page');
    // What the toolbar popup says while the tab shows the block page.
    const popupThere = await PopupPage.open(launched, await launched.tabIdOf(page));
    const levelThere = await popupThere.level(2_000).catch(() => null);
    await shot(popupThere.page, 'block-page-popup');
    await popupThere.close();
    notes.push(`block page (its popup: ${levelThere ?? 'no verdict'})`);
    // Then through it, as a person who clicks "Continue once" would be.
    await interstitial.proceed();
    notes.push('continued once');
  } else {
    page = await launched.newPage();
    const response = await page.goto(site.url);
    // A page the server did not have would rightly be "unknown": say so rather than leave it a riddle.
    if (response && !response.ok()) notes.push(`HTTP ${response.status()}`);
  }

  if (site.visit === 'chat') {
    await page.locator('#api-key').fill(sampleKeys.newApiToken);
    await page.locator('#send').click();
    const state = await pollUntil(
      async () => page.locator('#reply').getAttribute('data-state'),
      (value) => value !== 'pending',
      { timeout: 10_000, message: 'the chat app never got an answer from the relay' },
    );
    notes.push(state === 'done' ? 'SDK call answered' : `SDK call ${state}`);
  }

  const tabId = await launched.tabIdOf(page);
  const popup = await PopupPage.open(launched, tabId);
  try {
    await popup.waitForLevel(site.expected, LEVEL_TIMEOUT_MS);
  } catch {
    // Report what it shows instead.
  }
  row.shown = await popup.level().catch(() => 'none');

  const warning = await warningLevel(page, warns);
  notes.push(warning ? `warning: ${warning}` : 'no warning');
  if (warns && warning !== site.expected) row.problem = `in-page warning ${warning ?? 'missing'}`;
  if (!warns && warning) row.problem = `unexpected in-page warning ${warning}`;
  await page.bringToFront();
  await shot(page, 'page');
  await shot(popup.page, 'popup');
  const badge = await launched.toolbarBadge(tabId);
  row.badge = badge.text || '(none)';

  if (site.visit === 'open-and-paste') {
    const field = page.locator('#channel-key');
    await clipboard.paste(sampleKeys.openai, field);
    const guard = page.locator('[data-relayguard="paste-guard"]');
    const held = await guard.waitFor({ state: 'attached', timeout: WARNING_TIMEOUT_MS }).then(
      () => true,
      () => false,
    );
    const value = await field.inputValue();
    await shot(page, 'paste');
    if (held && value === '') {
      notes.push('key paste held');
      await page.locator('[data-testid="cancel-paste"]').click().catch(() => {});
    } else {
      notes.push('key paste NOT held');
      row.problem = `a pasted vendor key was ${held ? 'held but also inserted' : 'not held'}`;
    }
  }
  row.page = notes.join(', ');
  await Promise.all([page.close(), popup.close()]).catch(() => {});
  return row;
}

/** `01-relay-page.png 01-relay-popup.png` → `01-relay-{page,popup}.png` */
function shotNames(files: readonly string[]): string {
  if (files.length === 0) return '—';
  if (files.length === 1) return files[0]!;
  const prefix = files.reduce((common, file) => {
    let length = 0;
    while (length < common.length && common[length] === file[length]) length += 1;
    return common.slice(0, length);
  });
  const head = prefix.slice(0, prefix.lastIndexOf('-') + 1);
  const tails = files.map((file) => file.slice(head.length).replace(/\.png$/, ''));
  return `${head}{${tails.join(',')}}.png`;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(headers), line(widths.map((width) => '─'.repeat(width))), ...rows.map(line)].join('\n');
}

async function runHeadless(launched: ExtensionBrowser): Promise<never> {
  const outDir = resolve(args.out ?? join(ARTIFACTS_ROOT, timestamp()));
  mkdirSync(outDir, { recursive: true });
  log(`demo: screenshots go to ${outDir}`);

  step = 'opening the index page';
  const indexTab = await launched.newPage(INDEX_URL);
  await indexTab.screenshot({ path: join(outDir, '00-index.png'), fullPage: true });
  await indexTab.close();

  const clipboard = new RealClipboard(launched, server!.port);
  const rows: Row[] = [];
  for (const [position, site] of DEMO_SITES.entries()) {
    if (stopping) break; // out of time or interrupted: shutdown() exits
    step = `visiting ${site.id} (${site.url})`;
    try {
      rows.push(await visit(launched, site, position + 1, outDir, clipboard));
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      rows.push({ site, shown: 'error', page: '—', badge: '—', screenshots: [], problem: message });
    }
  }
  await clipboard.close();
  if (stopping) return shutdown(exitCode);

  const failed = rows.filter((row) => row.shown !== row.site.expected || row.problem);
  log('');
  log(
    table(
      ['', 'site', 'expected', 'shown', 'badge', 'on the page', 'screenshots'],
      rows.map((row) => [
        row.shown === row.site.expected && !row.problem ? 'ok' : 'FAIL',
        row.site.id,
        row.site.expected,
        row.shown,
        row.badge,
        row.page,
        shotNames(row.screenshots.map((file) => relative(outDir, file))),
      ]),
    ),
  );
  log('');
  for (const row of failed) {
    log(`demo: ${row.site.id}: expected ${row.site.expected}, the popup showed ${row.shown}${row.problem ? `; ${row.problem}` : ''}`);
  }
  const shown = relative(ROOT, outDir);
  log(`demo: ${rows.length - failed.length}/${rows.length} as expected; screenshots in ${shown.startsWith('..') ? outDir : shown}/`);
  return shutdown(failed.length === 0 ? 0 : 1);
}

// ---------------------------------------------------------------------------------------------

try {
  const launched = await setUp();
  await (headed ? runHeaded(launched) : runHeadless(launched));
} catch (error) {
  if (!stopping) {
    console.error(`demo: failed while ${step}:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await shutdown(2);
  }
}
