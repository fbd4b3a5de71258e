/**
 * Correlation remover, as Fairlearn defines it: regress every non-sensitive column on the centred
 * sensitive columns (least squares, no intercept), keep the residuals, and blend them with the
 * original columns by `alpha`:
 *
 *     X' = alpha · (X − (S − mean(S)) · β) + (1 − alpha) · X
 *
 * alpha = 1 removes every linear correlation with the sensitive columns; 0 changes nothing. The
 * sensitive columns are dropped from the output. Only linear correlation is removed: a model can
 * still recover the group from non-linear patterns.
 */
import { FairkitError, messages } from "../../core/errors.js";
import { checkSchema } from "../../core/schema.js";
import { CORRELATION_REMOVER_SCHEMA, MODEL_SCHEMA_VERSION } from "../../schemas/models.js";
import { type Matrix, checkFinite } from "../../models/matrix.js";

/** Options of {@link CorrelationRemover}. */
export interface CorrelationRemoverOptions {
  /** Indexes of the sensitive columns of X (e.g. their one-hot columns). */
  sensitiveColumns: readonly number[];
  /** How much of the correlation to remove, in [0, 1]; default 1. */
  alpha?: number;
}

/** A fitted correlation remover as JSON. */
export interface CorrelationRemoverJSON {
  kind: "fairkit.correlation_remover";
  schema_version: typeof MODEL_SCHEMA_VERSION;
  sensitive_columns: number[];
  alpha: number;
  /** Columns of the X it was fitted on. */
  input_columns: number;
  sensitive_mean: number[];
  /** β, row-major: one row per sensitive column, one column per kept column. */
  beta: number[];
}

/**
 * @example
 * const cr = new CorrelationRemover({ sensitiveColumns: [0], alpha: 1 });
 * cr.fitTransform(toMatrix([[1, 2, 3], [4, 5, 6], [7, 8, 9]])); // rows [5, 6], [5, 6], [5, 6]
 */
export class CorrelationRemover {
  readonly sensitiveColumns: readonly number[];
  readonly alpha: number;
  sensitiveMean = new Float64Array(0);
  beta = new Float64Array(0);
  #inputCols = -1;

  constructor(options: CorrelationRemoverOptions) {
    const alpha = options.alpha ?? 1;
    if (!(alpha >= 0 && alpha <= 1))
      throw new FairkitError("BAD_ARGUMENT", messages.notInRange("alpha", "[0, 1]", alpha), { argument: "alpha" });
    if (!options.sensitiveColumns || options.sensitiveColumns.length === 0) {
      throw new FairkitError("BAD_ARGUMENT", messages.namesNoColumn("sensitiveColumns"), {
        argument: "sensitiveColumns",
      });
    }
    this.sensitiveColumns = [...options.sensitiveColumns];
    this.alpha = alpha;
  }

  #split(X: Matrix): { kept: number[] } {
    for (const c of this.sensitiveColumns) {
      if (!(Number.isInteger(c) && c >= 0 && c < X.cols)) {
        throw new FairkitError("BAD_ARGUMENT", messages.notAColumnOfX(c, X.cols, "sensitive column"), {
          argument: "sensitiveColumns",
        });
      }
    }
    const sensitive = new Set(this.sensitiveColumns);
    const kept: number[] = [];
    for (let j = 0; j < X.cols; j++) if (!sensitive.has(j)) kept.push(j);
    return { kept };
  }

  /**
   * Least squares by modified Gram–Schmidt on the centred sensitive columns. Columns that are
   * (nearly) a combination of earlier ones get β = 0: one-hot columns of one feature always sum to
   * a constant, so after centring one of them is redundant. The residuals are the same as with
   * Fairlearn's minimum-norm `lstsq`; only β's split between redundant columns differs.
   */
  fit(X: Matrix): this {
    checkFinite(X);
    const { kept } = this.#split(X);
    const n = X.rows;
    const s = this.sensitiveColumns.length;
    const m = kept.length;
    const mean = new Float64Array(s);
    for (let a = 0; a < s; a++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += X.data[i * X.cols + this.sensitiveColumns[a]];
      mean[a] = sum / n;
    }
    // Q: orthonormal basis (n × r) of the centred sensitive columns, R: r × s upper part.
    const q: Float64Array[] = [];
    const basisOf: number[] = [];
    const r = new Float64Array(s * s);
    for (let a = 0; a < s; a++) {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = X.data[i * X.cols + this.sensitiveColumns[a]] - mean[a];
      let norm0 = 0;
      for (let i = 0; i < n; i++) norm0 += v[i] * v[i];
      for (let b = 0; b < q.length; b++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[b][i] * v[i];
        r[b * s + a] = dot;
        for (let i = 0; i < n; i++) v[i] -= dot * q[b][i];
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += v[i] * v[i];
      if (norm > 1e-20 * Math.max(norm0, 1e-300) && norm > 0) {
        const len = Math.sqrt(norm);
        for (let i = 0; i < n; i++) v[i] /= len;
        r[q.length * s + a] = len;
        q.push(v);
        basisOf.push(a);
      }
    }
    // β for the independent columns: R_kk · β = Qᵀ X (back substitution), others 0.
    const rank = q.length;
    const beta = new Float64Array(s * m);
    const qtx = new Float64Array(rank);
    for (let c = 0; c < m; c++) {
      for (let b = 0; b < rank; b++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[b][i] * X.data[i * X.cols + kept[c]];
        qtx[b] = dot;
      }
      for (let b = rank - 1; b >= 0; b--) {
        let t = qtx[b];
        for (let e = b + 1; e < rank; e++) t -= r[b * s + basisOf[e]] * beta[basisOf[e] * m + c];
        beta[basisOf[b] * m + c] = t / r[b * s + basisOf[b]];
      }
    }
    this.sensitiveMean = mean;
    this.beta = beta;
    this.#inputCols = X.cols;
    return this;
  }

  /** Removes the fitted correlation from X (same columns as when fitting); drops the sensitive columns. */
  transform(X: Matrix): Matrix {
    if (this.#inputCols < 0)
      throw new FairkitError("BAD_ARGUMENT", messages.notFitted("the correlation remover"), { argument: "X" });
    if (X.cols !== this.#inputCols)
      throw new FairkitError("BAD_ARGUMENT", messages.fittedWidth("remover", X.cols, this.#inputCols), {
        argument: "X",
      });
    const { kept } = this.#split(X);
    const n = X.rows;
    const s = this.sensitiveColumns.length;
    const m = kept.length;
    const data = new Float64Array(n * m);
    const centred = new Float64Array(s);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < s; a++) centred[a] = X.data[i * X.cols + this.sensitiveColumns[a]] - this.sensitiveMean[a];
      for (let c = 0; c < m; c++) {
        const x = X.data[i * X.cols + kept[c]];
        let fitted = 0;
        for (let a = 0; a < s; a++) fitted += centred[a] * this.beta[a * m + c];
        data[i * m + c] = this.alpha * (x - fitted) + (1 - this.alpha) * x;
      }
    }
    return { rows: n, cols: m, data };
  }

  fitTransform(X: Matrix): Matrix {
    return this.fit(X).transform(X);
  }

  toJSON(): CorrelationRemoverJSON {
    return {
      kind: "fairkit.correlation_remover",
      schema_version: MODEL_SCHEMA_VERSION,
      sensitive_columns: [...this.sensitiveColumns],
      alpha: this.alpha,
      input_columns: this.#inputCols,
      sensitive_mean: Array.from(this.sensitiveMean),
      beta: Array.from(this.beta),
    };
  }

  /** A saved remover, checked against its schema (and its sizes against each other). */
  static fromJSON(json: unknown, what = "correlation remover"): CorrelationRemover {
    checkSchema(json, CORRELATION_REMOVER_SCHEMA, what);
    const doc = json as CorrelationRemoverJSON;
    const s = doc.sensitive_columns.length;
    if (doc.sensitive_mean.length !== s || doc.beta.length !== s * (doc.input_columns - s)) {
      throw new FairkitError(
        "BAD_ARGUMENT",
        messages.correlationSizes(what, s, doc.input_columns, doc.sensitive_mean.length, doc.beta.length),
        { argument: what },
      );
    }
    const cr = new CorrelationRemover({ sensitiveColumns: doc.sensitive_columns, alpha: doc.alpha });
    cr.sensitiveMean = Float64Array.from(doc.sensitive_mean);
    cr.beta = Float64Array.from(doc.beta);
    cr.#inputCols = doc.input_columns;
    return cr;
  }
}
