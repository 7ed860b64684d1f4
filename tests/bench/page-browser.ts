import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/**
 * One headless Debian Chromium in a throw-away profile, with or without the unpacked extension.
 * DNS sends `*.test` to the bench's server on 127.0.0.1 and fails everything else, so nothing
 * leaves the machine.
 */

export const CHROMIUM_PATH = process.env.RELAYGUARD_BENCH_CHROMIUM ?? '/usr/bin/chromium';

export const BASE_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
] as const;

export interface BenchBrowser {
  readonly context: BrowserContext;
  readonly label: string;
  /** e.g. "Chrome/156.0.8078.108" */
  readonly version: string;
  /** The extension's id, when it was loaded and has a service worker. */
  readonly extensionId: string | null;
  readonly flags: readonly string[];
  close(): Promise<void>;
}

/**
 * @param options.hasWorker whether the extension has a background service worker to wait for
 *   (default true); the baseline extension has none, and then `extensionId` stays null.
 */
export async function launchBenchBrowser(options: { label: string; port: number; extensionDir: string | null; hasWorker?: boolean }): Promise<BenchBrowser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH}`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'relayguard-bench-profile-'));
  const removeProfile = () => rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  const flags = [
    ...BASE_FLAGS,
    `--host-resolver-rules=MAP *.test 127.0.0.1:${options.port}, MAP * ~NOTFOUND`,
    ...(options.extensionDir ? [`--disable-extensions-except=${options.extensionDir}`, `--load-extension=${options.extensionDir}`] : []),
  ];
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, headless: true, args: flags });
  } catch (error) {
    removeProfile();
    throw error;
  }
  context.setDefaultTimeout(30_000);
  const close = async () => {
    await context.close().catch(() => {});
    removeProfile();
  };

  try {
    let extensionId: string | null = null;
    if (options.extensionDir && options.hasWorker !== false) {
      const isExtension = (url: string) => url.startsWith('chrome-extension://');
      const worker =
        context.serviceWorkers().find((w) => isExtension(w.url())) ??
        (await context.waitForEvent('serviceworker', { predicate: (w) => isExtension(w.url()), timeout: 30_000 }));
      await worker.evaluate(() => true); // its first task (listener registration) has run
      extensionId = new URL(worker.url()).host;
    }
    const page = context.pages()[0] ?? (await context.newPage());
    const session = await context.newCDPSession(page);
    const { product } = (await session.send('Browser.getVersion')) as { product: string };
    await session.detach();
    return { context, label: options.label, version: product, extensionId, flags, close };
  } catch (error) {
    await close();
    throw error;
  }
}
