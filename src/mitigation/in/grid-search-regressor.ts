/**
 * GridSearch for regression under bounded group loss, as Fairlearn's
 * `GridSearch(estimator, BoundedGroupLoss(loss))`. The rule of this file: no search of its own; it
 * runs the classifier's engine (runGridSearch) on a Lagrangian with the loss oracle. Because the
 * loss moment's λ spans the objective, the grid is one non-negative coordinate per group with L1
 * norm `gridLimit` (see gridPoints), each point is one weighted regression with row weights
 * n·w_i·λ_g / W_g, and the model kept minimises
 *
 *     (1 − constraintWeight) · mean loss + constraintWeight · worst group loss
 *
 * on the training rows. No upper bound is needed. The result is one deterministic regressor.
 */
import { FairkitError, messages } from "../../core/errors.js";
import { checkSchema } from "../../core/schema.js";
import type { NumericInput } from "../../core/validate.js";
import type { Regressor, RegressorSource } from "../../models/estimator.js";
import type { Matrix } from "../../models/matrix.js";
import { GRID_SEARCH_REGRESSOR_SCHEMA, MODEL_SCHEMA_VERSION } from "../../schemas/models.js";
import {
  type GroupLossReport,
  type LossConstraint,
  type LossKind,
  type LossMomentData,
  BoundedGroupLoss,
  lossFromJSON,
  lossSummary,
  lossToJSON,
  meanLossObjective,
} from "./bounded-group-loss.js";
import {
  type RegressionFitOptions,
  lossMomentData,
  regressorFromJSON,
  regressorToJSON,
} from "./exponentiated-gradient-regressor.js";
import { type GridPoint, type GridSearchOptions, gridSearchSettings, runGridSearch } from "./grid-search.js";
import { Lagrangian, lossOracle } from "./lagrangian.js";

/** Options of {@link GridSearchRegressor}: GridSearch's, without warm starts. */
export type GridSearchRegressorOptions = Omit<GridSearchOptions, "warmStart">;

/** A saved GridSearchRegressor: the grid's numbers and the best regressor. */
export interface GridSearchRegressorJSON {
  kind: "fairkit.grid_search_regressor";
  schema_version: typeof MODEL_SCHEMA_VERSION;
  constraint: string;
  loss: { kind: LossKind; min: number | null; max: number | null };
  best_index: number;
  points: { coordinates: number[]; error: number; max_gamma: number; loss: number }[];
  best: unknown;
}

/**
 * @example
 * const gs = new GridSearchRegressor(() => new LinearRegression(), new BoundedGroupLoss(new SquareLoss(-4, 4)));
 * gs.fit(X, zfya, { sensitiveFeatures: { race } });
 * gs.predict(Xtest); // the best grid model's predictions
 */
export class GridSearchRegressor {
  readonly constraint: LossConstraint;
  readonly options: Required<GridSearchRegressorOptions>;
  /** The regressor with the smallest selection loss. */
  best: Regressor | undefined;
  bestIndex = -1;
  /** Every grid point's regressor and numbers (`error`: mean loss, `maxGamma`: worst group loss), in grid order. */
  predictors: Regressor[] = [];
  points: GridPoint[] = [];
  /** The base learner fitted to the mean loss alone, on the same rows and weights. */
  unconstrained: Regressor | undefined;
  /** Per-group losses on the training rows (set by `fit`). */
  report: GroupLossReport | undefined;
  readonly #source: RegressorSource;

  constructor(estimator: RegressorSource, constraint: LossConstraint, options: GridSearchRegressorOptions = {}) {
    const settings = gridSearchSettings(options);
    // The regressor's grid is λ ≥ 0 with ‖λ‖₁ = gridLimit: a limit that is not a positive number leaves no grid.
    if (!(settings.gridLimit > 0 && Number.isFinite(settings.gridLimit)))
      throw new FairkitError("BAD_ARGUMENT", messages.notPositive("gridLimit", settings.gridLimit), {
        argument: "gridLimit",
      });
    this.#source = estimator;
    this.constraint = constraint;
    this.options = settings;
  }

  /** Fits one regressor per grid point and keeps the best; y real-valued, `sensitiveFeatures` the groups. */
  fit(X: Matrix, y: NumericInput, options: RegressionFitOptions): this {
    const data = lossMomentData(X, y, options);
    const constraint = this.constraint.load(data);
    const objective = meanLossObjective(this.constraint.loss, data);
    const oracle = lossOracle(X, data.y, this.#source);
    const run = runGridSearch(new Lagrangian(oracle, constraint, objective, 1), this.options);
    this.predictors = run.predictors;
    this.points = run.points;
    this.bestIndex = run.bestIndex;
    this.best = run.predictors[run.bestIndex];
    this.unconstrained = oracle.fit(objective.signedWeights());
    this.report = this.#report(data, X);
    return this;
  }

  #model(): Regressor {
    if (!this.best)
      throw new FairkitError("BAD_ARGUMENT", messages.notFitted("GridSearchRegressor", "fit() or fromJSON()"), {
        argument: "X",
      });
    return this.best;
  }

  /** The best grid model's predictions. */
  predict(X: Matrix): Float64Array {
    return this.#model().predict(X);
  }

  #report(data: LossMomentData, X: Matrix): GroupLossReport {
    const loss = this.constraint.loss;
    const weights = new Array<number>(data.encoding.groups.length).fill(0);
    for (let i = 0; i < data.y.length; i++) weights[data.encoding.codes[i]] += data.weights[i];
    const best = lossSummary(loss, data, [this.predict(X)]);
    return {
      loss: loss.kind,
      upperBound: this.constraint.upperBound,
      groups: data.encoding.groups.map((g) => g.key),
      weights,
      ...(this.unconstrained ? { unconstrained: lossSummary(loss, data, [this.unconstrained.predict(X)]) } : {}),
      mitigated: best,
      averaged: best,
    };
  }

  /** The per-group loss report on any rows (e.g. a test split). */
  evaluate(X: Matrix, y: NumericInput, options: RegressionFitOptions): GroupLossReport {
    this.#model();
    return this.#report(lossMomentData(X, y, options), X);
  }

  toJSON(): GridSearchRegressorJSON {
    return {
      kind: "fairkit.grid_search_regressor",
      schema_version: MODEL_SCHEMA_VERSION,
      constraint: this.constraint.name,
      loss: lossToJSON(this.constraint.loss),
      best_index: this.bestIndex,
      points: this.points.map((p) => ({
        coordinates: [...p.coordinates],
        error: p.error,
        max_gamma: p.maxGamma,
        loss: p.loss,
      })),
      best: regressorToJSON(this.#model(), messages.bestNotSaveable),
    };
  }

  /** A saved GridSearchRegressor, ready to predict with its best model (built-in regressors; pass `decode` for your own). */
  static fromJSON(
    json: unknown,
    decode: (saved: unknown, what: string) => Regressor = regressorFromJSON,
    what = "GridSearchRegressor",
  ): GridSearchRegressor {
    checkSchema(json, GRID_SEARCH_REGRESSOR_SCHEMA, what);
    const doc = json as GridSearchRegressorJSON;
    if (doc.points.length > 0 && doc.best_index >= doc.points.length) {
      throw new FairkitError("BAD_ARGUMENT", messages.bestIndexOutOfRange(what, doc.best_index, doc.points.length), {
        argument: what,
      });
    }
    const best = decode(doc.best, `${what}: best`);
    const refit = (): Regressor => {
      throw new FairkitError("BAD_ARGUMENT", messages.notRefittable("GridSearchRegressor"), { argument: "json" });
    };
    const gs = new GridSearchRegressor(refit, new BoundedGroupLoss(lossFromJSON(doc.loss)));
    gs.best = best;
    gs.bestIndex = doc.best_index;
    gs.points = doc.points.map((p) => ({
      coordinates: [...p.coordinates],
      error: p.error,
      maxGamma: p.max_gamma,
      loss: p.loss,
    }));
    return gs;
  }
}
