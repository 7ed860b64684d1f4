/**
 * Shared by the in-page UI's tests (never bundled: nothing outside tests imports it).
 */
import english from '../../public/_locales/en/messages.json' with { type: 'json' };
import chinese from '../../public/_locales/zh_CN/messages.json' with { type: 'json' };
import { createTranslator, formatMessage, type GetMessage, type MessagesJson, type Translate } from '../core/i18n.ts';
import type { PageContext, TabVerdictView } from '../protocol/page-protocol.ts';
import type { Reason, VerdictLevel } from '../verdicts/verdict.ts';

export const CATALOGUES: Readonly<Record<'en' | 'zh_CN', MessagesJson>> = { en: english, zh_CN: chinese };

/** browser.i18n.getMessage over one shipped catalogue; a key it lacks throws instead of falling back. */
export function getMessageFrom(locale: 'en' | 'zh_CN'): GetMessage {
  const messages = CATALOGUES[locale];
  return (key, substitutions) => {
    if (!(key in messages)) throw new Error(`${locale}/messages.json has no ${key}`);
    return formatMessage(messages, key, substitutions);
  };
}

/** One translator per shipped language, built the way the brief's components expect. */
export const LANGUAGES: ReadonlyArray<readonly [locale: 'en' | 'zh_CN', t: Translate]> = (['en', 'zh_CN'] as const).map(
  (locale) => [locale, createTranslator(getMessageFrom(locale))] as const,
);

/** A text field on the page holding 'ab', focused, the caret at its end: where a test pastes. */
export function focusedField(): HTMLInputElement {
  const input = document.createElement('input');
  input.value = 'ab';
  document.body.append(input);
  input.focus();
  input.setSelectionRange(2, 2);
  return input;
}

/** Marks an event as the browser marks real input (happy-dom, like page scripts, cannot). */
export function trusted<E extends Event>(event: E): E {
  Object.defineProperty(event, 'isTrusted', { value: true });
  return event;
}

export function trustedClick(element: Element): void {
  element.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true })));
}

/** A real (trusted) paste of `text` aimed at `target`; returns the event to inspect afterwards. */
export function paste(target: EventTarget, text: string, { isTrusted = true }: { isTrusted?: boolean } = {}): Event {
  const event = new Event('paste', { bubbles: true, cancelable: true, composed: true });
  Object.defineProperty(event, 'clipboardData', { value: { getData: (type: string) => (type === 'text/plain' ? text : '') } });
  if (isTrusted) trusted(event);
  target.dispatchEvent(event);
  return event;
}

/** A real drop of `text` onto `target`. */
export function drop(target: EventTarget, text: string): Event {
  const event = trusted(new MouseEvent('drop', { bubbles: true, cancelable: true, composed: true, clientX: 5, clientY: 5 }));
  Object.defineProperty(event, 'dataTransfer', { value: { getData: (type: string) => (type === 'text/plain' ? text : '') } });
  target.dispatchEvent(event);
  return event;
}

export function reason(overrides: Partial<Reason> = {}): Reason {
  return { kind: 'signal', level: 'unvetted', source: 'gateway-meta-description', detail: 'the one-api family’s stock description', ...overrides };
}

export function verdictView(level: VerdictLevel, overrides: Partial<TabVerdictView> = {}): TabVerdictView {
  return {
    tabId: 7,
    url: 'https://relay.example/console',
    hostDisplay: 'relay.example',
    level,
    reasons: level === 'unvetted' || level === 'blocked' ? [reason({ level })] : [],
    endpoints: [],
    control: { userEntry: null, managed: false },
    ...overrides,
  };
}

export function pageContext(level: VerdictLevel | null, overrides: Partial<PageContext> = {}, verdict: Partial<TabVerdictView> = {}): PageContext {
  return {
    verdict: level ? verdictView(level, verdict) : null,
    warningDismissed: false,
    pasteGuard: true,
    unknownPageNotice: true,
    ...overrides,
  };
}
