import type { browser as browserApi } from 'wxt/browser';
import { normalizeHost } from '../core/host.ts';
import { pageRequestSchemas } from '../protocol/page-protocol.ts';
import { requestSchema, type Envelope, type Request, type RequestType, type ResponseFor } from '../protocol/messages.ts';

type Runtime = (typeof browserApi)['runtime'];
type OnMessageListener = Parameters<Runtime['onMessage']['addListener']>[0];

/** Who sent a message, as runtime.onMessage describes it. */
export type Sender = Parameters<OnMessageListener>[1];

export type RequestOf<T extends RequestType> = Extract<Request, { type: T }>;

/** What one request does; the router has already validated it and checked who may send it. */
export type Handler<T extends RequestType> = (request: RequestOf<T>, sender: Sender) => Promise<ResponseFor<T>> | ResponseFor<T>;

/** Some request types and their handlers: what one component registers. */
export type HandlerTable = { readonly [T in RequestType]?: Handler<T> };

/** A failure the requester should see in words (a list that does not validate, a bad URL). */
export class RequestError extends Error {
  override name = 'RequestError';
}

/**
 * The only requests a content script (and so, indirectly, a web page) may make: the page
 * protocol about its own tab. Everything else reads or changes lists, settings or other tabs and
 * is refused unless it comes from the extension's own pages: new requests are privileged by default.
 */
const CONTENT_SCRIPT_REQUESTS: ReadonlySet<string> = new Set(pageRequestSchemas().map((schema) => String(schema.shape.type.def.values[0])));

/** Every request type of the protocol, in schema order. */
export const REQUEST_TYPES: readonly RequestType[] = requestSchema._zod.def.options.map((option) => option.shape.type._zod.def.values[0] as RequestType);

/**
 * The single runtime.onMessage listener, registered synchronously when the router is built; the
 * components that own a concern register their requests' handlers with it (`register`). Every
 * message is validated before a handler sees it, web pages may send only the page protocol, and
 * every failure becomes `{ ok: false, error }`, so no exception ever escapes into the browser's
 * message plumbing.
 */
export class MessageRouter {
  readonly #handlers = new Map<RequestType, Handler<RequestType>>();
  readonly #report: (problem: string) => void;
  readonly #extensionOrigin: string;

  constructor(runtime: Pick<Runtime, 'onMessage' | 'getURL'>, report: (problem: string) => void) {
    this.#report = report;
    this.#extensionOrigin = runtime.getURL('');
    runtime.onMessage.addListener(((message: unknown, sender: Sender) => {
      return this.#route(message, sender).catch((cause: unknown): Envelope<never> => {
        if (cause instanceof RequestError) return { ok: false, error: cause.message };
        report(`Message handler failed: ${String(cause)}`);
        return { ok: false, error: 'RelayGuard could not handle that request.' };
      });
    }) as OnMessageListener);
  }

  /** Registers a component's handlers; each request type has exactly one owner. */
  register(handlers: HandlerTable): void {
    for (const [type, handler] of Object.entries(handlers) as [RequestType, Handler<RequestType>][]) {
      if (this.#handlers.has(type)) throw new Error(`Two handlers for ${type}.`);
      this.#handlers.set(type, handler);
    }
  }

  /** The request types nobody registered a handler for (the wiring checks there are none). */
  unhandled(): RequestType[] {
    return REQUEST_TYPES.filter((type) => !this.#handlers.has(type));
  }

  async #route(message: unknown, sender: Sender): Promise<Envelope<unknown>> {
    const parsed = requestSchema.safeParse(message);
    if (!parsed.success) {
      const type = typeof message === 'object' && message !== null && 'type' in message ? String(message.type) : 'unknown';
      return { ok: false, error: `Invalid ${type} request: ${parsed.error.issues[0]?.message ?? 'bad shape'}` };
    }
    const request = parsed.data;
    // Trust is granted by what the sender is (a page at our own origin), never by a missing field.
    const fromExtensionPage = sender.url?.startsWith(this.#extensionOrigin) ?? false;
    if (!CONTENT_SCRIPT_REQUESTS.has(request.type) && !fromExtensionPage) {
      return { ok: false, error: `${request.type} is only available to RelayGuard's own pages.` };
    }
    const handler = this.#handlers.get(request.type);
    if (!handler) {
      this.#report(`No handler for ${request.type}.`);
      return { ok: false, error: 'RelayGuard could not handle that request.' };
    }
    return { ok: true, data: await handler(request, sender) };
  }
}

/** The tab a request came from; refused when it came from no tab (the popup, the options page). */
export function senderTab(sender: Sender): number {
  const tabId = sender.tab?.id;
  if (tabId === undefined || tabId < 0) throw new RequestError('This request must come from a tab.');
  return tabId;
}

/** The page host of a content script's top frame: requests about "this site" name no host themselves. */
export function senderPageHost(sender: Sender): string {
  const host = sender.frameId === 0 && sender.url ? normalizeHost(sender.url) : null;
  if (!host?.ok) throw new RequestError('This request must come from the top frame of a web page.');
  return host.value.host;
}

/** A content script in a frame inside its tab's page (not the top frame), as the guard sees it. */
export interface SenderFrame {
  readonly frameId: number;
  /** Chromium names the frame's document; Firefox does not. */
  readonly documentId: string | undefined;
  /** Its URL, or for about:blank and srcdoc frames the origin they run in; undefined when neither is a web address. */
  readonly address: string | undefined;
}

/** The sub-frame a request came from; null for the top frame and for senders that are no frame. */
export function senderSubFrame(sender: Sender): SenderFrame | null {
  if (sender.frameId === undefined || sender.frameId <= 0) return null;
  const web = (value: string | undefined) => (value && /^https?:/i.test(value) ? value : undefined);
  const { documentId } = sender as { documentId?: string };
  return { frameId: sender.frameId, documentId, address: web(sender.url) ?? web(sender.origin) };
}
