import type { BrowserContext, CDPSession, Page, Request } from 'playwright-core';

/**
 * Every network request the extension itself makes, recorded from outside it:
 *
 * - its service worker: Playwright attaches the DevTools protocol's Network domain to every
 *   service worker target of the profile (the extension's included, across restarts of the
 *   worker), and reports those requests on the context with `request.serviceWorker()` set;
 * - its own pages (popup, options, block page): requests whose frame is a chrome-extension://
 *   document, to anything but the extension's own files;
 * - its content scripts in web pages: each web page gets a DevTools session of its own with
 *   `Network.enable`, and a request whose initiator's stack (async parents included) runs
 *   through a chrome-extension:// script is the extension's, whatever origin it carries.
 *
 * Loads of the extension's own files (chrome-extension://, blob:, data:) are no network
 * traffic and are counted apart. Requests web pages make themselves are not the extension's.
 */

export type RequestSource = 'service-worker' | 'extension-page' | 'content-script';

export interface ExtensionRequest {
  readonly source: RequestSource;
  readonly method: string;
  readonly url: string;
  /** The document it came from (the web page a content script ran in, the extension page), or the worker's script. */
  readonly documentUrl: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

interface CdpRequestWillBeSent {
  readonly documentURL: string;
  readonly request: { readonly url: string; readonly method: string; readonly headers: Record<string, string>; readonly postData?: string };
  readonly initiator: { readonly type: string; readonly url?: string; readonly stack?: CdpStack };
}

interface CdpStack {
  readonly callFrames: ReadonlyArray<{ readonly url: string }>;
  readonly parent?: CdpStack;
}

const LOCAL_SCHEMES = ['chrome-extension:', 'blob:', 'data:'];

export class ExtensionTraffic {
  readonly requests: ExtensionRequest[] = [];
  /** Loads of the extension's own files and other local URLs, by the extension's pages and worker. */
  localLoads = 0;
  /** Web pages watched through a DevTools session of their own. */
  watchedPages = 0;
  readonly #origin: string;
  readonly #pending = new Set<Promise<void>>();
  readonly #sessions: CDPSession[] = [];

  private constructor(origin: string) {
    this.#origin = origin;
  }

  /** Starts recording in `context` for the extension whose origin is `chrome-extension://<id>`. */
  static async start(context: BrowserContext, extensionOrigin: string): Promise<ExtensionTraffic> {
    const traffic = new ExtensionTraffic(extensionOrigin);
    context.on('request', (request) => traffic.#track(traffic.#onRequest(request)));
    context.on('page', (page) => traffic.#track(traffic.#watchPage(page)));
    await Promise.all(context.pages().map((page) => traffic.#watchPage(page)));
    return traffic;
  }

  /** Resolves once the requests seen so far are recorded (headers and bodies are read asynchronously). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  async stop(): Promise<void> {
    await this.settled();
    await Promise.all(this.#sessions.map((session) => session.detach().catch(() => {})));
  }

  #track(work: Promise<void>): void {
    const tracked = work.catch(() => {}).finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }

  async #onRequest(request: Request): Promise<void> {
    const worker = request.serviceWorker();
    let source: RequestSource;
    let documentUrl: string;
    if (worker) {
      if (!worker.url().startsWith(this.#origin)) return;
      source = 'service-worker';
      documentUrl = worker.url();
    } else {
      const frameUrl = request.frame().url();
      if (!frameUrl.startsWith(this.#origin)) return; // a web page's own request (content scripts: #watchPage)
      source = 'extension-page';
      documentUrl = frameUrl;
    }
    if (LOCAL_SCHEMES.some((scheme) => request.url().startsWith(scheme))) {
      this.localLoads++;
      return;
    }
    this.requests.push({
      source,
      method: request.method(),
      url: request.url(),
      documentUrl,
      headers: await request.allHeaders(),
      body: request.postData() ?? '',
    });
  }

  async #watchPage(page: Page): Promise<void> {
    const session = await page.context().newCDPSession(page);
    this.#sessions.push(session);
    session.on('Network.requestWillBeSent', (event: CdpRequestWillBeSent) => {
      if (event.documentURL.startsWith(this.#origin) || !this.#fromExtensionScript(event.initiator)) return;
      this.requests.push({
        source: 'content-script',
        method: event.request.method,
        url: event.request.url,
        documentUrl: event.documentURL,
        headers: event.request.headers,
        body: event.request.postData ?? '',
      });
    });
    await session.send('Network.enable');
    this.watchedPages++;
  }

  #fromExtensionScript(initiator: CdpRequestWillBeSent['initiator']): boolean {
    if (initiator.url?.startsWith(this.#origin)) return true;
    for (let stack = initiator.stack; stack; stack = stack.parent) {
      if (stack.callFrames.some((frame) => frame.url.startsWith(this.#origin))) return true;
    }
    return false;
  }
}
