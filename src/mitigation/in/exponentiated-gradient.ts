/**
 * ExponentiatedGradient (Agarwal et al. 2018, "A Reductions Approach to Fair Classification"),
 * following Fairlearn's implementation choices: the λ-player runs exponentiated gradient on
 * θ (λ = B·e^θ / (1 + Σ e^θ), B = 1/eps), the Q-player best-responds with one weighted fit of the
 * base learner per step, the step size η = eta0 / B shrinks when the gap stops falling, and the
 * iterate with the smallest duality gap is kept (the last one among ties).
 *
 * The result is a randomised classifier: a mixture of base classifiers with weights. Its
 * `predictProba` is exact (the weighted average of the base classifiers' decisions); `predict`
 * draws each row's decision from that probability with a seeded generator.
 *
 * As in Fairlearn (`run_linprog_step`, on by default), each iteration also solves the saddle point
 * over the hypotheses found so far by linear programming and keeps whichever of the two iterates
 * (exponentiated gradient or LP) has the smaller gap.
 *
 * The loop itself (runExponentiatedGradient) knows no moment kind: ExponentiatedGradientRegressor
 * runs the same loop on a loss moment.
 */
import { FairkitError, messages } from "../../core/errors.js";
import { checkSchema } from "../../core/schema.js";
import { EXPONENTIATED_GRADIENT_SCHEMA, MODEL_SCHEMA_VERSION } from "../../schemas/models.js";
import { createRandom } from "../../core/random.js";
import type { BinaryInput } from "../../core/validate.js";
import type { Estimator, EstimatorSource } from "../../models/estimator.js";
import type { Matrix } from "../../models/matrix.js";
import { estimatorFromJSON } from "../../models/saved-estimator.js";
import { type ReductionFitOptions, reductionData } from "./fit-data.js";
import { Lagrangian, LAGRANGIAN_PRECISION, classificationOracle } from "./lagrangian.js";
import { type FairnessConstraint, errorRateObjective } from "./moments.js";

/** Options of {@link ExponentiatedGradient}. */
export interface ExponentiatedGradientOptions {
  /** Allowed constraint violation of the solution; B = 1/eps bounds ‖λ‖₁. Default 0.01. */
  eps?: number;
  /** Most iterations; default 50. */
  maxIter?: number;
  /** Stop when the duality gap is below ν (after 5 iterations); default from the first fit's error spread. */
  nu?: number;
  /** Initial step size, divided by B; default 2. */
  eta0?: number;
  /** Start each inner fit from the previous one's solution when the learner supports it; default true. */
  warmStart?: boolean;
  /** Also try the LP saddle point over the hypotheses found so far each iteration; default true. */
  runLinprogStep?: boolean;
}

const MIN_ITER = 5;
const ACCURACY_MUL = 0.5;
const REGRET_CHECK_START_T = 5;
const REGRET_CHECK_INCREASE_T = 1.6;
const SHRINK_REGRET = 0.8;
const SHRINK_ETA = 0.8;

/** A saved mixture. */
export interface ExponentiatedGradientJSON {
  kind: "fairkit.exponentiated_gradient";
  schema_version: typeof MODEL_SCHEMA_VERSION;
  constraint: string;
  eps: number;
  weights: number[];
  predictors: unknown[];
}

/** What a fit did: for reports and benchmarks. */
export interface ExponentiatedGradientDiagnostics {
  iterations: number;
  oracleCalls: number;
  oracleMs: number;
  bestIter: number;
  bestGap: number;
  nu: number;
  /** Gap of every iteration (of the iterate kept: exponentiated gradient or LP). */
  gaps: number[];
  /** Iterations whose LP saddle point had the smaller gap. */
  lpIterations: number;
}

/** The settings {@link runExponentiatedGradient} reads (ExponentiatedGradient's options). */
export interface ExponentiatedGradientSettings {
  eps: number;
  maxIter: number;
  nu: number | undefined;
  eta0: number;
  runLinprogStep: boolean;
}

/** What {@link runExponentiatedGradient} found: the mixture of the best iterate, and how it got there. */
export interface ExponentiatedGradientRun<M> {
  /** The best responses with non-zero weight, and their weights (summing to 1). */
  predictors: M[];
  weights: Float64Array;
  /** Q of the best iterate over every best response found (zeros included), in the order found. */
  Q: Float64Array;
  lambda: Float64Array;
  diagnostics: ExponentiatedGradientDiagnostics;
}

/**
 * The exponentiated gradient loop on a Lagrangian of any moment kind: the one engine behind
 * {@link ExponentiatedGradient} (classification) and ExponentiatedGradientRegressor (loss moments).
 * `y` is the training target, used only for the default ν: ½ · sd(|h(X) − y|) / √n of the first fit.
 */
export function runExponentiatedGradient<M, P extends ArrayLike<number>>(
  lagrangian: Lagrangian<M, P>,
  y: ArrayLike<number>,
  settings: ExponentiatedGradientSettings,
): ExponentiatedGradientRun<M> {
  const constraint = lagrangian.constraint;
  const { eps, maxIter, eta0 } = settings;
  const B = 1 / eps;
  const K = constraint.labels.length;
  const theta = new Float64Array(K);
  const lambdaSum = new Float64Array(K);
  const qSum: number[] = [];
  const gaps: number[] = [];
  const gapsEG: number[] = [];
  let lpIterations = 0;
  const Qs: Float64Array[] = [];
  const lambdas: Float64Array[] = [];
  let nu = settings.nu ?? Number.NaN;
  let eta = eta0 / B;
  let lastRegretChecked = REGRET_CHECK_START_T;
  let lastGap = Number.POSITIVE_INFINITY;
  let t = 0;
  for (; t < maxIter; t++) {
    let expSum = 0;
    for (let k = 0; k < K; k++) expSum += Math.exp(theta[k]);
    const lambda = new Float64Array(K);
    for (let k = 0; k < K; k++) lambda[k] = (B * Math.exp(theta[k])) / (1 + expSum);
    for (let k = 0; k < K; k++) lambdaSum[k] += lambda[k];
    const lambdaEG = lambdaSum.map((s) => s / (t + 1));
    const index = lagrangian.bestH(lambda);
    if (t === 0 && Number.isNaN(nu)) {
      const h = lagrangian.hypotheses[index].output;
      const n = h.length;
      let mean = 0;
      for (let i = 0; i < n; i++) mean += Math.abs(h[i] - y[i]);
      mean /= n;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (Math.abs(h[i] - y[i]) - mean) ** 2;
      nu = (ACCURACY_MUL * Math.sqrt(ss / Math.max(n - 1, 1))) / Math.sqrt(n);
    }
    while (qSum.length < lagrangian.hypotheses.length) qSum.push(0);
    qSum[index] += 1;
    const total = qSum.reduce((a, b) => a + b, 0);
    const Q = Float64Array.from(qSum, (q) => q / total);
    const gamma = lagrangian.hypotheses[index].gamma;
    const result = lagrangian.evalGap(Q, lambdaEG, nu);
    gapsEG.push(result.gap);
    const lp = t > 0 && settings.runLinprogStep ? lagrangian.solveLinprog(nu) : undefined;
    if (!lp || result.gap < lp.result.gap) {
      gaps.push(result.gap);
      Qs.push(Q);
      lambdas.push(lambdaEG);
    } else {
      gaps.push(lp.result.gap);
      Qs.push(lp.Q);
      lambdas.push(lp.lambda);
      lpIterations++;
    }
    if (gaps[t] < nu && t >= MIN_ITER) {
      t++;
      break;
    }
    if (t >= lastRegretChecked * REGRET_CHECK_INCREASE_T) {
      const bestGap = Math.min(...gapsEG);
      if (bestGap > lastGap * SHRINK_REGRET) eta *= SHRINK_ETA;
      lastRegretChecked = t;
      lastGap = bestGap;
    }
    for (let k = 0; k < K; k++) theta[k] += eta * (gamma[k] - constraint.bound[k]);
  }
  const minGap = Math.min(...gaps);
  let bestIter = 0;
  gaps.forEach((g, i) => {
    if (g <= minGap + LAGRANGIAN_PRECISION) bestIter = i;
  });
  const Q = Qs[bestIter];
  const predictors: M[] = [];
  const kept: number[] = [];
  for (let h = 0; h < Q.length; h++) {
    if (Q[h] > 0) {
      predictors.push(lagrangian.hypotheses[h].estimator);
      kept.push(Q[h]);
    }
  }
  return {
    predictors,
    weights: Float64Array.from(kept),
    Q,
    lambda: lambdas[bestIter],
    diagnostics: {
      iterations: t,
      oracleCalls: lagrangian.oracleCalls,
      oracleMs: lagrangian.oracleMs,
      bestIter,
      bestGap: gaps[bestIter],
      nu,
      gaps,
      lpIterations,
    },
  };
}

/**
 * @example
 * const eg = new ExponentiatedGradient(() => new LogisticRegression(), new DemographicParity(), { eps: 0.01 });
 * eg.fit(X, y, { sensitiveFeatures: { sex } });
 * eg.predictProba(Xtest);        // exact P(ŷ = 1) of the randomised classifier
 * eg.predict(Xtest, { seed: 1 }); // one seeded draw
 */
export class ExponentiatedGradient {
  readonly constraint: FairnessConstraint;
  readonly options: Required<Omit<ExponentiatedGradientOptions, "nu">> & { nu: number | undefined };
  /** The base classifiers with non-zero weight, and their weights (summing to 1). */
  predictors: Estimator[] = [];
  weights: Float64Array = new Float64Array(0);
  /** λ of the best iterate (the running average of the λ-player), one per constraint row. */
  lambda: Float64Array = new Float64Array(0);
  diagnostics: ExponentiatedGradientDiagnostics | undefined;
  readonly #source: EstimatorSource;

  constructor(estimator: EstimatorSource, constraint: FairnessConstraint, options: ExponentiatedGradientOptions = {}) {
    this.#source = estimator;
    this.constraint = constraint;
    this.options = { ...exponentiatedGradientSettings(options), warmStart: options.warmStart ?? true };
  }

  fit(X: Matrix, y: BinaryInput, options: ReductionFitOptions): this {
    const data = reductionData(X, y, options);
    const constraint = this.constraint.load(data);
    const objective = errorRateObjective(data);
    const oracle = classificationOracle(X, this.#source, this.options.warmStart);
    const lagrangian = new Lagrangian(oracle, constraint, objective, 1 / this.options.eps);
    const run = runExponentiatedGradient(lagrangian, data.y, this.options);
    this.predictors = run.predictors;
    this.weights = run.weights;
    this.lambda = run.lambda;
    this.diagnostics = run.diagnostics;
    return this;
  }

  #check(): void {
    if (this.predictors.length === 0)
      throw new FairkitError("BAD_ARGUMENT", messages.notFitted("ExponentiatedGradient"), { argument: "X" });
  }

  /** Exact probability that the randomised classifier predicts 1: Σ_t weight_t · h_t(x). */
  predictProba(X: Matrix): Float64Array {
    this.#check();
    const out = new Float64Array(X.rows);
    this.predictors.forEach((p, t) => {
      const d = p.predict(X);
      const w = this.weights[t];
      for (let i = 0; i < X.rows; i++) out[i] += w * d[i];
    });
    return out;
  }

  /** One draw of the randomised classifier, reproducible by `seed` (default 0). */
  predict(X: Matrix, options: { seed?: number } = {}): Uint8Array {
    const p = this.predictProba(X);
    const rng = createRandom(options.seed ?? 0);
    const out = new Uint8Array(X.rows);
    for (let i = 0; i < X.rows; i++) out[i] = rng.next() < p[i] ? 1 : 0;
    return out;
  }

  /**
   * A saved mixture, ready to predict (built-in base estimators; pass `decode` for your own).
   * The constraint is not needed to predict; a placeholder with the saved name is kept.
   */
  static fromJSON(
    json: unknown,
    decode: (saved: unknown, what: string) => Estimator = estimatorFromJSON,
    what = "ExponentiatedGradient",
  ): ExponentiatedGradient {
    checkSchema(json, EXPONENTIATED_GRADIENT_SCHEMA, what);
    const doc = json as ExponentiatedGradientJSON;
    checkMixtureWeights(doc.weights, doc.predictors.length, what);
    const placeholder = {
      name: doc.constraint,
      load: () => {
        throw new FairkitError("BAD_ARGUMENT", messages.notRefittable("mixture"), { argument: "json" });
      },
    };
    const predictors = doc.predictors.map((p, i) => decode(p, `${what}: predictors[${i}]`));
    const eg = new ExponentiatedGradient(() => predictors[0], placeholder, { eps: doc.eps });
    eg.predictors = predictors;
    eg.weights = Float64Array.from(doc.weights);
    return eg;
  }

  /** The fitted mixture as JSON (base learners must have `toJSON`, as LogisticRegression does). */
  toJSON(): ExponentiatedGradientJSON {
    return {
      kind: "fairkit.exponentiated_gradient",
      schema_version: MODEL_SCHEMA_VERSION,
      constraint: this.constraint.name,
      eps: this.options.eps,
      weights: Array.from(this.weights),
      predictors: this.predictors.map((p) => {
        const json = (p as { toJSON?: () => unknown }).toJSON;
        if (typeof json !== "function")
          throw new FairkitError("BAD_ARGUMENT", messages.baseNotSaveable(), { argument: "estimator" });
        return json.call(p);
      }),
    };
  }
}

/**
 * Checks a saved mixture's weights: one per predictor, summing to 1 (to 1e-9). Every saved
 * exponentiated-gradient mixture, classifier or regressor, is read through this.
 */
export function checkMixtureWeights(weights: readonly number[], predictors: number, what: string): void {
  if (weights.length !== predictors) {
    throw new FairkitError("BAD_ARGUMENT", messages.mixtureWeightCount(what, predictors, weights.length), {
      argument: what,
    });
  }
  const total = weights.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-9)
    throw new FairkitError("BAD_ARGUMENT", messages.mixtureWeightSum(what, total), { argument: what });
}

/**
 * The loop's settings with their defaults, checked (eps > 0, maxIter a positive integer): one
 * home for the classifier's and the regressor's front ends.
 */
export function exponentiatedGradientSettings(options: Omit<ExponentiatedGradientOptions, "warmStart">): {
  eps: number;
  maxIter: number;
  nu: number | undefined;
  eta0: number;
  runLinprogStep: boolean;
} {
  const eps = options.eps ?? 0.01;
  if (!(eps > 0)) throw new FairkitError("BAD_ARGUMENT", messages.notPositive("eps", eps), { argument: "eps" });
  const maxIter = options.maxIter ?? 50;
  if (!(Number.isInteger(maxIter) && maxIter > 0))
    throw new FairkitError("BAD_ARGUMENT", messages.notPositiveInteger("maxIter", maxIter), { argument: "maxIter" });
  return { eps, maxIter, nu: options.nu, eta0: options.eta0 ?? 2, runLinprogStep: options.runLinprogStep ?? true };
}
