/**
 * Weighted logistic regression with an L2 penalty, fitted by Newton's method (iteratively
 * reweighted least squares) with a Cholesky solve and a backtracking line search.
 *
 * The objective is Σᵢ wᵢ·[log(1 + e^{zᵢ}) − yᵢ·zᵢ] + (l2 / 2)·‖β‖², zᵢ = β·xᵢ + b, with the
 * intercept b not penalised: scikit-learn's `LogisticRegression(C = 1 / l2)`. It is strictly
 * convex for l2 > 0, so the answer does not depend on the starting point and is reproducible to
 * the last digits. Rows are read sparsely (one-hot columns are mostly zero), which makes a Newton
 * step on Adult (22,793 × ~105) cost a few milliseconds.
 */
import { FairkitError, messages } from "../core/errors.js";
import { checkSchema } from "../core/schema.js";
import { LOGISTIC_REGRESSION_SCHEMA, MODEL_SCHEMA_VERSION } from "../schemas/models.js";
import { toWeights } from "../core/validate.js";
import type { Estimator, FitOptions } from "./estimator.js";
import { solveSymmetric } from "./linalg.js";
import { type Matrix, checkFinite } from "./matrix.js";

/** Options of {@link LogisticRegression}. */
export interface LogisticRegressionOptions {
  /** L2 penalty on the coefficients (not the intercept); default 1 (scikit-learn's C = 1). */
  l2?: number;
  /** Fit an intercept; default true. */
  fitIntercept?: boolean;
  /** Most Newton steps; default 100. */
  maxIter?: number;
  /** Stop when the largest gradient entry, divided by the total weight, is below this; default 1e-10. */
  tol?: number;
  /** Start the next fit from the current coefficients (same shape only); default false. */
  warmStart?: boolean;
}

/** A fitted model in JSON form (`schemas/logistic-regression.schema.json`). */
export interface LogisticRegressionJSON {
  kind: "fairkit.logistic_regression";
  schema_version: typeof MODEL_SCHEMA_VERSION;
  options: { l2: number; fit_intercept: boolean; max_iter: number; tol: number; warm_start: boolean };
  coef: number[];
  intercept: number;
}

/** Compressed sparse rows of a matrix: built once per matrix and cached, since reductions fit the same X many times. */
interface SparseRows {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

const sparseCache = new WeakMap<Float64Array, SparseRows>();

function sparseRows(x: Matrix): SparseRows {
  const cached = sparseCache.get(x.data);
  if (cached && cached.indptr.length === x.rows + 1) return cached;
  const { rows, cols, data } = x;
  let nnz = 0;
  for (let k = 0; k < data.length; k++) if (data[k] !== 0) nnz++;
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let p = 0;
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[base + j];
      if (v !== 0) {
        indices[p] = j;
        values[p++] = v;
      }
    }
    indptr[i + 1] = p;
  }
  const out = { indptr, indices, values };
  sparseCache.set(x.data, out);
  return out;
}

/** z = X·β (+ intercept β[intercept] when intercept >= 0), over sparse rows. */
function computeMargins(
  indptr: Int32Array,
  indices: Int32Array,
  values: Float64Array,
  beta: Float64Array,
  intercept: number,
  out: Float64Array,
): void {
  const b0 = intercept >= 0 ? beta[intercept] : 0;
  const n = out.length;
  for (let i = 0; i < n; i++) {
    let s = b0;
    const end = indptr[i + 1];
    for (let q = indptr[i]; q < end; q++) s += beta[indices[q]] * values[q];
    out[i] = s;
  }
}

/** The penalised weighted log-loss at margins z. */
function objectiveValue(
  z: Float64Array,
  y: Uint8Array,
  w: Float64Array,
  beta: Float64Array,
  d: number,
  l2: number,
): number {
  let f = 0;
  const n = z.length;
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    if (wi !== 0) f += wi * (log1pExp(z[i]) - y[i] * z[i]);
  }
  let r = 0;
  for (let j = 0; j < d; j++) r += beta[j] * beta[j];
  return f + 0.5 * l2 * r;
}

/** Gradient of the unpenalised loss (reset first): a cheap pass, so convergence is checked before any Hessian. */
function gradientOf(
  indptr: Int32Array,
  indices: Int32Array,
  values: Float64Array,
  z: Float64Array,
  y: Uint8Array,
  w: Float64Array,
  grad: Float64Array,
  intercept: number,
): void {
  grad.fill(0);
  const n = z.length;
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const r = wi * (sigmoid(z[i]) - y[i]);
    const end = indptr[i + 1];
    for (let q = indptr[i]; q < end; q++) grad[indices[q]] += r * values[q];
    if (intercept >= 0) grad[intercept] += r;
  }
}

/** Lower triangle of the Hessian of the unpenalised loss (reset first). */
function hessianOf(
  indptr: Int32Array,
  indices: Int32Array,
  values: Float64Array,
  z: Float64Array,
  w: Float64Array,
  hess: Float64Array,
  p: number,
  intercept: number,
): void {
  hess.fill(0);
  const n = z.length;
  const ip = intercept * p;
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const pi = sigmoid(z[i]);
    const h = wi * pi * (1 - pi);
    const start = indptr[i];
    const end = indptr[i + 1];
    if (end - start === p - (intercept >= 0 ? 1 : 0)) {
      // A dense row (every feature non-zero): contiguous loops, no index lookups.
      for (let j = 0; start + j < end; j++) {
        const hv = h * values[start + j];
        const row = j * p;
        for (let k = 0; k <= j; k++) hess[row + k] += hv * values[start + k];
        if (intercept >= 0) hess[ip + j] += hv;
      }
      if (intercept >= 0) hess[ip + intercept] += h;
      continue;
    }
    for (let q = start; q < end; q++) {
      const hv = h * values[q];
      const row = indices[q] * p;
      // Lower triangle only: indices are increasing within a row.
      for (let s = start; s <= q; s++) hess[row + indices[s]] += hv * values[s];
      if (intercept >= 0) hess[ip + indices[q]] += hv;
    }
    if (intercept >= 0) hess[ip + intercept] += h;
  }
}

function log1pExp(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Weighted L2 logistic regression.
 *
 * @example
 * const model = new LogisticRegression({ l2: 1 }).fit(toMatrix([[0], [1], [2], [3]]), [0, 0, 1, 1]);
 * model.predictProba(toMatrix([[1.5]])); // Float64Array [0.5…]
 */
export class LogisticRegression implements Estimator {
  readonly options: Required<LogisticRegressionOptions>;
  /** Coefficients, one per feature (empty before fitting). */
  coef: Float64Array = new Float64Array(0);
  intercept = 0;
  /** Newton steps taken by the last fit, and whether it met the tolerance. */
  nIter = 0;
  converged = false;
  #init: { coef: Float64Array; intercept: number } | undefined;

  constructor(options: LogisticRegressionOptions = {}) {
    const l2 = options.l2 ?? 1;
    if (!(l2 >= 0 && Number.isFinite(l2)))
      throw new FairkitError("BAD_ARGUMENT", messages.notFiniteNonNegative("l2", l2), { argument: "l2" });
    const maxIter = options.maxIter ?? 100;
    if (!(Number.isInteger(maxIter) && maxIter > 0))
      throw new FairkitError("BAD_ARGUMENT", messages.notPositiveInteger("maxIter", maxIter), { argument: "maxIter" });
    this.options = {
      l2,
      fitIntercept: options.fitIntercept ?? true,
      maxIter,
      tol: options.tol ?? 1e-10,
      warmStart: options.warmStart ?? false,
    };
  }

  clone(): LogisticRegression {
    return new LogisticRegression(this.options);
  }

  /** The next fit starts from `previous`'s coefficients (the objective is convex: same answer, fewer steps). */
  warmStartFrom(previous: Estimator): void {
    if (previous instanceof LogisticRegression && previous.coef.length > 0)
      this.#init = { coef: previous.coef, intercept: previous.intercept };
  }

  fit(X: Matrix, y: ArrayLike<number>, options: FitOptions = {}): this {
    const n = X.rows;
    const d = X.cols;
    if (n === 0) throw new FairkitError("EMPTY_INPUT", messages.nothingToLearn("X"), { argument: "X" });
    if (y.length !== n)
      throw new FairkitError("LENGTH_MISMATCH", messages.rowsDiffer("y", y.length, "X", n), { argument: "y" });
    checkFinite(X);
    for (let i = 0; i < n; i++) {
      if (y[i] !== 0 && y[i] !== 1)
        throw new FairkitError("NOT_BINARY", messages.labelNotBit("y", y[i], i), { argument: "y", row: i });
    }
    let w: Float64Array | undefined;
    if (options.sampleWeight !== undefined) {
      if (options.sampleWeight.length !== n) {
        throw new FairkitError(
          "LENGTH_MISMATCH",
          messages.rowsDiffer("sampleWeight", options.sampleWeight.length, "X", n),
          { argument: "sampleWeight" },
        );
      }
      w = toWeights(Float64Array.from(options.sampleWeight));
    }
    const { l2, fitIntercept, maxIter, tol } = this.options;
    const labels = Uint8Array.from(y as ArrayLike<number>);
    const weights = w ?? new Float64Array(n).fill(1);
    const p = fitIntercept ? d + 1 : d;
    const beta = new Float64Array(p);
    const start = this.#init ?? (this.options.warmStart ? { coef: this.coef, intercept: this.intercept } : undefined);
    this.#init = undefined;
    if (start && start.coef.length === d) {
      beta.set(start.coef);
      if (fitIntercept) beta[d] = start.intercept;
    }
    const rows = sparseRows(X);
    let totalWeight = 0;
    for (let i = 0; i < n; i++) totalWeight += weights[i];
    const intercept = fitIntercept ? d : -1;

    const z = new Float64Array(n);
    computeMargins(rows.indptr, rows.indices, rows.values, beta, intercept, z);
    let f = objectiveValue(z, labels, weights, beta, d, l2);
    if (start) {
      // A warm start from a very different problem can be worse than zero (where f = Σw·log 2),
      // and Newton crawls from far away on the log-loss: then start from zero instead.
      const atZero = totalWeight * Math.LN2;
      if (!(f <= atZero)) {
        beta.fill(0);
        z.fill(0);
        f = atZero;
      }
    }
    const grad = new Float64Array(p);
    const hess = new Float64Array(p * p);
    const trial = new Float64Array(p);
    const zTrial = new Float64Array(n);
    this.converged = false;
    let iter = 0;
    for (; iter < maxIter; iter++) {
      gradientOf(rows.indptr, rows.indices, rows.values, z, labels, weights, grad, intercept);
      for (let j = 0; j < d; j++) grad[j] += l2 * beta[j];
      let gmax = 0;
      for (let j = 0; j < p; j++) gmax = Math.max(gmax, Math.abs(grad[j]));
      if (gmax <= tol * Math.max(totalWeight, 1)) {
        this.converged = true;
        break;
      }
      hessianOf(rows.indptr, rows.indices, rows.values, z, weights, hess, p, intercept);
      for (let j = 0; j < d; j++) hess[j * p + j] += l2;
      for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) hess[a * p + b] = hess[b * p + a];
      const step = solveSymmetric(hess, p, grad);
      let slope = 0;
      for (let j = 0; j < p; j++) slope -= grad[j] * step[j];
      if (-slope <= 1e-11 * Math.max(1, Math.abs(f))) {
        // The predicted decrease is within the rounding noise of f (a sum of n terms): a line
        // search would stall on that noise. This close to the optimum the full Newton step is
        // safe, and after it the error is squared: final.
        for (let j = 0; j < p; j++) beta[j] -= step[j];
        this.converged = true;
        iter++;
        break;
      }
      let t = 1;
      let accepted = false;
      for (let ls = 0; ls < 40; ls++) {
        for (let j = 0; j < p; j++) trial[j] = beta[j] - t * step[j];
        computeMargins(rows.indptr, rows.indices, rows.values, trial, intercept, zTrial);
        const fTrial = objectiveValue(zTrial, labels, weights, trial, d, l2);
        if (fTrial <= f + 1e-4 * t * slope) {
          beta.set(trial);
          z.set(zTrial);
          accepted = true;
          f = fTrial;
          break;
        }
        t /= 2;
      }
      if (!accepted) {
        // No decrease left at double precision: as converged as this problem gets.
        this.converged = gmax <= 1e-6 * Math.max(totalWeight, 1);
        iter++;
        break;
      }
    }
    this.nIter = iter;
    this.coef = beta.slice(0, d);
    this.intercept = fitIntercept ? beta[d] : 0;
    return this;
  }

  /** Linear scores β·x + b. */
  decisionFunction(X: Matrix): Float64Array {
    if (this.coef.length !== X.cols) {
      throw new FairkitError(
        "BAD_ARGUMENT",
        messages.fittedWidth("model", X.cols, this.coef.length, this.coef.length === 0),
        { argument: "X" },
      );
    }
    const { rows, cols, data } = X;
    const out = new Float64Array(rows);
    const sparse = sparseCache.get(data);
    if (sparse && sparse.indptr.length === rows + 1) {
      // The training matrix of a reduction: its sparse form is already built, and much cheaper.
      const beta = new Float64Array(cols + 1);
      beta.set(this.coef);
      beta[cols] = this.intercept;
      computeMargins(sparse.indptr, sparse.indices, sparse.values, beta, cols, out);
      return out;
    }
    for (let i = 0; i < rows; i++) {
      let s = this.intercept;
      const base = i * cols;
      for (let j = 0; j < cols; j++) s += this.coef[j] * data[base + j];
      out[i] = s;
    }
    return out;
  }

  predictProba(X: Matrix): Float64Array {
    const z = this.decisionFunction(X);
    for (let i = 0; i < z.length; i++) z[i] = sigmoid(z[i]);
    return z;
  }

  /** 1 where P(y = 1) ≥ 0.5, i.e. where the score is ≥ 0. */
  predict(X: Matrix): Uint8Array {
    const z = this.decisionFunction(X);
    const out = new Uint8Array(z.length);
    for (let i = 0; i < z.length; i++) out[i] = z[i] >= 0 ? 1 : 0;
    return out;
  }

  toJSON(): LogisticRegressionJSON {
    const o = this.options;
    return {
      kind: "fairkit.logistic_regression",
      schema_version: MODEL_SCHEMA_VERSION,
      options: { l2: o.l2, fit_intercept: o.fitIntercept, max_iter: o.maxIter, tol: o.tol, warm_start: o.warmStart },
      coef: Array.from(this.coef),
      intercept: this.intercept,
    };
  }

  /** A saved model, checked against its schema (the message names the field). */
  static fromJSON(json: unknown, what = "logistic regression"): LogisticRegression {
    checkSchema(json, LOGISTIC_REGRESSION_SCHEMA, what);
    const doc = json as LogisticRegressionJSON;
    const o = doc.options;
    const model = new LogisticRegression({
      l2: o.l2,
      fitIntercept: o.fit_intercept,
      maxIter: o.max_iter,
      tol: o.tol,
      warmStart: o.warm_start,
    });
    model.coef = Float64Array.from(doc.coef);
    model.intercept = doc.intercept;
    return model;
  }
}
