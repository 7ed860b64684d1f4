import english from '../../public/_locales/en/messages.json' with { type: 'json' };

/**
 * Every user-facing string comes from public/_locales (the browser picks the language).
 * English is the reference catalogue: it defines the keys and, through its placeholders,
 * which named values each message takes, so `t('reason_list', { source, level, detail })`
 * is checked by the compiler and cannot pass values in the wrong order.
 */

type Catalogue = typeof english;
export type MessageKey = keyof Catalogue;
type PlaceholderName<K extends MessageKey> = Catalogue[K] extends { placeholders: infer P } ? keyof P & string : never;
type Values<K extends MessageKey> = [PlaceholderName<K>] extends [never] ? [] : [values: Record<PlaceholderName<K>, string>];

export type Translate = <K extends MessageKey>(key: K, ...values: Values<K>) => string;

/** The shape of a messages.json file. */
export type MessagesJson = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

/** `browser.i18n.getMessage` or a stand-in with the same contract. */
export type GetMessage = (key: string, substitutions?: string[]) => string;

export function createTranslator(getMessage: GetMessage): Translate {
  return ((key: MessageKey, values?: Record<string, string>) => {
    const placeholders = (english as MessagesJson)[key]?.placeholders ?? {};
    const substitutions: string[] = [];
    for (const [name, { content }] of Object.entries(placeholders)) {
      const position = Number(content.slice(1)) - 1;
      substitutions[position] = values?.[name] ?? '';
    }
    // getMessage answers "" for a key missing from the current locale; English is better than nothing.
    return getMessage(key, substitutions) || formatMessage(english as MessagesJson, key, substitutions);
  }) as Translate;
}

/**
 * What browser.i18n.getMessage does with one catalogue: `$NAME$` → its placeholder's content,
 * `$1`…`$9` → substitutions, `$$` → `$`. Used by component tests and as the English fallback.
 */
export function formatMessage(catalogue: MessagesJson, key: string, substitutions: readonly string[] = []): string {
  const entry = catalogue[key];
  if (!entry) return '';
  // As the browsers do: named placeholders first, then one pass over the whole text for `$1`…`$9`
  // and `$$`, so substituted values are never re-read (a value containing `$$` or `$1` stays as is).
  const withPlaceholders = entry.message.replace(/\$([\w@]+)\$/g, (whole, name: string) => entry.placeholders?.[name.toLowerCase()]?.content ?? whole);
  return withPlaceholders.replace(/\$(?:([1-9])|(\$+))/g, (_, digit: string | undefined, dollars: string | undefined) =>
    digit ? (substitutions[Number(digit) - 1] ?? '') : dollars!,
  );
}
