import { SourceMap } from 'node:module';
import type { CpuProfile } from './page-load.ts';

/**
 * Where the content script's JS time goes, from V8 sampling profiles of a few loads. A sample
 * counts for the content script when any frame on its stack is a content-script function; it is
 * charged to the innermost such frame (so time in a DOM or extension API it calls, which V8 shows
 * as a native leaf, is charged to the caller). Frames are named through the content script's
 * source map (module and original line) when one is available, else by minified name and column.
 * The profiler slows JS down, so shares are meaningful and absolute times are not.
 */

export interface ProfileShare {
  readonly label: string;
  readonly ms: number;
  readonly share: number;
}

export interface ProfileSummary {
  readonly loads: number;
  readonly samples: number;
  readonly attributedMs: number;
  readonly modules: readonly ProfileShare[];
  readonly functions: readonly ProfileShare[];
  /** Native functions (DOM, extension bindings) the content script called, by time spent in them. */
  readonly natives: readonly ProfileShare[];
  readonly named: 'source map' | 'minified names';
}

/** Any script of an extension: on the benchmark's ordinary page that is the page watch alone. */
const CONTENT_SCRIPT = /^chrome-extension:\/\/[a-p]{32}\//;

/** `../../../../<checkout>/node_modules/zod/v4/core/schemas.js` → `zod/v4/core/schemas.js`; repo files repo-relative. */
function filePath(source: string): string {
  const nodeModules = source.lastIndexOf('node_modules/');
  if (nodeModules >= 0) return source.slice(nodeModules + 'node_modules/'.length);
  const repo = source.search(/(?:^|\/)(?:lib|components|entrypoints|tests|\.wxt)\//);
  return repo >= 0 ? source.slice(repo).replace(/^\//, '') : source.replace(/^(\.\.\/)+/, '');
}

/** The package for node_modules files (`zod`, `@wxt-dev/…`), else the repo file. */
function moduleName(source: string): string {
  if (source.lastIndexOf('node_modules/') < 0) return filePath(source);
  const parts = filePath(source).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** A line that starts a function: `function f(`, `=>`, or a method `name(…) {`. */
const FUNCTION_HEADER = /\bfunction\b|=>|^\s*(?:#?[\w$]+\s+)*#?[\w$]+\s*\([^)]*(?:\)\s*(?::[^{]+)?)?\{\s*$/;

/** Column of the first token of the body of the function whose parameter list starts at `column`. */
function bodyStart(line: string, column: number): number {
  const text = line.slice(column, column + 400);
  const brace = text.indexOf('{');
  const arrow = text.indexOf('=>');
  if (arrow >= 0 && (brace < 0 || arrow < brace)) return column + arrow + (text[arrow + 2] === '{' ? 3 : 2);
  return brace >= 0 ? column + brace + 1 : column;
}

/** A short, single-line excerpt of code, for naming a function the map gives no name for. */
function excerpt(text: string | undefined, from: number): string {
  if (text === undefined) return '';
  const line = text.slice(from, from + 200).split('\n', 1)[0]!.trim().replace(/\s+/g, ' ');
  return line.length > 56 ? `${line.slice(0, 55)}…` : line;
}

function top(map: Map<string, number>, total: number, count: number): ProfileShare[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([label, ms]) => ({ label, ms, share: total > 0 ? ms / total : 0 }));
}

/**
 * @param scriptPath the measured content script's path in the extension (`page-watch.js`)
 * @param script its text (names frames the map does not cover)
 * @param sourceMapPayload its source map (with sourcesContent), or null
 */
export function summariseProfiles(profiles: readonly CpuProfile[], scriptPath: string, script: string, sourceMapPayload: object | null): ProfileSummary {
  const sourceMap = sourceMapPayload ? new SourceMap(sourceMapPayload as never) : null;
  const payload = sourceMapPayload as { sources?: string[]; sourcesContent?: (string | null)[] } | null;
  const originalLines = new Map<string, string[]>();
  const originalLine = (source: string, line: number): string | undefined => {
    if (!originalLines.has(source)) {
      const index = payload?.sources?.indexOf(source) ?? -1;
      originalLines.set(source, (payload?.sourcesContent?.[index] ?? '').split('\n'));
    }
    return originalLines.get(source)![line];
  };
  const modules = new Map<string, number>();
  const functions = new Map<string, number>();
  const natives = new Map<string, number>();
  let attributedMs = 0;
  let samples = 0;

  const scriptLines = script.split('\n');
  const describe = (frame: CpuProfile['nodes'][number]['callFrame']): { module: string; fn: string } => {
    const generated = `\`${excerpt(scriptLines[frame.lineNumber], frame.columnNumber)}\``;
    // The bundle is one IIFE: its own frame runs every module's top-level statements.
    if (frame.functionName === '' && frame.lineNumber === 0 && frame.columnNumber <= 12) {
      return { module: '(bundle top level: all modules\' initialisation)', fn: '(bundle top level)' };
    }
    // V8 gives a function's start (its parameter list); the minifier's map often has no entry
    // there, and the nearest earlier one belongs to the code before the function. So map the
    // first token of its body, then walk up to the function's header line in the original.
    const entry = sourceMap?.findEntry(frame.lineNumber, bodyStart(scriptLines[frame.lineNumber] ?? '', frame.columnNumber)) as
      | { originalSource?: string; originalLine?: number }
      | undefined;
    if (!entry?.originalSource) return { module: sourceMap ? '(bundler code, unmapped)' : scriptPath, fn: `${scriptPath} col ${frame.columnNumber} ${generated}` };
    const line = headerLine(entry.originalSource, entry.originalLine ?? 0);
    const code = excerpt(originalLine(entry.originalSource, line), 0);
    return { module: moduleName(entry.originalSource), fn: `${filePath(entry.originalSource)}:${line + 1}${code ? ` \`${code}\`` : ''}` };
  };
  const headerLine = (source: string, bodyLine: number): number => {
    for (let line = bodyLine; line >= Math.max(0, bodyLine - 6); line--) {
      if (FUNCTION_HEADER.test(originalLine(source, line) ?? '')) return line;
    }
    return bodyLine;
  };

  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const owner = new Map<number, number | null>(); // node → innermost content-script frame on its stack
    const ownerOf = (id: number): number | null => {
      const known = owner.get(id);
      if (known !== undefined) return known;
      const node = byId.get(id)!;
      const up = parent.get(id);
      const result = CONTENT_SCRIPT.test(node.callFrame.url) ? id : up === undefined ? null : ownerOf(up);
      owner.set(id, result);
      return result;
    };
    for (let i = 0; i < profile.samples.length; i++) {
      // timeDeltas[i] is the time before sample i; the time a sample stands for is the next delta.
      const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      samples++;
      const leafId = profile.samples[i]!;
      const frameId = ownerOf(leafId);
      if (frameId === null) continue;
      attributedMs += ms;
      const { module, fn } = describe(byId.get(frameId)!.callFrame);
      modules.set(module, (modules.get(module) ?? 0) + ms);
      functions.set(fn, (functions.get(fn) ?? 0) + ms);
      const leaf = byId.get(leafId)!.callFrame;
      if (leafId !== frameId && leaf.url === '') natives.set(leaf.functionName || '(native)', (natives.get(leaf.functionName || '(native)') ?? 0) + ms);
    }
  }
  return {
    loads: profiles.length,
    samples,
    attributedMs,
    modules: top(modules, attributedMs, 8),
    functions: top(functions, attributedMs, 10),
    natives: top(natives, attributedMs, 6),
    named: sourceMap ? 'source map' : 'minified names',
  };
}
