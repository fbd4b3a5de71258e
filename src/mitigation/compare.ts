/**
 * The comparison runner: one data set, one split, the baseline and each mitigation trained on the
 * same training rows and measured on the same test rows, with intervals. The output is the data
 * of an accuracy-vs-disparity (Pareto) chart: one point per method.
 *
 * Every number comes from the core: confusion counts (exact expected counts for randomised
 * classifiers), the metric table and the criteria. Accuracy gets a Wilson interval over the test
 * rows; each criterion a seeded percentile bootstrap over the test rows.
 */
import { groupCells, totalCells } from "../core/confusion.js";
import { type CriterionSummaryName, criteriaSummary } from "../core/criteria.js";
import { FairkitError, messages } from "../core/errors.js";
import { encodeGroups, type GroupInfo, groupTuple, singleLevelWarnings } from "../core/groups.js";
import { type Interval, percentileInterval, wilsonInterval } from "../core/intervals.js";
import { evaluateMetric, metricSpec } from "../core/metrics.js";
import { createRandom } from "../core/random.js";
import type { Estimator } from "../models/estimator.js";
import { LogisticRegression } from "../models/logistic-regression.js";
import { takeValues } from "../models/matrix.js";
import { trainTestSplit } from "../models/split.js";
import { type CellValue, type Table, fitTabular, sliceTable } from "../models/tabular.js";
import { naturalBit } from "../core/validate.js";
import { expectedConfusion } from "./expected-confusion.js";
import { MITIGATION_METHODS, type MethodContext, type MethodStage } from "./methods/index.js";
import type { ResampleResult } from "./pre/resampling.js";
import type { ReweighingCell } from "./pre/reweighing.js";
import { MITIGATION_SCHEMA_VERSION } from "../schemas/mitigation.js";
import { nowMs } from "../core/clock.js";
import { DEFAULTS } from "../core/defaults.js";

export {
  MITIGATION_METHODS,
  type MethodContext,
  type MethodFit,
  type MethodStage,
  type MitigationMethod,
} from "./methods/index.js";

/** Options of {@link compareMitigations}. */
export interface CompareOptions {
  /** The data: named columns. */
  table: Table;
  /** The label column (the true outcome). */
  yTrue: string;
  /** Which label value(s) mean positive; default: the labels must be 0/1 or booleans. */
  posLabel?: CellValue | readonly CellValue[];
  /** Sensitive columns (groups are their intersection); they are not used as features. */
  sensitive: readonly string[];
  /** Feature columns; default every column except the label and the sensitive ones. */
  features?: readonly string[];
  /** Methods to run (names of {@link MITIGATION_METHODS}); the baseline is always run first. */
  methods: readonly string[];
  /** Test share; default 0.3. */
  testFraction?: number;
  /** Shuffle before splitting; default true (false: first rows train, the rest test). */
  shuffle?: boolean;
  /** Seed of the split, resampling, randomised predictions and bootstrap; default 0. */
  seed?: number;
  /** The learner; default `new LogisticRegression()` (L2 = 1). */
  estimator?: () => Estimator;
  /** Bound ε of the reductions' constraints and eps of ExponentiatedGradient; default 0.01. */
  eps?: number;
  /** Bootstrap replicates of the criteria intervals; default 200 (0: no intervals). */
  bootstrap?: number;
  /** Interval level; default 0.95. */
  level?: number;
  /** Groups with fewer test rows are listed in `smallGroups`; default 30. */
  minGroupSize?: number;
  /** Called after each method (for progress bars). */
  onMethod?: (method: string, index: number, total: number) => void;
}

/** A number with its interval. */
export interface Estimate {
  value: number;
  interval: Interval;
}

/** One method's result on the test rows. */
export interface MethodResult {
  method: string;
  stage: MethodStage;
  description: string;
  /** Wall time to fit (including the method's own pre-processing), in milliseconds. */
  fitMs: number;
  /** Expected accuracy (exact for randomised classifiers). */
  accuracy: Estimate;
  /** Selection rate per group. */
  selectionRate: Record<string, number>;
  /** Every criterion's difference and ratio (between groups), with intervals. */
  criteria: Record<CriterionSummaryName, Estimate>;
  /** Saved artefacts: the fitted model (and weights or pre-processor), as JSON-ready objects. */
  artefacts: Record<string, unknown>;
  /** Extra facts, snake_case: inner fits of the reductions, iterations, … */
  notes: Record<string, number | string>;
}

/** The result of {@link compareMitigations}. */
export interface ComparisonResult {
  trainRows: number;
  testRows: number;
  features: number;
  /** The sensitive columns. */
  columns: string[];
  /** The groups of the test rows (label, values) with their test rows, in group order. */
  groups: (GroupInfo & { testRows: number })[];
  seed: number;
  /** The settings used (defaults filled in). */
  settings: {
    testFraction: number;
    shuffle: boolean;
    eps: number;
    bootstrap: number;
    level: number;
    minGroupSize: number;
  };
  /** The fitted feature transform (JSON-ready). */
  transform: unknown;
  /** Per criterion difference, the methods on the accuracy-vs-difference Pareto front ({@link paretoFront}). */
  pareto: Partial<Record<CriterionSummaryName, string[]>>;
  /** Groups with fewer than `minGroupSize` test rows: too small to conclude anything, yet they can set max − min differences. */
  smallGroups: { group: string; testRows: number }[];
  /** Findings every output must show (e.g. a sensitive column with one value, which compares nothing). */
  warnings: string[];
  results: MethodResult[];
}

/**
 * The label as 0/1: values that read as 0/1 or true/false without `posLabel`, else positive where
 * the value (trimmed text) is one of `posLabel`. A `posLabel` that matches no row, or a label with
 * one class, is an error: a model trained on one class predicts it everywhere and scores 1.000.
 */
function labelsOf(values: ArrayLike<CellValue>, posLabel: CompareOptions["posLabel"], column: string): Uint8Array {
  const n = values.length;
  const out = new Uint8Array(n);
  const positives =
    posLabel === undefined
      ? undefined
      : new Set((Array.isArray(posLabel) ? posLabel : [posLabel]).map((p) => String(p)));
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
      throw new FairkitError("MISSING_LABEL", messages.missingLabelValue(column, i), { argument: column, row: i });
    }
    if (positives) out[i] = positives.has(typeof v === "string" ? v.trim() : String(v)) ? 1 : 0;
    else {
      const bit = naturalBit(v);
      if (bit === undefined)
        throw new FairkitError("NOT_BINARY", messages.labelNotNatural(column, v, i), { argument: column, row: i });
      out[i] = bit;
    }
    count += out[i];
  }
  if (count === 0 || count === n) {
    const seen = [...new Set(Array.from(values, (v) => (typeof v === "string" ? v.trim() : String(v))))].slice(0, 6);
    throw new FairkitError("NOT_BINARY", messages.oneClass(column, count, positives && [...positives], seen), {
      argument: "posLabel",
    });
  }
  return out;
}

/**
 * Trains the baseline and each mitigation on one split and measures them on the test rows.
 *
 * @example
 * const result = compareMitigations({
 *   table, yTrue: "income", posLabel: ">50K", sensitive: ["sex"],
 *   methods: ["reweighing", "expgrad-dp"], shuffle: false,
 * });
 * result.results.map((r) => [r.method, r.accuracy.value, r.criteria.demographic_parity_difference.value]);
 */
export function compareMitigations(options: CompareOptions): ComparisonResult {
  const { table, yTrue: label, sensitive } = options;
  for (const c of [label, ...sensitive, ...(options.features ?? [])]) {
    if (table[c] === undefined) throw new FairkitError("BAD_ARGUMENT", messages.noSuchColumn(c), { argument: c });
  }
  if (sensitive.length === 0)
    throw new FairkitError("BAD_ARGUMENT", messages.noSensitiveColumn(), { argument: "sensitive" });
  const methods = ["baseline", ...options.methods.filter((m) => m !== "baseline")];
  for (const m of methods) {
    if (!MITIGATION_METHODS[m]) {
      throw new FairkitError("BAD_ARGUMENT", messages.unknownMethod(m, Object.keys(MITIGATION_METHODS)), {
        argument: "methods",
      });
    }
  }
  const n = table[label].length;
  const seed = options.seed ?? 0;
  const eps = options.eps ?? 0.01;
  const level = options.level ?? DEFAULTS.level;
  const B = options.bootstrap ?? 200;
  const makeEstimator = options.estimator ?? (() => new LogisticRegression());
  const features = options.features ?? Object.keys(table).filter((c) => c !== label && !sensitive.includes(c));
  const { train, test } = trainTestSplit(n, {
    testFraction: options.testFraction ?? 0.3,
    shuffle: options.shuffle ?? true,
    seed,
  });
  const y = labelsOf(table[label], options.posLabel, label);
  const yTrain = takeValues(y, train);
  const yTest = takeValues(y, test);
  const trainTable = sliceTable(table, train, features);
  const testTable = sliceTable(table, test, features);
  const prep = fitTabular(trainTable, { columns: features });
  const Xtrain = prep.transform(trainTable);
  const Xtest = prep.transform(testTable);
  const groupsTrain = sliceTable(table, train, sensitive);
  const groupsTest = sliceTable(table, test, sensitive);
  const encodingTest = encodeGroups(groupsTest, test.length, "test rows");
  const groupKeys = encodingTest.groups.map((g) => g.key);
  const testCounts = new Int32Array(groupKeys.length);
  for (const c of encodingTest.codes) testCounts[c]++;
  const minGroupSize = options.minGroupSize ?? DEFAULTS.minGroupSize;
  const smallGroups = groupKeys.flatMap((group, g) =>
    testCounts[g] < minGroupSize ? [{ group, testRows: testCounts[g] }] : [],
  );
  const warnings = singleLevelWarnings(
    encodeGroups(
      sliceTable(
        table,
        Int32Array.from({ length: n }, (_, i) => i),
        sensitive,
      ),
      n,
      label,
    ),
  ).map((w) => w.message);
  for (const t of [yTrain, yTest]) {
    const positives = t.reduce((a, b) => a + b, 0);
    if (positives === 0 || positives === t.length)
      warnings.push(
        `the ${t === yTrain ? "training" : "test"} split has only ${positives === 0 ? "negative" : "positive"} labels: its numbers say little`,
      );
  }

  const evaluate = (probability: Float64Array): Pick<MethodResult, "accuracy" | "selectionRate" | "criteria"> => {
    const table0 = expectedConfusion(yTest, probability, encodingTest);
    const accuracySpec = metricSpec("accuracy");
    const acc = evaluateMetric(accuracySpec, totalCells(table0));
    const selectionRate: Record<string, number> = {};
    const sr = metricSpec("selection_rate");
    encodingTest.groups.forEach((g, k) => {
      selectionRate[g.key] = evaluateMetric(sr, groupCells(table0, k));
    });
    const point = criteriaSummary(table0);
    const names = Object.keys(point) as CriterionSummaryName[];
    const replicates: Record<string, Float64Array> = Object.fromEntries(names.map((k) => [k, new Float64Array(B)]));
    if (B > 0) {
      const rng = createRandom(seed + 1);
      const m = test.length;
      const rows = new Int32Array(m);
      for (let b = 0; b < B; b++) {
        for (let r = 0; r < m; r++) rows[r] = rng.int(m);
        const s = criteriaSummary(expectedConfusion(yTest, probability, encodingTest, undefined, rows));
        for (const k of names) replicates[k][b] = s[k];
      }
    }
    const criteria = {} as Record<CriterionSummaryName, Estimate>;
    for (const k of names)
      criteria[k] = {
        value: point[k],
        interval: B > 0 ? percentileInterval(replicates[k], level) : [Number.NaN, Number.NaN],
      };
    return { accuracy: { value: acc, interval: wilsonInterval(acc, test.length, level) }, selectionRate, criteria };
  };

  const context: MethodContext = {
    Xtrain,
    yTrain,
    groupsTrain,
    Xtest,
    groupsTest,
    sensitive,
    transform: prep,
    makeEstimator,
    seed,
    eps,
  };
  const results: MethodResult[] = [];
  methods.forEach((name, index) => {
    const method = MITIGATION_METHODS[name];
    const t0 = nowMs();
    const fitted = method.fit(context);
    const fitMs = nowMs() - t0;
    if (name === "baseline") {
      context.baselineScores = fitted.trainScores;
      context.baselineTestScores = fitted.testScores;
      context.baselineModel = fitted.artefacts.model;
    }
    results.push({
      method: name,
      stage: method.stage,
      description: method.description,
      fitMs,
      ...evaluate(fitted.decisions),
      artefacts: fitted.artefacts,
      notes: fitted.notes,
    });
    options.onMethod?.(name, index, methods.length);
  });
  const testFraction = options.testFraction ?? 0.3;
  const shuffle = options.shuffle ?? true;
  return {
    trainRows: train.length,
    testRows: test.length,
    features: Xtrain.cols,
    columns: [...sensitive],
    groups: encodingTest.groups.map((g, k) => ({ ...g, testRows: testCounts[k] })),
    seed,
    settings: { testFraction, shuffle, eps, bootstrap: B, level, minGroupSize },
    transform: prep.toJSON(),
    smallGroups,
    warnings,
    pareto: paretoFronts(results),
    results,
  };
}

/**
 * The methods on the accuracy-vs-disparity Pareto front for one criterion difference: those that
 * no other method beats on both (higher or equal accuracy and lower or equal difference, one
 * strictly). Methods whose difference is undefined are left out.
 *
 * @example
 * paretoFront(result.results, "demographic_parity_difference"); // ["baseline", "expgrad-dp", …]
 */
export function paretoFront(
  results: readonly MethodResult[],
  criterion: CriterionSummaryName = "demographic_parity_difference",
): string[] {
  const points = results.filter((r) => !Number.isNaN(r.criteria[criterion].value) && !Number.isNaN(r.accuracy.value));
  return points
    .filter((p) => {
      const a = p.accuracy.value;
      const d = p.criteria[criterion].value;
      return !points.some((q) => {
        const qa = q.accuracy.value;
        const qd = q.criteria[criterion].value;
        return qa >= a && qd <= d && (qa > a || qd < d);
      });
    })
    .map((p) => p.method);
}

function paretoFronts(results: readonly MethodResult[]): Partial<Record<CriterionSummaryName, string[]>> {
  const out: Partial<Record<CriterionSummaryName, string[]>> = {};
  for (const c of [
    "demographic_parity_difference",
    "equalized_odds_difference",
    "equal_opportunity_difference",
    "predictive_parity_difference",
  ] as const)
    out[c] = paretoFront(results, c);
  return out;
}

/** What a comparison was run on, as its documents record it. */
export interface ComparisonInput {
  /** A file path, or a description of the table. */
  source: string;
  /** The label column. */
  yTrue: string;
  posLabel?: readonly string[];
  sensitive: readonly string[];
  /** The feature columns as given (undefined: every other column). */
  features?: readonly string[];
  where?: string;
}

function inputDocument(input: ComparisonInput): Record<string, unknown> {
  return {
    source: input.source,
    y_true: input.yTrue,
    pos_label: input.posLabel === undefined || input.posLabel.length === 0 ? null : [...input.posLabel],
    sensitive: [...input.sensitive],
    features: input.features === undefined ? null : [...input.features],
    where: input.where ?? null,
  };
}

/**
 * The `fairkit.mitigation_comparison` document (schemas/mitigation-comparison.schema.json): what
 * `fairkit mitigate --format json` prints. Write it with `documentText` (non-finite numbers → null).
 */
export function comparisonDocument(
  result: ComparisonResult,
  input: ComparisonInput,
  version: string,
): Record<string, unknown> {
  const s = result.settings;
  const named = (g: GroupInfo) => ({ group: groupTuple(g.values, result.columns), label: g.key });
  return {
    kind: "fairkit.mitigation_comparison",
    schema_version: MITIGATION_SCHEMA_VERSION,
    tool: { name: "fairkit", version },
    input: inputDocument(input),
    settings: {
      test_fraction: s.testFraction,
      shuffle: s.shuffle,
      seed: result.seed,
      eps: s.eps,
      bootstrap: s.bootstrap,
      level: s.level,
      min_group_size: s.minGroupSize,
    },
    split: { train_rows: result.trainRows, test_rows: result.testRows },
    features: result.features,
    columns: result.columns,
    groups: result.groups.map((g) => ({ ...named(g), test_rows: g.testRows, small: g.testRows < s.minGroupSize })),
    results: result.results.map((r) => ({
      method: r.method,
      stage: r.stage,
      description: r.description,
      fit_ms: r.fitMs,
      accuracy: r.accuracy,
      selection_rate: result.groups.map((g) => ({ ...named(g), value: r.selectionRate[g.key] })),
      criteria: r.criteria,
      notes: r.notes,
    })),
    pareto: result.pareto,
    warnings: result.warnings,
  };
}

/**
 * The `fairkit.mitigation_model` document of one method (schemas/mitigation-model.schema.json):
 * the feature transform, the method's pre-processor or weights, the fitted model, and for a
 * post-processor the policy applied to the model's scores — enough to apply it to new rows.
 */
export function methodDocument(
  result: ComparisonResult,
  method: MethodResult,
  input: ComparisonInput,
  version: string,
): Record<string, unknown> {
  const tuple = (values: GroupInfo["values"]) => groupTuple(values, result.columns);
  const a = method.artefacts as {
    model?: unknown;
    preprocessor?: unknown;
    weights?: ReweighingCell[];
    cells?: ResampleResult["cells"];
    policy?: unknown;
  };
  return {
    kind: "fairkit.mitigation_model",
    schema_version: MITIGATION_SCHEMA_VERSION,
    tool: { name: "fairkit", version },
    method: method.method,
    stage: method.stage,
    description: method.description,
    input: inputDocument(input),
    transform: result.transform,
    ...(a.preprocessor === undefined ? {} : { preprocessor: a.preprocessor }),
    ...(a.weights === undefined
      ? {}
      : {
          weights: a.weights.map((c) => ({
            group: tuple(c.values),
            label: c.group,
            y: c.label,
            rows: c.rows,
            expected: c.expected,
            observed: c.observed,
            weight: c.weight,
          })),
        }),
    ...(a.cells === undefined
      ? {}
      : {
          resampled: a.cells.map((c) => ({
            group: tuple(c.values),
            label: c.group,
            y: c.label,
            before: c.before,
            after: c.after,
          })),
        }),
    ...(a.policy === undefined ? {} : { policy: a.policy }),
    model: a.model,
  };
}
