import { useEffect, useState } from 'preact/hooks';
import { keyEnding, VENDOR_KEY_PAGES } from '../../lib/history/key-display.ts';
import type { ResponseFor } from '../../lib/protocol/messages.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { useRequest } from '../common/send-context.ts';

type KeySentEntry = Extract<ResponseFor<'history/keys-sent'>[number], { kind: 'key-sent' }>;

/**
 * "Your OpenAI key ending …a1b2 was sent to relay.example: rotate it", on the spot, for every
 * vendor key the tab's page sent to a host that is not the vendor's (from the key history:
 * the last four characters, never more), with a link to the vendor's key page.
 */
export function PopupKeysSent({ tabId }: { tabId: number }) {
  const t = useTranslate();
  const request = useRequest();
  const [entries, setEntries] = useState<readonly KeySentEntry[] | null>(null);

  useEffect(() => {
    void request({ type: 'history/keys-sent', tabId }).then((answer) => {
      setEntries(answer.ok ? answer.data.filter((entry): entry is KeySentEntry => entry.kind === 'key-sent') : []);
    });
  }, [request, tabId]);

  // Present (and empty) once the answer is in: "nothing was sent" is then a fact, not a pending load.
  if (entries === null) return null;
  return (
    <section class="keys-sent" role="alert" data-testid="keys-sent" data-count={entries.length} hidden={entries.length === 0}>
      {entries.map((entry) => {
        const vendor = VENDOR_KEY_PAGES[entry.vendor];
        return (
          <p key={`${entry.vendor}|${entry.last4}|${entry.endpointHost}`} class="key-sent" data-testid="key-sent-notice" data-vendor={entry.vendor} data-endpoint={entry.endpointHost}>
            {t('popup_keySent', { vendor: vendor.name, ending: keyEnding(entry.last4), host: entry.endpointHost })}{' '}
            <a href={vendor.keyPage} target="_blank" rel="noreferrer" data-testid="rotate-key">
              {t('history_rotateKey')}
            </a>
          </p>
        );
      })}
    </section>
  );
}
