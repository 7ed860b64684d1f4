// zod/mini throughout: this is the part of the message protocol the page guard loads (the
// content script the background runs on pages it warns about), where bundle size counts.
// lib/protocol/messages.ts composes it into the full protocol. The page watch, on every page, imports
// only its types: it sends two requests and parses nothing, so it carries no zod at all.
//
// Every schema here is built on first use, by a memoised getter, not when the module loads:
// building a zod schema costs real time on a page's main thread (every object, field and check
// is an instance to set up), and the guard needs only the few it parses: the answer to its
// `page/context` request and the background's pushes.
// The request schemas are the background's; it builds them once, composing lib/protocol/messages.ts.
import '../core/zod-setup.ts';
import { z } from 'zod/mini';
import { lazy } from '../core/lazy.ts';
import { pageFingerprintSchema } from '../detection/page-fingerprint-schema.ts';
import { GATEWAY_FAMILIES, signalSchema } from '../detection/scoring.ts';
import { sendValidated, type AnswerSchema, type Envelope } from './send-validated.ts';
import { reasonSchema, VERDICT_LEVELS } from '../verdicts/verdict.ts';
import { HIDDEN_HOWS, HIDDEN_SURFACES } from '../page/stay-on-top.ts';

const nonnegativeInt = () => z.number().check(z.int(), z.nonnegative());

/** One AI-API endpoint a page called: counted per host, with credential kinds, never values. */
const endpointRecordShape = () => ({
  host: z.string(),
  protocol: z.string(),
  count: z.number().check(z.int(), z.positive()),
  /** Kinds of credential seen on the calls (`vendor-key`, `relay-token`, …). */
  credentialKinds: z.array(z.string()),
  /** On a multi-tenant gateway, the account the calls went through (`<account>/<gateway>`, lib/core/gateway-accounts.ts). */
  account: z.optional(z.string().check(z.maxLength(160))),
});
export const endpointRecordSchema = lazy(() => z.object(endpointRecordShape()));

export const tabVerdictSchema = lazy(() =>
  z.object({
    tabId: nonnegativeInt(),
    url: z.string(),
    /** The page host for display (Unicode and punycode for IDN). */
    hostDisplay: z.string(),
    level: z.enum(VERDICT_LEVELS),
    reasons: z.array(reasonSchema()),
    /** AI endpoints the page called since its last navigation, each with its own level. */
    // The record's shape plus a level: what z.extend(endpointRecordSchema(), …) would build, without
    // z.extend's machinery on the content script's one parse.
    endpoints: z.array(z.object({ ...endpointRecordShape(), level: z.enum(VERDICT_LEVELS) })),
    /** The gateway software the page's signals point to, when they agree on one. */
    family: z.optional(z.enum(GATEWAY_FAMILIES)),
    /** What the person can change about this host: their own entry for it, unless policy manages it. */
    control: z.object({
      userEntry: z.nullable(z.object({ pattern: z.string(), level: z.enum(['vetted', 'blocked']) })),
      managed: z.boolean(),
      /** The policy takes this host's entry out of the person's hands (disableUserLists, or allowProceed: false on a blocked host): no control is offered. Absent: false. */
      locked: z.optional(z.boolean()),
    }),
    /** Set when a managed entry decided the verdict: who to name ("managed by …") and where to ask. Absent: null. */
    managedBy: z.optional(z.nullable(managedBySchema())),
  }),
);

/** The organisation a policy names (any part may be missing: then "your organisation", no link). */
export const managedBySchema = lazy(() => z.object({ name: z.optional(z.string()), supportUrl: z.optional(z.string()), supportEmail: z.optional(z.string()) }));
export type ManagedBy = z.infer<ReturnType<typeof managedBySchema>>;
export type TabVerdictView = z.infer<ReturnType<typeof tabVerdictSchema>>;

/** Requests a content script sends; validated by the background (lib/protocol/messages.ts). */
export const pageRequestSchemas = lazy(
  () =>
    [
      /** Page watch (top frame): what the page's markup and storage show. */
      z.object({ type: z.literal('page/fingerprint'), fingerprint: pageFingerprintSchema() }),
      /** Page watch: it holds a paste only the page guard can ask about; start the guard here. */
      z.object({ type: z.literal('page/guard-needed') }),
      /** Page guard: signals from the one status probe the background asked for. */
      z.object({ type: z.literal('page/probe-signals'), signals: z.array(signalSchema()).check(z.maxLength(4)) }),
      /** Content script: its tab's verdict and the settings that shape the page's warnings. */
      z.object({ type: z.literal('page/context') }),
      /** In-page warning: don't show the warning on this site again (the verdict itself stays). */
      z.object({ type: z.literal('page/dismiss-warning') }),
      /** In-page warning: show the full verdict (the popup's view, in a tab); `report`: with its report form open. */
      z.object({ type: z.literal('page/open-details'), report: z.optional(z.boolean()) }),
      /** Page guard: the page kept covering or removing RelayGuard's warning or paste question. */
      z.object({ type: z.literal('page/warning-hidden'), surface: z.enum(HIDDEN_SURFACES), how: z.enum(HIDDEN_HOWS) }),
    ] as const,
);

/** What a content script needs to decide what to show: also pushed when it changes. */
const pageContextSchema = lazy(() =>
  z.object({
    verdict: z.nullable(tabVerdictSchema()),
    warningDismissed: z.boolean(),
    pasteGuard: z.boolean(),
    unknownPageNotice: z.boolean(),
  }),
);
export type PageContext = z.infer<ReturnType<typeof pageContextSchema>>;

/** Background → page guard, when the tab's verdict or the settings change. */
export const pageContextPushSchema = lazy(() => z.object({ type: z.literal('page/context-changed'), context: pageContextSchema() }));
export type PageContextPush = z.infer<ReturnType<typeof pageContextPushSchema>>;

/**
 * Background → page guard: make the document's one same-origin status probe
 * (lib/page/fingerprint/probe-status.ts), asking first at the status route of the family the
 * page's evidence points to, if any.
 */
export const statusProbeRequestSchema = lazy(() => z.object({ type: z.literal('page/status-probe'), family: z.optional(z.enum(GATEWAY_FAMILIES)) }));
export type StatusProbeRequest = z.infer<ReturnType<typeof statusProbeRequestSchema>>;

export type PageRequest = z.infer<ReturnType<typeof pageRequestSchemas>[number]>;
export type PageRequestType = PageRequest['type'];

/** Each page request's answer payload, built only once that request is made. */
const pageResponses = {
  'page/fingerprint': lazy(() => z.object({ recorded: z.boolean() })),
  'page/guard-needed': lazy(() => z.object({ started: z.boolean() })),
  'page/probe-signals': lazy(() => z.object({ accepted: nonnegativeInt() })),
  'page/context': pageContextSchema,
  'page/dismiss-warning': lazy(() => z.object({ dismissed: z.boolean() })),
  'page/open-details': lazy(() => z.object({ opened: z.boolean() })),
  'page/warning-hidden': lazy(() => z.object({ recorded: z.boolean() })),
} satisfies Record<PageRequestType, () => z.core.$ZodType>;

export type PageResponseSchemas = { [T in PageRequestType]: ReturnType<(typeof pageResponses)[T]> };

/** The answer payload schema of one page request. */
function pageResponseSchema<T extends PageRequestType>(type: T): PageResponseSchemas[T] {
  return pageResponses[type]() as PageResponseSchemas[T];
}

/** Every page request's answer payload schema (the background's view: it answers them all). */
export const pageResponseSchemas = lazy(
  (): PageResponseSchemas => Object.fromEntries(Object.keys(pageResponses).map((type) => [type, pageResponseSchema(type as PageRequestType)])) as PageResponseSchemas,
);

type PageResponse<T extends PageRequestType> = z.infer<PageResponseSchemas[T]>;

const failedAnswerSchema = lazy(() => z.object({ ok: z.literal(false), error: z.string() }));
const answerSchemas = new Map<PageRequestType, AnswerSchema<Envelope<unknown>>>();

/** The envelope a page request's answer travels in, built on the first request of its type. */
function answerSchema(type: PageRequestType): AnswerSchema<Envelope<unknown>> {
  let schema = answerSchemas.get(type);
  if (!schema) {
    schema = z.union([z.object({ ok: z.literal(true), data: pageResponseSchema(type) }), failedAnswerSchema()]) as AnswerSchema<Envelope<unknown>>;
    answerSchemas.set(type, schema);
  }
  return schema;
}

export function sendPageRequest<R extends PageRequest>(send: (message: unknown) => Promise<unknown>, request: R): Promise<Envelope<PageResponse<R['type']>>> {
  // The schema is built when the answer is there to parse, not before the request leaves: the
  // first `page/context` request goes out at document_start, while the page waits on the script.
  const schema = { safeParse: (answer: unknown) => answerSchema(request.type).safeParse(answer) };
  return sendValidated(send, request, schema as AnswerSchema<Envelope<PageResponse<R['type']>>>);
}
