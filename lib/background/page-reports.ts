import { signalsFromFingerprint } from '../detection/page-fingerprint.ts';
import { senderTab, type MessageRouter } from './message-router.ts';
import type { TabVerdicts } from './tab-verdicts.ts';

export interface PageReportsDeps {
  readonly tabs: TabVerdicts;
  readonly router: MessageRouter;
}

/**
 * What content scripts report about their own page: the page watch's fingerprint, and the answer
 * of the one status probe the background granted (status-probes.ts asks for it). Both are
 * evidence written by a page RelayGuard judges, so each is taken only from the top frame of the
 * document that committed in the sender's tab, and the probe's answer only once the probe was
 * granted and only its own signal.
 */
export function registerPageReports({ tabs, router }: PageReportsDeps): void {
  router.register({
    'page/fingerprint': async ({ fingerprint }, sender) => {
      const tabId = senderTab(sender);
      // A late message from the tab's previous document must not spend the new page's one probe.
      if (!sender.url || !(await tabs.isCommittedTopFrame(tabId, sender))) return { recorded: false };
      await tabs.recordPageSignals(tabId, sender.url, signalsFromFingerprint(fingerprint));
      return { recorded: true };
    },
    'page/probe-signals': async ({ signals }, sender) => {
      const tabId = senderTab(sender);
      const probeSignals = signals.filter((signal) => signal.id === 'gateway-status-endpoint');
      if (!sender.url || !(await tabs.isCommittedTopFrame(tabId, sender)) || !(await tabs.wasProbeGranted(tabId))) return { accepted: 0 };
      await tabs.recordPageSignals(tabId, sender.url, probeSignals);
      return { accepted: probeSignals.length };
    },
  });
}
