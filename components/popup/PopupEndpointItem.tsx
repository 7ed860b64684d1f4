import { normalizeHost } from '../../lib/core/host.ts';
import type { TabVerdictView } from '../../lib/protocol/messages.ts';
import { useTranslate } from '../common/i18n-context.ts';

type Endpoint = TabVerdictView['endpoints'][number];
type Translate = ReturnType<typeof useTranslate>;

/** One endpoint: host, its level, the gateway account (multi-tenant gateways), the API it speaks, how often it was called and with what credential. */
export function PopupEndpointItem({ endpoint }: { endpoint: Endpoint }) {
  const t = useTranslate();
  const host = normalizeHost(endpoint.host);
  return (
    <li class={`endpoint level-${endpoint.level}`} data-testid="endpoint" data-host={endpoint.host} data-level={endpoint.level} data-account={endpoint.account}>
      <div class="endpoint-head">
        <span class="endpoint-host">{host.ok ? host.value.display : endpoint.host}</span>
        <span class="level-badge">{t(`level_${endpoint.level}`)}</span>
      </div>
      <dl class="endpoint-facts">
        {endpoint.account !== undefined && (
          <>
            <dt>{t('popup_endpointAccount')}</dt>
            <dd class="endpoint-account">{endpoint.account}</dd>
          </>
        )}
        <dt>{t('popup_endpointProtocol')}</dt>
        <dd>{protocolName(endpoint.protocol, t)}</dd>
        <dt>{t('popup_endpointCalls')}</dt>
        <dd>{String(endpoint.count)}</dd>
        <dt>{t('popup_endpointCredentials')}</dt>
        <dd>
          {endpoint.credentialKinds.length === 0 ? (
            t('popup_credential_none')
          ) : (
            <ul class="chips">
              {endpoint.credentialKinds.map((kind) => (
                <li key={kind} data-kind={kind}>
                  {credentialName(kind, t)}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </li>
  );
}

function protocolName(protocol: string, t: Translate): string {
  switch (protocol) {
    case 'openai':
      return t('popup_protocol_openai');
    case 'anthropic':
      return t('popup_protocol_anthropic');
    case 'gemini':
      return t('popup_protocol_gemini');
    case 'azure-openai':
      return t('popup_protocol_azureOpenai');
    default:
      return protocol; // a protocol newer than this popup: its id is still better than nothing
  }
}

function credentialName(kind: string, t: Translate): string {
  switch (kind) {
    case 'vendor-key':
      return t('popup_credential_vendorKey');
    case 'subscription-credential':
      return t('popup_credential_subscription');
    case 'relay-token':
      return t('popup_credential_relayToken');
    default:
      return t('popup_credential_unknown');
  }
}
