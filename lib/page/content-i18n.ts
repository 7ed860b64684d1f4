/**
 * The content script's translator. lib/core/i18n.ts's createTranslator reads the English catalogue
 * to learn each message's placeholder order, which would put the whole catalogue (every string
 * of every page) into the script injected on every site. This one knows the order for just the
 * messages the in-page UI uses; content-i18n.test.ts checks the table against the catalogue.
 * The browser falls back to the default locale (English) by itself for a missing message.
 */
import type { GetMessage, MessageKey, Translate } from '../core/i18n.ts';

/** The named placeholders of each in-page message that has any, in their `$1`…`$9` order. */
export const CONTENT_PLACEHOLDERS = {
  // components/common/ReasonItem.tsx
  reason_list: ['source', 'level', 'detail'],
  reason_endpoint: ['host', 'detail'],
  reason_local: ['host', 'scope'],
  reason_signal: ['source', 'detail'],
  reason_lookalike: ['source', 'detail'],
  reason_tamper_covered: ['host'],
  reason_tamper_removed: ['host'],
  evidenceLink: ['index'],
  // components/page/InPageWarning.tsx
  warning_summary_unvetted: ['host'],
  warning_summary_family: ['host', 'family'],
  warning_summary_blocked: ['host'],
  warning_summary_endpoint: ['endpoint'],
  warning_summary_endpointBlocked: ['endpoint'],
  warning_moreReasons: ['count'],
  warning_actionFailed: ['error'],
  // components/page/PasteGuardDialog.tsx
  paste_lead_key: ['vendor', 'host', 'level'],
  paste_lead_subscription: ['host'],
  // components/page/PasteNotice.tsx
  notice_key: ['vendor', 'host'],
  notice_subscription: ['host'],
} as const satisfies Partial<Record<MessageKey, readonly string[]>>;

export function createContentTranslator(getMessage: GetMessage): Translate {
  const table: Partial<Record<string, readonly string[]>> = CONTENT_PLACEHOLDERS;
  return ((key: string, values?: Record<string, string>) => getMessage(key, (table[key] ?? []).map((name) => values?.[name] ?? ''))) as Translate;
}
