/** Order statistics over timing samples. */

function sorted(samples: ArrayLike<number>): Float64Array {
  if (samples.length === 0) throw new Error('no samples');
  return Float64Array.from(samples).sort();
}

/** The p-th percentile (0–100), linear interpolation between closest ranks. */
export function percentile(samples: ArrayLike<number>, p: number): number {
  const values = sorted(samples);
  const rank = (p / 100) * (values.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return values[lo]! + (values[hi]! - values[lo]!) * (rank - lo);
}

export function median(samples: ArrayLike<number>): number {
  return percentile(samples, 50);
}
