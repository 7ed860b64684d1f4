import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PAGE_GUARD_SCRIPT } from '../../lib/background/page-guards.ts';

/**
 * The extension under test: `npx wxt build` (unless --no-build), then a private copy of
 * .output/chrome-mv3 for the browser to load (a build elsewhere in the checkout empties .output/
 * at once, and the browser would then fail mid-run). Also a source map for the page watch (the
 * content script every page runs), from a second, map-emitting build into a temp dir, used only
 * to name the profile's functions.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUTPUT = join(ROOT, '.output', 'chrome-mv3');

interface ContentScriptFile {
  readonly name: string;
  readonly rawBytes: number;
  readonly gzipBytes: number;
  /** Declared in the manifest (every page), or run by the background where it is needed. */
  readonly runs: 'every page' | 'pages the background guards';
}

export interface PreparedExtension {
  /** Private copy of the unpacked build; remove with `dispose`. */
  readonly dir: string;
  readonly built: boolean;
  readonly buildMs: number | null;
  readonly contentScripts: readonly ContentScriptFile[];
  /** Path of the declared content script, the page watch (what an ordinary page runs). */
  readonly watchScriptPath: string;
  /** Its text. */
  readonly watchScript: string;
  /** Its source map, or why there is none. */
  readonly sourceMap: { readonly payload: object } | { readonly missing: string };
  dispose(): void;
}

function run(command: string, args: readonly string[], what: string): number {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', timeout: 5 * 60_000, env: { ...process.env, NO_COLOR: '1' } });
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : `exit code ${result.status}`;
    throw new Error(`${what} failed (${why}):\n${`${result.stdout ?? ''}${result.stderr ?? ''}`.trim()}`);
  }
  return Date.now() - started;
}

/**
 * The same WXT build with `build.sourcemap: 'hidden'` (no sourceMappingURL comment, so the code
 * is byte-identical), the page watch only. Used only if its output equals the measured one.
 */
function sourceMapFor(scriptPath: string, measuredScript: Buffer): PreparedExtension['sourceMap'] {
  const entrypoint = scriptPath.replace(/^.*\//, '').replace(/\.js$/, '');
  const outDir = mkdtempSync(join(tmpdir(), 'relayguard-bench-map-'));
  // WXT rewrites .wxt/tsconfig.json to exclude whatever outDir it builds into; put it back after.
  const wxtTsconfig = join(ROOT, '.wxt', 'tsconfig.json');
  const tsconfigBefore = existsSync(wxtTsconfig) ? readFileSync(wxtTsconfig, 'utf8') : null;
  try {
    const script = `import { build } from 'wxt';
await build({ root: ${JSON.stringify(ROOT)}, outDir: ${JSON.stringify(outDir)}, filterEntrypoints: [${JSON.stringify(entrypoint)}], vite: () => ({ build: { sourcemap: 'hidden' } }) });`;
    run(process.execPath, ['--input-type=module', '-e', script], 'source-map build of the page watch');
    const mapped = join(outDir, 'chrome-mv3', scriptPath);
    if (!existsSync(`${mapped}.map`)) return { missing: `the source-map build wrote no ${scriptPath}.map` };
    if (!readFileSync(mapped).equals(measuredScript)) return { missing: `the source-map build differs from the measured ${scriptPath} (sources changed since it was built?)` };
    return { payload: JSON.parse(readFileSync(`${mapped}.map`, 'utf8')) as object };
  } catch (error) {
    return { missing: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
    if (tsconfigBefore !== null && existsSync(wxtTsconfig) && readFileSync(wxtTsconfig, 'utf8') !== tsconfigBefore) writeFileSync(wxtTsconfig, tsconfigBefore);
  }
}

export function prepareExtension({ build }: { build: boolean }): PreparedExtension {
  const buildMs = build ? run('npx', ['wxt', 'build'], '`npx wxt build`') : null;
  if (!existsSync(join(OUTPUT, 'manifest.json'))) {
    throw new Error(build ? `\`npx wxt build\` wrote no ${OUTPUT}/manifest.json` : `no ${OUTPUT}/manifest.json: run without --no-build, or \`npx wxt build\` first`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'relayguard-bench-extension-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  cpSync(OUTPUT, dir, { recursive: true });
  if (!existsSync(join(dir, 'manifest.json'))) {
    dispose();
    throw new Error(`${OUTPUT} changed while it was being copied (another build?); run again`);
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { content_scripts?: { js?: string[] }[] };
  const declared = [...new Set((manifest.content_scripts ?? []).flatMap((entry) => entry.js ?? []))];
  const onDemand = [PAGE_GUARD_SCRIPT.replace(/^\//, '')];
  const sizeOf = (name: string, runs: ContentScriptFile['runs']): ContentScriptFile => {
    const path = join(dir, name);
    if (!existsSync(path)) throw new Error(`the build has no ${name}`);
    const bytes = readFileSync(path);
    return { name, rawBytes: bytes.length, gzipBytes: gzipSync(bytes).length, runs };
  };
  const contentScripts = [...declared.map((name) => sizeOf(name, 'every page')), ...onDemand.map((name) => sizeOf(name, 'pages the background guards'))];
  const watchScriptPath = declared[0];
  if (declared.length !== 1 || !watchScriptPath) {
    dispose();
    throw new Error(`expected one declared content script (the page watch), found ${JSON.stringify(declared)}`);
  }
  const watchBytes = readFileSync(join(dir, watchScriptPath));
  const sourceMap = sourceMapFor(watchScriptPath, watchBytes);
  return { dir, built: build, buildMs, contentScripts, watchScriptPath, watchScript: watchBytes.toString('utf8'), sourceMap, dispose };
}
