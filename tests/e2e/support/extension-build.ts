import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the extension with `npx wxt build` and hands out a private copy of the unpacked Chrome
 * MV3 build. Used by the e2e global setup and by the demo (tests/demo/run.ts), so no vitest here.
 */

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const EXTENSION_OUTPUT = join(ROOT, '.output', 'chrome-mv3');

export interface BuiltExtension {
  /** The private copy to load into the browser. */
  readonly path: string;
  /** What `wxt build` printed (stdout then stderr), trimmed. */
  readonly output: string;
  readonly seconds: number;
  /** Deletes the private copy. */
  remove(): void;
}

export interface BuildOptions {
  /** Prefixes error messages and names the temp directory: "e2e", "demo". */
  readonly label: string;
  /** What a failure means for the caller, appended to the error: "nothing was tested". */
  readonly onFailure: string;
  /** Kill the build after this long; 5 minutes unless told. */
  readonly timeoutMs?: number;
}

/**
 * Runs `npx wxt build` in the repository and copies `.output/chrome-mv3` to a temp directory.
 * The browser loads the copy: a `wxt build` or `wxt dev` elsewhere in the checkout empties
 * .output/ at once, and Chromium then fails extension pages with ERR_FILE_NOT_FOUND.
 * A failed build throws with its output.
 */
export function buildExtensionCopy({ label, onFailure, timeoutMs = 5 * 60_000 }: BuildOptions): BuiltExtension {
  const started = Date.now();
  const build = spawnSync('npx', ['wxt', 'build'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const output = `${build.stdout ?? ''}${build.stderr ?? ''}`.trim();
  if (build.error || build.status !== 0) {
    const why = build.error ? build.error.message : `exit code ${build.status}`;
    throw new Error(`${label}: \`npx wxt build\` failed (${why}); ${onFailure}.\n\n${output}`);
  }
  if (!existsSync(join(EXTENSION_OUTPUT, 'manifest.json'))) {
    throw new Error(`${label}: \`npx wxt build\` succeeded but wrote no ${EXTENSION_OUTPUT}/manifest.json.\n\n${output}`);
  }
  const seconds = (Date.now() - started) / 1000;

  const copy = mkdtempSync(join(tmpdir(), `relayguard-${label}-extension-`));
  const remove = () => rmSync(copy, { recursive: true, force: true });
  cpSync(EXTENSION_OUTPUT, copy, { recursive: true });
  if (!existsSync(join(copy, 'manifest.json'))) {
    remove();
    throw new Error(`${label}: ${EXTENSION_OUTPUT} changed while it was being copied (another build?); run again.`);
  }
  return { path: copy, output, seconds, remove };
}
