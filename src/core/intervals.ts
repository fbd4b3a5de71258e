/**
 * Uncertainty: Wilson score intervals for proportions and percentile intervals for bootstrap
 * replicates.
 */
import { type Cells, sumCells } from "./confusion.js";
import type { ProportionSpec } from "./metrics.js";
import { DEFAULTS } from "./defaults.js";

/** A closed interval [low, high]; NaN ends when it cannot be computed. */
export type Interval = [number, number];

/**
 * The standard normal quantile (inverse CDF), by Acklam's rational approximation (relative error
 * below 1.2e-9, far below what any interval here needs).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  return x;
}

/** Complementary error function (Chebyshev fit, as in Numerical Recipes' erfcc; relative error below 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** The two-sided z of the last level asked for: an audit asks for one level hundreds of thousands of times. */
let lastLevel = Number.NaN;
let lastZ = Number.NaN;

/** The two-sided normal quantile of a confidence level: z with P(|Z| <= z) = level (1.96 for 0.95). */
export function twoSidedZ(level: number): number {
  if (level !== lastLevel) {
    lastZ = normalQuantile(1 - (1 - level) / 2);
    lastLevel = level;
  }
  return lastZ;
}

/**
 * Wilson score interval for a proportion `p` observed on `n` (effective) trials.
 *
 * @example
 * wilsonInterval(0.5, 100); // ≈ [0.4038, 0.5962]
 */
export function wilsonInterval(p: number, n: number, level: number = DEFAULTS.level): Interval {
  if (!(n > 0) || Number.isNaN(p)) return [Number.NaN, Number.NaN];
  const z = twoSidedZ(level);
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At p = 0 (or 1) the bound is exactly 0 (or 1); the subtraction would leave rounding dust like 5e-20.
  return [p === 0 ? 0 : Math.max(0, center - half), p === 1 ? 1 : Math.min(1, center + half)];
}

/**
 * Wilson interval of a proportion metric on one group's cells. Under weights the number of trials
 * is Kish's effective sample size (Σw)² / Σw² of the denominator's rows, so that weights neither
 * invent nor hide evidence; without weights it is the row count.
 */
export function wilsonForCells(spec: ProportionSpec, cells: Cells, level: number = DEFAULTS.level): Interval {
  const den = sumCells(cells, spec.denominator);
  if (den.weight === 0) return [Number.NaN, Number.NaN];
  const p = sumCells(cells, spec.numerator).weight / den.weight;
  const nEff = (den.weight * den.weight) / den.weight2;
  return wilsonInterval(p, nEff, level);
}

/** Linear-interpolated quantile of the finite values (NaN when there are none). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) finite.push(values[i]);
  if (finite.length === 0) return Number.NaN;
  finite.sort((a, b) => a - b);
  const pos = (finite.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return finite[lo] + (finite[hi] - finite[lo]) * (pos - lo);
}

/** Percentile interval of bootstrap replicates (NaN replicates are left out). */
export function percentileInterval(replicates: ArrayLike<number>, level: number = DEFAULTS.level): Interval {
  const alpha = (1 - level) / 2;
  return [quantile(replicates, alpha), quantile(replicates, 1 - alpha)];
}
