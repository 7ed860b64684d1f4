import { normalizeHost } from '../core/host.ts';
import type { TabVerdictView } from '../protocol/page-protocol.ts';
import { riskSource } from '../verdicts/risk-source.ts';
import type { ReportKind } from './report-document.ts';

/**
 * What making a report does for the person at once, before any list is updated: a relay report
 * puts the host on their own blocklist, a false-positive report on their allowlist. The entry
 * goes through the list registry like any other (user-entries/put) and can be undone.
 */
export type ReportAction =
  | { readonly act: true; readonly pattern: string; readonly level: 'blocked' | 'vetted' }
  | { readonly act: false; readonly why: 'managed' | 'already' | 'lookalike' | 'official' | 'noHost' };

export interface ReportedHost {
  readonly host: string;
  /** False when the host is an AI endpoint the page called. */
  readonly isPage: boolean;
  readonly endpointLevel?: TabVerdictView['level'];
}

/**
 * The host a report is about. A page that only calls a relay (a chat app on a relay's API) is
 * not the relay: the endpoint is, so that is the host blocked (or, for a false positive, trusted),
 * the same host the in-page warning and the popup name (lib/verdicts/risk-source.ts).
 */
export function reportedHost(verdict: TabVerdictView): ReportedHost | null {
  const source = riskSource(verdict);
  if (source.kind === 'endpoint') {
    const endpoint = normalizeHost(source.host);
    if (endpoint.ok) return { host: endpoint.value.host, isPage: false, endpointLevel: verdict.level };
  }
  const page = normalizeHost(verdict.url);
  return page.ok ? { host: page.value.host, isPage: true } : null;
}

export function reportAction(verdict: TabVerdictView, kind: ReportKind): ReportAction {
  const target = reportedHost(verdict);
  if (!target) return { act: false, why: 'noHost' };
  const level = kind === 'relay' ? 'blocked' : 'vetted';
  if (target.isPage) {
    // Policy decides a managed host; the person's entry would change nothing.
    if (verdict.control.managed) return { act: false, why: 'managed' };
    // A host that imitates a vendor's is offered no trust anywhere (components/popup/PopupActions.tsx).
    if (level === 'vetted' && verdict.reasons.some((reason) => reason.kind === 'lookalike')) return { act: false, why: 'lookalike' };
    const listLevel = verdict.reasons.find((reason) => reason.kind === 'list')?.level;
    // A vendor's own host is never blocked by a report (a lured report must not cut the person off from their vendor).
    if (level === 'blocked' && listLevel === 'official') return { act: false, why: 'official' };
    const already = level === 'blocked' ? listLevel === 'blocked' : listLevel === 'official' || listLevel === 'vetted';
    if (already || verdict.control.userEntry?.level === level) return { act: false, why: 'already' };
  } else if (level === 'blocked' && target.endpointLevel === 'blocked') {
    return { act: false, why: 'already' };
  }
  return { act: true, pattern: target.host, level };
}
