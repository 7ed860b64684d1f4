import { getDomain } from 'tldts';
import { normalizeHost, type NormalizedHost } from '../core/host.ts';
import type { Reason } from '../verdicts/verdict.ts';

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
 * in the edit-distance loop (about 1 µs per host; see the performance test).
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

// ---------------------------------------------------------------------------------------------
// Which brands are worth fuzzing
// ---------------------------------------------------------------------------------------------

/**
 * Registrable domains in the official list that belong to general cloud platforms, not to an AI
 * brand: the AI service is one subdomain among thousands (generativelanguage.googleapis.com,
 * bedrock-runtime.*.amazonaws.com, dashscope.aliyuncs.com). Their names are not what a relay
 * imitates, and fuzzing `google`, `amazon`, `baidu` or `azure` would flag a large part of the web
 * (`goggle`, `amazin`, `baidoo`) for a problem Safe Browsing already covers. They stay exempt
 * (their hosts are the vendor's) but yield no brand; the AI brand names of these vendors come
 * in through BRAND_ALIASES instead (`gemini`, `qwen`).
 */
const GENERIC_PROVIDER_DOMAINS: ReadonlySet<string> = new Set([
  'google.com', 'googleapis.com', 'azure.com', 'amazonaws.com', 'amazon.com',
  'aliyuncs.com', 'aliyun.com', 'baidubce.com', 'baidu.com', 'tencentcloudapi.com', 'tencent.com',
  'volces.com', 'volcengine.com',
]);

/**
 * Brands shorter than this are not looked for at all: `x` (x.ai) and `z` (z.ai) are one letter,
 * and any technique would find them inside half the web. Brands of this length up to
 * FUZZY_MIN_LENGTH - 1 (`groq`, `qwen`) are only matched exactly (homoglyph, character swap,
 * brand with keyword): one edit of a four-letter word is usually another word (`grok`, `grow`).
 */
const MIN_BRAND_LENGTH = 4;
/** Edit distance 1 for brands of at least 5 characters, 2 from 9 characters. */
const FUZZY_MIN_LENGTH = 5;
const FUZZY_DISTANCE_2_LENGTH = 9;

interface BrandPolicy {
  /** Edit-distance matching of the registrable name (typos). */
  readonly fuzzy: boolean;
  /** Whether weak keywords (hub, free, cn, mirror) suffice, or a strong one (api, proxy, relay) is needed. */
  readonly weakKeywords: boolean;
}

const COINED: BrandPolicy = { fuzzy: true, weakKeywords: true };
/**
 * Brands that are ordinary words or names: `together`, `fireworks`, `cohere`, `moonshot`,
 * `mistral` (a wind), `perplexity`, `minimax` (an algorithm), `bigmodel` ("big model"; one edit
 * away is `bigmode`, a games publisher), `gemini` (a star sign, a crypto exchange), `baichuan`
 * (pinyin "hundred rivers"). One edit away from them are other words (`coherent`, `moonshots`) and
 * shops, bands and projects use them with `hub` or `free`, so they get no edit distance and need
 * a strong relay keyword (`moonshot-api.com` yes, `fireworks-hub.com` no). Homoglyphs and
 * character swaps still count: nobody spells an ordinary word with a Cyrillic `о` or a `0`.
 */
const ORDINARY_WORD: BrandPolicy = { fuzzy: false, weakKeywords: false };
/**
 * `claude` is a first name (`clause.io` is one edit away, `claude.com` is Anthropic's own) and
 * `chatgpt` names a product on many unlisted OpenAI domains (chatgpt.com) and in countless
 * third-party site names, so neither is fuzzed; but both are used almost only for the AI product
 * now, so weak keywords count (`chatgpt-free`, `claude-cn` are the classic mirror-site names).
 */
const PRODUCT_NAME: BrandPolicy = { fuzzy: false, weakKeywords: true };

const BRAND_POLICIES: ReadonlyMap<string, BrandPolicy> = new Map([
  ['together', ORDINARY_WORD], ['fireworks', ORDINARY_WORD], ['cohere', ORDINARY_WORD],
  ['moonshot', ORDINARY_WORD], ['mistral', ORDINARY_WORD], ['perplexity', ORDINARY_WORD],
  ['minimax', ORDINARY_WORD], ['bigmodel', ORDINARY_WORD], ['gemini', ORDINARY_WORD],
  ['baichuan', ORDINARY_WORD],
  ['claude', PRODUCT_NAME], ['chatgpt', PRODUCT_NAME], ['qwen', PRODUCT_NAME],
]);

/**
 * Product names that are not a registrable name in the official list but are what relays
 * actually put in their domains. Each is active only when one of its vendor domains is in the
 * official list, and imitates the first of them that is.
 * - `chatgpt` → openai.com: OpenAI's consumer product; chatgpt.com is OpenAI's own but unlisted.
 * - `claude` → claude.ai / anthropic.com: already a registrable name (claude.ai); kept here so a
 *   list without claude.ai still knows it.
 * - `gemini` → google.com / googleapis.com: Google's model family; `google` itself is generic.
 * - `qwen` → aliyun.com / aliyuncs.com: Alibaba's model family served by DashScope.
 * - `baichuan` → baichuan-ai.com: the vendor's name without the `-ai` of its domain.
 */
const BRAND_ALIASES: readonly { readonly label: string; readonly vendors: readonly string[] }[] = [
  { label: 'chatgpt', vendors: ['openai.com'] },
  { label: 'claude', vendors: ['claude.ai', 'anthropic.com'] },
  { label: 'gemini', vendors: ['google.com', 'googleapis.com'] },
  { label: 'qwen', vendors: ['aliyun.com', 'aliyuncs.com'] },
  { label: 'baichuan', vendors: ['baichuan-ai.com'] },
];

/**
 * Established names one edit (or one folded character) away from a brand, never reported as
 * edit-distance or character-swap look-alikes wherever they are registered: OpenAPI (the API
 * description standard: openapis.org, openapi.tools), Open Air festivals, OpenEI (the US
 * energy-data wiki openei.org), OpenAM (access management), Open UI (W3C community group),
 * and the English words within two edits of `anthropic`: anthropos (Greek "human", journals and
 * anthropology sites), anthropoid, entropic (found by running a 130,000-word dictionary through
 * the detector). Brand-with-keyword and homoglyph rules still apply to them.
 */
const KNOWN_DISTINCT_LABELS: ReadonlySet<string> = new Set([
  'openapi', 'openair', 'openei', 'openam', 'openui', 'anthropos', 'anthropoid', 'entropic',
]);

/**
 * Established sites whose name is a look-alike by every rule, exempt as domains only.
 * openal.org is OpenAL, the cross-platform audio API (Creative Labs, since 2000), whose name
 * differs from `openai` by l↔i. The name itself stays flagged elsewhere (`openal.com`,
 * `api.openal.xyz`): in lower-case sans-serif `openal` and `openai` differ by one dot, which is
 * exactly what a squatter counts on, and a look-alike finding only warns.
 */
const KNOWN_DISTINCT_DOMAINS: readonly string[] = ['openal.org'];

// ---------------------------------------------------------------------------------------------
// Relay vocabulary
// ---------------------------------------------------------------------------------------------

type KeywordStrength = 1 | 2;
const WEAK: KeywordStrength = 1;
const STRONG: KeywordStrength = 2;

/**
 * Words relays put next to a brand. Strong words say "this is an API endpoint in front of the
 * vendor" and count for every brand; weak words (mirror, hub, free, region codes) are everyday
 * vocabulary and count only for coined brands (`openai-hub`, `deepseek-cn`). `ai` is deliberately
 * absent: vendors use it themselves (baichuan-ai.com, the deepseek-ai and mistralai GitHub orgs).
 */
const KEYWORDS: ReadonlyMap<string, KeywordStrength> = new Map([
  ['api', STRONG], ['apis', STRONG], ['proxy', STRONG], ['relay', STRONG], ['gateway', STRONG],
  ['zhongzhuan', STRONG], ['中转', STRONG], ['代理', STRONG],
  ['mirror', WEAK], ['镜像', WEAK], ['hub', WEAK], ['free', WEAK], ['免费', WEAK], ['cn', WEAK], ['hk', WEAK],
  // A vendor's console is where its keys are made: `openai-platform.com` and `anthropic-console.net`
  // imitate the page people paste keys into.
  ['console', WEAK], ['platform', WEAK], ['login', WEAK], ['signin', WEAK], ['dashboard', WEAK],
]);

// ---------------------------------------------------------------------------------------------
// Character folding
// ---------------------------------------------------------------------------------------------

/**
 * ASCII look-alikes folded for `character-swap`: digits for letters and letter pairs that render
 * as one letter. The folded form is only compared with the folded brand, so `l` as the class
 * representative of 1/l/i is arbitrary.
 */
const FOLDABLE = /[015i]|rn|vv/;

function foldAscii(label: string): string {
  if (!FOLDABLE.test(label)) return label;
  let out = '';
  for (let i = 0; i < label.length; i++) {
    const char = label[i]!;
    const next = label[i + 1];
    if (char === 'r' && next === 'n') {
      out += 'm';
      i++;
    } else if (char === 'v' && next === 'v') {
      out += 'w';
      i++;
    } else if (char === '0') out += 'o';
    else if (char === '1' || char === 'i') out += 'l';
    else if (char === '5') out += 's';
    else out += char;
  }
  return out;
}

/**
 * Confusable skeleton (after Unicode TS #39, reduced to the characters used in practice against
 * Latin brand names): Cyrillic, Greek, Armenian and Latin-extension look-alikes map to the Latin
 * letter they imitate; full-width forms to ASCII (IDNA already maps them in hosts that came
 * through normalizeHost; kept for any other caller); diacritics are dropped (NFD, then combining
 * marks removed), since a brand name never carries them. Anything else is kept, so a genuine
 * non-Latin label never spells a Latin brand.
 */
const CONFUSABLES: ReadonlyMap<string, string> = new Map(Object.entries({
  // Cyrillic
  'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j',
  'ѕ': 's', 'ԁ': 'd', 'ӏ': 'l', 'һ': 'h', 'ԛ': 'q', 'ԝ': 'w', 'ѵ': 'v', 'ү': 'y', 'к': 'k', 'ԍ': 'g',
  // Greek
  'ο': 'o', 'ν': 'v', 'α': 'a', 'ι': 'i', 'κ': 'k', 'ρ': 'p', 'υ': 'u', 'χ': 'x', 'ε': 'e',
  'γ': 'y', 'η': 'n', 'ϲ': 'c', 'ϳ': 'j', 'τ': 't', 'ω': 'w',
  // Armenian
  'օ': 'o', 'ս': 'u', 'հ': 'h', 'ց': 'g', 'զ': 'q', 'ո': 'n',
  // Cherokee
  'ꮃ': 'w',
  // Latin extensions, IPA and small capitals
  'ɑ': 'a', 'ɡ': 'g', 'ı': 'i', 'ɩ': 'i', 'ȷ': 'j', 'ʟ': 'l', 'ɪ': 'i', 'ᴏ': 'o', 'ł': 'l',
}));

function skeleton(label: string): string {
  let out = '';
  for (const char of label.normalize('NFD')) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x300 && code <= 0x36f) continue; // combining diacritical mark
    if (code >= 0xff01 && code <= 0xff5e) {
      out += String.fromCharCode(code - 0xfee0).toLowerCase(); // full-width ASCII
      continue;
    }
    out += CONFUSABLES.get(char) ?? char;
  }
  // Recompose what NFD split without a mark to drop (Hangul), so only real folding shows.
  return out.normalize('NFC');
}

const NON_ASCII = /[^\x00-\x7f]/;

// ---------------------------------------------------------------------------------------------
// Edit distance
// ---------------------------------------------------------------------------------------------

const MAX_LABEL_LENGTH = 63;

/**
 * Damerau–Levenshtein distance (optimal string alignment: insertions, deletions, substitutions,
 * adjacent transpositions), abandoned as soon as it must exceed `bound`; returns bound + 1 then.
 * `rows` is three reusable rows of at least b.length + 1 cells, so a check allocates nothing.
 */
function boundedDamerauLevenshtein(a: string, b: string, bound: number, rows: readonly [Int32Array, Int32Array, Int32Array]): number {
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  let [twoBack, previous, current] = rows;
  const width = b.length + 1;
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    const aPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j < width; j++) {
      const bj = b.charCodeAt(j - 1);
      let value = previous[j - 1]! + (ai === bj ? 0 : 1);
      const deletion = previous[j]! + 1;
      if (deletion < value) value = deletion;
      const insertion = current[j - 1]! + 1;
      if (insertion < value) value = insertion;
      if (j > 1 && ai === b.charCodeAt(j - 2) && aPrev === bj && twoBack[j - 2]! + 1 < value) value = twoBack[j - 2]! + 1;
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > bound) return bound + 1;
    const spare = twoBack;
    twoBack = previous;
    previous = current;
    current = spare;
  }
  return Math.min(previous[b.length]!, bound + 1);
}

function fuzzyBound(brandLength: number): number {
  if (brandLength >= FUZZY_DISTANCE_2_LENGTH) return 2;
  if (brandLength >= FUZZY_MIN_LENGTH) return 1;
  return 0;
}

// ---------------------------------------------------------------------------------------------
// The detector
// ---------------------------------------------------------------------------------------------

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

type KeywordList = readonly (readonly [word: string, strength: KeywordStrength])[];

/** A keyword run: the whole string (hyphens aside) is relay keywords; 0 when it is not. */
function keywordRun(text: string, keywords: KeywordList): 0 | KeywordStrength {
  const s = text.includes('-') ? text.replace(/-/g, '') : text;
  if (s === '' || s.length > MAX_LABEL_LENGTH) return 0;
  // best[i]: strongest keyword run covering s[i..]; -1 when s[i..] is no run.
  const best = new Int8Array(s.length + 1).fill(-1);
  best[s.length] = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    for (const [word, strength] of keywords) {
      const rest = best[i + word.length];
      if (rest !== undefined && rest >= 0 && s.startsWith(word, i)) {
        best[i] = Math.max(best[i]!, strength, rest);
      }
    }
  }
  const run = best[0]!;
  return run <= 0 ? 0 : (run as KeywordStrength);
}

function keywordsAllowed(brand: Brand, strength: number): boolean {
  return strength === STRONG || (strength === WEAK && brand.policy.weakKeywords);
}

export function createLookalikeDetector(officialHosts: readonly string[], options: LookalikeOptions = {}): LookalikeDetector {
  // Hosts never reported (with their subdomains): official hosts, the vendors' registrable domains,
  // the caller's exemptions and the known distinct domains. One set, probed once per label.
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
  for (const pattern of [...(options.exemptHosts ?? []), ...KNOWN_DISTINCT_DOMAINS]) {
    const normalized = normalizeHost(pattern.startsWith('.') ? pattern.slice(1) : pattern);
    if (normalized.ok) exempt.add(normalized.value.host);
  }

  const brands = [...brandsByLabel.values()];
  const fuzzyBrands = brands.filter((brand) => brand.bound > 0);
  const brandsByFolded = new Map<string, Brand>();
  for (const brand of brands) if (!brandsByFolded.has(brand.folded)) brandsByFolded.set(brand.folded, brand);
  const longestBrand = Math.max(0, ...fuzzyBrands.map((brand) => brand.label.length));
  const rows: [Int32Array, Int32Array, Int32Array] = [
    new Int32Array(longestBrand + 1), new Int32Array(longestBrand + 1), new Int32Array(longestBrand + 1),
  ];
  const alternation = (names: Iterable<string>) =>
    new RegExp([...names].map((name) => name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|') || '(?!)');
  /** Cheap pre-tests: most labels contain no brand at all. */
  const anyBrand = alternation(brandsByLabel.keys());
  const anyFoldedBrand = alternation(brandsByFolded.keys());
  /**
   * Each insertion or substitution brings in at most one character, so a label with more
   * characters foreign to the brand than the bound allows is no typo of it.
   */
  const mayBeTypo = (label: string, brand: Brand): boolean => {
    if (Math.abs(label.length - brand.label.length) > brand.bound) return false;
    let foreign = 0;
    for (let i = 0; i < label.length; i++) {
      if (brand.label.indexOf(label[i]!) === -1 && ++foreign > brand.bound) return false;
    }
    return true;
  };
  const keywords: KeywordList = [...KEYWORDS];
  const foldedKeywords: KeywordList = keywords.map(([word, strength]) => [foldAscii(word), strength] as const);

  const isExempt = (host: string): boolean => {
    if (exempt.has(host)) return true;
    for (let i = host.indexOf('.'); i !== -1; i = host.indexOf('.', i + 1)) {
      if (exempt.has(host.slice(i + 1))) return true;
    }
    return false;
  };

  /** `label` = keywords + brand + keywords (at least one keyword), by brand key `key`. */
  const brandWithKeywords = (label: string, key: 'label' | 'folded', vocabulary: KeywordList): Brand | null => {
    if (!(key === 'label' ? anyBrand : anyFoldedBrand).test(label)) return null;
    for (const brand of brands) {
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
  };

  /**
   * What a single label spells on its own: the exact brand (`exact`), or a look-alike match;
   * `bare` when the match is the brand alone (no keywords), e.g. `0penai` or `openаi`.
   */
  const readLabel = (label: string): LabelReading | null => {
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

    const exact = brandsByLabel.get(text) ?? null;
    if (exact !== null) return reading(exact, homoglyph ? exact : null, 'homoglyph', true);
    const withKeywords = brandWithKeywords(text, 'label', keywords);
    if (withKeywords !== null) return reading(null, withKeywords, homoglyph ? 'homoglyph' : 'brand-with-keyword', false);
    if (KNOWN_DISTINCT_LABELS.has(text)) return reading(null, null, 'character-swap', false);
    // The label folded must equal the folded brand; it is not the brand itself (checked above),
    // so some look-alike character was swapped — on either side (`openal` for `openai`).
    const folded = foldAscii(text);
    const technique = homoglyph ? 'homoglyph' : 'character-swap';
    const swapped = brandsByFolded.get(folded);
    if (swapped !== undefined) return reading(null, swapped, technique, true);
    const swappedWithKeywords = brandWithKeywords(folded, 'folded', foldedKeywords);
    if (swappedWithKeywords !== null) return reading(null, swappedWithKeywords, technique, false);
    return reading(null, null, 'character-swap', false);
  };

  /** A typo of a fuzzed brand, alone or as one hyphen-separated part next to keywords. */
  const typoOf = (label: string): Brand | null => {
    if (fuzzyBrands.length === 0 || KNOWN_DISTINCT_LABELS.has(label)) return null;
    if (label.length > MAX_LABEL_LENGTH) return null;
    const parts = label.includes('-') ? label.split('-') : null;
    for (const brand of fuzzyBrands) {
      if (mayBeTypo(label, brand) && boundedDamerauLevenshtein(label, brand.label, brand.bound, rows) <= brand.bound) return brand;
      if (parts === null) continue;
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i]!;
        if (KNOWN_DISTINCT_LABELS.has(part) || !mayBeTypo(part, brand)) continue;
        if (boundedDamerauLevenshtein(part, brand.label, brand.bound, rows) > brand.bound) continue;
        const rest = parts.filter((_, j) => j !== i).join('');
        if (rest !== '' && keywordRun(rest, keywords) !== 0) return brand;
      }
    }
    return null;
  };

  const finding = (host: NormalizedHost, { brand, technique }: LabelMatch): LookalikeFinding => ({
    host: host.display,
    imitates: brand.imitates,
    technique,
  });

  const check = (normalized: NormalizedHost): LookalikeFinding | null => {
    if (normalized.kind !== 'domain' || normalized.scope !== 'public') return null;
    const { host, registrableDomain } = normalized;
    if (isExempt(host)) return null;

    const labels = (host.includes('xn--') ? normalized.unicode : host).split('.');
    let registrableLabels = 1;
    for (let i = 0; i < registrableDomain.length; i++) if (registrableDomain.charCodeAt(i) === 46) registrableLabels++;
    const nameIndex = labels.length - registrableLabels;
    if (nameIndex < 0 || registrableLabels < 2) return null; // a bare public suffix

    // 1. The registrable name (`openai-proxy` in api.openai-proxy.com).
    const nameLabel = labels[nameIndex]!;
    const name = readLabel(nameLabel);
    if (name?.match) return finding(normalized, name.match);
    if (name === null) {
      // The exact brand on another suffix (claude.com, siliconflow.com, moonshot.com) is not
      // reported: vendors own many suffixes the list does not name. Typos of the name are,
      // except for tenants of private suffixes (anthropics.github.io is Anthropic's GitHub org).
      const typo = typoOf(nameLabel);
      if (typo !== null && getDomain(host) === registrableDomain) {
        return finding(normalized, { brand: typo, technique: 'edit-distance' });
      }
    }

    // 2. Subdomain labels (`openai` in openai.relay-hub.xyz). A brand with keywords or a
    //    homoglyph is reported on its own. A bare brand, or its bare character swap, only next to
    //    a label made of strong relay keywords: anthropic.helicone.ai, openai.zendesk.com and
    //    openal.sourceforge.net stay quiet, api.openai.com.example.xyz does not.
    if (nameIndex === 0) return null;
    let strongContext: boolean | undefined;
    const inStrongContext = (): boolean =>
      (strongContext ??= labels.some((label, i) => i <= nameIndex && keywordRun(label, keywords) === STRONG));
    for (let i = nameIndex - 1; i >= 0; i--) {
      const sub = readLabel(labels[i]!);
      if (sub === null) continue;
      if (sub.match !== null && (sub.match.technique !== 'character-swap' || !sub.bare || inStrongContext())) {
        return finding(normalized, sub.match);
      }
      if (sub.exact !== null && inStrongContext()) {
        return finding(normalized, { brand: sub.exact, technique: 'brand-with-keyword' });
      }
    }
    return null;
  };

  return { check, brands: brands.map((brand) => brand.label).sort() };
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
