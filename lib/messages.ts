import { z } from 'zod';
import { reasonSchema, VERDICT_LEVELS } from './verdict.ts';
import { LIST_SOURCES } from './precedence.ts';

/**
 * The one message protocol between background, content scripts and extension pages.
 * Every request and every response is validated with these schemas on arrival, so a page
 * script, a stale content script or a future version sending something else gets a clear
 * `{ ok: false, error }` instead of undefined behaviour.
 */

const tabId = z.number().int().nonnegative();

export const requestSchema = z.discriminatedUnion('type', [
  /** Popup: the verdict for one tab. */
  z.object({ type: z.literal('tab-verdict/get'), tabId }),
  /** Options page or test harness: subscribe to a list by URL (fetched, validated, stored). */
  z.object({ type: z.literal('lists/subscribe'), url: z.url({ protocol: /^https?$/ }) }),
  /** Options page: remove a subscription. */
  z.object({ type: z.literal('lists/unsubscribe'), id: z.string().min(1) }),
  /** Options page: every list with its source, version, entry count and fetch state. */
  z.object({ type: z.literal('lists/summary') }),
]);

export type Request = z.infer<typeof requestSchema>;
export type RequestType = Request['type'];

export const tabVerdictSchema = z.object({
  tabId,
  url: z.string(),
  /** The page host for display (Unicode and punycode for IDN). */
  hostDisplay: z.string(),
  level: z.enum(VERDICT_LEVELS),
  reasons: z.array(reasonSchema),
});
export type TabVerdictView = z.infer<typeof tabVerdictSchema>;

export const listSummarySchema = z.object({
  id: z.string(),
  source: z.enum(LIST_SOURCES),
  name: z.string(),
  version: z.string(),
  entryCount: z.number().int().nonnegative(),
  url: z.string().optional(),
  fetchedAt: z.number().optional(),
  lastTriedAt: z.number().optional(),
  lastError: z.string().optional(),
});
export type ListSummary = z.infer<typeof listSummarySchema>;

/** Response payload schema per request type; the envelope adds `ok`/`error`. */
export const responseSchemas = {
  'tab-verdict/get': tabVerdictSchema.nullable(),
  'lists/subscribe': listSummarySchema,
  'lists/unsubscribe': z.object({ removed: z.boolean() }),
  'lists/summary': z.array(listSummarySchema),
} satisfies Record<RequestType, z.ZodType>;

export type ResponseFor<T extends RequestType> = z.infer<(typeof responseSchemas)[T]>;

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: string };

export function envelopeSchema<T extends RequestType>(type: T) {
  return z.union([
    z.object({ ok: z.literal(true), data: responseSchemas[type] }),
    z.object({ ok: z.literal(false), error: z.string() }),
  ]);
}

/** Sends a request through `send` (runtime.sendMessage) and validates the answer. */
export async function sendRequest<R extends Request>(
  send: (message: unknown) => Promise<unknown>,
  request: R,
): Promise<Envelope<ResponseFor<R['type']>>> {
  let answer: unknown;
  try {
    answer = await send(request);
  } catch (cause) {
    return { ok: false, error: cause instanceof Error ? cause.message : String(cause) };
  }
  const parsed = envelopeSchema(request.type).safeParse(answer);
  if (!parsed.success) return { ok: false, error: `Unexpected answer to ${request.type}.` };
  return parsed.data as Envelope<ResponseFor<R['type']>>;
}
