/**
 * RegressionFrame: per-group regression metrics with intervals, the prediction distribution of
 * each group, and the regression fairness criteria, from rows (y, ŷ, groups, weights) or from
 * already-merged statistics ({@link RegressionFrame.fromStats}). Everything is computed from the
 * per-group moments and distributions of moments.ts and distribution.ts, so results from chunks
 * or partitions merge exactly.
 *
 * Intervals: `normal` (default) gives each mean-type metric mean ± z·SE (Kish's effective n under
 * weights), RMSE the root of the MSE interval, and each difference criterion the interval of the
 * difference between the two groups that set it; R², ratios and distribution distances get none.
 * `bootstrap` (from rows only) gives every metric and criterion a seeded Poisson-bootstrap
 * percentile interval. `none` gives none.
 */
import { FairkitError, type FairkitWarning, messages } from "../core/errors.js";
import {
  encodeGroups,
  findGroup,
  type GroupInfo,
  type GroupReference,
  type Level,
  type SensitiveInput,
} from "../core/groups.js";
import { type Interval, percentileInterval, twoSidedZ } from "../core/intervals.js";
import { createRandom } from "../core/random.js";
import { argsortFloat64 } from "../thresholds/radix-sort.js";
import { DEFAULTS } from "../core/defaults.js";
import { type NumericInput, rowWeights, toScores } from "../core/validate.js";
import {
  type WeightedDistribution,
  ksDistance,
  mergeDistributions,
  wasserstein1,
  weightedQuantile,
} from "./distribution.js";
import {
  REGRESSION_CRITERIA,
  REGRESSION_METRIC_BY_NAME,
  REGRESSION_METRICS,
  type RegressionCriterionName,
  type RegressionCriterionSpec,
  type RegressionGroupStats,
  emptyRegressionStats,
  mergeRegressionStats,
} from "./metrics.js";
import { standardErrorOfMean } from "./moments.js";

/** How regression intervals are computed. */
export type RegressionIntervalMethod = "normal" | "bootstrap" | "none";

/** The quantiles of the predictions shown per group. */
export const PREDICTION_QUANTILES: readonly number[] = Object.freeze([0.1, 0.25, 0.5, 0.75, 0.9]);

/** Options shared by both ways of building a RegressionFrame. */
export interface RegressionFrameCommonOptions {
  /** Confidence level (default 0.95). */
  level?: number;
  /** Groups with fewer rows are flagged small and left out of the criteria (default 30). */
  minGroupSize?: number;
  /** Compare small groups in the criteria too (default false). */
  includeSmallGroups?: boolean;
  /** Compare every group to this one (label, values or tuple) instead of every pair of groups. */
  reference?: GroupReference;
  /** Tolerances of the unitless criteria: KS ≤ `difference` (default 0.1), ratios ≥ `ratio` (default 0.8). */
  tolerances?: { difference?: number; ratio?: number };
}

/** Options of a RegressionFrame built from rows. */
export interface RegressionFrameOptions extends RegressionFrameCommonOptions {
  /** Observed outcomes (finite numbers). */
  yTrue: NumericInput;
  /** Predictions (finite numbers). */
  yPred: NumericInput;
  /** Sensitive columns (several give their intersections). */
  sensitiveFeatures: SensitiveInput;
  /** Non-negative weight per row. */
  sampleWeight?: NumericInput;
  /** `normal` (default), `bootstrap` or `none`. */
  intervals?: RegressionIntervalMethod;
  /** Bootstrap replicates (default 1000) and seed (default 0). */
  bootstrap?: { n?: number; seed?: number };
}

/** One group's statistics and prediction distribution: what {@link RegressionFrame.fromStats} takes. */
export interface RegressionGroupInput {
  group: GroupInfo;
  stats: RegressionGroupStats;
  predictions: WeightedDistribution;
}

/** One group's results (or the overall row, whose key is `"overall"`). */
export interface RegressionGroupResult {
  key: string;
  group: Record<string, Level | null>;
  n: number;
  weight: number;
  small: boolean;
  /** Metric name → value (NaN when undefined). */
  metrics: Record<string, number>;
  /** Metric name → interval, for the metrics that have one. */
  intervals: Record<string, Interval>;
  /** Quantiles of the predictions ("p10" → value), by the inverted CDF. */
  predictionQuantiles: Record<string, number>;
}

/** A criterion's value, the groups that set it and its interval and check. */
export interface RegressionCriterionResult {
  name: RegressionCriterionName;
  value: number;
  /** The two groups whose gap it is (one for the worst-group criteria); empty when undefined. */
  groups: string[];
  /** Interval at the frame's level, when the method gives one. */
  interval?: Interval;
  /** Unitless criteria only: the tolerance check (`pass` null when the value is undefined). */
  check?: { rule: "<=" | ">="; tolerance: number; pass: boolean | null };
}

function quantileKey(q: number): string {
  return `p${Math.round(q * 100)}`;
}

/**
 * Per group statistics and distributions, for one set of row weights. The rows are already in
 * (group, prediction) order — group g is rows starts[g] to starts[g + 1] − 1 — so every pass reads
 * memory in sequence (through an index permutation, the cache misses cost twice the arithmetic).
 */
function summarize(
  y: Float64Array,
  p: Float64Array,
  w: Float64Array,
  starts: Uint32Array,
): { stats: RegressionGroupStats[]; distributions: WeightedDistribution[] } {
  const G = starts.length - 1;
  const stats: RegressionGroupStats[] = [];
  const distributions: WeightedDistribution[] = [];
  for (let g = 0; g < G; g++) {
    const from = starts[g];
    const to = starts[g + 1];
    const s = emptyRegressionStats();
    let W = 0;
    const sums = new Float64Array(5);
    let rows = 0;
    for (let k = from; k < to; k++) {
      const i = k;
      const wi = w[i];
      if (wi === 0) continue;
      rows++;
      W += wi;
      s.weightSquared += wi * wi;
      const e = y[i] - p[i];
      sums[0] += wi * y[i];
      sums[1] += wi * p[i];
      sums[2] += wi * e;
      sums[3] += wi * Math.abs(e);
      sums[4] += wi * e * e;
    }
    s.rows = rows;
    s.weight = W;
    const means = Array.from(sums, (v) => (W > 0 ? v / W : 0));
    const c = new Float64Array(5);
    const m2 = new Float64Array(5);
    for (let k = from; k < to; k++) {
      const i = k;
      const wi = w[i];
      if (wi === 0) continue;
      const e = y[i] - p[i];
      const v0 = y[i] - means[0];
      const v1 = p[i] - means[1];
      const v2 = e - means[2];
      const v3 = Math.abs(e) - means[3];
      const v4 = e * e - means[4];
      c[0] += wi * v0;
      c[1] += wi * v1;
      c[2] += wi * v2;
      c[3] += wi * v3;
      c[4] += wi * v4;
      m2[0] += wi * v0 * v0;
      m2[1] += wi * v1 * v1;
      m2[2] += wi * v2 * v2;
      m2[3] += wi * v3 * v3;
      m2[4] += wi * v4 * v4;
    }
    const names = ["target", "prediction", "residual", "absoluteError", "squaredError"] as const;
    names.forEach((name, j) => {
      s[name] =
        W > 0
          ? { weight: W, mean: means[j] + c[j] / W, m2: Math.max(0, m2[j] - (c[j] * c[j]) / W) }
          : { weight: 0, mean: 0, m2: 0 };
    });
    stats.push(s);
    // The group's rows are sorted by prediction: collapse equal values.
    const values = new Float64Array(to - from);
    const weights = new Float64Array(to - from);
    let m = -1;
    for (let k = from; k < to; k++) {
      const i = k;
      if (w[i] === 0) continue;
      if (m >= 0 && values[m] === p[i]) weights[m] += w[i];
      else {
        m++;
        values[m] = p[i];
        weights[m] = w[i];
      }
    }
    distributions.push({ values: values.slice(0, m + 1), weights: weights.slice(0, m + 1), total: W });
  }
  return { stats, distributions };
}

interface Computed {
  groups: number[][];
  overall: number[];
  criteria: number[];
}

/** Per-group regression metrics, prediction distributions and criteria. */
export class RegressionFrame {
  /** Every group, in group order. */
  readonly byGroup: readonly RegressionGroupResult[];
  readonly overall: RegressionGroupResult;
  /** The criteria by name, in {@link REGRESSION_CRITERIA} order. */
  readonly criteria: Readonly<Record<RegressionCriterionName, RegressionCriterionResult>>;
  /** The sensitive column names. */
  readonly columns: readonly string[];
  /** Groups left out of the criteria as small (their keys). */
  readonly excluded: readonly string[];
  /** Each group's statistics and prediction distribution (mergeable; overall last is not included). */
  readonly inputs: readonly RegressionGroupInput[];
  readonly warnings: FairkitWarning[] = [];
  readonly settings: Readonly<{
    level: number;
    minGroupSize: number;
    intervals: RegressionIntervalMethod;
    includeSmallGroups: boolean;
    reference: string | null;
    tolerances: { difference: number; ratio: number };
    bootstrap: { n: number; seed: number } | null;
  }>;

  /**
   * Builds the frame from rows.
   *
   * @example
   * const rf = new RegressionFrame({ yTrue: [3, 5, 2, 8], yPred: [2.5, 5, 3, 7], sensitiveFeatures: { sex: ["F", "F", "M", "M"] } });
   * rf.byGroup[0].metrics.mean_absolute_error; // 0.25
   * rf.criteria.mean_residual_difference.value; // 0.25
   */
  constructor(options: RegressionFrameOptions) {
    const y = toScores(Float64Array.from(options.yTrue as ArrayLike<number>), "yTrue");
    const p = toScores(Float64Array.from(options.yPred as ArrayLike<number>), "yPred");
    if (p.length !== y.length) {
      throw new FairkitError("LENGTH_MISMATCH", messages.rowsDiffer("yPred", p.length, "yTrue", y.length), {
        argument: "yPred",
      });
    }
    const w = rowWeights(options.sampleWeight as ArrayLike<number> | undefined, y.length, "yTrue");
    const encoding = encodeGroups(options.sensitiveFeatures, y.length);
    const G = encoding.groups.length;
    // Rows ordered by group, then by prediction: one radix argsort of the predictions, then a
    // stable counting sort by group (a comparator sort per group took ~0.5 s for 1e6 rows).
    const starts = new Uint32Array(G + 1);
    for (let i = 0; i < y.length; i++) starts[encoding.codes[i] + 1]++;
    for (let g = 0; g < G; g++) starts[g + 1] += starts[g];
    const byPrediction = argsortFloat64(p);
    const fill = starts.slice(0, G);
    const ys = new Float64Array(y.length);
    const ps = new Float64Array(y.length);
    const ws = new Float64Array(y.length);
    for (let k = 0; k < y.length; k++) {
      const i = byPrediction[k];
      const at = fill[encoding.codes[i]]++;
      ys[at] = y[i];
      ps[at] = p[i];
      ws[at] = w[i];
    }
    const { stats, distributions } = summarize(ys, ps, ws, starts);
    const inputs = encoding.groups.map((group, g) => ({ group, stats: stats[g], predictions: distributions[g] }));
    const intervals = options.intervals ?? "normal";
    if (!["normal", "bootstrap", "none"].includes(intervals)) {
      throw new FairkitError(
        "BAD_ARGUMENT",
        messages.unknownChoice("intervals", intervals, ["normal", "bootstrap", "none"]),
        {
          argument: "intervals",
        },
      );
    }
    let replicates: Computed[] | undefined;
    const B = options.bootstrap?.n ?? DEFAULTS.bootstrap.n;
    const seed = options.bootstrap?.seed ?? DEFAULTS.bootstrap.seed;
    this.settings = RegressionFrame.#settings(
      options,
      inputs,
      intervals,
      intervals === "bootstrap" ? { n: B, seed } : null,
    );
    if (intervals === "bootstrap") {
      const random = createRandom(seed);
      const wb = new Float64Array(y.length);
      replicates = [];
      for (let b = 0; b < B; b++) {
        // Each row's Poisson(1) multiplicity, drawn in (group, prediction) order: seeded, and as
        // random as drawing in file order.
        for (let k = 0; k < ws.length; k++) wb[k] = ws[k] * random.poisson(1);
        const r = summarize(ys, ps, wb, starts);
        replicates.push(
          compute(
            this.settings,
            encoding.groups.map((group, g) => ({ group, stats: r.stats[g], predictions: r.distributions[g] })),
          ),
        );
      }
    }
    const built = build(this.settings, inputs, replicates, this.warnings);
    this.byGroup = built.byGroup;
    this.overall = built.overall;
    this.criteria = built.criteria;
    this.excluded = built.excluded;
    this.columns = [...encoding.columns];
    this.inputs = inputs;
  }

  /**
   * Builds the frame from per-group statistics and prediction distributions (e.g. merged from
   * chunks or computed in a database). Intervals are `normal` or `none`: a bootstrap needs rows.
   */
  static fromStats(
    inputs: readonly RegressionGroupInput[],
    options: RegressionFrameCommonOptions & { columns: readonly string[]; intervals?: "normal" | "none" },
  ): RegressionFrame {
    const frame = Object.create(RegressionFrame.prototype) as RegressionFrame;
    const mutable = frame as unknown as Record<string, unknown>;
    mutable.warnings = [];
    const intervals = options.intervals ?? "normal";
    if (intervals !== "normal" && intervals !== "none") {
      throw new FairkitError("BAD_ARGUMENT", messages.unknownChoice("intervals", intervals, ["normal", "none"]), {
        argument: "intervals",
      });
    }
    const settings = RegressionFrame.#settings(options, inputs, intervals, null);
    mutable.settings = settings;
    const built = build(settings, inputs, undefined, frame.warnings);
    Object.assign(mutable, built, { columns: [...options.columns], inputs: [...inputs] });
    return frame;
  }

  static #settings(
    options: RegressionFrameCommonOptions,
    inputs: readonly RegressionGroupInput[],
    intervals: RegressionIntervalMethod,
    bootstrap: { n: number; seed: number } | null,
  ): RegressionFrame["settings"] {
    const reference =
      options.reference === undefined
        ? null
        : inputs[
            findGroup(
              inputs.map((i) => i.group),
              options.reference,
            )
          ].group.key;
    return {
      level: options.level ?? DEFAULTS.level,
      minGroupSize: options.minGroupSize ?? DEFAULTS.minGroupSize,
      intervals,
      includeSmallGroups: options.includeSmallGroups === true,
      reference,
      tolerances: {
        difference: options.tolerances?.difference ?? DEFAULTS.maxDifference,
        ratio: options.tolerances?.ratio ?? DEFAULTS.minRatio,
      },
      bootstrap,
    };
  }
}

type Settings = RegressionFrame["settings"];

/** The groups the criteria compare (indexes), as the settings say. */
function comparedGroups(settings: Settings, inputs: readonly RegressionGroupInput[]): number[] {
  const { includeSmallGroups, minGroupSize } = settings;
  return inputs.flatMap((x, g) => (includeSmallGroups || x.stats.rows >= minGroupSize ? [g] : []));
}

/** The pairs the criteria look at: every pair of compared groups, or the reference with each other group. */
function comparedPairs(
  settings: Settings,
  inputs: readonly RegressionGroupInput[],
  compared: number[],
): [number, number][] {
  const ref = settings.reference;
  if (ref !== null) {
    const r = inputs.findIndex((x) => x.group.key === ref);
    return compared.filter((g) => g !== r).map((g) => [r, g]);
  }
  const pairs: [number, number][] = [];
  for (let a = 0; a < compared.length; a++)
    for (let b = a + 1; b < compared.length; b++) pairs.push([compared[a], compared[b]]);
  return pairs;
}

/** Metric values per group and overall, and criterion values with the groups setting them. */
function compute(settings: Settings, inputs: readonly RegressionGroupInput[]): Computed & { setters: number[][] } {
  const groups = inputs.map((x) => REGRESSION_METRICS.map((m) => m.value(x.stats)));
  const overallStats = inputs.reduce((acc, x) => mergeRegressionStats(acc, x.stats), emptyRegressionStats());
  const overall = REGRESSION_METRICS.map((m) => m.value(overallStats));
  const compared = comparedGroups(settings, inputs);
  const pairs = comparedPairs(settings, inputs, compared);
  const metricIndex = (name: string) => REGRESSION_METRICS.findIndex((m) => m.name === name);
  const criteria: number[] = [];
  const setters: number[][] = [];
  for (const c of REGRESSION_CRITERIA) {
    let value = Number.NaN;
    let setBy: number[] = [];
    if (c.kind === "worst") {
      const j = metricIndex(c.metric!);
      for (const g of compared) {
        const v = groups[g][j];
        if (!Number.isNaN(v) && !(v <= value)) {
          value = v;
          setBy = [g];
        }
      }
    } else {
      const j = c.metric ? metricIndex(c.metric) : -1;
      const higherWorse = c.kind !== "ratio";
      // A ratio's values, with rounding dust around 0 (|v| below 1e-12 of the largest) read as 0:
      // a mean prediction of exactly 0 computed as −1e-16 must not make the ratio undefined.
      const scale = j < 0 ? 0 : Math.max(0, ...compared.map((g) => Math.abs(groups[g][j])).filter(Number.isFinite));
      const clean = (v: number) => (Math.abs(v) <= 1e-12 * scale ? 0 : v);
      for (const [a, b] of pairs) {
        let v: number;
        if (c.kind === "ks") v = ksDistance(inputs[a].predictions, inputs[b].predictions);
        else if (c.kind === "wasserstein") v = wasserstein1(inputs[a].predictions, inputs[b].predictions);
        else {
          const va = c.kind === "ratio" ? clean(groups[a][j]) : groups[a][j];
          const vb = c.kind === "ratio" ? clean(groups[b][j]) : groups[b][j];
          if (c.kind === "difference") v = Math.abs(va - vb);
          else
            v =
              va < 0 || vb < 0 ? Number.NaN : Math.max(va, vb) === 0 ? Number.NaN : Math.min(va, vb) / Math.max(va, vb);
        }
        if (Number.isNaN(v)) continue;
        if (Number.isNaN(value) || (higherWorse ? v > value : v < value)) {
          value = v;
          // The pair in the order "higher value first", so a difference reads as a − b ≥ 0.
          setBy =
            c.kind === "difference" || c.kind === "ratio" ? (groups[a][j] >= groups[b][j] ? [a, b] : [b, a]) : [a, b];
        }
      }
      // A ratio is undefined as soon as one compared group's value is negative (ratios of signed means mean nothing).
      if (c.kind === "ratio" && compared.some((g) => clean(groups[g][j]) < 0)) {
        value = Number.NaN;
        setBy = [];
      }
    }
    criteria.push(value);
    setters.push(setBy);
  }
  return { groups, overall, criteria, setters };
}

/** Every result of a frame from its groups' statistics (and bootstrap replicates); pushes its warnings. */
function build(
  settings: Settings,
  inputs: readonly RegressionGroupInput[],
  replicates: Computed[] | undefined,
  warnings: FairkitWarning[],
): Pick<RegressionFrame, "byGroup" | "overall" | "criteria" | "excluded"> {
  const { level, minGroupSize, intervals, tolerances } = settings;
  if (inputs.length === 0) throw new FairkitError("EMPTY_INPUT", messages.empty("yTrue"), { argument: "yTrue" });
  const z = twoSidedZ(level);
  const computed = compute(settings, inputs);
  const percentile = (pick: (r: Computed) => number): Interval =>
    percentileInterval(Float64Array.from(replicates!, pick), level);
  const groupResult = (
    key: string,
    group: Record<string, Level | null>,
    stats: RegressionGroupStats,
    predictions: WeightedDistribution,
    values: number[],
    index: number,
  ): RegressionGroupResult => {
    const metrics: Record<string, number> = {};
    const ints: Record<string, Interval> = {};
    REGRESSION_METRICS.forEach((m, j) => {
      metrics[m.name] = values[j];
      if (intervals === "bootstrap") ints[m.name] = percentile((r) => (index < 0 ? r.overall[j] : r.groups[index][j]));
      else if (intervals === "normal") {
        const interval = normalInterval(m.name, stats, z);
        if (interval) ints[m.name] = interval;
      }
    });
    const predictionQuantiles: Record<string, number> = {};
    for (const q of PREDICTION_QUANTILES) predictionQuantiles[quantileKey(q)] = weightedQuantile(predictions, q);
    return {
      key,
      group,
      n: stats.rows,
      weight: stats.weight,
      small: stats.rows < minGroupSize,
      metrics,
      intervals: ints,
      predictionQuantiles,
    };
  };
  const byGroup = inputs.map((x, g) =>
    groupResult(x.group.key, x.group.values, x.stats, x.predictions, computed.groups[g], g),
  );
  const overallStats = inputs.reduce((acc, x) => mergeRegressionStats(acc, x.stats), emptyRegressionStats());
  const overallPredictions = inputs.reduce((acc, x) => mergeDistributions(acc, x.predictions), {
    values: new Float64Array(0),
    weights: new Float64Array(0),
    total: 0,
  } as WeightedDistribution);
  const overall = groupResult("overall", {}, overallStats, overallPredictions, computed.overall, -1);
  const criteria = {} as Record<RegressionCriterionName, RegressionCriterionResult>;
  REGRESSION_CRITERIA.forEach((c, k) => {
    const value = computed.criteria[k];
    const setBy = computed.setters[k];
    const result: RegressionCriterionResult = { name: c.name, value, groups: setBy.map((g) => inputs[g].group.key) };
    if (intervals === "bootstrap") result.interval = percentile((r) => r.criteria[k]);
    else if (intervals === "normal" && setBy.length > 0) {
      const interval = criterionInterval(
        c,
        setBy.map((g) => inputs[g].stats),
        z,
      );
      if (interval) result.interval = interval;
    }
    if (c.unitless) {
      const ratio = c.kind === "ratio";
      const tolerance = ratio ? tolerances.ratio : tolerances.difference;
      result.check = {
        rule: ratio ? ">=" : "<=",
        tolerance,
        pass: Number.isNaN(value) ? null : ratio ? value >= tolerance : value <= tolerance,
      };
    }
    criteria[c.name as RegressionCriterionName] = result;
  });
  const compared = comparedGroups(settings, inputs);
  const excluded = inputs.filter((_, g) => !compared.includes(g)).map((x) => x.group.key);
  warn(settings, warnings, byGroup, excluded, compared.length);
  return { byGroup, overall, criteria, excluded };
}

function warn(
  settings: Settings,
  warnings: FairkitWarning[],
  byGroup: readonly RegressionGroupResult[],
  excluded: readonly string[],
  compared: number,
): void {
  const { minGroupSize } = settings;
  for (const r of byGroup) {
    if (r.small) {
      warnings.push({
        code: "SMALL_GROUP",
        group: r.key,
        message: `group ${JSON.stringify(r.key)} has ${r.n} rows, fewer than minGroupSize ${minGroupSize}: too small to conclude anything`,
      });
    }
    if (Number.isNaN(r.metrics.r2) && r.n > 0) {
      warnings.push({
        code: "UNDEFINED_METRIC",
        group: r.key,
        metric: "r2",
        message: `r2 is undefined for group ${JSON.stringify(r.key)}: every outcome in it is the same (no variance to explain)`,
      });
    }
  }
  if (excluded.length > 0) {
    warnings.push({
      code: "EXCLUDED_FROM_DISPARITY",
      message: `the criteria compare the ${compared} groups with at least ${minGroupSize} rows; left out as too small: ${excluded
        .slice(0, 20)
        .map((k) => JSON.stringify(k))
        .join(", ")}${excluded.length > 20 ? ` and ${excluded.length - 20} more` : ""}`,
    });
  }
  if (compared < 2) {
    warnings.push({
      code: "SINGLE_GROUP",
      message: `the criteria need two groups to compare and ${compared === 0 ? "none has" : "only one has"} at least ${minGroupSize} rows; they are undefined`,
    });
  }
}

/** The normal interval of one metric of one group, when the metric has one. */
function normalInterval(metric: string, stats: RegressionGroupStats, z: number): Interval | undefined {
  const spec = REGRESSION_METRIC_BY_NAME.get(metric)!;
  if (spec.meanOf) {
    const m = stats[spec.meanOf];
    const se = standardErrorOfMean(m, stats.weightSquared);
    return [m.mean - z * se, m.mean + z * se];
  }
  if (spec.rootOf) {
    const [lo, hi] = normalInterval(spec.rootOf, stats, z)!;
    return [Math.sqrt(Math.max(0, lo)), Math.sqrt(Math.max(0, hi))];
  }
  return undefined;
}

/**
 * The normal interval of a criterion from the groups that set it: for a difference of means, the
 * difference of the two (independent) groups' means ± z·√(SE_a² + SE_b²) — signed, so an interval
 * reaching below 0 says the gap could be noise; for the worst group, that group's interval.
 */
function criterionInterval(c: RegressionCriterionSpec, stats: RegressionGroupStats[], z: number): Interval | undefined {
  const spec = REGRESSION_METRIC_BY_NAME.get(c.metric ?? "");
  if (!spec) return undefined;
  if (c.kind === "worst") return normalInterval(spec.name, stats[0], z);
  if (c.kind !== "difference" || !spec.meanOf) return undefined;
  const [a, b] = stats;
  const d = a[spec.meanOf].mean - b[spec.meanOf].mean;
  const se = Math.hypot(
    standardErrorOfMean(a[spec.meanOf], a.weightSquared),
    standardErrorOfMean(b[spec.meanOf], b.weightSquared),
  );
  return [d - z * se, d + z * se];
}
