import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the unpacked Chrome MV3 build under test. */
    extensionPath: string;
  }
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXTENSION_PATH = join(ROOT, '.output', 'chrome-mv3');

/** Builds the extension once for the whole run; a failed build stops the run with its output. */
export default function setup(project: TestProject): void {
  const started = Date.now();
  const build = spawnSync('npx', ['wxt', 'build'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 5 * 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const output = `${build.stdout ?? ''}${build.stderr ?? ''}`.trim();
  if (build.error || build.status !== 0) {
    const why = build.error ? build.error.message : `exit code ${build.status}`;
    throw new Error(`e2e: \`npx wxt build\` failed (${why}); nothing was tested.\n\n${output}`);
  }
  if (!existsSync(join(EXTENSION_PATH, 'manifest.json'))) {
    throw new Error(`e2e: \`npx wxt build\` succeeded but wrote no ${EXTENSION_PATH}/manifest.json.\n\n${output}`);
  }
  console.log(`e2e: built ${EXTENSION_PATH} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('extensionPath', EXTENSION_PATH);
}
