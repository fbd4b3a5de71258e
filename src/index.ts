/**
 * fairkit: measure and reduce unfairness in automated decisions.
 *
 * This entry point is browser-safe: no Node built-ins and no runtime dependencies.
 * @packageDocumentation
 */
export * from "./core/errors.js";
export * from "./core/random.js";
export * from "./core/validate.js";
export * from "./core/groups.js";
export * from "./core/confusion.js";
export * from "./core/metrics.js";
export * from "./core/functions.js";
export * from "./core/intervals.js";
export * from "./core/disparity.js";
export * from "./core/criteria.js";
export * from "./core/calibration.js";
export * from "./core/prepare.js";
export * from "./core/metric-frame.js";
export * from "./audit/audit-result.js";
export * from "./audit/decision.js";
export * from "./datasets/demo.js";
export * from "./thresholds/score-table.js";
export * from "./thresholds/sweep.js";
export * from "./thresholds/curves.js";
export * from "./models/matrix.js";
export * from "./models/estimator.js";
export * from "./models/linalg.js";
export * from "./models/logistic-regression.js";
export * from "./models/tabular.js";
export * from "./models/split.js";
export * from "./mitigation/pre/reweighing.js";
export * from "./mitigation/pre/resampling.js";
export * from "./mitigation/pre/correlation-remover.js";
export * from "./mitigation/pre/disparate-impact-remover.js";
export * from "./mitigation/pre/learned-fair-representations.js";
export * from "./models/lbfgs.js";
export * from "./models/saved-estimator.js";
export * from "./mitigation/in/moments.js";
export * from "./mitigation/in/fit-data.js";
export * from "./mitigation/in/lagrangian.js";
export * from "./mitigation/in/linprog.js";
export * from "./mitigation/in/exponentiated-gradient.js";
export * from "./mitigation/in/grid-search.js";
export * from "./mitigation/expected-confusion.js";
export * from "./mitigation/compare.js";
export * from "./thresholds/decision-rule.js";
export * from "./thresholds/roc-hull.js";
export * from "./thresholds/polygon.js";
export * from "./thresholds/lp.js";
export * from "./thresholds/threshold-optimizer.js";
export * from "./thresholds/per-group-threshold.js";
export * from "./thresholds/equalize.js";
export * from "./thresholds/impossibility.js";
export * from "./thresholds/radix-sort.js";
export * from "./core/significance.js";
export * from "./audit/ll144.js";
export * from "./audit/four-fifths.js";
export * from "./audit/subgroup-discovery.js";
export * from "./audit/bias-sources.js";
export * from "./audit/model-card.js";
export * from "./audit/datasheet.js";
export * from "./audit/report-data.js";
export { renderHtml } from "./report/html.js";
export { renderMarkdown } from "./report/markdown.js";
export { renderJson } from "./report/json.js";
