/**
 * `npm run bench`: matcher build time, lookup latency and heap at 1k / 100k / 1M entries,
 * against a naive linear scan. Heap numbers need --expose-gc; without it this re-runs itself
 * with the flag, so plain `node tests/bench/run.ts` works.
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

const { runSuite } = await import('./suite.ts');
const consistent = runSuite();
if (!consistent) {
  process.stderr.write('[bench] the naive baseline and the matcher disagreed on some hosts: the numbers above compare different work\n');
  process.exitCode = 1;
}
