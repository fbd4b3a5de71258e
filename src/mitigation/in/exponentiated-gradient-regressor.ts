/**
 * ExponentiatedGradient for regression under bounded group loss (Agarwal, Dudík & Wu 2019), as
 * Fairlearn's `ExponentiatedGradient(estimator, BoundedGroupLoss(loss, upper_bound=ζ))`. The rule
 * of this file: it adds no optimisation of its own. It binds the loss moment and the mean-loss
 * objective to the data and runs the same engine as the classifier (runExponentiatedGradient on
 * a Lagrangian with the loss oracle: each inner fit is a weighted regression on the original y).
 *
 * The result is a mixture of regressors with weights summing to 1. Fairlearn's `predict` draws
 * one regressor per row (here `sample`, seeded); `predict` here is the deterministic weighted
 * average of the regressors' outputs, and `predictEach` gives every regressor's output (Fairlearn's
 * `_pmf_predict` for regression). The constraint bounds the randomised mixture's expected group
 * loss; the report gives that and the average's loss side by side.
 */
import { FairkitError, messages } from "../../core/errors.js";
import { createRandom } from "../../core/random.js";
import { checkSchema } from "../../core/schema.js";
import type { NumericInput } from "../../core/validate.js";
import type { Regressor, RegressorSource } from "../../models/estimator.js";
import { LinearRegression } from "../../models/linear-regression.js";
import type { Matrix } from "../../models/matrix.js";
import { EXPONENTIATED_GRADIENT_REGRESSOR_SCHEMA, MODEL_SCHEMA_VERSION } from "../../schemas/models.js";
import {
  type GroupLossReport,
  type LossConstraint,
  type LossKind,
  type LossMomentData,
  type RegressionLoss,
  BoundedGroupLoss,
  lossFromJSON,
  lossSummary,
  lossToJSON,
  meanLossObjective,
} from "./bounded-group-loss.js";
import {
  type ExponentiatedGradientDiagnostics,
  type ExponentiatedGradientOptions,
  checkMixtureWeights,
  exponentiatedGradientSettings,
  runExponentiatedGradient,
} from "./exponentiated-gradient.js";
import { type ReductionFitOptions, regressionData } from "./fit-data.js";
import { Lagrangian, lossOracle } from "./lagrangian.js";

/** Options of a regression reduction's `fit` and `evaluate`: the groups and optional weights. */
export type RegressionFitOptions = Omit<ReductionFitOptions, "posLabel">;

/** Options of {@link ExponentiatedGradientRegressor}: ExponentiatedGradient's, without warm starts. */
export type ExponentiatedGradientRegressorOptions = Omit<ExponentiatedGradientOptions, "warmStart">;

/** What a regression fit did: the classifier's diagnostics, plus every best response found. */
export interface ExponentiatedGradientRegressorDiagnostics extends ExponentiatedGradientDiagnostics {
  /** Every best response in the order found: its weight in the result (0 for most), mean loss and group losses. */
  hypotheses: { weight: number; error: number; gamma: number[] }[];
}

/** A saved regression mixture. */
export interface ExponentiatedGradientRegressorJSON {
  kind: "fairkit.exponentiated_gradient_regressor";
  schema_version: typeof MODEL_SCHEMA_VERSION;
  constraint: string;
  loss: { kind: LossKind; min: number | null; max: number | null };
  upper_bound: number;
  eps: number;
  weights: number[];
  predictors: unknown[];
}

/**
 * A built-in regressor from its JSON (`fairkit.linear_regression`), checked against its schema.
 * @example
 * const model = regressorFromJSON(JSON.parse(text)); // a LinearRegression ready to predict
 */
export function regressorFromJSON(json: unknown, what = "regressor"): Regressor {
  const kind = (json as { kind?: unknown } | null)?.kind;
  if (kind === "fairkit.linear_regression") return LinearRegression.fromJSON(json, what);
  throw new FairkitError("BAD_ARGUMENT", messages.unknownRegressorKind(what, kind), { argument: what });
}

/** A regressor's JSON, or a clear error when it cannot be saved. */
export function regressorToJSON(model: Regressor, error: () => string): unknown {
  const json = (model as { toJSON?: () => unknown }).toJSON;
  if (typeof json !== "function") throw new FairkitError("BAD_ARGUMENT", error(), { argument: "estimator" });
  return json.call(model);
}

/** The loss moment's training data (group codes and weights checked), for the reductions and their reports. */
export function lossMomentData(X: Matrix, y: NumericInput, options: RegressionFitOptions): LossMomentData {
  const data = regressionData(X, y, options);
  return { y: data.y, encoding: data.encoding, weights: data.weights };
}

/**
 * @example
 * const eg = new ExponentiatedGradientRegressor(
 *   () => new LinearRegression(),
 *   new BoundedGroupLoss(new SquareLoss(-4, 4), { upperBound: 0.9 }),
 * );
 * eg.fit(X, zfya, { sensitiveFeatures: { race } });
 * eg.report.mitigated.worst; // the worst group's expected mean loss, ≤ 0.9 + a small gap
 * eg.predict(Xtest);         // the weighted average of the regressors' predictions
 */
export class ExponentiatedGradientRegressor {
  readonly constraint: LossConstraint;
  readonly options: Required<Omit<ExponentiatedGradientRegressorOptions, "nu">> & { nu: number | undefined };
  /** The regressors with non-zero weight, and their weights (summing to 1). */
  predictors: Regressor[] = [];
  weights: Float64Array = new Float64Array(0);
  /** λ of the best iterate, one per group. */
  lambda: Float64Array = new Float64Array(0);
  diagnostics: ExponentiatedGradientRegressorDiagnostics | undefined;
  /** The base learner fitted to the mean loss alone, on the same rows and weights. */
  unconstrained: Regressor | undefined;
  /** Per-group losses on the training rows: bound, unconstrained, mitigated (set by `fit`). */
  report: GroupLossReport | undefined;
  readonly #source: RegressorSource;

  constructor(
    estimator: RegressorSource,
    constraint: LossConstraint,
    options: ExponentiatedGradientRegressorOptions = {},
  ) {
    this.#source = estimator;
    this.constraint = constraint;
    this.options = exponentiatedGradientSettings(options);
  }

  /** Fits the mixture: y real-valued, `sensitiveFeatures` the groups whose mean loss is bounded. */
  fit(X: Matrix, y: NumericInput, options: RegressionFitOptions): this {
    if (this.constraint.upperBound === undefined) {
      throw new FairkitError("BAD_ARGUMENT", messages.needsUpperBound("ExponentiatedGradientRegressor"), {
        argument: "upperBound",
      });
    }
    const data = lossMomentData(X, y, options);
    const constraint = this.constraint.load(data);
    const objective = meanLossObjective(this.constraint.loss, data);
    const oracle = lossOracle(X, data.y, this.#source);
    const lagrangian = new Lagrangian(oracle, constraint, objective, 1 / this.options.eps);
    const run = runExponentiatedGradient(lagrangian, data.y, this.options);
    this.predictors = run.predictors;
    this.weights = run.weights;
    this.lambda = run.lambda;
    this.diagnostics = {
      ...run.diagnostics,
      hypotheses: lagrangian.hypotheses.map((h, t) => ({
        weight: run.Q[t] ?? 0,
        error: h.error,
        gamma: Array.from(h.gamma),
      })),
    };
    this.unconstrained = oracle.fit(objective.signedWeights());
    this.report = this.#report(data, X, this.unconstrained);
    return this;
  }

  #check(): void {
    if (this.predictors.length === 0)
      throw new FairkitError(
        "BAD_ARGUMENT",
        messages.notFitted("ExponentiatedGradientRegressor", "fit() or fromJSON()"),
        {
          argument: "X",
        },
      );
  }

  /** Every regressor's prediction per row, in the order of `predictors` (Fairlearn's `_pmf_predict`). */
  predictEach(X: Matrix): Float64Array[] {
    this.#check();
    return this.predictors.map((p) => p.predict(X));
  }

  /** The weighted average of the regressors' predictions: Σ_t weight_t · h_t(x). */
  predict(X: Matrix): Float64Array {
    const each = this.predictEach(X);
    const out = new Float64Array(X.rows);
    each.forEach((d, t) => {
      const w = this.weights[t];
      for (let i = 0; i < X.rows; i++) out[i] += w * d[i];
    });
    return out;
  }

  /** The randomised predictor, as Fairlearn's `predict`: each row uses one regressor drawn by weight (seed default 0). */
  sample(X: Matrix, options: { seed?: number } = {}): Float64Array {
    const each = this.predictEach(X);
    const rng = createRandom(options.seed ?? 0);
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      const u = rng.next();
      let t = 0;
      let cumulative = this.weights[0];
      while (u >= cumulative && t < each.length - 1) cumulative += this.weights[++t];
      out[i] = each[t][i];
    }
    return out;
  }

  #report(data: LossMomentData, X: Matrix, unconstrained: Regressor | undefined): GroupLossReport {
    const loss: RegressionLoss = this.constraint.loss;
    const each = this.predictEach(X);
    const weights = new Array<number>(data.encoding.groups.length).fill(0);
    for (let i = 0; i < data.y.length; i++) weights[data.encoding.codes[i]] += data.weights[i];
    return {
      loss: loss.kind,
      upperBound: this.constraint.upperBound,
      groups: data.encoding.groups.map((g) => g.key),
      weights,
      ...(unconstrained ? { unconstrained: lossSummary(loss, data, [unconstrained.predict(X)]) } : {}),
      mitigated: lossSummary(loss, data, each, this.weights),
      averaged: lossSummary(loss, data, [this.predict(X)]),
    };
  }

  /** The per-group loss report on any rows (e.g. a test split), with the unconstrained model when it is known. */
  evaluate(X: Matrix, y: NumericInput, options: RegressionFitOptions): GroupLossReport {
    this.#check();
    return this.#report(lossMomentData(X, y, options), X, this.unconstrained);
  }

  /** The fitted mixture as JSON (base regressors must have `toJSON`, as LinearRegression does). */
  toJSON(): ExponentiatedGradientRegressorJSON {
    this.#check();
    return {
      kind: "fairkit.exponentiated_gradient_regressor",
      schema_version: MODEL_SCHEMA_VERSION,
      constraint: this.constraint.name,
      loss: lossToJSON(this.constraint.loss),
      upper_bound: this.constraint.upperBound as number,
      eps: this.options.eps,
      weights: Array.from(this.weights),
      predictors: this.predictors.map((p) => regressorToJSON(p, messages.baseNotSaveable)),
    };
  }

  /** A saved mixture, ready to predict and evaluate (built-in regressors; pass `decode` for your own). */
  static fromJSON(
    json: unknown,
    decode: (saved: unknown, what: string) => Regressor = regressorFromJSON,
    what = "ExponentiatedGradientRegressor",
  ): ExponentiatedGradientRegressor {
    checkSchema(json, EXPONENTIATED_GRADIENT_REGRESSOR_SCHEMA, what);
    const doc = json as ExponentiatedGradientRegressorJSON;
    checkMixtureWeights(doc.weights, doc.predictors.length, what);
    const predictors = doc.predictors.map((p, i) => decode(p, `${what}: predictors[${i}]`));
    const constraint = new BoundedGroupLoss(lossFromJSON(doc.loss), { upperBound: doc.upper_bound });
    const refit = (): Regressor => {
      throw new FairkitError("BAD_ARGUMENT", messages.notRefittable("mixture"), { argument: "json" });
    };
    const eg = new ExponentiatedGradientRegressor(refit, constraint, { eps: doc.eps });
    eg.predictors = predictors;
    eg.weights = Float64Array.from(doc.weights);
    return eg;
  }
}
