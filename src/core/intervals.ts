/**
 * Uncertainty: Wilson score intervals for proportions, closed-form intervals for the difference
 * (Newcombe's hybrid score) and the ratio (MOVER) of two independent proportions built from the
 * two Wilson intervals, and percentile intervals for bootstrap replicates. Under weights every
 * proportion's number of trials is Kish's effective sample size.
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
  const { p, n } = proportionOfCells(spec, cells);
  return wilsonInterval(p, n, level);
}

/** A proportion `p` observed on `n` (effective) trials. */
export interface Proportion {
  p: number;
  n: number;
}

/**
 * A proportion metric on one group's cells: its value and its number of trials, Kish's effective
 * sample size (Σw)² / Σw² of the denominator's rows (the row count without weights). NaN `p` and
 * `n` 0 when the denominator is empty.
 */
export function proportionOfCells(spec: ProportionSpec, cells: Cells): Proportion {
  const den = sumCells(cells, spec.denominator);
  if (den.weight === 0) return { p: Number.NaN, n: 0 };
  return { p: sumCells(cells, spec.numerator).weight / den.weight, n: (den.weight * den.weight) / den.weight2 };
}

/**
 * Newcombe's hybrid score interval for the difference `a.p − b.p` of two independent proportions
 * (Newcombe 1998, method 10): from the Wilson intervals [l₁, u₁] of `a` and [l₂, u₂] of `b`,
 * low = d − √((p₁ − l₁)² + (u₂ − p₂)²) and high = d + √((u₁ − p₁)² + (p₂ − l₂)²). It stays inside
 * [−1, 1], is never degenerate at 0 or 1, and covers close to its level down to small samples,
 * where the Wald interval fails. NaN ends when either proportion is undefined.
 *
 * @example
 * newcombeInterval({ p: 56 / 70, n: 70 }, { p: 48 / 80, n: 80 }); // ≈ [0.0524, 0.3339] (Newcombe's example)
 */
export function newcombeInterval(a: Proportion, b: Proportion, level: number = DEFAULTS.level): Interval {
  return newcombeFromIntervals(a.p, wilsonInterval(a.p, a.n, level), b.p, wilsonInterval(b.p, b.n, level));
}

/** Newcombe's interval of p₁ − p₂ from the two Wilson intervals already at hand (see {@link newcombeInterval}). */
export function newcombeFromIntervals(p1: number, interval1: Interval, p2: number, interval2: Interval): Interval {
  const [l1, u1] = interval1;
  const [l2, u2] = interval2;
  if ([p1, l1, u1, p2, l2, u2].some(Number.isNaN)) return [Number.NaN, Number.NaN];
  const d = p1 - p2;
  return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}

/**
 * MOVER interval for the ratio `a.p / b.p` of two independent proportions, from their Wilson
 * intervals (Donner & Zou 2012; "MOVER-R Wilson" in Fagerland and colleagues' comparisons of
 * intervals for two proportions). Each end θ solves MOVER's equation
 * (p₁ − θp₂)² = (p₁ − l₁)² + θ²(u₂ − p₂)² (the low end) or (p₁ − θp₂)² = (u₁ − p₁)² + θ²(p₂ − l₂)²
 * (the high end): the root below, or above, the estimate p₁ / p₂. NaN ends when either proportion is undefined or `b.p` is 0 (the ratio
 * is then undefined).
 *
 * @example
 * moverRatioInterval({ p: 56 / 70, n: 70 }, { p: 48 / 80, n: 80 }); // ≈ [1.0783, 1.6629]
 */
export function moverRatioInterval(a: Proportion, b: Proportion, level: number = DEFAULTS.level): Interval {
  const [l1, u1] = wilsonInterval(a.p, a.n, level);
  const [l2, u2] = wilsonInterval(b.p, b.n, level);
  if ([l1, u1, l2, u2].some(Number.isNaN) || b.p === 0) return [Number.NaN, Number.NaN];
  const p1 = a.p;
  const p2 = b.p;
  const pp = p1 * p2;
  // Donner & Zou's closed form, low = (p₁p₂ − √D) / (u₂(2p₂ − u₂)), rationalised to
  // l₁(2p₁ − l₁) / (p₁p₂ + √D): the same root, without dividing by u₂(2p₂ − u₂), which is 0 (or
  // negative) when the Wilson interval of b reaches twice its estimate.
  const lowD = pp * pp - l1 * u2 * (2 * p1 - l1) * (2 * p2 - u2);
  const low = p1 === 0 ? 0 : (l1 * (2 * p1 - l1)) / (pp + Math.sqrt(Math.max(0, lowD)));
  const highD = pp * pp - u1 * l2 * (2 * p1 - u1) * (2 * p2 - l2);
  const high = (pp + Math.sqrt(Math.max(0, highD))) / (l2 * (2 * p2 - l2));
  return [low, high];
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
