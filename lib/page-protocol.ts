// zod/mini throughout: this is the part of the message protocol that content scripts load on
// every page, where bundle size counts. lib/messages.ts composes it into the full protocol.
import { z } from 'zod/mini';
import { pageFingerprintSchema } from './page-fingerprint.ts';
import { GATEWAY_FAMILIES, signalSchema } from './scoring.ts';
import { sendValidated, type Envelope } from './send-validated.ts';
import { reasonSchema, VERDICT_LEVELS } from './verdict.ts';

const tabIdSchema = z.number().check(z.int(), z.nonnegative());

/** One AI-API endpoint a page called: counted per host, with credential kinds, never values. */
export const endpointRecordSchema = z.object({
  host: z.string(),
  protocol: z.string(),
  count: z.number().check(z.int(), z.positive()),
  /** Kinds of credential seen on the calls (`vendor-key`, `relay-token`, …). */
  credentialKinds: z.array(z.string()),
});

export const tabVerdictSchema = z.object({
  tabId: tabIdSchema,
  url: z.string(),
  /** The page host for display (Unicode and punycode for IDN). */
  hostDisplay: z.string(),
  level: z.enum(VERDICT_LEVELS),
  reasons: z.array(reasonSchema),
  /** AI endpoints the page called since its last navigation, each with its own level. */
  endpoints: z.array(z.extend(endpointRecordSchema, { level: z.enum(VERDICT_LEVELS) })),
  /** The gateway software the page's signals point to, when they agree on one. */
  family: z.optional(z.enum(GATEWAY_FAMILIES)),
  /** What the person can change about this host: their own entry for it, unless policy manages it. */
  control: z.object({
    userEntry: z.nullable(z.object({ pattern: z.string(), level: z.enum(['vetted', 'blocked']) })),
    managed: z.boolean(),
  }),
});
export type TabVerdictView = z.infer<typeof tabVerdictSchema>;

export const pageRequestSchemas = [
  /** Content script (top frame): what the page's markup and storage show. */
  z.object({ type: z.literal('page/fingerprint'), fingerprint: pageFingerprintSchema }),
  /** Content script: signals from the one status probe the background granted. */
  z.object({ type: z.literal('page/probe-signals'), signals: z.array(signalSchema).check(z.maxLength(4)) }),
  /** Content script: its tab's verdict and the settings that shape the page's warnings. */
  z.object({ type: z.literal('page/context') }),
  /** In-page warning: the person trusts this site (a user allowlist entry for the page's host). */
  z.object({ type: z.literal('page/trust-site') }),
  /** In-page warning: don't show the warning on this site again (the verdict itself stays). */
  z.object({ type: z.literal('page/dismiss-warning') }),
  /** In-page warning: show the full verdict (the popup's view, in a tab). */
  z.object({ type: z.literal('page/open-details') }),
] as const;

/** What a content script needs to decide what to show: also pushed when it changes. */
export const pageContextSchema = z.object({
  verdict: z.nullable(tabVerdictSchema),
  warningDismissed: z.boolean(),
  pasteGuard: z.boolean(),
  unknownPageNotice: z.boolean(),
});
export type PageContext = z.infer<typeof pageContextSchema>;

/** Background → content script, when the tab's verdict or the settings change. */
export const pageContextPushSchema = z.object({ type: z.literal('page/context-changed'), context: pageContextSchema });
export type PageContextPush = z.infer<typeof pageContextPushSchema>;

export type PageRequest = z.infer<(typeof pageRequestSchemas)[number]>;

export const pageResponseSchemas = {
  'page/fingerprint': z.object({ probe: z.boolean() }),
  'page/probe-signals': z.object({ accepted: z.number().check(z.int(), z.nonnegative()) }),
  'page/context': pageContextSchema,
  'page/trust-site': z.object({ trusted: z.boolean() }),
  'page/dismiss-warning': z.object({ dismissed: z.boolean() }),
  'page/open-details': z.object({ opened: z.boolean() }),
};

type PageResponse<T extends PageRequest['type']> = z.infer<(typeof pageResponseSchemas)[T]>;

export function sendPageRequest<R extends PageRequest>(send: (message: unknown) => Promise<unknown>, request: R): Promise<Envelope<PageResponse<R['type']>>> {
  const schema = z.union([
    z.object({ ok: z.literal(true), data: pageResponseSchemas[request.type as R['type']] }),
    z.object({ ok: z.literal(false), error: z.string() }),
  ]);
  return sendValidated(send, request, schema as never);
}
