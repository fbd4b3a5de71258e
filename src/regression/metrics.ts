/**
 * The regression metrics and criteria, one spec table each: every list, label and doc row of the
 * regression audit is derived from these two tables. A metric is a function of one group's
 * moments ({@link RegressionGroupStats}); a criterion compares groups on a metric or on their
 * prediction distributions.
 *
 * Residuals are y − ŷ (observed minus predicted): a group with a positive mean residual is
 * under-predicted — for a credit limit or a salary offer, the group that gets less than its
 * outcomes would justify.
 */
import { type Moments, mergeMoments, NO_MOMENTS } from "./moments.js";

/** One group's sufficient statistics: rows, weights and the moments of y, ŷ, y − ŷ, |y − ŷ| and (y − ŷ)². */
export interface RegressionGroupStats {
  rows: number;
  weight: number;
  /** Σ w² (for the effective sample size under weights). */
  weightSquared: number;
  target: Moments;
  prediction: Moments;
  residual: Moments;
  absoluteError: Moments;
  squaredError: Moments;
}

/** The statistics of no rows. */
export function emptyRegressionStats(): RegressionGroupStats {
  return {
    rows: 0,
    weight: 0,
    weightSquared: 0,
    target: { ...NO_MOMENTS },
    prediction: { ...NO_MOMENTS },
    residual: { ...NO_MOMENTS },
    absoluteError: { ...NO_MOMENTS },
    squaredError: { ...NO_MOMENTS },
  };
}

/** The statistics of the union of two sets of rows: exact, in any order (they are a commutative monoid). */
export function mergeRegressionStats(a: RegressionGroupStats, b: RegressionGroupStats): RegressionGroupStats {
  return {
    rows: a.rows + b.rows,
    weight: a.weight + b.weight,
    weightSquared: a.weightSquared + b.weightSquared,
    target: mergeMoments(a.target, b.target),
    prediction: mergeMoments(a.prediction, b.prediction),
    residual: mergeMoments(a.residual, b.residual),
    absoluteError: mergeMoments(a.absoluteError, b.absoluteError),
    squaredError: mergeMoments(a.squaredError, b.squaredError),
  };
}

/** Which moments a mean-type metric is the mean of. */
type MomentName = "target" | "prediction" | "residual" | "absoluteError" | "squaredError";

/** A regression metric. */
export interface RegressionMetricSpec {
  name: string;
  label: string;
  /** Short column heading. */
  short: string;
  /** `target`: in the units of y; `squared`: in units of y²; `none`: unitless. */
  unit: "target" | "squared" | "none";
  /** Its value from one group's statistics (NaN when undefined). */
  value(s: RegressionGroupStats): number;
  /** For means: the moments it is the mean of (a normal interval follows from them). */
  meanOf?: MomentName;
  /** Square root of another metric (its interval is the root of the other's). */
  rootOf?: string;
  definition: string;
}

const mean = (name: MomentName) => (s: RegressionGroupStats) => (s[name].weight > 0 ? s[name].mean : Number.NaN);

/** The metrics, in table order. */
export const REGRESSION_METRICS: readonly RegressionMetricSpec[] = Object.freeze([
  {
    name: "mean_target",
    label: "Mean outcome",
    short: "mean y",
    unit: "target",
    value: mean("target"),
    meanOf: "target",
    definition: "Σw·y / Σw: the group's mean observed outcome (the regression base rate).",
  },
  {
    name: "mean_prediction",
    label: "Mean prediction",
    short: "mean ŷ",
    unit: "target",
    value: mean("prediction"),
    meanOf: "prediction",
    definition: "Σw·ŷ / Σw: what the model gives the group on average (statistical parity compares these).",
  },
  {
    name: "mean_residual",
    label: "Mean residual (y − ŷ)",
    short: "mean y−ŷ",
    unit: "target",
    value: mean("residual"),
    meanOf: "residual",
    definition: "Σw·(y − ŷ) / Σw: positive when the group is under-predicted, negative when over-predicted.",
  },
  {
    name: "mean_absolute_error",
    label: "Mean absolute error",
    short: "MAE",
    unit: "target",
    value: mean("absoluteError"),
    meanOf: "absoluteError",
    definition: "Σw·|y − ŷ| / Σw (scikit-learn's mean_absolute_error).",
  },
  {
    name: "mean_squared_error",
    label: "Mean squared error",
    short: "MSE",
    unit: "squared",
    value: mean("squaredError"),
    meanOf: "squaredError",
    definition: "Σw·(y − ŷ)² / Σw (scikit-learn's mean_squared_error).",
  },
  {
    name: "root_mean_squared_error",
    label: "Root mean squared error",
    short: "RMSE",
    unit: "target",
    value: (s) => Math.sqrt(mean("squaredError")(s)),
    rootOf: "mean_squared_error",
    definition: "√MSE, in the units of y.",
  },
  {
    name: "r2",
    label: "R² (coefficient of determination)",
    short: "R²",
    unit: "none",
    value: (s) => (s.target.m2 > 0 ? 1 - (s.squaredError.mean * s.squaredError.weight) / s.target.m2 : Number.NaN),
    definition:
      "1 − Σw(y − ŷ)² / Σw(y − ȳ)², ȳ the group's own mean (scikit-learn's r2_score); undefined (not 1 or 0, as scikit-learn's force_finite gives) when every y in the group is the same.",
  },
]);

/** The metrics by name. */
export const REGRESSION_METRIC_BY_NAME: ReadonlyMap<string, RegressionMetricSpec> = new Map(
  REGRESSION_METRICS.map((m) => [m.name, m]),
);

/** How a criterion compares groups. */
export type RegressionCriterionKind = "difference" | "ratio" | "worst" | "ks" | "wasserstein";

/** A regression criterion. */
export interface RegressionCriterionSpec {
  name: string;
  label: string;
  kind: RegressionCriterionKind;
  /** The metric compared (not for the distribution distances). */
  metric?: string;
  /** Unitless criteria are checked against the audit's tolerances; the others are gated with `--fail-on`. */
  unitless: boolean;
  /** Which fairness idea it measures. */
  family: "statistical parity" | "residual parity" | "error parity" | "bounded group loss";
  definition: string;
}

/** The criteria, in report order. */
export const REGRESSION_CRITERIA: readonly RegressionCriterionSpec[] = Object.freeze([
  {
    name: "mean_prediction_difference",
    label: "Mean prediction difference",
    kind: "difference",
    metric: "mean_prediction",
    unitless: false,
    family: "statistical parity",
    definition: "The largest gap between two groups' mean predictions.",
  },
  {
    name: "mean_prediction_ratio",
    label: "Mean prediction ratio",
    kind: "ratio",
    metric: "mean_prediction",
    unitless: true,
    family: "statistical parity",
    definition: "The smallest ratio min/max of two groups' mean predictions (undefined when a mean is negative).",
  },
  {
    name: "prediction_ks",
    label: "Prediction distribution distance (Kolmogorov–Smirnov)",
    kind: "ks",
    unitless: true,
    family: "statistical parity",
    definition:
      "The largest sup |F_a − F_b| between two groups' prediction distributions: 0 when they are the same, 1 when they do not overlap.",
  },
  {
    name: "prediction_wasserstein",
    label: "Prediction distribution distance (Wasserstein-1)",
    kind: "wasserstein",
    unitless: false,
    family: "statistical parity",
    definition:
      "The largest ∫|F_a − F_b| between two groups' prediction distributions: how far, on average, one group's predictions must move to match the other's, in units of y.",
  },
  {
    name: "mean_residual_difference",
    label: "Residual parity (mean residual difference)",
    kind: "difference",
    metric: "mean_residual",
    unitless: false,
    family: "residual parity",
    definition:
      "The largest gap between two groups' mean residuals y − ŷ: one group is systematically under- or over-predicted relative to another.",
  },
  {
    name: "mean_absolute_error_difference",
    label: "MAE difference",
    kind: "difference",
    metric: "mean_absolute_error",
    unitless: false,
    family: "error parity",
    definition: "The largest gap between two groups' mean absolute errors.",
  },
  {
    name: "mean_absolute_error_ratio",
    label: "MAE ratio",
    kind: "ratio",
    metric: "mean_absolute_error",
    unitless: true,
    family: "error parity",
    definition: "The smallest ratio min/max of two groups' mean absolute errors.",
  },
  {
    name: "root_mean_squared_error_difference",
    label: "RMSE difference",
    kind: "difference",
    metric: "root_mean_squared_error",
    unitless: false,
    family: "error parity",
    definition: "The largest gap between two groups' root mean squared errors.",
  },
  {
    name: "root_mean_squared_error_ratio",
    label: "RMSE ratio",
    kind: "ratio",
    metric: "root_mean_squared_error",
    unitless: true,
    family: "error parity",
    definition: "The smallest ratio min/max of two groups' root mean squared errors.",
  },
  {
    name: "r2_difference",
    label: "R² difference",
    kind: "difference",
    metric: "r2",
    unitless: false,
    family: "error parity",
    definition: "The largest gap between two groups' R² (each against its own mean).",
  },
  {
    name: "worst_group_mean_squared_error",
    label: "Worst-group MSE (bounded group loss)",
    kind: "worst",
    metric: "mean_squared_error",
    unitless: false,
    family: "bounded group loss",
    definition:
      "The largest group MSE (Agarwal, Dudík & Wu 2019's bounded group loss holds when it is at most the bound).",
  },
  {
    name: "worst_group_mean_absolute_error",
    label: "Worst-group MAE (bounded group loss)",
    kind: "worst",
    metric: "mean_absolute_error",
    unitless: false,
    family: "bounded group loss",
    definition: "The largest group MAE.",
  },
]);

/** A regression criterion's name. */
export type RegressionCriterionName = (typeof REGRESSION_CRITERIA)[number]["name"];
