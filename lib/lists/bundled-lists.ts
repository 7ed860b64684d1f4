import vendors from '../../assets/lists/vendors.json' with { type: 'json' };
import vetted from '../../assets/lists/vetted.json' with { type: 'json' };
import blocked from '../../assets/lists/blocked.json' with { type: 'json' };
import { parseList } from './list-schema.ts';
import type { SourcedList } from './matcher.ts';

/**
 * The lists compiled into the extension. They are validated like any other list (a unit test
 * keeps them valid); a list that somehow fails is left out and reported rather than crashing
 * the service worker on start.
 */
const BUNDLED = [
  { id: 'bundled:vendors', raw: vendors as unknown },
  { id: 'bundled:vetted', raw: vetted as unknown },
  { id: 'bundled:blocked', raw: blocked as unknown },
] as const;

export interface BundledLists {
  readonly lists: SourcedList[];
  readonly problems: string[];
}

export function loadBundledLists(): BundledLists {
  const lists: SourcedList[] = [];
  const problems: string[] = [];
  for (const { id, raw } of BUNDLED) {
    const parsed = parseList(raw);
    if (parsed.ok) lists.push({ id, source: 'bundled', list: parsed.value });
    else problems.push(`${id}: ${parsed.error.message}`);
  }
  return { lists, problems };
}
