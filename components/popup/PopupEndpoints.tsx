import type { TabVerdictView } from '../../lib/protocol/messages.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { PopupEndpointItem } from './PopupEndpointItem.tsx';

/** The AI APIs the page called since it loaded, each with its own level. */
export function PopupEndpoints({ endpoints }: { endpoints: TabVerdictView['endpoints'] }) {
  const t = useTranslate();
  return (
    <section class="popup-endpoints" aria-labelledby="popup-endpoints-title">
      <h2 id="popup-endpoints-title">{t('popup_endpointsHeading')}</h2>
      {endpoints.length === 0 ? (
        <p class="muted">{t('popup_noEndpoints')}</p>
      ) : (
        <ul class="endpoints">
          {endpoints.map((endpoint) => (
            <PopupEndpointItem key={endpoint.host} endpoint={endpoint} />
          ))}
        </ul>
      )}
    </section>
  );
}
