/** Order statistics over timing samples, and a bootstrap interval for a difference of medians. */

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

/**
 * 95% percentile-bootstrap interval of median(a) − median(b), resampling each group on its own
 * (`rng` is the bench's seeded generator, so the interval is reproducible for the same samples).
 */
export function bootstrapMedianDifference(a: readonly number[], b: readonly number[], rng: { int(min: number, max: number): number }, resamples = 2000): [number, number] {
  const resampledMedian = (values: readonly number[]) => {
    const draw = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) draw[i] = values[rng.int(0, values.length - 1)]!;
    return median(draw);
  };
  const differences = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) differences[r] = resampledMedian(a) - resampledMedian(b);
  return [percentile(differences, 2.5), percentile(differences, 97.5)];
}
