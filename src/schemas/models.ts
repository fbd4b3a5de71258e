/**
 * Saved models and transforms: what `toJSON` writes and `fromJSON` reads back, for the built-in
 * learners (logistic and linear regression, the constant estimator), the feature transform, the
 * pre-processing transforms and the reductions' mixtures. One schema per kind.
 */
import type { JsonSchema } from "../core/schema.js";
import { COLUMNS, GROUP_TUPLE, SCHEMA_BASE, documentHead } from "./common.js";

/** Schema version of every saved model and transform. */
export const MODEL_SCHEMA_VERSION = 1;

const NUMBERS: JsonSchema = { type: "array", items: { type: "number" } };
const MATRIX: JsonSchema = { type: "array", items: NUMBERS };
const ESTIMATOR: JsonSchema = {
  description: "A saved estimator (its own document: a built-in kind, or one your decode function reads).",
  type: "object",
  required: ["kind"],
  properties: { kind: { type: "string" } },
};

function modelSchema(
  file: string,
  kind: string,
  title: string,
  description: string,
  properties: Record<string, JsonSchema>,
  required: string[],
): JsonSchema {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `${SCHEMA_BASE}${file}.schema.json`,
    title,
    description,
    type: "object",
    required: ["kind", "schema_version", ...required],
    properties: { ...documentHead(kind, MODEL_SCHEMA_VERSION), ...properties },
    additionalProperties: false,
  };
}

/** `fairkit.logistic_regression`. */
export const LOGISTIC_REGRESSION_SCHEMA = modelSchema(
  "logistic-regression",
  "fairkit.logistic_regression",
  "fairkit logistic regression",
  "A fitted weighted L2 logistic regression: P(y = 1 | x) = σ(coef · x + intercept).",
  {
    options: {
      type: "object",
      required: ["l2", "fit_intercept", "max_iter", "tol", "warm_start"],
      properties: {
        l2: { type: "number", minimum: 0 },
        fit_intercept: { type: "boolean" },
        max_iter: { type: "integer", minimum: 1 },
        tol: { type: "number", minimum: 0 },
        warm_start: { type: "boolean" },
      },
      additionalProperties: false,
    },
    coef: NUMBERS,
    intercept: { type: "number" },
  },
  ["options", "coef", "intercept"],
);

/** `fairkit.constant_estimator`. */
export const CONSTANT_ESTIMATOR_SCHEMA = modelSchema(
  "constant-estimator",
  "fairkit.constant_estimator",
  "fairkit constant estimator",
  "A model that predicts the same label for everyone (what the reductions fit when every relabelled target agrees).",
  { value: { enum: [0, 1] } },
  ["value"],
);

/** `fairkit.tabular_transform`. */
export const TABULAR_TRANSFORM_SCHEMA = modelSchema(
  "tabular-transform",
  "fairkit.tabular_transform",
  "fairkit feature transform",
  "Named columns to features: categorical columns one-hot encoded (every level, missing as its own level), numeric columns standardised.",
  {
    missing_values: { type: "array", items: { type: "string" } },
    encodings: {
      type: "array",
      items: {
        anyOf: [
          {
            type: "object",
            required: ["name", "kind", "mean", "scale"],
            properties: {
              name: { type: "string" },
              kind: { const: "numeric" },
              mean: { type: "number" },
              scale: { type: "number", exclusiveMinimum: 0 },
            },
            additionalProperties: false,
          },
          {
            type: "object",
            required: ["name", "kind", "levels"],
            properties: {
              name: { type: "string" },
              kind: { const: "categorical" },
              levels: { type: "array", items: { type: "string" } },
            },
            additionalProperties: false,
          },
        ],
      },
    },
  },
  ["missing_values", "encodings"],
);

/** `fairkit.correlation_remover`. */
export const CORRELATION_REMOVER_SCHEMA = modelSchema(
  "correlation-remover",
  "fairkit.correlation_remover",
  "fairkit correlation remover",
  "Removes the part of each non-sensitive column that a linear fit on the sensitive columns explains (Fairlearn's CorrelationRemover).",
  {
    sensitive_columns: { type: "array", items: { type: "integer", minimum: 0 } },
    alpha: { type: "number", minimum: 0, maximum: 1 },
    input_columns: { type: "integer", minimum: 0 },
    sensitive_mean: NUMBERS,
    beta: { description: "Row-major: one row per sensitive column, one column per kept column.", ...NUMBERS },
  },
  ["sensitive_columns", "alpha", "input_columns", "sensitive_mean", "beta"],
);

/** `fairkit.disparate_impact_remover`. */
export const DISPARATE_IMPACT_REMOVER_SCHEMA = modelSchema(
  "disparate-impact-remover",
  "fairkit.disparate_impact_remover",
  "fairkit disparate impact remover",
  "Moves each group's distribution of the chosen columns toward the median distribution (Feldman et al. 2015), by quantile.",
  {
    repair_level: { type: "number", minimum: 0, maximum: 1 },
    columns: { type: "array", items: { type: "integer", minimum: 0 } },
    sensitive_columns: COLUMNS,
    groups: { description: "The groups fitted, as value tuples.", type: "array", items: GROUP_TUPLE, minItems: 1 },
    quantiles: {
      description: "[column][group] → the group's quantile values at the grid points.",
      type: "array",
      items: MATRIX,
    },
    median: { description: "[column] → the median distribution's values at the grid points.", ...MATRIX },
  },
  ["repair_level", "columns", "sensitive_columns", "groups", "quantiles", "median"],
);

/** `fairkit.learned_fair_representations`. */
export const LFR_SCHEMA = modelSchema(
  "learned-fair-representations",
  "fairkit.learned_fair_representations",
  "fairkit learned fair representations",
  "Zemel et al. 2013: prototypes, per-feature distance weights and each prototype's prediction.",
  {
    prototypes: MATRIX,
    feature_weights: NUMBERS,
    prototype_predictions: { type: "array", items: { type: "number", minimum: 0, maximum: 1 } },
  },
  ["prototypes", "feature_weights", "prototype_predictions"],
);

/** `fairkit.exponentiated_gradient`. */
export const EXPONENTIATED_GRADIENT_SCHEMA = modelSchema(
  "exponentiated-gradient",
  "fairkit.exponentiated_gradient",
  "fairkit ExponentiatedGradient mixture",
  "A randomised classifier: predictor k is used with probability weights[k] (Agarwal et al. 2018).",
  {
    constraint: { type: "string" },
    eps: { type: "number", minimum: 0 },
    weights: { type: "array", items: { type: "number", minimum: 0, maximum: 1 }, minItems: 1 },
    predictors: { type: "array", items: ESTIMATOR, minItems: 1 },
  },
  ["constraint", "eps", "weights", "predictors"],
);

/** `fairkit.grid_search`. */
export const GRID_SEARCH_SCHEMA = modelSchema(
  "grid-search",
  "fairkit.grid_search",
  "fairkit GridSearch",
  "The best model of a grid of Lagrange multipliers (Agarwal et al. 2018), and every grid point's numbers.",
  {
    constraint: { type: "string" },
    best_index: { type: "integer", minimum: 0 },
    points: {
      type: "array",
      items: {
        type: "object",
        required: ["coordinates", "error", "max_gamma", "loss"],
        properties: {
          coordinates: NUMBERS,
          error: { type: "number" },
          max_gamma: { type: "number" },
          loss: { type: "number" },
        },
        additionalProperties: false,
      },
    },
    best: ESTIMATOR,
  },
  ["constraint", "best_index", "points", "best"],
);

/** `fairkit.linear_regression`. */
export const LINEAR_REGRESSION_SCHEMA = modelSchema(
  "linear-regression",
  "fairkit.linear_regression",
  "fairkit linear regression",
  "A fitted weighted least-squares regression: ŷ = coef · x + intercept.",
  { coef: NUMBERS, intercept: { type: "number" } },
  ["coef", "intercept"],
);

const LOSS: JsonSchema = {
  description: "The loss of a loss moment: values are clipped to [min, max] before the loss is taken.",
  type: "object",
  required: ["kind", "min", "max"],
  properties: {
    kind: { enum: ["square", "absolute", "zero_one"] },
    min: { type: ["number", "null"], description: "null: no lower clip (−∞)." },
    max: { type: ["number", "null"], description: "null: no upper clip (+∞)." },
  },
  additionalProperties: false,
};

/** `fairkit.exponentiated_gradient_regressor`. */
export const EXPONENTIATED_GRADIENT_REGRESSOR_SCHEMA = modelSchema(
  "exponentiated-gradient-regressor",
  "fairkit.exponentiated_gradient_regressor",
  "fairkit ExponentiatedGradient regression mixture",
  "A mixture of regressors under bounded group loss (Agarwal et al. 2019): predictor k has weight weights[k]; the prediction is their weighted average, or a seeded draw of one predictor per row.",
  {
    constraint: { type: "string" },
    loss: LOSS,
    upper_bound: { type: "number", minimum: 0 },
    eps: { type: "number", minimum: 0 },
    weights: { type: "array", items: { type: "number", minimum: 0, maximum: 1 }, minItems: 1 },
    predictors: { type: "array", items: ESTIMATOR, minItems: 1 },
  },
  ["constraint", "loss", "upper_bound", "eps", "weights", "predictors"],
);

/** `fairkit.grid_search_regressor`. */
export const GRID_SEARCH_REGRESSOR_SCHEMA = modelSchema(
  "grid-search-regressor",
  "fairkit.grid_search_regressor",
  "fairkit GridSearch regressor",
  "The best regressor of a grid of Lagrange multipliers under bounded group loss (Agarwal et al. 2019), and every grid point's numbers (mean loss, worst group loss).",
  {
    constraint: { type: "string" },
    loss: LOSS,
    best_index: { type: "integer", minimum: 0 },
    points: {
      type: "array",
      items: {
        type: "object",
        required: ["coordinates", "error", "max_gamma", "loss"],
        properties: {
          coordinates: NUMBERS,
          error: { type: "number" },
          max_gamma: { type: "number" },
          loss: { type: "number" },
        },
        additionalProperties: false,
      },
    },
    best: ESTIMATOR,
  },
  ["constraint", "loss", "best_index", "points", "best"],
);
