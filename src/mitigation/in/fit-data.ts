/** Shared input checking of the reductions: features, labels (0/1, or real targets for regression), groups, weights. */
import { FairkitError, messages } from "../../core/errors.js";
import { encodeGroups, type GroupEncoding, type SensitiveInput } from "../../core/groups.js";
import {
  type BinaryInput,
  type NumericInput,
  checkLength,
  checkNotEmpty,
  toBinary,
  toScores,
  toWeights,
} from "../../core/validate.js";
import { checkFinite, type Matrix } from "../../models/matrix.js";

/** Options of a reduction's `fit`. */
export interface ReductionFitOptions {
  /** The sensitive feature(s) of every training row; their intersection defines the groups. */
  sensitiveFeatures: SensitiveInput;
  sampleWeight?: NumericInput;
  posLabel?: unknown;
}

export interface ReductionData {
  X: Matrix;
  y: Uint8Array;
  encoding: GroupEncoding;
  weights: Float64Array;
}

export function reductionData(X: Matrix, y: BinaryInput, options: ReductionFitOptions): ReductionData {
  if (!options || options.sensitiveFeatures === undefined) {
    throw new FairkitError("BAD_ARGUMENT", messages.fitNeedsSensitive(), { argument: "sensitiveFeatures" });
  }
  const n = X.rows;
  checkNotEmpty(n, "X");
  checkFinite(X);
  checkLength(y, "y", n, "X");
  const labels = toBinary(y, "y", options.posLabel);
  const encoding = encodeGroups(options.sensitiveFeatures, n, "X");
  let weights: Float64Array;
  if (options.sampleWeight !== undefined) {
    checkLength(options.sampleWeight, "sampleWeight", n, "X");
    weights = toWeights(Float64Array.from(options.sampleWeight as ArrayLike<number>));
  } else weights = new Float64Array(n).fill(1);
  return { X, y: labels, encoding, weights };
}

/** The training data of a regression reduction: real targets instead of 0/1 labels. */
export interface RegressionReductionData {
  X: Matrix;
  y: Float64Array;
  encoding: GroupEncoding;
  weights: Float64Array;
}

/** Checks a regression reduction's inputs: every y a finite number, groups and weights as for classification. */
export function regressionData(
  X: Matrix,
  y: NumericInput,
  options: Omit<ReductionFitOptions, "posLabel">,
): RegressionReductionData {
  if (!options || options.sensitiveFeatures === undefined) {
    throw new FairkitError("BAD_ARGUMENT", messages.fitNeedsSensitive(), { argument: "sensitiveFeatures" });
  }
  const n = X.rows;
  checkNotEmpty(n, "X");
  checkFinite(X);
  checkLength(y, "y", n, "X");
  const target = toScores(y, "y");
  const encoding = encodeGroups(options.sensitiveFeatures, n, "X");
  let weights: Float64Array;
  if (options.sampleWeight !== undefined) {
    checkLength(options.sampleWeight, "sampleWeight", n, "X");
    weights = toWeights(Float64Array.from(options.sampleWeight as ArrayLike<number>));
  } else weights = new Float64Array(n).fill(1);
  return { X, y: target, encoding, weights };
}
