import type { ListEntry, ListLevel, RelayList } from '../../lib/lists/list-schema.ts';
import type { SourcedList } from '../../lib/lists/matcher.ts';
import type { ListSource } from '../../lib/lists/precedence.ts';
import { shuffle, weightedPicker, type Rng } from './prng.ts';

/**
 * Synthetic but realistic list data: registrable names over a weighted mix of TLDs (multi-label
 * public suffixes such as co.uk and com.cn included), subdomain patterns nested under listed
 * domains, exact-host `.host` patterns, mixed levels, evidence on every blocked entry.
 * Everything is already canonical (lower-case ASCII, valid labels), as parseList would output.
 */

const pickTld = weightedPicker<string>([
  ['com', 38], ['net', 6], ['org', 4], ['io', 5], ['ai', 6], ['dev', 2], ['app', 2], ['xyz', 3],
  ['top', 3], ['cc', 2], ['me', 1], ['site', 2], ['online', 1], ['pro', 1], ['cn', 3], ['de', 2],
  ['ru', 2], ['jp', 1], ['co', 1], ['us', 1],
  ['co.uk', 3], ['org.uk', 1], ['com.cn', 3], ['net.cn', 1], ['com.au', 1], ['co.jp', 1],
  ['com.br', 1], ['co.in', 1], ['com.hk', 1], ['com.tw', 1],
]);
const SINGLE_LABEL_TLDS = ['com', 'net', 'org', 'io', 'ai', 'xyz', 'top', 'cn', 'de', 'ru'];

const WORDS = [
  'relay', 'proxy', 'api', 'gpt', 'chat', 'open', 'ai', 'claude', 'llm', 'fast', 'cheap', 'cloud',
  'hub', 'gate', 'way', 'link', 'node', 'bridge', 'route', 'mirror', 'plus', 'pro', 'free', 'one',
  'zone', 'token', 'key', 'model', 'smart', 'deep', 'mind', 'data', 'lab', 'go', 'my', 'best',
  'top', 'super', 'neo', 'sky', 'star', 'moon', 'sun', 'fox', 'wolf', 'byte', 'bit', 'chain',
  'flow', 'stack', 'core', 'nova', 'meta', 'hyper', 'turbo', 'easy', 'quick', 'global', 'china',
  'asia', 'euro', 'world', 'next', 'gen', 'bot', 'agent', 'code', 'dev', 'mart', 'shop', 'store',
];
const SUB_LABELS = [
  'api', 'www', 'cdn', 'app', 'gw', 'v1', 'v2', 'chat', 'relay', 'proxy', 'openai', 'claude',
  'eu', 'us', 'hk', 'sg', 'cn', 'edge', 'static', 'dashboard', 'console', 'panel', 'auth', 'img',
];
const CATEGORIES = ['relay', 'reseller', 'aggregator', 'mirror', 'official-api', 'gateway'];
const REASONS = [
  'Resells API access; prompts are logged by the operator.',
  'Swaps the requested model for a cheaper one without saying so.',
  'Collected API keys were later found on a public paste site.',
  'No terms of service or privacy policy; operator unknown.',
];

const ALPHA = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomLabel(rng: Rng, min: number, max: number, digitShare = 0.15): string {
  const length = rng.int(min, max);
  let label = ALPHA[rng.int(0, 25)] as string;
  for (let i = 1; i < length; i++) label += rng.chance(digitShare) ? ALNUM[rng.int(26, 35)] : ALPHA[rng.int(0, 25)];
  return label;
}

/** A second-level name as relay operators pick them: word salads, brand-ish strings, digits. */
function randomName(rng: Rng): string {
  const style = rng.next();
  if (style < 0.45) return rng.pick(WORDS) + rng.pick(WORDS) + (rng.chance(0.3) ? String(rng.int(0, 999)) : '');
  if (style < 0.6) return `${rng.pick(WORDS)}-${rng.pick(WORDS)}${rng.chance(0.3) ? String(rng.int(1, 99)) : ''}`;
  return randomLabel(rng, 5, 12);
}

function randomSubLabel(rng: Rng): string {
  return rng.chance(0.6) ? rng.pick(SUB_LABELS) : randomLabel(rng, 2, 8, 0.25);
}

type LevelWeights = readonly (readonly [ListLevel, number])[];

/** Makes entries whose patterns are unique across everything this factory ever made. */
function createEntryFactory(rng: Rng) {
  const patterns = new Set<string>();
  const registrables: string[] = [];
  const registrableSet = new Set<string>();
  let evidenceCounter = 0;

  const newRegistrable = (): string => {
    for (;;) {
      const domain = `${randomName(rng)}.${pickTld(rng)}`;
      if (registrableSet.has(domain)) continue;
      registrableSet.add(domain);
      registrables.push(domain);
      return domain;
    }
  };
  /** 35% of subdomain and exact patterns sit under a domain that is itself listed (nesting). */
  const baseDomain = (): string => (registrables.length > 0 && rng.chance(0.35) ? rng.pick(registrables) : newRegistrable());
  const subdomainOf = (base: string): string => (rng.chance(0.75) ? `${randomSubLabel(rng)}.${base}` : `${randomSubLabel(rng)}.${randomSubLabel(rng)}.${base}`);

  const newPattern = (): string => {
    for (;;) {
      const kind = rng.next();
      let pattern: string;
      if (kind < 0.62) pattern = newRegistrable(); // example.com: host and every subdomain
      else if (kind < 0.86) pattern = subdomainOf(baseDomain()); // api.example.com
      else pattern = `.${rng.chance(0.5) ? newRegistrable() : subdomainOf(baseDomain())}`; // .example.com: exact host only
      if (patterns.has(pattern)) continue;
      patterns.add(pattern);
      return pattern;
    }
  };

  const withLevel = (pattern: string, level: ListLevel): ListEntry => {
    const entry: ListEntry = { pattern, level };
    if (rng.chance(0.6)) entry.category = rng.pick(CATEGORIES);
    if (level === 'blocked') {
      const count = rng.chance(0.1) ? 2 : 1;
      entry.evidence = [];
      for (let i = 0; i < count; i++) entry.evidence.push(`https://evidence.relayguard.example/reports/${++evidenceCounter}`);
      if (rng.chance(0.3)) entry.reason = rng.pick(REASONS);
    }
    if (rng.chance(0.5)) entry.added = `2026-${String(rng.int(1, 11)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    return entry;
  };

  return {
    entry: (pickLevel: (rng: Rng) => ListLevel): ListEntry => withLevel(newPattern(), pickLevel(rng)),
    /** The same pattern with its own level and metadata, as another list would carry it. */
    copy: (pattern: string, pickLevel: (rng: Rng) => ListLevel): ListEntry => withLevel(pattern, pickLevel(rng)),
  };
}

interface ListSpec {
  readonly id: string;
  readonly source: ListSource;
  readonly name: string;
  readonly share: number;
  readonly levels: LevelWeights;
}

const LIST_SPECS: readonly ListSpec[] = [
  { id: 'bundled:relays', source: 'bundled', name: 'RelayGuard bundled list', share: 0.5, levels: [['official', 15], ['vetted', 35], ['blocked', 50]] },
  { id: 'subscription:https://lists.example.org/relays.json', source: 'subscribed', name: 'Community relay list', share: 0.4, levels: [['official', 5], ['vetted', 25], ['blocked', 70]] },
  { id: 'user', source: 'user', name: 'My list', share: 0.1, levels: [['official', 10], ['vetted', 60], ['blocked', 30]] },
];

/** Share of entries that repeat a pattern another list already has (with its own level). */
const OVERLAP_SHARE = 0.03;

function makeList(name: string, entries: ListEntry[]): RelayList {
  return { name, version: '2026.11.26', updated: '2026-11-26', homepage: 'https://lists.example.org/', entries };
}

/**
 * `total` entries over the three LIST_SPECS lists. The result goes through a JSON round trip,
 * so its strings are flat and fresh, as lists read from storage or a subscription are.
 */
export function generateLists(rng: Rng, total: number): SourcedList<RelayList>[] {
  const factory = createEntryFactory(rng);
  const overlaps = Math.round(total * OVERLAP_SHARE);
  const unique = total - overlaps;
  const levelPickers = LIST_SPECS.map((spec) => weightedPicker(spec.levels));
  const entries: ListEntry[][] = LIST_SPECS.map(() => []);
  const patternSets = LIST_SPECS.map(() => new Set<string>());

  let assigned = 0;
  LIST_SPECS.forEach((spec, i) => {
    const count = i === LIST_SPECS.length - 1 ? unique - assigned : Math.round(unique * spec.share);
    assigned += count;
    for (let k = 0; k < count; k++) {
      const entry = factory.entry(levelPickers[i]!);
      entries[i]!.push(entry);
      patternSets[i]!.add(entry.pattern);
    }
  });
  for (let k = 0; k < overlaps; ) {
    const from = rng.int(0, LIST_SPECS.length - 1);
    const to = (from + rng.int(1, LIST_SPECS.length - 1)) % LIST_SPECS.length;
    const source = entries[from]!;
    if (source.length === 0) continue;
    const pattern = rng.pick(source).pattern;
    if (patternSets[to]!.has(pattern)) continue;
    patternSets[to]!.add(pattern);
    entries[to]!.push(factory.copy(pattern, levelPickers[to]!));
    k++;
  }

  return LIST_SPECS.map((spec, i) => ({
    id: spec.id,
    source: spec.source,
    list: JSON.parse(JSON.stringify(makeList(spec.name, shuffle(rng, entries[i]!)))) as RelayList,
  }));
}

/** One list of `count` unique entries, as JSON text: what a subscription download delivers. */
export function generateListJson(rng: Rng, count: number): string {
  const factory = createEntryFactory(rng);
  const pickLevel = weightedPicker(LIST_SPECS[1]!.levels);
  const entries: ListEntry[] = [];
  for (let k = 0; k < count; k++) entries.push(factory.entry(pickLevel));
  return JSON.stringify(makeList('Community relay list', entries));
}

export const QUERY_MIX = [
  ['exact host of a listed pattern', 0.3],
  ['subdomain of a listed (non-exact) pattern', 0.25],
  ['subdomain of an exact-only pattern', 0.05],
  ['random host, 2–5 labels', 0.4],
] as const;

/** A fresh, flat (non-cons, unhashed) copy, like a host string fresh out of the URL parser. */
function fresh(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

function randomHost(rng: Rng): string {
  const labels = rng.int(2, 5);
  let tld = pickTld(rng);
  let tldLabels = tld.split('.').length;
  if (tldLabels >= labels) {
    tld = rng.pick(SINGLE_LABEL_TLDS);
    tldLabels = 1;
  }
  let host = tld;
  // Random strings, not the word salads listed names use: these hosts should (almost) never be listed.
  for (let i = tldLabels; i < labels; i++) host = `${i === tldLabels ? randomLabel(rng, 4, 12, 0.2) : randomSubLabel(rng)}.${host}`;
  return host;
}

/** `count` query hosts mixed per QUERY_MIX, drawn from the compiled lists' entries. */
export function generateQueries(rng: Rng, lists: readonly SourcedList<RelayList>[], count: number): string[] {
  const pools = lists.map(({ list }) => list.entries).filter((entries) => entries.length > 0);
  const pickPool = weightedPicker(pools.map((entries) => [entries, entries.length] as const));
  const pickPattern = (exactOnly: boolean | null): string => {
    for (let attempt = 0; attempt < 100_000; attempt++) {
      const { pattern } = rng.pick(pickPool(rng));
      if (exactOnly === null || (pattern.charCodeAt(0) === 46) === exactOnly) return pattern;
    }
    throw new Error(`the lists have no ${exactOnly ? 'exact-only' : 'subdomain-matching'} pattern to query`);
  };
  const [exactShare, subShare, subOfExactShare] = QUERY_MIX.map(([, share]) => share);
  const queries: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = rng.next();
    let host: string;
    if (r < exactShare!) host = pickPattern(null).replace(/^\./, '');
    else if (r < exactShare! + subShare!) host = `${rng.chance(0.7) ? randomSubLabel(rng) : `${randomSubLabel(rng)}.${randomSubLabel(rng)}`}.${pickPattern(false)}`;
    else if (r < exactShare! + subShare! + subOfExactShare!) host = `${randomSubLabel(rng)}${pickPattern(true)}`;
    else host = randomHost(rng);
    queries.push(fresh(host));
  }
  return queries;
}
