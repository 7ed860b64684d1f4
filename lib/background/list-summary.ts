import { MANAGED_POLICY_LIST_ID } from '../lists/precedence.ts';
import { entryCountOf, type SourcedList } from '../lists/matcher.ts';
import type { StoredSubscription } from '../lists/list-store.ts';
import { managedByOf, policyAsList, type ManagedPolicy } from '../lists/policy.ts';
import type { ListSummary, ResponseFor } from '../protocol/messages.ts';
import { refreshIntervalMinutes } from '../lists/refresh-schedule.ts';

// Pure: what ListRegistry compiles and shows, and what tests/support/fake-background.ts answers with.

/** Every list in precedence order of its source: managed, the person's own, subscribed, bundled. */
export function assembleLists(parts: {
  readonly policy: ManagedPolicy;
  readonly userList: SourcedList | null;
  readonly subscriptions: readonly (Pick<SourcedList, 'id' | 'list'> & { readonly url?: string })[];
  readonly bundled: readonly SourcedList[];
}): SourcedList[] {
  const { policy, userList, subscriptions, bundled } = parts;
  const managed: SourcedList[] = policy.allowlist.length + policy.blocklist.length > 0 ? [{ id: MANAGED_POLICY_LIST_ID, source: 'managed', list: policyAsList(policy) }] : [];
  // A subscription the policy names is the organisation's: its entries rank as managed.
  const managedUrls = new Set(policy.listSubscriptions.map((subscription) => subscription.url));
  const isManaged = (subscription: { readonly url?: string }) => subscription.url !== undefined && managedUrls.has(subscription.url);
  // listMode "overwrite": the person's own entries and subscriptions are kept but not applied.
  const personal = policy.listMode === 'add';
  return [
    ...managed,
    ...subscriptions.filter(isManaged).map((subscription): SourcedList => ({ id: subscription.id, source: 'managed', list: subscription.list })),
    ...(userList && personal ? [userList] : []),
    ...(personal ? subscriptions.filter((subscription) => !isManaged(subscription)) : []).map((subscription): SourcedList => ({ id: subscription.id, source: 'subscribed', list: subscription.list })),
    ...bundled,
  ];
}

/** What the options page shows of each list; subscriptions add where they come from and how fetching went. */
export function summarizeLists(lists: readonly SourcedList[], subscriptions: readonly Omit<StoredSubscription, 'list'>[]): ListSummary[] {
  return lists.map(({ id, source, list }) => {
    const subscription = subscriptions.find((candidate) => candidate.id === id);
    return {
      id,
      source,
      name: list.name,
      version: list.version,
      entryCount: entryCountOf(list),
      ...(list.reportUrl !== undefined && { reportUrl: list.reportUrl }),
      ...(subscription && {
        url: subscription.url,
        fetchedAt: subscription.fetchedAt,
        lastTriedAt: subscription.lastTriedAt,
        ...(subscription.lastError && { lastError: subscription.lastError }),
        ...(subscription.problem && { problem: { code: subscription.problem.code, ...(subscription.problem.detail !== undefined && { detail: subscription.problem.detail }) } }),
        ...(subscription.nextUpdateAt !== undefined && { nextUpdateAt: subscription.nextUpdateAt }),
        refreshMinutes: refreshIntervalMinutes(subscription.url, subscription.refreshMinutes),
        pinnedKeys: subscription.publicKeys?.length ?? 0,
        ...(subscription.signedBy && { signedBy: subscription.signedBy.keyId }),
      }),
    };
  });
}

/** What the options page shows of the policy beside the person's entries (user-entries/list). */
export function managedView(policy: ManagedPolicy): ResponseFor<'user-entries/list'>['managed'] {
  return {
    allowlist: [...policy.allowlist],
    blocklist: [...policy.blocklist],
    allowProceed: policy.allowProceed,
    listSubscriptions: policy.listSubscriptions.map((subscription) => subscription.url),
    listMode: policy.listMode,
    disableUserLists: policy.disableUserLists,
    pasteGuard: policy.pasteGuard,
    reportEndpoint: policy.reportEndpoint,
    organization: policy.keys.includes('organization') ? managedByOf(policy) : null,
    keys: [...policy.keys],
    problems: [...policy.problems],
  };
}

