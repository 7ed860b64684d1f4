import { HOSTS } from './support/sites.ts';
import { expect, test } from './support/fixtures.ts';

/**
 * MV3 stops an idle service worker after ~30 s and starts it again for the next event; whatever
 * RelayGuard knows about a tab must survive that (tab evidence lives in storage.session, the
 * badge in the browser). Here the worker is stopped through the DevTools protocol (see
 * support/service-worker-control.ts for what does and does not work), and the popup opening for
 * the tab is the event that wakes it. In its own file: it needs a browser nobody else stopped.
 */

declare const self: { relayGuardE2eRealm?: string };

test('an unvetted tab is still unvetted, with the same badge, after the service worker restarts', async ({ browser, openSite, openPopup }) => {
  const page = await openSite(`http://${HOSTS.oneApi}/`);
  const popup = await openPopup(page);
  await popup.waitForLevel('unvetted');
  const reasonsBefore = await popup.reasons();
  let badgeBefore = await browser.toolbarBadge(popup.tabId);
  await expect
    .poll(async () => (badgeBefore = await browser.toolbarBadge(popup.tabId)).text, {
      timeout: 10_000,
      message: 'the unvetted tab never got a badge',
    })
    .not.toBe('');
  await popup.close();

  // Mark the running worker's global scope: a restarted worker is a new realm without the mark.
  const realm = `before-restart-${Date.now()}`;
  await (await browser.serviceWorker()).evaluate((mark) => void (self.relayGuardE2eRealm = mark), realm);

  const control = await browser.stopServiceWorker();
  expect(control.status).toBe('stopped');
  const seenBeforeWake = control.history.length;

  // The next event wakes it: the popup for that tab asks the background for the tab's verdict.
  const popupAfter = await openPopup(popup.tabId);
  expect(await popupAfter.level()).toBe('unvetted');
  expect(await popupAfter.reasons()).toEqual(reasonsBefore);

  // It really was a restart: Chromium reported it starting again, and its global scope is new.
  expect(control.history.slice(seenBeforeWake - 1)).toEqual(['stopped', 'starting', 'running']);
  const worker = await browser.serviceWorker();
  expect(await worker.evaluate(() => self.relayGuardE2eRealm ?? null)).toBeNull();

  expect(await browser.toolbarBadge(popupAfter.tabId)).toEqual(badgeBefore);
});
