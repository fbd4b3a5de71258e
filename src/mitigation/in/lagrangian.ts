/**
 * The Lagrangian of the reductions approach (Agarwal et al. 2018):
 *
 *     L(Q, λ) = err(Q) + λ · (γ(Q) − ε)
 *
 * over randomised classifiers Q (mixtures of the base learner's fits) and multipliers λ ≥ 0 with
 * ‖λ‖₁ ≤ B. The best response of the Q-player to a λ is one cost-sensitive classification: every
 * row gets the label the Lagrangian prefers (sign of its signed weight) and a weight (its size),
 * and the base learner is fitted to that. Fairlearn's `_Lagrangian`, in typed arrays.
 */
import { type Estimator, type EstimatorSource, ConstantEstimator, freshEstimator } from "../../models/estimator.js";
import type { Matrix } from "../../models/matrix.js";
import { linprog } from "./linprog.js";
import type { LoadedConstraint, LoadedObjective } from "./moments.js";
import { nowMs } from "../../core/clock.js";

/** Tolerance when comparing Lagrangian values (Fairlearn's `_PRECISION`). */
export const LAGRANGIAN_PRECISION = 1e-8;

/** One fitted base classifier and what it does on the training rows. */
export interface Hypothesis {
  estimator: Estimator;
  /** Its 0/1 decisions on the training rows. */
  decision: Uint8Array;
  error: number;
  gamma: Float64Array;
}

/** The result of {@link Lagrangian.evalGap}. */
export interface GapResult {
  L: number;
  lLow: number;
  lHigh: number;
  gamma: Float64Array;
  error: number;
  gap: number;
}

export class Lagrangian {
  readonly hypotheses: Hypothesis[] = [];
  /** Inner (base learner) fits so far. */
  oracleCalls = 0;
  /** Milliseconds spent in inner fits. */
  oracleMs = 0;
  readonly #X: Matrix;
  readonly #n: number;
  readonly #source: EstimatorSource;
  readonly #constraint: LoadedConstraint;
  readonly #objective: LoadedObjective;
  readonly #objectiveWeights: Float64Array;
  readonly #B: number;
  readonly #warmStart: boolean;
  #last: Estimator | undefined;
  #lpCache: { hypotheses: number; Q: Float64Array; lambda: Float64Array; result: GapResult } | undefined;

  constructor(
    X: Matrix,
    source: EstimatorSource,
    constraint: LoadedConstraint,
    objective: LoadedObjective,
    B: number,
    warmStart = true,
  ) {
    this.#X = X;
    this.#n = X.rows;
    this.#source = source;
    this.#constraint = constraint;
    this.#objective = objective;
    this.#objectiveWeights = objective.signedWeights();
    this.#B = B;
    this.#warmStart = warmStart;
  }

  get constraint(): LoadedConstraint {
    return this.#constraint;
  }

  /** Fits the base learner to the cost-sensitive problem λ defines. */
  callOracle(lambda: Float64Array): Hypothesis {
    const signed = this.#constraint.signedWeights(lambda);
    const n = this.#n;
    const labels = new Uint8Array(n);
    const weights = new Float64Array(n);
    let total = 0;
    let positives = 0;
    for (let i = 0; i < n; i++) {
      const s = signed[i] + this.#objectiveWeights[i];
      labels[i] = s > 0 ? 1 : 0;
      positives += labels[i];
      weights[i] = Math.abs(s);
      total += weights[i];
    }
    // Rescaled to sum to n, as Fairlearn does, so a penalised learner sees the same penalty strength.
    if (total > 0) for (let i = 0; i < n; i++) weights[i] = (n * weights[i]) / total;
    let estimator: Estimator;
    const t0 = nowMs();
    if (positives === 0 || positives === n || total === 0) {
      estimator = new ConstantEstimator(positives === n && total > 0 ? 1 : 0);
    } else {
      estimator = freshEstimator(this.#source);
      if (this.#warmStart && this.#last && estimator.warmStartFrom) estimator.warmStartFrom(this.#last);
      estimator.fit(this.#X, labels, { sampleWeight: weights });
      this.#last = estimator;
    }
    this.oracleCalls++;
    const decision = estimator.predict(this.#X);
    this.oracleMs += nowMs() - t0;
    return { estimator, decision, error: this.#objective.gamma(decision), gamma: this.#constraint.gamma(decision) };
  }

  #value(h: Hypothesis, lambda: Float64Array): number {
    let v = h.error;
    for (let k = 0; k < lambda.length; k++) v += h.gamma[k] * lambda[k];
    return v;
  }

  /** The best response to λ: a new fit, unless an earlier hypothesis is at least as good. Returns its index. */
  bestH(lambda: Float64Array): number {
    const h = this.callOracle(lambda);
    const value = this.#value(h, lambda);
    let bestIndex = -1;
    let bestValue = Number.POSITIVE_INFINITY;
    this.hypotheses.forEach((old, t) => {
      const v = this.#value(old, lambda);
      if (v < bestValue) {
        bestValue = v;
        bestIndex = t;
      }
    });
    if (value < bestValue - LAGRANGIAN_PRECISION) {
      this.hypotheses.push(h);
      return this.hypotheses.length - 1;
    }
    return bestIndex;
  }

  /** Error and γ of a mixture Q (weights over the hypotheses). */
  mixture(Q: ArrayLike<number>): { error: number; gamma: Float64Array } {
    const K = this.#constraint.labels.length;
    const gamma = new Float64Array(K);
    let error = 0;
    for (let t = 0; t < Q.length; t++) {
      if (Q[t] === 0) continue;
      const h = this.hypotheses[t];
      error += Q[t] * h.error;
      for (let k = 0; k < K; k++) gamma[k] += Q[t] * h.gamma[k];
    }
    return { error, gamma };
  }

  /** L, the upper value L_high (λ at the worst violated constraint, times B) and γ of Q. */
  evaluate(
    Q: ArrayLike<number>,
    lambda: Float64Array,
  ): { L: number; lHigh: number; gamma: Float64Array; error: number } {
    const { error, gamma } = this.mixture(Q);
    const projected = this.#constraint.projectLambda(lambda);
    const bound = this.#constraint.bound;
    let L = error;
    let maxViolation = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < gamma.length; k++) {
      L += projected[k] * (gamma[k] - bound[k]);
      maxViolation = Math.max(maxViolation, gamma[k] - bound[k]);
    }
    const lHigh = maxViolation <= 0 ? error : error + this.#B * maxViolation;
    return { L, lHigh, gamma, error };
  }

  /**
   * The saddle point over the hypotheses found so far, by linear programming (Fairlearn's
   * `solve_linprog`): the best mixture Q (min error + B·worst violation) and, from the dual LP,
   * the λ (‖λ‖₁ ≤ B) maximising the smallest Lagrangian. Cached until a hypothesis is added.
   */
  solveLinprog(nu: number): { Q: Float64Array; lambda: Float64Array; result: GapResult } {
    const T = this.hypotheses.length;
    if (this.#lpCache && this.#lpCache.hypotheses === T) return this.#lpCache;
    const K = this.#constraint.labels.length;
    const bound = this.#constraint.bound;
    const hs = this.hypotheses;
    const primal = linprog({
      c: [...hs.map((h) => h.error), this.#B],
      aUb: Array.from({ length: K }, (_, k) => [...hs.map((h) => h.gamma[k] - bound[k]), -1]),
      bUb: new Array(K).fill(0),
      aEq: [[...hs.map(() => 1), 0]],
      bEq: [1],
    });
    // Dual: maximise μ subject to μ ≤ error_t + Σ_k λ_k (γ_tk − ε_k) for every t, Σλ ≤ B, λ ≥ 0.
    const dual = linprog({
      c: [...new Array(K).fill(0), -1],
      aUb: [
        ...hs.map((h) => [...Array.from({ length: K }, (_, k) => -(h.gamma[k] - bound[k])), 1]),
        [...new Array(K).fill(1), 0],
      ],
      bUb: [...hs.map((h) => h.error), this.#B],
      free: [K],
    });
    const Q = new Float64Array(T);
    for (let t = 0; t < T; t++) Q[t] = Math.max(primal.x[t], 0);
    const total = Q.reduce((a, b) => a + b, 0);
    for (let t = 0; t < T; t++) Q[t] /= total;
    const lambda = Float64Array.from({ length: K }, (_, k) => Math.max(dual.x[k], 0));
    const result = this.evalGap(Q, lambda, nu);
    this.#lpCache = { hypotheses: T, Q, lambda, result };
    return this.#lpCache;
  }

  /** The duality gap of (Q, λ̂): how far the pair is from a saddle point. */
  evalGap(Q: ArrayLike<number>, lambdaHat: Float64Array, nu: number): GapResult {
    const { L, lHigh, gamma, error } = this.evaluate(Q, lambdaHat);
    let lLow = L;
    let gap = Math.max(L - lLow, lHigh - L);
    for (const mul of [1, 2, 5, 10]) {
      const scaled = lambdaHat.map((x) => mul * x);
      const t = this.bestH(scaled);
      const single = new Float64Array(this.hypotheses.length);
      single[t] = 1;
      const low = this.evaluate(single, lambdaHat).L;
      if (low < lLow) lLow = low;
      gap = Math.max(L - lLow, lHigh - L);
      if (gap > nu + LAGRANGIAN_PRECISION) break;
    }
    return { L, lLow, lHigh, gamma, error, gap };
  }
}
