/**
 * A weighted empirical distribution: its distinct values, ascending, with the weight at each.
 * Exact (no sketch), mergeable by merging sorted keys, and the input of every distribution
 * comparison of the regression audit: quantiles, the Kolmogorov–Smirnov distance and the
 * Wasserstein-1 (earth mover's) distance between two groups' predictions.
 */
import { argsortFloat64, sortFloat64 } from "../thresholds/radix-sort.js";

/** Distinct values ascending and the total weight at each. */
export interface WeightedDistribution {
  values: Float64Array;
  weights: Float64Array;
  /** Σ weights. */
  total: number;
}

function collapse(sorted: Float64Array, weightsInOrder: Float64Array | undefined): WeightedDistribution {
  const n = sorted.length;
  const values = new Float64Array(n);
  const weights = new Float64Array(n);
  let m = -1;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weightsInOrder ? weightsInOrder[i] : 1;
    total += w;
    if (m >= 0 && values[m] === sorted[i]) weights[m] += w;
    else {
      m++;
      values[m] = sorted[i];
      weights[m] = w;
    }
  }
  return { values: values.slice(0, m + 1), weights: weights.slice(0, m + 1), total };
}

/**
 * The distribution of `values` (finite numbers), weighted, over all rows or those in `rows`.
 *
 * @example
 * distributionOf(Float64Array.of(2, 1, 2)); // values [1, 2], weights [1, 2], total 3
 */
export function distributionOf(
  values: ArrayLike<number>,
  weights?: ArrayLike<number>,
  rows?: ArrayLike<number>,
): WeightedDistribution {
  const n = rows ? rows.length : values.length;
  const picked = new Float64Array(n);
  for (let k = 0; k < n; k++) picked[k] = values[rows ? rows[k] : k];
  if (!weights) return collapse(sortFloat64(picked), undefined);
  const order = argsortFloat64(picked);
  const sorted = new Float64Array(n);
  const w = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    sorted[k] = picked[order[k]];
    w[k] = weights[rows ? rows[order[k]] : order[k]];
  }
  return collapse(sorted, w);
}

/** The distribution of the union of two sets of rows. */
export function mergeDistributions(a: WeightedDistribution, b: WeightedDistribution): WeightedDistribution {
  const values = new Float64Array(a.values.length + b.values.length);
  const weights = new Float64Array(values.length);
  let i = 0;
  let j = 0;
  let m = 0;
  while (i < a.values.length || j < b.values.length) {
    const takeA = j >= b.values.length || (i < a.values.length && a.values[i] <= b.values[j]);
    const v = takeA ? a.values[i] : b.values[j];
    const w = takeA ? a.weights[i++] : b.weights[j++];
    if (m > 0 && values[m - 1] === v) weights[m - 1] += w;
    else {
      values[m] = v;
      weights[m++] = w;
    }
  }
  return { values: values.slice(0, m), weights: weights.slice(0, m), total: a.total + b.total };
}

/**
 * The q-quantile by the inverted CDF: the smallest value whose cumulative weight reaches q of the
 * total (numpy's `inverted_cdf`; with weights, the weighted version). NaN when empty.
 *
 * @example
 * weightedQuantile(distributionOf(Float64Array.of(1, 2, 3, 4)), 0.5); // 2
 */
export function weightedQuantile(d: WeightedDistribution, q: number): number {
  if (d.values.length === 0 || !(d.total > 0)) return Number.NaN;
  // Relative slack so a cumulative sum that is q·total up to rounding counts as reaching it.
  const target = q * d.total * (1 - 1e-12);
  let cumulative = 0;
  for (let k = 0; k < d.values.length; k++) {
    cumulative += d.weights[k];
    if (cumulative >= target && cumulative > 0) return d.values[k];
  }
  return d.values[d.values.length - 1];
}

/** Calls `step(x, Fa(x), Fb(x), next)` at every distinct value of either distribution, ascending. */
function walk(
  a: WeightedDistribution,
  b: WeightedDistribution,
  step: (x: number, fa: number, fb: number, next: number) => void,
): void {
  let i = 0;
  let j = 0;
  let ca = 0;
  let cb = 0;
  while (i < a.values.length || j < b.values.length) {
    const x = Math.min(
      i < a.values.length ? a.values[i] : Number.POSITIVE_INFINITY,
      j < b.values.length ? b.values[j] : Number.POSITIVE_INFINITY,
    );
    while (i < a.values.length && a.values[i] === x) ca += a.weights[i++];
    while (j < b.values.length && b.values[j] === x) cb += b.weights[j++];
    const next = Math.min(
      i < a.values.length ? a.values[i] : Number.POSITIVE_INFINITY,
      j < b.values.length ? b.values[j] : Number.POSITIVE_INFINITY,
    );
    step(x, ca / a.total, cb / b.total, next);
  }
}

/**
 * The Kolmogorov–Smirnov distance sup |Fa − Fb| between two weighted distributions (scipy's
 * `ks_2samp` statistic without weights), in [0, 1]. NaN when either is empty.
 *
 * @example
 * ksDistance(distributionOf(Float64Array.of(1, 2)), distributionOf(Float64Array.of(2, 3))); // 0.5
 */
export function ksDistance(a: WeightedDistribution, b: WeightedDistribution): number {
  if (!(a.total > 0) || !(b.total > 0)) return Number.NaN;
  let sup = 0;
  walk(a, b, (_x, fa, fb) => {
    sup = Math.max(sup, Math.abs(fa - fb));
  });
  return sup;
}

/**
 * The Wasserstein-1 distance ∫ |Fa − Fb| dx (scipy's `wasserstein_distance`), in the units of
 * the values: how far, on average, predictions must move to turn one group's distribution into
 * the other's. NaN when either is empty.
 *
 * @example
 * wasserstein1(distributionOf(Float64Array.of(0, 1)), distributionOf(Float64Array.of(2, 3))); // 2
 */
export function wasserstein1(a: WeightedDistribution, b: WeightedDistribution): number {
  if (!(a.total > 0) || !(b.total > 0)) return Number.NaN;
  let area = 0;
  walk(a, b, (x, fa, fb, next) => {
    if (Number.isFinite(next)) area += Math.abs(fa - fb) * (next - x);
  });
  return area;
}
