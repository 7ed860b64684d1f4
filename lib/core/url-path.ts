/**
 * The one place a request path is made comparable, as `normalizeHost` is for hosts: every path
 * RelayGuard reads for a shape (an AI-API route, a gateway account) goes through here first, so
 * `/V1//chat/completions/` and `/v1/chat/completions` are one path. Servers treat them alike:
 * nginx merges slashes by default (`merge_slashes on`), and relays route case-insensitively.
 */
export function canonicalPath(pathname: string): string {
  let path = pathname.toLowerCase();
  if (path.includes('//')) path = path.replace(/\/{2,}/g, '/');
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
