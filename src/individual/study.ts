/**
 * The counterfactual-fairness study of Kusner et al. 2017, for any declared model: fit the
 * structural causal model on training rows, fit each predictor, and measure on the test rows its
 * error and its counterfactual change for every protected attribute and pair of levels, beside the
 * model's path-specific effects on the target. `fairkit counterfactual` prints this; the library
 * returns it as data.
 */
import { FairkitError, messages } from "../core/errors.js";
import { trainTestSplit } from "../models/split.js";
import { type Table, sliceTable } from "../models/tabular.js";
import { type CounterfactualResult, type TableModel, counterfactualTest, remap } from "./counterfactual.js";
import { type PathEffects, pathEffects } from "./paths.js";
import {
  type FairPredictor,
  PREDICTOR_KINDS,
  type PredictorKind,
  fitPredictor,
  mostFrequentLevel,
  rmse,
} from "./predictors.js";
import { type FittedScm, type ScmDeclaration, fitScm } from "./scm.js";

/** Options of {@link counterfactualStudy}. */
export interface StudyOptions {
  /** The model: a parsed declaration or its text. */
  model: ScmDeclaration | string;
  table: Table;
  /** The numeric node to predict. */
  target: string;
  /** The protected attributes (categorical roots). */
  sensitive: readonly string[];
  /** Predictors to compare; default every kind the model allows (latent only with a latent node, paths only with unfairPaths). */
  predictors?: readonly PredictorKind[];
  /** For `paths`: the unfair paths. */
  unfairPaths?: readonly (readonly string[])[];
  /** Reference level per attribute (path effects and the paths predictor); default the most frequent level. */
  reference?: Readonly<Record<string, string>>;
  /** Also test these models (e.g. a saved model) against the fitted causal model. */
  models?: Readonly<Record<string, TableModel>>;
  /** The `models` predict the target, so their test RMSE means something; default false (their RMSE is NaN). */
  modelsPredictTarget?: boolean;
  /** Share of rows held out for testing; default 0.2 (the paper's 80/20). */
  testFraction?: number;
  /** Seed of the split; default 0. */
  seed?: number;
  /** Confidence level of the intervals. */
  level?: number;
}

/** One predictor's line of the study. */
export interface StudyPredictor {
  name: string;
  /** The fitted predictor (undefined for a model given by the user). */
  predictor?: FairPredictor;
  /** Test RMSE against the target (NaN for a user model unless `modelsPredictTarget`). */
  rmse: number;
  /** One counterfactual test per protected attribute. */
  counterfactual: CounterfactualResult[];
  /** The largest |mean change| over every attribute and pair of levels. */
  maxAbsMeanChange: number;
}

/** The result of {@link counterfactualStudy}. */
export interface StudyResult {
  target: string;
  sensitive: string[];
  trainRows: number;
  testRows: number;
  seed: number;
  testFraction: number;
  /** The model fitted on the training rows. */
  scm: FittedScm;
  /** Standard deviation of the target on the test rows (the unit of a counterfactual gap). */
  targetSd: number;
  /** Per attribute, per level other than the reference: every path to the target with its effect. */
  effects: PathEffects[];
  predictors: StudyPredictor[];
}

/**
 * Runs the study. The counterfactual of every test row is computed by the model fitted on the
 * training rows; a predictor is counterfactually fair when its changes are 0 for every row.
 *
 * @example
 * const study = await counterfactualStudy({ model: LAW_MODEL, table: law, target: "ZFYA", sensitive: ["race", "sex"] });
 * study.predictors.map((p) => [p.name, p.rmse, p.maxAbsMeanChange]); // full ≈ 0.87 and ≈ 1; fair-add ≈ 0.92 and 0
 */
export async function counterfactualStudy(options: StudyOptions): Promise<StudyResult> {
  const { table, target, sensitive } = options;
  if (sensitive.length === 0)
    throw new FairkitError("BAD_ARGUMENT", messages.noSensitiveColumn(), { argument: "sensitive" });
  const first = table[target];
  if (first === undefined)
    throw new FairkitError("MISSING_COLUMN", messages.noSuchColumn(target), { argument: target });
  const seed = options.seed ?? 0;
  const testFraction = options.testFraction ?? 0.2;
  const { train, test } = trainTestSplit(first.length, { testFraction, seed });
  const trainRows = sliceTable(table, train);
  const testRows = sliceTable(table, test);
  // Errors about a row of the training or test part name the row of the table.
  const onPart = async <T>(part: Int32Array, work: () => T | Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw remap(error, Array.from(part), "");
    }
  };
  const scm = await onPart(train, () => fitScm(options.model, trainRows));
  for (const s of sensitive) {
    if (scm.kind(s) !== "categorical")
      throw new FairkitError("BAD_ARGUMENT", messages.scmNotCategorical(s), { argument: s });
  }
  const hasLatent = scm.declaration.nodes.some((n) => n.kind === "latent");
  const kinds =
    options.predictors ??
    PREDICTOR_KINDS.filter(
      (k) => (k !== "latent" || hasLatent) && (k !== "paths" || (options.unfairPaths?.length ?? 0) > 0),
    );
  const reference: Record<string, string> = {};
  for (const s of sensitive) reference[s] = options.reference?.[s] ?? mostFrequentLevel(trainRows[s]);
  const effects: PathEffects[] = [];
  for (const s of sensitive) {
    for (const level of scm.levels(s)) {
      if (level === reference[s]) continue;
      effects.push(pathEffects(scm, { from: s, to: target, level, reference: reference[s] }));
    }
  }
  const actual = (await onPart(test, () => scm.readColumns(testRows, [target]))).values.get(target) as Float64Array;
  let mean = 0;
  for (const v of actual) mean += v;
  mean /= actual.length;
  let ss = 0;
  for (const v of actual) ss += (v - mean) ** 2;
  const targetSd = Math.sqrt(ss / actual.length);
  const tests = async (predict: TableModel) => {
    const out: CounterfactualResult[] = [];
    for (const s of sensitive)
      out.push(
        await onPart(test, () =>
          counterfactualTest({ scm, table: testRows, attribute: s, predict, level: options.level }),
        ),
      );
    return out;
  };
  const maxAbs = (results: CounterfactualResult[]) =>
    Math.max(0, ...results.flatMap((r) => r.pairs.map((p) => Math.abs(p.meanChange)).filter(Number.isFinite)));
  const predictors: StudyPredictor[] = [];
  for (const kind of kinds) {
    const predictor = await onPart(train, () =>
      fitPredictor(scm, trainRows, {
        kind,
        target,
        sensitive,
        unfairPaths: options.unfairPaths,
        reference,
      }),
    );
    const counterfactual = await tests((t) => predictor.predict(t));
    predictors.push({
      name: kind,
      predictor,
      rmse: rmse(await onPart(test, () => predictor.predict(testRows)), actual),
      counterfactual,
      maxAbsMeanChange: maxAbs(counterfactual),
    });
  }
  for (const [name, model] of Object.entries(options.models ?? {})) {
    const counterfactual = await tests(model);
    const scores = options.modelsPredictTarget ? Float64Array.from(await model(testRows)) : undefined;
    predictors.push({
      name,
      rmse: scores !== undefined && scores.length === actual.length ? rmse(scores, actual) : Number.NaN,
      counterfactual,
      maxAbsMeanChange: maxAbs(counterfactual),
    });
  }
  return {
    target,
    sensitive: [...sensitive],
    trainRows: train.length,
    testRows: test.length,
    seed,
    testFraction,
    scm,
    targetSd,
    effects,
    predictors,
  };
}
