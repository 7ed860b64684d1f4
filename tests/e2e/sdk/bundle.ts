import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real vendor SDKs, bundled for the browser so fixture pages can call a relay with them
 * (`<script src="http://sdk-cdn.test/openai.js">`). Built with Vite's library mode into an IIFE
 * per SDK; the bundles live under tests/e2e/.artifacts/ (gitignored) and are rebuilt only when
 * an SDK, Vite or an entry file changes.
 */

interface SdkBundle {
  /** File name in the bundle directory, served as `http://sdk-cdn.test/<file>`. */
  readonly file: string;
  /** The global the IIFE assigns its exports to. */
  readonly globalName: string;
  readonly entry: string;
  /** npm package whose version invalidates the bundle. */
  readonly packageName: string;
}

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SDK_BUNDLE_DIR = fileURLToPath(new URL('../.artifacts/sdk/', import.meta.url));

const SDK_BUNDLES: readonly SdkBundle[] = [
  { file: 'openai.js', globalName: 'OpenAISdk', entry: fileURLToPath(new URL('./openai.ts', import.meta.url)), packageName: 'openai' },
  { file: 'anthropic.js', globalName: 'AnthropicSdk', entry: fileURLToPath(new URL('./anthropic.ts', import.meta.url)), packageName: '@anthropic-ai/sdk' },
];

function packageVersion(name: string): string {
  // Read from node_modules directly: not every package exports ./package.json.
  const manifest = join(ROOT, 'node_modules', ...name.split('/'), 'package.json');
  if (!existsSync(manifest)) {
    throw new Error(`e2e: ${name} is not installed; run \`npm install\` (it is a devDependency).`);
  }
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

function stampOf(bundle: SdkBundle): string {
  return createHash('sha256')
    .update(JSON.stringify([bundle, packageVersion(bundle.packageName), packageVersion('vite'), readFileSync(bundle.entry, 'utf8')]))
    .digest('hex');
}

/** Builds the bundles that are missing or stale; returns the directory that holds them. */
export async function buildSdkBundles(): Promise<string> {
  const { build } = await import('vite');
  mkdirSync(SDK_BUNDLE_DIR, { recursive: true });
  for (const bundle of SDK_BUNDLES) {
    const output = join(SDK_BUNDLE_DIR, bundle.file);
    const stampFile = `${output}.stamp`;
    const stamp = stampOf(bundle);
    if (existsSync(output) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) continue;
    rmSync(stampFile, { force: true });
    await build({
      configFile: false,
      root: ROOT,
      logLevel: 'warn',
      publicDir: false,
      // Library mode leaves process.env alone; the SDKs only probe it behind typeof checks,
      // but a bundled dependency might not.
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      build: {
        lib: { entry: bundle.entry, formats: ['iife'], name: bundle.globalName, fileName: () => bundle.file },
        outDir: SDK_BUNDLE_DIR,
        emptyOutDir: false,
        copyPublicDir: false,
        minify: false,
        sourcemap: false,
        target: 'es2022',
        reportCompressedSize: false,
      },
    });
    if (!existsSync(output)) throw new Error(`e2e: bundling ${bundle.packageName} wrote no ${output}.`);
    writeFileSync(stampFile, stamp);
  }
  return SDK_BUNDLE_DIR;
}
