import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Translate } from '../../lib/core/i18n.ts';

/** Components read strings through this, so tests can render them in any language. */
export const I18nContext = createContext<Translate | null>(null);

export function useTranslate(): Translate {
  const translate = useContext(I18nContext);
  if (!translate) throw new Error('Render inside <I18nContext.Provider>.');
  return translate;
}
