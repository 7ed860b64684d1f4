/**
 * The relay gateways' traits, one row per family (docs/relay-signals.md §6), and the one matcher
 * that turns what the browser sees into signals from them. Every trait here survives a rebrand
 * the way operators rebrand (site name, logo, title, description and footer set in the admin
 * settings): they are the front end's own same-origin start-up calls, the title its router
 * writes, the base path it is served under, and the route its status probe answers on.
 *
 * Adding a family, or a trait of one, is adding data to FAMILY_TRAITS; nothing else changes.
 * Everything here runs on page-controlled input (request paths, titles), so each input is cut
 * to a fixed length before it is looked at, and each lookup is one Map or Set probe.
 */
import type { GatewayFamily, Signal } from './scoring.ts';

/** A call the gateway's front end makes to its own origin as it starts (a `GET` of this exact path). */
export interface StartupCall {
  readonly path: string;
  /**
   * A path nobody else's app is likely to call (`/apiStats/service-rates`): scored as
   * `gateway-api-call`. A common one (`/api/status`) is scored as `gateway-common-api-call`,
   * enough to ask the status probe but never to warn with only weak signals beside it.
   */
  readonly distinctive: boolean;
}

export interface FamilyTraits {
  readonly family: GatewayFamily;
  /** The served `<title>` values it ships with (compared trimmed, lower-cased). */
  readonly servedTitles: readonly string[];
  /** What its router appends to every title before DOMContentLoaded (compared as written). */
  readonly titleSuffixes: readonly string[];
  readonly startupCalls: readonly StartupCall[];
  /** The path its front end is served under (a leading segment, compared lower-cased). */
  readonly basePaths: readonly string[];
  /** Its login-free route whose answer's shape lib/detection/status-probe.ts recognises. */
  readonly statusRoute?: string;
}

const ONE_API_FAMILY_CALLS: readonly StartupCall[] = [
  { path: '/api/status', distinctive: false },
  { path: '/api/notice', distinctive: false },
  { path: '/api/home_page_content', distinctive: true },
];

/** The table. Order matters only for titles and paths two families share: the first row names it. */
export const FAMILY_TRAITS: readonly FamilyTraits[] = [
  { family: 'one-api', servedTitles: ['one api'], titleSuffixes: [], startupCalls: ONE_API_FAMILY_CALLS, basePaths: [], statusRoute: '/api/status' },
  { family: 'new-api', servedTitles: ['new api'], titleSuffixes: [], startupCalls: ONE_API_FAMILY_CALLS, basePaths: [], statusRoute: '/api/status' },
  { family: 'veloera', servedTitles: ['veloera'], titleSuffixes: [], startupCalls: ONE_API_FAMILY_CALLS, basePaths: [], statusRoute: '/api/status' },
  { family: 'one-hub', servedTitles: ['one hub'], titleSuffixes: [], startupCalls: [{ path: '/api/status', distinctive: false }], basePaths: [], statusRoute: '/api/status' },
  { family: 'done-hub', servedTitles: ['done hub'], titleSuffixes: [], startupCalls: [{ path: '/api/status', distinctive: false }], basePaths: [], statusRoute: '/api/status' },
  {
    family: 'sub2api',
    servedTitles: ['sub2api - ai api gateway'],
    // Its router's beforeEach writes `${route title} - Sub2API` (and plain `Sub2API`) before the
    // app mounts; the site name from the admin settings goes into a different title later.
    titleSuffixes: [' - Sub2API'],
    startupCalls: [
      { path: '/setup/status', distinctive: true },
      { path: '/api/v1/settings/public', distinctive: true },
    ],
    basePaths: [],
    statusRoute: '/api/v1/settings/public',
  },
  {
    family: 'claude-relay-service',
    servedTitles: ['claude relay service - 管理后台'],
    titleSuffixes: [],
    startupCalls: [
      { path: '/admin/oem-settings', distinctive: true },
      { path: '/apiStats/service-rates', distinctive: true },
      { path: '/apiStats/models', distinctive: true },
    ],
    basePaths: ['admin-next'],
    statusRoute: '/admin/oem-settings',
  },
];

// ---------------------------------------------------------------------------------------------
// Indexes built once from the table.

interface CallTrait {
  readonly path: string;
  readonly distinctive: boolean;
  /** Only when exactly one family makes this call. */
  readonly family?: GatewayFamily;
}

function indexCalls(table: readonly FamilyTraits[]): ReadonlyMap<string, CallTrait> {
  const families = new Map<string, { distinctive: boolean; families: Set<GatewayFamily> }>();
  for (const row of table) {
    for (const call of row.startupCalls) {
      const known = families.get(call.path) ?? { distinctive: call.distinctive, families: new Set<GatewayFamily>() };
      known.families.add(row.family);
      families.set(call.path, known);
    }
  }
  return new Map(
    [...families].map(([path, { distinctive, families: named }]) => {
      const only = named.size === 1 ? [...named][0] : undefined;
      return [path, { path, distinctive, ...(only && { family: only }) }];
    }),
  );
}

function firstFamilyBy(table: readonly FamilyTraits[], values: (row: FamilyTraits) => readonly string[]): ReadonlyMap<string, GatewayFamily> {
  const index = new Map<string, GatewayFamily>();
  for (const row of table) for (const value of values(row)) if (!index.has(value)) index.set(value, row.family);
  return index;
}

const CALLS = indexCalls(FAMILY_TRAITS);
const SERVED_TITLES = firstFamilyBy(FAMILY_TRAITS, (row) => row.servedTitles);
const TITLE_SUFFIXES = [...firstFamilyBy(FAMILY_TRAITS, (row) => row.titleSuffixes)];
const BASE_PATHS = firstFamilyBy(FAMILY_TRAITS, (row) => row.basePaths);

/** The status routes the probe asks, most deployed family first, each once. */
export const STATUS_ROUTES: readonly string[] = [...new Set(FAMILY_TRAITS.flatMap((row) => (row.statusRoute ? [row.statusRoute] : [])))];

/** Whether a request path is one the status probe asks (a trailing slash ignored). */
export function isStatusRoute(pathname: string): boolean {
  return STATUS_ROUTES.includes(pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname);
}

/** Longest start-up path in the table; a longer request path cannot be one. */
const LONGEST_CALL_PATH = Math.max(...[...CALLS.keys()].map((path) => path.length));
/** Titles and suffixes are short; a page's title is read this far at most. */
export const MAX_TITLE_CHARS = 200;

// ---------------------------------------------------------------------------------------------
// The matcher.

/**
 * The signal a request the page made to its own origin gives, if its path is a family's start-up
 * call. The caller has already checked it is the page's own origin, a `GET`, from the top frame
 * and made by script (fetch or XHR): a link or an image to `/api/status` is not the app starting.
 * `pathname` is the URL's path without query; a trailing slash is ignored, case is not (routes
 * are case-sensitive in these servers).
 */
export function signalFromStartupCall(pathname: string): Signal | undefined {
  // One length check before any work: almost every request of an ordinary page ends here.
  if (pathname.length > LONGEST_CALL_PATH + 1) return undefined;
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  const call = CALLS.get(path);
  if (!call) return undefined;
  return {
    id: call.distinctive ? 'gateway-api-call' : 'gateway-common-api-call',
    detail: `GET ${call.path}`,
    ...(call.family && { family: call.family }),
  };
}

/** Whether a path could be a start-up call at all: the request observer's cheap first test. */
export function mayBeStartupCall(pathname: string): boolean {
  return pathname.length <= LONGEST_CALL_PATH + 1 && pathname.startsWith('/') && CALLS.has(pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname);
}

/**
 * The family whose title this is: a served title it ships with, or the suffix its router
 * writes. `title` is whitespace-collapsed by the caller; only MAX_TITLE_CHARS of it are read.
 */
export function familyOfTitle(title: string): { family: GatewayFamily; detail: string } | undefined {
  const bounded = title.slice(0, MAX_TITLE_CHARS);
  const served = SERVED_TITLES.get(bounded.toLowerCase());
  if (served) return { family: served, detail: bounded };
  for (const [suffix, family] of TITLE_SUFFIXES) {
    // The suffix after something: a page titled just " - Sub2API" is not the router's work.
    if (bounded.length > suffix.length && bounded.endsWith(suffix)) return { family, detail: `… ${suffix.trim()}` };
  }
  return undefined;
}

/** The family whose base path a page's first path segment is (claude-relay-service's `/admin-next/`). */
export function familyOfBasePath(firstSegment: string): GatewayFamily | undefined {
  return firstSegment.length > 64 ? undefined : BASE_PATHS.get(firstSegment.toLowerCase());
}
