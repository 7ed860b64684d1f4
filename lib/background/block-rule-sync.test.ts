import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { createDnrStandIn, type DnrStandIn } from '../../tests/support/extension-apis.ts';
import type { DnrRule } from '../lists/block-rules.ts';
import { BlockRuleSync } from './block-rule-sync.ts';
import type { ListRegistry } from './list-registry.ts';
import { createTestRegistry } from '../../tests/support/test-registry.ts';
import { fakeBrowser } from 'wxt/testing/fake-browser';

const INTERSTITIAL = 'chrome-extension://test-extension-id/blocked.html';

let factory: IDBFactory;
let policy: Record<string, unknown>;
let blockApiRequests: boolean;
let reports: string[];
let registry: ListRegistry;

function start(dnr: DnrStandIn, { session }: { session?: typeof fakeBrowser.storage.session } = {}): BlockRuleSync {
  registry = createTestRegistry(factory, { readManagedPolicy: async () => policy, report: (problem) => void reports.push(`registry: ${problem}`) });
  return new BlockRuleSync({
    dnr: dnr.api,
    registry,
    interstitialUrl: INTERSTITIAL,
    blockApiRequests: async () => blockApiRequests,
    report: (problem) => void reports.push(problem),
    ...(session && { session }),
  });
}

/** The rules a single blocked subtree (`relay.example` and its subdomains) needs. */
function blockedSubtree(host: string, firstId: number, { api }: { api: boolean }): DnrRule[] {
  const labels = host.split('.').length;
  const redirect: DnrRule = {
    id: firstId,
    priority: labels * 2,
    action: { type: 'redirect', redirect: { regexSubstitution: `${INTERSTITIAL}#\\0` } },
    condition: { regexFilter: '^https?://.*', requestDomains: [host], resourceTypes: ['main_frame'] },
  };
  if (!api) return [redirect];
  return [
    redirect,
    { id: firstId + 1, priority: labels * 2, action: { type: 'block' }, condition: { requestDomains: [host], resourceTypes: ['xmlhttprequest', 'websocket', 'other'] } },
  ];
}

/** A stale rule left by an older version: it must go. */
const stale = (id: number): DnrRule => ({ id, priority: 1, action: { type: 'block' }, condition: { requestDomains: [`old-${id}.example`], resourceTypes: ['main_frame'] } });

beforeEach(() => {
  fakeBrowser.reset();
  factory = new IDBFactory();
  policy = {};
  blockApiRequests = true;
  reports = [];
});

describe('rebuild', () => {
  test('replaces every dynamic rule in one updateDynamicRules call', async () => {
    policy = { blocklist: ['relay.example'] };
    const dnr = createDnrStandIn({ dynamic: [stale(1), stale(2), stale(7)] });
    await start(dnr).rebuild();

    expect(dnr.calls).toEqual([
      { method: 'getDynamicRules' },
      { method: 'updateDynamicRules', options: { removeRuleIds: [1, 2, 7], addRules: blockedSubtree('relay.example', 1, { api: true }) } },
    ]);
    expect(dnr.dynamicRules()).toEqual(blockedSubtree('relay.example', 1, { api: true }));
    expect(dnr.sessionRules()).toEqual([]);
    expect(reports).toEqual([]);
  });

  test('with nothing blocked, the rebuild leaves no dynamic rule behind', async () => {
    const dnr = createDnrStandIn({ dynamic: [stale(3)] });
    await start(dnr).rebuild();
    expect(dnr.calls.filter((call) => call.method === 'updateDynamicRules')).toEqual([
      { method: 'updateDynamicRules', options: { removeRuleIds: [3], addRules: [] } },
    ]);
    expect(dnr.dynamicRules()).toEqual([]);
  });

  test('the blockApiRequests setting decides whether API requests are blocked too', async () => {
    policy = { blocklist: ['relay.example'] };
    const dnr = createDnrStandIn();
    const sync = start(dnr);
    blockApiRequests = false;
    await sync.rebuild();
    expect(dnr.dynamicRules()).toEqual(blockedSubtree('relay.example', 1, { api: false }));

    blockApiRequests = true;
    await sync.rebuild();
    expect(dnr.dynamicRules()).toEqual(blockedSubtree('relay.example', 1, { api: true }));
    // The second rebuild removed exactly what the first installed.
    expect(dnr.calls.at(-1)).toEqual({ method: 'updateDynamicRules', options: { removeRuleIds: [1], addRules: blockedSubtree('relay.example', 1, { api: true }) } });
  });

  test('two concurrent rebuilds run one after the other, and the last one wins', async () => {
    policy = { blocklist: ['relay.example'] };
    const dnr = createDnrStandIn({ dynamic: [stale(1)] });
    const sync = start(dnr);
    let open!: () => void;
    dnr.hold('getDynamicRules', new Promise<void>((resolve) => (open = resolve)));

    blockApiRequests = false;
    const first = sync.rebuild();
    const second = sync.rebuild();
    // The first rebuild has read the setting once it waits on getDynamicRules (it reads first).
    await vi.waitFor(() => expect(dnr.timeline).toContain('getDynamicRules:start'));
    blockApiRequests = true; // read by the second rebuild only once the first is done
    open();
    await Promise.all([first, second]);

    expect(dnr.timeline).toEqual([
      'getDynamicRules:start',
      'getDynamicRules:end',
      'updateDynamicRules:start',
      'updateDynamicRules:end',
      'getDynamicRules:start',
      'getDynamicRules:end',
      'updateDynamicRules:start',
      'updateDynamicRules:end',
    ]);
    expect(dnr.calls.filter((call) => call.method === 'updateDynamicRules')).toEqual([
      { method: 'updateDynamicRules', options: { removeRuleIds: [1], addRules: blockedSubtree('relay.example', 1, { api: false }) } },
      { method: 'updateDynamicRules', options: { removeRuleIds: [1], addRules: blockedSubtree('relay.example', 1, { api: true }) } },
    ]);
    expect(dnr.dynamicRules()).toEqual(blockedSubtree('relay.example', 1, { api: true }));
    expect(reports).toEqual([]);
  });

  test('a failed update is reported, and the next rebuild still runs', async () => {
    policy = { blocklist: ['relay.example'] };
    const dnr = createDnrStandIn({ dynamic: [stale(4)] });
    const sync = start(dnr);
    dnr.failNext('updateDynamicRules', new Error('Internal error.'));
    await expect(sync.rebuild()).resolves.toBeUndefined();
    expect(reports).toEqual(['Block rules not updated: Error: Internal error.']);
    expect(dnr.dynamicRules()).toEqual([stale(4)]); // all or nothing

    await sync.rebuild();
    expect(dnr.dynamicRules()).toEqual(blockedSubtree('relay.example', 1, { api: true }));
    expect(reports).toHaveLength(1);
  });

  test('what the rules cannot express is reported', async () => {
    const dnr = createDnrStandIn({ dynamic: [stale(1)] });
    registry = createTestRegistry(factory, { readManagedPolicy: async () => ({ blocklist: ['relay.example'] }), report: (problem) => void reports.push(`registry: ${problem}`) });
    const sync = new BlockRuleSync({ dnr: dnr.api, registry, interstitialUrl: `${INTERSTITIAL}#x`, blockApiRequests: async () => true, report: (problem) => void reports.push(problem) });
    await sync.rebuild();
    expect(reports).toEqual([
      `The interstitial URL “${INTERSTITIAL}#x” already has a fragment; the original URL must follow '#', so no rules were built.`,
    ]);
    expect(dnr.dynamicRules()).toEqual([]);
  });

  test('a change to the lists rebuilds the rules without being asked', async () => {
    const dnr = createDnrStandIn();
    start(dnr);
    await registry.ready();
    expect(dnr.calls).toEqual([]); // loading what was stored is not a change

    // The registry's write answers once the rules carry it.
    expect((await registry.putUserEntry({ pattern: 'cheap-relay.example', level: 'blocked' })).ok).toBe(true);
    expect(dnr.calls.filter((call) => call.method === 'updateDynamicRules')).toHaveLength(1);
    expect(dnr.dynamicRules()).toEqual(blockedSubtree('cheap-relay.example', 1, { api: true }));

    policy = { blocklist: ['relay.example'], allowlist: ['cheap-relay.example'] };
    await registry.reloadPolicy();
    expect(dnr.calls.filter((call) => call.method === 'updateDynamicRules')).toHaveLength(2);
    expect(dnr.dynamicRules()).toEqual(blockedSubtree('relay.example', 1, { api: true }));
    expect(reports).toEqual([]);
  });
});

describe('proceed once', () => {
  const SHAPE_2 = '^[^:]+://(?:[^/@]*@)?[^./@]+(?:\\.[^./@]+){1}\\.?[:/]';
  const API = ['xmlhttprequest', 'websocket', 'other'] as DnrRule['condition']['resourceTypes'];
  /** The pair "continue once" installs for a two-label host: its page load, then its API calls. */
  const proceedRules = (id: number, tabId: number, host: string): DnrRule[] => [
    { id, priority: 1000, action: { type: 'allow' }, condition: { requestDomains: [host], regexFilter: SHAPE_2, resourceTypes: ['main_frame'], tabIds: [tabId] } },
    { id: id + 1, priority: 1000, action: { type: 'allow' }, condition: { requestDomains: [host], regexFilter: SHAPE_2, resourceTypes: API, tabIds: [tabId] } },
  ];

  test('allowOnce adds the pair of session rules for that tab with ids no session rule has', async () => {
    const dnr = createDnrStandIn({ session: [...proceedRules(3, 5, 'a.example'), ...proceedRules(9, 6, 'b.example')], dynamic: [stale(10)] });
    const sync = start(dnr);
    expect(await sync.allowOnce(7, 'relay.example')).toBe(true);
    expect(dnr.calls.at(-1)).toEqual({ method: 'updateSessionRules', options: { addRules: proceedRules(11, 7, 'relay.example') } });
    expect(dnr.sessionRules().map((rule) => rule.id)).toEqual([3, 4, 9, 10, 11, 12]);
    expect(dnr.dynamicRules()).toEqual([stale(10)]); // dynamic rules are another id space, untouched

    expect(await sync.allowOnce(7, 'other-relay.example')).toBe(true);
    expect(dnr.sessionRules().map((rule) => rule.id)).toEqual([3, 4, 9, 10, 11, 12, 13, 14]);
  });

  test('the first session rules get ids 1 and 2', async () => {
    const dnr = createDnrStandIn();
    expect(await start(dnr).allowOnce(0, 'relay.example')).toBe(true);
    expect(dnr.sessionRules()).toEqual(proceedRules(1, 0, 'relay.example'));
  });

  test('a host that is not a host adds nothing', async () => {
    const dnr = createDnrStandIn();
    const sync = start(dnr);
    expect(await sync.allowOnce(7, 'javascript:alert(1)')).toBe(false);
    expect(await sync.allowOnce(-1, 'relay.example')).toBe(false);
    expect(dnr.calls.filter((call) => call.method === 'updateSessionRules')).toEqual([]);
    expect(dnr.sessionRules()).toEqual([]);
  });

  test('the page the exception was for commits: its load is spent, its API calls stay allowed', async () => {
    const dnr = createDnrStandIn({ session: [...proceedRules(1, 7, 'relay.example'), ...proceedRules(3, 8, 'relay.example')] });
    const sync = start(dnr);
    await sync.pageCommitted(7, 'https://relay.example/?currency=usd');
    expect(dnr.calls.at(-1)).toEqual({ method: 'updateSessionRules', options: { removeRuleIds: [1] } });
    expect(dnr.sessionRules().map((rule) => rule.id)).toEqual([2, 3, 4]);
  });

  test('the tab moves on (another host, a subdomain, the block page again): nothing of the exception is left', async () => {
    for (const url of ['https://forum.example/', 'https://www.relay.example/', 'chrome-extension://id/blocked.html#https://relay.example/x', 'about:blank']) {
      const dnr = createDnrStandIn({ session: [...proceedRules(1, 7, 'relay.example'), ...proceedRules(3, 8, 'relay.example')] });
      await start(dnr).pageCommitted(7, url);
      expect({ url, left: dnr.sessionRules().map((rule) => rule.id) }).toEqual({ url, left: [3, 4] });
    }
  });

  test('a commit in a tab without an exception changes nothing', async () => {
    const dnr = createDnrStandIn({ session: proceedRules(1, 8, 'relay.example') });
    await start(dnr).pageCommitted(7, 'https://relay.example/');
    expect(dnr.calls.filter((call) => call.method === 'updateSessionRules')).toEqual([]);
  });

  test('forgetTab drops that tab’s session rules and only those', async () => {
    const dnr = createDnrStandIn({ session: [...proceedRules(1, 5, 'a.example'), ...proceedRules(3, 6, 'b.example'), ...proceedRules(5, 5, 'c.example')] });
    const sync = start(dnr);
    await sync.forgetTab(5);
    expect(dnr.calls.at(-1)).toEqual({ method: 'updateSessionRules', options: { removeRuleIds: [1, 2, 5, 6] } });
    expect(dnr.sessionRules()).toEqual(proceedRules(3, 6, 'b.example'));

    await sync.forgetTab(8);
    expect(dnr.calls.filter((call) => call.method === 'updateSessionRules')).toHaveLength(1); // nothing to remove, no call
  });
});

describe('status: what the options page shows', () => {
  // 13 labels, 104 characters: too many labels for a shape regex, too long for a literal one.
  const long = Array.from({ length: 13 }, (_, i) => `label${String(i).padStart(2, '0')}`).join('.');

  test('before any rebuild: nothing installed yet, nothing to say', async () => {
    expect(await start(createDnrStandIn(), { session: fakeBrowser.storage.session }).status()).toEqual({ installed: null, leftOut: [] });
  });

  test('names what a rebuild left out and why, and a restarted worker still knows it', async () => {
    policy = { blocklist: ['relay.example'] };
    const dnr = createDnrStandIn();
    const sync = start(dnr, { session: fakeBrowser.storage.session });
    await registry.ready();
    expect(await registry.putUserEntry({ pattern: `.${long}`, level: 'blocked' })).toMatchObject({ ok: true });
    await sync.settled();

    const expected = { installed: blockedSubtree('relay.example', 1, { api: true }).length, leftOut: [{ reason: 'exact-block-too-long', count: 1, hosts: [long] }] };
    expect(dnr.dynamicRules()).toEqual(blockedSubtree('relay.example', 1, { api: true }));
    expect(await sync.status()).toEqual(expected);
    expect(reports).toEqual([`1 exact host(s) are too long for a Chrome regexFilter: ${long} is blocked but not its subdomains; it is left unblocked`]);

    // The worker idles out and starts again: no rebuild, the status comes from session storage.
    const calls = dnr.calls.length;
    expect(await start(dnr, { session: fakeBrowser.storage.session }).status()).toEqual(expected);
    expect(dnr.calls).toHaveLength(calls);
  });

  test('a status in session storage that does not validate is not shown', async () => {
    await fakeBrowser.storage.session.set({ blockRuleStatus: { installed: -1, leftOut: 'everything' } });
    expect(await start(createDnrStandIn(), { session: fakeBrowser.storage.session }).status()).toEqual({ installed: null, leftOut: [] });
  });
});
