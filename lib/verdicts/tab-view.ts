import { accountPathOf } from '../core/gateway-accounts.ts';
import { normalizeHost, type HostScope } from '../core/host.ts';
import type { GatewayFamily } from '../detection/scoring.ts';
import type { Matcher } from '../lists/matcher.ts';
import { EMPTY_POLICY, managedByOf, policyManages, type PolicyView } from '../lists/policy.ts';
import { winningHit } from '../lists/precedence.ts';
import type { TabVerdictView } from '../protocol/page-protocol.ts';
import { tabVerdict, verdictForHost, type EndpointVerdict, type Reason, type Verdict } from './verdict.ts';

/** One AI-API endpoint a page called (lib/verdicts/tab-state.ts keeps one per host). */
export interface CalledEndpoint {
  readonly host: string;
  readonly protocol: string;
  readonly count: number;
  readonly credentialKinds: readonly string[];
  /** On a multi-tenant gateway, the account id the calls went through. */
  readonly account?: string | undefined;
}

/** What a tab's verdict is made of, besides the lists. */
export interface TabFacts {
  readonly tabId: number;
  readonly url: string;
  /** Canonical (ASCII) host, what the lists are asked about. */
  readonly host: string;
  /** The host as a person reads it (Unicode for IDN). */
  readonly hostDisplay: string;
  readonly scope: HostScope;
  /** Detection findings about the page that already passed scoring (each argues `unvetted`). */
  readonly detections: readonly Reason[];
  readonly endpoints: readonly CalledEndpoint[];
  readonly family?: GatewayFamily | undefined;
}

/**
 * One endpoint's own verdict. An AI-API call to a public host no list vouches for is itself the
 * evidence (docs/test-contract.md): such an endpoint is `unvetted`, where a page would be `unknown`.
 */
export function endpointVerdict(matcher: Pick<Matcher, 'decideEndpoint'>, endpoint: Pick<CalledEndpoint, 'host' | 'protocol' | 'account'>): EndpointVerdict {
  const normalized = normalizeHost(endpoint.host);
  const scope = normalized.ok ? normalized.value.scope : 'public';
  const accountPath = endpoint.account === undefined ? undefined : accountPathOf(endpoint.host, endpoint.account);
  const own = verdictForHost({ listHit: matcher.decideEndpoint(endpoint.host, accountPath), host: endpoint.host, scope });
  const level = own.level === 'unknown' && scope === 'public' ? 'unvetted' : own.level;
  return { host: endpoint.host, protocol: endpoint.protocol, level, reasons: own.reasons };
}

/**
 * The tab's verdict: the worst of its page's own level and its endpoints' levels, where official
 * and vetted endpoints never raise it (tabVerdict). Derived from the facts and the current lists
 * on every call, so a list change applies at once.
 */
export function tabVerdictOf(matcher: Pick<Matcher, 'decide' | 'decideEndpoint'>, facts: TabFacts): Verdict {
  const page = verdictForHost({ listHit: matcher.decide(facts.host), host: facts.hostDisplay, scope: facts.scope, detections: facts.detections });
  return tabVerdict(
    page,
    facts.endpoints.map((endpoint) => endpointVerdict(matcher, endpoint)),
  );
}

/** What the popup shows of a tab: the verdict, each endpoint with its own level, and what the person can change. */
export function tabVerdictView(matcher: Pick<Matcher, 'decide' | 'decideEndpoint' | 'match'>, facts: TabFacts, policy: PolicyView = EMPTY_POLICY): TabVerdictView {
  const verdict = tabVerdictOf(matcher, facts);
  return {
    tabId: facts.tabId,
    url: facts.url,
    hostDisplay: facts.hostDisplay,
    level: verdict.level,
    reasons: [...verdict.reasons],
    endpoints: facts.endpoints.map((endpoint) => ({ ...endpoint, credentialKinds: [...endpoint.credentialKinds], level: endpointVerdict(matcher, endpoint).level })),
    family: facts.family,
    control: hostControl(matcher, facts.host, verdict.level, policy),
    ...withManagedBy(managedByIfDecided(verdict.reasons, policy)),
  };
}

/** The view's `managedBy`, present only when there is someone to name. */
export function withManagedBy(managedBy: TabVerdictView['managedBy']): Pick<TabVerdictView, 'managedBy'> {
  return managedBy ? { managedBy } : {};
}

/** "Managed by …" belongs on a verdict a managed entry (the policy's own, or a managed subscription's) decided. */
export function managedByIfDecided(reasons: readonly Reason[], policy: PolicyView): TabVerdictView['managedBy'] {
  return reasons.some((reason) => reason.kind === 'list' && reason.listSource === 'managed') ? managedByOf(policy) : null;
}

/** The person's own entry that decides this host, if any, and whether the policy manages it. */
export function hostControl(matcher: Pick<Matcher, 'match'>, host: string, level: Verdict['level'], policy: PolicyView = EMPTY_POLICY): TabVerdictView['control'] {
  const hits = matcher.match(host);
  const own = winningHit(hits.filter((hit) => hit.source === 'user'));
  return {
    userEntry: own && own.level !== 'official' ? { pattern: own.pattern, level: own.level } : null,
    managed: policyManages(hits, { host, exactHostOnly: true }),
    // Absent unless true (docs/test-contract.md's view keeps its shape without a policy).
    ...((policy.disableUserLists || (level === 'blocked' && !policy.allowProceed)) && { locked: true }),
  };
}
