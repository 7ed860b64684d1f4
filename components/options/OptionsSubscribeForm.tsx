import { useState } from 'preact/hooks';
import { OptionsResult, type ActionResult } from './OptionsResult.tsx';
import { useTranslate } from '../common/i18n-context.ts';
import { useRequest } from '../common/send-context.ts';

/**
 * The keys in what the person pasted: the base64 lines of one or more minisign.pub files (their
 * `untrusted comment:` lines dropped), each checked by the background before anything is stored.
 */
function publicKeysIn(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('untrusted comment:'));
}

/**
 * Subscribes to a list by URL, optionally pinning minisign keys; the background downloads,
 * checks the signature and validates the list before anything changes.
 */
export function OptionsSubscribeForm({ onSubscribed }: { onSubscribed: () => Promise<void> }) {
  const t = useTranslate();
  const request = useRequest();
  const [url, setUrl] = useState('');
  const [keys, setKeys] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ActionResult>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setResult(null);
    const publicKeys = publicKeysIn(keys);
    const answer = await request({ type: 'lists/subscribe', url: url.trim(), ...(publicKeys.length > 0 && { publicKeys }) });
    if (answer.ok) {
      await onSubscribed();
      setUrl('');
      setKeys('');
      setResult({ kind: 'done', text: t('options_subscribed', { name: answer.data.name, count: answer.data.entryCount.toLocaleString() }) });
    } else {
      await onSubscribed(); // subscribing again to a list may have failed with its old copy kept: show it
      setResult({ kind: 'error', text: t('options_subscribeFailed', { error: answer.error }) });
    }
    setBusy(false);
  };

  const invalid = result?.kind === 'error';
  return (
    <form class="subscribe-form" onSubmit={(event) => void submit(event)} noValidate>
      <fieldset>
        <legend>{t('options_subscribeLegend')}</legend>
        <div class="field">
          <label for="options-subscribe-url">{t('options_subscribeUrlLabel')}</label>
          <input
            id="options-subscribe-url"
            data-testid="subscribe-url"
            type="url"
            inputMode="url"
            value={url}
            placeholder="https://"
            autocomplete="off"
            spellcheck={false}
            aria-invalid={invalid}
            aria-describedby={`options-subscribe-help${invalid ? ' options-subscribe-error' : ''}`}
            onInput={(event) => setUrl(event.currentTarget.value)}
          />
          <p id="options-subscribe-help" class="help">
            {t('options_subscribeHelp')}
          </p>
        </div>
        <div class="field">
          <label for="options-subscribe-key">{t('options_subscribeKeyLabel')}</label>
          <textarea
            id="options-subscribe-key"
            data-testid="subscribe-key"
            rows={2}
            value={keys}
            placeholder="RWQ…"
            autocomplete="off"
            spellcheck={false}
            aria-describedby="options-subscribe-key-help"
            onInput={(event) => setKeys(event.currentTarget.value)}
          />
          <p id="options-subscribe-key-help" class="help">
            {t('options_subscribeKeyHelp')}
          </p>
        </div>
        <button type="submit" class="primary" data-testid="subscribe" disabled={busy} aria-busy={busy}>
          {busy ? t('options_subscribing') : t('options_subscribeButton')}
        </button>
        <OptionsResult result={result} errorId="options-subscribe-error" />
      </fieldset>
    </form>
  );
}
