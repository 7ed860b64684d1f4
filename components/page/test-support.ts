/**
 * Shared by the in-page surfaces' tests (never bundled). happy-dom has no layout, no top layer
 * and no IntersectionObserver v2: these hosts open their shadow roots (so tests can look
 * inside), arm their buttons at once, and find every point of a surface on the surface itself.
 */
import type { HostEnvironment, SurfaceKind } from './page-ui.tsx';

const OPEN_ROOTS: Readonly<Record<SurfaceKind, ShadowRootMode>> = { warning: 'open', 'paste-guard': 'open', notice: 'open' };

export const TEST_HOSTS: HostEnvironment = { modes: OPEN_ROOTS, observeVisibility: null, armDelayMs: 0, hitTest: (_x, _y, host) => host };

/** The shadow root of the `kind` surface once its buttons are armed (lib/page/arming.ts), else null: poll it. */
export function armedRoot(kind: SurfaceKind): ShadowRoot | null {
  const root = document.querySelector(`[data-relayguard="${kind}"]`)?.shadowRoot ?? null;
  return root?.querySelector('[data-armed="true"]') ? root : null;
}
