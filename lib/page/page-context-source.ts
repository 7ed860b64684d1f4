import { pageContextPushSchema, sendPageRequest, type PageContext } from '../protocol/page-protocol.ts';

export interface PageContextSourceDeps {
  /** runtime.sendMessage */
  readonly send: (message: unknown) => Promise<unknown>;
  /** The page's ASCII host (`location.hostname`): a verdict about another host is not this page's. */
  readonly pageHost: () => string;
  readonly setTimeout?: (handler: () => void, ms: number) => unknown;
  /** How long to wait before asking again after a verdict about the previous page. */
  readonly staleRetryMs?: number;
}

type Listener = (context: PageContext) => void;

const STALE_RETRIES = 3;

/**
 * The content script's view of its page context: asked for once at start, then kept current by
 * the background's `page/context-changed` pushes. Anything else arriving on runtime.onMessage
 * is ignored, and a push that fails validation is too.
 *
 * A push is newer than any answer still on its way, so an answer that arrives after a push is
 * dropped. Right after a navigation the background may still hold the previous page's state;
 * a verdict whose URL names another host is treated as "no verdict yet" and asked for again.
 */
export class PageContextSource {
  readonly #deps: PageContextSourceDeps;
  readonly #listeners = new Set<Listener>();
  #current: PageContext | null = null;
  #pushes = 0;
  #inflight: Promise<PageContext | null> | null = null;
  #staleRetries = 0;

  constructor(deps: PageContextSourceDeps) {
    this.#deps = deps;
  }

  get current(): PageContext | null {
    return this.#current;
  }

  onChange(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Asks the background; resolves to the newest context known (null if it never answered). */
  refresh(): Promise<PageContext | null> {
    this.#inflight ??= this.#ask().finally(() => {
      this.#inflight = null;
    });
    return this.#inflight;
  }

  /** A runtime message: true when it was a valid context push (and was applied). */
  receive(message: unknown): boolean {
    const parsed = pageContextPushSchema().safeParse(message);
    if (!parsed.success) return false;
    this.#pushes++;
    this.#apply(parsed.data.context);
    return true;
  }

  async #ask(): Promise<PageContext | null> {
    const pushesBefore = this.#pushes;
    const answer = await sendPageRequest(this.#deps.send, { type: 'page/context' });
    if (answer.ok && this.#pushes === pushesBefore) this.#apply(answer.data);
    return this.#current;
  }

  #apply(context: PageContext): void {
    const verdict = context.verdict && urlHost(context.verdict.url) === this.#deps.pageHost().toLowerCase() ? context.verdict : null;
    if (context.verdict && !verdict && this.#staleRetries < STALE_RETRIES) {
      this.#staleRetries++;
      const later = this.#deps.setTimeout ?? ((handler: () => void, ms: number) => setTimeout(handler, ms));
      later(() => void this.refresh(), this.#deps.staleRetryMs ?? 400);
    }
    this.#current = verdict === context.verdict ? context : { ...context, verdict };
    for (const listener of this.#listeners) listener(this.#current);
  }
}

/** The last URL parsed and its host: answers and pushes name the same page again and again. */
let lastUrl: string | null = null;
let lastHost: string | null = null;

/** `new URL(url).hostname`, lower-cased; null for no URL. Parsed once per distinct URL. */
export function urlHost(url: string): string | null {
  if (url !== lastUrl) {
    try {
      lastHost = new URL(url).hostname.toLowerCase();
    } catch {
      lastHost = null;
    }
    lastUrl = url;
  }
  return lastHost;
}
