import { afterAll, beforeAll } from 'vitest';
import { startCollector, type Collector } from '../../support/report-collector.ts';

export interface SuiteCollector {
  readonly collector: Collector;
  /**
   * The collector's address as the extension must use it: the browser resolves every host but
   * `localhost` through the fixture rules (support/browser.ts), so the worker reaches it by that name.
   */
  readonly url: string;
}

/** A report collector on 127.0.0.1 for the suite it is called in, closed after it. */
export function collectorForSuite(): SuiteCollector {
  let collector: Collector | undefined;
  beforeAll(async () => {
    collector = await startCollector();
  });
  afterAll(async () => {
    await collector?.close();
  });
  return {
    get collector() {
      if (!collector) throw new Error('the collector starts in beforeAll');
      return collector;
    },
    get url() {
      return this.collector.url.replace('127.0.0.1', 'localhost');
    },
  };
}
