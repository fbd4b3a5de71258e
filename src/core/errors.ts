/**
 * Errors and warnings. Every error message of the core (src/, outside src/node) is built here, by
 * a builder in `messages`, so that the tests can assert on them and every face (library, CLI, web)
 * says the same thing about the same mistake; only internal assertions ("internal: …") are not.
 * The Node readers' messages (files, columns, rows) are in src/node/io/messages.ts; CLI usage
 * messages are in the commands that check the options (and the shared option parsers of
 * src/node/cli/options.ts). Warnings are built where they are found, except the single-group ones
 * (`singleGroup`, `singleLevel`).
 */

/** Machine-readable reason for a {@link FairkitError}. */
export type FairkitErrorCode =
  | "EMPTY_INPUT"
  | "LENGTH_MISMATCH"
  | "NOT_BINARY"
  | "MISSING_LABEL"
  | "BAD_WEIGHT"
  | "BAD_SCORE"
  | "UNKNOWN_GROUP"
  | "UNKNOWN_METRIC"
  | "BAD_ARGUMENT"
  | "NEEDS_ROWS"
  | "BAD_FILE"
  | "MISSING_COLUMN"
  /** A service fairkit called (a scorer or generator endpoint) refused or did not answer. */
  | "SERVICE_ERROR";

/** Where an error was found: the argument (or column), and the row when one row is to blame. */
export interface ErrorLocation {
  argument?: string;
  /**
   * The row to blame: a 0-based index into the arrays given to a library function (messages say
   * "at index N"); for a file read by `@fairkit/node`, the 1-based data row the message names.
   */
  row?: number;
  file?: string;
}

/** The one error type fairkit throws for bad input. `code` says why; `location` says where. */
export class FairkitError extends Error {
  readonly code: FairkitErrorCode;
  readonly location: ErrorLocation;
  constructor(code: FairkitErrorCode, message: string, location: ErrorLocation = {}) {
    super(message);
    this.name = "FairkitError";
    this.code = code;
    this.location = location;
  }
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" && Number.isNaN(value)) return "NaN";
  return String(value);
}

/** A value as a schema problem shows it: JSON, cut at 60 characters; `nothing` for undefined. */
function showJson(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const TYPE_WORDS: Record<string, string> = {
  object: "an object",
  array: "an array",
  string: "text",
  number: "a finite number",
  integer: "a whole number",
  boolean: "true or false",
  null: "null",
};

/** JSON type names in words: `an object or null`. */
function describeTypes(types: readonly string[]): string {
  return types.map((t) => TYPE_WORDS[t]).join(" or ");
}

/** `"a", "b"`: names quoted and listed. */
function quoted(names: readonly unknown[]): string {
  return names.map((name) => JSON.stringify(name)).join(", ");
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Message builders (constants with holes), shared by the engine and asserted by the tests. */
export const messages = {
  // Input validation: columns, labels, weights and scores.
  empty: (argument: string) => `${argument} is empty: there are no rows to measure`,
  lengthMismatch: (argument: string, length: number, expectedArgument: string, expected: number) =>
    `${argument} has ${length} rows but ${expectedArgument} has ${expected}: every column must have one value per row`,
  notBinary: (argument: string, found: readonly unknown[], row: number) =>
    `${argument} must be binary (0/1 or true/false); found ${found.length} distinct values (${found
      .slice(0, 5)
      .map(show)
      .join(
        ", ",
      )}${found.length > 5 ? ", …" : ""}), the first that is not 0/1 at index ${row}. Pass posLabel to say which value is positive`,
  posLabelAbsent: (argument: string, posArgument: string, posLabel: unknown, found: readonly unknown[]) =>
    `${argument} never holds ${posArgument} ${show(posLabel)}; its values include ${found
      .slice(0, 5)
      .map(show)
      .join(
        ", ",
      )}${found.length > 5 ? ", …" : ""}: name a value that occurs (values are compared exactly, case included)`,
  missingLabel: (argument: string, row: number, value: unknown) =>
    `${argument} has a missing value (${show(value)}) at index ${row}: labels and decisions must be present on every row`,
  badWeight: (argument: string, row: number, value: unknown) =>
    `${argument} must be a finite number >= 0; found ${show(value)} at index ${row}`,
  badScore: (argument: string, row: number, value: unknown) =>
    `${argument} must be a finite number; found ${show(value)} at index ${row}`,
  scoreNotProbability: (argument: string, row: number, value: unknown) =>
    `${argument} must be a probability in [0, 1]; found ${show(value)} at index ${row}`,
  probabilityOutOfRange: (row: number, value: number) =>
    `probability must be in [0, 1]; found ${value} at index ${row}`,

  // Input validation: options.
  notPositiveInteger: (argument: string, value: unknown) => `${argument} must be a positive integer; got ${value}`,
  negative: (argument: string, value: unknown) => `${argument} must be >= 0; got ${value}`,
  notFiniteNonNegative: (argument: string, value: unknown) => `${argument} must be a finite number >= 0; got ${value}`,
  notPositive: (argument: string, value: unknown) => `${argument} must be > 0; got ${value}`,
  notFinite: (argument: string, value: unknown) => `${argument} must be a finite number; got ${value}`,
  notBetweenZeroAndOne: (argument: string, value: unknown) => `${argument} must be between 0 and 1; got ${value}`,
  /** `range` as written in the message: `(0, 1]`. */
  notInRange: (argument: string, range: string, value: unknown) => `${argument} must be in ${range}; got ${value}`,
  badTolerance: (value: unknown) => `tolerance must be a number >= 0; got ${value}`,
  badZeroDivision: (value: unknown) => `zeroDivision must be "nan", 0 or 1; got ${String(value)}`,
  unknownIntervals: (value: unknown) => `intervals must be wilson, bootstrap or none; got ${String(value)}`,
  badMaxDepth: (value: unknown) => `maxDepth must be 1, 2 or 3; got ${value}`,
  badGridSize: (value: unknown) => `gridSize must be an integer >= 2; got ${value}`,
  unknownMode: (mode: unknown) => `mode must be at_least, at_most or closest; got ${JSON.stringify(mode)}`,
  unknownDecisionMeaning: (meaning: unknown, known: readonly string[]) =>
    `positiveDecision must be ${known.map((m) => JSON.stringify(m)).join(" or ")}; got ${JSON.stringify(meaning)}`,

  // Groups: sensitive features, levels, reference groups, groups seen when fitting.
  badSensitiveFeatures: (input: unknown) =>
    `sensitiveFeatures must be a column (an array) or an object of named columns; got ${input === null ? "null" : typeof input}`,
  /** `argument` names no column: `sensitiveFeatures`, `sensitiveColumns`. */
  namesNoColumn: (argument: string) => `${argument} names no column`,
  notAnArray: (argument: string) => `sensitive feature ${JSON.stringify(argument)} is not an array of values`,
  sameLabel: (argument: string, first: string, second: string, label: string) =>
    `sensitive feature ${show(argument)} holds both ${first} and ${second}, different values that would show as the same group ${show(label)}: give the column one type (e.g. all text)`,
  badLevel: (argument: string, index: number, value: unknown) =>
    `sensitive feature ${show(argument)} has level ${show(value)} at levels[${index}]: levels must be text, numbers or booleans (mark a missing value with a negative code)`,
  duplicateLevel: (argument: string, label: string, first: number, second: number) =>
    `sensitive feature ${show(argument)} lists the level ${show(label)} twice (levels[${first}] and levels[${second}]): each level must be distinct`,
  badCode: (argument: string, code: number, row: number, levels: number) =>
    `sensitive feature ${JSON.stringify(argument)} has code ${code} at index ${row}, but only ${levels} levels`,
  badValue: (argument: string, value: unknown) =>
    `sensitive feature ${show(argument)} holds ${typeof value === "bigint" ? `the bigint ${value}` : `a value of type ${value === null ? "null" : typeof value}`}: values must be text, numbers or booleans`,
  sensitiveAndControl: (name: string) => `${JSON.stringify(name)} is both a sensitive and a control feature`,
  unknownGroup: (reference: string, known: readonly string[]) =>
    `unknown reference group ${show(reference)}; the groups are ${known.map(show).join(", ")}`,
  referenceColumns: (given: readonly string[], columns: readonly string[]) =>
    `the reference group names the columns ${given.map(show).join(", ")}, but the groups are over ${columns.map(show).join(", ")}`,
  mixedTypes: (label: string, column: string, first: string, second: string) =>
    `group ${show(label)} has ${first} for ${show(column)} in one table and ${second} in the other: counts can only be merged when a column's values have one type`,
  /** Rows over other sensitive columns than the fitted `what` (a model, a remover). */
  otherSensitiveColumns: (what: string, fitted: readonly string[], given: readonly string[]) =>
    `the ${what} was fitted on the sensitive columns ${quoted(fitted)}; these rows have ${quoted(given)}`,
  /** `sameShown`: the values of a fitted group shown with the same label, described, if there is one. */
  unseenGroup: (label: string, what: string, sameShown: readonly string[] | undefined, fitted: readonly string[]) =>
    `group ${JSON.stringify(label)} was not seen when the ${what} was fitted${sameShown ? ` (the ${what} has a group shown the same way, with values of another type: ${sameShown.join(", ")})` : ""}; fitted groups: ${quoted(fitted)}`,
  singleGroup: (label: string) =>
    `every row is in one group (${show(label)}): there is nothing to compare, so every criterion is undefined; check the sensitive column(s) and the filter`,
  singleLevel: (column: string, label: string) =>
    `sensitive column ${show(column)} has one value (${show(label)}) in these rows: it splits no one, so it compares nothing`,

  // Metrics and criteria.
  unknownMetric: (name: string, known: readonly string[]) =>
    `unknown metric ${show(name)}; known metrics: ${known.join(", ")}`,
  namesNoMetric: () => "metrics names no metric",
  unknownCriterion: (name: unknown, known: readonly string[]) =>
    `unknown criterion ${JSON.stringify(name)}; known: ${known.join(", ")}`,
  unknownDisparityMethod: (method: unknown) => `unknown disparity method ${JSON.stringify(method)}`,
  needsReference: () => "method to_reference needs a reference group",
  needsRows: (what: string) => `${what} needs row-level data, but this result was built from aggregated counts`,
  disparityIntervalsNeedBootstrap: () => "intervals of differences and ratios need the bootstrap option",
  fisherNeedsCounts: (cell: string, value: unknown) =>
    `Fisher's exact test needs whole non-negative counts; cell ${cell} is ${value}`,

  cellBootstrapNeedsCounts: () =>
    `bootstrap.method "cells" draws cell counts, which a custom metric cannot be computed from: use "rows" (or "auto")`,

  // Counts: confusion tables and score tables, built, checked, read back and merged.
  /** `what`: `counts` or `score tables`. */
  mergeColumns: (what: string, first: readonly string[], second: readonly string[]) =>
    `cannot merge ${what} over different sensitive columns (${first.join(", ")} vs ${second.join(", ")})`,
  sumOverflow: (
    what: string,
    sum: string,
    group: string | number,
    cell: string,
    value: number,
    fix = "rescale sampleWeight (e.g. divide it by its maximum)",
  ) =>
    `${what}: the ${sum} of group ${JSON.stringify(group)}, cell ${cell}, is ${value}: the weights are too large to add up in double precision; ${fix}`,
  scoreWeightsOverflow: (group: string, total: number, squares: number) =>
    `the weights of group ${JSON.stringify(group)} sum to ${total} (squares ${squares}): too large to add up in double precision; rescale sampleWeight (e.g. divide by its maximum)`,
  notConfusionTable: (what: string) => `${what}: not a confusion table (expected { columns, groups, data })`,
  countsDataType: (what: string, stride: number) => `${what}: data must be a Float64Array of ${stride} sums per group`,
  countsDataLength: (what: string, length: number, groups: number, stride: number) =>
    `${what}: data has ${length} numbers but ${groups} groups need ${groups * stride} (${stride} per group: weight, squared weight and rows for TN, FP, FN, TP)`,
  groupWithoutValues: (what: string, index: number) => `${what}: groups[${index}] has no values`,
  wrongGroupLabel: (what: string, index: number, label: unknown, expected: string) =>
    `${what}: groups[${index}] has the label ${JSON.stringify(label)} but its values give ${JSON.stringify(expected)}: build labels with groupLabel`,
  repeatedGroup: (what: string, label: string) =>
    `${what}: two groups have the values ${label}: each group must appear once`,
  weightWithoutRows: (what: string, group: string, cell: string, weight: number) =>
    `${what}: group ${JSON.stringify(group)}, cell ${cell}: has weight ${weight} but 0 rows`,
  badSum: (what: string, group: string, cell: string, sum: string, value: unknown) =>
    `${what}: group ${JSON.stringify(group)}, cell ${cell}: the ${sum} is ${String(value)}; it must be a finite number >= 0`,
  groupArity: (what: string, index: number, values: number, columns: readonly string[]) =>
    `${what}: groups[${index}].group has ${values} values but there are ${columns.length} columns (${columns.join(", ")})`,
  noSuchGroup: (index: number, groups: number) => `no group ${index} in a table of ${groups}`,

  // Thresholds and policies.
  unknownConstraint: (name: unknown, known: readonly string[], aliases: readonly string[]) =>
    `unknown constraint ${JSON.stringify(name)}; known: ${known.join(", ")} (aliases: ${aliases.join(", ")})`,
  unknownObjective: (objective: unknown) =>
    `unknown objective ${JSON.stringify(objective)}; known: accuracy, balanced_accuracy`,
  noGroups: () => "the score table has no groups",
  thresholdNaN: () => "threshold is NaN",
  noThresholdForGroup: (group: string, named: readonly string[]) =>
    `no threshold given for group ${JSON.stringify(group)}; thresholds name ${quoted(named)}`,
  oneClassGroup: (group: string, hasPositives: boolean) =>
    `group ${JSON.stringify(group)} has ${hasPositives ? "no negative" : "no positive"} labels (by weight): its ROC curve, and any threshold rule on it, is undefined`,
  undefinedAtEveryThreshold: (metric: string, group: string) =>
    `${metric} is undefined at every threshold in group ${JSON.stringify(group)}`,
  scoresNotProbabilities: () =>
    "scores are not probabilities in [0, 1]: give thresholds (e.g. thresholds: 5 for COMPAS decile scores)",
  originInfeasible: () => "solveLinearProgram needs b >= 0 (the origin must be feasible)",
  /** A saved policy's decision rule at `where` is malformed; `why` is one of the rule builders below. */
  badRule: (where: string, why: string) => `${where}: ${why}`,
  ruleNotObject: () => "a decision rule is { cuts: [...], probabilities: [...] }",
  ruleLengths: (cuts: number, probabilities: number) =>
    `has ${plural(cuts, "cut", "cuts")} and ${plural(probabilities, "probability", "probabilities")}; it needs one more probability than cuts`,
  ruleCutNotFinite: (index: number, cut: unknown) =>
    `cuts[${index}] is ${JSON.stringify(cut)}; cuts must be finite numbers`,
  ruleCutsNotAscending: (index: number, cut: number, previous: number) =>
    `cuts[${index}] = ${cut} is not above cuts[${index - 1}] = ${previous}; cuts must be strictly ascending`,
  ruleProbabilityOutOfRange: (index: number, probability: unknown) =>
    `probabilities[${index}] is ${JSON.stringify(probability)}; probabilities must lie in [0, 1]`,
  policyGroupArity: (what: string, index: number, values: number, columns: readonly string[]) =>
    `${what}: groups[${index}].group has ${plural(values, "value", "values")} but the policy has ${plural(columns.length, "column", "columns")} (${columns.join(", ")})`,
  policyRepeatedGroup: (what: string, first: number, index: number, label: string) =>
    `${what}: groups[${first}] and groups[${index}] are the same group ${JSON.stringify(label)}: each group must have one rule`,
  policySameLabel: (what: string, label: string) =>
    `${what}: two groups show as ${JSON.stringify(label)} (values of different types in one column): give each column one type`,
  policyMethodField: (what: string, method: string, field: string) =>
    `${what}: a ${method} policy needs ${field}; the document has none (was it edited by hand?)`,
  policySettingsGroups: (what: string, index: number, label: string, expected: string) =>
    `${what}: settings.groups[${index}] is group ${JSON.stringify(label)} but groups[${index}] is ${JSON.stringify(expected)}: list the groups in the same order in both`,
  policyWrongMethod: (what: string, method: unknown, reader: string) =>
    `${what}: a ${JSON.stringify(method)} policy cannot be read by ${reader}: read it with policyFromJSON`,
  /** A choice option with a value it does not know: `metric must be one of a, b; got "x"`. */
  unknownChoice: (argument: string, value: unknown, known: readonly string[]) =>
    `${argument} must be one of ${known.join(", ")}; got ${JSON.stringify(value)}`,
  rocBounds: (lower: unknown, upper: unknown) =>
    `lowerBound (${lower}) must be a finite number <= upperBound (${upper}): the metric must fit between them`,
  rocUnknownGroup: (label: string, known: readonly string[]) =>
    `privileged names the group ${JSON.stringify(label)}, which the data does not have; groups: ${quoted(known)}`,
  rocEveryGroupPrivileged: (known: readonly string[]) =>
    `privileged names every group (${quoted(known)}): leave at least one group unprivileged, or reject-option classification changes no one's decision in a fair direction`,
  rocNoPrivileged: () => 'privileged names no group: name at least one (e.g. privileged: ["Male"])',
  rocMetricUndefined: (metric: string, group: string, missing: string) =>
    `${metric} is undefined for group ${JSON.stringify(group)}: it has no ${missing} (by weight); choose statistical_parity_difference, or leave the group out`,
  rocInfeasible: (metric: string, lower: number, upper: number, search: string, nearest: number) =>
    `no classification threshold and margin (${search} search) keeps ${metric} within [${lower}, ${upper}]; the nearest it gets is ${nearest}: widen the bounds, check which groups are privileged and which decision is favourable, or try search "exact"`,
  rocBadGrid: (field: string, value: unknown, why: string) => `grid.${field} ${why}; got ${value}`,
  ceoScoreNotProbability: (group: string, score: number) =>
    `calibrated equalized odds needs calibrated probabilities in [0, 1]; group ${JSON.stringify(group)} has the score ${score}: calibrate the scores first (e.g. fairkit's calibration tools), or rescale them`,
  ceoUndefinedCost: (group: string, missing: string) =>
    `the generalized cost of group ${JSON.stringify(group)} is undefined: it has no ${missing} (by weight); use the cost constraint "weighted", or leave the group out`,
  ceoInfeasible: (group: string, cost: number, trivial: number, target: number, worst: string) =>
    `calibrated equalized odds is infeasible: group ${JSON.stringify(group)} has generalized cost ${cost}, and even its trivial (base-rate) score costs only ${trivial}, below the worst group's ${target} (${JSON.stringify(worst)}); no mix of its scores with its base rate reaches it: try another cost constraint, or leave the group out`,

  // Models and mitigation: matrices, tables, estimators, mitigators and their saved forms.
  matrixShape: (argument: string, values: number, rows: number, cols: number) =>
    `${argument} has ${values} values but shape ${rows}×${cols}`,
  raggedRow: (argument: string, row: number, values: number, cols: number) =>
    `${argument} row ${row} has ${values} values but row 0 has ${cols}`,
  nonFiniteFeature: (argument: string, value: number, row: number, col: number) =>
    `${argument} has a non-finite value (${value}) at index ${row}, column ${col}`,
  nothingToLearn: (argument: string) => `${argument} is empty: there are no rows to learn from`,
  rowsDiffer: (argument: string, length: number, expectedArgument: string, expected: number) =>
    `${argument} has ${length} rows but ${expectedArgument} has ${expected}`,
  labelNotBit: (argument: string, value: unknown, row: number) =>
    `${argument} must be 0/1; found ${value} at index ${row}`,
  /** X's width is not the fitted one; `unfitted` adds a hint that the model may not be fitted at all. */
  fittedWidth: (model: string, cols: number, fitted: number, unfitted = false) =>
    `X has ${cols} columns but the ${model} was fitted on ${fitted}${unfitted ? " (is it fitted?)" : ""}`,
  /** `call`: what to call first (`fit`, `fit() or fromJSON()`). */
  notFitted: (model: string, call = "fit") => `${model} is not fitted: call ${call} first`,
  notCloneable: () =>
    "estimator has no clone() method, and this mitigation fits several models: pass a factory such as () => new MyModel() instead",
  /** `oldName`: the kind is fairkit 0.1's name for a built-in kind. */
  unknownEstimatorKind: (what: string, kind: unknown, oldName: boolean, version: string) =>
    `${what}: cannot read a saved estimator of kind ${JSON.stringify(kind)}${oldName ? ` (${JSON.stringify(kind)} is fairkit 0.1's name: save the model again with fairkit ${version})` : ""}; built-in kinds: fairkit.logistic_regression, fairkit.constant_estimator`,
  noSuchColumn: (name: string) => `the table has no column ${JSON.stringify(name)}`,
  columnLengths: (name: string, length: number, first: string, expected: number) =>
    `column ${JSON.stringify(name)} has ${length} rows but ${JSON.stringify(first)} has ${expected}`,
  notNumeric: (name: string, value: unknown, row: number) =>
    `column ${JSON.stringify(name)} is numeric but has ${JSON.stringify(value)} at index ${row}`,
  noFeatures: () => "no feature columns left to encode",
  splitTooSmall: (n: number) => `a split needs at least 2 rows; got ${n}`,

  // Learned representations: proxy leakage, concept erasure (src/learned/).
  attributeOneLevel: (argument: string, level: string) =>
    `${argument} has one level (${show(level)}) on the rows where it is present: there is nothing to predict`,
  attributeAllMissing: (argument: string) => `${argument} is missing on every row: there is nothing to predict`,
  sensitiveIsFeature: (column: string) =>
    `column ${JSON.stringify(column)} is the sensitive attribute (or the label) and cannot also be a feature: leave it out of features`,
  columnNamesCount: (names: number, cols: number) =>
    `columns names ${names} columns but X has ${cols}: give one name per column`,
  statisticsDiffer: (what: string, a: string, b: string) => `cannot merge ${what}: one has ${a}, the other ${b}`,
  conceptWidth: (argument: string, cols: number, fitted: number) =>
    `${argument} has ${cols} columns but the statistics hold ${fitted} concept columns`,
  missingLabelValue: (column: string, row: number) =>
    `label ${JSON.stringify(column)} has a missing value at index ${row}`,
  labelNotNatural: (column: string, value: unknown, row: number) =>
    `label ${JSON.stringify(column)} must be 0/1 or true/false without posLabel; found ${JSON.stringify(value)} at index ${row}`,
  /**
   * The label has one class: `count` positives, counted with `posLabels` when given (`seen`: some of
   * the values, to show when no value matches).
   */
  oneClass: (column: string, count: number, posLabels: readonly string[] | undefined, seen: readonly string[]) =>
    `label ${JSON.stringify(column)}: ${
      posLabels
        ? count === 0
          ? `no row has a positive label (posLabel ${quoted(posLabels)} matches no value; the values are ${quoted(seen)})`
          : "every row has a positive label (posLabel matches every value)"
        : `every row has the label ${count === 0 ? 0 : 1}`
    }: a model needs both classes to learn from`,
  noSensitiveColumn: () => "name at least one sensitive column",
  unknownMethod: (method: unknown, known: readonly string[]) =>
    `unknown method ${JSON.stringify(method)}; known methods: ${known.join(", ")}`,
  /** `what`: `column` or `sensitive column`. */
  notAColumnOfX: (column: number, cols: number, what = "column") =>
    `${what} ${column} is not a column of X (it has ${cols})`,
  fitNeedsSensitive: () => "fit needs sensitiveFeatures: the group of every training row",
  bothBounds: () => "give differenceBound or ratioBound, not both",
  unknownResamplingMethod: (method: unknown) => `method must be uniform or preferential; got ${JSON.stringify(method)}`,
  preferentialNeedsScores: () =>
    "preferential resampling needs scores: a ranker's score per row (e.g. a model's predictProba)",
  /** `model`: `GridSearch`, `mixture`. */
  notRefittable: (model: string) => `a ${model} read from JSON cannot be refitted`,
  bestNotSaveable: () => "the best estimator has no toJSON(): it cannot be saved",
  baseNotSaveable: () => "a base estimator has no toJSON(): the mixture cannot be saved",
  bestIndexOutOfRange: (what: string, index: number, points: number) =>
    `${what}: best_index ${index} is not one of the ${points} points`,
  mixtureWeightCount: (what: string, predictors: number, weights: number) =>
    `${what}: ${predictors} predictors need as many weights; got ${weights}`,
  mixtureWeightSum: (what: string, total: number) =>
    `${what}: the weights are mixing probabilities and must sum to 1; they sum to ${total}`,
  /** A regression loss's clipping range is empty or not numbers. */
  lossRange: (min: unknown, max: unknown) =>
    `a loss needs min < max (the range y and predictions are clipped to); got min ${min}, max ${max}: pass the range y can take, e.g. new SquareLoss(minY, maxY), or -Infinity and Infinity for no clipping`,
  /** `model`: `ExponentiatedGradientRegressor`. */
  needsUpperBound: (model: string) =>
    `${model} needs a bound on every group's loss: new BoundedGroupLoss(loss, { upperBound }) (GridSearchRegressor works without one)`,
  unknownRegressorKind: (what: string, kind: unknown) =>
    `${what}: cannot read a saved regressor of kind ${JSON.stringify(kind)}; built-in kind: fairkit.linear_regression (pass a decode function for your own)`,
  correlationSizes: (what: string, sensitive: number, inputColumns: number, means: number, beta: number) =>
    `${what}: sizes disagree: ${sensitive} sensitive columns of ${inputColumns} need ${sensitive} means and ${sensitive * (inputColumns - sensitive)} beta entries; got ${means} and ${beta}`,
  representationSizes: (what: string, prototypes: number, features: number) =>
    `${what}: sizes disagree: ${prototypes} prototypes need ${prototypes} predictions and ${features} values each (one per feature weight)`,
  /** A saved disparate impact remover is inconsistent; `why` is one of the remover builders below. */
  badRemover: (what: string, why: string) => `${what}: ${why}`,
  removerGridCount: (columns: number, medians: number, quantiles: number) =>
    `${columns} columns need as many median and quantile grids; got ${medians} and ${quantiles}`,
  removerGroupGrids: (column: number, grids: number, groups: number) =>
    `quantiles[${column}] has ${grids} grids for ${groups} groups`,
  removerGridPoints: (points: number) => `every grid must have ${points} points`,
  removerGroupArity: (index: number, values: number, columns: number) =>
    `groups[${index}] has ${values} values for ${columns} sensitive columns`,

  // Individual fairness: neighbours, consistency, Lipschitz audits.
  /** `selfExcluded`: includeSelf is false, so each row has one candidate fewer than X has rows. */
  tooManyNeighbors: (k: number, available: number, rows: number, selfExcluded: boolean) =>
    `k is ${k} but ${selfExcluded ? `each row has only ${available} other rows (X has ${rows} rows and includeSelf is false)` : `X has only ${rows} rows`}: k may be at most ${available}`,
  lipschitzTooManyNeighbors: (k: number, rows: number) =>
    `k is ${k} but X has ${rows} rows, and the Lipschitz audit pairs each row with others only (never itself): k may be at most ${rows - 1}`,
  queriesWidth: (cols: number, expected: number) =>
    `queries has ${cols} columns but X has ${expected}: neighbours are searched in X's feature space`,
  /** An option that takes one of a few values (`metric`, `method`, `metric.kind`, `metric.p`). */
  notOneOf: (argument: string, known: readonly unknown[], value: unknown) =>
    `${argument} must be ${known.map(showJson).join(" or ")}; got ${showJson(value)}`,
  notNonNegativeInteger: (argument: string, value: unknown) => `${argument} must be a whole number >= 0; got ${value}`,
  /** A per-column option (`metric.weights`, `featureNames`) of the wrong length. */
  perColumnCount: (argument: string, given: number, cols: number) =>
    `${argument} has ${given} values but X has ${cols} columns: give one per column`,

  // Demo data.
  demoNoGroups: () => "demo needs at least one group",
  demoGroupSize: (group: string, size: unknown) => `group ${group}: size must be a positive integer; got ${size}`,
  demoBaseRate: (group: string, baseRate: unknown) => `group ${group}: baseRate must be in (0, 1); got ${baseRate}`,
  demoSeparation: (group: string, separation: unknown) => `group ${group}: separation must be > 0; got ${separation}`,

  // Schemas: the first problem of a document, by its path (`$.groups[2].rule`), then the document's.
  /** A problem at `$...` as the document `what` reports it: `policy: groups[1].rule: ...`. */
  schemaProblem: (what: string, problem: string) =>
    problem.startsWith("$: ")
      ? `${what}: ${problem.slice(3)}`
      : `${what}: ${problem.slice(problem.startsWith("$.") ? 2 : 1)}`,
  schemaType: (path: string, types: readonly string[], value: unknown) =>
    `${path}: must be ${describeTypes(types)}; got ${showJson(value)}`,
  schemaConst: (path: string, expected: unknown, value: unknown) =>
    `${path}: must be ${showJson(expected)}; got ${showJson(value)}`,
  schemaEnum: (path: string, options: readonly unknown[], value: unknown) =>
    `${path}: must be one of ${options.map(showJson).join(", ")}; got ${showJson(value)}`,
  schemaMinimum: (path: string, minimum: number, value: unknown) =>
    `${path}: must be >= ${minimum}; got ${showJson(value)}`,
  schemaExclusiveMinimum: (path: string, minimum: number, value: unknown) =>
    `${path}: must be > ${minimum}; got ${showJson(value)}`,
  schemaMaximum: (path: string, maximum: number, value: unknown) =>
    `${path}: must be <= ${maximum}; got ${showJson(value)}`,
  schemaMinLength: (path: string, minLength: number, value: unknown) =>
    `${path}: must have at least ${plural(minLength, "character", "characters")}; got ${showJson(value)}`,
  schemaMinItems: (path: string, minItems: number, length: number) =>
    `${path}: must have at least ${plural(minItems, "item", "items")}; got ${length}`,
  schemaMaxItems: (path: string, maxItems: number, length: number) =>
    `${path}: must have at most ${plural(maxItems, "item", "items")}; got ${length}`,
  schemaMissingField: (path: string, name: string) => `${path}: the field ${JSON.stringify(name)} is missing`,
  schemaUnknownField: (path: string, name: string, known: readonly string[]) =>
    `${path}: unknown field ${JSON.stringify(name)}; known fields: ${known.join(", ")}`,

  // Counterfactual fairness: structural causal models, their predictors, flip and counterfactual tests.
  allWeightsZero: (argument: string) => `${argument}: every weight is 0: there is nothing to fit`,
  scmBadName: (name: string) =>
    `${JSON.stringify(name)} is not a node name (letters, digits, _ . -, starting with a letter or _)`,
  scmNoParents: (child: string) => `${child} <- needs at least one parent: write "${child} <- A + B"`,
  scmRepeatedParent: (child: string) => `the equation of ${child} names a parent twice`,
  scmSelfParent: (child: string) => `${child} cannot be its own parent`,
  scmTwoEquations: (child: string, line: number) => `${child} already has an equation (line ${line})`,
  scmSyntax: (body: string) =>
    `cannot read ${JSON.stringify(body)}: write "NAME: numeric|categorical|latent" or "CHILD <- PARENT + PARENT"`,
  scmUnknownKind: (kind: unknown, kinds: readonly string[]) =>
    `unknown node kind ${JSON.stringify(kind)}; known kinds: ${kinds.join(", ")}`,
  scmTwoKinds: (name: string, line: number) => `the kind of ${name} is already declared (line ${line})`,
  scmNotJson: (what: string) =>
    `${what}: not a model: expected { "kind": "fairkit.scm", "schema_version": 1, "nodes": [...] }`,
  scmLatentWithParents: (name: string) => `${name} is latent, and a latent node is a root: it cannot have an equation`,
  scmCategoricalChild: (name: string) =>
    `${name} is categorical, and in a linear-Gaussian model categorical nodes are exogenous (roots): remove its equation or declare it numeric`,
  scmNoEquations: () => 'the model has no equation: write at least one line such as "Y <- A + X"',
  scmCycle: (cycle: readonly string[]) =>
    `the arrows form a cycle (${cycle.join(" -> ")}): a causal model must be acyclic`,
  scmNotCategorical: (name: string) =>
    `${name} is not a categorical node of the model: declare it "${name}: categorical"`,
  scmUnknownNode: (name: string, known: readonly string[]) =>
    `${JSON.stringify(name)} is not a node of the model; its nodes: ${known.join(", ")}`,
  scmNoEquation: (node: string) => `${node} has no equation in the model (it is exogenous)`,
  scmUnknownLevel: (node: string, value: string, levels: readonly string[], row?: number) =>
    `${node} has no level ${JSON.stringify(value)}${row === undefined ? "" : ` (index ${row})`} in the data the model was fitted on; its levels: ${levels
      .slice(0, 12)
      .map((l) => JSON.stringify(l))
      .join(", ")}${levels.length > 12 ? ", …" : ""}`,
  scmSetLatent: (name: string) => `${name} is latent: a counterfactual sets observed nodes only`,
  scmNoLatent: () => 'the model has no latent node: declare one ("K: latent") and make it a parent',
  scmNotLatentChild: (node: string, latents: readonly string[]) =>
    `${node} is not a child of a latent node (${latents.join(", ")}): it says nothing about them`,
  scmLatentFeature: (name: string) => `${name} is latent: it has no column to read`,
  scmMissingLevel: (name: string, row: number) =>
    `categorical node ${name} has a missing value at index ${row}: a causal model needs every node on every row`,
  singleLevelNode: (name: string, level: string | undefined) =>
    `${name} has a single level (${JSON.stringify(level ?? "")}): there is nothing to compare it with`,
  scmNoEdge: (u: string, v: string) => `the model has no arrow ${u} -> ${v}`,
  scmShortPath: (path: string) => `${JSON.stringify(path)} is not a path: write at least two nodes, A -> B`,
  unknownPredictor: (kind: unknown, known: readonly string[]) =>
    `unknown predictor ${JSON.stringify(kind)}; known: ${known.join(", ")}`,
  scmTargetNotNumeric: (target: string) => `the target ${target} must be a numeric node of the model`,
  scmFeatureAfterTarget: (feature: string, target: string) =>
    `${feature} is ${feature === target ? "the target" : `a descendant of the target ${target}`}: it cannot be a feature`,
  scmSensitiveFeature: (feature: string, kind: string) =>
    `${feature} is protected: the ${kind} predictor does not read protected attributes`,
  scmLatentUnseen: (target: string) =>
    `no latent node has a child other than ${target} (and its descendants): the latent predictor has nothing to infer the latent from`,
  scmTargetHasLatent: (target: string) =>
    `${target} has a latent parent: the paths predictor needs its equation in observed parents only`,
  scmNoUnfairPaths: () => "the paths predictor needs the unfair paths: e.g. race->ZFYA or race->LSAT->ZFYA",
  scmPathEnds: (path: string, sensitive: readonly string[], target: string) =>
    `the path ${path} must start at a protected attribute (${sensitive.join(", ")}) and end at the target ${target}`,
  modelOutputLength: (what: string, length: number, rows: number) =>
    `${what} returned ${length} values for ${rows} rows: it must return one per row, in order`,
  modelOutputValue: (what: string, value: unknown, row: number) =>
    `${what} returned ${show(value)} at index ${row}: every output must be a finite number`,
  proxyIsAttribute: (column: string) => `${column} is the attribute itself, not a proxy`,
  attributeMissing: (attribute: string, row: number) =>
    `${attribute} has a missing value at index ${row}: every row needs a level to be moved from (drop or fill such rows first)`,
  unknownLevelOf: (attribute: string, value: string, levels: readonly string[]) =>
    `${attribute} has no level ${JSON.stringify(value)}; its levels: ${levels.map((l) => JSON.stringify(l)).join(", ")}`,
  swapSelf: (column: string, value: string) =>
    `proxy ${column}: swapping ${JSON.stringify(value)} with itself changes nothing`,
  swapAbsent: (column: string, value: string, seen: readonly string[]) =>
    `proxy ${column}: no row holds ${JSON.stringify(value)} (values are compared as text, case included); its values include ${seen
      .slice(0, 8)
      .map((v) => JSON.stringify(v))
      .join(", ")}${seen.length > 8 ? ", …" : ""}`,
  duplicatePath: (path: string) => `the path ${path} is given twice: each unfair path is removed once`,
  badProxy: (column: string) => `proxy ${column}: give { swap: [["a", "b"], ...] } or "resample"`,

  // Audit and reports.
  smallReference: (group: string, rows: number, minGroupSize: number) =>
    `reference group ${JSON.stringify(group)} has ${rows} rows, fewer than the minimum group size ${minGroupSize}: choose a larger reference group, lower the minimum group size, or include small groups`,
  selectedOrScores: () => "ll144Tables needs either selected (a selection tool) or scores (a scoring tool), not both",
  badExclusionShare: (share: unknown) =>
    `exclude.share must be in (0, 0.02]: the rule allows leaving out categories under 2% only; got ${share}`,
  exclusionNeedsJustification: () =>
    "excluding categories under 2% needs a justification: §5-301 requires it in the summary of results",
  badSelectionCounts: (group: string, selected: number, count: number) =>
    `group ${JSON.stringify(group)}: selected (${selected}) and count (${count}) must be whole numbers with 0 <= selected <= count`,
  cardNotMapping: (file: string) => `${file} must hold a mapping (YAML) or an object (JSON) at the top level`,
  ll144NotSensitive: (column: string, sensitive: readonly string[]) =>
    `LL144 column ${JSON.stringify(column)} is not a sensitive column (${sensitive.join(", ")})`,
  subgroupsNeedProportion: (metric: string) =>
    `subgroup discovery needs a proportion metric (a rate); ${metric} is not one`,
  referenceSharesNotSensitive: (column: string, sensitive: readonly string[]) =>
    `referenceShares names ${JSON.stringify(column)}, which is not a sensitive column (${sensitive.join(", ")})`,
  coverageNeedsProportion: (metric: string) => `coverage needs proportion metrics; ${metric} is not one`,
  // Regression and multiclass audits.
  sensitiveColumnsDiffer: (given: readonly string[], frame: readonly string[]) =>
    `input.sensitive (${given.join(", ")}) must name the frame's sensitive columns in its order (${frame.join(", ")})`,
  tooManyClasses: (classes: number, limit: number) =>
    `the labels and decisions have ${classes} distinct values; a multiclass audit takes at most ${limit} classes (a numeric outcome is a regression: task "regression")`,

  // The LL144 summary (src/audit/ll144-summary.ts): card-file facts, each message naming the card file and field ("unknown" is EEO1_UNKNOWN).
  badDate: (file: string, field: string, value: string) =>
    `${file}: ${field}: must be a calendar date written YYYY-MM-DD (e.g. 2026-03-31); got ${JSON.stringify(value)}`,
  unmappedValues: (file: string, dimension: string, column: string, values: readonly string[]) =>
    `${file}: ll144.eeo1_mapping.${dimension}: no EEO-1 category for ${values
      .slice(0, 8)
      .map((v) => JSON.stringify(v))
      .join(
        ", ",
      )}${values.length > 8 ? `, … (${values.length} values)` : ""} (values of the column ${column} in the data): map each to an EEO-1 category or to "unknown"`,
  unknownButMapped: (file: string, dimension: string, value: string, category: string) =>
    `${file}: ll144.eeo1_mapping.${dimension}[${JSON.stringify(value)}] is ${JSON.stringify(category)}, but ll144.unknown_values makes ${JSON.stringify(value)} unknown: drop one of the two`,
  wrongDimension: (file: string, dimension: string, value: string, category: string, known: readonly string[]) =>
    `${file}: ll144.eeo1_mapping.${dimension}[${JSON.stringify(value)}]: ${JSON.stringify(category)} is not a ${dimension === "sex" ? "sex" : "race/ethnicity"} category; known: ${known.map((k) => JSON.stringify(k)).join(", ")}, "unknown"`,

  // Monitoring (src/monitor/): windows, drift bins, alert rules.
  badWindow: (text: string) => `window ${JSON.stringify(text)}: use hour, day, week or <N>d (N days, e.g. 7d)`,
  badReference: (text: string) =>
    `reference ${JSON.stringify(text)}: use first (the first window) or START..END (ISO dates, e.g. 2013-01-01..2013-02-01, START before END)`,
  noWindows: () => "monitor needs at least one window of counts",
  repeatedWindow: (start: string) =>
    `the window starting ${start} is given twice: merge its counts first (mergeWindowCounts)`,
  emptyReference: (start: string, end: string, first: string, last: string) =>
    `no window starts in the reference ${start}..${end}; the windows start from ${first} to ${last}`,
  badBinCount: (name: string, index: number, value: unknown) =>
    `${name}: bin ${index} holds ${show(value)}; bin counts must be finite numbers >= 0`,
  binLengths: (reference: number, current: number) =>
    `the reference has ${reference} bins and the current sample ${current}: bin both with the same edges (and at least one bin)`,
  badEdge: (value: unknown) => `bin edge ${show(value)} is not a finite number`,
  rulesNotObject: (what: string) => `${what}: a rules file is a mapping with a list under rules:`,
  rulesUnknownKey: (what: string, key: string) =>
    `${what}: unknown key ${JSON.stringify(key)}; a rules file has rules (and optionally kind, schema_version)`,
  rulesKind: (what: string, kind: unknown) =>
    `${what}: kind is ${show(kind)}; a rules file's kind is "fairkit.monitor_rules"`,
  rulesVersion: (what: string, version: unknown) => `${what}: schema_version ${show(version)} is not supported (1 is)`,
  rulesMissing: (what: string) => `${what}: no rules: give a non-empty list under rules:`,
  ruleProblem: (what: string, rule: string, problem: string) => `${what}: ${rule}: ${problem}`,

  // Text probes: term sets, templates, scorers and generators.
  termSetGroups: (attribute: string) =>
    `term set ${show(attribute)} needs at least two groups: a counterfactual swaps one group's words for another's`,
  termRowLength: (attribute: string, row: number, got: number, expected: number) =>
    `term set ${show(attribute)}: row ${row} has ${got} non-empty forms but the set has ${expected} groups: give one word per group`,
  unknownTermGroup: (group: string, attribute: string, groups: readonly string[]) =>
    `term set ${show(attribute)} has no group ${show(group)}; its groups are ${groups.map(show).join(", ")}`,
  templateSlot: (template: string, slot: string) =>
    `template ${show(template)} has no ${slot} slot: write where the identity term goes, e.g. "I am ${slot}."`,
  probeTermsEmpty: (argument: string) =>
    `${argument} is empty: a probe needs at least two terms of two groups to compare`,
  probeTermFields: (argument: string, index: number) =>
    `${argument}[${index}] needs a non-empty term and group (and attribute, when given, non-empty)`,
  probeScoreCount: (scorer: string, got: number, expected: number) =>
    `scorer ${show(scorer)} returned ${got} scores for ${expected} texts: a scorer returns one number per text, in order`,
  probeScoreNotFinite: (scorer: string, index: number, text: string, value: unknown) =>
    `scorer ${show(scorer)} returned ${show(value)} for text ${index + 1} (${show(text.length > 60 ? `${text.slice(0, 57)}…` : text)}): scores must be finite numbers`,
  probeResponseCount: (generator: string, got: number, expected: number) =>
    `generator ${show(generator)} returned ${got} responses for ${expected} prompts: a generator returns one text per prompt, in order`,
  probeResponseNotText: (generator: string, index: number, value: unknown) =>
    `generator ${show(generator)} returned ${show(value)} for prompt ${index + 1}: a response must be a string`,
  probeNoPairs: (texts: number, unaware: number, several: number) =>
    `none of the ${texts} texts gives a counterfactual pair: ${unaware} mention no identity word of the term set and ${several} mention several groups; there is nothing to compare`,
  holisticBiasShape: (file: string, problem: string) => `${file} is not a HolisticBias v1.1 file: ${problem}`,
  holisticBiasSelection: (what: string, value: string, known: readonly string[]) =>
    `HolisticBias has no ${what} ${show(value)}; there are ${known.map(show).join(", ")}`,
} as const;

/** A non-fatal finding: an undefined metric, a small group, rows with a missing group value. */
export interface FairkitWarning {
  code:
    | "UNDEFINED_METRIC"
    | "SMALL_GROUP"
    | "MISSING_GROUP_VALUE"
    | "EXCLUDED_FROM_DISPARITY"
    | "SINGLE_GROUP"
    /** An interval computed by an approximation the data does not make exact (the cell bootstrap of weighted counts). */
    | "APPROXIMATE_INTERVALS";
  message: string;
  group?: string;
  metric?: string;
}
