import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { ServiceWorkerControl } from './service-worker-control.ts';
import { CORPUS_REAL_HOSTS, HOSTS } from './sites.ts';

/**
 * One Chromium with the built extension loaded, in a throw-away profile, whose DNS sends the
 * fixture hosts to the fixture server. Everything else fails to resolve, so no test can reach
 * the internet by accident.
 */

const CHROMIUM_PATH = process.env.RELAYGUARD_E2E_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Real hostnames the fixture server plays. Only hosts that Chromium loads over plain http may
 * be listed: HSTS-preloaded ones (openai.com and all its subdomains, every *.dev/*.app) are
 * upgraded to https:// inside the browser and then fail against our http-only server. The
 * vendor-console typosquats are on .com for realism (a look-alike of anthropic.com on .test
 * would prove less); neither name is preloaded.
 */
// gateway.ai.cloudflare.com: the multi-tenant gateway whose accounts lists vet one by one (traffic.e2e.ts).
const REAL_FIXTURE_HOSTS = [
  'openrouter.ai',
  'console.groq.com',
  'gateway.ai.cloudflare.com',
  HOSTS.consoleBrandWithKeyword,
  HOSTS.consoleTypo,
  // The false-positive corpus's vendor consoles, and the vendor APIs its chat apps call.
  ...CORPUS_REAL_HOSTS,
  'api.mistral.ai',
  'api.deepseek.com',
] as const;

/** Types for the few extension APIs the harness calls inside the browser (no @types/chrome here). */
interface ChromeSubset {
  tabs: {
    query(filter: { active?: boolean; lastFocusedWindow?: boolean }): Promise<Array<{ id?: number; url?: string }>>;
  };
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  i18n: { getUILanguage(): string };
  action: {
    getBadgeText(details: { tabId: number }): Promise<string>;
    getTitle(details: { tabId: number }): Promise<string>;
  };
}
declare const chrome: ChromeSubset;

export interface LaunchOptions {
  /** The unpacked extension (`.output/chrome-mv3`). */
  readonly extensionPath: string;
  /** Port of the fixture server on 127.0.0.1. */
  readonly fixturePort: number;
  /** Real hostnames to send to the fixture server besides `*.test`. */
  readonly realHosts?: readonly string[];
  /** False opens a window a person can use (the demo, tests/demo/); headless unless told. */
  readonly headless?: boolean;
  /** Keep Chromium's sandbox; off (`--no-sandbox`) unless told, since the tests run as root. */
  readonly sandbox?: boolean;
  /**
   * Playwright's own Ctrl+C handling: close the browser, then exit the process at once. On unless
   * told; a caller that cleans up after itself on SIGINT turns it off.
   */
  readonly handleSIGINT?: boolean;
  /**
   * The browser's UI language as a BCP 47 tag (`'zh-CN'`, `'en-US'`): what
   * `chrome.i18n.getUILanguage()` answers and which `_locales/` folder the extension speaks from.
   * Unset: whatever the environment gives (LANG=C.UTF-8 gives `en-US`). See browserLocaleEnv().
   */
  readonly locale?: string;
  /**
   * A profile that outlives this browser (the caller creates and removes it): a second launch on
   * it is a browser restart, with the extension already installed and its session to restore.
   * Unset: a throw-away profile, removed on close.
   */
  readonly userDataDir?: string;
  /** Reopen the tabs of the profile's last session (`--restore-last-session`), and no blank page. */
  readonly restoreLastSession?: boolean;
  /**
   * What a person does first once the browser is up (open a page, say), run before the harness
   * waits for the extension's service worker: the extension is then still starting.
   */
  readonly onLaunch?: (context: BrowserContext) => Promise<void>;
}

export interface ExtensionBrowser {
  readonly context: BrowserContext;
  readonly extensionId: string;
  /** `chrome.i18n.getUILanguage()` as the extension sees it (`en-US`, `zh-CN`). */
  readonly uiLanguage: string;
  /** `chrome-extension://<id>/<path>` */
  extensionUrl(path: string): string;
  /**
   * The extension's background service worker, re-acquired if Chromium restarted it. After
   * stopServiceWorker() it waits (up to 15 s) for something else to wake the worker: asking for
   * it never wakes it, so a test decides which event does.
   */
  serviceWorker(): Promise<Worker>;
  /** Stops the service worker (as an idle timeout would) and resolves once Chromium reports it stopped. */
  stopServiceWorker(): Promise<ServiceWorkerControl>;
  /** The toolbar button's badge text and tooltip for one tab, read from the service worker. */
  toolbarBadge(tabId: number): Promise<{ text: string; title: string }>;
  /** A fresh tab, optionally navigated to `url` (waits for `load`). */
  newPage(url?: string): Promise<Page>;
  /** The extension's tab id for a page opened in this browser. */
  tabIdOf(page: Page): Promise<number>;
  /** `chrome.runtime.sendMessage(message)` from an extension page; resolves to the answer. */
  sendToBackground<T = unknown>(message: unknown): Promise<T>;
  close(): Promise<void>;
}

/** Fixture origins allowed to register a service worker over plain http. */
const SERVICE_WORKER_ORIGINS = ['http://traffic-lab.test'];

function hostResolverRules(port: number, realHosts: readonly string[]): string {
  return [
    `MAP *.test 127.0.0.1:${port}`,
    // The same hosts spelled with the DNS root's trailing dot (`api.example.test.`).
    `MAP *.test. 127.0.0.1:${port}`,
    ...realHosts.map((host) => `MAP ${host} 127.0.0.1:${port}`),
    // Anything else must not leave the machine: make it fail fast instead of timing out.
    'MAP * ~NOTFOUND',
    'EXCLUDE localhost',
  ].join(', ');
}

/**
 * The environment Chromium on Linux needs to run in `locale`. `--lang` alone is not enough there:
 * it only changes which `_locales/` folder extension messages come from, while the browser's own
 * locale (and so `chrome.i18n.getUILanguage()`, `navigator.language`, `Accept-Language`) follows
 * the gettext variables, LANGUAGE first, then LC_ALL / LC_MESSAGES / LANG. And a locale only
 * takes if Chromium has its resource pack: Debian ships only en-US.pak with `chromium` and the
 * others in `chromium-l10n` (/usr/lib/chromium/locales/<locale>.pak); without it Chromium falls
 * back to en-US whatever the environment says.
 */
function browserLocaleEnv(locale: string, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const posix = locale.replace('-', '_'); // zh-CN → zh_CN
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && name !== 'LC_ALL' && name !== 'LC_MESSAGES') env[name] = value;
  }
  return { ...env, LANGUAGE: posix, LANG: `${posix}.UTF-8` };
}

export async function launchExtensionBrowser(options: LaunchOptions): Promise<ExtensionBrowser> {
  const { extensionPath, fixturePort, realHosts = REAL_FIXTURE_HOSTS, headless = true, sandbox = false, handleSIGINT = true, locale } = options;
  if (!existsSync(join(extensionPath, 'manifest.json'))) {
    throw new Error(`No extension at ${extensionPath} (manifest.json missing): build it first.`);
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`No Chromium at ${CHROMIUM_PATH}.`);

  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'relayguard-e2e-'));
  const removeProfile = () => {
    if (!options.userDataDir) rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };

  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      // Playwright's headless for Chromium is the new headless mode, which runs extensions.
      headless,
      // A window keeps the size the person gives it instead of a fixed 1280×720 page.
      ...(!headless && { viewport: null }),
      handleSIGINT,
      // Playwright adds --no-sandbox itself unless told the sandbox is wanted.
      chromiumSandbox: sandbox,
      args: [
        ...(sandbox ? [] : ['--no-sandbox']), // the tests run as root
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        `--disable-extensions-except=${extensionPath}`,
        `--load-extension=${extensionPath}`,
        `--host-resolver-rules=${hostResolverRules(fixturePort, realHosts)}`,
        // Service workers need a secure context; the fixture web is plain http (traffic.e2e.ts).
        `--unsafely-treat-insecure-origin-as-secure=${SERVICE_WORKER_ORIGINS.join(',')}`,
        ...(locale ? [`--lang=${locale}`] : []),
        ...(options.restoreLastSession ? ['--restore-last-session'] : []),
      ],
      // Playwright opens about:blank in a persistent context; a restored session brings its own tabs.
      ...(options.restoreLastSession && { ignoreDefaultArgs: ['about:blank'] }),
      ...(locale && { env: browserLocaleEnv(locale) }),
    });
  } catch (error) {
    removeProfile();
    throw error;
  }
  // Fail a stuck wait well inside the 60 s test timeout, with Playwright's own message.
  context.setDefaultTimeout(15_000);

  const isExtensionWorker = (worker: Worker) => worker.url().startsWith('chrome-extension://');
  // Set once a test stops the worker; from then on "running" is read from the DevTools protocol.
  let workerControl: ServiceWorkerControl | undefined;
  async function serviceWorker(): Promise<Worker> {
    await workerControl?.waitFor(
      (status) => status === 'running',
      15_000,
      'the stopped service worker to be woken by an event (a message, a navigation)',
    );
    const running = context.serviceWorkers().find(isExtensionWorker);
    if (running) return running;
    return context.waitForEvent('serviceworker', { predicate: isExtensionWorker, timeout: 15_000 });
  }

  let firstWorker: Worker;
  try {
    await options.onLaunch?.(context);
    firstWorker = await serviceWorker();
  } catch (error) {
    await context.close().catch(() => {});
    removeProfile();
    throw new Error(
      `The extension's service worker never started: did ${extensionPath} load? (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  // Playwright reports the worker when its target attaches, which can be before its first task
  // has run and registered the extension's listeners; on a fresh profile Chromium has no lazy
  // listeners recorded yet, so a navigation in that window reaches no webNavigation listener at
  // all. An evaluation only runs once that first task is done (this one reads the UI language).
  const uiLanguage = await firstWorker.evaluate(() => chrome.i18n.getUILanguage());
  if (locale && uiLanguage.toLowerCase() !== locale.toLowerCase()) {
    await context.close().catch(() => {});
    removeProfile();
    const pak = `/usr/lib/chromium/locales/${locale}.pak`;
    throw new Error(
      `Chromium was asked for the UI language ${locale} but runs in ${uiLanguage}. ` +
        (existsSync(pak) ? 'Its resource pack is there; check LANGUAGE/LANG (browserLocaleEnv).' : `${pak} is missing: install Debian's chromium-l10n.`),
    );
  }
  const extensionId = new URL(firstWorker.url()).host;
  const extensionUrl = (path: string) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`;

  async function newPage(url?: string): Promise<Page> {
    const page = await context.newPage();
    if (url) await page.goto(url);
    return page;
  }

  // An extension page kept open to talk to the background the way the popup does.
  let bridge: Page | undefined;
  async function bridgePage(): Promise<Page> {
    if (!bridge || bridge.isClosed()) bridge = await newPage(extensionUrl('popup.html'));
    return bridge;
  }

  async function tabIdOf(page: Page): Promise<number> {
    const url = page.url();
    const worker = await serviceWorker();
    // With host permission for the page the extension sees tab URLs: match on the URL.
    const byUrl = await worker.evaluate(
      async (pageUrl) => (await chrome.tabs.query({})).filter((tab) => tab.url === pageUrl).map((tab) => tab.id),
      url,
    );
    if (byUrl.length === 1 && typeof byUrl[0] === 'number') return byUrl[0];
    // Without it (or with two tabs on one URL), the page's tab is the active one once it is in front.
    await page.bringToFront();
    const active = await worker.evaluate(async () =>
      (await chrome.tabs.query({ active: true, lastFocusedWindow: true })).map((tab) => tab.id),
    );
    if (active.length === 1 && typeof active[0] === 'number') return active[0];
    throw new Error(`Could not find the tab of ${url}: ${byUrl.length} by URL, ${active.length} active.`);
  }

  async function sendToBackground<T>(message: unknown): Promise<T> {
    const page = await bridgePage();
    try {
      return (await page.evaluate((request) => chrome.runtime.sendMessage(request), message)) as T;
    } catch (error) {
      const type = (message as { type?: unknown } | null)?.type ?? '(no type)';
      throw new Error(`sendToBackground(${String(type)}) failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  // An ordinary tab whose DevTools session watches and stops the service worker.
  let controlPage: Page | undefined;
  async function stopServiceWorker(): Promise<ServiceWorkerControl> {
    if (!workerControl || !controlPage || controlPage.isClosed()) {
      await workerControl?.detach();
      controlPage = await newPage('about:blank');
      workerControl = await ServiceWorkerControl.attach(context, controlPage, extensionUrl(''));
    }
    await workerControl.stop();
    return workerControl;
  }

  async function toolbarBadge(tabId: number): Promise<{ text: string; title: string }> {
    const worker = await serviceWorker();
    return worker.evaluate(
      async (id) => ({ text: await chrome.action.getBadgeText({ tabId: id }), title: await chrome.action.getTitle({ tabId: id }) }),
      tabId,
    );
  }

  let closing: Promise<void> | undefined;
  return {
    context,
    extensionId,
    uiLanguage,
    extensionUrl,
    serviceWorker,
    stopServiceWorker,
    toolbarBadge,
    newPage,
    tabIdOf,
    sendToBackground,
    close() {
      closing ??= context.close().finally(removeProfile);
      return closing;
    },
  };
}
