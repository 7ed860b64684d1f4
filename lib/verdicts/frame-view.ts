import { normalizeHost } from '../core/host.ts';
import type { Matcher } from '../lists/matcher.ts';
import type { TabVerdictView } from '../protocol/page-protocol.ts';
import { EMPTY_POLICY, type PolicyView } from '../lists/policy.ts';
import { hostControl, managedByIfDecided, withManagedBy } from './tab-view.ts';
import { riskOf, verdictForHost, type Reason } from './verdict.ts';

/**
 * The verdict a frame inside a tab's page is guarded by (issue 8, "guard a frame by the worst of
 * its own verdict and its top page's"): the worse of its own host's, from the lists and the
 * look-alike check (a frame's page is not fingerprinted: the watch in a sub-frame does not
 * look), and its top page's. It is named by the frame's host, where a key pasted in it would go,
 * and keeps the top page's endpoints (a paste's DeepSeek context and the notice depend on them).
 *
 * `frameAddress` is the frame's URL, or the origin it runs in for frames without a URL of their
 * own (about:blank, srcdoc); without a usable one the top page's verdict stands.
 */
export function frameVerdictView(
  matcher: Pick<Matcher, 'decide' | 'decideEndpoint' | 'match'>,
  top: TabVerdictView | null,
  frame: { readonly tabId: number; readonly address: string | undefined },
  lookalike?: (host: string) => Reason | null,
  policy: PolicyView = EMPTY_POLICY,
): TabVerdictView | null {
  const normalized = frame.address ? normalizeHost(frame.address) : null;
  if (!frame.address || !normalized?.ok) return top;
  const { host, display, scope } = normalized.value;
  const imitation = scope === 'public' ? lookalike?.(host) : null;
  const own = verdictForHost({ listHit: matcher.decide(host), host: display, scope, detections: imitation ? [imitation] : [] });
  const worse = !top || riskOf(own.level) > riskOf(top.level) ? own : top;
  return {
    tabId: frame.tabId,
    url: frame.address,
    hostDisplay: display,
    level: worse.level,
    reasons: [...worse.reasons],
    endpoints: top?.endpoints ?? [],
    control: hostControl(matcher, host, worse.level, policy),
    ...withManagedBy(managedByIfDecided(worse.reasons, policy)),
  };
}
