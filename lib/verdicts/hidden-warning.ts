import type { HiddenHow, HiddenSurface } from '../page/stay-on-top.ts';
import type { Reason } from './verdict.ts';

/** What a page did to RelayGuard's in-page surface: which one, and how it kept it hidden. */
export interface HiddenWarning {
  readonly surface: HiddenSurface;
  readonly how: HiddenHow;
}

/** The reason a page's own conduct adds to its verdict; `detail` is `<surface>:<how>`. */
export function hiddenWarningReason(hostDisplay: string, hidden: HiddenWarning): Reason {
  return { kind: 'tamper', level: 'unvetted', source: hostDisplay, detail: `${hidden.surface}:${hidden.how}` };
}
