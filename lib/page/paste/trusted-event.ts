/**
 * Page scripts share the DOM with the content script's UI and can dispatch events of their own
 * (`element.click()`, `dispatchEvent(new MouseEvent('click'))`). Those arrive with
 * `isTrusted === false`; only the browser sets it to true, for real input. Every action on
 * RelayGuard's in-page UI goes through this (lib/page/arming.ts whenArmed), so a page cannot dismiss or paste into itself.
 */
export function isTrustedEvent(event: Event): boolean {
  return event.isTrusted === true;
}
