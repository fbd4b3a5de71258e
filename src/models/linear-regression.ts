/**
 * Weighted least squares: ordinary linear regression with an intercept, solved exactly from the
 * weighted normal equations on centred data (Cholesky, with a vanishing ridge only when the
 * design is singular). The structural causal models of src/individual fit each equation with it,
 * the counterfactually fair predictors are linear regressions on what those models abduct, and it
 * is the built-in base learner of the reductions with bounded group loss (a {@link Regressor}).
 */
import { FairkitError, messages } from "../core/errors.js";
import { checkSchema } from "../core/schema.js";
import { rowWeights } from "../core/validate.js";
import { LINEAR_REGRESSION_SCHEMA, MODEL_SCHEMA_VERSION } from "../schemas/models.js";
import type { Regressor } from "./estimator.js";
import { solveSymmetric } from "./linalg.js";
import { type Matrix, checkFinite } from "./matrix.js";

/** Options of {@link LinearRegression.fit}. */
export interface LinearFitOptions {
  /** Non-negative weight per row; omitted means 1 each. */
  sampleWeight?: ArrayLike<number>;
}

/** A saved linear regression. */
export interface LinearRegressionJSON {
  kind: "fairkit.linear_regression";
  schema_version: typeof MODEL_SCHEMA_VERSION;
  coef: number[];
  intercept: number;
}

/**
 * y ≈ intercept + coef · x, minimising Σᵢ wᵢ (yᵢ − ŷᵢ)². `residualSd` is the weighted root mean
 * squared residual on the fitted rows (the maximum-likelihood σ of a Gaussian error).
 *
 * @example
 * const lm = new LinearRegression().fit(toMatrix([[0], [1], [2]]), [1, 3, 5]);
 * lm.coef;      // Float64Array [2]
 * lm.intercept; // 1
 */
export class LinearRegression implements Regressor {
  coef: Float64Array = new Float64Array(0);
  intercept = 0;
  residualSd = Number.NaN;
  /** Share of the weighted variance of y explained on the fitted rows (NaN when y is constant). */
  rSquared = Number.NaN;

  fit(X: Matrix, y: ArrayLike<number>, options: LinearFitOptions = {}): this {
    const n = X.rows;
    const d = X.cols;
    if (n === 0) throw new FairkitError("EMPTY_INPUT", messages.nothingToLearn("X"), { argument: "X" });
    if (y.length !== n)
      throw new FairkitError("LENGTH_MISMATCH", messages.rowsDiffer("y", y.length, "X", n), { argument: "y" });
    checkFinite(X);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(y[i]))
        throw new FairkitError("BAD_SCORE", messages.badScore("y", i, y[i]), { argument: "y", row: i });
    }
    const w = rowWeights(options.sampleWeight, n, "X");
    let total = 0;
    for (let i = 0; i < n; i++) total += w[i];
    if (!(total > 0)) throw new FairkitError("BAD_WEIGHT", messages.allWeightsZero("sampleWeight"));
    const { data } = X;
    const meanX = new Float64Array(d);
    let meanY = 0;
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      meanY += wi * y[i];
      for (let j = 0; j < d; j++) meanX[j] += wi * data[i * d + j];
    }
    meanY /= total;
    for (let j = 0; j < d; j++) meanX[j] /= total;
    const a = new Float64Array(d * d);
    const b = new Float64Array(d);
    const row = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      for (let j = 0; j < d; j++) row[j] = data[i * d + j] - meanX[j];
      const yi = y[i] - meanY;
      for (let j = 0; j < d; j++) {
        const wx = wi * row[j];
        b[j] += wx * yi;
        for (let k = 0; k <= j; k++) a[j * d + k] += wx * row[k];
      }
    }
    this.coef = d > 0 ? solveSymmetric(a, d, b) : new Float64Array(0);
    let dot = 0;
    for (let j = 0; j < d; j++) dot += this.coef[j] * meanX[j];
    this.intercept = meanY - dot;
    const fitted = this.predict(X);
    let ssr = 0;
    let sst = 0;
    for (let i = 0; i < n; i++) {
      ssr += w[i] * (y[i] - fitted[i]) ** 2;
      sst += w[i] * (y[i] - meanY) ** 2;
    }
    this.residualSd = Math.sqrt(ssr / total);
    this.rSquared = sst > 0 ? 1 - ssr / sst : Number.NaN;
    return this;
  }

  /** A fresh, unfitted copy (the reductions fit many). */
  clone(): LinearRegression {
    return new LinearRegression();
  }

  /**
   * The model that predicts `value` for every row of a `cols`-column X: what the reductions use
   * when every target is the same (scikit-learn's constant dummy).
   */
  static constant(value: number, cols: number): LinearRegression {
    const model = new LinearRegression();
    model.coef = new Float64Array(cols);
    model.intercept = value;
    return model;
  }

  /** The fitted coefficients as JSON (`LinearRegression.fromJSON` reads it back). */
  toJSON(): LinearRegressionJSON {
    return {
      kind: "fairkit.linear_regression",
      schema_version: MODEL_SCHEMA_VERSION,
      coef: Array.from(this.coef),
      intercept: this.intercept,
    };
  }

  /** A saved linear regression, checked against its schema, ready to predict. */
  static fromJSON(json: unknown, what = "linear regression"): LinearRegression {
    checkSchema(json, LINEAR_REGRESSION_SCHEMA, what);
    const doc = json as LinearRegressionJSON;
    const model = new LinearRegression();
    model.coef = Float64Array.from(doc.coef);
    model.intercept = doc.intercept;
    return model;
  }

  /** ŷ per row. */
  predict(X: Matrix): Float64Array {
    const d = this.coef.length;
    if (X.cols !== d)
      throw new FairkitError("BAD_ARGUMENT", messages.fittedWidth("linear regression", X.cols, d, d === 0), {
        argument: "X",
      });
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let s = this.intercept;
      for (let j = 0; j < d; j++) s += this.coef[j] * X.data[i * d + j];
      out[i] = s;
    }
    return out;
  }
}
