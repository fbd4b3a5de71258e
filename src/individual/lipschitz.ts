/**
 * Lipschitz audits of individual fairness (Dwork et al. 2012, "Fairness through awareness"): a
 * model f treats similar individuals similarly when |f(x) − f(y)| ≤ L·d(x, y). The rule of this
 * file: the audit looks at each row's k nearest neighbours under the metric d (the row itself
 * left out; each unordered pair once), and reports every pair it looks at, including the pairs
 * at distance 0 that get different scores (identical individuals treated differently: ratio
 * Infinity), which are counted on their own and never dropped from any number.
 */
import { DEFAULTS } from "../core/defaults.js";
import { FairkitError, messages } from "../core/errors.js";
import { type GroupInfo, type SensitiveInput, encodeGroups } from "../core/groups.js";
import { type Interval, wilsonInterval } from "../core/intervals.js";
import { checkLength, toScores } from "../core/validate.js";
import { LogisticRegression } from "../models/logistic-regression.js";
import { type Matrix, type MatrixInput, checkFinite, toMatrix } from "../models/matrix.js";
import { type NeighborMethod, nearestNeighbors, standardizeColumns } from "./neighbors.js";

/**
 * The similarity metric d of the audit.
 *
 * - `weighted`, p = 1: Σ wⱼ|xⱼ − yⱼ| (column j scaled by wⱼ, then Manhattan); p = 2:
 *   √Σ wⱼ(xⱼ − yⱼ)² (column j scaled by √wⱼ, then Euclidean). Weights ≥ 0, default 1; a weight
 *   of 0 ignores the column.
 * - `fair`: Euclidean after removing the directions that predict the sensitive attribute (see
 *   {@link sensitiveSubspaceProjection}), so that individuals who differ only in those directions
 *   count as similar.
 *
 * `standardize` z-scores the columns first (before the weights, or before learning the directions).
 */
export type LipschitzMetric =
  | { kind: "weighted"; p: 1 | 2; weights?: readonly number[]; standardize?: boolean }
  | {
      kind: "fair";
      /** The sensitive attribute of each row: a column of labels (or 0/1), or named columns. */
      sensitive: SensitiveInput;
      standardize?: boolean;
      /** L2 penalty of the logistic regressions that learn the directions; default 1. */
      l2?: number;
    };

/** The result of {@link sensitiveSubspaceProjection}. */
export interface SensitiveSubspace {
  /** Removes the sensitive directions from each row: x − Σ (x·u)u over the orthonormal directions u. */
  project(X: MatrixInput): Matrix;
  /** Orthonormal directions (one per column of X each), in the order they were learned. */
  directions: number[][];
}

/** A direction whose part orthogonal to the earlier ones is below this share of its length adds nothing. */
const DEPENDENT = 1e-6;

function dot(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += a[ao + j] * b[j];
  return s;
}

/**
 * The directions of X that predict a sensitive attribute, and the projection that removes them.
 * For each level of the attribute (one-vs-rest; a single direction when it has two levels, since
 * the second is the first reversed) a logistic regression of the level's indicator on X gives a
 * coefficient vector; Gram–Schmidt makes them orthonormal, dropping those that are (nearly) zero
 * or (nearly) in the span of the earlier ones. The projection onto their orthogonal complement
 * is idempotent and leaves every row orthogonal to every direction.
 *
 * @example
 * const X = toMatrix([[0, 1], [1, 1], [0, 0], [1, 0]]);
 * const { directions, project } = sensitiveSubspaceProjection(X, ["a", "b", "a", "b"]);
 * directions; // ≈ [[-1, 0]]: column 0 predicts the attribute (its sign: "a" has 0 there), column 1 does not
 * project(X).data; // ≈ Float64Array [0, 1, 0, 1, 0, 0, 0, 0]: column 0 removed
 */
export function sensitiveSubspaceProjection(
  X: MatrixInput,
  sensitive: SensitiveInput,
  options: { l2?: number } = {},
): SensitiveSubspace {
  const x = toMatrix(X, "X");
  if (x.rows === 0) throw new FairkitError("EMPTY_INPUT", messages.empty("X"), { argument: "X" });
  checkFinite(x, "X");
  const d = x.cols;
  const encoding = encodeGroups(sensitive, x.rows, "X");
  const directions: Float64Array[] = [];
  const levels = encoding.groups.length;
  // With two levels the second indicator is the complement of the first: one regression suffices.
  const fits = levels < 2 ? 0 : levels === 2 ? 1 : levels;
  for (let g = 0; g < fits; g++) {
    const y = new Uint8Array(x.rows);
    for (let i = 0; i < x.rows; i++) y[i] = encoding.codes[i] === g ? 1 : 0;
    const coef = new LogisticRegression({ l2: options.l2 ?? 1 }).fit(x, y).coef;
    const v = Float64Array.from(coef);
    const norm0 = Math.sqrt(dot(v, 0, v, d));
    if (!(norm0 > 0)) continue;
    // Twice, as modified Gram–Schmidt loses orthogonality to rounding once the vectors are near-parallel.
    for (let pass = 0; pass < 2; pass++) {
      for (const u of directions) {
        const c = dot(v, 0, u, d);
        for (let j = 0; j < d; j++) v[j] -= c * u[j];
      }
    }
    const norm = Math.sqrt(dot(v, 0, v, d));
    if (norm <= DEPENDENT * norm0) continue;
    for (let j = 0; j < d; j++) v[j] /= norm;
    directions.push(v);
  }
  const project = (Y: MatrixInput): Matrix => {
    const m = toMatrix(Y, "X");
    if (m.cols !== d)
      throw new FairkitError("BAD_ARGUMENT", messages.fittedWidth("sensitive subspace projection", m.cols, d), {
        argument: "X",
      });
    const out = Float64Array.from(m.data);
    for (let i = 0; i < m.rows; i++) {
      const o = i * d;
      for (const u of directions) {
        const c = dot(out, o, u, d);
        for (let j = 0; j < d; j++) out[o + j] -= c * u[j];
      }
    }
    return { rows: m.rows, cols: d, data: out };
  };
  return { project, directions: directions.map((u) => Array.from(u)) };
}

/** Options of {@link lipschitzAudit}. */
export interface LipschitzOptions {
  /** Features, one row per individual. */
  X: MatrixInput;
  /** The model's output f(x) per row (a score, a probability, a decision). */
  scores: ArrayLike<number>;
  metric: LipschitzMetric;
  /** Neighbours per row (the row itself excluded); default 5. */
  k?: number;
  /** The Lipschitz constant to test: a pair violates it when |Δf| > L·d. */
  L?: number;
  /** How many of the pairs with the largest ratio to return; default 10. */
  worst?: number;
  /** Groups to break the pairs down by: pairs within a group vs across groups, and per group. */
  sensitiveFeatures?: SensitiveInput;
  /** Names of X's columns: the worst pairs then show both rows' feature values. */
  featureNames?: readonly string[];
  /** Neighbour search method; default `auto`. */
  method?: NeighborMethod;
  /** Level of the Wilson intervals; default 0.95. */
  level?: number;
}

/** The share of pairs that violate `L`, with its Wilson interval (the pairs as trials). */
export interface ViolationRate {
  violations: number;
  rate: number;
  interval: Interval;
}

/** What a set of pairs shows. */
export interface PairSummary {
  pairs: number;
  /** Quantiles of |Δf| / d over the pairs (Infinity included; linear interpolation between order statistics). */
  quantiles: { q50: number; q90: number; q99: number; max: number };
  /** The empirical Lipschitz constant: the largest finite ratio (NaN without pairs). */
  lipschitzConstant: number;
  /** Pairs at distance 0. */
  identical: number;
  /** Pairs at distance 0 whose scores differ: identical individuals treated differently (ratio Infinity). */
  identicalTreatedDifferently: number;
  /** With `L`: the pairs with |Δf| > L·d. */
  violations?: ViolationRate;
}

/** One pair of rows and how differently they are treated. */
export interface LipschitzPair {
  /** Row indexes, a < b. */
  a: number;
  b: number;
  distance: number;
  /** |f(a) − f(b)|. */
  delta: number;
  /** delta / distance (Infinity at distance 0 with delta > 0, 0 when both are 0). */
  ratio: number;
  /** With featureNames: the two rows' values (as given in X, before any scaling). */
  features?: { a: Record<string, number>; b: Record<string, number> };
}

/** The pairs touching one group (a pair across groups counts for both). */
export interface GroupPairs extends PairSummary {
  group: GroupInfo;
}

/** The result of {@link lipschitzAudit}. */
export interface LipschitzResult extends PairSummary {
  k: number;
  L?: number;
  /** Every pair audited, in the order found (by row, then by neighbour). */
  pairList: { a: Int32Array; b: Int32Array; distance: Float64Array; delta: Float64Array };
  /** The pairs with the largest ratio, largest first (then larger delta, then lower indexes). */
  worst: LipschitzPair[];
  /** For the `fair` metric: the sensitive directions removed. */
  directions?: number[][];
  /**
   * For the `fair` metric: distinct rows before and after the projection (rows equal up to the
   * rounding the audit ignores count as one). Far fewer after means the directions that predict the
   * attribute span most of the feature space, and the metric calls different people identical.
   */
  distinctRows?: { before: number; after: number };
  /** What the reader should know before trusting the numbers (a projection that merges most people). */
  warnings: string[];
  /** With sensitiveFeatures: pairs within one group vs across groups. */
  crossing?: { same: PairSummary; different: PairSummary };
  /** With sensitiveFeatures: the pairs touching each group. */
  groups?: GroupPairs[];
  /** Sensitive column names of `groups`. */
  columns?: string[];
}

function ratioOf(delta: number, distance: number): number {
  if (distance === 0) return delta === 0 ? 0 : Number.POSITIVE_INFINITY;
  return delta / distance;
}

/** Quantile of ascending values (Infinity allowed), interpolating linearly between order statistics. */
function sortedQuantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (lo === hi || sorted[lo] === sorted[hi]) return sorted[lo];
  if (sorted[hi] === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function summarize(
  members: ArrayLike<number>,
  distance: Float64Array,
  delta: Float64Array,
  L: number | undefined,
  level: number,
): PairSummary {
  const m = members.length;
  const ratios = new Float64Array(m);
  let identical = 0;
  let different = 0;
  let violations = 0;
  let constant = Number.NaN;
  for (let r = 0; r < m; r++) {
    const p = members[r];
    const ratio = ratioOf(delta[p], distance[p]);
    ratios[r] = ratio;
    if (distance[p] === 0) {
      identical++;
      if (delta[p] > 0) different++;
    }
    if (ratio !== Number.POSITIVE_INFINITY && !(ratio <= constant)) constant = ratio;
    if (L !== undefined && delta[p] > L * distance[p]) violations++;
  }
  ratios.sort();
  const summary: PairSummary = {
    pairs: m,
    quantiles: {
      q50: sortedQuantile(ratios, 0.5),
      q90: sortedQuantile(ratios, 0.9),
      q99: sortedQuantile(ratios, 0.99),
      max: m > 0 ? ratios[m - 1] : Number.NaN,
    },
    lipschitzConstant: constant,
    identical,
    identicalTreatedDifferently: different,
  };
  if (L !== undefined) {
    const rate = m > 0 ? violations / m : Number.NaN;
    summary.violations = { violations, rate, interval: wilsonInterval(rate, m, level) };
  }
  return summary;
}

const KINDS = ["weighted", "fair"] as const;

/** The matrix whose Euclidean (or Manhattan) distances are the metric, and the search metric. */
function metricSpace(
  x: Matrix,
  metric: LipschitzMetric,
): { space: Matrix; search: "euclidean" | "manhattan"; directions?: number[][] } {
  if (typeof metric !== "object" || metric === null || !KINDS.includes(metric.kind))
    throw new FairkitError(
      "BAD_ARGUMENT",
      messages.notOneOf("metric.kind", KINDS, (metric as { kind?: unknown } | null)?.kind),
      { argument: "metric.kind" },
    );
  const base = metric.standardize ? standardizeColumns(x) : x;
  if (metric.kind === "fair") {
    const { project, directions } = sensitiveSubspaceProjection(base, metric.sensitive, { l2: metric.l2 });
    return { space: project(base), search: "euclidean", directions };
  }
  if (metric.p !== 1 && metric.p !== 2)
    throw new FairkitError("BAD_ARGUMENT", messages.notOneOf("metric.p", [1, 2], metric.p), { argument: "metric.p" });
  const d = x.cols;
  const weights = metric.weights;
  if (weights === undefined) return { space: base, search: metric.p === 1 ? "manhattan" : "euclidean" };
  if (weights.length !== d)
    throw new FairkitError("BAD_ARGUMENT", messages.perColumnCount("metric.weights", weights.length, d), {
      argument: "metric.weights",
    });
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const w = weights[j];
    if (typeof w !== "number" || !(w >= 0) || !Number.isFinite(w))
      throw new FairkitError("BAD_ARGUMENT", messages.notFiniteNonNegative(`metric.weights[${j}]`, w), {
        argument: "metric.weights",
      });
    scale[j] = metric.p === 1 ? w : Math.sqrt(w);
  }
  const data = new Float64Array(base.data.length);
  for (let i = 0; i < base.rows; i++) for (let j = 0; j < d; j++) data[i * d + j] = base.data[i * d + j] * scale[j];
  return { space: { rows: base.rows, cols: d, data }, search: metric.p === 1 ? "manhattan" : "euclidean" };
}

/**
 * Audits a model for individual fairness in Dwork et al.'s sense: pairs each row with its k
 * nearest neighbours under `metric` (itself excluded; each unordered pair once) and measures
 * |Δf| / d on every pair: its quantiles, the largest finite one (the empirical Lipschitz
 * constant), the pairs at distance 0 treated differently (ratio Infinity, counted apart), the
 * share of pairs violating a given `L` (|Δf| > L·d, with a Wilson interval over the pairs), the
 * worst pairs, and with `sensitiveFeatures` the same within and across groups and per group.
 * Distances are the neighbour search's, in the scaled (or projected) space of the metric.
 *
 * @example
 * const audit = lipschitzAudit({
 *   X: [[0], [1], [3]],
 *   scores: [0.1, 0.3, 0.4],
 *   metric: { kind: "weighted", p: 1 },
 *   k: 1,
 *   L: 0.1,
 * });
 * // pairs {0,1} (d 1, |Δf| 0.2) and {1,2} (d 2, |Δf| 0.1): ratios 0.2 and 0.05
 * audit.lipschitzConstant; // 0.2 (up to rounding of 0.3 − 0.1)
 * audit.violations; // { violations: 1, rate: 0.5, interval: [0.0945…, 0.9054…] }
 */
export function lipschitzAudit(options: LipschitzOptions): LipschitzResult {
  const x = toMatrix(options.X, "X");
  const n = x.rows;
  if (n === 0) throw new FairkitError("EMPTY_INPUT", messages.empty("X"), { argument: "X" });
  checkFinite(x, "X");
  checkLength(options.scores, "scores", n, "X");
  const scores = toScores(options.scores, "scores");
  const L = options.L;
  if (L !== undefined && !(Number.isFinite(L) && L >= 0))
    throw new FairkitError("BAD_ARGUMENT", messages.notFiniteNonNegative("L", L), { argument: "L" });
  const worstCount = options.worst ?? 10;
  if (!Number.isInteger(worstCount) || worstCount < 0)
    throw new FairkitError("BAD_ARGUMENT", messages.notNonNegativeInteger("worst", worstCount), {
      argument: "worst",
    });
  const featureNames = options.featureNames;
  if (featureNames !== undefined && featureNames.length !== x.cols)
    throw new FairkitError("BAD_ARGUMENT", messages.perColumnCount("featureNames", featureNames.length, x.cols), {
      argument: "featureNames",
    });
  const encoding =
    options.sensitiveFeatures === undefined ? undefined : encodeGroups(options.sensitiveFeatures, n, "X");
  const level = options.level ?? DEFAULTS.level;
  const { space, search, directions } = metricSpace(x, options.metric);
  const kWanted = options.k ?? 5;
  // The audit always leaves the row itself out: say so, rather than the neighbour search's includeSelf.
  if (Number.isInteger(kWanted) && kWanted > n - 1)
    throw new FairkitError("BAD_ARGUMENT", messages.lipschitzTooManyNeighbors(kWanted, n), { argument: "k" });
  const nn = nearestNeighbors(space, { k: kWanted, includeSelf: false, metric: search, method: options.method });
  const { k, index, distance: nd } = nn;

  // Under the fair metric, rows that differ only along the projected directions come out about 1e-11
  // apart instead of 0 (the projection's rounding): distances below a billionth of the data's scale
  // are that rounding, and count as 0 (identical once the sensitive directions are ignored).
  let scale = 0;
  if (directions) for (let t = 0; t < space.data.length; t++) scale = Math.max(scale, Math.abs(space.data[t]));
  const zeroBelow = directions ? 1e-9 * Math.max(scale, 1) * Math.sqrt(space.cols) : 0;

  // Each unordered pair once: from the lower row, or from the higher when the lower does not list it.
  const a: number[] = [];
  const b: number[] = [];
  const pd: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let r = i * k; r < i * k + k; r++) {
      const j = index[r];
      if (j < i) {
        let listed = false;
        for (let s = j * k; s < j * k + k && !listed; s++) listed = index[s] === i;
        if (listed) continue;
      }
      a.push(Math.min(i, j));
      b.push(Math.max(i, j));
      pd.push(nd[r] < zeroBelow ? 0 : nd[r]);
    }
  }
  const m = a.length;
  const pairList = {
    a: Int32Array.from(a),
    b: Int32Array.from(b),
    distance: Float64Array.from(pd),
    delta: new Float64Array(m),
  };
  for (let p = 0; p < m; p++) pairList.delta[p] = Math.abs(scores[pairList.a[p]] - scores[pairList.b[p]]);
  const all = new Int32Array(m);
  for (let p = 0; p < m; p++) all[p] = p;
  const result: LipschitzResult = {
    ...summarize(all, pairList.distance, pairList.delta, L, level),
    k,
    pairList,
    worst: [],
    warnings: [],
  };
  if (L !== undefined) result.L = L;
  if (directions) {
    result.directions = directions;
    const distinct = (m: Matrix, unit: number) => {
      const keys = new Set<string>();
      for (let i = 0; i < m.rows; i++) {
        let key = "";
        for (let j = 0; j < m.cols; j++) key += `${Math.round(m.data[i * m.cols + j] / unit)},`;
        keys.add(key);
      }
      return keys.size;
    };
    const unit = Math.max(zeroBelow, Number.MIN_VALUE);
    const before = distinct(options.metric.standardize ? standardizeColumns(x) : x, unit);
    const after = distinct(space, unit);
    result.distinctRows = { before, after };
    if (after < before / 2)
      result.warnings.push(
        `the fair metric merges ${before} distinct rows into ${after}: the ${directions.length} direction(s) that predict the attribute span most of the ${x.cols}-column feature space, so people who differ in most features count as identical: use a binary attribute (the group of concern against the rest) or the weighted metric`,
      );
  }

  const ratio = (p: number) => ratioOf(pairList.delta[p], pairList.distance[p]);
  const order = Array.from(all);
  order.sort(
    (p, q) =>
      (ratio(q) > ratio(p) ? 1 : ratio(q) < ratio(p) ? -1 : 0) ||
      pairList.delta[q] - pairList.delta[p] ||
      pairList.a[p] - pairList.a[q] ||
      pairList.b[p] - pairList.b[q],
  );
  const rowValues = (i: number): Record<string, number> => {
    const out: Record<string, number> = {};
    featureNames?.forEach((name, j) => {
      out[name] = x.data[i * x.cols + j];
    });
    return out;
  };
  result.worst = order.slice(0, Math.min(worstCount, m)).map((p) => {
    const pair: LipschitzPair = {
      a: pairList.a[p],
      b: pairList.b[p],
      distance: pairList.distance[p],
      delta: pairList.delta[p],
      ratio: ratio(p),
    };
    if (featureNames) pair.features = { a: rowValues(pair.a), b: rowValues(pair.b) };
    return pair;
  });

  if (encoding) {
    const { codes, groups } = encoding;
    const same: number[] = [];
    const different: number[] = [];
    const touching: number[][] = groups.map(() => []);
    for (let p = 0; p < m; p++) {
      const ga = codes[pairList.a[p]];
      const gb = codes[pairList.b[p]];
      (ga === gb ? same : different).push(p);
      touching[ga].push(p);
      if (gb !== ga) touching[gb].push(p);
    }
    result.crossing = {
      same: summarize(same, pairList.distance, pairList.delta, L, level),
      different: summarize(different, pairList.distance, pairList.delta, L, level),
    };
    result.columns = encoding.columns;
    result.groups = groups.map((group, g) => ({
      group,
      ...summarize(touching[g], pairList.distance, pairList.delta, L, level),
    }));
  }
  return result;
}
