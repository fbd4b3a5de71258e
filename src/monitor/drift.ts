/**
 * Drift of a score distribution between a reference and a current sample, from binned counts
 * only (so the measures merge like every other count in fairkit): the population stability index,
 * the Jensen–Shannon divergence and the Kolmogorov–Smirnov distance. Each takes two arrays of
 * (weighted) counts over the same bins; none reads a row.
 *
 * Binning: the edges are fixed from the reference — its deciles by default
 * ({@link referenceEdges}), repeated values dropped — so every window is binned the same way and
 * the reference's own bins hold about a tenth of its rows each. Bin k holds `edges[k-1] <= score <
 * edges[k]` (the first bin everything below the first edge, the last everything from the last
 * edge up), the same `score >= t` convention as a threshold.
 *
 * Browser-safe: no dependencies.
 */
import { FairkitError, messages } from "../core/errors.js";

/**
 * Proportions below this are raised to it in the population stability index, whose log ratio is
 * infinite for an empty bin (a common convention; the Jensen–Shannon divergence and the
 * Kolmogorov–Smirnov distance need no such floor).
 */
export const PSI_EPSILON = 1e-4;

function proportions(counts: ArrayLike<number>, name: string): number[] | undefined {
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (!(typeof c === "number" && Number.isFinite(c) && c >= 0))
      throw new FairkitError("BAD_ARGUMENT", messages.badBinCount(name, i, c), { argument: name });
    total += c;
  }
  if (total === 0) return undefined;
  return Array.from(counts, (c) => c / total);
}

function pair(reference: ArrayLike<number>, current: ArrayLike<number>): [number[], number[]] | undefined {
  if (reference.length !== current.length || reference.length === 0)
    throw new FairkitError("BAD_ARGUMENT", messages.binLengths(reference.length, current.length), {
      argument: "current",
    });
  const p = proportions(reference, "reference");
  const q = proportions(current, "current");
  return p && q ? [p, q] : undefined;
}

/**
 * Population stability index Σ (qᵢ − pᵢ) · ln(qᵢ / pᵢ) of the current proportions q against the
 * reference p (proportions below {@link PSI_EPSILON} raised to it). 0 for identical
 * distributions, ≥ 0 always; the usual reading is < 0.1 stable, 0.1–0.25 a moderate shift,
 * > 0.25 a large one. NaN when either sample is empty.
 *
 * @example
 * populationStabilityIndex([50, 50], [25, 75]); // 0.25 · ln 3 ≈ 0.2747
 */
export function populationStabilityIndex(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const pq = pair(reference, current);
  if (!pq) return Number.NaN;
  const [p, q] = pq;
  let psi = 0;
  for (let i = 0; i < p.length; i++) {
    const a = Math.max(p[i], PSI_EPSILON);
    const b = Math.max(q[i], PSI_EPSILON);
    psi += (b - a) * Math.log(b / a);
  }
  return psi;
}

/**
 * Jensen–Shannon divergence ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q) / 2, in bits (log base 2), so
 * it lies in [0, 1]: 0 for identical distributions, 1 for distributions with no bin in common.
 * (Its square root is the Jensen–Shannon distance.) NaN when either sample is empty.
 *
 * @example
 * jensenShannonDivergence([1, 0], [0, 1]); // 1
 */
export function jensenShannonDivergence(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const pq = pair(reference, current);
  if (!pq) return Number.NaN;
  const [p, q] = pq;
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i] + q[i]) / 2;
    if (p[i] > 0) js += 0.5 * p[i] * Math.log2(p[i] / m);
    if (q[i] > 0) js += 0.5 * q[i] * Math.log2(q[i] / m);
  }
  // Rounding can leave −1e-17 for identical inputs.
  return Math.min(1, Math.max(0, js));
}

/**
 * Kolmogorov–Smirnov distance max |P(k) − Q(k)| between the cumulative proportions over the bins,
 * in [0, 1]. On binned counts it is the largest gap at a bin edge: exact for scores with no more
 * distinct values than bins (e.g. COMPAS's deciles), a lower bound of the distance between the
 * raw samples otherwise. NaN when either sample is empty.
 *
 * @example
 * kolmogorovSmirnovDistance([50, 50], [25, 75]); // 0.25
 */
export function kolmogorovSmirnovDistance(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const pq = pair(reference, current);
  if (!pq) return Number.NaN;
  const [p, q] = pq;
  let cp = 0;
  let cq = 0;
  let ks = 0;
  for (let i = 0; i < p.length; i++) {
    cp += p[i];
    cq += q[i];
    ks = Math.max(ks, Math.abs(cp - cq));
  }
  return Math.min(1, ks);
}

/** The three drift measures of one pair of binned samples. */
export interface ScoreDrift {
  psi: number;
  js: number;
  ks: number;
}

/** PSI, Jensen–Shannon (bits) and Kolmogorov–Smirnov of one pair of binned samples. */
export function scoreDrift(reference: ArrayLike<number>, current: ArrayLike<number>): ScoreDrift {
  return {
    psi: populationStabilityIndex(reference, current),
    js: jensenShannonDivergence(reference, current),
    ks: kolmogorovSmirnovDistance(reference, current),
  };
}

/**
 * Bin edges from the reference's quantiles (e.g. its deciles at 0.1, …, 0.9): sorted, repeated
 * values dropped, so a score with few distinct values gets fewer bins rather than empty ones.
 *
 * @example
 * referenceEdges([1, 2, 2, 3, 3, 3]); // [1, 2, 3]
 */
export function referenceEdges(quantiles: readonly number[]): number[] {
  for (const q of quantiles)
    if (!Number.isFinite(q)) throw new FairkitError("BAD_ARGUMENT", messages.badEdge(q), { argument: "edges" });
  return [...new Set(quantiles)].sort((a, b) => a - b);
}

/** The bin of a score: how many edges are ≤ it (0 … edges.length). */
export function binOf(edges: readonly number[], score: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= score) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
