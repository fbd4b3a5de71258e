/**
 * The metric table. Each group metric is defined once, here, as a formula over confusion counts;
 * every face (functions, MetricFrame, CLI, web, reports, SQL push-down) evaluates this table.
 *
 * Most metrics are proportions `weight(numerator cells) / weight(denominator cells)`; they get
 * Wilson intervals. The rest are derived (balanced accuracy) or counts.
 */
import { type Cells, sumCells } from "./confusion.js";
import { FairkitError, messages } from "./errors.js";

/** Cell masks: bit k is cell k (TN = 0, FP = 1, FN = 2, TP = 3). */
const TN = 1;
const FP = 2;
const FN = 4;
const TP = 8;
const ALL = TN | FP | FN | TP;

/** What to return when a metric's denominator is empty. */
export type ZeroDivision = "nan" | 0 | 1;

interface BaseSpec {
  name: string;
  /** Column title in tables (`TPR`, `selection`). */
  short: string;
  /** Its name in words (`true positive rate (recall)`). */
  label: string;
  /** One line: the formula. */
  formula: string;
  /** One line: what it means for the people being decided about. */
  meaning: string;
}
/** A metric that is a weighted proportion of confusion cells. */
export interface ProportionSpec extends BaseSpec {
  kind: "proportion";
  numerator: number;
  denominator: number;
}
/** A metric computed from other metrics or from counts directly. */
export interface ComputedSpec extends BaseSpec {
  kind: "derived" | "count";
  compute: (cells: Cells, zeroDivision: ZeroDivision) => number;
}
/** A built-in metric's definition. */
export type MetricSpec = ProportionSpec | ComputedSpec;

function proportion(
  name: string,
  short: string,
  label: string,
  numerator: number,
  denominator: number,
  formula: string,
  meaning: string,
): ProportionSpec {
  return { kind: "proportion", name, short, label, numerator, denominator, formula, meaning };
}

/** Evaluates a proportion: NaN (or the zeroDivision value) when the denominator weight is 0. */
function ratioOf(cells: Cells, numerator: number, denominator: number, zeroDivision: ZeroDivision): number {
  const den = sumCells(cells, denominator).weight;
  if (den === 0) return zeroDivision === "nan" ? Number.NaN : zeroDivision;
  return sumCells(cells, numerator).weight / den;
}

const specs: MetricSpec[] = [
  proportion(
    "selection_rate",
    "selection",
    "selection rate",
    FP | TP,
    ALL,
    "(TP + FP) / N",
    "share of the group given the positive decision",
  ),
  proportion(
    "true_positive_rate",
    "TPR",
    "true positive rate (recall)",
    TP,
    TP | FN,
    "TP / (TP + FN)",
    "share of truly positive people the decision finds (recall)",
  ),
  proportion(
    "false_positive_rate",
    "FPR",
    "false positive rate",
    FP,
    FP | TN,
    "FP / (FP + TN)",
    "share of truly negative people wrongly flagged",
  ),
  proportion(
    "false_negative_rate",
    "FNR",
    "false negative rate",
    FN,
    TP | FN,
    "FN / (TP + FN)",
    "share of truly positive people the decision misses",
  ),
  proportion(
    "true_negative_rate",
    "TNR",
    "true negative rate",
    TN,
    FP | TN,
    "TN / (FP + TN)",
    "share of truly negative people correctly left alone",
  ),
  proportion(
    "positive_predictive_value",
    "PPV",
    "precision (PPV)",
    TP,
    TP | FP,
    "TP / (TP + FP)",
    "share of positive decisions that were right (precision)",
  ),
  proportion(
    "negative_predictive_value",
    "NPV",
    "negative predictive value",
    TN,
    TN | FN,
    "TN / (TN + FN)",
    "share of negative decisions that were right",
  ),
  proportion(
    "false_discovery_rate",
    "FDR",
    "false discovery rate",
    FP,
    TP | FP,
    "FP / (TP + FP)",
    "share of positive decisions that were wrong",
  ),
  proportion(
    "false_omission_rate",
    "FOR",
    "false omission rate",
    FN,
    TN | FN,
    "FN / (TN + FN)",
    "share of negative decisions that were wrong",
  ),
  proportion("accuracy", "accuracy", "accuracy", TN | TP, ALL, "(TP + TN) / N", "share of decisions that were right"),
  proportion("error_rate", "error", "error rate", FP | FN, ALL, "(FP + FN) / N", "share of decisions that were wrong"),
  proportion(
    "base_rate",
    "base rate",
    "base rate",
    TP | FN,
    ALL,
    "(TP + FN) / N",
    "share of the group that is truly positive (prevalence)",
  ),
  {
    kind: "derived",
    name: "balanced_accuracy",
    short: "bal. acc.",
    label: "balanced accuracy",
    formula: "(TPR + TNR) / 2",
    meaning: "accuracy with both true classes weighted equally",
    compute: (cells, zeroDivision) => {
      const tpr = ratioOf(cells, TP, TP | FN, zeroDivision);
      const tnr = ratioOf(cells, TN, FP | TN, zeroDivision);
      return (tpr + tnr) / 2;
    },
  },
  {
    kind: "count",
    name: "count",
    short: "n",
    label: "rows",
    formula: "rows",
    meaning: "number of rows in the group (unweighted)",
    compute: (cells) => sumCells(cells, ALL).rows,
  },
  {
    kind: "count",
    name: "predicted_positives",
    short: "positives",
    label: "positive decisions",
    formula: "TP + FP (weighted)",
    meaning: "weighted number of positive decisions",
    compute: (cells) => sumCells(cells, FP | TP).weight,
  },
];

/** Every built-in metric by its snake_case name. */
export const METRICS: Readonly<Record<string, MetricSpec>> = Object.freeze(
  Object.fromEntries(specs.map((s) => [s.name, s])),
);

/** A metric's column title (`TPR`); a metric fairkit does not know shows its own name. */
export function metricShort(name: string): string {
  return Object.hasOwn(METRICS, name) ? METRICS[name].short : name;
}

/** A metric's name in words (`true positive rate (recall)`); a metric fairkit does not know shows its own name. */
export function metricLabel(name: string): string {
  return Object.hasOwn(METRICS, name) ? METRICS[name].label : name;
}

/** The names of the built-in metrics. */
export const METRIC_NAMES: readonly string[] = Object.freeze(specs.map((s) => s.name));

/** Alternative names accepted wherever a metric is named. */
const ALIASES: Readonly<Record<string, string>> = {
  precision: "positive_predictive_value",
  recall: "true_positive_rate",
  tpr: "true_positive_rate",
  fpr: "false_positive_rate",
  fnr: "false_negative_rate",
  tnr: "true_negative_rate",
  ppv: "positive_predictive_value",
  npv: "negative_predictive_value",
};

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Looks up a metric by its snake_case name, its camelCase name or an alias (`precision`,
 * `recall`, `tpr`, …). Throws a FairkitError naming the known metrics if there is none.
 */
export function metricSpec(name: string): MetricSpec {
  const key = snake(name);
  const spec = METRICS[key] ?? METRICS[ALIASES[key] ?? ""];
  if (!spec)
    throw new FairkitError("UNKNOWN_METRIC", messages.unknownMetric(name, METRIC_NAMES), { argument: "metrics" });
  return spec;
}

/** True when the metric's denominator is empty for these cells (its value is then undefined). */
export function isUndefinedFor(spec: MetricSpec, cells: Cells): boolean {
  if (spec.kind === "proportion") return sumCells(cells, spec.denominator).weight === 0;
  if (spec.name === "balanced_accuracy")
    return sumCells(cells, TP | FN).weight === 0 || sumCells(cells, FP | TN).weight === 0;
  return false;
}

/** Evaluates a built-in metric on one group's cells. */
export function evaluateMetric(spec: MetricSpec, cells: Cells, zeroDivision: ZeroDivision = "nan"): number {
  if (spec.kind === "proportion") return ratioOf(cells, spec.numerator, spec.denominator, zeroDivision);
  return spec.compute(cells, zeroDivision);
}
