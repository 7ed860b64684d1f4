import { z } from 'zod';
import { parseHostPattern } from '../core/host-pattern.ts';
import { lazy } from '../core/lazy.ts';
import { normalizeHost } from '../core/host.ts';
import { parseReportEndpoint } from '../core/report-endpoint.ts';
import type { ListEntry, RelayList } from './list-schema.ts';
import type { ListHit, Matcher } from './matcher.ts';
import { MANAGED_POLICY_LIST_NAME, winningHit } from './precedence.ts';
import { MAX_PINNED_KEYS, parsePublicKey } from './minisign.ts';

/**
 * Managed policy (chrome.storage.managed; Firefox policies.json "3rdparty"): what an
 * administrator sets for every browser they run. POLICY_KEYS below is the one source of truth:
 * the parser, public/managed_schema.json and the key reference in docs/admin.md are made from it
 * (lib/lists/policy-docs.ts; a test fails when the committed files differ).
 *
 * Chrome drops values that fail the manifest's managed_schema, and Chrome, Edge and Firefox
 * differ in how they pass nested values, so every key is accepted either as its value or as a
 * JSON string of it, and validated here anyway. Each key is read on its own, and inside a list
 * each item on its own: a bad value is ignored and named in `problems`, never costs another key
 * or item, and nothing here throws.
 *
 * About 400 lines, kept in one file: the key table, the reader that walks it and the locks it
 * implies are one definition; split, the documentation and the parser could drift apart.
 */

/** Bounds of a managed subscription's refresh interval, in hours. */
const UPDATE_HOURS = { min: 1, max: 24 * 7 } as const;
const MAX_PATTERNS = 100_000;
const MAX_SUBSCRIPTIONS = 50;
const MAX_TEXT = 2048;

/** One key of the policy: how an administrator writes it (zod, which the JSON Schema is made from) and what it means. */
export interface PolicyKeySpec {
  readonly title: string;
  readonly description: string;
  /**
   * The value as written; checked item by item afterwards where the key holds a list. Built on
   * first use: a browser without a managed policy, most of them, never needs it.
   */
  readonly schema: () => z.ZodType;
  /** What applies while the key is unset, in words (docs/admin.md). */
  readonly unset: string;
  readonly example: unknown;
}

const hostPatternItem = () =>
  z
    .string()
    .max(MAX_TEXT)
    .describe('Host pattern: example.com (the host and its subdomains) or .example.com (that host only).');
const subscriptionSchema = lazy(() =>
  z.object({
    url: z.string().max(MAX_TEXT).describe('Where the list is (http or https). Its minisign signature is read from the same URL + ".minisig".'),
    publicKeys: z
      .array(z.string().max(4096))
      .max(MAX_PINNED_KEYS)
      .optional()
      .describe('minisign public keys (the base64 line of a minisign.pub). With keys, an unsigned or wrongly signed list is refused.'),
    updateHours: z
      .number()
      .int()
      .min(UPDATE_HOURS.min)
      .max(UPDATE_HOURS.max)
      .optional()
      .describe(`How often to fetch the list again, in hours (${UPDATE_HOURS.min}–${UPDATE_HOURS.max}; default 12).`),
  }),
);
const organizationSchema = lazy(() =>
  z.object({
    name: z.string().trim().min(1).max(100).describe('Shown as "managed by <name>".'),
    supportUrl: z.string().max(MAX_TEXT).optional().describe('An http(s) page where people ask about a decision.'),
    supportEmail: z.string().max(320).optional().describe('An e-mail address for the same.'),
  }),
);

export const POLICY_KEYS = {
  allowlist: {
    title: 'Vetted relay and gateway hosts',
    description:
      'Host patterns your organisation vets (Chrome URLBlocklist convention: example.com matches the host and its subdomains, .example.com only that host). Outranks the person’s own entries; shown as managed.',
    schema: lazy(() => z.array(hostPatternItem()).max(MAX_PATTERNS)),
    unset: 'no managed allowlist',
    example: ['gateway.corp.example', '.llm.corp.example'],
  },
  blocklist: {
    title: 'Blocked relay hosts',
    description: 'Host patterns RelayGuard blocks for everyone (same convention as allowlist): navigations land on the block page.',
    schema: lazy(() => z.array(hostPatternItem()).max(MAX_PATTERNS)),
    unset: 'no managed blocklist',
    example: ['cheap-relay.example'],
  },
  allowProceed: {
    title: 'Allow continuing past the block page',
    description: 'false: the block page offers no way through, the background refuses every request for one, and exceptions granted earlier end at once.',
    schema: lazy(() => z.boolean()),
    unset: 'true',
    example: false,
  },
  listSubscriptions: {
    title: 'Managed list subscriptions',
    description:
      'Lists (List format v1) every browser subscribes to with no action from the person; fetched and kept fresh like the person’s own, shown as managed and not removable. Their entries count as the organisation’s. A subscription with an unreadable public key is not fetched at all.',
    schema: lazy(() => z.array(subscriptionSchema()).max(MAX_SUBSCRIPTIONS)),
    unset: 'none',
    example: [{ url: 'https://lists.corp.example/relays.json', publicKeys: ['RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3'], updateHours: 6 }],
  },
  listMode: {
    title: 'How managed lists combine with the person’s',
    description: '"add": the person’s own entries and subscriptions apply below the managed ones. "overwrite": while the policy holds they are kept but not applied.',
    schema: lazy(() => z.enum(['add', 'overwrite'])),
    unset: '"add"',
    example: 'overwrite',
  },
  disableUserLists: {
    title: 'Lock the person’s lists',
    description:
      'true: nobody can add, remove, import, trust, block or subscribe in RelayGuard; the popup and the options page offer none of it and the background refuses it. Entries made earlier still apply under "add" (use listMode "overwrite" to drop them too).',
    schema: lazy(() => z.boolean()),
    unset: 'false',
    example: true,
  },
  reportEndpoint: {
    title: 'Report endpoint',
    description: 'An https URL that receives the reports people send (POST, application/json, docs/report.schema.json). Overrides the person’s own.',
    schema: lazy(() => z.string().max(MAX_TEXT)),
    unset: 'the person’s own endpoint, if any',
    example: 'https://security.corp.example/relayguard/reports',
  },
  pasteGuard: {
    title: 'Key paste guard',
    description: '"warn": a vendor key pasted on an unvetted or blocked page is held with a question (the person cannot switch it off). "off": never held.',
    schema: lazy(() => z.enum(['warn', 'off'])),
    unset: 'the person’s setting (on by default)',
    example: 'warn',
  },
  organization: {
    title: 'Your organisation',
    description: 'Named wherever a managed entry or key decided what RelayGuard shows ("managed by <name>"), with its support link.',
    schema: organizationSchema,
    unset: '"your organisation", no link',
    example: { name: 'Example Corp IT', supportUrl: 'https://help.corp.example/ai-gateways', supportEmail: 'it-security@corp.example' },
  },
} as const satisfies Record<string, PolicyKeySpec>;

export type PolicyKey = keyof typeof POLICY_KEYS;
export const POLICY_KEY_NAMES = Object.keys(POLICY_KEYS) as PolicyKey[];

export interface ManagedSubscription {
  readonly url: string;
  readonly publicKeys: readonly string[];
  readonly updateHours?: number;
}

export interface Organization {
  readonly name: string;
  readonly supportUrl?: string;
  readonly supportEmail?: string;
}

export interface ManagedPolicy {
  readonly allowlist: readonly string[];
  readonly blocklist: readonly string[];
  readonly allowProceed: boolean;
  readonly listSubscriptions: readonly ManagedSubscription[];
  readonly listMode: 'add' | 'overwrite';
  readonly disableUserLists: boolean;
  readonly reportEndpoint: string | null;
  /** null: the person's own setting decides. */
  readonly pasteGuard: 'warn' | 'off' | null;
  readonly organization: Organization | null;
  /** The keys that hold a valid value: what "the organisation decided" can point to. */
  readonly keys: readonly PolicyKey[];
  /** What could not be applied, each naming its key, in words an administrator can act on. Everything else still applies. */
  readonly problems: readonly string[];
}

export const EMPTY_POLICY: ManagedPolicy = {
  allowlist: [],
  blocklist: [],
  allowProceed: true,
  listSubscriptions: [],
  listMode: 'add',
  disableUserLists: false,
  reportEndpoint: null,
  pasteGuard: null,
  organization: null,
  keys: [],
  problems: [],
};

/** Accepts `value` or `JSON.stringify(value)`; a string that is not JSON stays a string. */
function fromJsonString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid value';
  const where = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
  return `${where ? `${where}: ` : ''}${issue.message}`;
}

/** The keys that hold a list, and how many items each may have. */
const LIST_LIMITS: Partial<Record<PolicyKey, number>> = { allowlist: MAX_PATTERNS, blocklist: MAX_PATTERNS, listSubscriptions: MAX_SUBSCRIPTIONS };

/** Never throws; a bad key or item is named in `problems` and ignored while everything else applies. */
export function parseManagedPolicy(raw: unknown): ManagedPolicy {
  if (raw === undefined || raw === null) return EMPTY_POLICY;
  if (typeof raw !== 'object' || Array.isArray(raw)) return { ...EMPTY_POLICY, problems: ['The managed policy is not an object.'] };
  const record = raw as Record<string, unknown>;
  const problems: string[] = [];
  const note: Note = (key, why) => problems.push(`${key}${why.startsWith('[') || why.startsWith('.') ? '' : ': '}${why}`);

  for (const key of Object.keys(record)) {
    if (!(POLICY_KEY_NAMES as string[]).includes(key)) note(key, `not a RelayGuard policy key; ignored (the keys are ${POLICY_KEY_NAMES.join(', ')}).`);
  }

  /** The key's value as its schema reads it, or undefined (unset, or named in problems). */
  function read<K extends PolicyKey>(key: K): z.infer<ReturnType<(typeof POLICY_KEYS)[K]['schema']>> | undefined {
    if (record[key] === undefined || record[key] === null) return undefined;
    const value = fromJsonString(record[key]);
    const schema: z.ZodType = POLICY_KEYS[key].schema();
    const limit = LIST_LIMITS[key];
    if (limit !== undefined && Array.isArray(value) && schema instanceof z.ZodArray) {
      // A list keeps its good items: one bad pattern must not cost the whole blocklist.
      if (value.length > limit) {
        note(key, `${value.length} items; at most ${limit}. Ignored whole.`);
        return undefined;
      }
      const element = schema.element as z.ZodType;
      // A bad item leaves a hole, so the checks after this one name items by their index as written.
      return value.map((item, index) => {
        const parsed = element.safeParse(fromJsonString(item));
        if (parsed.success) return parsed.data;
        note(key, `[${index}]${prefixed(firstIssue(parsed.error))}`);
        return undefined;
      }) as never;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data as never;
    note(key, firstIssue(parsed.error));
    return undefined;
  }

  const allowlist = read('allowlist');
  const blocklist = read('blocklist');
  const allowProceed = read('allowProceed');
  const listSubscriptions = read('listSubscriptions');
  const listMode = read('listMode');
  const disableUserLists = read('disableUserLists');
  const reportEndpoint = read('reportEndpoint');
  const pasteGuard = read('pasteGuard');
  const organization = read('organization');
  const endpoint = reportEndpoint === undefined ? null : validEndpoint(reportEndpoint, note);
  const policy: Omit<ManagedPolicy, 'keys' | 'problems'> = {
    allowlist: validPatterns('allowlist', allowlist ?? [], note),
    blocklist: validPatterns('blocklist', blocklist ?? [], note),
    allowProceed: allowProceed ?? true,
    listSubscriptions: validSubscriptions(listSubscriptions ?? [], note),
    listMode: listMode ?? 'add',
    disableUserLists: disableUserLists ?? false,
    reportEndpoint: endpoint,
    pasteGuard: pasteGuard ?? null,
    organization: organization ? validOrganization(organization, note) : null,
  };
  const set: Record<PolicyKey, boolean> = {
    allowlist: allowlist !== undefined,
    blocklist: blocklist !== undefined,
    allowProceed: allowProceed !== undefined,
    listSubscriptions: listSubscriptions !== undefined,
    listMode: listMode !== undefined,
    disableUserLists: disableUserLists !== undefined,
    reportEndpoint: endpoint !== null,
    pasteGuard: pasteGuard !== undefined,
    organization: organization !== undefined,
  };
  return { ...policy, keys: POLICY_KEY_NAMES.filter((key) => set[key]), problems };
}

const prefixed = (text: string) => (text.startsWith('.') || text.startsWith('[') ? text : `: ${text}`);

type Note = (key: string, why: string) => void;

function validPatterns(key: 'allowlist' | 'blocklist', patterns: readonly (string | undefined)[], note: Note): string[] {
  const valid: string[] = [];
  patterns.forEach((pattern, index) => {
    if (pattern === undefined) return;
    const parsed = parseHostPattern(pattern);
    if (parsed.ok) valid.push(parsed.value.text);
    else note(key, `[${index}]: ${parsed.error}`);
  });
  return [...new Set(valid)];
}

/** A subscription whose URL or any pinned key is unreadable is left out whole: fetching it without that key would trust less than the administrator asked. */
function validSubscriptions(items: readonly (z.infer<ReturnType<typeof subscriptionSchema>> | undefined)[], note: Note): ManagedSubscription[] {
  const valid: ManagedSubscription[] = [];
  items.forEach((item, index) => {
    if (item === undefined) return;
    const where = `[${index}]`;
    if (!isWebUrl(item.url)) return note('listSubscriptions', `${where}.url: “${item.url}” is not an http(s) URL; this subscription is not fetched.`);
    const badKey = (item.publicKeys ?? []).findIndex((key) => !parsePublicKey(key).ok);
    if (badKey >= 0) {
      const parsed = parsePublicKey(item.publicKeys![badKey]!);
      return note('listSubscriptions', `${where}.publicKeys[${badKey}]: ${parsed.ok ? '' : parsed.error.message} This subscription is not fetched.`);
    }
    const url = new URL(item.url).href;
    if (valid.some((known) => known.url === url)) return note('listSubscriptions', `${where}: ${url} is listed twice; the first one applies.`);
    valid.push({ url, publicKeys: [...(item.publicKeys ?? [])], ...(item.updateHours !== undefined && { updateHours: item.updateHours }) });
  });
  return valid;
}

function validEndpoint(text: string, note: Note): string | null {
  const parsed = parseReportEndpoint(text);
  if (parsed.ok) return parsed.value;
  note('reportEndpoint', parsed.error);
  return null;
}

function validOrganization(organization: z.infer<ReturnType<typeof organizationSchema>>, note: Note): Organization {
  const { name, supportUrl, supportEmail } = organization;
  const valid: { name: string; supportUrl?: string; supportEmail?: string } = { name };
  if (supportUrl !== undefined) {
    if (isWebUrl(supportUrl)) valid.supportUrl = new URL(supportUrl).href;
    else note('organization', `.supportUrl: “${supportUrl}” is not an http(s) URL; no link is shown.`);
  }
  if (supportEmail !== undefined) {
    if (z.email().safeParse(supportEmail).success) valid.supportEmail = supportEmail;
    else note('organization', `.supportEmail: “${supportEmail}” is not an e-mail address; it is not shown.`);
  }
  return valid;
}

function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && normalizeHost(url.href).ok && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** The policy's own entries as a list the matcher can compile (source `managed`). */
export function policyAsList(policy: ManagedPolicy): RelayList {
  const entries: ListEntry[] = [
    ...policy.allowlist.map((pattern): ListEntry => ({ pattern, level: 'vetted' })),
    ...policy.blocklist.map((pattern): ListEntry => ({ pattern, level: 'blocked' })),
  ];
  return { name: MANAGED_POLICY_LIST_NAME, version: '1', updated: '1970-01-01', entries };
}

/**
 * The matcher with the policy's locks in it. With `allowProceed: false` the person's own entry
 * cannot lift a block either: where theirs would win over a list that blocks the host, the block
 * stands (a "trust" would otherwise be a standing proceed exception). Everything else is the
 * matcher's own; block rules, verdicts and the popup all ask this one.
 */
export function withPolicyLocks(matcher: Matcher, policy: Pick<ManagedPolicy, 'allowProceed'>): Matcher {
  if (policy.allowProceed) return matcher;
  const decide = (host: string): ListHit | null => {
    const hit = matcher.decide(host);
    if (!hit || hit.source !== 'user' || hit.level === 'blocked') return hit;
    return winningHit(matcher.match(host).filter((candidate) => candidate.level === 'blocked')) ?? hit;
  };
  return Object.create(matcher, { decide: { value: decide } }) as Matcher;
}

/** The person's settings the policy sets: pasteGuard `warn` holds pastes whatever they chose, `off` never. */
export function managedSettings(policy: Pick<ManagedPolicy, 'pasteGuard'>): { pasteGuard?: boolean } {
  return policy.pasteGuard === null ? {} : { pasteGuard: policy.pasteGuard === 'warn' };
}

/** What the surfaces need of the policy to say who decided and what is locked. */
export type PolicyView = Pick<ManagedPolicy, 'organization' | 'disableUserLists' | 'allowProceed'>;

/** The organisation as the surfaces name it: any part may be missing ("your organisation", no link). */
export function managedByOf(policy: Pick<ManagedPolicy, 'organization'>): { name?: string; supportUrl?: string; supportEmail?: string } {
  const { name, supportUrl, supportEmail } = policy.organization ?? {};
  return { ...(name && { name }), ...(supportUrl && { supportUrl }), ...(supportEmail && { supportEmail }) };
}

/** A host or host pattern: the host it names, and whether it names that host alone or its subdomains too. */
export interface PolicyTarget {
  readonly host: string;
  readonly exactHostOnly: boolean;
}

/**
 * Whether the administrator's policy decides every host `target` names, so the person's own entry
 * for it could change nothing (managed outranks the person's entries, lib/lists/precedence.ts).
 * A page's host is an exact target: any managed pattern matching it decides it. A pattern that
 * covers subdomains (`example.com`) is managed only by a managed pattern that covers them too; a
 * managed `.example.com` leaves the person's `example.com` free to decide `api.example.com`.
 * The one answer to "does the policy manage this?" everywhere (the popup's control, the
 * interstitial's "always allow", the person's entries).
 */
export function policyManages(hits: readonly Pick<ListHit, 'source' | 'pattern'>[], target: PolicyTarget): boolean {
  return hits.some((hit) => hit.source === 'managed' && (target.exactHostOnly || !isExactHostPattern(hit.pattern)));
}

/** `.example.com` names that host only (lib/core/host-pattern.ts); an IP literal is exact either way but matches only itself. */
function isExactHostPattern(pattern: string): boolean {
  return pattern.startsWith('.');
}
