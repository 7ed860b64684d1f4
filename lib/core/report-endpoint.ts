import { normalizeHost } from './host.ts';
import { err, ok, type Result } from './result.ts';

/**
 * A report endpoint must be https, or http on the person's own machine (a local collector), and
 * holds no user name or password: the document is all a delivery carries. One check for the
 * options page, the managed policy and the delivery queue.
 */
export function parseReportEndpoint(text: string): Result<string, string> {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return err('The report endpoint is not a URL.');
  }
  if (url.username || url.password) return err('The report endpoint must not hold a user name or password.');
  const host = normalizeHost(url.href);
  if (url.protocol === 'https:') return ok(url.href);
  if (url.protocol === 'http:' && host.ok && host.value.scope === 'loopback') return ok(url.href);
  return err('The report endpoint must be an https URL (http only on this machine).');
}
