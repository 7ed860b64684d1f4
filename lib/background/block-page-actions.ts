import { normalizeHost } from '../core/host.ts';
import { isNavigableTarget } from '../lists/block-rules.ts';
import type { InterstitialInfo } from '../protocol/messages.ts';
import { verdictForHost } from '../verdicts/verdict.ts';
import type { BlockRuleSync } from './block-rule-sync.ts';
import type { ListRegistry } from './list-registry.ts';
import { RequestError, senderTab, type MessageRouter } from './message-router.ts';

export interface BlockPageActionsDeps {
  readonly registry: ListRegistry;
  readonly blockRules: Pick<BlockRuleSync, 'allowOnce'>;
  readonly router: MessageRouter;
}

/** What the block page (blocked.html) asks: why a URL is blocked, and the person's two ways past it. */
export function registerBlockPageActions({ registry, blockRules, router }: BlockPageActionsDeps): void {
  const describe = async (url: string): Promise<InterstitialInfo & { host: string | null }> => {
    await registry.ready();
    const normalized = normalizeHost(url);
    if (!normalized.ok) {
      return { url, host: null, navigable: false, hostUnicode: url, hostAscii: url, level: 'unknown', reasons: [], allowProceed: false, allowAlwaysAllow: false };
    }
    const { host, unicode, scope } = normalized.value;
    const verdict = verdictForHost({ listHit: registry.matcher.decide(host), host, scope });
    return {
      url,
      host,
      navigable: isNavigableTarget(url),
      hostUnicode: unicode,
      hostAscii: host,
      level: verdict.level,
      reasons: [...verdict.reasons],
      allowProceed: registry.policy.allowProceed,
      // The person's allowlist cannot outrank an administrator's block (precedence: managed > user).
      allowAlwaysAllow: !registry.manages({ host, exactHostOnly: true }),
    };
  };

  router.register({
    'interstitial/info': async ({ url }) => {
      const { host: _host, ...info } = await describe(url);
      return info;
    },
    'interstitial/proceed-once': async ({ url }, sender) => {
      const info = await describe(url);
      if (!info.navigable || !info.host) throw new RequestError('Only web pages can be opened.');
      if (!info.allowProceed) throw new RequestError('Your organisation does not allow continuing to this site.');
      if (!(await blockRules.allowOnce(senderTab(sender), info.host))) throw new RequestError('The exception could not be added.');
      return { url };
    },
    'interstitial/always-allow': async ({ url }) => {
      const info = await describe(url);
      if (!info.navigable || !info.host) throw new RequestError('Only web pages can be allowed.');
      if (!info.allowAlwaysAllow) throw new RequestError('Your organisation blocks this site; it cannot be allowed here.');
      const stored = await registry.putUserEntry({ pattern: info.host, level: 'vetted' });
      if (!stored.ok) throw new RequestError(stored.error);
      return { url };
    },
  });
}
