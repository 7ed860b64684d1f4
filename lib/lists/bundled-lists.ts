import vendors from '../../assets/lists/vendors.json' with { type: 'json' };
import vetted from '../../assets/lists/vetted.json' with { type: 'json' };
import blocked from '../../assets/lists/blocked.json' with { type: 'json' };
import { parseList, type RelayList } from './list-schema.ts';
import type { SourcedList } from './matcher.ts';

/**
 * The lists compiled into the extension, as they ship. They are validated once, before they ship,
 * not on every start of the service worker: `bundledListProblems` is what `wxt build` runs
 * (wxt.config.ts refuses to build with a problem) and what a unit test asserts is empty. It also
 * requires each file to be exactly what the schema would make of it (canonical patterns, trimmed
 * text, no unknown keys), so the worker taking the files as they are sees what validation saw.
 */
interface BundledFile {
  readonly id: string;
  readonly raw: unknown;
}

const BUNDLED: readonly BundledFile[] = [
  { id: 'bundled:vendors', raw: vendors },
  { id: 'bundled:vetted', raw: vetted },
  { id: 'bundled:blocked', raw: blocked },
];

export interface BundledLists {
  readonly lists: SourcedList<RelayList>[];
}

/** The bundled lists, without validation at run time (see above). */
export function loadBundledLists(): BundledLists {
  return { lists: BUNDLED.map(({ id, raw }) => ({ id, source: 'bundled', list: raw as RelayList })) };
}

/** Why a bundled list may not ship as it is, one line per list: empty when every list is valid and canonical. */
export function bundledListProblems(files: readonly BundledFile[] = BUNDLED): string[] {
  return files.flatMap(({ id, raw }) => {
    const parsed = parseList(raw);
    if (!parsed.ok) return [`${id}: ${parsed.error.message}`];
    const difference = firstDifference(raw, parsed.value, '');
    return difference === null ? [] : [`${id}: validation changes ${difference || 'the list'}; write the file as the schema makes it`];
  });
}

/** The path of the first place where two JSON values differ, or null when they are equal. */
function firstDifference(a: unknown, b: unknown, path: string): string | null {
  if (Object.is(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return path;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const inner = Array.isArray(a) ? `${path}[${key}]` : `${path}${path ? '.' : ''}${key}`;
    const difference = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], inner);
    if (difference !== null) return difference;
  }
  return null;
}
