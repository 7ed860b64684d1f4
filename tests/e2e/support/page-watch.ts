import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * What a page itself sees of RelayGuard, recorded from the page's own (main) world by a script
 * that runs before anything else in every document of the tab (`page.addInitScript`): when
 * DOMContentLoaded fired, every RelayGuard host element (`[data-relayguard]`, the contract's
 * hooks) that came or went and every change of its `data-level`, and the `paste` and `input`
 * events that reached the page's document. Times are `performance.now()` of that document, so
 * they compare with each other, not with the test's clock.
 *
 * The content script runs in an isolated world, but the DOM is shared: a MutationObserver here
 * sees its host elements arrive exactly as a page script would.
 */

export interface HostEvent {
  readonly type: 'added' | 'removed' | 'level';
  /** `data-relayguard`: warning, paste-guard, notice. */
  readonly kind: string;
  readonly level: string | null;
  readonly at: number;
}

interface PasteSeen {
  readonly isTrusted: boolean;
  /** `id` or `name` of the target field. */
  readonly target: string;
  /** Length of the text/plain data the page could read (the text itself is not kept). */
  readonly length: number;
  readonly at: number;
}

interface InputSeen {
  readonly inputType: string;
  readonly isTrusted: boolean;
  readonly target: string;
  readonly at: number;
}

export interface PageWatch {
  /** `performance.now()` at DOMContentLoaded; null before it. */
  readonly domContentLoaded: number | null;
  readonly now: number;
  readonly hosts: readonly HostEvent[];
  readonly pastes: readonly PasteSeen[];
  readonly inputs: readonly InputSeen[];
}

interface WatchState {
  domContentLoaded: number | null;
  hosts: HostEvent[];
  pastes: PasteSeen[];
  inputs: InputSeen[];
}
/** The page's window as the watch script sees it (a cast, not a global declaration for the whole program). */
type WatchedWindow = Window & { __relayGuardE2eWatch?: WatchState };

/** The init script (it runs in the page, so it is self-contained). */
function watchScript(): void {
  const watched = window as WatchedWindow;
  if (watched.__relayGuardE2eWatch) return;
  const watch: WatchState = { domContentLoaded: null, hosts: [], pastes: [], inputs: [] };
  watched.__relayGuardE2eWatch = watch;
  document.addEventListener('DOMContentLoaded', () => (watch.domContentLoaded = performance.now()), { once: true, capture: true });

  const kindOf = (node: Node): string | null => (node instanceof Element ? node.getAttribute('data-relayguard') : null);
  new MutationObserver((records) => {
    const at = performance.now();
    for (const record of records) {
      if (record.type === 'attributes') {
        const kind = kindOf(record.target);
        if (kind) watch.hosts.push({ type: 'level', kind, level: (record.target as Element).getAttribute('data-level'), at });
        continue;
      }
      for (const [nodes, type] of [
        [record.addedNodes, 'added'],
        [record.removedNodes, 'removed'],
      ] as const) {
        for (const node of Array.from(nodes)) {
          const kind = kindOf(node);
          if (kind) watch.hosts.push({ type, kind, level: (node as Element).getAttribute('data-level'), at });
        }
      }
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-level'] });

  const nameOf = (target: EventTarget | null): string =>
    target instanceof Element ? target.id || target.getAttribute('name') || target.tagName.toLowerCase() : String(target);
  // On the document, not the window: this is what the page's own listeners get to see.
  document.addEventListener(
    'paste',
    (event) => {
      const text = event.clipboardData?.getData('text/plain') ?? '';
      watch.pastes.push({ isTrusted: event.isTrusted, target: nameOf(event.composedPath()[0] ?? event.target), length: text.length, at: performance.now() });
    },
    { capture: true },
  );
  document.addEventListener(
    'input',
    (event) => {
      watch.inputs.push({ inputType: (event as InputEvent).inputType, isTrusted: event.isTrusted, target: nameOf(event.target), at: performance.now() });
    },
    { capture: true },
  );
}

/** Starts watching every document `page` loads from now on (call before navigating). */
export async function watchPage(page: Page): Promise<void> {
  await page.addInitScript(watchScript);
}

/** The record so far of the document in `page` now. */
export async function readWatch(page: Page): Promise<PageWatch> {
  const watch = await page.evaluate(() => {
    const state = (window as WatchedWindow).__relayGuardE2eWatch;
    return state ? { domContentLoaded: state.domContentLoaded, hosts: state.hosts, pastes: state.pastes, inputs: state.inputs, now: performance.now() } : null;
  });
  if (!watch) throw new Error(`No page watch in ${page.url()}: call watchPage(page) before it navigates.`);
  return watch;
}

/** The first time a host of `kind` arrived, or null. */
export function firstAdded(watch: PageWatch, kind: string): HostEvent | null {
  return watch.hosts.find((event) => event.type === 'added' && event.kind === kind) ?? null;
}

/** Past the content script's second look (SECOND_LOOK_DELAY_MS, 2 s after DOM ready), with margin: a warning would be there by then. */
export const PAST_SECOND_LOOK_MS = 3_000;

/** Waits until the page's own clock is `ms` past DOMContentLoaded; returns the record then. */
export async function watchUntilPastDomContentLoaded(page: Page, ms = PAST_SECOND_LOOK_MS): Promise<PageWatch> {
  let watch: PageWatch | undefined;
  await expect
    .poll(
      async () => {
        watch = await readWatch(page);
        return watch.domContentLoaded === null ? 0 : watch.now - watch.domContentLoaded;
      },
      { timeout: ms + 10_000, interval: 250 },
    )
    .toBeGreaterThanOrEqual(ms);
  return watch!;
}
