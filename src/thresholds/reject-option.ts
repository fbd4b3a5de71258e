/**
 * Reject-option classification (Kamiran, Karim & Zhang 2012), fitted exactly on score tables.
 *
 * The rule: a classification threshold t and a margin m ≥ 0 define the critical region around t.
 * Outside it everyone is decided by the threshold; inside it the unprivileged groups get the
 * favourable decision and the privileged groups the unfavourable one. So the groups that gain the
 * positive decision in the region (the unprivileged ones when the positive decision is the
 * favourable one) decide positive from a lower cut a = t − m on, the others from an upper cut
 * b = t + m on: every group's rule is one plain threshold, and the policy is a pair of cuts a ≤ b.
 * The pair maximises balanced accuracy subject to a fairness metric (AIF360's names: statistical
 * parity, average odds or equal opportunity difference, unprivileged minus privileged, in the
 * favourable orientation) lying within [lowerBound, upperBound].
 *
 * Two searches. `grid` is AIF360's: thresholds `linspace(low, high, thresholds)`, margins
 * `linspace(0, min(t, 1 − t), margins)`, favourable when the favourable-oriented score is > t,
 * region t − m < score ≤ t + m, the first feasible maximum in grid order (numbers comparable with
 * AIF360's). `exact` (the default) tries every pair of cuts that changes a decision — every
 * distinct score of the raised groups against every distinct score of the lowered groups — in
 * O(m log m): the metric is monotone in the lowered cut, so the feasible upper cuts for each lower
 * cut are one interval (two binary searches) and its best balanced accuracy is a range-maximum
 * query. It is never worse than any grid, and needs no scores in [0, 1].
 *
 * Rule of this file: every decision is a {@link DecisionRule}; the cuts are stored and applied as
 * they are, nothing is recomputed from t and m.
 */
import { type ConfusionTable, GROUP_STRIDE, SUMS_PER_CELL } from "../core/confusion.js";
import type { CriterionName } from "../core/criteria.js";
import { DEFAULTS } from "../core/defaults.js";
import { FairkitError, messages } from "../core/errors.js";
import { type GroupInfo, type Level, type SensitiveInput, groupTuple } from "../core/groups.js";
import type { BinaryInput, NumericInput } from "../core/validate.js";
import { POLICY_SCHEMA_VERSION } from "../schemas/policy.js";
import { VERSION } from "../version.js";
import { type DecisionRule, thresholdRule } from "./decision-rule.js";
import { PolicyRules, type RuleGroup, finiteOrNull, readPolicyHead, readRuleGroups } from "./rule-policy.js";
import { type ScoreTable, cellsFromPrefix, groupTotals, prefixSums, scoreTable } from "./score-table.js";

/** The metrics reject-option classification can bound (AIF360's names, snake_case). */
export type RejectOptionMetric =
  | "statistical_parity_difference"
  | "average_odds_difference"
  | "equal_opportunity_difference";
/** The metric names, in AIF360's order. */
export const REJECT_OPTION_METRICS: readonly RejectOptionMetric[] = [
  "statistical_parity_difference",
  "average_odds_difference",
  "equal_opportunity_difference",
];
/** The fairkit criterion each metric measures (average odds: the mean of the TPR and FPR differences). */
export const REJECT_OPTION_CRITERIA: Readonly<Record<RejectOptionMetric, CriterionName>> = Object.freeze({
  statistical_parity_difference: "demographic_parity",
  average_odds_difference: "equalized_odds",
  equal_opportunity_difference: "equal_opportunity",
});
/** How the groups are compared. */
export type RejectOptionComparison = "each_pair" | "pooled";
/** How the (threshold, margin) is searched. */
export type RejectOptionSearch = "exact" | "grid";

/** AIF360's search grid. */
export interface RejectOptionGrid {
  /** Smallest classification threshold; default 0.01. */
  low: number;
  /** Largest classification threshold; default 0.99. */
  high: number;
  /** Number of thresholds; default 100. */
  thresholds: number;
  /** Number of margins per threshold; default 50. */
  margins: number;
}

/** Options of {@link RejectOptionClassification}. */
export interface RejectOptionOptions {
  /**
   * The bounded metric: `statistical_parity_difference` (default), `average_odds_difference` or
   * `equal_opportunity_difference`; AIF360's names ("Statistical parity difference") and the
   * criteria `demographic_parity`, `equalized_odds`, `equal_opportunity` are accepted too.
   */
  metric?: RejectOptionMetric | string;
  /** Default −0.05 (AIF360's `metric_lb`). */
  lowerBound?: number;
  /** Default 0.05 (AIF360's `metric_ub`). */
  upperBound?: number;
  /**
   * Labels of the privileged groups (they get the unfavourable decision in the critical region);
   * every other group is unprivileged. Default: the group with the highest rate of favourable
   * labels (by weight) in the training data.
   */
  privileged?: readonly string[];
  /** The decision favourable to the person: 1 (default: positive = favourable, e.g. a loan) or 0 (e.g. "high risk"). */
  favorableDecision?: 0 | 1;
  /**
   * `each_pair` (default): every unprivileged group minus every privileged group must lie within
   * the bounds; `pooled`: the unprivileged groups pooled minus the privileged pooled (AIF360's
   * definition). With one group on each side both are the same.
   */
  comparison?: RejectOptionComparison;
  /** `exact` (default) or AIF360's `grid`. */
  search?: RejectOptionSearch;
  /** The grid of search `grid` (AIF360's defaults). */
  grid?: Partial<RejectOptionGrid>;
}

/** What the fit found (also stored in the policy's `settings`). */
export interface RejectOptionFit {
  /** Decide positive from this score on, for the groups raised in the critical region (+∞: no one). */
  raisedCut: number;
  /** Decide positive from this score on, for the groups lowered in the critical region (+∞: no one). */
  loweredCut: number;
  /** The classification threshold: (raisedCut + loweredCut) / 2 (the grid's t); NaN when infinite. */
  classificationThreshold: number;
  /** Half the critical region: (loweredCut − raisedCut) / 2 (the grid's m); NaN when infinite. */
  margin: number;
  /** The metric on the training data (each_pair: the pair farthest from 0). */
  metricValue: number;
  /** Expected balanced accuracy on the training data (the objective). */
  balancedAccuracy: number;
  accuracy: number;
  /** How many (threshold, margin) candidates the search compared. */
  candidates: number;
}

/** The policy document of reject-option classification (`fairkit.threshold_policy`). */
export interface RejectOptionPolicyJSON {
  kind: "fairkit.threshold_policy";
  schema_version: typeof POLICY_SCHEMA_VERSION;
  tool?: { name: "fairkit"; version: string };
  method: "reject_option_classification";
  columns: string[];
  groups: { group: (Level | null)[]; label?: string; rule: DecisionRule }[];
  training: {
    objective: number | null;
    accuracy: number | null;
    balanced_accuracy: number | null;
    constraint_difference: number | null;
  };
  settings: {
    metric: RejectOptionMetric;
    lower_bound: number;
    upper_bound: number;
    comparison: RejectOptionComparison;
    favorable_decision: 0 | 1;
    privileged: (Level | null)[][];
    search: RejectOptionSearch;
    grid: RejectOptionGrid | null;
    classification_threshold: number | null;
    margin: number | null;
    raised_cut: number | null;
    lowered_cut: number | null;
    metric_value: number | null;
    candidates: number;
  };
  input?: { source?: string; rows?: number; score: string; sensitive: string[]; where?: string | null };
}

const METRIC_ALIASES: Readonly<Record<string, RejectOptionMetric>> = {
  demographic_parity: "statistical_parity_difference",
  statistical_parity: "statistical_parity_difference",
  equalized_odds: "average_odds_difference",
  average_odds: "average_odds_difference",
  equal_opportunity: "equal_opportunity_difference",
};

/** Resolves a metric name (fairkit's, AIF360's display name, or a criterion); throws naming the known ones. */
export function rejectOptionMetric(name: string): RejectOptionMetric {
  const key = String(name)
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  const m = (REJECT_OPTION_METRICS as readonly string[]).includes(key)
    ? (key as RejectOptionMetric)
    : METRIC_ALIASES[key];
  if (!m)
    throw new FairkitError(
      "BAD_ARGUMENT",
      messages.unknownChoice("metric", name, [...REJECT_OPTION_METRICS, ...Object.keys(METRIC_ALIASES)]),
      { argument: "metric" },
    );
  return m;
}

function choice<T extends string>(value: unknown, argument: string, known: readonly T[]): T {
  if (!(known as readonly unknown[]).includes(value))
    throw new FairkitError("BAD_ARGUMENT", messages.unknownChoice(argument, value, known), { argument });
  return value as T;
}

/** The next double above x (x finite). */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

/** The next double below x (x finite). */
function nextDown(x: number): number {
  return -nextUp(-x);
}

/** numpy's `linspace(start, stop, num)` (endpoint included), bit for bit. */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  const out: number[] = [];
  for (let i = 0; i < num; i++) out.push(step === 0 ? (i / (num - 1)) * (stop - start) + start : i * step + start);
  out[num - 1] = stop;
  return out;
}

// Cell offsets (weights) of the 12-number layout: TN, FP, FN, TP.
const TN = 0;
const FP = SUMS_PER_CELL;
const FN = 2 * SUMS_PER_CELL;
const TP = 3 * SUMS_PER_CELL;

/** The metric's per-group rate, favourable orientation, from confusion cells (NaN when undefined). */
function favourableRate(metric: RejectOptionMetric, favorable: 0 | 1, c: ArrayLike<number>, o = 0): number {
  const tp = favorable === 1 ? c[o + TP] : c[o + TN];
  const fp = favorable === 1 ? c[o + FP] : c[o + FN];
  const tn = favorable === 1 ? c[o + TN] : c[o + TP];
  const fn = favorable === 1 ? c[o + FN] : c[o + FP];
  if (metric === "statistical_parity_difference") return (tp + fp) / (tp + fp + tn + fn);
  const tpr = tp / (tp + fn);
  if (metric === "equal_opportunity_difference") return tpr;
  return 0.5 * (tpr + fp / (fp + tn));
}

/** One side's groups (raised or lowered) evaluated at every candidate cut. */
interface Side {
  groups: number[];
  /** Candidate cuts, ascending: the side's distinct scores, then +∞. */
  cuts: Float64Array;
  /** Per candidate: the smallest, largest and pooled favourable rate of the side's groups. */
  min: Float64Array;
  max: Float64Array;
  pooled: Float64Array;
  /** Per candidate: the side's part of the balanced accuracy, Σ (TP/P − FP/N) / 2. */
  objective: Float64Array;
}

function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Problem {
  table: ScoreTable;
  prefixes: Float64Array[];
  metric: RejectOptionMetric;
  favorable: 0 | 1;
  positives: number;
  negatives: number;
}

/** Cells of a set of groups at one cut (pooled) and each group's rate; writes into `pooled`. */
function sideAt(
  p: Problem,
  groups: readonly number[],
  cut: number,
  pooled: Float64Array,
): { min: number; max: number; rate: number; objective: number } {
  pooled.fill(0);
  const cells = new Float64Array(GROUP_STRIDE);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const g of groups) {
    const k = lowerBound(p.table.perGroup[g].scores, cut);
    cellsFromPrefix(p.prefixes[g], k, cells);
    for (let c = 0; c < GROUP_STRIDE; c++) pooled[c] += cells[c];
    const r = favourableRate(p.metric, p.favorable, cells);
    if (r < min) min = r;
    if (r > max) max = r;
  }
  const objective = 0.5 * (pooled[TP] / p.positives - pooled[FP] / p.negatives);
  return { min, max, rate: favourableRate(p.metric, p.favorable, pooled), objective };
}

function buildSide(p: Problem, groups: number[]): Side {
  const all = new Set<number>();
  for (const g of groups) for (const s of p.table.perGroup[g].scores) all.add(s);
  const cuts = new Float64Array(all.size + 1);
  let i = 0;
  for (const s of all) cuts[i++] = s;
  cuts.subarray(0, all.size).sort();
  cuts[all.size] = Number.POSITIVE_INFINITY;
  const n = cuts.length;
  const side: Side = {
    groups,
    cuts,
    min: new Float64Array(n),
    max: new Float64Array(n),
    pooled: new Float64Array(n),
    objective: new Float64Array(n),
  };
  const pooled = new Float64Array(GROUP_STRIDE);
  for (let k = 0; k < n; k++) {
    const v = sideAt(p, groups, cuts[k], pooled);
    side.min[k] = v.min;
    side.max[k] = v.max;
    side.pooled[k] = v.rate;
    side.objective[k] = v.objective;
  }
  return side;
}

/** The metric's (low, high) for unprivileged values (min, max, pooled) against privileged ones. */
function metricRange(
  comparison: RejectOptionComparison,
  uMin: number,
  uMax: number,
  uPooled: number,
  pMin: number,
  pMax: number,
  pPooled: number,
): [number, number] {
  if (comparison === "pooled") {
    const m = uPooled - pPooled;
    return [m, m];
  }
  return [uMin - pMax, uMax - pMin];
}

/** The one number reported for a (low, high) pair: the one farther from 0. */
function reported([low, high]: [number, number]): number {
  return Math.abs(low) >= Math.abs(high) ? low : high;
}

function distanceToBounds([low, high]: [number, number], lb: number, ub: number): number {
  return Math.max(0, lb - low, high - ub);
}

/** Leftmost index of the maximum of `values` on [lo, hi], by a sparse table. */
class RangeMax {
  private readonly levels: Int32Array[];
  constructor(private readonly values: Float64Array) {
    const n = values.length;
    const first = new Int32Array(n);
    for (let i = 0; i < n; i++) first[i] = i;
    this.levels = [first];
    for (let span = 2; span <= n; span *= 2) {
      const prev = this.levels[this.levels.length - 1];
      const half = span / 2;
      const next = new Int32Array(n - span + 1);
      for (let i = 0; i + span <= n; i++) next[i] = this.better(prev[i], prev[i + half]);
      this.levels.push(next);
    }
  }
  private better(a: number, b: number): number {
    return this.values[b] > this.values[a] ? b : a;
  }
  query(lo: number, hi: number): number {
    const level = 31 - Math.clz32(hi - lo + 1);
    const t = this.levels[level];
    return this.better(t[lo], t[hi - (1 << level) + 1]);
  }
}

interface Choice {
  raisedCut: number;
  loweredCut: number;
  classificationThreshold: number;
  margin: number;
  candidates: number;
}

function searchExact(
  raised: Side,
  lowered: Side,
  unprivilegedRaised: boolean,
  comparison: RejectOptionComparison,
  lb: number,
  ub: number,
  metricName: string,
): Choice {
  const range = (i: number, j: number) =>
    unprivilegedRaised
      ? metricRange(
          comparison,
          raised.min[i],
          raised.max[i],
          raised.pooled[i],
          lowered.min[j],
          lowered.max[j],
          lowered.pooled[j],
        )
      : metricRange(
          comparison,
          lowered.min[j],
          lowered.max[j],
          lowered.pooled[j],
          raised.min[i],
          raised.max[i],
          raised.pooled[i],
        );
  const mL = lowered.cuts.length;
  const rangeMax = new RangeMax(lowered.objective);
  let best = Number.NEGATIVE_INFINITY;
  let bestI = -1;
  let bestJ = -1;
  let candidates = 0;
  let nearest = Number.POSITIVE_INFINITY;
  let nearestValue = Number.NaN;
  for (let i = 0; i < raised.cuts.length; i++) {
    // The raised cut must not exceed the lowered one: the lowered decision j is reachable with a
    // cut above the raised group's previous score.
    const j0 = i === 0 ? 0 : lowerBound(lowered.cuts, nextUp(raised.cuts[i - 1]));
    if (j0 >= mL) continue;
    candidates += mL - j0;
    // low(i, j) and high(i, j) are non-decreasing in j (the lowered groups lose positives).
    let lo = j0;
    let hi = mL;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (range(i, mid)[0] >= lb) hi = mid;
      else lo = mid + 1;
    }
    const jA = lo;
    lo = j0 - 1;
    hi = mL - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (range(i, mid)[1] <= ub) lo = mid;
      else hi = mid - 1;
    }
    const jB = lo;
    if (jA <= jB) {
      const j = rangeMax.query(jA, jB);
      const total = raised.objective[i] + lowered.objective[j];
      if (total > best) {
        best = total;
        bestI = i;
        bestJ = j;
      }
    } else {
      for (const j of [j0, jA - 1, jA, jB, jB + 1, mL - 1]) {
        if (j < j0 || j >= mL) continue;
        const r = range(i, j);
        const d = distanceToBounds(r, lb, ub);
        if (d < nearest) {
          nearest = d;
          nearestValue = reported(r);
        }
      }
    }
  }
  if (bestI < 0)
    throw new FairkitError("BAD_ARGUMENT", messages.rocInfeasible(metricName, lb, ub, "exact", nearestValue), {
      argument: "upperBound",
    });
  const loweredCut = lowered.cuts[bestJ];
  const raisedCut = Math.min(raised.cuts[bestI], loweredCut);
  const finite = Number.isFinite(raisedCut) && Number.isFinite(loweredCut);
  return {
    raisedCut,
    loweredCut,
    classificationThreshold: finite ? (raisedCut + loweredCut) / 2 : Number.NaN,
    margin: finite ? (loweredCut - raisedCut) / 2 : Number.NaN,
    candidates,
  };
}

/**
 * The smallest cut c with `favourable score > x` for the favourable side, as a positive-decision
 * threshold of the raw score: favourable = 1: s > x, so c = nextUp(x); favourable = 0: the
 * positive decision is unfavourable, held while the favourable score 1 − s is ≤ x, so c is the
 * smallest double with fl(1 − c) ≤ x.
 */
function gridCut(x: number, favorable: 0 | 1): number {
  if (favorable === 1) return nextUp(x);
  // favourable = 0: positive ⟺ not favourable ⟺ fl(1 − s) ≤ x.
  let c = 1 - x;
  for (let k = 0; k < 8 && 1 - nextDown(c) <= x; k++) c = nextDown(c);
  for (let k = 0; k < 8 && !(1 - c <= x); k++) c = nextUp(c);
  return c;
}

function searchGrid(
  p: Problem,
  raised: number[],
  lowered: number[],
  unprivilegedRaised: boolean,
  comparison: RejectOptionComparison,
  lb: number,
  ub: number,
  grid: RejectOptionGrid,
  metricName: string,
): Choice {
  const pooledR = new Float64Array(GROUP_STRIDE);
  const pooledL = new Float64Array(GROUP_STRIDE);
  let best = Number.NEGATIVE_INFINITY;
  let bestChoice: Choice | undefined;
  let nearest = Number.POSITIVE_INFINITY;
  let nearestValue = Number.NaN;
  let candidates = 0;
  for (const t of linspace(grid.low, grid.high, grid.thresholds)) {
    for (const m of linspace(0, t <= 0.5 ? t : 1 - t, grid.margins)) {
      candidates++;
      // Favourable-oriented score f: unprivileged favourable ⟺ f > t − m; privileged ⟺ f > t + m.
      // favourable = 1: the unprivileged are raised (positive from nextUp(t − m)), the privileged
      // lowered (from nextUp(t + m)); favourable = 0: the privileged are raised, positive while
      // f = 1 − s ≤ t + m; the unprivileged lowered, positive while 1 − s ≤ t − m.
      const raisedCut = gridCut(p.favorable === 1 ? t - m : t + m, p.favorable);
      const loweredCut = gridCut(p.favorable === 1 ? t + m : t - m, p.favorable);
      const r = sideAt(p, raised, raisedCut, pooledR);
      const l = sideAt(p, lowered, loweredCut, pooledL);
      const [u, v] = unprivilegedRaised ? [r, l] : [l, r];
      const range = metricRange(comparison, u.min, u.max, u.rate, v.min, v.max, v.rate);
      if (range[0] >= lb && range[1] <= ub) {
        const total = r.objective + l.objective;
        if (total > best) {
          best = total;
          bestChoice = { raisedCut, loweredCut, classificationThreshold: t, margin: m, candidates: 0 };
        }
      } else {
        const d = distanceToBounds(range, lb, ub);
        if (d < nearest) {
          nearest = d;
          nearestValue = reported(range);
        }
      }
    }
  }
  if (!bestChoice)
    throw new FairkitError("BAD_ARGUMENT", messages.rocInfeasible(metricName, lb, ub, "grid", nearestValue), {
      argument: "upperBound",
    });
  return { ...bestChoice, candidates };
}

interface FittedRoc {
  rules: PolicyRules;
  privileged: string[];
  fit: RejectOptionFit;
}

/**
 * Reject-option classification (Kamiran, Karim & Zhang 2012) as a saved, applicable policy.
 *
 * @example
 * const roc = new RejectOptionClassification({ privileged: ["Male"], metric: "statistical_parity_difference" })
 *   .fit(scores, yTrue, { sex });
 * roc.result;                      // cuts, threshold, margin, metric, balanced accuracy on the training data
 * roc.predictProba(scores, { sex }); // 0/1 per row (the rule is deterministic)
 * RejectOptionClassification.fromJSON(JSON.parse(JSON.stringify(roc.toJSON())));
 */
export class RejectOptionClassification {
  readonly metric: RejectOptionMetric;
  readonly lowerBound: number;
  readonly upperBound: number;
  readonly favorableDecision: 0 | 1;
  readonly comparison: RejectOptionComparison;
  readonly search: RejectOptionSearch;
  readonly grid: RejectOptionGrid;
  readonly privilegedOption: readonly string[] | undefined;
  private fitted: FittedRoc | undefined;

  constructor(options: RejectOptionOptions = {}) {
    const d = DEFAULTS.rejectOption;
    this.metric = rejectOptionMetric(options.metric ?? d.metric);
    this.lowerBound = options.lowerBound ?? d.lowerBound;
    this.upperBound = options.upperBound ?? d.upperBound;
    if (!(Number.isFinite(this.lowerBound) && Number.isFinite(this.upperBound) && this.lowerBound <= this.upperBound))
      throw new FairkitError("BAD_ARGUMENT", messages.rocBounds(options.lowerBound, options.upperBound), {
        argument: "lowerBound",
      });
    const favorable = options.favorableDecision ?? 1;
    if (favorable !== 0 && favorable !== 1)
      throw new FairkitError("BAD_ARGUMENT", messages.unknownChoice("favorableDecision", favorable, ["1", "0"]), {
        argument: "favorableDecision",
      });
    this.favorableDecision = favorable;
    this.comparison = choice(options.comparison ?? "each_pair", "comparison", ["each_pair", "pooled"] as const);
    this.search = choice(options.search ?? d.search, "search", ["exact", "grid"] as const);
    this.grid = { ...d.grid, ...(options.grid ?? {}) };
    const g = this.grid;
    if (!(g.low >= 0 && g.low <= 1)) throw badGrid("low", g.low, "must be in [0, 1]");
    if (!(g.high >= 0 && g.high <= 1)) throw badGrid("high", g.high, "must be in [0, 1]");
    if (!(g.low < g.high)) throw badGrid("high", g.high, `must be above grid.low (${g.low})`);
    if (!(Number.isInteger(g.thresholds) && g.thresholds >= 1))
      throw badGrid("thresholds", g.thresholds, "must be an integer >= 1");
    if (!(Number.isInteger(g.margins) && g.margins >= 1))
      throw badGrid("margins", g.margins, "must be an integer >= 1");
    if (options.privileged !== undefined && options.privileged.length === 0)
      throw new FairkitError("BAD_ARGUMENT", messages.rocNoPrivileged(), { argument: "privileged" });
    this.privilegedOption = options.privileged === undefined ? undefined : [...options.privileged];
  }

  /** Fits on rows: scores, labels and the sensitive features (and optional weights). */
  fit(
    scores: NumericInput,
    yTrue: BinaryInput,
    sensitiveFeatures: SensitiveInput,
    options: { sampleWeight?: NumericInput; posLabel?: unknown } = {},
  ): this {
    return this.fitTable(scoreTable({ scores, yTrue, sensitiveFeatures, ...options }));
  }

  /** Fits on score tables (weights come with them). */
  fitTable(table: ScoreTable): this {
    if (table.groups.length === 0) throw new FairkitError("EMPTY_INPUT", messages.noGroups(), { argument: "table" });
    const labels = table.groups.map((g) => g.key);
    const totals = table.perGroup.map(groupTotals);
    const favourableOf = (t: { positives: number; negatives: number }) =>
      this.favorableDecision === 1 ? t.positives : t.negatives;
    let privileged: number[];
    if (this.privilegedOption) {
      privileged = this.privilegedOption.map((label) => {
        const g = labels.indexOf(label);
        if (g < 0)
          throw new FairkitError("BAD_ARGUMENT", messages.rocUnknownGroup(label, labels), { argument: "privileged" });
        return g;
      });
      privileged = [...new Set(privileged)];
    } else {
      let best = 0;
      totals.forEach((t, g) => {
        const rate = favourableOf(t) / (t.positives + t.negatives);
        const bestRate = favourableOf(totals[best]) / (totals[best].positives + totals[best].negatives);
        if (rate > bestRate) best = g;
      });
      privileged = [best];
    }
    if (privileged.length === table.groups.length)
      throw new FairkitError("BAD_ARGUMENT", messages.rocEveryGroupPrivileged(labels), { argument: "privileged" });
    const unprivileged = table.groups.map((_, g) => g).filter((g) => !privileged.includes(g));
    if (this.metric !== "statistical_parity_difference") {
      totals.forEach((t, g) => {
        const missing =
          this.metric === "equal_opportunity_difference"
            ? favourableOf(t) > 0
              ? undefined
              : "favourable labels"
            : t.positives > 0 && t.negatives > 0
              ? undefined
              : t.positives > 0
                ? "negative labels"
                : "positive labels";
        if (missing)
          throw new FairkitError("BAD_ARGUMENT", messages.rocMetricUndefined(this.metric, labels[g], missing), {
            argument: "metric",
          });
      });
    }
    const positives = totals.reduce((s, t) => s + t.positives, 0);
    const negatives = totals.reduce((s, t) => s + t.negatives, 0);
    if (!(positives > 0 && negatives > 0))
      throw new FairkitError("BAD_ARGUMENT", messages.oneClassGroup("(all groups)", positives > 0), {
        argument: "yTrue",
      });
    const problem: Problem = {
      table,
      prefixes: table.perGroup.map(prefixSums),
      metric: this.metric,
      favorable: this.favorableDecision,
      positives,
      negatives,
    };
    // Favourable = positive: the unprivileged gain positives in the region; else the privileged do.
    const unprivilegedRaised = this.favorableDecision === 1;
    const raised = unprivilegedRaised ? unprivileged : privileged;
    const lowered = unprivilegedRaised ? privileged : unprivileged;
    const chosen =
      this.search === "exact"
        ? searchExact(
            buildSide(problem, raised),
            buildSide(problem, lowered),
            unprivilegedRaised,
            this.comparison,
            this.lowerBound,
            this.upperBound,
            this.metric,
          )
        : searchGrid(
            problem,
            raised,
            lowered,
            unprivilegedRaised,
            this.comparison,
            this.lowerBound,
            this.upperBound,
            this.grid,
            this.metric,
          );
    const groups: RuleGroup[] = table.groups.map((info, g) => ({
      key: info.key,
      values: { ...info.values },
      rule: thresholdRule(raised.includes(g) ? chosen.raisedCut : chosen.loweredCut),
    }));
    const rules = new PolicyRules(table.columns, groups);
    const { accuracy, balancedAccuracy } = rules.accuracies(table);
    this.fitted = {
      rules,
      privileged: privileged.map((g) => labels[g]),
      fit: {
        raisedCut: chosen.raisedCut,
        loweredCut: chosen.loweredCut,
        classificationThreshold: chosen.classificationThreshold,
        margin: chosen.margin,
        metricValue: this.metricOn(rules.expectedConfusion(table), privileged),
        balancedAccuracy,
        accuracy,
        candidates: chosen.candidates,
      },
    };
    return this;
  }

  /**
   * The metric (unprivileged minus privileged, favourable orientation; each_pair: the pair farthest
   * from 0) on confusion counts, e.g. the expected counts of this policy on new data.
   */
  metricOn(counts: ConfusionTable, privileged: readonly number[] = this.privilegedIndexes(counts.groups)): number {
    const side = (gs: number[]) => {
      const pooled = new Float64Array(GROUP_STRIDE);
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const g of gs) {
        const o = g * GROUP_STRIDE;
        for (let c = 0; c < GROUP_STRIDE; c++) pooled[c] += counts.data[o + c];
        const r = favourableRate(this.metric, this.favorableDecision, counts.data, o);
        min = Math.min(min, r);
        max = Math.max(max, r);
      }
      return { min, max, rate: favourableRate(this.metric, this.favorableDecision, pooled) };
    };
    const all = counts.groups.map((_, g) => g);
    const u = side(all.filter((g) => !privileged.includes(g)));
    const p = side(all.filter((g) => privileged.includes(g)));
    return reported(metricRange(this.comparison, u.min, u.max, u.rate, p.min, p.max, p.rate));
  }

  private privilegedIndexes(groups: readonly GroupInfo[]): number[] {
    const names = this.state().privileged;
    return groups.flatMap((g, i) => (names.includes(g.key) ? [i] : []));
  }

  private state(): FittedRoc {
    if (!this.fitted)
      throw new FairkitError(
        "BAD_ARGUMENT",
        messages.notFitted("the RejectOptionClassification", "fit() or fromJSON()"),
        { argument: "this" },
      );
    return this.fitted;
  }

  /** What the fit found: the cuts, the threshold and margin, the metric and the accuracies on the training data. */
  get result(): RejectOptionFit {
    return { ...this.state().fit };
  }

  /** The labels of the privileged groups (given, or chosen by the default). */
  get privileged(): readonly string[] {
    return [...this.state().privileged];
  }

  /** The fitted per-group rules (one plain threshold each). */
  get groups(): readonly RuleGroup[] {
    return this.state().rules.groups;
  }

  /** The sensitive columns the policy was fitted on. */
  get columns(): readonly string[] {
    return this.state().rules.columns;
  }

  /** The probability of a positive decision per row (0 or 1: the rule is deterministic). */
  predictProba(scores: NumericInput, sensitiveFeatures: SensitiveInput): Float64Array {
    return this.state().rules.predictProba(scores, sensitiveFeatures);
  }

  /** 0/1 decisions (the seed is accepted for the common interface; nothing is random). */
  predict(scores: NumericInput, sensitiveFeatures: SensitiveInput, options: { seed?: number } = {}): Uint8Array {
    return this.state().rules.predict(scores, sensitiveFeatures, options);
  }

  /** Exact confusion counts of the policy on a score table. */
  expectedConfusion(table: ScoreTable): ConfusionTable {
    return this.state().rules.expectedConfusion(table);
  }

  /** The policy document (`fairkit.threshold_policy`, method `reject_option_classification`). */
  toJSON(): RejectOptionPolicyJSON {
    const { rules, fit, privileged } = this.state();
    const columns = [...rules.columns];
    const cut = (x: number) => (Number.isFinite(x) ? x : null);
    return {
      kind: "fairkit.threshold_policy",
      schema_version: POLICY_SCHEMA_VERSION,
      tool: { name: "fairkit", version: VERSION },
      method: "reject_option_classification",
      columns,
      groups: rules.groups.map((g) => ({
        group: groupTuple(g.values, columns),
        label: g.key,
        rule: { cuts: [...g.rule.cuts], probabilities: [...g.rule.probabilities] },
      })),
      training: {
        objective: finiteOrNull(fit.balancedAccuracy),
        accuracy: finiteOrNull(fit.accuracy),
        balanced_accuracy: finiteOrNull(fit.balancedAccuracy),
        constraint_difference: finiteOrNull(fit.metricValue),
      },
      settings: {
        metric: this.metric,
        lower_bound: this.lowerBound,
        upper_bound: this.upperBound,
        comparison: this.comparison,
        favorable_decision: this.favorableDecision,
        privileged: rules.groups.filter((g) => privileged.includes(g.key)).map((g) => groupTuple(g.values, columns)),
        search: this.search,
        grid: this.search === "grid" ? { ...this.grid } : null,
        classification_threshold: finiteOrNull(fit.classificationThreshold),
        margin: finiteOrNull(fit.margin),
        raised_cut: cut(fit.raisedCut),
        lowered_cut: cut(fit.loweredCut),
        metric_value: finiteOrNull(fit.metricValue),
        candidates: fit.candidates,
      },
    };
  }

  /** Restores a policy from its document (checked against the schema, then as a policy). */
  static fromJSON(json: unknown, what = "policy"): RejectOptionClassification {
    const doc = readPolicyHead<RejectOptionPolicyJSON>(
      json,
      "reject_option_classification",
      "RejectOptionClassification.fromJSON",
      "metric",
      what,
    );
    const s = doc.settings;
    const groups = readRuleGroups(doc.columns, doc.groups, what);
    const rules = new PolicyRules(doc.columns, groups);
    const privilegedIds = new Set(s.privileged.map((t) => JSON.stringify(t)));
    const privileged = groups.filter((g) => privilegedIds.has(JSON.stringify(g.saved.group))).map((g) => g.key);
    const roc = new RejectOptionClassification({
      metric: s.metric,
      lowerBound: s.lower_bound,
      upperBound: s.upper_bound,
      favorableDecision: s.favorable_decision,
      comparison: s.comparison,
      search: s.search,
      grid: s.grid ?? undefined,
      privileged,
    });
    const num = (x: number | null | undefined) => x ?? Number.NaN;
    const cut = (x: number | null) => x ?? Number.POSITIVE_INFINITY;
    roc.fitted = {
      rules,
      privileged,
      fit: {
        raisedCut: cut(s.raised_cut),
        loweredCut: cut(s.lowered_cut),
        classificationThreshold: num(s.classification_threshold),
        margin: num(s.margin),
        metricValue: num(s.metric_value),
        balancedAccuracy: num(doc.training.balanced_accuracy),
        accuracy: num(doc.training.accuracy),
        candidates: s.candidates ?? 0,
      },
    };
    return roc;
  }
}

function badGrid(field: string, value: unknown, why: string): FairkitError {
  return new FairkitError("BAD_ARGUMENT", messages.rocBadGrid(field, value, why), { argument: `grid.${field}` });
}
