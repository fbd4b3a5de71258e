/**
 * The impossibility results on a real data set. With unequal base rates and imperfect prediction,
 * a score cannot be calibrated within groups and have equal error rates across them (Kleinberg,
 * Mullainathan & Raghavan 2017); at a threshold, equal PPV and equal FNR force unequal FPR
 * through Chouldechova's identity FPR = p/(1−p) · (1−PPV)/PPV · (1−FNR) (Chouldechova 2017).
 * This module measures where a data set and its thresholds stand, and what enforcing each
 * criterion (with the ThresholdOptimizer, or deterministic thresholds for predictive parity)
 * costs in accuracy and does to the other criteria.
 */
import { type ConfusionTable, groupCells, selectGroups, totalCells } from "../core/confusion.js";
import { DEFAULTS } from "../core/defaults.js";
import { CRITERIA, CRITERION_NAMES, type CriterionName, criterionFromCounts } from "../core/criteria.js";
import { FairkitError, messages } from "../core/errors.js";
import { evaluateMetric, metricSpec } from "../core/metrics.js";
import { equalizeThresholds } from "./equalize.js";
import {
  type CalibrationParity,
  type CalibrationWithinGroups,
  calibrationParity,
  calibrationWithinGroups,
  scoresAreProbabilities,
} from "./calibration.js";
import { type ScoreTable, type ScoredRowsInput, groupTotals, scoreTable, selectScoreGroups } from "./score-table.js";
import { type ThresholdsInput, confusionAtThresholds, thresholdFor } from "./sweep.js";
import { type ThresholdConstraint, type ThresholdObjective, ThresholdOptimizer } from "./threshold-optimizer.js";

/** Options of {@link impossibilityAnalysis}. */
export interface ImpossibilityOptions {
  /** Thresholds (`score >= t` positive), one for all or per group key; default 0.5 for scores in [0, 1]. */
  thresholds?: ThresholdsInput;
  /** A criterion holds when its difference (max − min across groups) is at most this; default `DEFAULTS.maxDifference` (0.1). */
  tolerance?: number;
  /** What the enforced policies maximise; default `accuracy`. */
  objective?: ThresholdObjective;
  /** Calibration bins: each distinct score when there are at most this many, else this many quantile bins (default 10). */
  bins?: number;
  /** Bins with fewer rows in a group leave that group out of the bin's comparison (default 10). */
  minBinCount?: number;
  /**
   * Groups with fewer rows are flagged small and left out of the criteria, the calibration
   * comparison and the trade-offs (they stay in `groups`, and `excluded` names them), as in every
   * audit; default 30.
   */
  minGroupSize?: number;
  /** Compare small groups too (default false). */
  includeSmallGroups?: boolean;
}

/** The criteria the analysis checks (calibration within groups only for scores in [0, 1]). */
export type ImpossibilityCriterion = CriterionName | "calibration_parity" | "calibration_within_groups";

/** `holds`: difference ≤ tolerance; `nearly`: ≤ twice the tolerance; `fails`: beyond (or undefined). */
export type CriterionStatus = "holds" | "nearly" | "fails";

function statusOf(difference: number, tolerance: number): CriterionStatus {
  return difference <= tolerance ? "holds" : difference <= 2 * tolerance ? "nearly" : "fails";
}

const STATUS_WORDS: Record<CriterionStatus, string> = { holds: "holds", nearly: "nearly holds", fails: "fails" };

/** One group's rates at the thresholds. */
export interface ImpossibilityGroup {
  key: string;
  /** Fewer rows than `minGroupSize`: left out of the comparisons. */
  small: boolean;
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
  criteria: {
    name: ImpossibilityCriterion;
    metrics: string[];
    difference: number;
    holds: boolean;
    status: CriterionStatus;
  }[];
  /** Calibration parity per score bin: observed positive rate per compared group (NaN where a group has too few rows). */
  calibration: CalibrationParity;
  /** Each compared group's calibration error, when the scores are probabilities (else null). */
  calibrationWithinGroups: CalibrationWithinGroups | null;
  /** Labels of the small groups left out of the comparisons (empty when small groups are included). */
  excluded: string[];
  minGroupSize: number;
  tradeoffs: TradeoffRow[];
  /** Plain words, quoting the numbers (Kleinberg et al. 2017; Chouldechova 2017). */
  explanation: string;
}

const CRITERION_METRICS: Record<ImpossibilityCriterion, string[]> = {
  ...(Object.fromEntries(CRITERION_NAMES.map((c) => [c, [...CRITERIA[c]]])) as Record<CriterionName, string[]>),
  calibration_parity: ["observed positive rate per score bin, between groups"],
  calibration_within_groups: ["expected calibration error per group"],
};

function m(name: string, cells: Float64Array): number {
  return evaluateMetric(metricSpec(name), cells);
}

function differences(
  counts: ConfusionTable,
  tolerance: number,
): { differences: Record<CriterionName, number>; holds: Record<CriterionName, boolean> } {
  const d = {} as Record<CriterionName, number>;
  const h = {} as Record<CriterionName, boolean>;
  for (const c of CRITERION_NAMES) {
    d[c] = criterionFromCounts(counts, c, "difference");
    h[c] = d[c] <= tolerance;
  }
  return { differences: d, holds: h };
}

const pct = (x: number) => (Number.isNaN(x) ? "undefined" : `${(100 * x).toFixed(1)}%`);
const num = (x: number) => (Number.isNaN(x) ? "undefined" : x.toFixed(3));

function explain(report: Omit<ImpossibilityReport, "explanation">): string {
  const g = report.groups.filter((x) => !x.small);
  const byBase = [...g].sort((a, b) => a.baseRate - b.baseRate);
  const lo = byBase[0];
  const hi = byBase[byBase.length - 1];
  const crit = Object.fromEntries(report.criteria.map((c) => [c.name, c]));
  const list = (f: (x: ImpossibilityGroup) => number) => g.map((x) => `${x.key} ${pct(f(x))}`).join(", ");
  const parts: string[] = [];
  if (report.excluded.length > 0) {
    parts.push(
      `The comparisons below are between the ${g.length} groups with at least ${report.minGroupSize} rows; left out as too small to conclude anything: ${report.excluded.map((k) => JSON.stringify(k)).join(", ")}.`,
    );
  }
  if (g.length < 2) {
    parts.push("Fewer than two groups are large enough to compare, so no criterion can be judged.");
    return parts.join("\n\n");
  }
  parts.push(
    `Base rates differ: ${list((x) => x.baseRate)} (gap ${pct(report.baseRateGap)}). At the given thresholds (tolerance ${report.tolerance}), ` +
      `predictive parity ${STATUS_WORDS[crit.predictive_parity.status]} (PPV ${list((x) => x.positivePredictiveValue)}; difference ${num(crit.predictive_parity.difference)}), ` +
      `calibration parity ${STATUS_WORDS[crit.calibration_parity.status]} (mean gap between groups in the same score bin ${num(crit.calibration_parity.difference)}), ` +
      (crit.calibration_within_groups
        ? `calibration within groups ${STATUS_WORDS[crit.calibration_within_groups.status]} (largest calibration error of a group ${num(crit.calibration_within_groups.difference)}), `
        : "") +
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
            `${r.enforced === "unconstrained" ? "with no constraint (the most accurate thresholds per group) accuracy is" : `enforcing ${r.enforced.replace(/_/g, " ")} gives accuracy`} ${pct(r.accuracy)} and leaves ${CRITERION_NAMES.filter(
              (c) => c !== r.enforced,
            )
              .map((c) => `${c.replace(/_/g, " ")} difference ${num(r.differences[c])}`)
              .join(", ")}`,
        )
        .join("; ")}.`,
    );
  }
  if (lo !== hi && Math.abs(report.baseRateGap) < 1e-9)
    parts.push("Here base rates are equal, so the theorems do not force a conflict.");
  return parts.join("\n\n");
}

/**
 * The impossibility analysis of a score table at given thresholds.
 * @example
 * const report = impossibilityFromTable(scoreTable({ scores, yTrue, sensitiveFeatures: race }), { thresholds: 5 });
 * report.criteria; // which of demographic parity, equal opportunity, equalized odds, predictive parity, calibration hold
 * console.log(report.explanation);
 */
export function impossibilityFromTable(full: ScoreTable, options: ImpossibilityOptions = {}): ImpossibilityReport {
  const minGroupSize = options.minGroupSize ?? DEFAULTS.minGroupSize;
  const rowsOf = full.perGroup.map((g) => groupTotals(g).rows);
  const comparedIndex = full.groups.flatMap((_, g) =>
    options.includeSmallGroups || rowsOf[g] >= minGroupSize ? [g] : [],
  );
  const excluded = full.groups.filter((_, g) => !comparedIndex.includes(g)).map((g) => g.key);
  // Small groups are shown but not compared: the rule of every audit (a 2-person group's rates are noise).
  const table = excluded.length > 0 ? selectScoreGroups(full, comparedIndex) : full;
  const tolerance = options.tolerance ?? DEFAULTS.maxDifference;
  const objective = options.objective ?? "accuracy";
  let thresholds = options.thresholds;
  if (thresholds === undefined) {
    if (!scoresAreProbabilities(full))
      throw new FairkitError("BAD_ARGUMENT", messages.scoresNotProbabilities(), { argument: "thresholds" });
    thresholds = 0.5;
  }
  const allCounts = confusionAtThresholds(full, thresholds);
  const counts = excluded.length > 0 ? selectGroups(allCounts, comparedIndex) : allCounts;
  const groups: ImpossibilityGroup[] = full.groups.map((info, gi) => {
    const cells = groupCells(allCounts, gi);
    const p = m("base_rate", cells);
    const ppv = m("positive_predictive_value", cells);
    const fnr = m("false_negative_rate", cells);
    const fpr = m("false_positive_rate", cells);
    const fromIdentity = (p / (1 - p)) * ((1 - ppv) / ppv) * (1 - fnr);
    const totals = groupTotals(full.perGroup[gi]);
    return {
      key: info.key,
      small: !comparedIndex.includes(gi),
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
  const calibration = calibrationParity(
    table,
    options.bins ?? DEFAULTS.calibrationBins,
    options.minBinCount ?? DEFAULTS.minBinCount,
  );
  const within = scoresAreProbabilities(table) ? calibrationWithinGroups(table) : null;
  const given = differences(counts, tolerance);
  const criteria: ImpossibilityReport["criteria"] = CRITERION_NAMES.map((name) => ({
    name,
    metrics: CRITERION_METRICS[name],
    difference: given.differences[name],
    holds: given.holds[name],
    status: statusOf(given.differences[name], tolerance),
  }));
  criteria.push({
    name: "calibration_parity",
    metrics: CRITERION_METRICS.calibration_parity,
    difference: calibration.weightedGap,
    holds: calibration.weightedGap <= tolerance,
    status: statusOf(calibration.weightedGap, tolerance),
  });
  if (within) {
    criteria.push({
      name: "calibration_within_groups",
      metrics: CRITERION_METRICS.calibration_within_groups,
      difference: within.value,
      holds: within.value <= tolerance,
      status: statusOf(within.value, tolerance),
    });
  }
  const givenAccuracy = m("accuracy", totalCells(counts));
  const tradeoffs: TradeoffRow[] = [
    { enforced: "as_given", method: "the given thresholds", accuracy: givenAccuracy, accuracyCost: 0, ...given },
  ];
  const enforce: [TradeoffRow["enforced"], ThresholdConstraint, number][] = [
    ["unconstrained", "demographic_parity", 1],
    ["demographic_parity", "demographic_parity", 0],
    ["equal_opportunity", "true_positive_rate_parity", 0],
    ["false_positive_rate_parity", "false_positive_rate_parity", 0],
    ["equalized_odds", "equalized_odds", 0],
  ];
  const canOptimize =
    table.perGroup.length > 0 &&
    table.perGroup.every((g) => {
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
        method:
          tol >= 1
            ? `per-group thresholds maximising ${objective}, no constraint`
            : `ThresholdOptimizer (${constraint}, ${objective}; randomised where needed)`,
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
    tradeoffs.push({
      enforced: "predictive_parity",
      method: `deterministic per-group thresholds, PPV as equal as possible (gap ${num(pp.gap)})`,
      accuracy,
      accuracyCost: givenAccuracy - accuracy,
      ...differences(ppCounts, tolerance),
    });
  } catch {
    // PPV undefined at every threshold in some group: no predictive-parity row.
  }
  const bases = groups
    .filter((x) => !x.small)
    .map((x) => x.baseRate)
    .filter((x) => !Number.isNaN(x));
  const partial = {
    tolerance,
    objective,
    groups,
    baseRateGap: bases.length > 0 ? Math.max(...bases) - Math.min(...bases) : Number.NaN,
    criteria,
    calibration,
    calibrationWithinGroups: within,
    excluded,
    minGroupSize,
    tradeoffs,
  };
  return { ...partial, explanation: explain(partial) };
}

/** The impossibility analysis from rows (scores, labels, groups). */
export function impossibilityAnalysis(input: ScoredRowsInput & ImpossibilityOptions): ImpossibilityReport {
  return impossibilityFromTable(scoreTable(input), input);
}
