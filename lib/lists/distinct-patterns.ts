/**
 * parseList's fast path's duplicate check. A Set<string> of 100k patterns fresh from JSON.parse
 * cost more than all the other checks together, and at 1M patterns any hash table's random
 * probes miss the cache on nearly every insertion. Radix-sorting (hash, index) pairs touches
 * memory in order instead: equal patterns have equal hashes, so they end up side by side.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
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
 * cheaply (more than MAX_SAME_HASH patterns share a hash, which only crafted input does): the
 * caller then leaves the list to zod, whose Map uses V8's seeded hash.
 */
export function certainlyDistinct(patterns: readonly string[], hash: (text: string) => number = fnv1a): boolean {
  const count = patterns.length;
  let hashes = new Uint32Array(count);
  let order = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    hashes[i] = hash(patterns[i]!);
    order[i] = i;
  }
  // LSD radix sort of (hash, index) pairs, a byte per pass: reads in order, writes to 256 runs.
  let sortedHashes = new Uint32Array(count);
  let sortedOrder = new Uint32Array(count);
  const starts = new Uint32Array(256);
  for (let shift = 0; shift < 32; shift += 8) {
    starts.fill(0);
    for (let i = 0; i < count; i++) starts[(hashes[i]! >>> shift) & 255]!++;
    for (let digit = 0, sum = 0; digit < 256; digit++) {
      const size = starts[digit]!;
      starts[digit] = sum;
      sum += size;
    }
    for (let i = 0; i < count; i++) {
      const at = starts[(hashes[i]! >>> shift) & 255]!++;
      sortedHashes[at] = hashes[i]!;
      sortedOrder[at] = order[i]!;
    }
    [hashes, sortedHashes] = [sortedHashes, hashes];
    [order, sortedOrder] = [sortedOrder, order];
  }
  for (let start = 0; start < count; ) {
    let end = start + 1;
    while (end < count && hashes[end] === hashes[start]) end++;
    if (end - start > MAX_SAME_HASH) return false;
    for (let a = start; a < end; a++) {
      for (let b = a + 1; b < end; b++) if (patterns[order[a]!] === patterns[order[b]!]) return false;
    }
    start = end;
  }
  return true;
}
