import { isNavigableTarget } from '../lists/block-rules.ts';
import { normalizeHost } from '../core/host.ts';
import { parseHostPattern } from '../core/host-pattern.ts';
import { loadUserEntries, putUserEntries, putUserEntry, removeUserEntry, type ListDatabase } from '../lists/list-store.ts';
import { parseUserEntriesFile } from '../lists/user-entries-file.ts';
import type { InterstitialInfo } from '../protocol/messages.ts';
import { signalsFromFingerprint } from '../detection/page-fingerprint.ts';
import { verdictForHost } from '../verdicts/verdict.ts';
import type { BlockRuleSync } from './block-rule-sync.ts';
import type { ListRegistry } from './list-registry.ts';
import type { PageContexts } from './page-contexts.ts';
import type { PageGuards } from './page-guards.ts';
import type { Preferences } from './preferences.ts';
import { RequestError, type Handlers } from './message-router.ts';
import type { TabVerdicts } from './tab-verdicts.ts';

export interface HandlerDeps {
  readonly registry: ListRegistry;
  readonly tabs: TabVerdicts;
  readonly blockRules: BlockRuleSync;
  readonly pageContexts: PageContexts;
  readonly pageGuards: PageGuards;
  readonly preferences: Preferences;
  readonly openDatabase: () => Promise<ListDatabase>;
  /** Opens an extension page in a new tab next to `besideTabId`. */
  readonly openTab: (url: string, besideTabId: number) => Promise<void>;
  readonly extensionUrl: (path: '/popup.html') => string;
  readonly now?: () => Date;
}

/** What each request does; the router has already validated it and checked who sent it. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { registry, tabs, blockRules, pageContexts, pageGuards, preferences, openDatabase, now = () => new Date() } = deps;
  const interstitialInfo = async (url: string): Promise<InterstitialInfo & { host: string | null }> => {
    await registry.ready();
    const normalized = normalizeHost(url);
    const navigable = isNavigableTarget(url) && normalized.ok;
    if (!normalized.ok) {
      return { url, host: null, navigable: false, hostUnicode: url, hostAscii: url, level: 'unknown', reasons: [], allowProceed: false, allowAlwaysAllow: false };
    }
    const { host, unicode, scope } = normalized.value;
    const hit = registry.matcher.decide(host);
    const verdict = verdictForHost({ listHit: hit, host, scope });
    return {
      url,
      host,
      navigable,
      hostUnicode: unicode,
      hostAscii: host,
      level: verdict.level,
      reasons: [...verdict.reasons],
      allowProceed: registry.policy.allowProceed,
      // The person's allowlist cannot outrank an administrator's block (precedence: managed > user).
      allowAlwaysAllow: hit?.source !== 'managed',
    };
  };

  const senderTab = (sender: { tab?: { id?: number } }): number => {
    const tabId = sender.tab?.id;
    if (tabId === undefined || tabId < 0) throw new RequestError('This request must come from a tab.');
    return tabId;
  };

  /** The page host of a content script's top frame: requests about "this site" name no host themselves. */
  const senderPageHost = (sender: { frameId?: number; url?: string }): string => {
    const host = sender.frameId === 0 && sender.url ? normalizeHost(sender.url) : null;
    if (!host?.ok) throw new RequestError('This request must come from the top frame of a web page.');
    return host.value.host;
  };

  /** Whether `url` is on the page RelayGuard saw commit in the tab (what recordPageSignals trusts). */
  const isCommittedPage = async (tabId: number, url: string): Promise<boolean> => {
    const host = normalizeHost(url);
    return host.ok && host.value.host === (await tabs.pageHost(tabId));
  };

  /** The change is answered only once the block rules carry it: a navigation right after must obey it. */
  const reloadUserEntries = async () => {
    await registry.reloadUserEntries();
    await blockRules.settled();
  };

  const putEntry = async (entry: { pattern: string; level: 'vetted' | 'blocked'; note?: string }) => {
    await registry.ready();
    const stored = await putUserEntry(await openDatabase(), { ...entry, added: now().toISOString() });
    if (!stored.ok) throw new RequestError(stored.error);
    await reloadUserEntries();
    return stored.value;
  };

  return {
    'tab-verdict/get': ({ tabId }) => tabs.get(tabId),
    'lists/subscribe': async ({ url }) => {
      const result = await registry.subscribe(url);
      if (!result.ok) throw new RequestError(result.error);
      return result.value;
    },
    'lists/unsubscribe': async ({ id }) => ({ removed: await registry.unsubscribe(id) }),
    'lists/summary': async () => {
      await registry.ready();
      return registry.summary();
    },
    'interstitial/info': async ({ url }) => {
      const { host: _host, ...info } = await interstitialInfo(url);
      return info;
    },
    'interstitial/proceed-once': async ({ url }, sender) => {
      const info = await interstitialInfo(url);
      if (!info.navigable || !info.host) throw new RequestError('Only web pages can be opened.');
      if (!info.allowProceed) throw new RequestError('Your organisation does not allow continuing to this site.');
      if (!(await blockRules.allowOnce(senderTab(sender), info.host))) throw new RequestError('The exception could not be added.');
      return { url };
    },
    'interstitial/always-allow': async ({ url }) => {
      const info = await interstitialInfo(url);
      if (!info.navigable || !info.host) throw new RequestError('Only web pages can be allowed.');
      if (!info.allowAlwaysAllow) throw new RequestError('Your organisation blocks this site; it cannot be allowed here.');
      await putEntry({ pattern: info.host, level: 'vetted' });
      return { url };
    },
    'page/fingerprint': async ({ fingerprint }, sender) => {
      const tabId = senderTab(sender);
      // A late message from the tab's previous document must not spend the new page's one probe.
      if (sender.frameId !== 0 || !sender.url || !(await isCommittedPage(tabId, sender.url))) return { recorded: false };
      await tabs.recordPageSignals(tabId, sender.url, signalsFromFingerprint(fingerprint));
      if (await tabs.grantStatusProbe(tabId)) await pageGuards.requestStatusProbe(tabId);
      return { recorded: true };
    },
    'page/guard-needed': async (_request, sender) => {
      const tabId = senderTab(sender);
      if (sender.frameId !== 0 || !sender.url || !(await isCommittedPage(tabId, sender.url))) return { started: false };
      return { started: await pageGuards.ensure(tabId) };
    },
    'page/probe-signals': async ({ signals }, sender) => {
      const tabId = senderTab(sender);
      // Only the probe's own signal, and only after the background granted the probe.
      const probeSignals = signals.filter((signal) => signal.id === 'gateway-status-endpoint');
      if (sender.frameId !== 0 || !sender.url || !(await isCommittedPage(tabId, sender.url)) || !(await tabs.wasProbeGranted(tabId))) return { accepted: 0 };
      await tabs.recordPageSignals(tabId, sender.url, probeSignals);
      return { accepted: probeSignals.length };
    },
    'page/context': async (_request, sender) => pageContexts.contextFor(senderTab(sender)),
    'page/trust-site': async (_request, sender) => {
      const host = senderPageHost(sender);
      await registry.ready();
      if (registry.matcher.match(host).some((hit) => hit.source === 'managed')) throw new RequestError('Your organisation manages this site.');
      await putEntry({ pattern: host, level: 'vetted' });
      return { trusted: true };
    },
    'page/dismiss-warning': async (_request, sender) => {
      await preferences.dismissWarning(senderPageHost(sender));
      await pageContexts.push(senderTab(sender));
      return { dismissed: true };
    },
    'page/open-details': async (_request, sender) => {
      const tabId = senderTab(sender);
      await deps.openTab(`${deps.extensionUrl('/popup.html')}?tab=${tabId}`, tabId);
      return { opened: true };
    },
    'user-entries/list': async () => {
      await registry.ready();
      const { records } = await loadUserEntries(await openDatabase());
      const { allowlist, blocklist, allowProceed, problems } = registry.policy;
      return { entries: records, managed: { allowlist: [...allowlist], blocklist: [...blocklist], allowProceed, problems: [...problems] } };
    },
    'user-entries/put': async ({ pattern, level, note }) => {
      // An entry the organisation's policy outranks would change nothing but look as if it did.
      const target = parseHostPattern(pattern);
      await registry.ready();
      if (target.ok && registry.matcher.match(target.value.host).some((hit) => hit.source === 'managed' && (hit.pattern === target.value.text || !hit.pattern.startsWith('.')))) {
        throw new RequestError('Your organisation manages this site; your own entry would not change it.');
      }
      return putEntry({ pattern, level, ...(note && { note }) });
    },
    'user-entries/remove': async ({ pattern }) => {
      await registry.ready();
      const removed = await removeUserEntry(await openDatabase(), pattern);
      await reloadUserEntries();
      return { removed };
    },
    'user-entries/import': async ({ text }) => {
      const parsed = parseUserEntriesFile(text);
      if (!parsed.ok) throw new RequestError(parsed.error.message);
      await registry.ready();
      await putUserEntries(await openDatabase(), parsed.value);
      await reloadUserEntries();
      return { imported: parsed.value.length };
    },
    'settings/get': () => preferences.settings(),
    'settings/set': async ({ changes }) => {
      const settings = await preferences.updateSettings(changes);
      await Promise.all([blockRules.rebuild(), pageContexts.pushAll(), pageGuards.reviewAll()]);
      return settings;
    },
  };
}
