import { buildBlockRules, type BlockRules } from '../../lib/lists/block-rules.ts';
import { loadBundledLists } from '../../lib/lists/bundled-lists.ts';
import { parseList } from '../../lib/lists/list-schema.ts';
import { compileMatcher, type Matcher } from '../../lib/lists/matcher.ts';
import { generateListJson } from './generate.ts';
import { createRng } from './prng.ts';
import { int } from './report.ts';
import { median } from './stats.ts';
import { fullGc } from './timing.ts';

/**
 * `buildBlockRules` in Node, called as BlockRuleSync calls it (the bundled lists plus one
 * generated subscription, parsed by the real schema), at 100k and 1M entries: the first run in
 * the process (cold, as the worker's first rebuild after a subscribe is) and the median of the
 * warm runs after it. Beside it the matcher's share, which no builder can avoid: `patterns()` and
 * one `decideHostAndSubdomains` per distinct pattern host. Wall-clock and this process's CPU time
 * (user + system, GC threads included): on a machine shared with other work the CPU time is the
 * steadier of the two.
 */

const SEED = 0x11_2026;
const SIZES = [100_000, 1_000_000];
const WARM_RUNS = 5;
const INTERSTITIAL = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/blocked.html';

interface Sample {
  readonly ms: number;
  readonly cpuMs: number;
}

function sample<T>(run: () => T): Sample & { value: T } {
  fullGc();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = run();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { value, ms, cpuMs: (used.user + used.system) / 1000 };
}

function build(matcher: Matcher): BlockRules {
  return buildBlockRules({
    decide: (host) => matcher.decide(host),
    decideHostAndSubdomains: (host) => matcher.decideHostAndSubdomains(host),
    patterns: matcher.patterns(),
    interstitialUrl: INTERSTITIAL,
    blockApiRequests: true,
  });
}

/** What any builder does: read the patterns, ask the matcher once per distinct pattern host. */
function matcherShare(matcher: Matcher): number {
  const hosts = new Set(matcher.patterns().map((text) => (text.startsWith('.') ? text.slice(1) : text)));
  let blocked = 0;
  for (const host of hosts) if (matcher.decideHostAndSubdomains(host).subdomains === 'blocked') blocked++;
  return blocked;
}

const describe = (samples: readonly Sample[]): string =>
  `${int(samples[0]!.ms)} ms (CPU ${int(samples[0]!.cpuMs)}) | ${int(median(samples.slice(1).map((s) => s.ms)))} ms (CPU ${int(median(samples.slice(1).map((s) => s.cpuMs)))})`;

export function runBlockRulesSuite(): { text: string } {
  const rows: string[] = [];
  for (const size of SIZES) {
    const parsed = parseList(JSON.parse(generateListJson(createRng(SEED + size), size)));
    if (!parsed.ok) throw new Error(`the generated ${size}-entry list is invalid: ${parsed.error.message}`);
    const matcher = compileMatcher([...loadBundledLists().lists, { id: 'subscription:bench', source: 'subscribed', list: parsed.value }]);
    const builds = Array.from({ length: WARM_RUNS + 1 }, () => sample(() => build(matcher)));
    const shares = Array.from({ length: WARM_RUNS + 1 }, () => sample(() => matcherShare(matcher)));
    const { rules, problems } = builds[0]!.value;
    const domains = rules.reduce((count, rule) => count + (rule.condition.requestDomains?.length ?? 0), 0);
    rows.push(`| ${int(size)} | ${describe(builds)} | ${describe(shares)} | ${int(rules.length)} rules, ${int(domains)} domains${problems.length > 0 ? `, ${problems.length} problem(s)` : ''} |`);
  }
  return {
    text: [
      '## Block rules: buildBlockRules in Node',
      '',
      `The bundled lists plus one generated subscription (tests/bench/generate.ts, seeded, as the lists section subscribes to); cold = the first run in the process, warm = median of the ${WARM_RUNS} after it. The matcher's share: patterns() and one decideHostAndSubdomains per distinct pattern host.`,
      '',
      '| entries | buildBlockRules cold | warm | matcher share cold | warm | rules |',
      '| ---: | ---: | ---: | ---: | ---: | :--- |',
      ...rows,
    ].join('\n'),
  };
}
