/**
 * parseList's fast path's duplicate check. A Set<string> of 100k patterns fresh from JSON.parse
 * cost more than all the other checks together, and at 1M patterns any hash table's random
 * probes miss the cache on nearly every insertion. Sorting (hash, index) keys touches memory in
 * order instead: equal patterns have equal hashes, so they end up side by side.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Index bits of a sort key: a key is hash × 2^21 + index, exact in a double for 2^21 patterns. */
const INDEX_SPAN = 2 ** 21;
/**
 * Patterns sharing one 32-bit hash, beyond which the check gives up. Distinct patterns share one
 * by chance about 100 times in a million-pattern list, in twos; only crafted input piles up more.
 */
const MAX_SAME_HASH = 8;

/** 32-bit FNV-1a over UTF-16 units: a few instructions per character, no allocation. */
export function fnv1a(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash >>> 0;
}

/**
 * True when no pattern occurs twice. False when one does, and also when the check cannot tell
 * cheaply (over 2^21 patterns, or more than MAX_SAME_HASH patterns share a hash, which only
 * crafted input does): the caller then leaves the list to zod, whose Map uses V8's seeded hash.
 */
export function certainlyDistinct(patterns: readonly string[], hash: (text: string) => number = fnv1a): boolean {
  const count = patterns.length;
  if (count > INDEX_SPAN) return false;
  const keys = new Float64Array(count);
  for (let i = 0; i < count; i++) keys[i] = hash(patterns[i]!) * INDEX_SPAN + i;
  keys.sort();
  for (let start = 0; start < count; ) {
    const runHash = Math.floor(keys[start]! / INDEX_SPAN);
    let end = start + 1;
    while (end < count && Math.floor(keys[end]! / INDEX_SPAN) === runHash) end++;
    if (end - start > MAX_SAME_HASH) return false;
    for (let a = start; a < end; a++) {
      for (let b = a + 1; b < end; b++) if (patterns[keys[a]! % INDEX_SPAN] === patterns[keys[b]! % INDEX_SPAN]) return false;
    }
    start = end;
  }
  return true;
}
