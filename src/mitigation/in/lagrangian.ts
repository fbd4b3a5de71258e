/**
 * The Lagrangian of the reductions approach (Agarwal et al. 2018; for regression Agarwal et al.
 * 2019):
 *
 *     L(Q, λ) = objective(Q) + λ · (γ(Q) − bound)
 *
 * over randomised predictors Q (mixtures of the base learner's fits) and multipliers λ ≥ 0 with
 * ‖λ‖₁ ≤ B. The rule of this file: one engine for every moment. The best response of the Q-player
 * to a λ is one weighted fit of the base learner, built from the per-row signed weights
 * (objective + constraint) by {@link reducedProblem}, whose only branch is the moment's kind:
 * a classification moment relabels every row by the sign of its weight (cost-sensitive
 * classification); a loss moment keeps the original y and uses the weights as sample weights
 * (weighted regression). Fairlearn's `_Lagrangian`, in typed arrays.
 */
import {
  type Estimator,
  type EstimatorSource,
  type Regressor,
  type RegressorSource,
  ConstantEstimator,
  freshEstimator,
} from "../../models/estimator.js";
import { LinearRegression } from "../../models/linear-regression.js";
import type { Matrix } from "../../models/matrix.js";
import { linprog } from "./linprog.js";
import type { LoadedConstraint, LoadedObjective } from "./moments.js";
import { nowMs } from "../../core/clock.js";

/** Tolerance when comparing Lagrangian values (Fairlearn's `_PRECISION`). */
export const LAGRANGIAN_PRECISION = 1e-8;

/** What a moment compares: 0/1 decisions (classification) or a loss of predicted values (regression). */
export type MomentKind = "classification" | "loss";

/** One weighted fit of the base learner: what the Q-player's best response to a λ is trained on. */
export interface ReducedProblem<T> {
  /** Per row: the label the Lagrangian prefers (classification) or the original y (loss). */
  target: T;
  /** Per row: the size of the signed weight, rescaled to sum to n (as Fairlearn does). */
  weights: Float64Array;
  /** The single target value when every row has the same one (then a constant model is fitted), else undefined. */
  constant: number | undefined;
}

/**
 * The reduced problem of per-row signed weights (objective + constraint), the only step that
 * depends on the moment kind. Classification: target 1 where the signed weight is positive.
 * Loss: target y. Both: weight |signed weight|, rescaled to sum to n so that a penalised learner
 * sees the same penalty strength whatever λ is.
 */
export function reducedProblem(kind: "classification", signed: Float64Array): ReducedProblem<Uint8Array>;
export function reducedProblem(kind: "loss", signed: Float64Array, y: Float64Array): ReducedProblem<Float64Array>;
export function reducedProblem(
  kind: MomentKind,
  signed: Float64Array,
  y?: Float64Array,
): ReducedProblem<Uint8Array> | ReducedProblem<Float64Array> {
  const n = signed.length;
  const weights = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    weights[i] = Math.abs(signed[i]);
    total += weights[i];
  }
  if (total > 0) for (let i = 0; i < n; i++) weights[i] = (n * weights[i]) / total;
  if (kind === "classification") {
    const target = new Uint8Array(n);
    let positives = 0;
    for (let i = 0; i < n; i++) {
      target[i] = signed[i] > 0 ? 1 : 0;
      positives += target[i];
    }
    const constant = positives === 0 || total === 0 ? 0 : positives === n ? 1 : undefined;
    return { target, weights, constant };
  }
  const target = y as Float64Array;
  let same = true;
  for (let i = 1; i < n && same; i++) same = target[i] === target[0];
  return { target, weights, constant: same ? target[0] : undefined };
}

/** How the Lagrangian fits and reads one best response: the base learner behind a moment kind. */
export interface Oracle<M, P> {
  readonly kind: MomentKind;
  /** A fresh model fitted to the reduced problem of these signed weights. */
  fit(signed: Float64Array): M;
  /** The model's output on the training rows (what the objective and γ are evaluated on). */
  output(model: M): P;
}

/** The classification oracle: cost-sensitive classification by the base classifier, with warm starts. */
export function classificationOracle(
  X: Matrix,
  source: EstimatorSource,
  warmStart = true,
): Oracle<Estimator, Uint8Array> {
  let last: Estimator | undefined;
  return {
    kind: "classification",
    fit: (signed) => {
      const problem = reducedProblem("classification", signed);
      if (problem.constant !== undefined) return new ConstantEstimator(problem.constant as 0 | 1);
      const estimator = freshEstimator(source);
      if (warmStart && last && estimator.warmStartFrom) estimator.warmStartFrom(last);
      estimator.fit(X, problem.target, { sampleWeight: problem.weights });
      last = estimator;
      return estimator;
    },
    output: (model) => model.predict(X),
  };
}

/** The loss oracle: weighted regression of the original y by the base regressor. */
export function lossOracle(X: Matrix, y: Float64Array, source: RegressorSource): Oracle<Regressor, Float64Array> {
  return {
    kind: "loss",
    fit: (signed) => {
      const problem = reducedProblem("loss", signed, y);
      if (problem.constant !== undefined) return LinearRegression.constant(problem.constant, X.cols);
      const regressor = freshEstimator(source);
      regressor.fit(X, problem.target, { sampleWeight: problem.weights });
      return regressor;
    },
    output: (model) => model.predict(X),
  };
}

/** One fitted base model and what it does on the training rows. */
export interface Hypothesis<M = Estimator, P = Uint8Array> {
  estimator: M;
  /** Its output on the training rows: 0/1 decisions, or predicted values. */
  output: P;
  /** The objective (error rate, or mean loss). */
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

/** The Lagrangian bound to training data, its best responses so far, and the LP over them. */
export class Lagrangian<M = Estimator, P = Uint8Array> {
  readonly hypotheses: Hypothesis<M, P>[] = [];
  /** Inner (base learner) fits so far. */
  oracleCalls = 0;
  /** Milliseconds spent in inner fits. */
  oracleMs = 0;
  readonly #oracle: Oracle<M, P>;
  readonly #constraint: LoadedConstraint<P>;
  readonly #objective: LoadedObjective<P>;
  readonly #objectiveWeights: Float64Array;
  readonly #B: number;
  #lpCache: { hypotheses: number; Q: Float64Array; lambda: Float64Array; result: GapResult } | undefined;

  constructor(oracle: Oracle<M, P>, constraint: LoadedConstraint<P>, objective: LoadedObjective<P>, B: number) {
    this.#oracle = oracle;
    this.#constraint = constraint;
    this.#objective = objective;
    this.#objectiveWeights = objective.signedWeights();
    this.#B = B;
  }

  get constraint(): LoadedConstraint<P> {
    return this.#constraint;
  }

  /**
   * Fits the base learner to the problem λ defines. `withObjective: false` leaves the objective's
   * signed weights out, for a moment whose λ already spans the objective (GridSearch with a loss
   * moment, as Fairlearn's `default_objective_lambda_vec`).
   */
  callOracle(lambda: Float64Array, withObjective = true): Hypothesis<M, P> {
    const signed = this.#constraint.signedWeights(lambda);
    if (withObjective) for (let i = 0; i < signed.length; i++) signed[i] += this.#objectiveWeights[i];
    const t0 = nowMs();
    const estimator = this.#oracle.fit(signed);
    this.oracleCalls++;
    const output = this.#oracle.output(estimator);
    this.oracleMs += nowMs() - t0;
    return { estimator, output, error: this.#objective.gamma(output), gamma: this.#constraint.gamma(output) };
  }

  #value(h: Hypothesis<M, P>, lambda: Float64Array): number {
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
