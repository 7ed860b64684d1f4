import { useState } from 'preact/hooks';
import { OptionsResult, type ActionResult } from './OptionsResult.tsx';
import { useTranslate } from '../common/i18n-context.ts';
import { useRequest } from '../common/send-context.ts';

/** Subscribes to a list by URL; the background downloads and validates it before anything changes. */
export function OptionsSubscribeForm({ onSubscribed }: { onSubscribed: () => Promise<void> }) {
  const t = useTranslate();
  const request = useRequest();
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ActionResult>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setResult(null);
    const answer = await request({ type: 'lists/subscribe', url: url.trim() });
    if (answer.ok) {
      await onSubscribed();
      setUrl('');
      setResult({ kind: 'done', text: t('options_subscribed', { name: answer.data.name, count: answer.data.entryCount.toLocaleString() }) });
    } else {
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
          <div class="inline">
            <input
              id="options-subscribe-url"
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
            <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
              {busy ? t('options_subscribing') : t('options_subscribeButton')}
            </button>
          </div>
          <p id="options-subscribe-help" class="help">
            {t('options_subscribeHelp')}
          </p>
        </div>
        <OptionsResult result={result} errorId="options-subscribe-error" />
      </fieldset>
    </form>
  );
}
