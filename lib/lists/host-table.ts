/**
 * The two things the block-rule builder does to every pattern host that a million hosts make
 * expensive with plain Maps and sorts: an index of hosts that finds a host's parent domains
 * without slicing strings (HostTable), and a code-unit sort by characters (sortText).
 * lib/lists/block-rules.ts uses both.
 */

const DOT = 46;

const HASH_SEED = 0x811c9dc5 | 0;

/** FNV-1a step: cheap, and good enough once finalised by `finalizeHash`. */
function hashStep(hash: number, charCode: number): number {
  return Math.imul(hash ^ charCode, 0x01000193);
}

/** murmur3's finaliser: spreads FNV's weak low bits, which pick the slot. */
function finalizeHash(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) | 0;
}

/** Hash of `text.slice(from)`, computed right to left like HostTable.closestMarkedParent. */
function hashOfSuffix(text: string, from: number): number {
  let hash = HASH_SEED;
  for (let i = text.length - 1; i >= from; i--) hash = hashStep(hash, text.charCodeAt(i));
  return finalizeHash(hash);
}

/**
 * The domain pattern hosts, each once, by index, in an open-addressing table of typed arrays: a
 * million hosts cost a few array slots each, no object or Map entry per host. Hashing runs right
 * to left (FNV-1a, then murmur3's finaliser), so one pass over a host yields the hash of every
 * parent domain too, and the parents are looked up without slicing a string per parent.
 */
export class HostTable {
  /** Every host once, in the order added. */
  readonly hosts: string[] = [];
  /** `labels[i]`: how many labels `hosts[i]` has. */
  readonly labels: Int32Array;
  readonly #hashes: Int32Array;
  /** index + 1 of the host in each slot; 0 is empty. */
  readonly #slots: Int32Array;
  readonly #mask: number;

  constructor(most: number) {
    this.labels = new Int32Array(most);
    this.#hashes = new Int32Array(most);
    let size = 16;
    while (size < most * 2) size *= 2;
    this.#slots = new Int32Array(size);
    this.#mask = size - 1;
  }

  /** Adds `host` unless it is in already; at most as many hosts as the constructor was told. */
  add(host: string, labels: number): void {
    if (this.hosts.length === this.labels.length) throw new RangeError(`HostTable holds at most ${this.labels.length} hosts`);
    const hash = hashOfSuffix(host, 0);
    let slot = hash & this.#mask;
    for (let ref = this.#slots[slot]!; ref !== 0; slot = (slot + 1) & this.#mask, ref = this.#slots[slot]!) {
      if (this.#hashes[ref - 1] === hash && this.hosts[ref - 1] === host) return;
    }
    const index = this.hosts.length;
    this.hosts.push(host);
    this.labels[index] = labels;
    this.#hashes[index] = hash;
    this.#slots[slot] = index + 1;
  }

  has(host: string): boolean {
    return this.#find(host, 0, hashOfSuffix(host, 0)) !== -1;
  }

  /** Index of `host.slice(from)`, whose hash is given, or -1; slices nothing. */
  #find(host: string, from: number, hash: number): number {
    const length = host.length - from;
    for (let slot = hash & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const ref = this.#slots[slot]!;
      if (ref === 0) return -1;
      if (this.#hashes[ref - 1] === hash) {
        const key = this.hosts[ref - 1]!;
        if (key.length === length && host.endsWith(key)) return ref - 1;
      }
    }
  }

  /**
   * Index of the closest parent domain of `host` in the table whose `marks` slot is not 0, or -1.
   * One right-to-left pass: the parents come top-level first, the last one found is the closest.
   */
  closestMarkedParent(host: string, marks: Uint8Array): number {
    let closest = -1;
    let hash = HASH_SEED;
    // The direct parent starts after the first dot (past the first character): the first label is never hashed.
    const firstDot = host.indexOf('.', 1);
    if (firstDot === -1) return -1;
    for (let i = host.length - 1; i >= firstDot; i--) {
      const code = host.charCodeAt(i);
      if (code === DOT) {
        const index = this.#find(host, i + 1, finalizeHash(hash));
        if (index !== -1 && marks[index] !== 0) closest = index;
      }
      hash = hashStep(hash, code);
    }
    return closest;
  }
}

/** Below this many, a range is insertion-sorted. */
const SMALL_SORT = 24;

/**
 * Sorts strings in place in code-unit order (what `sort()` without a comparator gives), by their
 * characters (MSD radix): at a million hosts two to three times faster than `sort()`, which
 * compares whole strings O(n log n) times.
 */
export function sortText(items: string[]): string[] {
  sortTextRange(items, new Array<string>(items.length), [], 0, items.length, 0);
  return items;
}

/** Buckets by the character at a depth: 0 for a string that ended, 1–128 for code units below 128, 129 for the rest. */
const TEXT_BUCKETS = 130;

/**
 * Sorts `items[from, to)`, which share their first `depth` characters. `counts[depth]` is this
 * depth's bucket table, made once per depth and reused by every range there (a range is done
 * before the next one at its depth starts): thousands of small ranges allocate nothing.
 */
function sortTextRange(items: string[], scratch: string[], counts: Int32Array[], from: number, to: number, depth: number): void {
  if (to - from <= SMALL_SORT) {
    for (let i = from + 1; i < to; i++) {
      const item = items[i]!;
      let j = i - 1;
      for (; j >= from && items[j]! > item; j--) items[j + 1] = items[j]!;
      items[j + 1] = item;
    }
    return;
  }
  // next[bucket]: where the bucket's next string goes, then where it ends; both as offsets from `from`.
  const next = (counts[depth] ??= new Int32Array(TEXT_BUCKETS));
  next.fill(0);
  for (let i = from; i < to; i++) next[textBucket(items[i]!, depth)]!++;
  for (let bucket = 0, offset = 0; bucket < TEXT_BUCKETS; bucket++) {
    const size = next[bucket]!;
    next[bucket] = offset;
    offset += size;
  }
  for (let i = from; i < to; i++) scratch[from + next[textBucket(items[i]!, depth)]!++] = items[i]!;
  for (let i = from; i < to; i++) items[i] = scratch[i]!;
  // Now next[bucket] is where the bucket ends. Strings that ended (bucket 0) are equal; code units
  // from 128 on (never in a canonical host) are compared whole.
  for (let bucket = 1, start = from + next[0]!; bucket < TEXT_BUCKETS; bucket++) {
    const end = from + next[bucket]!;
    if (end - start > 1 && bucket === TEXT_BUCKETS - 1) items.slice(start, end).sort().forEach((item, offset) => (items[start + offset] = item));
    else if (end - start > 1) sortTextRange(items, scratch, counts, start, end, depth + 1);
    start = end;
  }
}

function textBucket(text: string, depth: number): number {
  if (depth >= text.length) return 0;
  const code = text.charCodeAt(depth);
  return code < 128 ? code + 1 : 129;
}

