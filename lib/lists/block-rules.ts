import { normalizeHost } from '../core/host.ts';
import { parseHostPattern } from '../core/host-pattern.ts';
import { HostTable, sortText } from './host-table.ts';

/**
 * Turns the compiled lists into declarativeNetRequest rules, so that a top-level navigation to a
 * host whose list level is `blocked` lands on the interstitial (`blocked.html#<original URL>`)
 * and, optionally, pages' AI-API calls to such hosts are blocked. Pure: no browser globals; the
 * caller installs the result with `updateDynamicRules({ removeRuleIds: old, addRules: rules })`.
 * Why these rules mean exactly what `Matcher.decide` means: docs/block-rules.md.
 *
 * Over 500 lines, kept in one file: the builder's steps (regions, drafts, limits) and the regex
 * shapes they use serve one invariant, tested as one against the matcher; the proceed-once rule
 * and the navigable-target check share those shapes.
 */

/** Only the resource types these rules use. */
export type DnrResourceType = 'main_frame' | 'xmlhttprequest' | 'websocket' | 'other';

/** The subset of chrome.declarativeNetRequest.Rule this module produces; structurally assignable to it. */
export interface DnrRule {
  id: number;
  priority: number;
  action: DnrRuleAction;
  condition: DnrRuleCondition;
}

interface DnrRuleAction {
  type: 'redirect' | 'allow' | 'block';
  redirect?: { regexSubstitution: string };
}

interface DnrRuleCondition {
  regexFilter?: string;
  requestDomains?: string[];
  excludedRequestDomains?: string[];
  resourceTypes: DnrResourceType[];
  tabIds?: number[];
}

export interface BlockRuleLimits {
  /** Rules this module may return at most. */
  readonly maxRules: number;
  /** Of those, rules with a regexFilter at most. */
  readonly maxRegexRules: number;
  /** Domains one rule without a regexFilter may carry in requestDomains before it is split. */
  readonly maxDomainsPerRule: number;
  /**
   * Domains one rule with a regexFilter may carry before it is split. Regex rules are the scarce
   * kind (Chrome: 1,000 per extension, against 30,000 rules), and a redirect to the block page
   * needs one (its regexSubstitution carries the original URL), so they carry many more domains.
   */
  readonly maxDomainsPerRegexRule: number;
}

/**
 * Chrome: 30,000 dynamic "safe" rules but only 5,000 "unsafe" ones (redirect is unsafe), 1,000 regex
 * rules for dynamic and session rules together; before Chrome 120 dynamic and session rules shared
 * 5,000; Firefox allows 5,000 dynamic rules. These defaults stay under all of them and leave room
 * for proceed-once session rules.
 */
export const DEFAULT_BLOCK_RULE_LIMITS: BlockRuleLimits = { maxRules: 4_500, maxRegexRules: 900, maxDomainsPerRule: 1_000, maxDomainsPerRegexRule: 50_000 };

/** Above every priority buildBlockRules can produce (at most 2·127+1 for a 253-character host). */
export const PROCEED_ONCE_PRIORITY = 1_000;

const NAVIGATION_RESOURCE_TYPES: readonly DnrResourceType[] = ['main_frame'];
/** Where pages' AI-API calls travel: fetch/XHR, WebSocket, and the rest (EventSource, beacons). */
export const API_RESOURCE_TYPES: readonly DnrResourceType[] = ['xmlhttprequest', 'websocket', 'other'];

/** Label-count regexes compile within Chrome's 2 KiB up to 13 labels; keep a margin. */
export const MAX_SHAPE_LABELS = 12;
/** Host-literal regexes compile within Chrome's 2 KiB up to ~90 characters; keep a margin. */
export const MAX_LITERAL_HOST_LENGTH = 80;

export interface BlockRulesInput {
  readonly decide: (host: string) => { readonly level: 'official' | 'vetted' | 'blocked' } | null;
  /**
   * `Matcher.decideHostAndSubdomains`: when given, one matcher pass per pattern host replaces the
   * two `decide` calls (the host, and a probe subdomain no list names). Must agree with `decide`.
   */
  readonly decideHostAndSubdomains?: (host: string) => { readonly host: string | null; readonly subdomains: string | null };
  /** Every pattern text of the compiled lists (`Matcher.patterns()`). */
  readonly patterns: readonly string[];
  /** The interstitial page, e.g. `chrome-extension://<id>/blocked.html`; the original URL follows `#`. */
  readonly interstitialUrl: string;
  /** Also block xmlhttprequest/websocket/other requests to blocked hosts. */
  readonly blockApiRequests: boolean;
  /** Ids are firstRuleId, firstRuleId+1, …; default 1. */
  readonly firstRuleId?: number;
  readonly limits?: Partial<BlockRuleLimits>;
}

export interface BlockRules {
  /** Deterministic for the same lists: same rules, same order, same ids. */
  readonly rules: DnrRule[];
  /** What could not be expressed or was left out, one sentence each; empty when all is well. */
  readonly problems: string[];
  /** The same, as data the options page shows in the person's language: which hosts, and why. */
  readonly leftOut: LeftOut[];
}

/** Why hosts the lists block (or allow) have no browser rule. */
export const LEFT_OUT_REASONS = [
  /** An allowed host under a blocked parent, too long for any regex: its subdomains stay unblocked. */
  'exact-allow-too-long',
  /** A blocked host whose subdomains are not blocked, too long for any regex: it stays unblocked. */
  'exact-block-too-long',
  /** The lists need more exception rules than the limits allow: nothing is redirected or blocked. */
  'exceptions-over-limit',
  /** The rule or regex limit left these hosts' redirects out. */
  'redirect-over-limit',
  /** The rule or regex limit left these hosts' API blocks out. */
  'api-block-over-limit',
  /** A pattern the builder could not read, or a host the matcher failed to decide. */
  'not-understood',
] as const;
export type LeftOutReason = (typeof LEFT_OUT_REASONS)[number];

/** How many left-out hosts are named per reason (the count says how many there are in all). */
export const MAX_LEFT_OUT_HOSTS = 50;

export interface LeftOut {
  readonly reason: LeftOutReason;
  /** How many hosts (or patterns) in all. */
  readonly count: number;
  /** The first MAX_LEFT_OUT_HOSTS of them, sorted. */
  readonly hosts: string[];
}

const PROBE_LABEL = 'rg-probe-subdomain';

const MAX_PROBLEMS_PER_KIND = 10;

/** Any http(s) URL, all of it captured as \0 for the substitution. */
const NAVIGATION_REGEX = '^https?://.*';
/** Optional userinfo: canonical URLs percent-encode `/` and `@` inside it. */
const USERINFO = '(?:[^/@]*@)?';
/** One host label, in a URL that requestDomains already placed in a listed host's subtree. */
const LABEL = '[^./@]+';

type Verdict = 'block' | 'allow';
type Purpose = 'allow' | 'navigation' | 'api';

interface Draft {
  readonly purpose: Purpose;
  readonly priority: number;
  readonly action: DnrRuleAction;
  readonly condition: DnrRuleCondition;
  /** Sort key among drafts of equal priority and action. */
  readonly key: string;
}

export function buildBlockRules(input: BlockRulesInput): BlockRules {
  const problems: string[] = [];
  const leftOut = new LeftOutLog();
  const limits = resolveLimits(input.limits, problems);
  const firstRuleId = resolveFirstRuleId(input.firstRuleId, problems);

  const interstitial = checkInterstitialUrl(input.interstitialUrl);
  if (!interstitial.ok) return { rules: [], problems: [...problems, interstitial.problem], leftOut: [] };
  // RE2 rewrite strings treat `\` as an escape; the page URL itself must not carry one.
  const redirect = { regexSubstitution: `${interstitial.url.replaceAll('\\', '\\\\')}#\\0` };

  const patternHosts = readPatternHosts(input.patterns, problems, leftOut);

  const failedDecisions = new Reporter(problems, 'host(s) could not be decided and were skipped', leftOut, 'not-understood');
  const isBlocked = (host: string): boolean | null => {
    try {
      return input.decide(host)?.level === 'blocked';
    } catch (error) {
      failedDecisions.add(`${host}: ${errorText(error)}`, host);
      return null;
    }
  };

  const regions = findRegions(patternHosts.domains, decisionsFor(input, patternHosts.domains));
  for (const failure of regions.failures) failedDecisions.add(failure.item, failure.host);
  failedDecisions.flush();
  const unexpressible = {
    allows: new Reporter(problems, 'exact host(s) are too long for a Chrome regexFilter', leftOut, 'exact-allow-too-long'),
    blocks: new Reporter(problems, 'exact host(s) are too long for a Chrome regexFilter', leftOut, 'exact-block-too-long'),
  };
  for (const host of regions.unexpressibleAllows) unexpressible.allows.add(`${host} is allowed but its subdomains are blocked; the subdomains are left unblocked`, host);
  for (const host of regions.unexpressibleBlocks) unexpressible.blocks.add(`${host} is blocked but not its subdomains; it is left unblocked`, host);
  unexpressible.allows.flush();
  unexpressible.blocks.flush();

  const drafting: Drafting = {
    redirect,
    blockApiRequests: input.blockApiRequests,
    maxDomainsPerRule: limits.maxDomainsPerRule,
    maxDomainsPerRegexRule: limits.maxDomainsPerRegexRule,
    unexpressibleAllows: regions.unexpressibleAllows,
    drafts: [],
  };
  draftRegionRules(regions, drafting);
  draftIpRules(patternHosts.ips, isBlocked, drafting);
  failedDecisions.flush();

  // Limits: exceptions first (all or none), then navigation redirects, then API blocks. Leaving
  // out a redirect or block rule can only block less; leaving out an allow could block a host the
  // lists allow, so without room for every allow rule nothing is installed.
  const chosen = selectWithinLimits(drafting.drafts.sort(compareDrafts), limits, problems, leftOut);

  return {
    rules: chosen.map((draft, index) => ({
      id: firstRuleId + index,
      priority: draft.priority,
      action: draft.action,
      condition: draft.condition,
    })),
    problems,
    leftOut: leftOut.entries(),
  };
}

/** Left-out hosts per reason: every one counted, the first MAX_LEFT_OUT_HOSTS (sorted) named. */
class LeftOutLog {
  readonly #byReason = new Map<LeftOutReason, { count: number; hosts: string[] }>();

  add(reason: LeftOutReason, hosts: Iterable<string>): void {
    let entry = this.#byReason.get(reason);
    if (!entry) this.#byReason.set(reason, (entry = { count: 0, hosts: [] }));
    for (const host of hosts) {
      entry.count++;
      entry.hosts.push(host);
      // Keep the named ones bounded while counting all: trim to the smallest, sorted.
      if (entry.hosts.length >= MAX_LEFT_OUT_HOSTS * 4) entry.hosts = entry.hosts.sort(compareText).slice(0, MAX_LEFT_OUT_HOSTS);
    }
  }

  entries(): LeftOut[] {
    return LEFT_OUT_REASONS.flatMap((reason) => {
      const entry = this.#byReason.get(reason);
      return entry ? [{ reason, count: entry.count, hosts: [...new Set(entry.hosts)].sort(compareText).slice(0, MAX_LEFT_OUT_HOSTS) }] : [];
    });
  }
}

/** The pattern hosts of the lists: domains (each once, in a HostTable) and IP literals. */
interface PatternHosts {
  readonly domains: HostTable;
  readonly ips: Set<string>;
}

/** The pattern hosts of the lists, split into domains and IP literals; unreadable ones are reported. */
function readPatternHosts(patterns: readonly string[] | undefined, problems: string[], leftOut: LeftOutLog): PatternHosts {
  const domains = new HostTable(patterns?.length ?? 0);
  const ips = new Set<string>();
  const invalid = new Reporter(problems, 'pattern(s) could not be read and were skipped', leftOut, 'not-understood');
  for (const text of patterns ?? []) {
    // The matcher's patterns are canonical (validated when their list came in): most are a plain
    // lowercase domain, read here without parsing them again.
    const labels = typeof text === 'string' ? plainDomainLabels(text) : 0;
    if (labels > 0) {
      domains.add(text.charCodeAt(0) === DOT ? text.slice(1) : text, labels);
      continue;
    }
    const host = patternHost(text);
    if (!host.ok) {
      invalid.add(host.error, String(text));
      continue;
    }
    if (host.ip) ips.add(host.host);
    else domains.add(host.host, labelCount(host.host));
  }
  invalid.flush();
  return { domains, ips };
}

/** A decision failed: what to report, about which host (the probe, if it failed), and for which pattern host. */
interface FailedDecision {
  readonly item: string;
  readonly host: string;
  /** The pattern host being visited, and its label count: where the failure comes in visit order. */
  readonly visited: string;
  readonly labels: number;
}

/** Bits of a pattern host's decision: the host itself is blocked, its unnamed subdomains are. */
const SELF_BLOCKED = 1;
const SUBDOMAINS_BLOCKED = 2;
/** The decision failed (and was recorded); the host is skipped. */
const UNDECIDED = -1;

type Decide = (host: string, labels: number, failures: FailedDecision[]) => number;

/**
 * How to ask the matcher about one pattern host: one `decideHostAndSubdomains` pass when the
 * input offers it, else `decide` on the host and on a probe subdomain no list names. Answers
 * SELF_BLOCKED | SUBDOMAINS_BLOCKED bits, or UNDECIDED after recording why. Bits, not a pair:
 * at a million hosts every allocation here is a million allocations.
 */
function decisionsFor(input: BlockRulesInput, domains: HostTable): Decide {
  const { decide, decideHostAndSubdomains } = input;
  if (decideHostAndSubdomains) {
    return (host, labels, failures) => {
      try {
        const levels = decideHostAndSubdomains(host);
        return (levels.host === 'blocked' ? SELF_BLOCKED : 0) | (levels.subdomains === 'blocked' ? SUBDOMAINS_BLOCKED : 0);
      } catch (error) {
        failures.push({ item: `${host}: ${errorText(error)}`, host, visited: host, labels });
        return UNDECIDED;
      }
    };
  }
  const blocked = (asked: string, host: string, labels: number, failures: FailedDecision[]): boolean | null => {
    try {
      return decide(asked)?.level === 'blocked';
    } catch (error) {
      failures.push({ item: `${asked}: ${errorText(error)}`, host: asked, visited: host, labels });
      return null;
    }
  };
  return (host, labels, failures) => {
    const self = blocked(host, host, labels, failures);
    const sub = blocked(probeFor(host, domains), host, labels, failures);
    return self === null || sub === null ? UNDECIDED : (self ? SELF_BLOCKED : 0) | (sub ? SUBDOMAINS_BLOCKED : 0);
  };
}

/** Where the effective verdict changes among the pattern hosts, grouped the way rules are merged. */
interface Regions {
  /** At `group(labels, verdict)`: hosts whose subtree verdict differs from the one they inherit. */
  readonly subtree: (string[] | undefined)[];
  /** At `group(labels, verdict)`: hosts decided unlike their subdomains, few enough labels for a shape regex. */
  readonly exactShaped: (string[] | undefined)[];
  /** Hosts decided unlike their subdomains with too many labels for a shape: one literal regex each. */
  readonly exactLiteral: { host: string; verdict: Verdict; labels: number }[];
  /** Allowed hosts under a blocked parent that no regex can hold: their subtree is excluded instead. */
  readonly unexpressibleAllows: string[];
  /** Blocked hosts whose subdomains are not blocked, that no regex can hold: left unblocked. */
  readonly unexpressibleBlocks: string[];
  /** Decisions that failed, in visit order (fewer labels first, then code-unit order). */
  readonly failures: FailedDecision[];
}

/** Rules are merged per label count and verdict: one slot per pair. */
function group(labels: number, verdict: Verdict): number {
  return labels * 2 + (verdict === 'block' ? 1 : 0);
}

/** How a pattern host's subtree is decided, by index: 0 not (yet) known (HostTable marks), allowed, blocked. */
const SUBTREE_ALLOWED = 1;
const SUBTREE_BLOCKED = 2;

/**
 * Asks the matcher, parents before children, how each pattern host and its otherwise unlisted
 * subdomains are decided, and keeps only the places where that changes (docs/block-rules.md).
 * Parents before children needs only fewer labels first: hosts are bucketed by label count
 * (a counting sort of indices), not sorted, and each group is sorted once when its rules are
 * drafted. What is reported goes out in the order a fully sorted visit would give.
 */
function findRegions(domains: HostTable, decide: Decide): Regions {
  const regions: Regions = { subtree: [], exactShaped: [], exactLiteral: [], unexpressibleAllows: [], unexpressibleBlocks: [], failures: [] };
  const { hosts, labels } = domains;
  const subtreeOf = new Uint8Array(hosts.length);
  const unexpressible: { host: string; labels: number; verdict: Verdict }[] = [];

  for (const index of byLabelCount(labels.subarray(0, hosts.length))) {
    const host = hosts[index]!;
    const hostLabels = labels[index]!;
    const decided = decide(host, hostLabels, regions.failures);
    if (decided === UNDECIDED) continue;
    const sub = (decided & SUBDOMAINS_BLOCKED) !== 0;
    subtreeOf[index] = sub ? SUBTREE_BLOCKED : SUBTREE_ALLOWED;
    if (sub !== inheritsBlocked(host)) push(regions.subtree, group(hostLabels, sub ? 'block' : 'allow'), host);
    const self = (decided & SELF_BLOCKED) !== 0;
    if (self === sub) continue;
    const verdict: Verdict = self ? 'block' : 'allow';
    if (hostLabels <= MAX_SHAPE_LABELS) push(regions.exactShaped, group(hostLabels, verdict), host);
    else if (host.length <= MAX_LITERAL_HOST_LENGTH) regions.exactLiteral.push({ host, verdict, labels: hostLabels });
    else unexpressible.push({ host, labels: hostLabels, verdict });
  }

  regions.failures.sort((a, b) => compareVisitOrder(a.labels, a.visited, b.labels, b.visited));
  for (const { host, verdict } of unexpressible.sort((a, b) => compareVisitOrder(a.labels, a.host, b.labels, b.host))) (verdict === 'allow' ? regions.unexpressibleAllows : regions.unexpressibleBlocks).push(host);
  return regions;

  /** Whether the nearest decided pattern-host ancestor's subtree is blocked (none: not blocked). */
  function inheritsBlocked(host: string): boolean {
    const parent = domains.closestMarkedParent(host, subtreeOf);
    return parent !== -1 && subtreeOf[parent] === SUBTREE_BLOCKED;
  }
}

/** Indices of hosts with fewer labels first; in pattern order within one label count. */
function byLabelCount(labels: Int32Array): Int32Array {
  let most = 0;
  for (const count of labels) if (count > most) most = count;
  const starts = new Int32Array(most + 2);
  for (const count of labels) starts[count + 1]!++;
  for (let count = 1; count < starts.length; count++) starts[count]! += starts[count - 1]!;
  const order = new Int32Array(labels.length);
  for (let index = 0; index < labels.length; index++) order[starts[labels[index]!]!++] = index;
  return order;
}

/** Fewer labels first, then code-unit order (sorts are stable: one host's two failures keep theirs). */
function compareVisitOrder(aLabels: number, aHost: string, bLabels: number, bHost: string): number {
  return aLabels - bLabels || compareText(aHost, bHost);
}

/** What every draft needs to know, and the drafts made so far. */
interface Drafting {
  readonly redirect: { regexSubstitution: string };
  readonly blockApiRequests: boolean;
  readonly maxDomainsPerRule: number;
  readonly maxDomainsPerRegexRule: number;
  readonly unexpressibleAllows: readonly string[];
  readonly drafts: Draft[];
}

/** Subtree rules at priority 2·labels, exact rules at 2·labels+1, so deeper patterns outrank shallower ones. */
function draftRegionRules(regions: Regions, drafting: Drafting): void {
  regions.subtree.forEach((hosts, slot) => {
    const [labels, verdict] = splitGroup(slot);
    draftHostRules(hosts!, verdict, labels * 2, null, drafting);
  });
  regions.exactShaped.forEach((hosts, slot) => {
    const [labels, verdict] = splitGroup(slot);
    draftHostRules(hosts!, verdict, labels * 2 + 1, shapeRegexes(labels), drafting);
  });
  for (const { host, verdict, labels } of regions.exactLiteral) {
    draftHostRules([host], verdict, labels * 2 + 1, literalRegexes(escapeRegex(host), true), drafting);
  }
}

/**
 * Rules for hosts that share a verdict and priority: one allow rule per chunk, or navigation
 * redirects plus (with blockApiRequests) API blocks. `regexes` narrows a rule to the listed hosts
 * themselves; without it a rule covers their subtrees and needs no regex, except the redirect,
 * whose substitution carries the original URL. A rule with a regex takes chunks of
 * `maxDomainsPerRegexRule` domains, one without of `maxDomainsPerRule`.
 */
function draftHostRules(
  hosts: string[],
  verdict: Verdict,
  priority: number,
  regexes: { navigation: string; any: string } | null,
  drafting: Drafting,
): void {
  const { drafts } = drafting;
  const sorted = sortText(hosts);
  const chunksOf = (withRegex: boolean) => chunked(sorted, withRegex ? drafting.maxDomainsPerRegexRule : drafting.maxDomainsPerRule);
  if (verdict === 'allow') {
    const resourceTypes = drafting.blockApiRequests ? [...NAVIGATION_RESOURCE_TYPES, ...API_RESOURCE_TYPES] : [...NAVIGATION_RESOURCE_TYPES];
    for (const chunk of chunksOf(regexes !== null)) {
      drafts.push({
        purpose: 'allow',
        priority,
        key: chunk[0]!,
        action: { type: 'allow' },
        condition: { ...(regexes && { regexFilter: regexes.any }), requestDomains: chunk, resourceTypes },
      });
    }
    return;
  }
  const excludedFrom = (chunk: readonly string[]) => (regexes ? [] : exclusionsFor(chunk, drafting.unexpressibleAllows));
  for (const chunk of chunksOf(true)) {
    const excluded = excludedFrom(chunk);
    drafts.push({
      purpose: 'navigation',
      priority,
      key: chunk[0]!,
      action: { type: 'redirect', redirect: { ...drafting.redirect } },
      condition: {
        regexFilter: regexes ? regexes.navigation : NAVIGATION_REGEX,
        requestDomains: chunk,
        ...(excluded.length > 0 && { excludedRequestDomains: excluded }),
        resourceTypes: [...NAVIGATION_RESOURCE_TYPES],
      },
    });
  }
  if (!drafting.blockApiRequests) return;
  for (const chunk of chunksOf(regexes !== null)) {
    const excluded = excludedFrom(chunk);
    drafts.push({
      purpose: 'api',
      priority,
      key: chunk[0]!,
      action: { type: 'block' },
      condition: {
        ...(regexes && { regexFilter: regexes.any }),
        requestDomains: chunk,
        ...(excluded.length > 0 && { excludedRequestDomains: excluded }),
        resourceTypes: [...API_RESOURCE_TYPES],
      },
    });
  }
}

/** A blocked IP literal gets its own rules, a regex anchored on the address and no requestDomains. */
function draftIpRules(ips: ReadonlySet<string>, isBlocked: (host: string) => boolean | null, drafting: Drafting): void {
  for (const ip of [...ips].sort(compareText)) {
    if (isBlocked(ip) !== true) continue;
    const literal = ip.includes(':') ? `\\[${escapeRegex(ip)}\\]` : escapeRegex(ip);
    const regexes = literalRegexes(literal, false);
    const priority = labelCount(ip) * 2 + 1;
    drafting.drafts.push({
      purpose: 'navigation',
      priority,
      key: ip,
      action: { type: 'redirect', redirect: { ...drafting.redirect } },
      condition: { regexFilter: regexes.navigation, resourceTypes: [...NAVIGATION_RESOURCE_TYPES] },
    });
    if (drafting.blockApiRequests) {
      drafting.drafts.push({
        purpose: 'api',
        priority,
        key: ip,
        action: { type: 'block' },
        condition: { regexFilter: regexes.any, resourceTypes: [...API_RESOURCE_TYPES] },
      });
    }
  }
}

/** The two session rules of one "continue once": the page's own load, and its calls while it lives. */
export interface ProceedOnceRules {
  /** Lets exactly one top-level load of the host through in the tab; dropped once a page commits there. */
  readonly navigation: DnrRule;
  /** Lets that page's API calls to the same host through; dropped when the tab leaves the page. */
  readonly api: DnrRule;
}

/**
 * "Continue once": session rules that let one tab load exactly `host` (not its subdomains: the
 * person chose this address, not the relay's whole domain) above every dynamic rule, with ids
 * `id` and `id + 1`. The caller drops the navigation rule when the page commits and the API rule
 * when the tab moves on (lib/background/block-page-actions.ts), so the exception lasts for that
 * navigation's page only. A domain host is `requestDomains: [host]` narrowed to its own label
 * count by a regex (the same shape the exact-host block rules use, within Chrome's regex size
 * limit); a longer host than those regexes can say gets no exception. Returns null for an
 * invalid tab, id or host.
 */
export function proceedOnceRules(tabId: number, host: string, id: number): ProceedOnceRules | null {
  if (!Number.isSafeInteger(tabId) || tabId < 0 || !Number.isSafeInteger(id) || id < 1 || !Number.isSafeInteger(id + 1)) return null;
  const target = exactHostTarget(host);
  if (!target) return null;
  const rule = (ruleId: number, resourceTypes: DnrResourceType[]): DnrRule => ({
    id: ruleId,
    priority: PROCEED_ONCE_PRIORITY,
    action: { type: 'allow' },
    condition: { ...target, resourceTypes, tabIds: [tabId] },
  });
  return { navigation: rule(id, [...NAVIGATION_RESOURCE_TYPES]), api: rule(id + 1, [...API_RESOURCE_TYPES]) };
}

/** Whether `rule` is a proceed-once rule of `tabId`, and of which kind. */
export function proceedOnceKind(rule: DnrRule, tabId: number): 'navigation' | 'api' | null {
  if (rule.priority !== PROCEED_ONCE_PRIORITY || rule.action.type !== 'allow' || !rule.condition.tabIds?.includes(tabId)) return null;
  return rule.condition.resourceTypes.includes('main_frame') ? 'navigation' : 'api';
}

/** Whether a proceed-once rule is the one made for `host` (canonicalised as proceedOnceRules does). */
export function isProceedOnceRuleFor(rule: DnrRule, host: string): boolean {
  const target = exactHostTarget(host);
  if (!target) return false;
  return rule.condition.regexFilter === target.regexFilter && (rule.condition.requestDomains ?? []).join() === (target.requestDomains ?? []).join();
}

/** The condition that matches `host` itself and nothing under or beside it; null if none fits. */
function exactHostTarget(host: string): { requestDomains?: string[]; regexFilter: string } | null {
  const normalized = normalizeHost(host);
  if (!normalized.ok) return null;
  const { host: canonical, kind } = normalized.value;
  if (kind !== 'domain') return { regexFilter: literalRegexes(kind === 'ipv6' ? `\\[${escapeRegex(canonical)}\\]` : escapeRegex(canonical), false).any };
  const labels = labelCount(canonical);
  if (labels <= MAX_SHAPE_LABELS) return { requestDomains: [canonical], regexFilter: shapeRegexes(labels).any };
  if (canonical.length <= MAX_LITERAL_HOST_LENGTH) return { requestDomains: [canonical], regexFilter: literalRegexes(escapeRegex(canonical), true).any };
  return null;
}

/** Chrome's url::kMaxURLChars: a longer URL cannot be navigated to anyway. */
const MAX_URL_LENGTH = 2 * 1024 * 1024;

/**
 * Whether the interstitial may continue to `url`: only an http(s) URL with a host. `javascript:`,
 * `data:`, `file:`, `blob:`, `chrome:`, extension and every other scheme are refused.
 */
export function isNavigableTarget(url: string): boolean {
  if (typeof url !== 'string' || url.length > MAX_URL_LENGTH) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
}

// ——— helpers ———

/** One kind of problem: a sentence for the report (a few examples), every host for the left-out log. */
class Reporter {
  private readonly items: string[] = [];
  private readonly hosts: string[] = [];
  private count = 0;
  private readonly problems: string[];
  private readonly summary: string;
  private readonly leftOut: LeftOutLog;
  private readonly reason: LeftOutReason;

  constructor(problems: string[], summary: string, leftOut: LeftOutLog, reason: LeftOutReason) {
    this.problems = problems;
    this.summary = summary;
    this.leftOut = leftOut;
    this.reason = reason;
  }

  add(item: string, host: string): void {
    this.count++;
    this.hosts.push(host);
    if (this.items.length < MAX_PROBLEMS_PER_KIND) this.items.push(item);
  }

  flush(): void {
    if (this.count === 0) return;
    const more = this.count > this.items.length ? `; … and ${this.count - this.items.length} more` : '';
    this.problems.push(`${this.count} ${this.summary}: ${this.items.join('; ')}${more}`);
    this.leftOut.add(this.reason, this.hosts);
    this.items.length = 0;
    this.hosts.length = 0;
    this.count = 0;
  }
}

function resolveLimits(given: Partial<BlockRuleLimits> | undefined, problems: string[]): BlockRuleLimits {
  const pick = (name: keyof BlockRuleLimits): number => {
    const value = given?.[name];
    if (value === undefined) return DEFAULT_BLOCK_RULE_LIMITS[name];
    if (Number.isSafeInteger(value) && value >= 1) return value;
    problems.push(`limits.${name} must be a positive integer; using ${DEFAULT_BLOCK_RULE_LIMITS[name]}.`);
    return DEFAULT_BLOCK_RULE_LIMITS[name];
  };
  return {
    maxRules: pick('maxRules'),
    maxRegexRules: pick('maxRegexRules'),
    maxDomainsPerRule: pick('maxDomainsPerRule'),
    maxDomainsPerRegexRule: pick('maxDomainsPerRegexRule'),
  };
}

function resolveFirstRuleId(value: number | undefined, problems: string[]): number {
  if (value === undefined) return 1;
  if (Number.isSafeInteger(value) && value >= 1) return value;
  problems.push(`firstRuleId must be a positive integer; using 1.`);
  return 1;
}

function checkInterstitialUrl(url: string): { ok: true; url: string } | { ok: false; problem: string } {
  if (typeof url !== 'string' || !URL.canParse(url)) {
    return { ok: false, problem: `The interstitial URL “${String(url)}” is not a URL; no rules were built.` };
  }
  if (url.includes('#')) {
    return { ok: false, problem: `The interstitial URL “${url}” already has a fragment; the original URL must follow '#', so no rules were built.` };
  }
  return { ok: true, url };
}

/**
 * The canonical host a pattern text names. IP literals are taken as the matcher keys them
 * (`fe80::1`, which parseHostPattern only accepts in brackets); everything else goes through
 * parseHostPattern, the same reading the lists got.
 */
function patternHost(text: string): { ok: true; host: string; ip: boolean } | { ok: false; error: string } {
  if (typeof text !== 'string') return { ok: false, error: `${typeof text} is not a pattern` };
  const bare = text.startsWith('.') ? text.slice(1) : text;
  const normalized = bare.includes(':') || /^\d+\.\d+\.\d+\.\d+$/.test(bare) ? normalizeHost(bare) : null;
  if (normalized?.ok && normalized.value.kind !== 'domain') return { ok: true, host: normalized.value.host, ip: true };
  const parsed = parseHostPattern(text);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  // parseHostPattern canonicalises IPv4 spellings such as 0x7f.1 too.
  return { ok: true, host: parsed.value.host, ip: parsed.value.exactHostOnly && !parsed.value.text.startsWith('.') };
}

const DOT = 46;

/**
 * How many labels a pattern already in canonical domain form has (`example.com`, `.example.com`:
 * non-empty labels of a–z, 0–9 and `-`, a letter or hyphen somewhere, so no IPv4 spelling), else
 * 0 and the pattern goes through patternHost. One pass over the characters.
 */
function plainDomainLabels(text: string): number {
  const start = text.charCodeAt(0) === DOT ? 1 : 0;
  let afterDot = true;
  let notNumeric = false;
  let labels = 1;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === DOT) {
      if (afterDot) return 0;
      afterDot = true;
      labels++;
      continue;
    }
    afterDot = false;
    if ((code >= 97 && code <= 122) || code === 45) notNumeric = true;
    else if (code < 48 || code > 57) return 0;
  }
  return afterDot || !notNumeric ? 0 : labels;
}

function labelCount(host: string): number {
  let labels = 1;
  for (let i = 0; i < host.length; i++) if (host.charCodeAt(i) === 46) labels++;
  return labels;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A subdomain of `host` that no list names, so it is decided by `host`'s subdomain patterns alone. */
function probeFor(host: string, patternHosts: { has(host: string): boolean }): string {
  let probe = `${PROBE_LABEL}.${host}`;
  for (let n = 2; patternHosts.has(probe); n++) probe = `${PROBE_LABEL}-${n}.${host}`;
  return probe;
}

/** The closest proper ancestor of `host` among `known`. */
function nearestAncestor(host: string, known: { has(host: string): boolean }): string | undefined {
  for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
    const parent = host.slice(dot + 1);
    if (known.has(parent)) return parent;
  }
  return undefined;
}

function push<V>(slots: (V[] | undefined)[], slot: number, value: V): void {
  const list = slots[slot];
  if (list) list.push(value);
  else slots[slot] = [value];
}

function splitGroup(slot: number): [number, Verdict] {
  return [slot >> 1, slot & 1 ? 'block' : 'allow'];
}

function chunked<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** The unexpressible exact allows that lie in (or are) a domain of this block rule. */
function exclusionsFor(chunk: readonly string[], unexpressibleAllows: readonly string[]): string[] {
  if (unexpressibleAllows.length === 0) return [];
  const domains = new Set(chunk);
  return unexpressibleAllows
    .filter((host) => domains.has(host) || nearestAncestor(host, domains) !== undefined)
    .sort(compareText);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A URL whose host has exactly `labels` labels (optionally a trailing dot), then a port or the
 * path. `navigation` is http(s) and captures the whole URL; `any` accepts ws(s) for API rules.
 */
function shapeRegexes(labels: number): { navigation: string; any: string } {
  const host = labels === 1 ? LABEL : `${LABEL}(?:\\.${LABEL}){${labels - 1}}`;
  return literalRegexes(host, true);
}

/** As shapeRegexes, for a host given as a regex fragment (an escaped literal or a shape). */
function literalRegexes(host: string, trailingDot: boolean): { navigation: string; any: string } {
  const end = `${trailingDot ? '\\.?' : ''}[:/]`;
  return {
    navigation: `^https?://${USERINFO}${host}${end}.*`,
    any: `^[^:]+://${USERINFO}${host}${end}`,
  };
}

const ACTION_ORDER: Record<DnrRuleAction['type'], number> = { allow: 0, redirect: 1, block: 2 };

function compareDrafts(a: Draft, b: Draft): number {
  return a.priority - b.priority || ACTION_ORDER[a.action.type] - ACTION_ORDER[b.action.type] || compareText(a.key, b.key);
}

/** The hosts a draft's rule would have covered (its domains, or the IP literal it is keyed on). */
function hostsOf(draft: Draft): readonly string[] {
  return draft.condition.requestDomains ?? [draft.key];
}

function selectWithinLimits(drafts: readonly Draft[], limits: BlockRuleLimits, problems: string[], leftOut: LeftOutLog): Draft[] {
  const allows = drafts.filter((draft) => draft.purpose === 'allow');
  const regexCount = (list: readonly Draft[]) => list.filter((draft) => draft.condition.regexFilter !== undefined).length;
  if (allows.length > limits.maxRules || regexCount(allows) > limits.maxRegexRules) {
    problems.push(
      `The lists need ${allows.length} exception rules, over the limit of ${limits.maxRules} rules (${limits.maxRegexRules} with a regex); ` +
        'no blocking rules were installed, so blocked pages are not redirected (the in-page warning still shows).',
    );
    leftOut.add('exceptions-over-limit', drafts.filter((draft) => draft.purpose === 'navigation').flatMap(hostsOf));
    return [];
  }
  const chosen = new Set<Draft>(allows);
  let rules = allows.length;
  let regexRules = regexCount(allows);
  const dropped: Record<'navigation' | 'api', Draft[]> = { navigation: [], api: [] };
  for (const purpose of ['navigation', 'api'] as const) {
    for (const draft of drafts) {
      if (draft.purpose !== purpose) continue;
      const regex = draft.condition.regexFilter !== undefined ? 1 : 0;
      if (rules + 1 > limits.maxRules || regexRules + regex > limits.maxRegexRules) {
        dropped[purpose].push(draft);
        continue;
      }
      chosen.add(draft);
      rules++;
      regexRules += regex;
    }
  }
  if (dropped.navigation.length + dropped.api.length > 0) {
    const navigationHosts = dropped.navigation.flatMap(hostsOf);
    const apiHosts = dropped.api.flatMap(hostsOf);
    const named = [...navigationHosts, ...apiHosts].slice(0, MAX_PROBLEMS_PER_KIND).join(', ');
    problems.push(
      `Rule limit reached (${limits.maxRules} rules, ${limits.maxRegexRules} with a regex): ` +
        `${dropped.navigation.length} redirect rule(s) for ${navigationHosts.length} host(s) and ${dropped.api.length} API block rule(s) for ${apiHosts.length} host(s) were left out ` +
        `(${named}${navigationHosts.length + apiHosts.length > MAX_PROBLEMS_PER_KIND ? ', …' : ''}); ` +
        'the hosts they cover are not redirected or blocked (the in-page warning still shows).',
    );
    if (navigationHosts.length > 0) leftOut.add('redirect-over-limit', navigationHosts);
    if (apiHosts.length > 0) leftOut.add('api-block-over-limit', apiHosts);
  }
  return drafts.filter((draft) => chosen.has(draft));
}
