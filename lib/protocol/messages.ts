import '../core/zod-setup.ts';
// zod/mini, as the whole protocol is: lib/protocol/page-protocol.ts is its part the page guard loads,
// and one flavour keeps one set of schema classes in every bundle that speaks it.
import { z } from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { reasonSchema, VERDICT_LEVELS } from '../verdicts/verdict.ts';
import { LIST_SOURCES } from '../lists/precedence.ts';
import { LIST_PROBLEM_CODES } from '../lists/list-problem.ts';
import { LEFT_OUT_REASONS, MAX_LEFT_OUT_HOSTS } from '../lists/block-rules.ts';
import { managedBySchema, pageRequestSchemas, pageResponseSchemas, tabVerdictSchema, type TabVerdictView } from './page-protocol.ts';
import { sendValidated, type Envelope } from './send-validated.ts';
import { lazy } from '../core/lazy.ts';
import { USER_LEVELS, userEntrySchema } from '../lists/user-entry.ts';
import { settingsChangesSchema, settingsSchema } from '../core/settings.ts';
import { REPORT_KINDS, REPORT_LIMITS, reportDocumentSchema } from '../reports/report-document.ts';
import { reportStatusSchema } from '../reports/report-queue.ts';
import { historyEntrySchema, historyExportSchema, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from '../history/key-history.ts';

/**
 * The one message protocol between background, content scripts and extension pages.
 * Every request and every response is validated with these schemas on arrival, so a page
 * script, a stale content script or a future version sending something else gets a clear
 * `{ ok: false, error }` instead of undefined behaviour.
 */

// A refused request names its first problem in words (the router's `Invalid … request: …`); zod/mini
// loads no wording by default. Here, not in zod-setup.ts: the page guard never shows these words.
z.config(en());

const tabId = z.number().check(z.int(), z.nonnegative());
const maxUrl = () => z.string().check(z.maxLength(8192));

export const requestSchema = z.discriminatedUnion('type', [
  /** Popup: the verdict for one tab. */
  z.object({ type: z.literal('tab-verdict/get'), tabId }),
  /**
   * Options page or test harness: subscribe to a list by URL (fetched, signature checked when keys
   * are pinned, validated, stored). `publicKeys`: minisign public keys (base64 lines) to pin.
   */
  z.object({
    type: z.literal('lists/subscribe'),
    url: z.url({ protocol: /^https?$/ }),
    publicKeys: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(4096))).check(z.maxLength(32))),
  }),
  /** Options page: remove a subscription. */
  z.object({ type: z.literal('lists/unsubscribe'), id: z.string().check(z.minLength(1)) }),
  /** Options page: every list with its source, version, entry count and fetch state. */
  z.object({ type: z.literal('lists/summary') }),
  /** Options page: fetch a subscribed list again now ("update now"). */
  z.object({ type: z.literal('lists/update'), id: z.string().check(z.minLength(1)) }),
  /** Options page: how many block rules the browser holds, and which hosts a limit left out and why. */
  z.object({ type: z.literal('block-rules/status') }),
  /** Interstitial: why the URL it stands in for is blocked, and what the person may do. */
  z.object({ type: z.literal('interstitial/info'), url: maxUrl() }),
  /**
   * Interstitial: let this tab load the URL's host once, for that page only. Trusting a host for
   * good is not offered here: the block page is reachable from the web, so trust lives in the
   * popup and the options page, which no page can open or frame.
   */
  z.object({ type: z.literal('interstitial/proceed-once'), url: maxUrl() }),
  /** Options page: the person's entries and the managed policy beside them. */
  z.object({ type: z.literal('user-entries/list') }),
  /** Popup or options: add or replace one of the person's own entries. */
  z.object({
    type: z.literal('user-entries/put'),
    pattern: z.string().check(z.maxLength(300)),
    level: z.enum(USER_LEVELS),
    note: z.optional(z.string().check(z.maxLength(500))),
  }),
  /** Popup or options: remove one of the person's own entries ("undo"). */
  z.object({ type: z.literal('user-entries/remove'), pattern: z.string().check(z.maxLength(300)) }),
  /** Options: import an exported file of entries; all of it or nothing. */
  z.object({ type: z.literal('user-entries/import'), text: z.string().check(z.maxLength(5_000_000)) }),
  z.object({ type: z.literal('settings/get') }),
  z.object({ type: z.literal('settings/set'), changes: settingsChangesSchema }),
  /** Popup: the report about a tab, exactly as it would be sent (built and redacted by the background). */
  z.object({ type: z.literal('report/preview'), tabId, kind: z.enum(REPORT_KINDS), note: z.optional(z.string().check(z.maxLength(REPORT_LIMITS.note * 4))) }),
  /** Popup: send a previewed report (stored first, then delivered to the report endpoint). */
  z.object({ type: z.literal('report/send'), document: reportDocumentSchema }),
  /** Popup or options: the report endpoint in force and every stored report's state. */
  z.object({ type: z.literal('report/state') }),
  /** Options: send a failed report again. */
  z.object({ type: z.literal('report/retry'), id: z.uuid() }),
  /** Options: the person's own report endpoint (null removes it); refused while policy sets one. */
  z.object({ type: z.literal('report/set-endpoint'), endpoint: z.nullable(z.string().check(z.maxLength(2048))) }),
  /** Options: the key history (what RelayGuard saw, newest first) and its retention setting. */
  z.object({ type: z.literal('history/get') }),
  /** Popup: vendor keys this tab's page sent to hosts that are not the vendor's (last four characters only). */
  z.object({ type: z.literal('history/keys-sent'), tabId }),
  /** Options: the whole key history as a document to save. */
  z.object({ type: z.literal('history/export') }),
  /** Options: delete the key history. */
  z.object({ type: z.literal('history/clear') }),
  /** Options: how many days the key history keeps an entry. */
  z.object({ type: z.literal('history/set-retention'), days: z.number().check(z.int(), z.gte(MIN_RETENTION_DAYS), z.lte(MAX_RETENTION_DAYS)) }),
  ...pageRequestSchemas(),
]);

export type Request = z.infer<typeof requestSchema>;
export type RequestType = Request['type'];


/** The settings in force, and which of them the administrator's policy sets (the person cannot change those). */
const settingsInForceSchema = z.extend(settingsSchema, { managed: z.optional(z.array(z.enum(['blockAiRequestsToBlocked', 'pasteGuard', 'unknownPageNotice']))) });

const listSummarySchema = z.object({
  id: z.string(),
  source: z.enum(LIST_SOURCES),
  name: z.string(),
  version: z.string(),
  entryCount: z.number().check(z.int(), z.nonnegative()),
  /** The list's tracker for reports (its `reportUrl`), when it declares one. */
  reportUrl: z.optional(z.string()),
  url: z.optional(z.string()),
  fetchedAt: z.optional(z.number()),
  lastTriedAt: z.optional(z.number()),
  lastError: z.optional(z.string()),
  /** Why the last update failed, for the options page to say in the person's language. */
  problem: z.optional(z.object({ code: z.enum(LIST_PROBLEM_CODES), detail: z.optional(z.string()) })),
  /** When the refresh alarm fetches it next. */
  nextUpdateAt: z.optional(z.number()),
  /** The refresh interval in force, in minutes. */
  refreshMinutes: z.optional(z.number()),
  /** How many minisign keys are pinned, and which one signed the copy in force. */
  pinnedKeys: z.optional(z.number().check(z.int(), z.nonnegative())),
  signedBy: z.optional(z.string()),
});
export type ListSummary = z.infer<typeof listSummarySchema>;

const interstitialInfoSchema = lazy(() =>
  z.object({
    url: z.string(),
    /** False for javascript:, data: and every other non-web URL: the page offers no way to continue. */
    navigable: z.boolean(),
    hostUnicode: z.string(),
    hostAscii: z.string(),
    level: z.enum(VERDICT_LEVELS),
    reasons: z.array(reasonSchema()),
    /** Managed policy may forbid continuing (allowProceed: false). */
    allowProceed: z.boolean(),
    /** The organisation, when a managed entry blocked the host or the policy forbids continuing. */
    managedBy: z.optional(z.nullable(managedBySchema())),
  }),
);
export type InterstitialInfo = z.infer<ReturnType<typeof interstitialInfoSchema>>;

export const reportStateSchema = lazy(() =>
  z.object({
    /** The endpoint reports go to, or null: then the person can copy or export a report instead. */
    endpoint: z.nullable(z.string()),
    /** Set by the administrator (managed `reportEndpoint`): the person cannot change it. */
    managed: z.boolean(),
    /** Newest first. */
    reports: z.array(reportStatusSchema()),
  }),
);
export type ReportStateView = z.infer<ReturnType<typeof reportStateSchema>>;

export const blockRuleStatusSchema = z.object({
  /** Rules the last rebuild installed; null before the first rebuild of this browser session. */
  installed: z.nullable(z.number().check(z.int(), z.nonnegative())),
  leftOut: z.array(
    z.object({
      reason: z.enum(LEFT_OUT_REASONS),
      count: z.number().check(z.int(), z.nonnegative()),
      hosts: z.array(z.string().check(z.maxLength(300))).check(z.maxLength(MAX_LEFT_OUT_HOSTS)),
    }),
  ),
});
export type BlockRuleStatus = z.infer<typeof blockRuleStatusSchema>;

/** Response payload schema per request type; the envelope adds `ok`/`error`. */
export const responseSchemas = lazy(
  () =>
    ({
      'tab-verdict/get': z.nullable(tabVerdictSchema()),
      'lists/subscribe': listSummarySchema,
      'lists/unsubscribe': z.object({ removed: z.boolean() }),
      'lists/summary': z.array(listSummarySchema),
      'lists/update': listSummarySchema,
      'block-rules/status': blockRuleStatusSchema,
      'interstitial/info': interstitialInfoSchema(),
      'interstitial/proceed-once': z.object({ url: z.string() }),
      'user-entries/list': z.object({
        entries: z.array(userEntrySchema),
        managed: z.object({
          allowlist: z.array(z.string()),
          blocklist: z.array(z.string()),
          allowProceed: z.boolean(),
          /** The URLs of the policy's subscriptions (their state is in lists/summary, source `managed`). */
          listSubscriptions: z.array(z.string()),
          listMode: z.enum(['add', 'overwrite']),
          disableUserLists: z.boolean(),
          pasteGuard: z.nullable(z.enum(['warn', 'off'])),
          reportEndpoint: z.nullable(z.string()),
          organization: z.nullable(managedBySchema()),
          /** The keys the policy sets with a valid value. */
          keys: z.array(z.string()),
          /** Each value the policy holds that RelayGuard ignored: the key and why. */
          problems: z.array(z.string()),
        }),
      }),
      'user-entries/put': userEntrySchema,
      'user-entries/remove': z.object({ removed: z.boolean() }),
      'user-entries/import': z.object({ imported: z.number().check(z.int(), z.nonnegative()) }),
      'settings/get': settingsInForceSchema,
      'settings/set': settingsInForceSchema,
      'report/preview': reportDocumentSchema,
      'report/send': reportStatusSchema(),
      'report/state': reportStateSchema(),
      'report/retry': reportStatusSchema(),
      'report/set-endpoint': reportStateSchema(),
      'history/get': z.object({ entries: z.array(historyEntrySchema()), retentionDays: z.number() }),
      'history/keys-sent': z.array(historyEntrySchema()),
      'history/export': historyExportSchema(),
      'history/clear': z.object({ cleared: z.boolean() }),
      'history/set-retention': z.object({ retentionDays: z.number() }),
      ...pageResponseSchemas(),
    }) satisfies Record<RequestType, z.core.$ZodType>,
);

export type ResponseFor<T extends RequestType> = z.infer<ReturnType<typeof responseSchemas>[T]>;

export type { Envelope, TabVerdictView };

function envelopeSchema<T extends RequestType>(type: T) {
  return z.union([
    z.object({ ok: z.literal(true), data: responseSchemas()[type] }),
    z.object({ ok: z.literal(false), error: z.string() }),
  ]);
}

/** Sends a request through `send` (runtime.sendMessage) and validates the answer. */
export function sendRequest<R extends Request>(send: (message: unknown) => Promise<unknown>, request: R): Promise<Envelope<ResponseFor<R['type']>>> {
  return sendValidated(send, request, envelopeSchema(request.type) as never);
}
