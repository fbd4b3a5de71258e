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
import { FairkitError } from "../core/errors.js";
import { encodeGroups, type GroupInfo, groupTuple, singleLevelWarnings } from "../core/groups.js";
import { type Interval, percentileInterval, wilsonInterval } from "../core/intervals.js";
import { evaluateMetric, metricSpec } from "../core/metrics.js";
import { createRandom } from "../core/random.js";
import type { Estimator } from "../models/estimator.js";
import { LogisticRegression } from "../models/logistic-regression.js";
import { type Matrix, takeRows, takeValues } from "../models/matrix.js";
import { trainTestSplit } from "../models/split.js";
import { type CellValue, type Table, fitTabular } from "../models/tabular.js";
import { naturalBit } from "../core/validate.js";
import { expectedConfusion } from "./expected-confusion.js";
import { ExponentiatedGradient } from "./in/exponentiated-gradient.js";
import { GridSearch } from "./in/grid-search.js";
import {
  DemographicParity,
  EqualizedOdds,
  ErrorRateParity,
  type FairnessConstraint,
  FalsePositiveRateParity,
  TruePositiveRateParity,
} from "./in/moments.js";
import { CorrelationRemover } from "./pre/correlation-remover.js";
import { DisparateImpactRemover } from "./pre/disparate-impact-remover.js";
import { LearnedFairRepresentations } from "./pre/learned-fair-representations.js";
import { type ResampleResult, resample } from "./pre/resampling.js";
import { type ReweighingCell, reweighing } from "./pre/reweighing.js";
import { MITIGATION_SCHEMA_VERSION } from "../schemas/mitigation.js";
import { nowMs } from "../core/clock.js";
import { DEFAULTS } from "../core/defaults.js";

const CONSTRAINTS: Record<string, { name: string; make: (bound: number) => FairnessConstraint }> = {
  dp: { name: "demographic parity", make: (b) => new DemographicParity({ differenceBound: b }) },
  eo: { name: "equalized odds", make: (b) => new EqualizedOdds({ differenceBound: b }) },
  tpr: { name: "true positive rate parity", make: (b) => new TruePositiveRateParity({ differenceBound: b }) },
  fpr: { name: "false positive rate parity", make: (b) => new FalsePositiveRateParity({ differenceBound: b }) },
  erp: { name: "error rate parity", make: (b) => new ErrorRateParity({ differenceBound: b }) },
};

/** What a method changes. */
export type MethodStage = "none" | "weights" | "data" | "model";

/** The methods the runner knows, with what each changes. */
export const MITIGATION_METHODS: Readonly<Record<string, { stage: MethodStage; description: string }>> = {
  baseline: { stage: "none", description: "the learner on the data as it is" },
  reweighing: { stage: "weights", description: "Kamiran & Calders reweighing: w(a, y) = P(a)P(y)/P(a, y)" },
  "resample-uniform": { stage: "data", description: "uniform resampling of (group, label) cells to their independent sizes" },
  "resample-preferential": { stage: "data", description: "preferential resampling: rows nearest the baseline's boundary first" },
  "correlation-remover": { stage: "data", description: "Fairlearn's correlation remover (alpha 1) on the features" },
  "disparate-impact-remover": { stage: "data", description: "Feldman et al. repair (level 1) of the numeric features" },
  lfr: { stage: "data", description: "Zemel et al. learned fair representations (10 prototypes, Ax 0.1, Ay 1, Az 2, fitted on ≤ 3,000 sampled rows); the learner sees the prototype probabilities" },
  ...Object.fromEntries(
    Object.entries(CONSTRAINTS).flatMap(([key, c]) => [
      [`expgrad-${key}`, { stage: "model", description: `ExponentiatedGradient with ${c.name} (randomised mixture)` }],
      [`gridsearch-${key}`, { stage: "model", description: `GridSearch with ${c.name} (one deterministic model)` }],
    ]),
  ),
};

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
  settings: { testFraction: number; shuffle: boolean; eps: number; bootstrap: number; level: number; minGroupSize: number };
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
  const positives = posLabel === undefined ? undefined : new Set((Array.isArray(posLabel) ? posLabel : [posLabel]).map((p) => String(p)));
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
      throw new FairkitError("MISSING_LABEL", `label ${JSON.stringify(column)} has a missing value at index ${i}`, { argument: column, row: i });
    }
    if (positives) out[i] = positives.has(typeof v === "string" ? v.trim() : String(v)) ? 1 : 0;
    else {
      const bit = naturalBit(v);
      if (bit === undefined) throw new FairkitError("NOT_BINARY", `label ${JSON.stringify(column)} must be 0/1 or true/false without posLabel; found ${JSON.stringify(v)} at index ${i}`, { argument: column, row: i });
      out[i] = bit;
    }
    count += out[i];
  }
  if (count === 0 || count === n) {
    const seen = [...new Set(Array.from(values, (v) => (typeof v === "string" ? v.trim() : String(v))))].slice(0, 6);
    const what = positives
      ? count === 0
        ? `no row has a positive label (posLabel ${[...positives].map((p) => JSON.stringify(p)).join(", ")} matches no value; the values are ${seen.map((v) => JSON.stringify(v)).join(", ")})`
        : `every row has a positive label (posLabel matches every value)`
      : `every row has the label ${count === 0 ? 0 : 1}`;
    throw new FairkitError("NOT_BINARY", `label ${JSON.stringify(column)}: ${what}: a model needs both classes to learn from`, { argument: "posLabel" });
  }
  return out;
}

function sliceTable(table: Table, columns: readonly string[], index: Int32Array): Record<string, CellValue[]> {
  return Object.fromEntries(columns.map((c) => [c, takeValues(Array.from(table[c]), index) as CellValue[]]));
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
    if (table[c] === undefined) throw new FairkitError("BAD_ARGUMENT", `the table has no column ${JSON.stringify(c)}`, { argument: c });
  }
  if (sensitive.length === 0) throw new FairkitError("BAD_ARGUMENT", "name at least one sensitive column", { argument: "sensitive" });
  const methods = ["baseline", ...options.methods.filter((m) => m !== "baseline")];
  for (const m of methods) {
    if (!MITIGATION_METHODS[m]) {
      throw new FairkitError("BAD_ARGUMENT", `unknown method ${JSON.stringify(m)}; known methods: ${Object.keys(MITIGATION_METHODS).join(", ")}`, { argument: "methods" });
    }
  }
  const n = table[label].length;
  const seed = options.seed ?? 0;
  const eps = options.eps ?? 0.01;
  const level = options.level ?? DEFAULTS.level;
  const B = options.bootstrap ?? 200;
  const makeEstimator = options.estimator ?? (() => new LogisticRegression());
  const features = options.features ?? Object.keys(table).filter((c) => c !== label && !sensitive.includes(c));
  const { train, test } = trainTestSplit(n, { testFraction: options.testFraction ?? 0.3, shuffle: options.shuffle ?? true, seed });
  const y = labelsOf(table[label], options.posLabel, label);
  const yTrain = takeValues(y, train);
  const yTest = takeValues(y, test);
  const trainTable = sliceTable(table, features, train);
  const testTable = sliceTable(table, features, test);
  const prep = fitTabular(trainTable, { columns: features });
  const Xtrain = prep.transform(trainTable);
  const Xtest = prep.transform(testTable);
  const groupsTrain = sliceTable(table, sensitive, train);
  const groupsTest = sliceTable(table, sensitive, test);
  const encodingTest = encodeGroups(groupsTest, test.length, "test rows");
  const groupKeys = encodingTest.groups.map((g) => g.key);
  const testCounts = new Int32Array(groupKeys.length);
  for (const c of encodingTest.codes) testCounts[c]++;
  const minGroupSize = options.minGroupSize ?? DEFAULTS.minGroupSize;
  const smallGroups = groupKeys.flatMap((group, g) => (testCounts[g] < minGroupSize ? [{ group, testRows: testCounts[g] }] : []));
  const warnings = singleLevelWarnings(encodeGroups(sliceTable(table, sensitive, Int32Array.from({ length: n }, (_, i) => i)), n, label)).map((w) => w.message);
  for (const t of [yTrain, yTest]) {
    const positives = t.reduce((a, b) => a + b, 0);
    if (positives === 0 || positives === t.length) warnings.push(`the ${t === yTrain ? "training" : "test"} split has only ${positives === 0 ? "negative" : "positive"} labels: its numbers say little`);
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
    for (const k of names) criteria[k] = { value: point[k], interval: B > 0 ? percentileInterval(replicates[k], level) : [Number.NaN, Number.NaN] };
    return { accuracy: { value: acc, interval: wilsonInterval(acc, test.length, level) }, selectionRate, criteria };
  };

  const asProbability = (d: Uint8Array) => Float64Array.from(d);
  const saved = (model: unknown) => {
    const f = (model as { toJSON?: () => unknown }).toJSON;
    return typeof f === "function" ? f.call(model) : undefined;
  };
  let baselineScores: Float64Array | undefined;
  const results: MethodResult[] = [];
  methods.forEach((method, index) => {
    const t0 = nowMs();
    let decisions: Float64Array;
    const artefacts: Record<string, unknown> = {};
    const notes: Record<string, number | string> = {};
    if (method === "baseline" || method === "reweighing" || method.startsWith("resample")) {
      let X: Matrix = Xtrain;
      let yy: Uint8Array = yTrain;
      let sampleWeight: Float64Array | undefined;
      if (method === "reweighing") {
        const rw = reweighing(yTrain, groupsTrain);
        sampleWeight = rw.sampleWeight;
        artefacts.weights = rw.cells;
      } else if (method.startsWith("resample")) {
        const preferential = method === "resample-preferential";
        const rs = resample(yTrain, groupsTrain, { method: preferential ? "preferential" : "uniform", seed, scores: preferential ? baselineScores : undefined });
        X = takeRows(Xtrain, rs.index);
        yy = takeValues(yTrain, rs.index);
        artefacts.cells = rs.cells;
        notes.rows = rs.index.length;
      }
      const model = makeEstimator().fit(X, yy, { sampleWeight });
      if (method === "baseline") baselineScores = model.predictProba(Xtrain);
      decisions = asProbability(model.predict(Xtest));
      artefacts.model = saved(model);
    } else if (method === "correlation-remover") {
      const sensitivePrep = fitTabular(groupsTrain, { categorical: sensitive });
      const withS = (X: Matrix, groups: Table) => appendColumns(X, sensitivePrep.transform(groups));
      const cols = Array.from({ length: sensitivePrep.featureNames.length }, (_, j) => Xtrain.cols + j);
      const cr = new CorrelationRemover({ sensitiveColumns: cols, alpha: 1 }).fit(withS(Xtrain, groupsTrain));
      const model = makeEstimator().fit(cr.transform(withS(Xtrain, groupsTrain)), yTrain);
      decisions = asProbability(model.predict(cr.transform(withS(Xtest, groupsTest))));
      artefacts.preprocessor = { kind: "fairkit.correlation_remover_with_groups", sensitive_transform: sensitivePrep.toJSON(), correlation_remover: cr.toJSON() };
      artefacts.model = saved(model);
    } else if (method === "disparate-impact-remover") {
      const numeric: number[] = [];
      let offset = 0;
      for (const e of prep.encodings) {
        if (e.kind === "numeric") numeric.push(offset++);
        else offset += e.levels.length;
      }
      const dir = new DisparateImpactRemover({ repairLevel: 1, columns: numeric }).fit(Xtrain, groupsTrain);
      const model = makeEstimator().fit(dir.transform(Xtrain, groupsTrain), yTrain);
      decisions = asProbability(model.predict(dir.transform(Xtest, groupsTest)));
      artefacts.preprocessor = dir.toJSON();
      artefacts.model = saved(model);
    } else if (method === "lfr") {
      // AIF360's Adult demo settings; the learner sees the K prototype probabilities (x̂ is linear in them).
      const lfr = new LearnedFairRepresentations({ prototypes: 10, reconstructionWeight: 0.1, predictionWeight: 1, fairnessWeight: 2, seed, maxRows: 3000, maxIter: 100 });
      lfr.fit(Xtrain, yTrain, { sensitiveFeatures: groupsTrain });
      const model = makeEstimator().fit(lfr.mapping(Xtrain), yTrain);
      decisions = asProbability(model.predict(lfr.mapping(Xtest)));
      artefacts.preprocessor = lfr.toJSON();
      artefacts.model = saved(model);
      notes.iterations = lfr.nIter;
    } else {
      const [kind, key] = method.split("-");
      const constraint = CONSTRAINTS[key].make(eps);
      if (kind === "expgrad") {
        const eg = new ExponentiatedGradient(makeEstimator, constraint, { eps }).fit(Xtrain, yTrain, { sensitiveFeatures: groupsTrain });
        decisions = eg.predictProba(Xtest);
        artefacts.model = eg.toJSON();
        const d = eg.diagnostics!;
        Object.assign(notes, { iterations: d.iterations, inner_fits: d.oracleCalls, inner_fit_ms: Math.round(d.oracleMs), best_gap: d.bestGap, predictors: eg.predictors.length });
      } else {
        const gs = new GridSearch(makeEstimator, constraint).fit(Xtrain, yTrain, { sensitiveFeatures: groupsTrain });
        decisions = asProbability(gs.predict(Xtest));
        artefacts.model = gs.toJSON();
        Object.assign(notes, { inner_fits: gs.points.length, best_index: gs.bestIndex });
      }
    }
    const fitMs = nowMs() - t0;
    const info = MITIGATION_METHODS[method];
    results.push({ method, stage: info.stage, description: info.description, fitMs, ...evaluate(decisions), artefacts, notes });
    options.onMethod?.(method, index, methods.length);
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
export function paretoFront(results: readonly MethodResult[], criterion: CriterionSummaryName = "demographic_parity_difference"): string[] {
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
  for (const c of ["demographic_parity_difference", "equalized_odds_difference", "equal_opportunity_difference", "predictive_parity_difference"] as const) out[c] = paretoFront(results, c);
  return out;
}

function appendColumns(a: Matrix, b: Matrix): Matrix {
  const cols = a.cols + b.cols;
  const data = new Float64Array(a.rows * cols);
  for (let i = 0; i < a.rows; i++) {
    data.set(a.data.subarray(i * a.cols, (i + 1) * a.cols), i * cols);
    data.set(b.data.subarray(i * b.cols, (i + 1) * b.cols), i * cols + a.cols);
  }
  return { rows: a.rows, cols, data };
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
export function comparisonDocument(result: ComparisonResult, input: ComparisonInput, version: string): Record<string, unknown> {
  const s = result.settings;
  const named = (g: GroupInfo) => ({ group: groupTuple(g.values, result.columns), label: g.key });
  return {
    kind: "fairkit.mitigation_comparison",
    schema_version: MITIGATION_SCHEMA_VERSION,
    tool: { name: "fairkit", version },
    input: inputDocument(input),
    settings: { test_fraction: s.testFraction, shuffle: s.shuffle, seed: result.seed, eps: s.eps, bootstrap: s.bootstrap, level: s.level, min_group_size: s.minGroupSize },
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
 * the feature transform, the method's pre-processor or weights, and the fitted model — enough to
 * apply it to new rows.
 */
export function methodDocument(result: ComparisonResult, method: MethodResult, input: ComparisonInput, version: string): Record<string, unknown> {
  const tuple = (values: GroupInfo["values"]) => groupTuple(values, result.columns);
  const a = method.artefacts as { model?: unknown; preprocessor?: unknown; weights?: ReweighingCell[]; cells?: ResampleResult["cells"] };
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
    ...(a.weights === undefined ? {} : { weights: a.weights.map((c) => ({ group: tuple(c.values), label: c.group, y: c.label, rows: c.rows, expected: c.expected, observed: c.observed, weight: c.weight })) }),
    ...(a.cells === undefined ? {} : { resampled: a.cells.map((c) => ({ group: tuple(c.values), label: c.group, y: c.label, before: c.before, after: c.after })) }),
    model: a.model,
  };
}
