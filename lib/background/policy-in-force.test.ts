import { readFileSync } from 'node:fs';
import { IDBFactory } from 'fake-indexeddb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, test } from 'vitest';
import { commitPage, createDnrStandIn, type DnrStandIn } from '../../tests/support/extension-apis.ts';
import { ask, refusal, startTestBackground, type TestBackground } from '../../tests/support/test-background.ts';
import { serveForSuite } from '../../tests/support/route-server.ts';
import type { RelayList } from '../lists/list-schema.ts';
import { openListDatabase, putUserEntry, storeFetchedList } from '../lists/list-store.ts';
import type { UserEntry } from '../lists/user-entry.ts';
import type { Sender } from './message-router.ts';

/**
 * The managed policy in force through the real wiring (createBackground): the locks hold for
 * every request, listMode decides whether the person's lists apply, "managed by" names the
 * organisation where the policy decided, and a policy changed while the browser runs applies at
 * once without losing per-tab state or the person's entries.
 */

const INTERSTITIAL = `${fakeBrowser.runtime.getURL('/')}blocked.html`;
const LOCKED = 'Your organisation manages RelayGuard’s lists: entries and subscriptions cannot be changed here.';
const COMMUNITY_URL = 'https://lists.example.org/relays.json';
const COMMUNITY = { name: 'Community relays', version: '7', updated: '2026-11-20', entries: [{ pattern: 'relay.example', level: 'blocked', evidence: ['https://evidence.example.org/relay'] }] };

let factory: IDBFactory;
let dnr: DnrStandIn;
let worker: TestBackground;

const popup: Sender = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html'), origin: new URL(fakeBrowser.runtime.getURL('/')).origin };
const options: Sender = { ...popup, url: fakeBrowser.runtime.getURL('/options.html') };
const blockPageIn = (tabId: number, blockedUrl: string): Sender => ({
  id: fakeBrowser.runtime.id,
  url: `${INTERSTITIAL}#${blockedUrl}`,
  frameId: 0,
  tab: { id: tabId, index: 1, windowId: 1, highlighted: true, active: true, pinned: false, incognito: false } as Sender['tab'],
});

async function startWorker() {
  fakeBrowser.runtime.onMessage.removeAllListeners();
  fakeBrowser.webNavigation.onCommitted.removeAllListeners();
  fakeBrowser.tabs.onRemoved.removeAllListeners();
  fakeBrowser.storage.onChanged.removeAllListeners();
  worker = startTestBackground({ indexedDB: factory, dnr });
  await worker.registry.ready();
  await worker.registry.livePolicy();
}

/** What the administrator does: writes the policy; the browser tells the worker (storage.onChanged, area managed). */
async function setPolicy(policy: Record<string, unknown>) {
  await fakeBrowser.storage.managed.clear();
  await fakeBrowser.storage.managed.set(policy);
  // The fake fires onChanged without waiting for listeners; the worker's reload is what applies it.
  await worker.registry.reloadPolicy();
  await worker.blockRules.settled();
}

async function seed({ entries = [], subscribed = false }: { entries?: UserEntry[]; subscribed?: boolean }) {
  const db = await openListDatabase(factory);
  for (const entry of entries) expect((await putUserEntry(db, entry)).ok).toBe(true);
  if (subscribed) await storeFetchedList(db, { url: COMMUNITY_URL, list: COMMUNITY as RelayList, at: 1, nextUpdateAt: Date.now() + 3_600_000 });
  db.close();
}

const verdictOf = (tabId: number) => ask({ type: 'tab-verdict/get', tabId }, popup);
const entriesView = () => ask({ type: 'user-entries/list' }, options);

beforeEach(() => {
  fakeBrowser.reset();
  factory = new IDBFactory();
  dnr = createDnrStandIn();
});

describe('disableUserLists', () => {
  const lockServer = serveForSuite();

  test('the background refuses every change to the person’s lists, from any page; their entries stay and still apply under "add"', async () => {
    await seed({ entries: [{ pattern: 'my-gateway.example', level: 'vetted', added: '2026-11-20T00:00:00Z' }], subscribed: true });
    await fakeBrowser.storage.managed.set({ disableUserLists: true });
    await startWorker();
    for (const request of [
      { type: 'user-entries/put', pattern: 'other.example', level: 'vetted' },
      { type: 'user-entries/remove', pattern: 'my-gateway.example' },
      { type: 'user-entries/import', text: JSON.stringify({ format: 'relayguard.user-entries/1', entries: [] }) },
      { type: 'lists/subscribe', url: 'https://lists.example.org/other.json' },
      { type: 'lists/unsubscribe', id: `subscription:${COMMUNITY_URL}` },
    ] as const) {
      for (const sender of [popup, options]) expect({ type: request.type, refused: await refusal(ask(request, sender)) }).toEqual({ type: request.type, refused: LOCKED });
    }
    expect((await entriesView()).entries.map((entry) => entry.pattern)).toEqual(['my-gateway.example']);
    expect(worker.registry.matcher.decide('my-gateway.example')).toMatchObject({ source: 'user', level: 'vetted' });
    expect(worker.registry.summary().map((list) => list.id)).toContain(`subscription:${COMMUNITY_URL}`);
    expect((await entriesView()).managed.disableUserLists).toBe(true);
  });

  test('the popup’s view is locked on every page, so it offers no trust, block or undo', async () => {
    await fakeBrowser.storage.managed.set({ disableUserLists: true });
    await startWorker();
    await commitPage(worker.tabs, 5, 'https://chat.unknown-relay.example/', 1_000);
    expect((await verdictOf(5))!.control).toEqual({ userEntry: null, managed: false, locked: true });
  });

  test('a subscription asked for before storage.managed answers is downloaded meanwhile, and stored only if the live policy allows it', async () => {
    // The cached policy (the last one seen) did not lock the lists; the live one, slow to answer after a browser start, does.
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const managed = fakeBrowser.storage.managed;
    const readManaged = managed.get;
    managed.get = (async (...args: Parameters<typeof readManaged>) => {
      await answered;
      return readManaged.apply(managed, args);
    }) as typeof readManaged;
    try {
      await managed.set({ disableUserLists: true });
      let served!: () => void;
      const downloaded = new Promise<void>((resolve) => (served = resolve));
      lockServer.routes.set('/while-starting.json', (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(COMMUNITY));
        served();
      });
      fakeBrowser.runtime.onMessage.removeAllListeners();
      worker = startTestBackground({ indexedDB: factory, dnr });
      await worker.registry.ready();
      const subscribing = refusal(ask({ type: 'lists/subscribe', url: `${lockServer.origin}/while-starting.json` }, options));
      // The download goes ahead while the live policy is unknown (waiting for it first would hang here).
      await downloaded;
      answer();
      expect(await subscribing).toBe(LOCKED);
      expect(worker.registry.subscriptions()).toEqual([]);
      const db = await openListDatabase(factory);
      expect(await db.count('subscriptions')).toBe(0);
      db.close();
    } finally {
      managed.get = readManaged;
    }
  });

  test('a lock set while the browser runs holds for the very next request', async () => {
    await startWorker();
    await fakeBrowser.storage.managed.set({ disableUserLists: true }); // the browser tells the worker; the lock is read live
    expect(await refusal(ask({ type: 'user-entries/put', pattern: 'other.example', level: 'vetted' }, popup))).toBe(LOCKED);
  });
});

describe('allowProceed: false', () => {
  const url = 'https://chat.relay.example/';

  test('no proceed exception from the block page, even when the worker started from a cached policy that allowed it', async () => {
    await fakeBrowser.storage.local.set({ managedPolicyCache: { blocklist: ['relay.example'] } });
    await fakeBrowser.storage.managed.set({ blocklist: ['relay.example'], allowProceed: false });
    fakeBrowser.runtime.onMessage.removeAllListeners();
    worker = startTestBackground({ indexedDB: factory, dnr });
    await worker.registry.ready();
    worker.webRequest.onBeforeRedirect.dispatch({ tabId: 7, frameId: 0, type: 'main_frame', url, redirectUrl: `${INTERSTITIAL}#${url}` });
    await worker.blockPage.settled();
    expect(await refusal(ask({ type: 'interstitial/proceed-once', url }, blockPageIn(7, url)))).toBe('Your organisation does not allow continuing to this site.');
    expect(dnr.sessionRules()).toEqual([]);
    expect(await ask({ type: 'interstitial/info', url }, blockPageIn(7, url))).toMatchObject({ allowProceed: false, managedBy: {} });
  });

  test('the person’s own "trusted" entry cannot lift a list’s block either (it would be a standing exception)', async () => {
    await seed({ entries: [{ pattern: 'relay.example', level: 'vetted', added: '2026-11-20T00:00:00Z' }], subscribed: true });
    await startWorker();
    expect(worker.registry.matcher.decide('relay.example')).toMatchObject({ source: 'user', level: 'vetted' });
    expect(dnr.dynamicRules().some((rule) => rule.condition.requestDomains?.includes('relay.example'))).toBe(false);

    await setPolicy({ allowProceed: false });
    expect(worker.registry.matcher.decide('relay.example')).toMatchObject({ source: 'subscribed', level: 'blocked' });
    expect(dnr.dynamicRules().some((rule) => rule.action.type === 'redirect' && rule.condition.requestDomains?.includes('relay.example'))).toBe(true);
    await commitPage(worker.tabs, 5, url, 1_000);
    expect(await verdictOf(5)).toMatchObject({ level: 'blocked', control: { locked: true } });

    // Lifted again: the person's entry, never removed, decides once more.
    await setPolicy({});
    expect(worker.registry.matcher.decide('relay.example')).toMatchObject({ source: 'user', level: 'vetted' });
  });

  test('set while the browser runs, it ends the exceptions granted before it, in every tab', async () => {
    await fakeBrowser.storage.managed.set({ blocklist: ['relay.example'] });
    await startWorker();
    for (const tabId of [7, 8]) {
      worker.webRequest.onBeforeRedirect.dispatch({ tabId, frameId: 0, type: 'main_frame', url, redirectUrl: `${INTERSTITIAL}#${url}` });
      await worker.blockPage.settled();
      expect(await ask({ type: 'interstitial/proceed-once', url }, blockPageIn(tabId, url))).toEqual({ url });
    }
    expect(dnr.sessionRules()).toHaveLength(4);
    await setPolicy({ blocklist: ['relay.example'], allowProceed: false });
    expect(dnr.sessionRules()).toEqual([]);
  });
});

describe('listMode', () => {
  test('"add" (the default) keeps the person’s entries and subscriptions below the managed ones; "overwrite" sets them aside, kept', async () => {
    await seed({ entries: [{ pattern: 'openrouter.ai', level: 'blocked', added: '2026-11-20T00:00:00Z' }], subscribed: true });
    await fakeBrowser.storage.managed.set({ allowlist: ['gateway.corp.example'] });
    await startWorker();
    expect(worker.registry.matcher.decide('openrouter.ai')).toMatchObject({ source: 'user', level: 'blocked' });
    expect(worker.registry.matcher.decide('relay.example')).toMatchObject({ source: 'subscribed', level: 'blocked' });

    await setPolicy({ allowlist: ['gateway.corp.example'], listMode: 'overwrite' });
    expect(worker.registry.matcher.decide('openrouter.ai')).toMatchObject({ source: 'bundled', level: 'vetted' });
    expect(worker.registry.matcher.decide('relay.example')).toBeNull();
    expect(worker.registry.matcher.decide('gateway.corp.example')).toMatchObject({ source: 'managed', level: 'vetted' });
    expect(worker.registry.summary().map((list) => list.source)).toEqual(['managed', 'bundled', 'bundled', 'bundled']);
    // Kept, not deleted: back to "add", all of it applies again.
    expect((await entriesView()).entries.map((entry) => entry.pattern)).toEqual(['openrouter.ai']);
    await setPolicy({ allowlist: ['gateway.corp.example'], listMode: 'add' });
    expect(worker.registry.matcher.decide('openrouter.ai')).toMatchObject({ source: 'user' });
    expect(worker.registry.matcher.decide('relay.example')).toMatchObject({ source: 'subscribed' });
  });
});

describe('who decided', () => {
  test('a managed entry’s verdict names the organisation and its support link; a verdict the policy did not decide names nobody', async () => {
    await fakeBrowser.storage.managed.set({ blocklist: ['relay.example'], organization: { name: 'Example Corp IT', supportUrl: 'https://help.corp.example/ai' } });
    await startWorker();
    await commitPage(worker.tabs, 5, 'https://chat.relay.example/', 1_000);
    await commitPage(worker.tabs, 6, 'https://openrouter.ai/', 1_000);
    expect((await verdictOf(5))!.managedBy).toEqual({ name: 'Example Corp IT', supportUrl: 'https://help.corp.example/ai' });
    expect((await verdictOf(6))!.managedBy).toBeUndefined();
    expect((await ask({ type: 'interstitial/info', url: 'https://chat.relay.example/' }, blockPageIn(5, 'https://chat.relay.example/'))).managedBy).toEqual({
      name: 'Example Corp IT',
      supportUrl: 'https://help.corp.example/ai',
    });
  });
});

describe('pasteGuard', () => {
  test('"off" and "warn" set the paste guard over the person’s setting, which they then cannot change', async () => {
    await startWorker();
    await ask({ type: 'settings/set', changes: { pasteGuard: false } }, options);
    await setPolicy({ pasteGuard: 'warn' });
    expect(await ask({ type: 'settings/get' }, options)).toMatchObject({ pasteGuard: true, managed: ['pasteGuard'] });
    expect((await worker.pageContexts.contextFor(5)).pasteGuard).toBe(true);
    expect(await refusal(ask({ type: 'settings/set', changes: { pasteGuard: false } }, options))).toBe('Your organisation sets this; it cannot be changed here.');
    // Other settings stay the person's.
    expect(await ask({ type: 'settings/set', changes: { unknownPageNotice: false } }, options)).toMatchObject({ unknownPageNotice: false, pasteGuard: true });

    await setPolicy({ pasteGuard: 'off' });
    expect((await worker.pageContexts.contextFor(5)).pasteGuard).toBe(false);
    // The policy gone, the person's own choice (off) is back.
    await setPolicy({});
    expect(await ask({ type: 'settings/get' }, options)).toEqual({ blockAiRequestsToBlocked: true, pasteGuard: false, unknownPageNotice: false });
  });
});

describe('a policy changed while the browser runs', () => {
  test('applies at once through storage.onChanged, and keeps per-tab state and the person’s entries', async () => {
    await seed({ entries: [{ pattern: 'my-gateway.example', level: 'vetted', added: '2026-11-20T00:00:00Z' }] });
    await startWorker();
    await commitPage(worker.tabs, 5, 'https://chat.relay.example/', 1_000);
    await worker.tabs.recordAiCall(5, 1_040, { host: 'api.unlisted-relay.example', protocol: 'openai' });
    await worker.tabs.whenIdle();
    const before = (await verdictOf(5))!;
    expect(before.endpoints.map((endpoint) => endpoint.host)).toEqual(['api.unlisted-relay.example']);

    const changed = new Promise<void>((resolve) => worker.registry.onChange(() => resolve()));
    await fakeBrowser.storage.managed.set({ blocklist: ['relay.example'], organization: { name: 'Example Corp IT' } });
    await changed; // the worker's own storage.onChanged listener applied it
    const after = (await verdictOf(5))!;
    expect(after).toMatchObject({ level: 'blocked', managedBy: { name: 'Example Corp IT' } });
    expect(after.endpoints).toEqual(before.endpoints);
    expect((await entriesView()).entries.map((entry) => entry.pattern)).toEqual(['my-gateway.example']);
    // The next start begins from this policy, before storage.managed answers.
    expect((await fakeBrowser.storage.local.get('managedPolicyCache')).managedPolicyCache).toEqual({ blocklist: ['relay.example'], organization: { name: 'Example Corp IT' } });
  });
});

describe('listSubscriptions', () => {
  // A real HTTP server with the signed fixture list (made with Debian's minisign, lib/lists/testdata/minisign).
  const fixture = (name: string) => readFileSync(new URL(`../lists/testdata/minisign/${name}`, import.meta.url));
  const SIGNER = fixture('signer.pub').toString('utf8').split('\n')[1]!.trim();
  const OTHER = fixture('other.pub').toString('utf8').split('\n')[1]!.trim();
  const lists = serveForSuite();
  lists.routes.set('/corp.json', (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(fixture('list.json')));
  lists.routes.set('/corp.json.minisig', (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(fixture('list.json.minisig')));

  test('a signed managed list is subscribed with no action from the person, ranks as managed, and cannot be removed; dropped from the policy, it goes', async () => {
    const url = `${lists.origin}/corp.json`;
    await fakeBrowser.storage.managed.set({ listSubscriptions: [{ url, publicKeys: [SIGNER] }], organization: { name: 'Example Corp IT' } });
    await startWorker();
    await worker.registry.managedSubscriptionsSynced();
    expect(worker.registry.matcher.decide('relay.example')).toMatchObject({ source: 'managed', level: 'blocked' });
    const summary = worker.registry.summary().find((list) => list.url === url);
    expect(summary).toMatchObject({ source: 'managed', name: 'RelayGuard signed test list', entryCount: 2 });
    expect(await refusal(ask({ type: 'lists/unsubscribe', id: summary!.id }, options))).toBe('Your organisation subscribed RelayGuard to this list; it cannot be removed here.');
    await commitPage(worker.tabs, 5, 'https://chat.relay.example/', 1_000);
    expect((await verdictOf(5))!.managedBy).toEqual({ name: 'Example Corp IT' });

    await setPolicy({});
    await worker.registry.managedSubscriptionsSynced();
    expect(worker.registry.summary().some((list) => list.url === url)).toBe(false);
    expect(worker.registry.matcher.decide('relay.example')).toBeNull();
  });

  test('pinned to another key, the list is refused and nothing of it applies; the problem is reported', async () => {
    const url = `${lists.origin}/corp.json`;
    const reports: string[] = [];
    await fakeBrowser.storage.managed.set({ listSubscriptions: [{ url, publicKeys: [OTHER] }] });
    worker = startTestBackground({ indexedDB: factory, dnr, reports });
    await worker.registry.ready();
    await worker.registry.managedSubscriptionsSynced();
    expect(worker.registry.matcher.decide('relay.example')).toBeNull();
    expect(reports.some((report) => report.startsWith(`Managed list ${url}:`))).toBe(true);
  });
});
