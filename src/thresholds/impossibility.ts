/**
 * The impossibility results on a real data set. With unequal base rates and imperfect prediction,
 * a score cannot be calibrated within groups and have equal error rates across them (Kleinberg,
 * Mullainathan & Raghavan 2017); at a threshold, equal PPV and equal FNR force unequal FPR
 * through Chouldechova's identity FPR = p/(1−p) · (1−PPV)/PPV · (1−FNR) (Chouldechova 2017).
 * This module measures where a data set and its thresholds stand, and what enforcing each
 * criterion (with the ThresholdOptimizer, or deterministic thresholds for predictive parity)
 * costs in accuracy and does to the other criteria.
 */
import { type ConfusionTable, groupCells, totalCells } from "../core/confusion.js";
import { type CriterionName, criterionFromCounts } from "../core/criteria.js";
import { FairkitError } from "../core/errors.js";
import { evaluateMetric, metricSpec } from "../core/metrics.js";
import { equalizeThresholds } from "./equalize.js";
import { type ScoreTable, type ScoredRowsInput, groupTotals, pooledScores, scoreTable } from "./score-table.js";
import { type ThresholdsInput, confusionAtThresholds, thresholdFor } from "./sweep.js";
import { type ThresholdConstraint, type ThresholdObjective, ThresholdOptimizer } from "./threshold-optimizer.js";

/** Options of {@link impossibilityAnalysis}. */
export interface ImpossibilityOptions {
  /** Thresholds (`score >= t` positive), one for all or per group key; default 0.5 for scores in [0, 1]. */
  thresholds?: ThresholdsInput;
  /** A criterion holds when its difference (max − min across groups) is at most this; default 0.05. */
  tolerance?: number;
  /** What the enforced policies maximise; default `accuracy`. */
  objective?: ThresholdObjective;
  /** Calibration bins: each distinct score when there are at most this many, else this many quantile bins (default 10). */
  bins?: number;
  /** Bins with fewer rows in a group leave that group out of the bin's comparison (default 10). */
  minBinCount?: number;
}

/** The criteria the analysis checks. */
export type ImpossibilityCriterion = CriterionName | "calibration_within_groups";

/** `holds`: difference ≤ tolerance; `nearly`: ≤ twice the tolerance; `fails`: beyond (or undefined). */
export type CriterionStatus = "holds" | "nearly" | "fails";

function statusOf(difference: number, tolerance: number): CriterionStatus {
  return difference <= tolerance ? "holds" : difference <= 2 * tolerance ? "nearly" : "fails";
}

const STATUS_WORDS: Record<CriterionStatus, string> = { holds: "holds", nearly: "nearly holds", fails: "fails" };

/** One group's rates at the thresholds. */
export interface ImpossibilityGroup {
  key: string;
  threshold: number;
  rows: number;
  weight: number;
  baseRate: number;
  selectionRate: number;
  truePositiveRate: number;
  falsePositiveRate: number;
  falseNegativeRate: number;
  positivePredictiveValue: number;
  accuracy: number;
  /** Chouldechova's identity: FPR and p/(1−p) · (1−PPV)/PPV · (1−FNR); they agree up to rounding. */
  chouldechova: { falsePositiveRate: number; fromIdentity: number; holds: boolean };
}

/** One row of the trade-off table. */
export interface TradeoffRow {
  /** `as_given`, `unconstrained`, or the criterion enforced. */
  enforced: "as_given" | "unconstrained" | CriterionName | "false_positive_rate_parity";
  /** How the decisions were made. */
  method: string;
  /** Expected (exact) accuracy. */
  accuracy: number;
  /** Accuracy at the given thresholds minus this row's (positive = this row loses accuracy). */
  accuracyCost: number;
  /** Difference (max − min across groups) of each criterion under this row's decisions. */
  differences: Record<CriterionName, number>;
  holds: Record<CriterionName, boolean>;
}

/** Result of {@link impossibilityAnalysis}. */
export interface ImpossibilityReport {
  tolerance: number;
  objective: ThresholdObjective;
  groups: ImpossibilityGroup[];
  /** Largest base rate minus smallest. */
  baseRateGap: number;
  /** Each criterion's difference and whether it holds within the tolerance. */
  criteria: { name: ImpossibilityCriterion; metrics: string[]; difference: number; holds: boolean; status: CriterionStatus }[];
  /** Per calibration bin: observed positive rate per group (NaN where a group has too few rows). */
  calibration: { bins: { lower: number; upper: number; rates: Record<string, number>; rows: Record<string, number> }[]; weightedGap: number; maxGap: number };
  tradeoffs: TradeoffRow[];
  /** Plain words, quoting the numbers (Kleinberg et al. 2017; Chouldechova 2017). */
  explanation: string;
}

const CRITERIA_CHECKED: CriterionName[] = ["demographic_parity", "equal_opportunity", "equalized_odds", "predictive_parity"];
const CRITERION_METRICS: Record<ImpossibilityCriterion, string[]> = {
  demographic_parity: ["selection_rate"],
  equal_opportunity: ["true_positive_rate"],
  equalized_odds: ["true_positive_rate", "false_positive_rate"],
  predictive_parity: ["positive_predictive_value"],
  calibration_within_groups: ["observed positive rate per score bin"],
};

function m(name: string, cells: Float64Array): number {
  return evaluateMetric(metricSpec(name), cells);
}

function differences(counts: ConfusionTable, tolerance: number): { differences: Record<CriterionName, number>; holds: Record<CriterionName, boolean> } {
  const d = {} as Record<CriterionName, number>;
  const h = {} as Record<CriterionName, boolean>;
  for (const c of CRITERIA_CHECKED) {
    d[c] = criterionFromCounts(counts, c, "difference");
    h[c] = d[c] <= tolerance;
  }
  return { differences: d, holds: h };
}

function calibrationBins(table: ScoreTable, bins: number, minBinCount: number): ImpossibilityReport["calibration"] {
  const pooled = pooledScores(table);
  const all = pooled.scores;
  let edges: number[];
  if (all.length <= bins) edges = [...all];
  else {
    // Quantile edges of the pooled rows (by row count), so that bins hold similar numbers of people.
    let total = 0;
    for (let k = 0; k < all.length; k++) total += pooled.negRows[k] + pooled.posRows[k];
    edges = [all[0]];
    let seen = 0;
    for (let k = 0; k < all.length; k++) {
      if (seen >= (edges.length * total) / bins && all[k] > edges[edges.length - 1]) edges.push(all[k]);
      seen += pooled.negRows[k] + pooled.posRows[k];
    }
  }
  const out: ImpossibilityReport["calibration"]["bins"] = edges.map((lower, b) => ({ lower, upper: b + 1 < edges.length ? edges[b + 1] : Number.POSITIVE_INFINITY, rates: {}, rows: {} }));
  let gapSum = 0;
  let weightSum = 0;
  let maxGap = 0;
  const pos = out.map(() => table.groups.map(() => 0));
  const wt = out.map(() => table.groups.map(() => 0));
  const rows = out.map(() => table.groups.map(() => 0));
  table.perGroup.forEach((g, gi) => {
    let b = 0;
    g.scores.forEach((s, k) => {
      while (b + 1 < edges.length && s >= edges[b + 1]) b++;
      pos[b][gi] += g.posWeight[k];
      wt[b][gi] += g.posWeight[k] + g.negWeight[k];
      rows[b][gi] += g.posRows[k] + g.negRows[k];
    });
  });
  out.forEach((bin, b) => {
    const rates: number[] = [];
    let binWeight = 0;
    table.groups.forEach((info, gi) => {
      const ok = rows[b][gi] >= minBinCount && wt[b][gi] > 0;
      bin.rates[info.key] = ok ? pos[b][gi] / wt[b][gi] : Number.NaN;
      bin.rows[info.key] = rows[b][gi];
      if (ok) rates.push(pos[b][gi] / wt[b][gi]);
      binWeight += wt[b][gi];
    });
    if (rates.length >= 2) {
      const gap = Math.max(...rates) - Math.min(...rates);
      gapSum += gap * binWeight;
      weightSum += binWeight;
      maxGap = Math.max(maxGap, gap);
    }
  });
  return { bins: out, weightedGap: weightSum > 0 ? gapSum / weightSum : Number.NaN, maxGap: weightSum > 0 ? maxGap : Number.NaN };
}

const pct = (x: number) => (Number.isNaN(x) ? "undefined" : `${(100 * x).toFixed(1)}%`);
const num = (x: number) => (Number.isNaN(x) ? "undefined" : x.toFixed(3));

function explain(report: Omit<ImpossibilityReport, "explanation">): string {
  const g = report.groups;
  const byBase = [...g].sort((a, b) => a.baseRate - b.baseRate);
  const lo = byBase[0];
  const hi = byBase[byBase.length - 1];
  const crit = Object.fromEntries(report.criteria.map((c) => [c.name, c]));
  const list = (f: (x: ImpossibilityGroup) => number) => g.map((x) => `${x.key} ${pct(f(x))}`).join(", ");
  const parts: string[] = [];
  parts.push(
    `Base rates differ: ${list((x) => x.baseRate)} (gap ${pct(report.baseRateGap)}). At the given thresholds (tolerance ${report.tolerance}), ` +
      `predictive parity ${STATUS_WORDS[crit.predictive_parity.status]} (PPV ${list((x) => x.positivePredictiveValue)}; difference ${num(crit.predictive_parity.difference)}), ` +
      `calibration within groups ${STATUS_WORDS[crit.calibration_within_groups.status]} (mean gap between groups in the same score bin ${num(crit.calibration_within_groups.difference)}), ` +
      `while equalized odds ${STATUS_WORDS[crit.equalized_odds.status]} (FPR ${list((x) => x.falsePositiveRate)}; TPR ${list((x) => x.truePositiveRate)}; difference ${num(crit.equalized_odds.difference)}) ` +
      `and demographic parity ${STATUS_WORDS[crit.demographic_parity.status]} (selection rate ${list((x) => x.selectionRate)}).`,
  );
  parts.push(
    `This is not an accident of this model. In every group FPR = p/(1−p) · (1−PPV)/PPV · (1−FNR) (Chouldechova 2017; checked here: ${g
      .map((x) => `${x.key} ${num(x.chouldechova.falsePositiveRate)} = ${num(x.chouldechova.fromIdentity)}`)
      .join(", ")}): when base rates p differ, equal PPV and equal FNR force unequal FPR. ` +
      `More generally, unless base rates are equal or prediction is perfect, no score can be calibrated within groups and also balanced for the positive and the negative class (Kleinberg, Mullainathan & Raghavan 2017): you choose which criterion to violate.`,
  );
  const rows = report.tradeoffs.filter((r) => r.enforced !== "as_given");
  if (rows.length > 0) {
    parts.push(
      `What each choice costs (accuracy at the given thresholds: ${pct(report.tradeoffs[0].accuracy)}): ${rows
        .map(
          (r) =>
            `${r.enforced === "unconstrained" ? "with no constraint (the most accurate thresholds per group) accuracy is" : `enforcing ${r.enforced.replace(/_/g, " ")} gives accuracy`} ${pct(r.accuracy)} and leaves ${CRITERIA_CHECKED.filter((c) => c !== r.enforced)
              .map((c) => `${c.replace(/_/g, " ")} difference ${num(r.differences[c])}`)
              .join(", ")}`,
        )
        .join("; ")}.`,
    );
  }
  if (lo !== hi && Math.abs(report.baseRateGap) < 1e-9) parts.push("Here base rates are equal, so the theorems do not force a conflict.");
  return parts.join("\n\n");
}

/**
 * The impossibility analysis of a score table at given thresholds.
 * @example
 * const report = impossibilityFromTable(scoreTable({ scores, yTrue, sensitiveFeatures: race }), { thresholds: 5 });
 * report.criteria; // which of demographic parity, equal opportunity, equalized odds, predictive parity, calibration hold
 * console.log(report.explanation);
 */
export function impossibilityFromTable(table: ScoreTable, options: ImpossibilityOptions = {}): ImpossibilityReport {
  const tolerance = options.tolerance ?? 0.05;
  const objective = options.objective ?? "accuracy";
  let thresholds = options.thresholds;
  if (thresholds === undefined) {
    const inUnit = table.perGroup.every((g) => g.scores.length === 0 || (g.scores[0] >= 0 && g.scores[g.scores.length - 1] <= 1));
    if (!inUnit) throw new FairkitError("BAD_ARGUMENT", "scores are not probabilities in [0, 1]: give thresholds (e.g. thresholds: 5 for COMPAS decile scores)", { argument: "thresholds" });
    thresholds = 0.5;
  }
  const counts = confusionAtThresholds(table, thresholds);
  const groups: ImpossibilityGroup[] = table.groups.map((info, gi) => {
    const cells = groupCells(counts, gi);
    const p = m("base_rate", cells);
    const ppv = m("positive_predictive_value", cells);
    const fnr = m("false_negative_rate", cells);
    const fpr = m("false_positive_rate", cells);
    const fromIdentity = (p / (1 - p)) * ((1 - ppv) / ppv) * (1 - fnr);
    const totals = groupTotals(table.perGroup[gi]);
    return {
      key: info.key,
      threshold: thresholdFor(thresholds!, info.key),
      rows: totals.rows,
      weight: totals.positives + totals.negatives,
      baseRate: p,
      selectionRate: m("selection_rate", cells),
      truePositiveRate: m("true_positive_rate", cells),
      falsePositiveRate: fpr,
      falseNegativeRate: fnr,
      positivePredictiveValue: ppv,
      accuracy: m("accuracy", cells),
      chouldechova: { falsePositiveRate: fpr, fromIdentity, holds: Math.abs(fpr - fromIdentity) <= 1e-9 },
    };
  });
  const calibration = calibrationBins(table, options.bins ?? 10, options.minBinCount ?? 10);
  const given = differences(counts, tolerance);
  const criteria: ImpossibilityReport["criteria"] = CRITERIA_CHECKED.map((name) => ({
    name,
    metrics: CRITERION_METRICS[name],
    difference: given.differences[name],
    holds: given.holds[name],
    status: statusOf(given.differences[name], tolerance),
  }));
  criteria.push({
    name: "calibration_within_groups",
    metrics: CRITERION_METRICS.calibration_within_groups,
    difference: calibration.weightedGap,
    holds: calibration.weightedGap <= tolerance,
    status: statusOf(calibration.weightedGap, tolerance),
  });
  const givenAccuracy = m("accuracy", totalCells(counts));
  const tradeoffs: TradeoffRow[] = [{ enforced: "as_given", method: "the given thresholds", accuracy: givenAccuracy, accuracyCost: 0, ...given }];
  const enforce: [TradeoffRow["enforced"], ThresholdConstraint, number][] = [
    ["unconstrained", "demographic_parity", 1],
    ["demographic_parity", "demographic_parity", 0],
    ["equal_opportunity", "true_positive_rate_parity", 0],
    ["false_positive_rate_parity", "false_positive_rate_parity", 0],
    ["equalized_odds", "equalized_odds", 0],
  ];
  const canOptimize = table.perGroup.every((g) => {
    const t = groupTotals(g);
    return t.positives > 0 && t.negatives > 0;
  });
  if (canOptimize) {
    for (const [enforced, constraint, tol] of enforce) {
      const opt = new ThresholdOptimizer({ constraint, objective, tolerance: tol }).fitTable(table);
      const expected = opt.expectedConfusion(table);
      const accuracy = m("accuracy", totalCells(expected));
      tradeoffs.push({
        enforced,
        method: tol >= 1 ? `per-group thresholds maximising ${objective}, no constraint` : `ThresholdOptimizer (${constraint}, ${objective}; randomised where needed)`,
        accuracy,
        accuracyCost: givenAccuracy - accuracy,
        ...differences(expected, tolerance),
      });
    }
  }
  try {
    const pp = equalizeThresholds(table, "positive_predictive_value", { objective, tolerance: 0 });
    const th = Object.fromEntries(pp.groups.map((x) => [x.key, x.threshold]));
    const ppCounts = confusionAtThresholds(table, th);
    const accuracy = m("accuracy", totalCells(ppCounts));
    tradeoffs.push({ enforced: "predictive_parity", method: `deterministic per-group thresholds, PPV as equal as possible (gap ${num(pp.gap)})`, accuracy, accuracyCost: givenAccuracy - accuracy, ...differences(ppCounts, tolerance) });
  } catch {
    // PPV undefined at every threshold in some group: no predictive-parity row.
  }
  const bases = groups.map((x) => x.baseRate).filter((x) => !Number.isNaN(x));
  const partial = { tolerance, objective, groups, baseRateGap: Math.max(...bases) - Math.min(...bases), criteria, calibration, tradeoffs };
  return { ...partial, explanation: explain(partial) };
}

/** The impossibility analysis from rows (scores, labels, groups). */
export function impossibilityAnalysis(input: ScoredRowsInput & ImpossibilityOptions): ImpossibilityReport {
  return impossibilityFromTable(scoreTable(input), input);
}
