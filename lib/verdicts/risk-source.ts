import type { Reason, VerdictLevel } from './verdict.ts';

/**
 * Where a tab's risk comes from, for the one sentence every surface says about it: the page
 * itself, or only the AI endpoint it sends what is typed to (a chat app on a relay's API). The
 * in-page warning, the popup and the report form name the same host for the same verdict.
 */
export type RiskSource = { readonly kind: 'page' } | { readonly kind: 'endpoint'; readonly host: string };

export function riskSource(verdict: { readonly level: VerdictLevel; readonly reasons: readonly Pick<Reason, 'kind' | 'level' | 'source'>[] }): RiskSource {
  const pageItselfRisky = verdict.reasons.some((reason) => reason.kind !== 'endpoint' && (reason.level === 'unvetted' || reason.level === 'blocked'));
  const endpoint = verdict.reasons.find((reason) => reason.kind === 'endpoint' && reason.level === verdict.level);
  return !pageItselfRisky && endpoint ? { kind: 'endpoint', host: endpoint.source } : { kind: 'page' };
}
