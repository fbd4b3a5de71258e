/**
 * fairkit: measure and reduce unfairness in automated decisions.
 *
 * This is the public API, listed by hand: what is named here is covered by semantic versioning.
 * Everything else (solver internals, helpers shared by fairkit's own Node package) lives behind
 * `fairkit/internal` and may change in any release. This entry point is browser-safe: no Node
 * built-ins and no runtime dependencies.
 * @packageDocumentation
 */

// ---------------------------------------------------------------- errors, defaults, version
export { type ErrorLocation, FairkitError, type FairkitErrorCode, type FairkitWarning } from "./core/errors.js";
export { DEFAULTS } from "./core/defaults.js";
export { VERSION } from "./version.js";

// ---------------------------------------------------------------- groups: identity and encoding
export {
  type CategoricalColumn,
  type Column,
  type GroupEncoding,
  type GroupInfo,
  type GroupReference,
  type Level,
  MISSING_LABEL,
  type SensitiveInput,
  encodeGroups,
  findGroup,
  groupId,
  groupLabel,
} from "./core/groups.js";
export type { BinaryInput, NumericInput } from "./core/validate.js";

// ---------------------------------------------------------------- counts and the metric table
export {
  Cell,
  type Cells,
  type CellJSON,
  type ConfusionTable,
  type ConfusionTableJSON,
  cellRows,
  cellWeight,
  confusionFromJSON,
  confusionToJSON,
  countConfusion,
  groupCells,
  mergeConfusion,
  selectGroups,
  totalCells,
} from "./core/confusion.js";
export { confusionFromRows, type RowsInput } from "./core/prepare.js";
export {
  METRICS,
  METRIC_NAMES,
  type MetricSpec,
  type ZeroDivision,
  evaluateMetric,
  metricSpec,
} from "./core/metrics.js";
export {
  type MetricFunctionOptions,
  accuracy,
  balancedAccuracy,
  baseRate,
  computeMetric,
  errorRate,
  falseDiscoveryRate,
  falseNegativeRate,
  falseOmissionRate,
  falsePositiveRate,
  negativePredictiveValue,
  positivePredictiveValue,
  selectionRate,
  trueNegativeRate,
  truePositiveRate,
} from "./core/functions.js";
export {
  type Interval,
  type Proportion,
  moverRatioInterval,
  newcombeInterval,
  percentileInterval,
  wilsonInterval,
} from "./core/intervals.js";
export {
  type Disparity,
  type DisparityMethod,
  type DisparityOptions,
  disparityDifference,
  disparityGroups,
  disparityRatio,
} from "./core/disparity.js";

// ---------------------------------------------------------------- criteria and MetricFrame
export {
  CRITERIA,
  type CriterionName,
  type CriterionOptions,
  type CriterionSummaryName,
  criteriaSummary,
  criterionFromCounts,
  demographicParity,
  demographicParityDifference,
  demographicParityRatio,
  equalOpportunity,
  equalOpportunityDifference,
  equalOpportunityRatio,
  equalizedOddsDifference,
  equalizedOddsRatio,
  predictiveParity,
  predictiveParityDifference,
  predictiveParityRatio,
} from "./core/criteria.js";
export {
  ControlSlice,
  type GapDetail,
  type GapGroup,
  type GapIntervalMethod,
  type GapOptions,
  type GroupResult,
  GroupSlice,
  type IntervalMethod,
  MetricFrame,
  type MetricFrameCommonOptions,
  type MetricFrameOptions,
  type MetricFunction,
  type MetricGap,
  type MetricsInput,
} from "./core/metric-frame.js";
export {
  type CalibrationOptions,
  type CalibrationReport,
  type GroupCalibration,
  type ReliabilityBin,
  calibrationByGroup,
} from "./core/calibration.js";
export {
  bonferroniAdjust,
  fisherExactTest,
  holmAdjust,
  type TwoByTwo,
  twoProportionZTest,
  type ZTestResult,
} from "./core/significance.js";

// ---------------------------------------------------------------- regression and multiclass
export {
  PREDICTION_QUANTILES,
  RegressionFrame,
  type RegressionCriterionResult,
  type RegressionFrameCommonOptions,
  type RegressionFrameOptions,
  type RegressionGroupInput,
  type RegressionGroupResult,
  type RegressionIntervalMethod,
} from "./regression/regression-frame.js";
export {
  REGRESSION_CRITERIA,
  REGRESSION_METRICS,
  type RegressionCriterionName,
  type RegressionCriterionSpec,
  type RegressionGroupStats,
  type RegressionMetricSpec,
  emptyRegressionStats,
  mergeRegressionStats,
} from "./regression/metrics.js";
export { type Moments, mergeMoments, momentsOf } from "./regression/moments.js";
export {
  type WeightedDistribution,
  distributionOf,
  ksDistance,
  mergeDistributions,
  wasserstein1,
  weightedQuantile,
} from "./regression/distribution.js";
export {
  type MulticlassCounts,
  type MulticlassRowsInput,
  countMulticlass,
  groupMatrix,
  oneVsRest,
} from "./multiclass/counts.js";
export {
  type ClassView,
  DEFAULT_MULTICLASS_METRICS,
  MulticlassFrame,
  type MulticlassFrameCommonOptions,
  type MulticlassGroupResult,
} from "./multiclass/multiclass-frame.js";
export {
  type RegressionAuditResult,
  type RegressionAuditInput,
  buildRegressionAudit,
} from "./audit/regression-audit.js";
export { type MulticlassAuditResult, buildMulticlassAudit } from "./audit/multiclass-audit.js";

// ---------------------------------------------------------------- JSON documents and their schemas
export { type JsonSchema, checkSchema, matchesSchema } from "./core/schema.js";
export { SCHEMAS } from "./schemas/index.js";
export { documentReplacer, documentText } from "./core/document.js";

// ---------------------------------------------------------------- the audit result
export {
  AUDIT_SCHEMA_VERSION,
  type AuditGap,
  type AuditGroup,
  type AuditInput,
  type AuditResult,
  type AuditTolerances,
  type BuildAuditOptions,
  type CriterionCheck,
  DEFAULT_AUDIT_METRICS,
  DEFAULT_TOLERANCES,
  buildAuditResult,
  gateValues,
} from "./audit/audit-result.js";
export { DECISION_MEANINGS, type DecisionMeaning, type DecisionWords, decisionWords } from "./audit/decision.js";
export { type DemoData, type DemoGroupOptions, type DemoOptions, demoData } from "./datasets/demo.js";

// ---------------------------------------------------------------- monitoring (docs/monitoring.md)
export {
  PSI_EPSILON,
  type ScoreDrift,
  binOf,
  jensenShannonDivergence,
  kolmogorovSmirnovDistance,
  populationStabilityIndex,
  referenceEdges,
  scoreDrift,
} from "./monitor/drift.js";
export {
  type ReferenceSpec,
  type WindowCounts,
  type WindowSpec,
  mergeWindowCounts,
  parseReference,
  parseWindow,
  windowStart,
} from "./monitor/windows.js";
export {
  LABEL_FREE_METRICS,
  MONITOR_SCHEMA_VERSION,
  type MonitorChange,
  type MonitorCriterion,
  type MonitorGroup,
  type MonitorOptions,
  type MonitorResult,
  type MonitorWindow,
  buildMonitorResult,
} from "./monitor/monitor-result.js";
export { type AlertEvent, type AlertRule, RULE_MEASURES, evaluateRules, parseRules } from "./monitor/rules.js";
// ---------------------------------------------------------------- text probes (docs/text.md)
export {
  type CounterfactualFamily,
  GENDER_TERMS,
  type NoCounterfactual,
  RACE_TERMS,
  TERM_SETS,
  type TermMatch,
  type TermRow,
  type TermSet,
  counterfactuals,
  findTerms,
  maskTerms,
  mentionedGroups,
  substituteTerms,
  termWords,
} from "./text/terms.js";
export {
  type CounterfactualProbes,
  type HolisticBiasData,
  type HolisticBiasOptions,
  type Probe,
  type ProbeTerm,
  counterfactualProbes,
  holisticBiasProbes,
  templateProbes,
} from "./text/probes.js";
export {
  type BatchOptions,
  type TextGenerator,
  type TextScorer,
  functionGenerator,
  functionScorer,
  generateTexts,
  scoreTexts,
} from "./text/scorer.js";
export { bleu, cosineSimilarity, rougeL, sentenceBleu, words } from "./text/similarity.js";
export {
  type AnalyseProbesOptions,
  type PairExtreme,
  type PairedEffect,
  type ProbeAttribute,
  type ProbeGroup,
  type ProbeInput,
  type ProbePair,
  type ProbeResult,
  type ProbeTemplate,
  type ProbeTermResult,
  type ResponseSimilarity,
  type TestedEffect,
  analyseProbes,
  pairedEffect,
} from "./text/probe-result.js";
export { PROBE_SCHEMA, PROBE_SCHEMA_VERSION } from "./schemas/text.js";
// ---------------------------------------------------------------- thresholds
export {
  type GroupScores,
  type ScoreTable,
  type ScoredRowsInput,
  buildScoreTable,
  cellsAtThreshold,
  mergeScoreTables,
  scoreTable,
} from "./thresholds/score-table.js";
export {
  type GroupSweep,
  type ThresholdsInput,
  confusionAtThresholds,
  metricAtThresholds,
  sweepGroup,
  sweepMetric,
} from "./thresholds/sweep.js";
export {
  type CurveSummary,
  type PrCurve,
  type RocCurve,
  curveSummary,
  prCurve,
  rocCurve,
} from "./thresholds/curves.js";
export { type DecisionRule, constantRule, ruleProbability, thresholdRule } from "./thresholds/decision-rule.js";
export {
  type GroupPolicy,
  type PolicyTraining,
  THRESHOLD_CONSTRAINTS,
  type ThresholdConstraint,
  type ThresholdObjective,
  ThresholdOptimizer,
  type ThresholdOptimizerOptions,
  type ThresholdPolicyJSON,
} from "./thresholds/threshold-optimizer.js";
export {
  REJECT_OPTION_CRITERIA,
  REJECT_OPTION_METRICS,
  type RejectOptionComparison,
  RejectOptionClassification,
  type RejectOptionFit,
  type RejectOptionGrid,
  type RejectOptionMetric,
  type RejectOptionOptions,
  type RejectOptionPolicyJSON,
  type RejectOptionSearch,
} from "./thresholds/reject-option.js";
export {
  COST_CONSTRAINTS,
  CalibratedEqualizedOdds,
  type CalibratedEqualizedOddsOptions,
  type CalibratedEqualizedOddsPolicyJSON,
  type CeoGroup,
  type CostConstraint,
} from "./thresholds/calibrated-equalized-odds.js";
export { type PolicyJSON, type PolicyModel, policyFromJSON } from "./thresholds/policy-loader.js";
export type { RuleGroup } from "./thresholds/rule-policy.js";
export {
  type GroupThreshold,
  type PerGroupThresholdOptions,
  perGroupThreshold,
} from "./thresholds/per-group-threshold.js";
export { type EqualizeOptions, type EqualizeResult, equalizeThresholds } from "./thresholds/equalize.js";
export {
  type CriterionStatus,
  type ImpossibilityCriterion,
  type ImpossibilityGroup,
  type ImpossibilityOptions,
  type ImpossibilityReport,
  type TradeoffRow,
  impossibilityAnalysis,
  impossibilityFromTable,
} from "./thresholds/impossibility.js";
export {
  type CalibrationParity,
  type CalibrationWithinGroups,
  type GroupEce,
  calibrationParity,
  calibrationWithinGroups,
} from "./thresholds/calibration.js";

// ---------------------------------------------------------------- models
export {
  ConstantEstimator,
  type Estimator,
  type FitOptions,
  type Regressor,
  type RegressorSource,
} from "./models/estimator.js";
export {
  LogisticRegression,
  type LogisticRegressionJSON,
  type LogisticRegressionOptions,
} from "./models/logistic-regression.js";
export { type Matrix, type MatrixInput, matrixToRows, toMatrix } from "./models/matrix.js";
export {
  type CellValue,
  type ColumnEncoding,
  type Table,
  type TabularOptions,
  TabularTransform,
  type TabularTransformJSON,
  fitTabular,
} from "./models/tabular.js";
export { type SplitOptions, trainTestSplit } from "./models/split.js";
export { estimatorFromJSON } from "./models/saved-estimator.js";
export { LinearRegression, type LinearFitOptions, type LinearRegressionJSON } from "./models/linear-regression.js";

// ---------------------------------------------------------------- individual fairness
export {
  type DistanceMetric,
  type NeighborMethod,
  type NeighborOptions,
  type Neighbors,
  nearestNeighbors,
  pairDistance,
  standardizeColumns,
} from "./individual/neighbors.js";
export {
  type ConsistencyOptions,
  type ConsistencyResult,
  type GroupConsistency,
  type InconsistentRow,
  consistency,
} from "./individual/consistency.js";
export {
  type GroupPairs,
  type LipschitzMetric,
  type LipschitzOptions,
  type LipschitzPair,
  type LipschitzResult,
  type PairSummary,
  type SensitiveSubspace,
  type ViolationRate,
  lipschitzAudit,
  sensitiveSubspaceProjection,
} from "./individual/lipschitz.js";

// ---------------------------------------------------------------- counterfactual fairness
export {
  type FittedEquation,
  FittedScm,
  type ScmDeclaration,
  type ScmDeclarationJSON,
  type ScmFitOptions,
  type ScmNodeDeclaration,
  type ScmNodeKind,
  fitScm,
  parseScm,
  scmFromJSON,
  scmText,
} from "./individual/scm.js";
export {
  type PathEffect,
  type PathEffects,
  directedPaths,
  parsePath,
  pathEffect,
  pathEffects,
} from "./individual/paths.js";
export {
  type FairPredictor,
  PREDICTOR_KINDS,
  type PredictorKind,
  type PredictorOptions,
  fitPredictor,
  rmse,
} from "./individual/predictors.js";
export {
  type CounterfactualOptions,
  type CounterfactualPair,
  type CounterfactualResult,
  type FlipOptions,
  type ProxySpec,
  type TableModel,
  counterfactualTest,
  flipTest,
} from "./individual/counterfactual.js";
export {
  type StudyOptions,
  type StudyPredictor,
  type StudyResult,
  counterfactualStudy,
} from "./individual/study.js";
export {
  type IndividualAbout,
  counterfactualDocument,
  counterfactualTestJSON,
  individualDocument,
  studyDocument,
} from "./individual/documents.js";

// ---------------------------------------------------------------- mitigation
export { SavedMitigationModel } from "./mitigation/saved-model.js";
export { type ReweighingOptions, type ReweighingResult, reweighing } from "./mitigation/pre/reweighing.js";
export { type ResampleOptions, type ResampleResult, resample } from "./mitigation/pre/resampling.js";
export {
  CorrelationRemover,
  type CorrelationRemoverJSON,
  type CorrelationRemoverOptions,
} from "./mitigation/pre/correlation-remover.js";
export {
  DisparateImpactRemover,
  type DisparateImpactRemoverJSON,
  type DisparateImpactRemoverOptions,
} from "./mitigation/pre/disparate-impact-remover.js";
export {
  LearnedFairRepresentations,
  type LfrJSON,
  type LfrOptions,
} from "./mitigation/pre/learned-fair-representations.js";
export {
  DemographicParity,
  EqualizedOdds,
  ErrorRateParity,
  FalsePositiveRateParity,
  type FairnessConstraint,
  type ParityOptions,
  TruePositiveRateParity,
} from "./mitigation/in/moments.js";
export {
  ExponentiatedGradient,
  type ExponentiatedGradientJSON,
  type ExponentiatedGradientOptions,
} from "./mitigation/in/exponentiated-gradient.js";
export { GridSearch, type GridSearchJSON, type GridSearchOptions } from "./mitigation/in/grid-search.js";
export {
  AbsoluteLoss,
  BoundedGroupLoss,
  type BoundedGroupLossOptions,
  type GroupLossReport,
  type GroupLossSummary,
  type LossConstraint,
  type LossKind,
  type RegressionLoss,
  SquareLoss,
  ZeroOneLoss,
} from "./mitigation/in/bounded-group-loss.js";
export {
  ExponentiatedGradientRegressor,
  type ExponentiatedGradientRegressorDiagnostics,
  type ExponentiatedGradientRegressorJSON,
  type ExponentiatedGradientRegressorOptions,
  type RegressionFitOptions,
  regressorFromJSON,
} from "./mitigation/in/exponentiated-gradient-regressor.js";
export {
  GridSearchRegressor,
  type GridSearchRegressorJSON,
  type GridSearchRegressorOptions,
} from "./mitigation/in/grid-search-regressor.js";
export { expectedConfusion } from "./mitigation/expected-confusion.js";
export {
  type CompareOptions,
  type ComparisonInput,
  type ComparisonResult,
  comparisonDocument,
  methodDocument,
  type Estimate,
  MITIGATION_METHODS,
  type MitigationMethod,
  type MethodResult,
  compareMitigations,
  paretoFront,
} from "./mitigation/compare.js";

// ---------------------------------------------------------------- audits, regulation and reports
export {
  type FourFifthsOptions,
  type FourFifthsResult,
  type FourFifthsRow,
  type SelectionCount,
  favourableCounts,
  fourFifthsRule,
  selectionCounts,
} from "./audit/four-fifths.js";
export { type LL144Options, type LL144Result, type LL144Row, type LL144Table, ll144Tables } from "./audit/ll144.js";
export {
  type LL144Card,
  type LL144Section,
  type LL144Summary,
  buildLL144Section,
  buildLL144Summary,
  prepareLL144Columns,
} from "./audit/ll144-summary.js";
export { EEO1_RACE_ETHNICITY_CATEGORIES, EEO1_SEX_CATEGORIES } from "./schemas/card.js";
export {
  type Subgroup,
  type SubgroupDiscoveryOptions,
  type SubgroupDiscoveryResult,
  discoverSubgroups,
} from "./audit/subgroup-discovery.js";
export { type BiasSourcesOptions, type BiasSourcesResult, biasSources } from "./audit/bias-sources.js";
export { type CardFile, type ModelCard, buildModelCard, checkCardFile } from "./audit/model-card.js";
export { type ColumnProfile, type Datasheet, buildDatasheet, profileColumns } from "./audit/datasheet.js";
export { type Provenance, type ReportData, type ReportDataInput, buildReportData } from "./audit/report-data.js";
export { renderHtml } from "./report/html.js";
export { renderMarkdown } from "./report/markdown.js";
export { renderJson } from "./report/json.js";
export { type LL144SummaryPage, renderLL144SummaryHtml, renderLL144SummaryMarkdown } from "./report/ll144-summary.js";
