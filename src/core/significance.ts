/**
 * Significance tests for comparing two proportions, and corrections for testing many at once.
 * Used by the regulatory tables (the EEOC four-fifths rule asks whether a low impact ratio is
 * more than chance) and by subgroup discovery (which tests hundreds of subgroups).
 */
import { FairkitError, messages } from "./errors.js";
import { normalCdf } from "./intervals.js";

/**
 * Natural log of the gamma function (Lanczos approximation, g = 7, 9 terms; relative error below
 * 1e-13 for x > 0), used for exact log-factorials of large counts.
 */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let sum = c[0];
  for (let k = 1; k < 9; k++) sum += c[k] / (z + k);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** log(n!) for a non-negative integer n (exact sums below 256, Lanczos above). */
export function logFactorial(n: number): number {
  if (n < 256) {
    let s = 0;
    for (let k = 2; k <= n; k++) s += Math.log(k);
    return s;
  }
  return logGamma(n + 1);
}

/** A 2×2 table of counts: `a` successes and `b` failures in the first sample, `c` and `d` in the second. */
export interface TwoByTwo {
  a: number;
  b: number;
  c: number;
  d: number;
}

function checkCounts(t: TwoByTwo): void {
  for (const k of ["a", "b", "c", "d"] as const) {
    const v = t[k];
    if (!(Number.isInteger(v) && v >= 0)) {
      throw new FairkitError("BAD_ARGUMENT", messages.fisherNeedsCounts(k, v), { argument: k });
    }
  }
}

/**
 * Two-sided Fisher's exact test of a 2×2 table: the probability, under independence with all
 * margins fixed (the hypergeometric distribution), of a table at most as likely as the one
 * observed. This is the definition R's `fisher.test` and SciPy's `fisher_exact` use; a relative
 * tolerance of 1e-7 counts tables tied with the observed one despite rounding.
 *
 * The distribution is unimodal, so the sum walks outwards from the mode by the ratio of
 * neighbouring probabilities and stops once the terms no longer change it: O(√n) steps rather
 * than one log-factorial per possible table.
 *
 * @example
 * fisherExactTest({ a: 1, b: 9, c: 11, d: 3 }); // ≈ 0.002759
 */
export function fisherExactTest(table: TwoByTwo): number {
  checkCounts(table);
  const { a, b, c, d } = table;
  const row1 = a + b;
  const row2 = c + d;
  const col1 = a + c;
  const n = row1 + row2;
  if (row1 === 0 || row2 === 0 || col1 === 0 || col1 === n) return 1;
  const lo = Math.max(0, col1 - row2);
  const hi = Math.min(row1, col1);
  const logP = (x: number) =>
    logFactorial(row1) +
    logFactorial(row2) +
    logFactorial(col1) +
    logFactorial(n - col1) -
    logFactorial(n) -
    logFactorial(x) -
    logFactorial(row1 - x) -
    logFactorial(col1 - x) -
    logFactorial(row2 - col1 + x);
  const mode = Math.min(hi, Math.max(lo, Math.floor(((row1 + 1) * (col1 + 1)) / (n + 2))));
  const logMode = logP(mode);
  // Probabilities relative to the mode's; a table counts when it is at most as likely as the observed one.
  const cutoff = Math.exp(logP(a) - logMode) * (1 + 1e-7);
  let sum = 1 <= cutoff ? 1 : 0;
  let q = 1;
  for (let x = mode + 1; x <= hi; x++) {
    q *= ((row1 - x + 1) * (col1 - x + 1)) / (x * (row2 - col1 + x));
    if (q <= cutoff) {
      sum += q;
      if (q < sum * 1e-17 || q === 0) break;
    }
  }
  q = 1;
  for (let x = mode - 1; x >= lo; x--) {
    q *= ((x + 1) * (row2 - col1 + x + 1)) / ((row1 - x) * (col1 - x));
    if (q <= cutoff) {
      sum += q;
      if (q < sum * 1e-17 || q === 0) break;
    }
  }
  return Math.min(1, sum * Math.exp(logMode));
}

/** Result of {@link twoProportionZTest}. */
export interface ZTestResult {
  /** p1 − p2. */
  difference: number;
  /** The z statistic (NaN when the pooled variance is 0). */
  z: number;
  /** Two-sided p-value (1 when the two samples cannot be told apart at all, NaN when a sample is empty). */
  pValue: number;
}

/**
 * Two-sided z-test for the difference of two proportions with the pooled variance
 * `p̂(1 − p̂)(1/n1 + 1/n2)`. `n1`, `n2` may be effective sample sizes (weights).
 *
 * @example
 * twoProportionZTest(0.3, 100, 0.5, 100).pValue; // ≈ 0.00383
 */
export function twoProportionZTest(p1: number, n1: number, p2: number, n2: number): ZTestResult {
  const difference = p1 - p2;
  if (!(n1 > 0 && n2 > 0) || Number.isNaN(p1) || Number.isNaN(p2))
    return { difference, z: Number.NaN, pValue: Number.NaN };
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (!(variance > 0)) return { difference, z: Number.NaN, pValue: difference === 0 ? 1 : 0 };
  const z = difference / Math.sqrt(variance);
  return { difference, z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))) };
}

/**
 * Holm's step-down adjustment of p-values for testing m hypotheses: controls the family-wise error
 * rate like Bonferroni, and rejects at least as much. NaN p-values stay NaN and do not count in m.
 *
 * @example
 * holmAdjust([0.01, 0.04, 0.03]); // [0.03, 0.06, 0.06]
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const index = pValues.map((_, i) => i).filter((i) => !Number.isNaN(pValues[i]));
  index.sort((i, j) => pValues[i] - pValues[j]);
  const m = index.length;
  const out = pValues.map(() => Number.NaN);
  let running = 0;
  index.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[i]));
    out[i] = running;
  });
  return out;
}

/** Bonferroni's adjustment: each p-value times the number of (defined) tests, capped at 1. */
export function bonferroniAdjust(pValues: readonly number[]): number[] {
  const m = pValues.filter((p) => !Number.isNaN(p)).length;
  return pValues.map((p) => (Number.isNaN(p) ? p : Math.min(1, p * m)));
}

/**
 * The regularised incomplete beta function I_x(a, b) (Lentz's continued fraction, relative error
 * near 1e-14), for Student's t distribution.
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(x > 0)) return 0;
  if (!(x < 1)) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let f = d;
  for (let m = 1; m <= 300; m++) {
    for (const numerator of [
      (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)),
      (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1)),
    ]) {
      d = 1 + numerator * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + numerator / c;
      if (Math.abs(c) < tiny) c = tiny;
      f *= c * d;
    }
    if (Math.abs(c * d - 1) < 1e-15) break;
  }
  return (front * f) / a;
}

/** P(T ≤ t) for Student's t distribution with `df` degrees of freedom (df > 0; Infinity is the normal). */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY || df > 1e7) return normalCdf(t);
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/**
 * The p-quantile of Student's t distribution with `df` degrees of freedom, e.g. 2.2281 for
 * p = 0.975, df = 10 (bisection on {@link studentTCdf} to 1e-12).
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return Number.NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
