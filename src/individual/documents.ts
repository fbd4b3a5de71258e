/**
 * The JSON documents of individual and counterfactual fairness (schemas in src/schemas/individual.ts):
 * snake_case, written with `documentText` so that non-finite numbers become null.
 */
import { type Level, groupTuple } from "../core/groups.js";
import type { CellValue } from "../models/tabular.js";
import { INDIVIDUAL_SCHEMA_VERSION } from "../schemas/individual.js";
import type { ConsistencyResult } from "./consistency.js";
import type { CounterfactualResult } from "./counterfactual.js";
import type { LipschitzResult, PairSummary } from "./lipschitz.js";
import { scmText } from "./scm.js";
import type { StudyResult } from "./study.js";

/** One flip or counterfactual test as JSON. */
export function counterfactualTestJSON(result: CounterfactualResult): Record<string, unknown> {
  return {
    test: result.kind,
    attribute: result.attribute,
    levels: result.levels,
    rows: result.rows,
    ...(result.proxies === undefined ? {} : { proxies: result.proxies }),
    threshold: result.threshold,
    level: result.level,
    pairs: result.pairs.map((p) => ({
      from: p.from,
      to: p.to,
      rows: p.rows,
      mean_change: p.meanChange,
      mean_interval: p.meanInterval,
      mean_abs_change: p.meanAbsChange,
      sd: p.sd,
      quantiles: p.quantiles,
      changed_scores: p.changedScores,
      changed_decisions: p.changedDecisions,
      changed_interval: p.changedInterval,
      became_positive: p.becamePositive,
      became_negative: p.becameNegative,
    })),
    max_abs_mean_change: result.worst === null ? null : Math.abs(result.worst.meanChange),
    max_changed_decisions: result.maxChangedDecisions,
  };
}

/**
 * The `fairkit.counterfactual` document (schemas/counterfactual.schema.json).
 * @example
 * documentText(counterfactualDocument(await flipTest(options), { source: "adult.csv", model: "models/baseline.json", version: VERSION }));
 */
export function counterfactualDocument(
  result: CounterfactualResult,
  about: { source: string; model: string; version: string },
): Record<string, unknown> {
  return {
    kind: "fairkit.counterfactual",
    schema_version: INDIVIDUAL_SCHEMA_VERSION,
    tool: { name: "fairkit", version: about.version },
    source: about.source,
    model: about.model,
    result: counterfactualTestJSON(result),
  };
}

/** The `fairkit.counterfactual_study` document (schemas/counterfactual-study.schema.json). */
export function studyDocument(study: StudyResult, about: { source: string; version: string }): Record<string, unknown> {
  return {
    kind: "fairkit.counterfactual_study",
    schema_version: INDIVIDUAL_SCHEMA_VERSION,
    tool: { name: "fairkit", version: about.version },
    source: about.source,
    model: scmText(study.scm.declaration),
    target: study.target,
    sensitive: study.sensitive,
    split: {
      train_rows: study.trainRows,
      test_rows: study.testRows,
      test_fraction: study.testFraction,
      seed: study.seed,
    },
    target_sd: study.targetSd,
    em_iterations: study.scm.iterations,
    equations: [...study.scm.equations.values()].map((e) => ({
      node: e.node,
      parents: [...e.parents],
      terms: e.terms,
      coef: e.coef,
      intercept: e.intercept,
      loadings: e.loadings,
      sd: e.sd,
      r_squared: e.rSquared,
    })),
    path_effects: study.effects.map((e) => ({
      from: e.from,
      to: e.to,
      level: e.level,
      reference: e.reference,
      total: e.total,
      paths: e.paths,
    })),
    predictors: study.predictors.map((p) => ({
      name: p.name,
      ...(p.predictor === undefined
        ? {}
        : {
            terms: p.predictor.terms,
            coef: p.predictor.coef,
            intercept: p.predictor.intercept,
            ...(p.predictor.removed === undefined ? {} : { removed_paths: p.predictor.removed }),
          }),
      rmse: p.rmse,
      max_abs_mean_change: p.maxAbsMeanChange,
      counterfactual: p.counterfactual.map(counterfactualTestJSON),
    })),
  };
}

/** A {@link PairSummary} as JSON. */
export interface PairSummaryJSON {
  pairs: number;
  quantiles: { q50: number; q90: number; q99: number; max: number };
  lipschitz_constant: number;
  identical: number;
  identical_treated_differently: number;
  violations?: { violations: number; rate: number; interval: [number, number] };
}

/** The results as JSON: the body of `fairkit.individual` and the report's `individual` section. */
export interface IndividualSection {
  features: string[];
  encoded_features: number;
  rows: number;
  columns?: string[];
  consistency: {
    value: number;
    k: number;
    include_self: boolean;
    metric: "euclidean" | "manhattan";
    prediction: string;
    groups?: {
      group: (Level | null)[];
      label: string;
      rows: number;
      consistency: number;
      inconsistency: number;
      interval: [number, number];
    }[];
    worst: { index: number; inconsistency: number; prediction: number; neighbors: number[] }[];
  };
  lipschitz: PairSummaryJSON & {
    metric: "l1" | "l2" | "fair";
    output: string;
    k: number;
    L: number | null;
    directions?: number;
    distinct_rows?: { before: number; after: number };
    warnings: string[];
    crossing?: { same: PairSummaryJSON; different: PairSummaryJSON };
    groups?: (PairSummaryJSON & { group: (Level | null)[]; label: string })[];
    worst: {
      a: number;
      b: number;
      distance: number;
      delta: number;
      ratio: number;
      values?: Record<string, [CellValue, CellValue]>;
    }[];
  };
}

function pairSummaryJSON(s: PairSummary): PairSummaryJSON {
  return {
    pairs: s.pairs,
    quantiles: s.quantiles,
    lipschitz_constant: s.lipschitzConstant,
    identical: s.identical,
    identical_treated_differently: s.identicalTreatedDifferently,
    ...(s.violations === undefined ? {} : { violations: s.violations }),
  };
}

/** What {@link individualDocument} and {@link individualSections} describe besides the results. */
export interface IndividualAbout {
  /** The input columns the distance reads, and the width after encoding. */
  features: readonly string[];
  encodedFeatures: number;
  /** The prediction column of the consistency, the output column and metric name of the Lipschitz audit. */
  prediction: string;
  output: string;
  lipschitzMetric: "l1" | "l2" | "fair";
  /** The distance of the consistency's neighbour search. */
  consistencyMetric: "euclidean" | "manhattan";
  /** The feature values of a row, as in the input (for the worst pairs). */
  values?: (index: number) => Record<string, CellValue>;
}

/**
 * The results as JSON (snake_case; rows are indexes counted from 0 over the rows audited): the body
 * of the `fairkit.individual` document, and the report's individual-fairness section.
 */
export function individualSections(
  consistency: ConsistencyResult,
  lipschitz: LipschitzResult,
  about: IndividualAbout,
): IndividualSection {
  const columns = consistency.columns ?? lipschitz.columns;
  const named = (values: Parameters<typeof groupTuple>[0], key: string) => ({
    group: groupTuple(values, columns ?? []),
    label: key,
  });
  return {
    features: [...about.features],
    encoded_features: about.encodedFeatures,
    rows: consistency.n,
    ...(columns === undefined ? {} : { columns }),
    consistency: {
      value: consistency.value,
      k: consistency.k,
      include_self: consistency.includeSelf,
      metric: about.consistencyMetric,
      prediction: about.prediction,
      ...(consistency.groups === undefined
        ? {}
        : {
            groups: consistency.groups.map((g) => ({
              ...named(g.group.values, g.group.key),
              rows: g.n,
              consistency: g.consistency,
              inconsistency: g.inconsistency,
              interval: g.interval,
            })),
          }),
      worst: consistency.worst.map((w) => ({
        index: w.index,
        inconsistency: w.value,
        prediction: w.yPred,
        neighbors: w.neighbors,
      })),
    },
    lipschitz: {
      metric: about.lipschitzMetric,
      output: about.output,
      k: lipschitz.k,
      L: lipschitz.L ?? null,
      ...(lipschitz.directions === undefined ? {} : { directions: lipschitz.directions.length }),
      ...(lipschitz.distinctRows === undefined ? {} : { distinct_rows: lipschitz.distinctRows }),
      warnings: lipschitz.warnings,
      ...pairSummaryJSON(lipschitz),
      ...(lipschitz.crossing === undefined
        ? {}
        : {
            crossing: {
              same: pairSummaryJSON(lipschitz.crossing.same),
              different: pairSummaryJSON(lipschitz.crossing.different),
            },
          }),
      ...(lipschitz.groups === undefined
        ? {}
        : { groups: lipschitz.groups.map((g) => ({ ...named(g.group.values, g.group.key), ...pairSummaryJSON(g) })) }),
      worst: lipschitz.worst.map((p) => {
        const values = about.values;
        let pairValues: Record<string, [CellValue, CellValue]> | undefined;
        if (values) {
          const a = values(p.a);
          const b = values(p.b);
          pairValues = Object.fromEntries(Object.keys(a).map((k) => [k, [a[k] ?? null, b[k] ?? null]]));
        }
        return {
          a: p.a,
          b: p.b,
          distance: p.distance,
          delta: p.delta,
          ratio: p.ratio,
          ...(pairValues === undefined ? {} : { values: pairValues }),
        };
      }),
    },
  };
}

/**
 * The `fairkit.individual` document (schemas/individual.schema.json): what `fairkit individual
 * --format json` prints.
 */
export function individualDocument(
  consistency: ConsistencyResult,
  lipschitz: LipschitzResult,
  about: IndividualAbout & { source: string; version: string },
): Record<string, unknown> {
  return {
    kind: "fairkit.individual",
    schema_version: INDIVIDUAL_SCHEMA_VERSION,
    tool: { name: "fairkit", version: about.version },
    source: about.source,
    ...individualSections(consistency, lipschitz, about),
  };
}
