/**
 * `npm run bench`, in order:
 * 1. matcher build time, lookup latency and heap at 1k / 100k / 1M entries, against a naive scan;
 * 2. classifyAiRequest throughput over a realistic request mix, against a touch-only loop;
 * 3. each classifier that reads page-controlled text on 2 MB adversarial inputs (worst case);
 * 4. the content script's cost on a large page in real Chromium, with and without the extension
 *    (builds it first with `npx wxt build`; `--no-build` uses the existing .output/chrome-mv3).
 * 5. issue 11's list targets in real Chromium: cold start to lists ready, warning on a cold worker,
 *    subscribe to rules installed, worker heap, a million entries enforced (lists-suite.ts).
 * 6. buildBlockRules in Node at 100k and 1M entries, cold and warm, beside the matcher's share
 *    of that work (block-rules-suite.ts).
 * `--only=matcher,classifier,bounds,page,lists,rules` runs a subset. Exits non-zero when a target is missed
 * or a section's answers are wrong. Heap numbers need --expose-gc; without it this
 * re-runs itself with the flag, so plain `node tests/bench/run.ts` works.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RESPAWNED = 'RELAYGUARD_BENCH_RESPAWNED';

if (typeof globalThis.gc !== 'function' && process.env[RESPAWNED] === undefined) {
  const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [RESPAWNED]: '1' },
  });
  if (child.error === undefined) process.exit(child.status ?? 1);
  process.stderr.write(`[bench] could not re-run with --expose-gc (${child.error.message}); continuing without it\n`);
}

const SECTIONS = ['matcher', 'classifier', 'bounds', 'page', 'lists', 'rules'] as const;
const args = process.argv.slice(2);
const onlyArg = args.find((arg) => arg.startsWith('--only='));
const only = new Set(onlyArg ? onlyArg.slice('--only='.length).split(',') : SECTIONS);
const unknown = [...only].filter((name) => !(SECTIONS as readonly string[]).includes(name));
if (unknown.length > 0) {
  process.stderr.write(`[bench] unknown section(s) in --only: ${unknown.join(', ')} (known: ${SECTIONS.join(', ')})\n`);
  process.exit(2);
}
const started = performance.now();
/**
 * Section times measured on this project's 2-core machine with other work running beside it
 * (load average 15–18; see README, Performance); on an idle machine each is shorter.
 */
const EXPECTED_SECONDS: Readonly<Record<(typeof SECTIONS)[number], number>> = { matcher: 65, classifier: 54, bounds: 4, page: 201, lists: 90, rules: 150 };
const chosen = SECTIONS.filter((name) => only.has(name));
const expectedSeconds = chosen.reduce((sum, name) => sum + EXPECTED_SECONDS[name], 0);
console.log(
  `[bench] ${chosen.join(', ')}: takes up to about ${expectedSeconds < 90 ? `${expectedSeconds} s` : `${Math.ceil(expectedSeconds / 60)} min`} on a busy 2-core machine (${chosen.map((name) => `${name} ~${EXPECTED_SECONDS[name]} s`).join(', ')}); exits non-zero when a target is missed\n`,
);
const missed: string[] = [];
let sectionStarted = performance.now();
/** Prints how long the section that just ended took (the figures EXPECTED_SECONDS comes from). */
function sectionDone(name: string): void {
  console.log(`\n[bench] ${name} took ${((performance.now() - sectionStarted) / 1000).toFixed(1)} s`);
  sectionStarted = performance.now();
}

if (only.has('matcher')) {
  const { runSuite } = await import('./suite.ts');
  const { consistent, pass } = runSuite();
  if (!pass) missed.push('matcher');
  if (!consistent) {
    process.stderr.write('[bench] the naive baseline and the matcher disagreed on some hosts: the numbers above compare different work\n');
    process.exitCode = 1;
  }
  sectionDone('matcher');
}

if (only.has('classifier')) {
  const { runClassifierSuite } = await import('./classify-suite.ts');
  const { text, consistent } = runClassifierSuite();
  console.log(`\n${text}`);
  if (!consistent) {
    process.stderr.write('[bench] the classifier did not answer the generated requests as expected: the numbers above time different work\n');
    process.exitCode = 1;
  }
  sectionDone('classifier');
}

if (only.has('bounds')) {
  const { runBoundsSuite } = await import('./bounds-suite.ts');
  const { text, pass } = runBoundsSuite();
  console.log(`\n${text}`);
  if (!pass) missed.push('bounds');
  sectionDone('bounds');
}

if (only.has('page')) {
  const { runPageSuite } = await import('./page-suite.ts');
  try {
    const { text, pass } = await runPageSuite({ build: !args.includes('--no-build') });
    console.log(`\n${text}`);
    if (!pass) missed.push('page');
  } catch (error) {
    console.log(`\n## Content script cost on a large page (real Chromium)\n\n**NOT MEASURED**: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
  sectionDone('page');
}

if (only.has('lists')) {
  const { runListsSuite } = await import('./lists-suite.ts');
  try {
    // The page section, when it ran, has just built the extension.
    const { text, pass } = await runListsSuite({ build: !args.includes('--no-build') && !only.has('page') });
    console.log(`\n${text}`);
    if (!pass) missed.push('lists');
  } catch (error) {
    console.log(`\n## Lists in real Chromium\n\n**NOT MEASURED**: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
  sectionDone('lists');
}

if (only.has('rules')) {
  const { runBlockRulesSuite } = await import('./block-rules-suite.ts');
  console.log(`\n${runBlockRulesSuite().text}`);
  sectionDone('rules');
}

console.log(`\nWhole \`npm run bench\` time (${[...only].join(', ')}): ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (missed.length > 0) {
  process.stderr.write(`[bench] target missed in: ${missed.join(', ')}\n`);
  process.exitCode = 1;
}
