import { InFlight } from '../core/in-flight.ts';
import type { PageGuards } from './page-guards.ts';
import type { TabVerdicts } from './tab-verdicts.ts';

export interface StatusProbesDeps {
  readonly tabs: Pick<TabVerdicts, 'onChange' | 'grantStatusProbe' | 'get'>;
  readonly pageGuards: Pick<PageGuards, 'requestStatusProbe'>;
}

/**
 * The one same-origin status probe per document (docs/relay-signals.md §1, §6), asked for
 * whatever made the page suspect: its fingerprint, its own start-up calls the request observer
 * saw, a gateway header. Every change to a tab's evidence is a chance; TabVerdicts grants the
 * probe once per document, only to a suspect page that is still `unknown`.
 */
export class StatusProbes {
  readonly #inFlight = new InFlight();

  constructor({ tabs, pageGuards }: StatusProbesDeps) {
    tabs.onChange((tabId, verdict) => {
      if (verdict.level !== 'unknown') return;
      void this.#inFlight.track(
        (async () => {
          if (!(await tabs.grantStatusProbe(tabId))) return;
          // The family the evidence points to has its status route asked first.
          const family = (await tabs.get(tabId))?.family;
          await pageGuards.requestStatusProbe(tabId, family);
        })().catch(() => undefined), // storage failing as the browser shuts down: nothing to probe
      );
    });
  }

  /** Whether the work its event listeners started has all finished. */
  get idle(): boolean {
    return this.#inFlight.idle;
  }

  /** Resolves once the work its event listeners started has finished (what tests wait on). */
  whenIdle(): Promise<void> {
    return this.#inFlight.whenIdle();
  }
}
