/**
 * Multi-tenant AI gateways whose path names the account a call goes through
 * (docs/relay-signals.md §3): anyone can open an account on them and forward through it, so the
 * gateway's host says who runs the machine, not whose account sees the traffic. Listed here,
 * the one place code learns which hosts these are and where their account sits in the path.
 *
 * Gateways that take the account from a credential instead (Vercel's AI Gateway, Portkey,
 * Helicone) cannot be told apart by account; their host-level vetting stands.
 */
interface AccountGateway {
  /** Canonical host. */
  readonly host: string;
  /** The canonical path's segments before the account (`['v1']`). */
  readonly before: readonly string[];
  /** How many segments name the account (Cloudflare: the account id, then the gateway id). */
  readonly segments: number;
  /** The fewest segments a list pattern must name (Cloudflare: the account id alone vets all its gateways). */
  readonly minSegments: number;
}

const ACCOUNT_GATEWAYS: readonly AccountGateway[] = [
  // Cloudflare AI Gateway: /v1/<account id>/<gateway id>/<provider>/…
  { host: 'gateway.ai.cloudflare.com', before: ['v1'], segments: 2, minSegments: 1 },
  // Cloudflare Workers AI's OpenAI-compatible API: /client/v4/accounts/<account id>/ai/v1/…
  { host: 'api.cloudflare.com', before: ['client', 'v4', 'accounts'], segments: 1, minSegments: 1 },
];

/** Account and gateway ids: Cloudflare's are lower-case hex and slugs; nothing longer than this. */
const ACCOUNT_SEGMENT = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export interface GatewayAccount {
  /** The ids as a person reads them: `<account>/<gateway>`. */
  readonly id: string;
  /** The path prefix that names it, with a trailing slash (`/v1/<account>/<gateway>/`). */
  readonly pathPrefix: string;
}

function gatewayOf(host: string): AccountGateway | undefined {
  return ACCOUNT_GATEWAYS.find((gateway) => gateway.host === host);
}

/** Whether `host` (canonical) is a gateway that names accounts in its path. */
export function namesAccountsInPath(host: string): boolean {
  return gatewayOf(host) !== undefined;
}

/** The hosts that name accounts in their path, for messages and docs. */
function accountGatewayHosts(): string[] {
  return ACCOUNT_GATEWAYS.map((gateway) => gateway.host);
}

/**
 * The account a call to `host` goes through, read from its canonical path (lib/core/url-path.ts);
 * null when the host names no accounts or the path names none.
 */
export function accountOfCall(host: string, canonicalPath: string): GatewayAccount | null {
  const gateway = gatewayOf(host);
  if (!gateway) return null;
  const ids = idsAfter(gateway, canonicalPath.split('/').slice(1), gateway.segments);
  return ids && ids.length === gateway.segments ? { id: ids.join('/'), pathPrefix: prefixOf(gateway, ids) } : null;
}

/**
 * A list pattern's path part for `host` (`/v1/<account>/` or `/v1/<account>/<gateway>/`),
 * canonical with its trailing slash; an error that says what is allowed otherwise.
 */
export function accountPathPrefix(host: string, path: string): { ok: true; pathPrefix: string } | { ok: false; error: string } {
  const gateway = gatewayOf(host);
  if (!gateway) return { ok: false, error: `only the gateways that name accounts in their path (${accountGatewayHosts().join(', ')}) take a path` };
  const parts = path.toLowerCase().split('/').filter((part) => part !== '');
  const ids = idsAfter(gateway, parts, gateway.segments);
  const shape = `/${[...gateway.before, '<account>'].join('/')}/`;
  if (!ids || ids.length < gateway.minSegments || parts.length !== gateway.before.length + ids.length) {
    return { ok: false, error: `the path must name an account, as in ${host}${shape}` };
  }
  return { ok: true, pathPrefix: prefixOf(gateway, ids) };
}

/** The account segments after the gateway's fixed ones (at most `max`), or null when the path is not this gateway's. */
function idsAfter(gateway: AccountGateway, parts: readonly string[], max: number): string[] | null {
  if (parts.length < gateway.before.length) return null;
  if (gateway.before.some((segment, index) => parts[index] !== segment)) return null;
  const ids = parts.slice(gateway.before.length, gateway.before.length + max);
  return ids.length > 0 && ids.every((id) => ACCOUNT_SEGMENT.test(id)) ? ids : null;
}

/** The path prefix of an account id `accountOfCall` read (`<account>/<gateway>` → `/v1/<account>/<gateway>/`); undefined for other hosts. */
export function accountPathOf(host: string, id: string): string | undefined {
  const gateway = gatewayOf(host);
  return gateway ? prefixOf(gateway, id.split('/')) : undefined;
}

function prefixOf(gateway: AccountGateway, ids: readonly string[]): string {
  return `/${[...gateway.before, ...ids].join('/')}/`;
}
