/**
 * The set parseList's fast path finds duplicate patterns with. A Set<string> of 100k patterns fresh
 * from JSON.parse cost more than all the other checks together; this table is sized once for the
 * list and hashes with FNV-1a. A list is untrusted input: patterns crafted to collide could make
 * every insertion walk a long chain, so the probes are budgeted, and when the budget is spent the
 * set says "not sure" and the caller leaves the list to zod (whose Map uses V8's seeded hash).
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Probes allowed per slot of the table: linear probing at half load averages under two per insertion. */
const PROBES_PER_SLOT = 4;

/** 32-bit FNV-1a over UTF-16 units: a few instructions per character, no allocation. */
export function fnv1a(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

export class PatternSet {
  /** 1 + the index in `texts` of the pattern in each slot; 0 for an empty slot. */
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly texts: string[] = [];
  private readonly mask: number;
  private probeBudget: number;

  /** A set for up to `capacity` patterns: the table stays at most half full. */
  constructor(capacity: number) {
    // Sized for the whole list up front: no rehashing while 1M patterns go in.
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(size);
    this.mask = size - 1;
    this.probeBudget = size * PROBES_PER_SLOT;
  }

  /** true: added; false: already there; null: not sure (the probe budget is spent, or the set is full). */
  add(text: string): boolean | null {
    if (this.texts.length * 2 >= this.slots.length) return null;
    const hash = fnv1a(text);
    let slot = hash & this.mask;
    for (;;) {
      const stored = this.slots[slot]!;
      if (stored === 0) break;
      if (this.hashes[slot] === hash && this.texts[stored - 1] === text) return false;
      if (--this.probeBudget < 0) return null;
      slot = (slot + 1) & this.mask;
    }
    this.texts.push(text);
    this.slots[slot] = this.texts.length;
    this.hashes[slot] = hash;
    return true;
  }
}
