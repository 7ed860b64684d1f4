import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { buildSdkBundles } from './sdk/bundle.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the unpacked Chrome MV3 build under test. */
    extensionPath: string;
    /** Directory of the browser bundles of the vendor SDKs (sdk/bundle.ts), served as sdk-cdn.test. */
    sdkBundleDir: string;
  }
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXTENSION_PATH = join(ROOT, '.output', 'chrome-mv3');

/**
 * Builds the extension once for the whole run, and the vendor SDKs' browser bundles the fixture
 * pages load; a failed build stops the run with its output. Returns the teardown.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const teardown = provideExtension(project);
  try {
    project.provide('sdkBundleDir', await buildSdkBundles());
  } catch (error) {
    teardown();
    throw new Error(`e2e: bundling the vendor SDKs for the fixture pages failed; nothing was tested.\n\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  return teardown;
}

/**
 * `RELAYGUARD_E2E_EXTENSION=<dir>` tests an unpacked build made elsewhere (a release candidate,
 * another checkout) instead of building this one.
 */
function provideExtension(project: TestProject): () => void {
  const prebuilt = process.env.RELAYGUARD_E2E_EXTENSION;
  if (prebuilt) {
    if (!existsSync(join(prebuilt, 'manifest.json'))) throw new Error(`e2e: RELAYGUARD_E2E_EXTENSION=${prebuilt} holds no manifest.json.`);
    console.log(`e2e: testing the prebuilt extension in ${prebuilt} (RELAYGUARD_E2E_EXTENSION)`);
    project.provide('extensionPath', prebuilt);
    return () => {};
  }
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

  // The browsers load a private copy: a `wxt build` or `wxt dev` elsewhere in the checkout
  // empties .output/ at once, and Chromium then fails extension pages with ERR_FILE_NOT_FOUND.
  const copy = mkdtempSync(join(tmpdir(), 'relayguard-e2e-extension-'));
  const removeCopy = () => rmSync(copy, { recursive: true, force: true });
  cpSync(EXTENSION_PATH, copy, { recursive: true });
  if (!existsSync(join(copy, 'manifest.json'))) {
    removeCopy();
    throw new Error(`e2e: ${EXTENSION_PATH} changed while it was being copied (another build?); run again.`);
  }
  project.provide('extensionPath', copy);
  return removeCopy;
}
