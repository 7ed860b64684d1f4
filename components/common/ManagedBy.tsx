import type { ManagedBy as ManagedByView } from '../../lib/protocol/page-protocol.ts';
import { useTranslate } from './i18n-context.ts';

/**
 * "Managed by <organisation>", where the administrator's policy decided what RelayGuard shows
 * (popup, in-page warning, block page), with the organisation's support page and address. The
 * policy's values were checked on arrival (lib/lists/policy.ts): the link is http(s) only.
 */
export function ManagedBy({ managedBy }: { managedBy: ManagedByView }) {
  const t = useTranslate();
  const { name, supportUrl, supportEmail } = managedBy;
  return (
    <p class="managed-by" data-testid="managed-by">
      <span class="managed-tag">{t('managedBy', { organization: name ?? t('managedBy_yourOrganisation') })}</span>
      {supportUrl && (
        <>
          {' '}
          <a href={supportUrl} target="_blank" rel="noopener noreferrer" data-testid="managed-by-support">
            {t('managedBy_support')}
          </a>
        </>
      )}
      {supportEmail && (
        <>
          {' '}
          <a href={`mailto:${supportEmail}`} data-testid="managed-by-email">
            {supportEmail}
          </a>
        </>
      )}
    </p>
  );
}
