/**
 * The fairness criteria as plain functions. Each is a difference or ratio of one or two group
 * metrics, computed from the same confusion counts as MetricFrame:
 *
 * | criterion          | metric(s) compared across groups       | fits the harm of …                         |
 * |--------------------|----------------------------------------|--------------------------------------------|
 * | demographic parity | selection rate                         | unequal access to a good (or a burden)     |
 * | equal opportunity  | true positive rate                     | qualified people missed more in one group  |
 * | equalized odds     | true positive rate and false positive rate | errors of both kinds falling unequally |
 * | predictive parity  | positive predictive value (precision)  | a positive decision meaning less for one group |
 */
import { type ConfusionTable, checkConfusionTable, groupCells, totalCells } from "./confusion.js";
import { type DisparityMethod, type DisparityOptions, disparityDifference, disparityRatio } from "./disparity.js";
import { FairkitError, messages } from "./errors.js";
import { findGroup, type SensitiveInput } from "./groups.js";
import { type ZeroDivision, evaluateMetric, metricSpec } from "./metrics.js";
import { type RowsInput, confusionFromRows } from "./prepare.js";
import type { BinaryInput, NumericInput } from "./validate.js";

/** The criteria and the metrics each compares. */
export const CRITERIA = {
  demographic_parity: ["selection_rate"],
  equal_opportunity: ["true_positive_rate"],
  equalized_odds: ["true_positive_rate", "false_positive_rate"],
  predictive_parity: ["positive_predictive_value"],
} as const satisfies Record<string, readonly string[]>;

/** A criterion's name. */
export type CriterionName = keyof typeof CRITERIA;

/** The criteria's names, in the order every table lists them. */
export const CRITERION_NAMES: readonly CriterionName[] = Object.freeze(Object.keys(CRITERIA) as CriterionName[]);

/** Names of every summary number, e.g. `equalized_odds_difference`. */
export type CriterionSummaryName = `${CriterionName}_${"difference" | "ratio"}`;

/** Options of the criteria functions. */
export interface CriterionOptions extends DisparityOptions {
  sampleWeight?: NumericInput;
  /** Positive value of `yTrue` when it is not 0/1 or booleans. */
  posLabel?: unknown;
  /** Positive value of `yPred` when it is not 0/1 or booleans (default `posLabel`). */
  predPosLabel?: unknown;
  zeroDivision?: ZeroDivision;
  /** For equalized odds: the worse of the TPR and FPR gaps (default) or their mean. */
  agg?: "worst" | "mean";
}

function metricValues(
  table: ConfusionTable,
  metric: string,
  zeroDivision: ZeroDivision,
): { values: number[]; overall: number } {
  const spec = metricSpec(metric);
  return {
    values: table.groups.map((_, g) => evaluateMetric(spec, groupCells(table, g), zeroDivision)),
    overall: evaluateMetric(spec, totalCells(table), zeroDivision),
  };
}

function referenceIndex(table: ConfusionTable, options: DisparityOptions): number {
  if ((options.method ?? "between_groups") !== "to_reference") return -1;
  if (options.reference === undefined)
    throw new FairkitError("BAD_ARGUMENT", messages.needsReference(), { argument: "reference" });
  return findGroup(table.groups, options.reference);
}

/**
 * One criterion's difference or ratio from confusion counts. For equalized odds the TPR and FPR
 * disparities are combined by `agg`: the worse one (largest difference, smallest ratio) or the mean.
 */
export function criterionFromCounts(
  table: ConfusionTable,
  criterion: CriterionName,
  kind: "difference" | "ratio",
  options: Omit<CriterionOptions, "sampleWeight" | "posLabel" | "predPosLabel"> = {},
): number {
  const metrics = CRITERIA[criterion];
  if (!metrics)
    throw new FairkitError("BAD_ARGUMENT", messages.unknownCriterion(criterion, Object.keys(CRITERIA)), {
      argument: "criterion",
    });
  const method: DisparityMethod = options.method ?? "between_groups";
  const ref = referenceIndex(table, options);
  const f = kind === "difference" ? disparityDifference : disparityRatio;
  const parts = metrics.map((m) => {
    const { values, overall } = metricValues(table, m, options.zeroDivision ?? "nan");
    return f(values, overall, method, ref).value;
  });
  if (parts.length === 1) return parts[0];
  if ((options.agg ?? "worst") === "mean") return parts.reduce((a, b) => a + b, 0) / parts.length;
  if (parts.some(Number.isNaN)) return Number.NaN;
  return kind === "difference" ? Math.max(...parts) : Math.min(...parts);
}

/** Every criterion's difference and ratio from confusion counts. */
export function criteriaSummary(
  table: ConfusionTable,
  options: Omit<CriterionOptions, "sampleWeight" | "posLabel" | "predPosLabel"> = {},
): Record<CriterionSummaryName, number> {
  checkConfusionTable(table, "counts");
  const out = {} as Record<CriterionSummaryName, number>;
  for (const criterion of Object.keys(CRITERIA) as CriterionName[]) {
    out[`${criterion}_difference`] = criterionFromCounts(table, criterion, "difference", options);
    out[`${criterion}_ratio`] = criterionFromCounts(table, criterion, "ratio", options);
  }
  return out;
}

function fromRows(
  criterion: CriterionName,
  kind: "difference" | "ratio",
): (
  yTrue: BinaryInput,
  yPred: BinaryInput,
  options: CriterionOptions & { sensitiveFeatures: SensitiveInput },
) => number {
  return (yTrue, yPred, options) => {
    const rows: RowsInput = {
      yTrue,
      yPred,
      sensitiveFeatures: options.sensitiveFeatures,
      sampleWeight: options.sampleWeight,
      posLabel: options.posLabel,
      predPosLabel: options.predPosLabel,
    };
    return criterionFromCounts(confusionFromRows(rows), criterion, kind, options);
  };
}

/**
 * Demographic parity difference: how far apart the groups' selection rates are.
 * @example
 * demographicParityDifference([1, 0, 1, 0], [1, 1, 0, 0], { sensitiveFeatures: ["a", "a", "b", "b"] }); // 1
 */
export const demographicParityDifference = fromRows("demographic_parity", "difference");
/** Demographic parity ratio: smallest selection rate over largest (method `between_groups`). */
export const demographicParityRatio = fromRows("demographic_parity", "ratio");
/** Equal opportunity difference: the gap in true positive rates. */
export const equalOpportunityDifference = fromRows("equal_opportunity", "difference");
/** Equal opportunity ratio: the ratio of true positive rates. */
export const equalOpportunityRatio = fromRows("equal_opportunity", "ratio");
/** Equalized odds difference: the worse (or, with `agg: "mean"`, the mean) of the TPR and FPR gaps. */
export const equalizedOddsDifference = fromRows("equalized_odds", "difference");
/** Equalized odds ratio: the worse (or mean) of the TPR and FPR ratios. */
export const equalizedOddsRatio = fromRows("equalized_odds", "ratio");
/** Predictive parity difference: the gap in positive predictive values (precision). */
export const predictiveParityDifference = fromRows("predictive_parity", "difference");
/** Predictive parity ratio: the ratio of positive predictive values. */
export const predictiveParityRatio = fromRows("predictive_parity", "ratio");

type PerGroupOptions = {
  sampleWeight?: NumericInput;
  posLabel?: unknown;
  predPosLabel?: unknown;
  zeroDivision?: ZeroDivision;
};

function perGroup(table: ConfusionTable, metric: string, zeroDivision: ZeroDivision = "nan"): Record<string, number> {
  const spec = metricSpec(metric);
  const out: Record<string, number> = {};
  table.groups.forEach((info, g) => {
    out[info.key] = evaluateMetric(spec, groupCells(table, g), zeroDivision);
  });
  return out;
}

/**
 * Selection rate per group: demographic parity holds when these are equal.
 * @example
 * demographicParity([1, 0, 1, 1], ["a", "a", "b", "b"]); // { a: 0.5, b: 1 }
 */
export function demographicParity(
  yPred: BinaryInput,
  group: SensitiveInput,
  options: PerGroupOptions = {},
): Record<string, number> {
  // Labels play no part in selection rates: all-zero labels keep their encoding out of the way.
  const rows = {
    yTrue: new Uint8Array(yPred.length),
    yPred,
    sensitiveFeatures: group,
    sampleWeight: options.sampleWeight,
    predPosLabel: options.predPosLabel ?? options.posLabel,
  };
  return perGroup(confusionFromRows(rows), "selection_rate", options.zeroDivision);
}

/** True positive rate per group: equal opportunity holds when these are equal. */
export function equalOpportunity(
  yTrue: BinaryInput,
  yPred: BinaryInput,
  group: SensitiveInput,
  options: PerGroupOptions = {},
): Record<string, number> {
  const rows = {
    yTrue,
    yPred,
    sensitiveFeatures: group,
    sampleWeight: options.sampleWeight,
    posLabel: options.posLabel,
    predPosLabel: options.predPosLabel,
  };
  return perGroup(confusionFromRows(rows), "true_positive_rate", options.zeroDivision);
}

/** Positive predictive value per group: predictive parity holds when these are equal. */
export function predictiveParity(
  yTrue: BinaryInput,
  yPred: BinaryInput,
  group: SensitiveInput,
  options: PerGroupOptions = {},
): Record<string, number> {
  const rows = {
    yTrue,
    yPred,
    sensitiveFeatures: group,
    sampleWeight: options.sampleWeight,
    posLabel: options.posLabel,
    predPosLabel: options.predPosLabel,
  };
  return perGroup(confusionFromRows(rows), "positive_predictive_value", options.zeroDivision);
}
