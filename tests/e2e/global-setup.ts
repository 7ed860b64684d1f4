import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildSdkBundles } from './sdk/bundle.ts';
import { buildExtensionCopy, EXTENSION_OUTPUT } from './support/extension-build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the unpacked Chrome MV3 build under test. */
    extensionPath: string;
    /** Directory of the browser bundles of the vendor SDKs (sdk/bundle.ts), served as sdk-cdn.test. */
    sdkBundleDir: string;
  }
}

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
  const built = buildExtensionCopy({ label: 'e2e', onFailure: 'nothing was tested' });
  console.log(`e2e: built ${EXTENSION_OUTPUT} in ${built.seconds.toFixed(1)} s`);
  project.provide('extensionPath', built.path);
  return built.remove;
}
