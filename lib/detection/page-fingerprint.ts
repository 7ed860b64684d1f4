/**
 * What a page's own markup and storage say about the gateway software behind it
 * (docs/relay-signals.md §1), turned into scoring signals.
 *
 * The content script collects a `PageFingerprint` (lib/page/fingerprint/collect-fingerprint.ts) and sends
 * it to the background, which validates it (lib/detection/page-fingerprint-schema.ts) before believing any of
 * it: the page controls every string in it, so every string is bounded and the shape is strict.
 * The fingerprint carries no page text beyond a few short bounded fields and no storage values:
 * storage key names only, vocabulary as the matched terms only.
 *
 * The mapping here is pure; the weights live in scoring.ts. Weak signals (route, vocabulary) are
 * produced freely because the score keeps them from ever warning alone.
 */
// No zod here: this module runs in the content script on every page, where every kilobyte and
// every schema built is paid for by ordinary pages. The schema is lib/detection/page-fingerprint-schema.ts.
import type { GatewayFamily, Signal } from './scoring.ts';
import type { PageFingerprint } from './page-fingerprint-schema.ts';
import { FINGERPRINT_LIMITS, RELAY_VOCABULARY, type RelayTerm } from './fingerprint-limits.ts';
import { familyOfBasePath, familyOfTitle } from './gateway-families.ts';

export { FINGERPRINT_LIMITS, RELAY_VOCABULARY, type RelayTerm };

// ---------------------------------------------------------------------------------------------
// Known values from §1 and the gateways' own source.

/** The one-api family's stock `<meta name="description">` (one-api, new-api, one-hub, done-hub). */
export const STOCK_META_DESCRIPTION =
  'OpenAI 接口聚合管理，支持多种渠道包括 Azure，可用于二次分发管理 key，仅单可执行文件，已打包好 Docker 镜像，一键部署，开箱即用';

/**
 * Forks trim or extend the tail of the stock description; its first two clauses are still
 * unmistakable (nobody else writes "接口聚合管理" next to "支持多种渠道包括 Azure").
 */
const STOCK_META_DESCRIPTION_PREFIX = 'OpenAI 接口聚合管理，支持多种渠道包括 Azure';

/** Distinct terms needed before vocabulary counts (a page that says 充值 once is a shop). */
const VOCABULARY_MIN_TERMS = 3;
/** Terms named in a vocabulary signal's detail. */
const VOCABULARY_DETAIL_TERMS = 4;

/**
 * localStorage keys the gateways' SPAs write at start-up (`setStatusData` in one-api / new-api,
 * `loadStatus` in one-hub). The first four are named in §1; the rest are written by the same
 * function and are compound names no ordinary site picks. Generic keys the same code writes
 * (`status`, `user`, `logo`, `chats`, `chat_link`) are left out: plenty of sites use them.
 */
export const GATEWAY_STORAGE_KEYS: ReadonlySet<string> = new Set([
  'system_name',
  'quota_per_unit',
  'display_in_currency',
  'footer_html',
  'quota_display_type',
  'enable_data_export',
  'data_export_default_time',
  'default_collapse_sidebar',
]);
const STORAGE_KEYS_MIN_MATCHES = 2;

interface FooterCredit {
  readonly pattern: RegExp;
  /** Shown instead of the page's text: the page's footer is the page's to write. */
  readonly detail: string;
  readonly family: GatewayFamily;
}

/**
 * Stock footer credits, forks first: new-api's and one-hub's footers also credit One API /
 * JustSong, and the most specific family should win. Patterns run on whitespace-collapsed text
 * and allow the spacing to vary (the credit is built from several elements). "设计与开发由" alone
 * is a generic Chinese phrase ("designed and developed by"), so it counts only before "New API".
 */
const FOOTER_CREDITS: readonly FooterCredit[] = [
  { pattern: /由 ?Calcium-Ion ?开发/i, detail: '由 Calcium-Ion 开发', family: 'new-api' },
  { pattern: /设计与开发由 ?New ?API/i, detail: '设计与开发由 New API', family: 'new-api' },
  { pattern: /由 ?MartialBE ?开发/i, detail: '由 MartialBE 开发', family: 'one-hub' },
  { pattern: /developed by MartialBE/i, detail: 'developed by MartialBE', family: 'one-hub' },
  { pattern: /由 ?JustSong ?构建/i, detail: '由 JustSong 构建', family: 'one-api' },
  { pattern: /built by JustSong/i, detail: 'built by JustSong', family: 'one-api' },
];

/**
 * Dashboard routes: one-api (`/token`, …), new-api (`/console/…`), one-hub (`/panel/…`) and
 * sub2api (`/keys`, `/usage`, `/redeem`). Matched on whole leading path segments, so
 * `/docs/token` or `/tokenomics` is not a route.
 */
const ROUTES_AT_ROOT: ReadonlySet<string> = new Set(['token', 'topup', 'log', 'channel', 'redemption', 'keys', 'usage', 'redeem']);
const ROUTES_UNDER_CONSOLE: ReadonlySet<string> = new Set(['token', 'topup', 'log', 'channel']);
const PANEL_SEGMENT = 'panel';
const CONSOLE_SEGMENT = 'console';

// ---------------------------------------------------------------------------------------------
// The fingerprint: what crosses from the content script to the background.

/**
 * What crosses from the content script to the background. Every string in it is the page's, so
 * every string is bounded (FINGERPRINT_LIMITS). Declared once, as the schema the background
 * checks it with (lib/detection/page-fingerprint-schema.ts); a type-only import, so the page
 * watch that collects fingerprints loads no zod.
 */
export type { PageFingerprint };

// ---------------------------------------------------------------------------------------------
// Fingerprint → signals.

function boundedFingerprint(fp: PageFingerprint): PageFingerprint {
  const text = (value: string | undefined, limit: number) => value?.slice(0, limit * 2);
  return {
    ...fp,
    metaDescription: text(fp.metaDescription, FINGERPRINT_LIMITS.metaDescription),
    servedTitle: text(fp.servedTitle, FINGERPRINT_LIMITS.servedTitle),
    footerText: text(fp.footerText, FINGERPRINT_LIMITS.footerText),
    storageKeys: fp.storageKeys.slice(0, FINGERPRINT_LIMITS.storageKeys).filter((key) => key.length <= FINGERPRINT_LIMITS.storageKeyLength),
    path: fp.path.slice(0, FINGERPRINT_LIMITS.path),
    vocabulary: fp.vocabulary.slice(0, FINGERPRINT_LIMITS.vocabulary),
  };
}

/** Collapses runs of whitespace (including NBSP and ideographic space) and trims. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function withoutWhitespace(text: string): string {
  return text.replace(/\s+/g, '');
}

const STOCK_META_COMPACT = withoutWhitespace(STOCK_META_DESCRIPTION);
const STOCK_META_PREFIX_COMPACT = withoutWhitespace(STOCK_META_DESCRIPTION_PREFIX);

/**
 * Spacing is where copies differ (pretty-printed attributes, a space dropped before "Azure"),
 * so the comparison ignores whitespace entirely; the characters themselves must match.
 */
function metaDescriptionSignal(metaDescription: string | undefined): Signal | undefined {
  if (!metaDescription) return undefined;
  const compact = withoutWhitespace(metaDescription);
  if (compact === STOCK_META_COMPACT) {
    return { id: 'gateway-meta-description', detail: 'one-api', family: 'one-api' };
  }
  if (compact.startsWith(STOCK_META_PREFIX_COMPACT)) {
    return { id: 'gateway-meta-description', detail: 'one-api …', family: 'one-api' };
  }
  return undefined;
}

function statusStorageSignal(statusStorage: PageFingerprint['statusStorage']): Signal | undefined {
  if (!statusStorage?.systemName || !statusStorage.quotaPerUnit) return undefined;
  return { id: 'gateway-status-storage', detail: 'status: system_name, quota_per_unit' };
}

function storageKeysSignal(storageKeys: readonly string[]): Signal | undefined {
  const matched = [...new Set(storageKeys.filter((key) => GATEWAY_STORAGE_KEYS.has(key)))];
  if (matched.length < STORAGE_KEYS_MIN_MATCHES) return undefined;
  // Key names from our own list, so safe to show.
  return { id: 'gateway-storage-keys', detail: matched.slice(0, 4).join(', ') };
}

/**
 * Every credit names one of these (lower-cased); a footer naming none is done with in one pass,
 * without compiling and running each credit's pattern on every ordinary page.
 */
const FOOTER_CREDIT_NAMES = ['calcium-ion', 'new api', 'newapi', 'martialbe', 'justsong'] as const;

function footerCreditSignal(footerText: string | undefined): Signal | undefined {
  if (!footerText) return undefined;
  const text = collapseWhitespace(footerText);
  const lower = text.toLowerCase();
  if (!FOOTER_CREDIT_NAMES.some((name) => lower.includes(name))) return undefined;
  const credit = FOOTER_CREDITS.find(({ pattern }) => pattern.test(text));
  return credit && { id: 'gateway-footer-credit', detail: credit.detail, family: credit.family };
}

/**
 * The title a family ships with, or the suffix its router writes before DOMContentLoaded
 * (lib/detection/gateway-families.ts): the title read at document_end may already be the router's.
 */
function defaultTitleSignal(servedTitle: string | undefined): Signal | undefined {
  if (!servedTitle) return undefined;
  const match = familyOfTitle(collapseWhitespace(servedTitle));
  // The detail is the table's title or suffix as the page wrote it (bounded), safe to show.
  return match && { id: 'gateway-default-title', detail: match.detail, family: match.family };
}

/** The dashboard route a path (with its hash route) is on, in canonical form, if any. */
export function dashboardRoute(path: string): string | undefined {
  const hashAt = path.indexOf('#');
  const pathname = hashAt === -1 ? path : path.slice(0, hashAt);
  const hashRoute = hashAt === -1 ? '' : path.slice(hashAt + 1);
  // A hash router (`/#/token`) puts the route after the '#'; otherwise it is the pathname.
  return routeOf(pathname) ?? (hashRoute.startsWith('/') ? routeOf(hashRoute) : undefined);
}

function routeOf(routePath: string): string | undefined {
  const withoutQuery = routePath.split('?', 1)[0] ?? '';
  const segments = withoutQuery.split('/').filter((segment) => segment !== '');
  const [first, second] = segments.map((segment) => segment.toLowerCase());
  if (first === undefined) return undefined;
  if (ROUTES_AT_ROOT.has(first)) return `/${first}`;
  if (first === CONSOLE_SEGMENT && second !== undefined && ROUTES_UNDER_CONSOLE.has(second)) return `/console/${second}`;
  if (first === PANEL_SEGMENT && second !== undefined) return '/panel/*';
  if (familyOfBasePath(first) !== undefined) return `/${first}/*`;
  return undefined;
}

function routeSignal(path: string): Signal | undefined {
  const route = dashboardRoute(path);
  if (route === undefined) return undefined;
  // A base path is one family's (claude-relay-service's /admin-next/); the other routes are shared.
  const family = route.endsWith('/*') ? familyOfBasePath(route.slice(1, -2)) : undefined;
  return { id: 'gateway-route', detail: route, ...(family && { family }) };
}

/**
 * Counts distinct terms, where a term contained in another matched term does not count again:
 * "模型倍率" on a page is one term, not two (倍率 and 模型倍率).
 */
export function countedVocabulary(terms: readonly RelayTerm[]): RelayTerm[] {
  const distinct = [...new Set(terms)];
  return distinct.filter((term) => !distinct.some((other) => other !== term && other.includes(term)));
}

function vocabularySignal(vocabulary: readonly RelayTerm[]): Signal | undefined {
  const counted = countedVocabulary(vocabulary);
  if (counted.length < VOCABULARY_MIN_TERMS) return undefined;
  return { id: 'relay-vocabulary', detail: counted.slice(0, VOCABULARY_DETAIL_TERMS).join('、') };
}

/**
 * Every signal the fingerprint shows, at most one per signal id, strongest first. The schema
 * bounds a fingerprint that crosses from a page; this bounds it again, so no caller can hand it
 * megabytes: only twice each text limit is read (then collapsed), and the first limits' worth of
 * storage keys, vocabulary and path.
 */
export function signalsFromFingerprint(untrusted: PageFingerprint): Signal[] {
  const fp = boundedFingerprint(untrusted);
  return [
    metaDescriptionSignal(fp.metaDescription),
    statusStorageSignal(fp.statusStorage),
    storageKeysSignal(fp.storageKeys),
    footerCreditSignal(fp.footerText),
    defaultTitleSignal(fp.servedTitle),
    routeSignal(fp.path),
    vocabularySignal(fp.vocabulary),
  ].filter((signal) => signal !== undefined);
}
