import { getDomain } from '../core/public-suffix.cjs';
import { normalizeHost, type NormalizedHost } from '../core/host.ts';
import type { Reason } from '../verdicts/verdict.ts';
import {
  BRAND_ALIASES,
  BRAND_POLICIES,
  COINED,
  fuzzyBound,
  GENERIC_PROVIDER_DOMAINS,
  KEYWORDS,
  KNOWN_DISTINCT_DOMAINS,
  KNOWN_DISTINCT_LABELS,
  MIN_BRAND_LENGTH,
  STRONG,
  WEAK,
  type BrandPolicy,
} from './lookalike-names.ts';
import { boundedDamerauLevenshtein, foldAscii, keywordRun, MAX_LABEL_LENGTH, NON_ASCII, skeleton, type KeywordList } from './lookalike-text.ts';

/**
 * Look-alike detection: does a host imitate an AI vendor from the built-in `official` list
 * (`openal.com`, `anthrop1c.com`, `аpi.openаi.com` in Cyrillic, `openai-proxy.com`)?
 *
 * A finding is a *warning* signal, never a block: fuzzy matching is exactly what caused the
 * collateral blocks other extensions are hated for (docs/relay-signals.md, "Lessons from other
 * site-warning tools"), so every rule below leans towards silence. Never reported: what the
 * official list matches (its hosts and their subdomains), the whole registrable domain of an AI
 * vendor (openai.com, docs.anthropic.com), hosts the caller exempts (vetted intermediaries, allow
 * lists), IPs, loopback and private-network hosts.
 *
 * Everything is derived from the official list once, in `createLookalikeDetector`; `check` runs
 * on every navigation and costs a few set probes and string scans per label, with no allocation
 * in the edit-distance loop. What counts as a brand or a relay word, and why, is in
 * `lookalike-names.ts`; the string work (folding, skeleton, edit distance) in `lookalike-text.ts`.
 * This module stays one file of about 350 lines because its parts are one algorithm: reading a
 * label and checking a host only make sense side by side.
 */

export type LookalikeTechnique = 'edit-distance' | 'character-swap' | 'homoglyph' | 'brand-with-keyword';

export interface LookalikeFinding {
  /** The host as shown to a person: Unicode, plus punycode for IDN (NormalizedHost.display). */
  readonly host: string;
  /** What it imitates: the vendor's registrable domain from the official list, e.g. `openai.com`. */
  readonly imitates: string;
  /**
   * - `edit-distance`: the registrable name is a small typo of a brand (`deepsek.com`, `anthroipc.com`).
   * - `character-swap`: the name equals a brand once look-alike ASCII is folded —
   *   0→o, 1/l/i, 5→s, rn→m, vv→w (`0penai.com`, `c1aude.ai`, `openal.com`, `rnoonshot.ai`).
   * - `homoglyph`: a Unicode label whose confusable skeleton (Cyrillic/Greek/Armenian look-alikes,
   *   full-width forms, diacritics) spells a brand (`openаi.com` with a Cyrillic `а`).
   * - `brand-with-keyword`: a brand joined with relay vocabulary (`openai-proxy.com`,
   *   `api-openai.xyz`, `claudeapi.net`, `openai.relay-hub.xyz`) on a domain that is not the vendor's.
   */
  readonly technique: LookalikeTechnique;
}

export interface LookalikeOptions {
  /**
   * Hosts never reported, with all their subdomains: the vetted intermediaries, the user's and
   * the organisation's allow lists. List-pattern spelling is accepted; a leading dot (exact host
   * in a list) still exempts subdomains here, since silence is the safe side of a warning.
   */
  readonly exemptHosts?: readonly string[];
}

export interface LookalikeDetector {
  check(host: NormalizedHost): LookalikeFinding | null;
  /** The brand labels the detector looks for, sorted (for diagnostics and tests). */
  readonly brands: readonly string[];
}

interface Brand {
  readonly label: string;
  /** foldAscii(label), for character-swap matching. */
  readonly folded: string;
  readonly imitates: string;
  readonly policy: BrandPolicy;
  /** Maximum edit distance for typos; 0 when the brand is not fuzzed. */
  readonly bound: number;
}

interface LabelMatch {
  readonly brand: Brand;
  readonly technique: LookalikeTechnique;
}

interface LabelReading {
  /** The label after the confusable skeleton (the label itself when it is ASCII). */
  readonly text: string;
  /** The skeleton changed the label: it mixes in look-alike characters. */
  readonly homoglyph: boolean;
  /** The brand the label spells exactly, in plain ASCII or through homoglyphs. */
  readonly exact: Brand | null;
  readonly match: LabelMatch | null;
  /** The match is the brand alone, without relay keywords. */
  readonly bare: boolean;
}

function keywordsAllowed(brand: Brand, strength: number): boolean {
  return strength === STRONG || (strength === WEAK && brand.policy.weakKeywords);
}

const KEYWORD_LIST: KeywordList = [...KEYWORDS];
const FOLDED_KEYWORD_LIST: KeywordList = KEYWORD_LIST.map(([word, strength]) => [foldAscii(word), strength] as const);

/** Builds the detector: everything is derived from the official list here, once. */
export function createLookalikeDetector(officialHosts: readonly string[], options: LookalikeOptions = {}): LookalikeDetector {
  const { exempt, brands } = deriveBrands(officialHosts, options.exemptHosts ?? []);
  const reader = new LabelReader(brands);
  return {
    check: (normalized) => checkHost(normalized, exempt, reader),
    brands: brands.map((brand) => brand.label).sort(),
  };
}

/**
 * The brands to look for, and the hosts never reported (with their subdomains): official hosts,
 * the vendors' registrable domains, the caller's exemptions and the known distinct domains.
 */
function deriveBrands(officialHosts: readonly string[], exemptHosts: readonly string[]): { exempt: Set<string>; brands: Brand[] } {
  const exempt = new Set<string>();
  const vendorDomains = new Set<string>();
  const brandsByLabel = new Map<string, Brand>();

  const addBrand = (label: string, imitates: string) => {
    if (label.length < MIN_BRAND_LENGTH || brandsByLabel.has(label)) return;
    const policy = BRAND_POLICIES.get(label) ?? COINED;
    const bound = policy.fuzzy ? fuzzyBound(label.length) : 0;
    brandsByLabel.set(label, { label, folded: foldAscii(label), imitates, policy, bound });
  };

  for (const pattern of officialHosts) {
    const normalized = normalizeHost(pattern.startsWith('.') ? pattern.slice(1) : pattern);
    if (!normalized.ok || normalized.value.kind !== 'domain') continue;
    const { host, registrableDomain } = normalized.value;
    exempt.add(host);
    // Brands come from names registered under ICANN suffixes only: a host under a private suffix
    // (aiplatform.googleapis.com, bedrock-runtime.<region>.amazonaws.com) names a tenant of a
    // platform, and the platform itself is generic.
    const icannDomain = getDomain(host) ?? registrableDomain;
    vendorDomains.add(icannDomain);
    if (icannDomain !== registrableDomain || GENERIC_PROVIDER_DOMAINS.has(icannDomain)) continue;
    // The vendor owns the whole zone (docs.anthropic.com, chat.deepseek.com, openai.com itself).
    // Generic platforms are not exempted as a whole: their zones hold customers' buckets and
    // functions, so only the listed hosts are the vendor's.
    exempt.add(icannDomain);
    const dot = icannDomain.indexOf('.');
    if (dot > 0) addBrand(icannDomain.slice(0, dot), icannDomain);
  }
  for (const { label, vendors } of BRAND_ALIASES) {
    const vendor = vendors.find((domain) => vendorDomains.has(domain));
    if (vendor !== undefined) addBrand(label, vendor);
  }
  for (const pattern of [...exemptHosts, ...KNOWN_DISTINCT_DOMAINS]) {
    const normalized = normalizeHost(pattern.startsWith('.') ? pattern.slice(1) : pattern);
    if (normalized.ok) exempt.add(normalized.value.host);
  }
  return { exempt, brands: [...brandsByLabel.values()] };
}

/** Whether the host or one of its parents is exempt. */
function isExempt(host: string, exempt: ReadonlySet<string>): boolean {
  if (exempt.has(host)) return true;
  for (let i = host.indexOf('.'); i !== -1; i = host.indexOf('.', i + 1)) {
    if (exempt.has(host.slice(i + 1))) return true;
  }
  return false;
}

function alternation(names: Iterable<string>): RegExp {
  return new RegExp([...names].map((name) => name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|') || '(?!)');
}

/**
 * Reads one host label against the brands, with the indexes that make that cheap built once:
 * the brands by name and by folded name, cheap pre-tests, and the rows the edit distance reuses.
 */
class LabelReader {
  readonly #brands: readonly Brand[];
  readonly #byLabel: ReadonlyMap<string, Brand>;
  readonly #byFolded: ReadonlyMap<string, Brand>;
  readonly #fuzzyBrands: readonly Brand[];
  /** Cheap pre-tests: most labels contain no brand at all. */
  readonly #anyBrand: RegExp;
  readonly #anyFoldedBrand: RegExp;
  readonly #rows: [Int32Array, Int32Array, Int32Array];

  constructor(brands: readonly Brand[]) {
    this.#brands = brands;
    this.#byLabel = new Map(brands.map((brand) => [brand.label, brand]));
    const byFolded = new Map<string, Brand>();
    for (const brand of brands) if (!byFolded.has(brand.folded)) byFolded.set(brand.folded, brand);
    this.#byFolded = byFolded;
    this.#fuzzyBrands = brands.filter((brand) => brand.bound > 0);
    this.#anyBrand = alternation(this.#byLabel.keys());
    this.#anyFoldedBrand = alternation(byFolded.keys());
    const longest = Math.max(0, ...this.#fuzzyBrands.map((brand) => brand.label.length));
    this.#rows = [new Int32Array(longest + 1), new Int32Array(longest + 1), new Int32Array(longest + 1)];
  }

  /**
   * What a single label spells on its own: the exact brand (`exact`), or a look-alike match;
   * `bare` when the match is the brand alone (no keywords), e.g. `0penai` or `openаi`.
   */
  read(label: string): LabelReading | null {
    let text = label;
    let homoglyph = false;
    if (NON_ASCII.test(label)) {
      text = skeleton(label);
      homoglyph = text !== label;
    }
    const reading = (exact: Brand | null, brand: Brand | null, technique: LookalikeTechnique, bare: boolean): LabelReading | null =>
      exact === null && brand === null && !homoglyph && text === label
        ? null
        : { text, homoglyph, exact, match: brand === null ? null : { brand, technique }, bare };

    const exact = this.#byLabel.get(text) ?? null;
    if (exact !== null) return reading(exact, homoglyph ? exact : null, 'homoglyph', true);
    const withKeywords = this.#brandWithKeywords(text, 'label', KEYWORD_LIST);
    if (withKeywords !== null) return reading(null, withKeywords, homoglyph ? 'homoglyph' : 'brand-with-keyword', false);
    if (KNOWN_DISTINCT_LABELS.has(text)) return reading(null, null, 'character-swap', false);
    // The label folded must equal the folded brand; it is not the brand itself (checked above),
    // so some look-alike character was swapped — on either side (`openal` for `openai`).
    const folded = foldAscii(text);
    const technique = homoglyph ? 'homoglyph' : 'character-swap';
    const swapped = this.#byFolded.get(folded);
    if (swapped !== undefined) return reading(null, swapped, technique, true);
    const swappedWithKeywords = this.#brandWithKeywords(folded, 'folded', FOLDED_KEYWORD_LIST);
    if (swappedWithKeywords !== null) return reading(null, swappedWithKeywords, technique, false);
    return reading(null, null, 'character-swap', false);
  }

  /** A typo of a fuzzed brand, alone or as one hyphen-separated part next to keywords. */
  typoOf(label: string): Brand | null {
    if (this.#fuzzyBrands.length === 0 || KNOWN_DISTINCT_LABELS.has(label)) return null;
    if (label.length > MAX_LABEL_LENGTH) return null;
    const parts = label.includes('-') ? label.split('-') : null;
    for (const brand of this.#fuzzyBrands) {
      if (mayBeTypo(label, brand) && boundedDamerauLevenshtein(label, brand.label, brand.bound, this.#rows) <= brand.bound) return brand;
      if (parts === null) continue;
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i]!;
        if (KNOWN_DISTINCT_LABELS.has(part) || !mayBeTypo(part, brand)) continue;
        if (boundedDamerauLevenshtein(part, brand.label, brand.bound, this.#rows) > brand.bound) continue;
        const rest = parts.filter((_, j) => j !== i).join('');
        if (rest !== '' && keywordRun(rest, KEYWORD_LIST) !== 0) return brand;
      }
    }
    return null;
  }

  /** `label` = keywords + brand + keywords (at least one keyword), by brand key `key`. */
  #brandWithKeywords(label: string, key: 'label' | 'folded', vocabulary: KeywordList): Brand | null {
    if (!(key === 'label' ? this.#anyBrand : this.#anyFoldedBrand).test(label)) return null;
    for (const brand of this.#brands) {
      const name = brand[key];
      if (name.length >= label.length) continue;
      for (let at = label.indexOf(name); at !== -1; at = label.indexOf(name, at + 1)) {
        const before = label.slice(0, at);
        const after = label.slice(at + name.length);
        const runBefore = before === '' || before === '-' ? -1 : keywordRun(before, vocabulary);
        const runAfter = after === '' || after === '-' ? -1 : keywordRun(after, vocabulary);
        if (runBefore === 0 || runAfter === 0 || (runBefore === -1 && runAfter === -1)) continue;
        if (keywordsAllowed(brand, Math.max(runBefore, runAfter))) return brand;
      }
    }
    return null;
  }
}

/**
 * Each insertion or substitution brings in at most one character, so a label with more
 * characters foreign to the brand than the bound allows is no typo of it.
 */
function mayBeTypo(label: string, brand: Brand): boolean {
  if (Math.abs(label.length - brand.label.length) > brand.bound) return false;
  let foreign = 0;
  for (let i = 0; i < label.length; i++) {
    if (brand.label.indexOf(label[i]!) === -1 && ++foreign > brand.bound) return false;
  }
  return true;
}

function finding(host: NormalizedHost, { brand, technique }: LabelMatch): LookalikeFinding {
  return { host: host.display, imitates: brand.imitates, technique };
}

/** The whole check of one host: its registrable name first, then its subdomain labels. */
function checkHost(normalized: NormalizedHost, exempt: ReadonlySet<string>, reader: LabelReader): LookalikeFinding | null {
  if (normalized.kind !== 'domain' || normalized.scope !== 'public') return null;
  const { host, registrableDomain } = normalized;
  if (isExempt(host, exempt)) return null;

  const labels = (host.includes('xn--') ? normalized.unicode : host).split('.');
  let registrableLabels = 1;
  for (let i = 0; i < registrableDomain.length; i++) if (registrableDomain.charCodeAt(i) === 46) registrableLabels++;
  const nameIndex = labels.length - registrableLabels;
  if (nameIndex < 0 || registrableLabels < 2) return null; // a bare public suffix

  return checkRegistrableName(normalized, labels[nameIndex]!, reader) ?? checkSubdomains(normalized, labels, nameIndex, reader);
}

/** The registrable name (`openai-proxy` in api.openai-proxy.com). */
function checkRegistrableName(normalized: NormalizedHost, nameLabel: string, reader: LabelReader): LookalikeFinding | null {
  const name = reader.read(nameLabel);
  if (name?.match) return finding(normalized, name.match);
  if (name !== null) return null;
  // The exact brand on another suffix (claude.com, siliconflow.com, moonshot.com) is not
  // reported: vendors own many suffixes the list does not name. Typos of the name are, except
  // for tenants of private suffixes (anthropics.github.io is Anthropic's GitHub org).
  const typo = reader.typoOf(nameLabel);
  if (typo !== null && getDomain(normalized.host) === normalized.registrableDomain) {
    return finding(normalized, { brand: typo, technique: 'edit-distance' });
  }
  return null;
}

/**
 * Subdomain labels (`openai` in openai.relay-hub.xyz). A brand with keywords or a homoglyph is
 * reported on its own. A bare brand, or its bare character swap, only next to a label made of
 * strong relay keywords: anthropic.helicone.ai, openai.zendesk.com and openal.sourceforge.net
 * stay quiet, api.openai.com.example.xyz does not.
 */
function checkSubdomains(normalized: NormalizedHost, labels: readonly string[], nameIndex: number, reader: LabelReader): LookalikeFinding | null {
  if (nameIndex === 0) return null;
  let strongContext: boolean | undefined;
  const inStrongContext = (): boolean =>
    (strongContext ??= labels.some((label, i) => i <= nameIndex && keywordRun(label, KEYWORD_LIST) === STRONG));
  for (let i = nameIndex - 1; i >= 0; i--) {
    const sub = reader.read(labels[i]!);
    if (sub === null) continue;
    if (sub.match !== null && (sub.match.technique !== 'character-swap' || !sub.bare || inStrongContext())) {
      return finding(normalized, sub.match);
    }
    if (sub.exact !== null && inStrongContext()) {
      return finding(normalized, { brand: sub.exact, technique: 'brand-with-keyword' });
    }
  }
  return null;
}

/**
 * The look-alike check as TabVerdicts consumes it: host text in, a reason out. The reason shows
 * the host as displayed (Unicode and punycode) and the vendor it imitates, and never argues for
 * more than `unvetted` (look-alike matching warns, it never blocks: docs/relay-signals.md, "Lessons").
 */
export function lookalikeCheck(detector: LookalikeDetector): (host: string) => Reason | null {
  return (host) => {
    const normalized = normalizeHost(host);
    if (!normalized.ok) return null;
    const finding = detector.check(normalized.value);
    return finding && { kind: 'lookalike', level: 'unvetted', source: finding.host, detail: finding.imitates };
  };
}
