import { ARM_DELAY_MS } from '../../lib/page/arming.ts';

/**
 * Shows that a surface's buttons are not acting yet (lib/page/arming.ts): a thin bar fills over
 * the arming delay above the buttons, which look dimmed until then. Decorative for screen
 * readers: the buttons say `aria-disabled` meanwhile.
 */
export function ArmingBar({ armed }: { armed: boolean }) {
  if (armed) return null;
  return <div class="rg-arming" aria-hidden="true" style={{ '--rg-arm-ms': `${ARM_DELAY_MS}ms` }} />;
}
