import type { SourcedList } from '../lists/matcher.ts';
import type { StoredSubscription } from '../lists/list-store.ts';
import { policyAsList, type ManagedPolicy } from '../lists/policy.ts';
import type { ListSummary } from '../protocol/messages.ts';
import { refreshIntervalMinutes } from '../lists/refresh-schedule.ts';

// Pure: what ListRegistry compiles and shows, and what tests/support/fake-background.ts answers with.

/** Every list in precedence order of its source: managed, the person's own, subscribed, bundled. */
export function assembleLists(parts: {
  readonly policy: ManagedPolicy;
  readonly userList: SourcedList | null;
  readonly subscriptions: readonly Pick<StoredSubscription, 'id' | 'list'>[];
  readonly bundled: readonly SourcedList[];
}): SourcedList[] {
  const { policy, userList, subscriptions, bundled } = parts;
  const managed: SourcedList[] = policy.allowlist.length + policy.blocklist.length > 0 ? [{ id: 'managed', source: 'managed', list: policyAsList(policy) }] : [];
  return [
    ...managed,
    ...(userList ? [userList] : []),
    ...subscriptions.map((subscription): SourcedList => ({ id: subscription.id, source: 'subscribed', list: subscription.list })),
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
      entryCount: list.entries.length,
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
