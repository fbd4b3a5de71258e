/**
 * The JSON documents of individual and counterfactual fairness (schemas in src/schemas/individual.ts):
 * snake_case, written with `documentText` so that non-finite numbers become null.
 */
import { INDIVIDUAL_SCHEMA_VERSION } from "../schemas/individual.js";
import type { CounterfactualResult } from "./counterfactual.js";
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
