/**
 * What the look-alike detector looks for, and what it leaves alone: which vendor names count as
 * brands and how loosely each is matched, the names that merely resemble a brand, and the words
 * relays put next to one. Data and the reasons for it; the matching is in `lookalike.ts`.
 */

/**
 * Registrable domains in the official list that belong to general cloud platforms, not to an AI
 * brand: the AI service is one subdomain among thousands (generativelanguage.googleapis.com,
 * bedrock-runtime.*.amazonaws.com, dashscope.aliyuncs.com). Their names are not what a relay
 * imitates, and fuzzing `google`, `amazon`, `baidu` or `azure` would flag a large part of the web
 * (`goggle`, `amazin`, `baidoo`) for a problem Safe Browsing already covers. They stay exempt
 * (their hosts are the vendor's) but yield no brand; the AI brand names of these vendors come
 * in through BRAND_ALIASES instead (`gemini`, `qwen`).
 */
export const GENERIC_PROVIDER_DOMAINS: ReadonlySet<string> = new Set([
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
export const MIN_BRAND_LENGTH = 4;
/** Edit distance 1 for brands of at least 5 characters, 2 from 9 characters. */
const FUZZY_MIN_LENGTH = 5;
const FUZZY_DISTANCE_2_LENGTH = 9;

export interface BrandPolicy {
  /** Edit-distance matching of the registrable name (typos). */
  readonly fuzzy: boolean;
  /** Whether weak keywords (hub, free, cn, mirror) suffice, or a strong one (api, proxy, relay) is needed. */
  readonly weakKeywords: boolean;
}

export const COINED: BrandPolicy = { fuzzy: true, weakKeywords: true };
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

export const BRAND_POLICIES: ReadonlyMap<string, BrandPolicy> = new Map([
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
export const BRAND_ALIASES: readonly { readonly label: string; readonly vendors: readonly string[] }[] = [
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
export const KNOWN_DISTINCT_LABELS: ReadonlySet<string> = new Set([
  'openapi', 'openair', 'openei', 'openam', 'openui', 'anthropos', 'anthropoid', 'entropic',
]);

/**
 * Established sites whose name is a look-alike by every rule, exempt as domains only.
 * openal.org is OpenAL, the cross-platform audio API (Creative Labs, since 2000), whose name
 * differs from `openai` by l↔i. The name itself stays flagged elsewhere (`openal.com`,
 * `api.openal.xyz`): in lower-case sans-serif `openal` and `openai` differ by one dot, which is
 * exactly what a squatter counts on, and a look-alike finding only warns.
 */
export const KNOWN_DISTINCT_DOMAINS: readonly string[] = ['openal.org'];

// Relay vocabulary

export type KeywordStrength = 1 | 2;
export const WEAK: KeywordStrength = 1;
export const STRONG: KeywordStrength = 2;

/**
 * Words relays put next to a brand. Strong words say "this is an API endpoint in front of the
 * vendor" and count for every brand; weak words (mirror, hub, free, region codes) are everyday
 * vocabulary and count only for coined brands (`openai-hub`, `deepseek-cn`). `ai` is deliberately
 * absent: vendors use it themselves (baichuan-ai.com, the deepseek-ai and mistralai GitHub orgs).
 */
export const KEYWORDS: ReadonlyMap<string, KeywordStrength> = new Map([
  ['api', STRONG], ['apis', STRONG], ['proxy', STRONG], ['relay', STRONG], ['gateway', STRONG],
  ['zhongzhuan', STRONG], ['中转', STRONG], ['代理', STRONG],
  ['mirror', WEAK], ['镜像', WEAK], ['hub', WEAK], ['free', WEAK], ['免费', WEAK], ['cn', WEAK], ['hk', WEAK],
  // A vendor's console is where its keys are made: `openai-platform.com` and `anthropic-console.net`
  // imitate the page people paste keys into.
  ['console', WEAK], ['platform', WEAK], ['login', WEAK], ['signin', WEAK], ['dashboard', WEAK],
]);

/** How many edits a typo of a brand of this length may be: 0 (not fuzzed), 1 or 2. */
export function fuzzyBound(brandLength: number): number {
  if (brandLength >= FUZZY_DISTANCE_2_LENGTH) return 2;
  if (brandLength >= FUZZY_MIN_LENGTH) return 1;
  return 0;
}
