/**
 * What a mitigation method is to the comparison runner: a name, what it changes, one line saying
 * what it does, and `fit`, which trains it (with the learner the runner gives) on the training
 * rows and returns its decisions on the test rows, what to save, and facts worth reporting.
 * Every method lives in its own file beside this one; `index.ts` lists them.
 */
import type { Estimator } from "../../models/estimator.js";
import type { Matrix } from "../../models/matrix.js";
import type { CellValue, TabularTransform } from "../../models/tabular.js";

/** What a method changes: nothing, the training weights, the data, the model, or (post-processing) the decisions on the baseline's scores. */
export type MethodStage = "none" | "weights" | "data" | "model" | "decisions";

/** Everything a method may use: the split, transformed once, and the learner. */
export interface MethodContext {
  /** Training features (the tabular transform applied), labels and sensitive columns. */
  Xtrain: Matrix;
  yTrain: Uint8Array;
  groupsTrain: Record<string, CellValue[]>;
  /** Test features and sensitive columns (the labels stay with the runner). */
  Xtest: Matrix;
  groupsTest: Record<string, CellValue[]>;
  /** The sensitive column names. */
  sensitive: readonly string[];
  /** The fitted feature transform (which columns are numeric, which one-hot). */
  transform: TabularTransform;
  /** A fresh, unfitted learner. */
  makeEstimator: () => Estimator;
  /** Seed of resampling and randomised fits. */
  seed: number;
  /** Bound of the reductions' constraints. */
  eps: number;
  /** The baseline's scores on the training rows (set once the baseline has run). */
  baselineScores?: Float64Array;
  /** The baseline's scores on the test rows (set once the baseline has run): post-processors decide on them. */
  baselineTestScores?: Float64Array;
  /** The baseline's saved model (set once the baseline has run): post-processors save it beside their policy. */
  baselineModel?: unknown;
}

/** What a method's fit returns. */
export interface MethodFit {
  /** P(positive decision) per test row: 0/1 for deterministic models. */
  decisions: Float64Array;
  /** JSON-ready parts to save: `model`, and `weights`, `cells`, `preprocessor` or `policy`. */
  artefacts: Record<string, unknown>;
  /** Facts, snake_case: iterations, inner fits, … */
  notes: Record<string, number | string>;
  /** The method's scores on the training rows (the baseline gives them to resampling and the post-processors). */
  trainScores?: Float64Array;
  /** The method's scores on the test rows (the baseline gives them to the post-processors). */
  testScores?: Float64Array;
}

/** A mitigation method. */
export interface MitigationMethod {
  name: string;
  stage: MethodStage;
  description: string;
  fit(context: MethodContext): MethodFit;
}

/** A fitted model's own document, when it has one. */
export function savedModel(model: unknown): unknown {
  const f = (model as { toJSON?: () => unknown }).toJSON;
  return typeof f === "function" ? f.call(model) : undefined;
}

/** Deterministic 0/1 decisions as probabilities. */
export function asProbability(decisions: Uint8Array): Float64Array {
  return Float64Array.from(decisions);
}
