/**
 * Consistency (Zemel et al. 2013, "Learning fair representations"): similar individuals should get
 * similar predictions. The rule of this file: a row's inconsistency is |ŷᵢ − mean of ŷ over its k
 * nearest neighbours| with the neighbours of {@link nearestNeighbors} (exact, ties to the lower row
 * index), and every number here (the value, the per-row values, the worst rows, the groups) is a
 * weighted mean of those per-row values; nothing is sampled but the bootstrap intervals.
 */
import { DEFAULTS } from "../core/defaults.js";
import { FairkitError, messages } from "../core/errors.js";
import { type GroupInfo, type SensitiveInput, encodeGroups } from "../core/groups.js";
import { type Interval, percentileInterval } from "../core/intervals.js";
import { createRandom } from "../core/random.js";
import { checkLength, toScores, toWeights } from "../core/validate.js";
import { type MatrixInput, toMatrix } from "../models/matrix.js";
import { type DistanceMetric, type NeighborMethod, nearestNeighbors, standardizeColumns } from "./neighbors.js";

/** Options of {@link consistency}. */
export interface ConsistencyOptions {
  /** Features, one row per individual. */
  X: MatrixInput;
  /** Predictions: decisions 0/1 or scores in [0, 1]. */
  yPred: ArrayLike<number>;
  /** Neighbours per row; default 5 (AIF360's and the paper's). */
  k?: number;
  /** Count each row among its own neighbours, as AIF360 does (scikit-learn's kneighbors(X)); default true. */
  includeSelf?: boolean;
  /** Default `euclidean`. */
  metric?: DistanceMetric;
  /** Neighbour search method; default `auto` (the result is the same for every method). */
  method?: NeighborMethod;
  /**
   * Z-score each column (mean, population standard deviation; a constant column becomes 0) before
   * the search; default false: X is used as given.
   */
  standardize?: boolean;
  /** Row weights of the mean over rows (not of the neighbour means, which are plain means); default 1. */
  sampleWeight?: ArrayLike<number>;
  /** Groups to break the inconsistency down by (as in MetricFrame: a column or named columns). */
  sensitiveFeatures?: SensitiveInput;
  /** How many of the most inconsistent rows to return; default 10. */
  worst?: number;
  /** Level of the groups' intervals; default 0.95. */
  level?: number;
  /** Bootstrap of the groups' intervals: `n` replicates (default 1000), `seed` (default 0). */
  bootstrap?: { n?: number; seed?: number };
}

/** One of the most inconsistent rows. */
export interface InconsistentRow {
  /** Row index. */
  index: number;
  /** |ŷᵢ − mean of its neighbours' ŷ|. */
  value: number;
  yPred: number;
  /** The neighbours' row indexes, nearest first. */
  neighbors: number[];
}

/** The inconsistency of one group's rows. */
export interface GroupConsistency {
  group: GroupInfo;
  /** Rows in the group. */
  n: number;
  /** Weighted mean of the group's per-row inconsistency. */
  inconsistency: number;
  /** Seeded bootstrap percentile interval of `inconsistency` (rows resampled within the group). */
  interval: Interval;
  /** 1 − inconsistency. */
  consistency: number;
}

/** The result of {@link consistency}. */
export interface ConsistencyResult {
  /** 1 − Σ wᵢ |ŷᵢ − mean ŷ over kNN(i)| / Σ wᵢ: 1 when every row agrees with its neighbours. */
  value: number;
  k: number;
  includeSelf: boolean;
  /** Rows. */
  n: number;
  /** |ŷᵢ − mean of its neighbours' ŷ| per row. */
  perRow: Float64Array;
  /** The most inconsistent rows, largest first (ties: lower index first). */
  worst: InconsistentRow[];
  /** With sensitiveFeatures: the inconsistency of each group's rows (their neighbours may be in any group). */
  groups?: GroupConsistency[];
  /** Sensitive column names of `groups`. */
  columns?: string[];
}

/**
 * Consistency of predictions with the predictions of each row's k nearest neighbours:
 * `1 − Σ wᵢ |ŷᵢ − mean_{j ∈ kNN(i)} ŷⱼ| / Σ wᵢ`. With the defaults (k = 5, the row its own
 * neighbour, Euclidean) it is AIF360's `consistency_score` (`1 − mean |yᵢ − mean y[kNN(i)]|` with
 * scikit-learn's `NearestNeighbors(n_neighbors=5).kneighbors(X)`), except that fairkit breaks
 * distance ties by the lower row index where scikit-learn leaves them to its tree.
 *
 * With `sensitiveFeatures`, each group's mean inconsistency comes with a seeded bootstrap
 * percentile interval: the group's rows are resampled with replacement, their neighbours kept
 * (the interval is conditional on the neighbour graph; it does not redo the search).
 *
 * @example
 * const r = consistency({ X: [[0], [1], [2], [10]], yPred: [0, 0, 1, 1], k: 2 });
 * // neighbours (self first): {0,1} {1,0} {2,1} {3,2}; means 0, 0, 0.5, 1
 * r.value;  // 1 − (0 + 0 + 0.5 + 0) / 4 = 0.875
 * r.perRow; // Float64Array [0, 0, 0.5, 0]
 */
export function consistency(options: ConsistencyOptions): ConsistencyResult {
  let X = toMatrix(options.X, "X");
  const n = X.rows;
  if (n === 0) throw new FairkitError("EMPTY_INPUT", messages.empty("X"), { argument: "X" });
  checkLength(options.yPred, "yPred", n, "X");
  const yPred = toScores(options.yPred, "yPred");
  for (let i = 0; i < n; i++) {
    if (yPred[i] < 0 || yPred[i] > 1)
      throw new FairkitError("BAD_SCORE", messages.scoreNotProbability("yPred", i, yPred[i]), {
        argument: "yPred",
        row: i,
      });
  }
  let weights: Float64Array | undefined;
  if (options.sampleWeight !== undefined) {
    checkLength(options.sampleWeight, "sampleWeight", n, "X");
    weights = toWeights(options.sampleWeight);
  }
  const worstCount = options.worst ?? 10;
  if (!Number.isInteger(worstCount) || worstCount < 0)
    throw new FairkitError("BAD_ARGUMENT", messages.notNonNegativeInteger("worst", worstCount), {
      argument: "worst",
    });
  const encoding =
    options.sensitiveFeatures === undefined ? undefined : encodeGroups(options.sensitiveFeatures, n, "X");
  if (options.standardize) X = standardizeColumns(X);
  const includeSelf = options.includeSelf ?? true;
  const nn = nearestNeighbors(X, {
    k: options.k ?? 5,
    includeSelf,
    metric: options.metric,
    method: options.method,
  });
  const { k, index } = nn;

  const perRow = new Float64Array(n);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let r = i * k; r < i * k + k; r++) sum += yPred[index[r]];
    const v = Math.abs(yPred[i] - sum / k);
    perRow[i] = v;
    const w = weights ? weights[i] : 1;
    num += w * v;
    den += w;
  }
  const value = den > 0 ? 1 - num / den : Number.NaN;

  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => perRow[b] - perRow[a] || a - b);
  const worst = order.slice(0, Math.min(worstCount, n)).map((i) => ({
    index: i,
    value: perRow[i],
    yPred: yPred[i],
    neighbors: Array.from(index.subarray(i * k, i * k + k)),
  }));

  const result: ConsistencyResult = { value, k, includeSelf, n, perRow, worst };
  if (encoding) {
    const level = options.level ?? DEFAULTS.level;
    const replicates = options.bootstrap?.n ?? DEFAULTS.bootstrap.n;
    if (!Number.isInteger(replicates) || replicates <= 0)
      throw new FairkitError("BAD_ARGUMENT", messages.notPositiveInteger("bootstrap.n", replicates), {
        argument: "bootstrap.n",
      });
    const rng = createRandom(options.bootstrap?.seed ?? DEFAULTS.bootstrap.seed);
    const members: number[][] = encoding.groups.map(() => []);
    for (let i = 0; i < n; i++) members[encoding.codes[i]].push(i);
    result.columns = encoding.columns;
    result.groups = encoding.groups.map((group, g) => {
      const rows = members[g];
      const mean = (pick: (r: number) => number) => {
        let s = 0;
        let t = 0;
        for (let r = 0; r < rows.length; r++) {
          const i = rows[pick(r)];
          const w = weights ? weights[i] : 1;
          s += w * perRow[i];
          t += w;
        }
        return t > 0 ? s / t : Number.NaN;
      };
      const inconsistency = mean((r) => r);
      const draws = new Float64Array(replicates);
      for (let b = 0; b < replicates; b++) draws[b] = mean(() => rng.int(rows.length));
      return {
        group,
        n: rows.length,
        inconsistency,
        interval: percentileInterval(draws, level),
        consistency: 1 - inconsistency,
      };
    });
  }
  return result;
}
