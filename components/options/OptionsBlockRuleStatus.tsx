import { useEffect, useState } from 'preact/hooks';
import type { MessageKey } from '../../lib/core/i18n.ts';
import type { LeftOutReason } from '../../lib/lists/block-rules.ts';
import type { BlockRuleStatus } from '../../lib/protocol/messages.ts';
import { useTranslate } from '../common/i18n-context.ts';
import { useRequest } from '../common/send-context.ts';

const REASON_TEXT: Readonly<Record<LeftOutReason, MessageKey>> = {
  'exact-allow-too-long': 'options_leftOutExactAllowTooLong',
  'exact-block-too-long': 'options_leftOutExactBlockTooLong',
  'exceptions-over-limit': 'options_leftOutExceptionsOverLimit',
  'redirect-over-limit': 'options_leftOutRedirectOverLimit',
  'api-block-over-limit': 'options_leftOutApiBlockOverLimit',
  'not-understood': 'options_leftOutNotUnderstood',
};

/**
 * Which hosts the lists block but the browser's block rules could not hold, and why (a limit of
 * the browser, a host too long for a rule). Nothing is left out silently: the in-page warning
 * still shows on these hosts, and this says so. When every entry has its rule, one line says that.
 * `lists` changes after every list change, which has rebuilt the rules by the time it answers.
 */
export function OptionsBlockRuleStatus({ lists }: { lists: unknown }) {
  const t = useTranslate();
  const request = useRequest();
  const [status, setStatus] = useState<BlockRuleStatus | null>(null);
  useEffect(() => {
    void request({ type: 'block-rules/status' }).then((answer) => setStatus(answer.ok ? answer.data : null));
  }, [request, lists]);
  if (!status || status.installed === null) return null;
  if (status.leftOut.length === 0) {
    return (
      <p class="muted" data-testid="block-rules-complete">
        {t('options_blockRulesComplete', { count: status.installed.toLocaleString() })}
      </p>
    );
  }
  return (
    <div class="note-box left-out" data-testid="block-rules-left-out" role="status">
      <p>
        <strong>{t('options_leftOutHeading')}</strong> {t('options_leftOutLead')}
      </p>
      <ul>
        {status.leftOut.map((item) => (
          <li key={item.reason} data-testid="left-out" data-reason={item.reason} data-count={item.count}>
            {t(REASON_TEXT[item.reason] as 'options_leftOutRedirectOverLimit', { count: item.count.toLocaleString() })}
            <ul class="left-out-hosts">
              {item.hosts.map((host) => (
                <li key={host}>
                  <code>{host}</code>
                </li>
              ))}
            </ul>
            {item.count > item.hosts.length && <p class="muted">{t('options_leftOutMore', { count: (item.count - item.hosts.length).toLocaleString() })}</p>}
          </li>
        ))}
      </ul>
    </div>
  );
}
