/**
 * The metrics as plain functions `f(yTrue, yPred, options)`, generated from the metric table so
 * that each formula exists once.
 */
import { countConfusion, totalCells } from "./confusion.js";
import { type ZeroDivision, evaluateMetric, metricSpec } from "./metrics.js";
import { prepareLabels } from "./prepare.js";
import type { BinaryInput, NumericInput } from "./validate.js";

/** Options of the plain metric functions. */
export interface MetricFunctionOptions {
  sampleWeight?: NumericInput;
  posLabel?: unknown;
  zeroDivision?: ZeroDivision;
}

/** Evaluates a built-in metric (by name) on all rows. */
export function computeMetric(
  name: string,
  yTrue: BinaryInput,
  yPred: BinaryInput,
  options: MetricFunctionOptions = {},
): number {
  const spec = metricSpec(name);
  const {
    yTrue: t,
    yPred: p,
    weights: w,
    n,
  } = prepareLabels({ yTrue, yPred, sampleWeight: options.sampleWeight, posLabel: options.posLabel });
  const table = countConfusion(
    t,
    p,
    { columns: [], groups: [{ key: "overall", values: {} }], codes: new Int32Array(n) },
    w,
  );
  return evaluateMetric(spec, totalCells(table), options.zeroDivision ?? "nan");
}

const fn = (name: string) => (yTrue: BinaryInput, yPred: BinaryInput, options?: MetricFunctionOptions) =>
  computeMetric(name, yTrue, yPred, options);

/**
 * Share given the positive decision.
 * @example
 * selectionRate([0, 1, 1, 0, 0, 0, 0, 0], [0, 1, 1, 0, 0, 0, 0, 0], { sampleWeight: [1, 2, 3, 4, 1, 2, 1, 2] }); // 0.3125
 */
export const selectionRate = fn("selection_rate");
/** TP / (TP + FP + …): share of the truly positive found (recall). */
export const truePositiveRate = fn("true_positive_rate");
/** FP / (FP + TN): share of the truly negative wrongly flagged. */
export const falsePositiveRate = fn("false_positive_rate");
/** FN / (TP + FN): share of the truly positive missed. */
export const falseNegativeRate = fn("false_negative_rate");
/** TN / (FP + TN). */
export const trueNegativeRate = fn("true_negative_rate");
/** TP / (TP + FP): precision. */
export const positivePredictiveValue = fn("positive_predictive_value");
/** TN / (TN + FN). */
export const negativePredictiveValue = fn("negative_predictive_value");
/** FP / (TP + FP). */
export const falseDiscoveryRate = fn("false_discovery_rate");
/** FN / (TN + FN). */
export const falseOmissionRate = fn("false_omission_rate");
/** (TP + TN) / N. */
export const accuracy = fn("accuracy");
/** (FP + FN) / N. */
export const errorRate = fn("error_rate");
/** (TPR + TNR) / 2. */
export const balancedAccuracy = fn("balanced_accuracy");
/** (TP + FN) / N: prevalence. */
export const baseRate = fn("base_rate");
