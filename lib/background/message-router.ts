import type { browser as browserApi } from 'wxt/browser';
import { pageRequestSchemas } from '../protocol/page-protocol.ts';
import { requestSchema, type Envelope, type Request, type RequestType, type ResponseFor } from '../protocol/messages.ts';

type BrowserApi = typeof browserApi;
type Sender = Parameters<Parameters<BrowserApi['runtime']['onMessage']['addListener']>[0]>[1];

export type Handlers = {
  [T in RequestType]: (request: Extract<Request, { type: T }>, sender: Sender) => Promise<ResponseFor<T>>;
};

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

/**
 * The single runtime.onMessage listener. Registered synchronously at start; every message is
 * validated before a handler sees it, and every failure becomes `{ ok: false, error }` so no
 * exception ever escapes into the browser's message plumbing.
 */
export function registerMessageRouter(runtime: BrowserApi['runtime'], handlers: Handlers, report: (problem: string) => void): void {
  const extensionOrigin = runtime.getURL('');
  runtime.onMessage.addListener(((message: unknown, sender: Sender) => {
    return route(message, sender, handlers, extensionOrigin).catch((cause: unknown): Envelope<never> => {
      if (cause instanceof RequestError) return { ok: false, error: cause.message };
      report(`Message handler failed: ${String(cause)}`);
      return { ok: false, error: 'RelayGuard could not handle that request.' };
    });
  }) as Parameters<BrowserApi['runtime']['onMessage']['addListener']>[0]);
}

async function route(message: unknown, sender: Sender, handlers: Handlers, extensionOrigin: string): Promise<Envelope<unknown>> {
  const parsed = requestSchema.safeParse(message);
  if (!parsed.success) {
    const type = typeof message === 'object' && message !== null && 'type' in message ? String(message.type) : 'unknown';
    return { ok: false, error: `Invalid ${type} request: ${parsed.error.issues[0]?.message ?? 'bad shape'}` };
  }
  const request = parsed.data;
  // Trust is granted by what the sender is (a page at our own origin), never by a missing field.
  const fromExtensionPage = sender.url?.startsWith(extensionOrigin) ?? false;
  if (!CONTENT_SCRIPT_REQUESTS.has(request.type) && !fromExtensionPage) {
    return { ok: false, error: `${request.type} is only available to RelayGuard's own pages.` };
  }
  const handler = handlers[request.type] as (request: Request, sender: Sender) => Promise<unknown>;
  return { ok: true, data: await handler(request, sender) };
}
