import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ListRegistry, type ListRegistryDeps } from '../../lib/background/list-registry.ts';
import { loadBundledLists } from '../../lib/lists/bundled-lists.ts';
import { openListDatabase } from '../../lib/lists/list-store.ts';
import { fetchListUpdate } from '../../lib/lists/subscription-update.ts';

/**
 * A real ListRegistry as the service worker builds it: the bundled lists, a database in the given
 * IndexedDB factory, the fake browser's managed storage and the real downloader. A report is a
 * failure unless the test says what to do with it.
 */
export function createTestRegistry(factory: IDBFactory, overrides: Partial<ListRegistryDeps> = {}): ListRegistry {
  return new ListRegistry({
    bundled: loadBundledLists().lists,
    openDatabase: () => openListDatabase(factory),
    readManagedPolicy: () => fakeBrowser.storage.managed.get(),
    fetchUpdate: (target) => fetchListUpdate(target),
    report: (problem) => {
      throw new Error(`unexpected report: ${problem}`);
    },
    ...overrides,
  });
}
