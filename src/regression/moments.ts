/**
 * Weighted moments of one variable — total weight, mean and the sum of squared deviations from
 * the mean — as mergeable sufficient statistics. Sums of v and v² merge too, but lose every digit
 * when the mean is large next to the spread (a salary of 1e8 predicted to within 1); centred
 * moments merge exactly as well (Chan, Golub & LeVeque 1979) and keep them. Every regression
 * number of fairkit is a function of these, per group.
 */

/** Σw, the weighted mean and Σw(v − mean)² of one variable. */
export interface Moments {
  weight: number;
  mean: number;
  /** Σ w (v − mean)². */
  m2: number;
}

/** The moments of no rows. */
export const NO_MOMENTS: Readonly<Moments> = Object.freeze({ weight: 0, mean: 0, m2: 0 });

/**
 * The moments of the union of two sets of rows (Chan et al.'s pairwise update).
 *
 * @example
 * mergeMoments(momentsOf(Float64Array.of(1, 2)), momentsOf(Float64Array.of(3))); // { weight: 3, mean: 2, m2: 2 }
 */
export function mergeMoments(a: Moments, b: Moments): Moments {
  if (b.weight === 0) return { ...a };
  if (a.weight === 0) return { ...b };
  const weight = a.weight + b.weight;
  const delta = b.mean - a.mean;
  return {
    weight,
    mean: a.mean + (delta * b.weight) / weight,
    m2: a.m2 + b.m2 + ((delta * delta * a.weight) / weight) * b.weight,
  };
}

/**
 * Moments of `values` (optionally weighted, optionally only the rows listed in `rows`), by two
 * passes with the corrected second pass, so the result is accurate to rounding.
 *
 * @example
 * momentsOf(Float64Array.of(1, 2, 3)); // { weight: 3, mean: 2, m2: 2 }
 */
export function momentsOf(values: ArrayLike<number>, weights?: ArrayLike<number>, rows?: ArrayLike<number>): Moments {
  const n = rows ? rows.length : values.length;
  let weight = 0;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const i = rows ? rows[k] : k;
    const w = weights ? weights[i] : 1;
    weight += w;
    sum += w * values[i];
  }
  if (weight === 0) return { ...NO_MOMENTS };
  let mean = sum / weight;
  let c = 0;
  let m2 = 0;
  for (let k = 0; k < n; k++) {
    const i = rows ? rows[k] : k;
    const w = weights ? weights[i] : 1;
    const d = values[i] - mean;
    c += w * d;
    m2 += w * d * d;
  }
  mean += c / weight;
  m2 = Math.max(0, m2 - (c * c) / weight);
  return { weight, mean, m2 };
}

/** The weighted population variance Σw(v − mean)² / Σw (NaN without weight). */
export function varianceOf(m: Moments): number {
  return m.weight > 0 ? m.m2 / m.weight : Number.NaN;
}

/**
 * The standard error of the weighted mean, with Kish's effective sample size
 * n_eff = (Σw)² / Σw²: s / √n_eff with s² = Σw(v − mean)²/Σw · n_eff / (n_eff − 1). Without
 * weights this is the textbook s / √n. NaN below two effective rows.
 */
export function standardErrorOfMean(m: Moments, weightSquared: number): number {
  if (m.weight <= 0 || weightSquared <= 0) return Number.NaN;
  const nEff = (m.weight * m.weight) / weightSquared;
  if (!(nEff > 1)) return Number.NaN;
  const s2 = ((m.m2 / m.weight) * nEff) / (nEff - 1);
  return Math.sqrt(s2 / nEff);
}
