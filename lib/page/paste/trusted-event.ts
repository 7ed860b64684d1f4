/**
 * Page scripts share the DOM with the content script's UI and can dispatch events of their own
 * (`element.click()`, `dispatchEvent(new MouseEvent('click'))`). Those arrive with
 * `isTrusted === false`; only the browser sets it to true, for real input. Every action on
 * RelayGuard's in-page UI goes through this, so a page cannot trust, dismiss or paste into itself.
 */
export function isTrustedEvent(event: Event): boolean {
  return event.isTrusted === true;
}

/** An event handler that runs `action` for real input and ignores everything else. */
export function whenTrusted<E extends Event>(action: (event: E) => void): (event: E) => void {
  return (event) => {
    if (isTrustedEvent(event)) action(event);
  };
}
