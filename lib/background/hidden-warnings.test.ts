import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, test } from 'vitest';
import { commitPage } from '../../tests/support/extension-apis.ts';
import { ask, startTestBackground, type TestBackground } from '../../tests/support/test-background.ts';
import { RequestError, type Sender } from './message-router.ts';
import { hiddenWarningReason } from '../verdicts/hidden-warning.ts';

// Over the real wiring (createBackground), as a content script's request reaches it.

const COMMITTED_AT = 1_764_144_000_000;
const PAGE = 'https://panel.relay.example/console';

let worker: TestBackground;

const pageGuard = (tabId: number, url = PAGE, frameId = 0): Sender => ({
  id: fakeBrowser.runtime.id,
  url,
  origin: new URL(url).origin,
  frameId,
  tab: { id: tabId, index: 0, highlighted: false, active: true, pinned: false, incognito: false, url: PAGE } as Sender['tab'],
});
const hidden = (surface: 'warning' | 'paste-guard', how: 'covered' | 'removed', sender: Sender) => ask({ type: 'page/warning-hidden', surface, how }, sender);

beforeEach(async () => {
  fakeBrowser.reset();
  fakeBrowser.webNavigation.onCommitted.removeAllListeners();
  worker = startTestBackground();
  await worker.registry.ready();
  await commitPage(worker.tabs, 4, PAGE, COMMITTED_AT);
});

describe('page/warning-hidden', () => {
  test('a page that kept covering the warning: a reason of its own, unvetted, and one notification naming the site', async () => {
    expect((await worker.tabs.get(4))!.level).toBe('unknown');
    expect(await hidden('warning', 'covered', pageGuard(4))).toEqual({ recorded: true });

    const verdict = (await worker.tabs.get(4))!;
    expect(verdict.level).toBe('unvetted');
    expect(verdict.reasons).toEqual([{ kind: 'tamper', level: 'unvetted', source: 'panel.relay.example', detail: 'warning:covered' }]);
    expect(worker.notifications).toEqual([
      {
        id: 'relayguard-hidden-4',
        title: 'RelayGuard: panel.relay.example hides its warning',
        message: "panel.relay.example (Unvetted relay) kept covering or removing RelayGuard's warning on the page. Treat it as an AI relay: do not send it prompts, data or API keys.",
        iconUrl: fakeBrowser.runtime.getURL('/icons/warning-128.png' as '/popup.html'),
      },
    ]);
  });

  test('said again (the paste question, later), it is not news: no second reason, no second notification', async () => {
    await hidden('warning', 'removed', pageGuard(4));
    expect(await hidden('paste-guard', 'covered', pageGuard(4))).toEqual({ recorded: false });
    expect((await worker.tabs.get(4))!.reasons).toEqual([hiddenWarningReason('panel.relay.example', { surface: 'warning', how: 'removed' })]);
    expect(worker.notifications).toHaveLength(1);
  });

  test('a new page in the tab starts clean', async () => {
    await hidden('warning', 'covered', pageGuard(4));
    await commitPage(worker.tabs, 4, 'https://news.example/', COMMITTED_AT + 1000);
    expect((await worker.tabs.get(4))!.reasons).toEqual([]);
  });

  test('only the top frame of the page the tab shows is heard', async () => {
    expect(await hidden('warning', 'covered', pageGuard(4, PAGE, 2))).toEqual({ recorded: false });
    expect(await hidden('warning', 'covered', pageGuard(4, 'https://elsewhere.example/'))).toEqual({ recorded: false });
    const { tab: _tab, ...noTab } = pageGuard(4);
    await expect(hidden('warning', 'covered', noTab)).rejects.toThrow(RequestError);
    expect((await worker.tabs.get(4))!.level).toBe('unknown');
    expect(worker.notifications).toEqual([]);
  });
});
