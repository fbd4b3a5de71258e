/**
 * Learned fair representations (Zemel et al. 2013, "Learning Fair Representations"). Each row is
 * mapped to a probability distribution over K prototypes v_k (a softmax of negative weighted
 * squared distances, with one learned weight α_j per feature); the representation is the
 * reconstruction x̂ = Σ_k M_k·v_k, and each prototype carries a prediction w_k ∈ [0, 1]. The
 * prototypes, α and w minimise
 *
 *     Ax · L_x + Ay · L_y + Az · L_z
 *
 * with L_x the mean squared reconstruction error, L_y the mean log-loss of ŷ = Σ_k M_k·w_k, and
 * L_z statistical parity of the mapping: Σ_k |mean M_k in group a − mean M_k in group b|, summed
 * over pairs of groups. AIF360's defaults: K = 5, Ax = 0.01, Ay = 1, Az = 50. Fitted by L-BFGS with
 * the exact gradient; the start (prototypes at seeded random training rows) is the only randomness.
 */
import { FairkitError, messages } from "../../core/errors.js";
import { encodeGroups, type SensitiveInput } from "../../core/groups.js";
import { createRandom } from "../../core/random.js";
import { checkSchema } from "../../core/schema.js";
import { LFR_SCHEMA, MODEL_SCHEMA_VERSION } from "../../schemas/models.js";
import { type BinaryInput, toBinary } from "../../core/validate.js";
import { minimizeLbfgs } from "../../models/lbfgs.js";
import { type Matrix, checkFinite, takeRows, takeValues } from "../../models/matrix.js";

/** Options of {@link LearnedFairRepresentations}. */
export interface LfrOptions {
  /** Number of prototypes K; default 5. */
  prototypes?: number;
  /** Weight of the reconstruction loss; default 0.01. */
  reconstructionWeight?: number;
  /** Weight of the prediction loss; default 1. */
  predictionWeight?: number;
  /** Weight of the statistical parity loss; default 50. */
  fairnessWeight?: number;
  /** L-BFGS iterations; default 200. */
  maxIter?: number;
  /** Fit on at most this many rows (a seeded sample); default all rows. */
  maxRows?: number;
  /** Seed of the starting prototypes and the row sample; default 0. */
  seed?: number;
}

/** A fitted LFR as JSON. */
export interface LfrJSON {
  kind: "fairkit.learned_fair_representations";
  schema_version: typeof MODEL_SCHEMA_VERSION;
  prototypes: number[][];
  feature_weights: number[];
  prototype_predictions: number[];
}

/** The three parts of the objective at the fitted parameters. */
export interface LfrLosses {
  reconstruction: number;
  prediction: number;
  fairness: number;
  total: number;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

const CLIP = 1e-6;

/**
 * The LFR objective and its gradient for parameters θ = [V (K×d), u (K), a (d)], with w = σ(u)
 * and α = e^a. Exported for the gradient check in the tests.
 */
export function lfrObjective(
  theta: Float64Array,
  grad: Float64Array | undefined,
  X: Matrix,
  y: Uint8Array,
  codes: Int32Array,
  groupCount: number,
  K: number,
  weights: { ax: number; ay: number; az: number },
): LfrLosses {
  const { rows: N, cols: d, data } = X;
  const V = theta.subarray(0, K * d);
  const u = theta.subarray(K * d, K * d + K);
  const a = theta.subarray(K * d + K, K * d + K + d);
  const w = new Float64Array(K);
  for (let k = 0; k < K; k++) w[k] = sigmoid(u[k]);
  const alpha = new Float64Array(d);
  for (let j = 0; j < d; j++) alpha[j] = Math.exp(a[j]);
  const M = new Float64Array(N * K);
  const yhat = new Float64Array(N);
  const groupN = new Float64Array(groupCount);
  const groupM = new Float64Array(groupCount * K);
  let lx = 0;
  let ly = 0;
  const dist = new Float64Array(K);
  // Residuals x − x̂ of every row, kept for the gradient pass.
  const residual = new Float64Array(N * d);
  const xhat = new Float64Array(d);
  for (let n = 0; n < N; n++) {
    const row = n * d;
    let minD = Number.POSITIVE_INFINITY;
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const diff = data[row + j] - V[k * d + j];
        s += alpha[j] * diff * diff;
      }
      dist[k] = s;
      if (s < minD) minD = s;
    }
    let z = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(-(dist[k] - minD));
      M[n * K + k] = e;
      z += e;
    }
    let p = 0;
    xhat.fill(0);
    for (let k = 0; k < K; k++) {
      const m = (M[n * K + k] /= z);
      p += m * w[k];
      for (let j = 0; j < d; j++) xhat[j] += m * V[k * d + j];
    }
    for (let j = 0; j < d; j++) {
      const rj = data[row + j] - xhat[j];
      residual[row + j] = rj;
      lx += rj * rj;
    }
    const pc = Math.min(Math.max(p, CLIP), 1 - CLIP);
    yhat[n] = p;
    ly -= y[n] ? Math.log(pc) : Math.log(1 - pc);
    const g = codes[n];
    groupN[g]++;
    for (let k = 0; k < K; k++) groupM[g * K + k] += M[n * K + k];
  }
  for (let g = 0; g < groupCount; g++) for (let k = 0; k < K; k++) groupM[g * K + k] /= Math.max(groupN[g], 1);
  let lz = 0;
  // sign[g][k] = Σ_h≠g sign(M̄_gk − M̄_hk): the derivative of L_z by M̄_gk.
  const sign = new Float64Array(groupCount * K);
  for (let g = 0; g < groupCount; g++) {
    for (let h = g + 1; h < groupCount; h++) {
      for (let k = 0; k < K; k++) {
        const diff = groupM[g * K + k] - groupM[h * K + k];
        lz += Math.abs(diff);
        const s = Math.sign(diff);
        sign[g * K + k] += s;
        sign[h * K + k] -= s;
      }
    }
  }
  lx /= N;
  ly /= N;
  const losses = {
    reconstruction: lx,
    prediction: ly,
    fairness: lz,
    total: weights.ax * lx + weights.ay * ly + weights.az * lz,
  };
  if (!grad) return losses;

  grad.fill(0);
  const gV = grad.subarray(0, K * d);
  const gU = grad.subarray(K * d, K * d + K);
  const gA = grad.subarray(K * d + K, K * d + K + d);
  const G = new Float64Array(K);
  const twoAlpha = alpha.map((x) => 2 * x);
  for (let n = 0; n < N; n++) {
    const row = n * d;
    const r = residual.subarray(row, row + d);
    const p = yhat[n];
    const clipped = p < CLIP || p > 1 - CLIP;
    const dl = clipped ? 0 : y[n] ? -1 / p : 1 / (1 - p);
    const g = codes[n];
    let mg = 0;
    for (let k = 0; k < K; k++) {
      let rv = 0;
      for (let j = 0; j < d; j++) rv += r[j] * V[k * d + j];
      G[k] =
        (-2 * weights.ax * rv) / N +
        (weights.ay * dl * w[k]) / N +
        (weights.az * sign[g * K + k]) / Math.max(groupN[g], 1);
      mg += M[n * K + k] * G[k];
    }
    for (let k = 0; k < K; k++) {
      const m = M[n * K + k];
      const dz = m * (G[k] - mg);
      gU[k] += (weights.ay * dl * m) / N;
      const direct = (-2 * weights.ax * m) / N;
      const base = k * d;
      for (let j = 0; j < d; j++) {
        const diff = data[row + j] - V[base + j];
        // Direct: x̂ depends on v_k through M_k·v_k. Through the softmax: z_k = −Σ α_j diff².
        gV[base + j] += direct * r[j] + dz * twoAlpha[j] * diff;
        gA[j] -= dz * diff * diff;
      }
    }
  }
  for (let k = 0; k < K; k++) gU[k] *= w[k] * (1 - w[k]);
  for (let j = 0; j < d; j++) gA[j] *= alpha[j];
  return losses;
}

/**
 * @example
 * const lfr = new LearnedFairRepresentations({ prototypes: 5 }).fit(X, y, { sensitiveFeatures: { sex } });
 * const Z = lfr.transform(Xtest);    // the fair representation, same columns as X
 * const p = lfr.predictProba(Xtest); // the prototypes' own prediction
 */
export class LearnedFairRepresentations {
  readonly options: Required<Omit<LfrOptions, "maxRows">> & { maxRows: number | undefined };
  prototypes: Matrix = { rows: 0, cols: 0, data: new Float64Array(0) };
  featureWeights = new Float64Array(0);
  prototypePredictions = new Float64Array(0);
  nIter = 0;
  losses: LfrLosses | undefined;

  constructor(options: LfrOptions = {}) {
    const prototypes = options.prototypes ?? 5;
    if (!(Number.isInteger(prototypes) && prototypes >= 1))
      throw new FairkitError("BAD_ARGUMENT", messages.notPositiveInteger("prototypes", prototypes), {
        argument: "prototypes",
      });
    this.options = {
      prototypes,
      reconstructionWeight: options.reconstructionWeight ?? 0.01,
      predictionWeight: options.predictionWeight ?? 1,
      fairnessWeight: options.fairnessWeight ?? 50,
      maxIter: options.maxIter ?? 200,
      maxRows: options.maxRows,
      seed: options.seed ?? 0,
    };
    for (const k of ["reconstructionWeight", "predictionWeight", "fairnessWeight"] as const) {
      if (!(this.options[k] >= 0))
        throw new FairkitError("BAD_ARGUMENT", messages.negative(k, this.options[k]), { argument: k });
    }
  }

  fit(X: Matrix, y: BinaryInput, options: { sensitiveFeatures: SensitiveInput }): this {
    checkFinite(X);
    let labels = toBinary(y, "y");
    let codesAll = encodeGroups(options.sensitiveFeatures, X.rows, "X");
    let Xfit = X;
    const rng = createRandom(this.options.seed);
    const { maxRows } = this.options;
    if (maxRows !== undefined && maxRows < X.rows) {
      const order = Int32Array.from({ length: X.rows }, (_, i) => i);
      for (let i = 0; i < maxRows; i++) {
        const j = i + rng.int(X.rows - i);
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      const index = order.slice(0, maxRows).sort();
      Xfit = takeRows(X, index);
      labels = takeValues(labels, index);
      codesAll = { ...codesAll, codes: takeValues(codesAll.codes, index) };
    }
    const K = this.options.prototypes;
    const d = X.cols;
    const theta = new Float64Array(K * d + K + d);
    for (let k = 0; k < K; k++) {
      const r = rng.int(Xfit.rows);
      for (let j = 0; j < d; j++) theta[k * d + j] = Xfit.data[r * d + j] + 0.01 * rng.normal();
    }
    const weights = {
      ax: this.options.reconstructionWeight,
      ay: this.options.predictionWeight,
      az: this.options.fairnessWeight,
    };
    const G = codesAll.groups.length;
    const result = minimizeLbfgs(
      (t, g) => lfrObjective(t, g, Xfit, labels, codesAll.codes, G, K, weights).total,
      theta,
      { maxIter: this.options.maxIter, gtol: 1e-7 },
    );
    this.#set(result.x, K, d);
    this.nIter = result.iterations;
    this.losses = lfrObjective(result.x, undefined, Xfit, labels, codesAll.codes, G, K, weights);
    return this;
  }

  #set(theta: Float64Array, K: number, d: number): void {
    this.prototypes = { rows: K, cols: d, data: theta.slice(0, K * d) };
    this.prototypePredictions = Float64Array.from(theta.subarray(K * d, K * d + K), sigmoid);
    this.featureWeights = Float64Array.from(theta.subarray(K * d + K), Math.exp);
  }

  /** Prototype probabilities M (rows × K). */
  mapping(X: Matrix): Matrix {
    const K = this.prototypes.rows;
    const d = this.prototypes.cols;
    if (K === 0)
      throw new FairkitError("BAD_ARGUMENT", messages.notFitted("LearnedFairRepresentations"), { argument: "X" });
    if (X.cols !== d)
      throw new FairkitError("BAD_ARGUMENT", messages.fittedWidth("representation", X.cols, d), { argument: "X" });
    const V = this.prototypes.data;
    const alpha = this.featureWeights;
    const out = new Float64Array(X.rows * K);
    for (let n = 0; n < X.rows; n++) {
      let minD = Number.POSITIVE_INFINITY;
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += alpha[j] * (X.data[n * d + j] - V[k * d + j]) ** 2;
        out[n * K + k] = s;
        if (s < minD) minD = s;
      }
      let z = 0;
      for (let k = 0; k < K; k++) z += out[n * K + k] = Math.exp(-(out[n * K + k] - minD));
      for (let k = 0; k < K; k++) out[n * K + k] /= z;
    }
    return { rows: X.rows, cols: K, data: out };
  }

  /** The fair representation x̂ = Σ_k M_k·v_k (same columns as X). */
  transform(X: Matrix): Matrix {
    const M = this.mapping(X);
    const K = M.cols;
    const d = this.prototypes.cols;
    const out = new Float64Array(X.rows * d);
    for (let n = 0; n < X.rows; n++) {
      for (let k = 0; k < K; k++) {
        const m = M.data[n * K + k];
        for (let j = 0; j < d; j++) out[n * d + j] += m * this.prototypes.data[k * d + j];
      }
    }
    return { rows: X.rows, cols: d, data: out };
  }

  /** ŷ = Σ_k M_k·w_k: the representation's own prediction. */
  predictProba(X: Matrix): Float64Array {
    const M = this.mapping(X);
    const K = M.cols;
    const out = new Float64Array(X.rows);
    for (let n = 0; n < X.rows; n++)
      for (let k = 0; k < K; k++) out[n] += M.data[n * K + k] * this.prototypePredictions[k];
    return out;
  }

  predict(X: Matrix): Uint8Array {
    return Uint8Array.from(this.predictProba(X), (p) => (p >= 0.5 ? 1 : 0));
  }

  toJSON(): LfrJSON {
    const K = this.prototypes.rows;
    const d = this.prototypes.cols;
    return {
      kind: "fairkit.learned_fair_representations",
      schema_version: MODEL_SCHEMA_VERSION,
      prototypes: Array.from({ length: K }, (_, k) => Array.from(this.prototypes.data.subarray(k * d, (k + 1) * d))),
      feature_weights: Array.from(this.featureWeights),
      prototype_predictions: Array.from(this.prototypePredictions),
    };
  }

  /** A saved model, checked against its schema (and its sizes against each other). */
  static fromJSON(json: unknown, what = "learned fair representations"): LearnedFairRepresentations {
    checkSchema(json, LFR_SCHEMA, what);
    const doc = json as LfrJSON;
    const K = doc.prototypes.length;
    const d = doc.feature_weights.length;
    if (K === 0 || doc.prototype_predictions.length !== K || doc.prototypes.some((p) => p.length !== d)) {
      throw new FairkitError("BAD_ARGUMENT", messages.representationSizes(what, K, d), { argument: what });
    }
    const lfr = new LearnedFairRepresentations({ prototypes: K });
    lfr.prototypes = { rows: K, cols: d, data: Float64Array.from(doc.prototypes.flat()) };
    lfr.featureWeights = Float64Array.from(doc.feature_weights);
    lfr.prototypePredictions = Float64Array.from(doc.prototype_predictions);
    return lfr;
  }
}
