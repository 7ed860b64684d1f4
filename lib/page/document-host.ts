/**
 * The host a document's content belongs to: its URL's host, or, for a frame without a URL of
 * its own (about:blank, about:srcdoc), the host of the origin it runs in, which is its creator's.
 * A key pasted into such a frame goes wherever its creator's script sends it.
 */
export function documentHost(location: Pick<Location, 'hostname'>, origin: string | undefined): string {
  if (location.hostname) return location.hostname;
  if (!origin || origin === 'null') return '';
  try {
    return new URL(origin).hostname;
  } catch {
    return '';
  }
}
