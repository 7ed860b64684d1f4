import { IDBFactory } from 'fake-indexeddb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { commitPage, committedDetails, type CommittedDetails } from '../../tests/support/extension-apis.ts';
import type { StatusProbeRequest } from '../protocol/page-protocol.ts';
import type { Signal } from '../detection/scoring.ts';
import { createTabStateStore } from '../verdicts/tab-state.ts';
import { VERDICT_LEVELS } from '../verdicts/verdict.ts';
import type { ListRegistry } from './list-registry.ts';
import { whenAllIdle } from '../core/in-flight.ts';
import { needsGuard, PageGuards, type ScriptTarget } from './page-guards.ts';
import { Preferences } from './preferences.ts';
import { TabVerdicts } from './tab-verdicts.ts';
import { createTestRegistry } from '../../tests/support/test-registry.ts';

const NO_PAGE_GUARD = 'Could not establish connection. Receiving end does not exist.';
const NOT_SCRIPTABLE = 'Cannot access contents of the page. Extension manifest must request permission to access the respective host.';

const RELAY_HEADER: Signal = { id: 'dashboard-user-header', detail: 'New-API-User', family: 'new-api' };
const RELAY_TITLE: Signal = { id: 'gateway-default-title', detail: 'New API', family: 'new-api' };
/** A call to a vendor's own API: evidence of AI use that leaves an unknown page unknown. */
const OFFICIAL_CALL = { host: 'api.openai.com', protocol: 'openai', credentialKind: 'vendor-key' };

let registry: ListRegistry;
let tabs: TabVerdicts;
let preferences: Preferences;
let guards: PageGuards;
/** Every document the background ran the page guard in, or tried to. */
let runs: ScriptTarget[];
/** Tabs where scripting.executeScript rejects (a browser page, the web store, a document gone). */
let unscriptable: Set<number>;
/** Tabs whose page guard listens in their top frame. */
let listening: Set<number>;
/** Every message the background tried to send a guard, delivered or not. */
let sent: { tabId: number; message: StatusProbeRequest }[];
/** Tabs a message was sent to while no guard listened there. */
let undelivered: number[];
let openTabIds: number[];

const commit = (tabId: number, url: string, timeStamp = 1000) => commitPage(tabs, tabId, url, timeStamp);

/** For changes that must start nothing: wait until the verdict change and every review it caused are done. */
const settle = () => whenAllIdle(tabs, guards);

async function blockRelays() {
  await fakeBrowser.storage.managed.set({ blocklist: ['relay.example'] });
  await registry.reloadPolicy();
}

/**
 * PageGuards over stand-ins for the two browser calls: runGuard as scripting.executeScript
 * (rejects where it cannot run; once it resolves, the guard listens), sendToGuard as
 * tabs.sendMessage (rejects when nothing listens in the tab). `started`, when given, holds each
 * run until it resolves, as a real injection takes its time.
 */
function createGuards(started: Promise<void> = Promise.resolve()): PageGuards {
  return new PageGuards({
    tabs,
    preferences,
    runGuard: async (target) => {
      runs.push({ ...target });
      await started;
      if (unscriptable.has(target.tabId)) throw new Error(NOT_SCRIPTABLE);
      listening.add(target.tabId);
    },
    sendToGuard: async (tabId, message) => {
      sent.push({ tabId, message: structuredClone(message) });
      if (!listening.has(tabId)) {
        undelivered.push(tabId);
        throw new Error(NO_PAGE_GUARD);
      }
      return undefined;
    },
    allTabIds: async () => [...openTabIds],
  });
}

beforeEach(async () => {
  fakeBrowser.reset();
  fakeBrowser.webNavigation.onCommitted.removeAllListeners();
  registry = createTestRegistry(new IDBFactory());
  tabs = new TabVerdicts({ browser: fakeBrowser, registry, store: createTabStateStore(fakeBrowser.storage.session) });
  preferences = new Preferences(storage);
  runs = [];
  unscriptable = new Set();
  listening = new Set();
  sent = [];
  undelivered = [];
  openTabIds = [];
  guards = createGuards();
  await registry.ready();
});

describe('needsGuard', () => {
  test('unvetted and blocked pages always; unknown ones only with AI endpoints and the notice on; listed ones never', () => {
    const answers: Record<string, boolean> = {};
    for (const level of VERDICT_LEVELS) {
      for (const aiCalls of [0, 1]) {
        for (const unknownPageNotice of [true, false]) {
          const row = `${level}, ${aiCalls > 0 ? 'AI endpoints' : 'no endpoints'}, notice ${unknownPageNotice ? 'on' : 'off'}`;
          answers[row] = needsGuard({ level, aiCalls }, { unknownPageNotice });
        }
      }
    }
    expect(answers).toEqual({
      'official, no endpoints, notice on': false,
      'official, no endpoints, notice off': false,
      'official, AI endpoints, notice on': false,
      'official, AI endpoints, notice off': false,
      'vetted, no endpoints, notice on': false,
      'vetted, no endpoints, notice off': false,
      'vetted, AI endpoints, notice on': false,
      'vetted, AI endpoints, notice off': false,
      'unknown, no endpoints, notice on': false,
      'unknown, no endpoints, notice off': false,
      'unknown, AI endpoints, notice on': true,
      'unknown, AI endpoints, notice off': false,
      'unvetted, no endpoints, notice on': true,
      'unvetted, no endpoints, notice off': true,
      'unvetted, AI endpoints, notice on': true,
      'unvetted, AI endpoints, notice off': true,
      'blocked, no endpoints, notice on': true,
      'blocked, no endpoints, notice off': true,
      'blocked, AI endpoints, notice on': true,
      'blocked, AI endpoints, notice off': true,
    });
  });
});

describe('starting the guard on a verdict change', () => {
  test('an unvetted page gets the guard once per document: two verdict changes, one run, in the document that committed', async () => {
    await commit(5, 'https://chat.relay.example/c/1');
    await settle();
    expect(runs).toEqual([]); // nothing to show on an unknown page yet

    await tabs.recordSignals(5, 2000, [RELAY_HEADER]);
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    await tabs.recordSignals(5, 3000, [RELAY_TITLE]);
    await settle();
    expect((await tabs.get(5))?.reasons).toHaveLength(2); // the second change did happen
    expect(runs).toEqual([{ tabId: 5, documentId: 'doc-5-0-1000' }]);
    expect(await tabs.isGuarded(5)).toBe(true);
  });

  test('a blocked page gets it at its commit', async () => {
    await blockRelays();
    await commit(5, 'https://chat.relay.example/c/1');
    await vi.waitFor(() => expect(runs).toEqual([{ tabId: 5, documentId: 'doc-5-0-1000' }]));
  });

  test('a new navigation starts unmarked and gets its own guard', async () => {
    await blockRelays();
    await commit(5, 'https://chat.relay.example/c/1', 1000);
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    await commit(5, 'https://chat.relay.example/c/2', 2000);
    await vi.waitFor(() => expect(runs).toHaveLength(2));
    expect(runs).toEqual([
      { tabId: 5, documentId: 'doc-5-0-1000' },
      { tabId: 5, documentId: 'doc-5-0-2000' },
    ]);
  });

  test('where the commit names no document (Firefox), the guard is run with no id: the tab’s top frame', async () => {
    await blockRelays();
    const { documentId: _chromiumOnly, ...firefoxDetails } = committedDetails(5, 'https://chat.relay.example/', 1000) as CommittedDetails & { documentId?: string };
    await fakeBrowser.webNavigation.onCommitted.trigger(firefoxDetails as CommittedDetails);
    await vi.waitFor(() => expect(runs).toEqual([{ tabId: 5, documentId: undefined }]));
  });

  test('a guard that fails to start unmarks the document, so a later change tries again', async () => {
    unscriptable.add(5);
    await blockRelays();
    await commit(5, 'https://chat.relay.example/c/1');
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    await vi.waitFor(async () => expect(await tabs.isGuarded(5)).toBe(false));
    expect(await guards.ensure(5)).toBe(false);
    expect(runs).toHaveLength(2);

    // Whatever kept the script out is gone (the page finished loading): the next change starts it.
    unscriptable.delete(5);
    await tabs.recordSignals(5, 2000, [RELAY_HEADER]);
    await vi.waitFor(() => expect(runs).toHaveLength(3));
    await vi.waitFor(async () => expect(await tabs.isGuarded(5)).toBe(true));
    expect(await guards.ensure(5)).toBe(true);
    expect(runs).toHaveLength(3);
  });

  test('official and vetted pages never get one, whatever AI APIs they call', async () => {
    await commit(5, 'https://api.openai.com/v1/models');
    await commit(6, 'https://openrouter.ai/chat');
    await tabs.recordAiCall(5, 2000, OFFICIAL_CALL);
    await tabs.recordAiCall(6, 2000, OFFICIAL_CALL);
    await settle();
    expect([(await tabs.get(5))?.level, (await tabs.get(6))?.level]).toEqual(['official', 'vetted']);
    expect((await tabs.get(6))?.endpoints).toHaveLength(1);
    expect(runs).toEqual([]);
  });

  test('an unknown page that calls AI APIs gets one only while the unknown-page notice is on', async () => {
    await preferences.updateSettings({ unknownPageNotice: false });
    await commit(5, 'https://chat.example.com/');
    await tabs.recordAiCall(5, 2000, OFFICIAL_CALL);
    await settle();
    expect(await tabs.get(5)).toMatchObject({ level: 'unknown', endpoints: [{ host: 'api.openai.com' }] });
    expect(runs).toEqual([]);

    await preferences.updateSettings({ unknownPageNotice: true });
    await commit(6, 'https://chat.example.com/');
    await commit(7, 'https://shop.example/'); // unknown, but it calls no AI API
    await tabs.recordAiCall(6, 2000, OFFICIAL_CALL);
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    await settle();
    expect(runs).toEqual([{ tabId: 6, documentId: 'doc-6-0-1000' }]);
  });
});

describe('ensure', () => {
  test('answers whether the guard runs in the tab’s current document, starting it at most once', async () => {
    expect(await guards.ensure(42)).toBe(false); // no web page in that tab
    await commit(5, 'https://shop.example/');
    expect(await guards.ensure(5)).toBe(true);
    expect(await guards.ensure(5)).toBe(true);
    expect(runs).toEqual([{ tabId: 5, documentId: 'doc-5-0-1000' }]);
  });

  test('a storage failure while marking answers "not started" and leaves the next call free to try', async () => {
    await commit(5, 'https://shop.example/');
    vi.spyOn(tabs, 'markGuarded').mockRejectedValueOnce(new Error('storage.session is not available'));
    expect(await guards.ensure(5)).toBe(false);
    expect(runs).toEqual([]);
    expect(await guards.ensure(5)).toBe(true);
    expect(runs).toHaveLength(1);
  });

  test('concurrent calls (a verdict change and the page watch asking at once) run it once', async () => {
    await commit(5, 'https://shop.example/');
    expect(await Promise.all([guards.ensure(5), guards.ensure(5), guards.ensure(5)])).toEqual([true, true, true]);
    expect(runs).toHaveLength(1);
  });
});

describe('a start still under way', () => {
  /** Makes runGuard take as long as a real executeScript does, until `finish()`. */
  function slowRunGuard(): { finish: () => void } {
    let finish = () => undefined as void;
    guards = createGuards(new Promise<void>((resolve) => (finish = resolve)));
    return { finish };
  }

  test('the probe is asked for only once the guard listens, not lost to a start in progress', async () => {
    await commit(5, 'https://shop.example/');
    const { finish } = slowRunGuard();
    const first = guards.ensure(5);
    const probe = guards.requestStatusProbe(5);
    await vi.waitFor(() => expect(runs).toHaveLength(1)); // the start is under way, held in runGuard
    finish();
    await Promise.all([first, probe]);
    expect(runs).toHaveLength(1);
    expect(sent).toEqual([{ tabId: 5, message: { type: 'page/status-probe' } }]);
    expect(undelivered).toEqual([]); // nothing was sent into the document before its guard listened
  });

  test('a later caller hears "not started" when the start under way fails', async () => {
    unscriptable.add(5);
    await commit(5, 'https://shop.example/');
    const { finish } = slowRunGuard();
    const first = guards.ensure(5);
    const second = guards.ensure(5);
    finish();
    expect(await first).toBe(false);
    expect(await second).toBe(false);
  });
});

describe('reviewAll', () => {
  test('after a settings change, the tabs that now need the guard get it, once', async () => {
    openTabIds = [5, 6, 9]; // tab 9 shows no web page
    await preferences.updateSettings({ unknownPageNotice: false });
    await commit(5, 'https://chat.example.com/');
    await tabs.recordAiCall(5, 2000, OFFICIAL_CALL);
    await commit(6, 'https://shop.example/');
    await settle();
    expect(runs).toEqual([]);

    await preferences.updateSettings({ unknownPageNotice: true });
    await guards.reviewAll();
    expect(runs).toEqual([{ tabId: 5, documentId: 'doc-5-0-1000' }]);
    await guards.reviewAll();
    expect(runs).toHaveLength(1);
  });

  test('with no tabs it does nothing', async () => {
    await expect(guards.reviewAll()).resolves.toBeUndefined();
    expect(runs).toEqual([]);
  });
});

describe('requestStatusProbe', () => {
  const PROBE: StatusProbeRequest = { type: 'page/status-probe' };

  test('starts the guard in a page without one, then asks it for the probe', async () => {
    await commit(5, 'https://relay.example/');
    await guards.requestStatusProbe(5);
    expect(runs).toEqual([{ tabId: 5, documentId: 'doc-5-0-1000' }]);
    expect(sent).toEqual([{ tabId: 5, message: PROBE }]);
  });

  test('a guard that already runs is only asked', async () => {
    await blockRelays();
    await commit(5, 'https://chat.relay.example/');
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    await guards.requestStatusProbe(5);
    expect(runs).toHaveLength(1);
    expect(sent).toEqual([{ tabId: 5, message: PROBE }]);
  });

  test('a page the guard cannot run in is not asked', async () => {
    unscriptable.add(5);
    await commit(5, 'https://relay.example/');
    await expect(guards.requestStatusProbe(5)).resolves.toBeUndefined();
    expect(runs).toHaveLength(1);
    expect(sent).toEqual([]);
    expect(await tabs.isGuarded(5)).toBe(false);
  });

  test('a failed send (the document went away meanwhile) is swallowed', async () => {
    await commit(5, 'https://relay.example/');
    expect(await guards.ensure(5)).toBe(true);
    listening.delete(5);
    await expect(guards.requestStatusProbe(5)).resolves.toBeUndefined();
    expect(sent).toEqual([{ tabId: 5, message: PROBE }]);
  });
});
