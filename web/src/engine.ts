/**
 * The page's only door to the fairkit engine. Every number the app shows is computed here by
 * calling the library (score tables, confusion counts, the metric table, criteria, calibration):
 * the UI code formats and draws, it never evaluates a metric formula itself.
 */
import {
  type CalibrationReport,
  type Cells,
  type ConfusionTable,
  CRITERION_NAMES,
  type CriterionName,
  GROUP_STRIDE,
  type GroupInfo,
  calibrationByGroup,
  countConfusion,
  criterionFromCounts,
  evaluateMetric,
  groupCells,
  metricSpec,
  type DecisionRule,
  type GroupScores,
  type RocCurve,
  type ScoreTable,
  ThresholdOptimizer,
  buildScoreTable,
  cellsFromPrefix,
  decisionIndex,
  prefixSums,
  rocCurve,
} from "../../src/internal.js";

/** Rows the app works on: a score (or a 0/1 decision), a 0/1 label, group codes and optional weights. */
export interface Dataset {
  score: Float64Array;
  yTrue: Uint8Array;
  codes: Int32Array;
  groups: GroupInfo[];
  columns: string[];
  weights?: Float64Array;
}

/**
 * One group's decision rule, the thresholds engine's own form: P(positive | score) as a step
 * function (`thresholdRule(t)` for a plain threshold; the ThresholdOptimizer's randomised mixes).
 */
export type Rule = DecisionRule;

/** The metrics the app shows per group. */
export const GROUP_METRICS = [
  "selection_rate",
  "true_positive_rate",
  "false_positive_rate",
  "positive_predictive_value",
] as const;

/** Criteria the app judges from confusion counts (calibration is judged from the scores). */
export const COUNT_CRITERIA: readonly CriterionName[] = CRITERION_NAMES;

/**
 * Live evaluation of decision rules on one data set. Built once per data set (O(n log n));
 * each evaluation afterwards is O(groups · log n), which is what lets a slider move on a
 * million rows recompute within a frame.
 */
export class LiveEngine {
  readonly data: Dataset;
  readonly groups: GroupInfo[];
  readonly n: number;
  readonly scoreRange: [number, number];
  /** The engine's score tables (src/thresholds): one per group, built once. */
  readonly scores: ScoreTable;
  readonly #prefix: Float64Array[];
  #calibration: CalibrationReport | undefined | null = null;
  #pooled: GroupScores | undefined;

  constructor(data: Dataset) {
    this.data = data;
    this.groups = data.groups;
    this.n = data.score.length;
    this.scores = buildScoreTable(
      data.score,
      data.yTrue,
      { columns: data.columns, groups: data.groups, codes: data.codes },
      data.weights,
    );
    this.#prefix = this.scores.perGroup.map((g) => prefixSums(g));
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const gs of this.scores.perGroup) {
      if (gs.scores.length === 0) continue;
      lo = Math.min(lo, gs.scores[0]);
      hi = Math.max(hi, gs.scores[gs.scores.length - 1]);
    }
    this.scoreRange = [lo, hi];
  }

  /** Confusion cells of group g when `score >= t` is positive: O(log n) from the prefix sums. */
  cellsAt(g: number, t: number): Cells {
    return cellsFromPrefix(this.#prefix[g], decisionIndex(this.scores.perGroup[g], t));
  }

  /**
   * Exact expected confusion cells of group g under a rule. A step rule is an affine combination
   * of plain thresholds — p_0 at −∞, (p_{j+1} − p_j) at cut j, 1 − p_last at +∞ — so its cells are
   * the same combination of threshold cells: O(cuts · log n), not O(n).
   */
  cellsFor(g: number, rule: Rule): Cells {
    const { cuts, probabilities } = rule;
    if (cuts.length === 1 && probabilities[0] === 0 && probabilities[1] === 1) return this.cellsAt(g, cuts[0]);
    const out = this.cellsAt(g, Number.NEGATIVE_INFINITY);
    const none = this.cellsAt(g, Number.POSITIVE_INFINITY);
    const p0 = probabilities[0];
    const pLast = probabilities[probabilities.length - 1];
    for (let k = 0; k < out.length; k++) out[k] = p0 * out[k] + (1 - pLast) * none[k];
    cuts.forEach((t, j) => {
      const w = probabilities[j + 1] - probabilities[j];
      if (w === 0) return;
      const c = this.cellsAt(g, t);
      for (let k = 0; k < out.length; k++) out[k] += w * c[k];
    });
    return out;
  }

  /** Confusion counts per group under per-group rules. */
  table(rules: readonly Rule[]): ConfusionTable {
    const G = this.groups.length;
    const data = new Float64Array(G * GROUP_STRIDE);
    for (let g = 0; g < G; g++) data.set(this.cellsFor(g, rules[g]), g * GROUP_STRIDE);
    return { columns: [...this.data.columns], groups: this.groups, data };
  }

  /** The slow baseline for benchmarks and tests: re-threshold every row and count. */
  tableByRows(thresholds: readonly number[]): ConfusionTable {
    const n = this.n;
    const yPred = new Uint8Array(n);
    for (let i = 0; i < n; i++) yPred[i] = this.data.score[i] >= thresholds[this.data.codes[i]] ? 1 : 0;
    return countConfusion(
      this.data.yTrue,
      yPred,
      { columns: this.data.columns, groups: this.groups, codes: this.data.codes },
      this.data.weights,
    );
  }

  /** Calibration within groups (threshold-free: computed once). Null when scores are not in [0, 1]. */
  calibration(bins = 10): CalibrationReport | undefined {
    if (this.#calibration !== null) return this.#calibration;
    const [lo, hi] = this.scoreRange;
    this.#calibration =
      lo >= 0 && hi <= 1
        ? calibrationByGroup(
            this.data.score,
            this.data.yTrue,
            { codes: this.data.codes, levels: this.groups.map((g) => g.key) },
            { bins, sampleWeight: this.data.weights },
          )
        : undefined;
    return this.#calibration;
  }

  /**
   * Calibration plot data for any score: scores outside [0, 1] are rescaled by the observed range
   * first (then the curve compares ranks only, and `scale` maps the bins back for the axis).
   */
  calibrationForPlot(bins = 10): { report: CalibrationReport; scale?: { lo: number; hi: number } } {
    const direct = this.calibration(bins);
    if (direct) return { report: direct };
    const [lo, hi] = this.scoreRange;
    const span = hi - lo || 1;
    const scaled = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) scaled[i] = (this.data.score[i] - lo) / span;
    const report = calibrationByGroup(
      scaled,
      this.data.yTrue,
      { codes: this.data.codes, levels: this.groups.map((g) => g.key) },
      { bins, sampleWeight: this.data.weights },
    );
    return { report, scale: { lo, hi } };
  }

  /** Distinct scores of group g, ascending (for slider snapping). */
  distinctScores(g: number): Float64Array {
    return this.scores.perGroup[g].scores;
  }

  /** One score table over every row (for a single shared threshold). */
  pooled(): GroupScores {
    if (!this.#pooled) {
      const codes = new Int32Array(this.n);
      this.#pooled = buildScoreTable(
        this.data.score,
        this.data.yTrue,
        { columns: ["all"], groups: [{ key: "all", values: {} }], codes },
        this.data.weights,
      ).perGroup[0];
    }
    return this.#pooled;
  }

  /**
   * Per-group rules of the ThresholdOptimizer (Hardt et al. 2016; exact on the ROC hulls) for a
   * constraint, maximising accuracy.
   */
  optimize(constraint: "demographic_parity" | "equal_opportunity" | "equalized_odds", tolerance = 0): Rule[] {
    const fitted = new ThresholdOptimizer({ constraint, objective: "accuracy", tolerance }).fitTable(this.scores);
    return fitted.groups.map((p) => p.rule);
  }

  /** Exact ROC curve of group g. */
  roc(g: number): RocCurve {
    return rocCurve(this.scores.perGroup[g]);
  }
}

/** A metric's value on one group's cells, through the metric table. */
export function metricOf(table: ConfusionTable, g: number, metric: string): number {
  return evaluateMetric(metricSpec(metric), groupCells(table, g));
}

/** Overall value of a metric over every group. */
export function overallMetric(table: ConfusionTable, metric: string): number {
  const total = new Float64Array(GROUP_STRIDE);
  for (let k = 0; k < table.data.length; k++) total[k % GROUP_STRIDE] += table.data[k];
  return evaluateMetric(metricSpec(metric), total);
}

/** A criterion's status right now. */
export interface CriterionStatus {
  name: CriterionName | "calibration";
  /** The gap: difference between groups (max − min), or for calibration the largest group ECE. */
  value: number;
  holds: boolean;
  /** How far over the tolerance (0 when it holds; NaN when undefined). */
  miss: number;
}

/**
 * Judges every criterion against a tolerance, over the groups of `table` (the compared groups:
 * small ones already left out). Calibration within groups is the largest ECE among those groups.
 */
export function criteriaStatus(
  table: ConfusionTable,
  calibration: CalibrationReport | undefined,
  tolerance: number,
): CriterionStatus[] {
  const out: CriterionStatus[] = COUNT_CRITERIA.map((name) => {
    const value = criterionFromCounts(table, name, "difference");
    return {
      name,
      value,
      holds: value <= tolerance,
      miss: Number.isNaN(value) ? Number.NaN : Math.max(0, value - tolerance),
    };
  });
  if (calibration) {
    const compared = new Set(table.groups.map((g) => g.key));
    const eces = calibration.groups
      .filter((g) => compared.has(g.key))
      .map((g) => g.ece)
      .filter((e) => !Number.isNaN(e));
    const value = eces.length ? Math.max(...eces) : Number.NaN;
    out.push({
      name: "calibration",
      value,
      holds: value <= tolerance,
      miss: Number.isNaN(value) ? Number.NaN : Math.max(0, value - tolerance),
    });
  }
  return out;
}

/** True for `score >= t` with one finite t. */
export function isPlainThreshold(rule: Rule): boolean {
  return rule.cuts.length === 1 && rule.probabilities[0] === 0 && rule.probabilities[1] === 1;
}

/** Where a slider should sit for a rule: the first cut at which P(positive) reaches one half. */
export function representativeThreshold(rule: Rule): number {
  const j = rule.probabilities.findIndex((p) => p >= 0.5);
  if (j <= 0) return j === 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return rule.cuts[j - 1];
}
