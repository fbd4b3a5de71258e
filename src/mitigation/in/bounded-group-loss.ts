/**
 * Bounded group loss (Agarwal, Dudík & Wu 2019, "Fair regression: quantitative definitions and
 * reduction-based algorithms"), the loss moment of the reductions, as Fairlearn defines it. The
 * rule of this file: every loss number the regression reductions optimise or report is computed
 * here, from one clipped per-row loss and the training weights.
 *
 * For each group g the constraint bounds the group's mean loss itself (not a difference):
 *
 *     γ_g = Σ_{i∈g} w_i ℓ(y_i, ŷ_i) / Σ_{i∈g} w_i ≤ ζ          (ζ = upperBound)
 *
 * and the objective is the overall mean loss Σ w_i ℓ_i / Σ w_i. The losses clip y and ŷ to
 * [min, max] before comparing them (SquareLoss, AbsoluteLoss; ZeroOneLoss is AbsoluteLoss on
 * [0, 1]); nothing is rescaled. The signed weight of row i in group g is n·w_i·λ_g / W_g (plus
 * n·w_i / W from the objective): n times the derivative of the Lagrangian with respect to the
 * row's loss. With unit weights these are Fairlearn's 1 + λ_g / P(g). λ is never projected
 * (there is one constraint per group), and the inner fit is a weighted regression on the
 * original y (see reducedProblem in lagrangian.ts).
 */
import { FairkitError, messages } from "../../core/errors.js";
import type { GroupEncoding } from "../../core/groups.js";
import type { ConstraintLabel, LoadedConstraint, LoadedObjective } from "./moments.js";

/** The kinds of loss, as saved. */
export type LossKind = "square" | "absolute" | "zero_one";

/** A per-row regression loss with clipping. */
export interface RegressionLoss {
  readonly kind: LossKind;
  /** The range y and ŷ are clipped to (−Infinity / Infinity: no clipping). */
  readonly min: number;
  readonly max: number;
  /** The loss of one row. */
  value(yTrue: number, yPred: number): number;
}

function clip(v: number, min: number, max: number): number {
  return Math.min(Math.max(v, min), max);
}

function checkRange(min: number, max: number): void {
  if (!(typeof min === "number" && typeof max === "number" && min < max)) {
    throw new FairkitError("BAD_ARGUMENT", messages.lossRange(min, max), { argument: "min" });
  }
}

/**
 * (clip(y) − clip(ŷ))², clipped to [min, max] (Fairlearn's `SquareLoss(min_val, max_val)`).
 * @example
 * new SquareLoss(0, 1).value(0.2, 1.5); // 0.64: 1.5 is clipped to 1
 */
export class SquareLoss implements RegressionLoss {
  readonly kind: LossKind = "square";
  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    checkRange(min, max);
  }
  value(yTrue: number, yPred: number): number {
    return (clip(yTrue, this.min, this.max) - clip(yPred, this.min, this.max)) ** 2;
  }
}

/** |clip(y) − clip(ŷ)|, clipped to [min, max] (Fairlearn's `AbsoluteLoss(min_val, max_val)`). */
export class AbsoluteLoss implements RegressionLoss {
  readonly kind: LossKind = "absolute";
  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    checkRange(min, max);
  }
  value(yTrue: number, yPred: number): number {
    return Math.abs(clip(yTrue, this.min, this.max) - clip(yPred, this.min, this.max));
  }
}

/** AbsoluteLoss on [0, 1] (Fairlearn's `ZeroOneLoss`): for 0/1 targets and predictions clipped to [0, 1]. */
export class ZeroOneLoss extends AbsoluteLoss {
  override readonly kind: LossKind = "zero_one";
  constructor() {
    super(0, 1);
  }
}

/** The loss of a saved kind and range (±Infinity saved as null). */
export function lossFromJSON(doc: { kind: LossKind; min: number | null; max: number | null }): RegressionLoss {
  const min = doc.min ?? Number.NEGATIVE_INFINITY;
  const max = doc.max ?? Number.POSITIVE_INFINITY;
  if (doc.kind === "zero_one") return new ZeroOneLoss();
  return doc.kind === "square" ? new SquareLoss(min, max) : new AbsoluteLoss(min, max);
}

/** A loss as saved: its kind and range, ±Infinity as null (JSON has no infinities). */
export function lossToJSON(loss: RegressionLoss): { kind: LossKind; min: number | null; max: number | null } {
  return {
    kind: loss.kind,
    min: Number.isFinite(loss.min) ? loss.min : null,
    max: Number.isFinite(loss.max) ? loss.max : null,
  };
}

/** The data a loss moment is evaluated on: real targets, group codes and weights. */
export interface LossMomentData {
  y: Float64Array;
  encoding: Pick<GroupEncoding, "codes" | "groups">;
  weights: Float64Array;
}

/** A loss moment bound to data: one constraint row per group, evaluated on predicted values. */
export interface LoadedLossConstraint extends LoadedConstraint<Float64Array> {
  readonly kind: "loss";
  readonly loss: RegressionLoss;
  /** Each group's weighted mean loss (NaN for a group whose weights are all 0). */
  groupLoss(prediction: Float64Array): Float64Array;
}

/** Per-group and overall weighted mean loss of predictions (NaN for a group of zero weight). */
export function meanLosses(
  loss: RegressionLoss,
  data: LossMomentData,
  prediction: ArrayLike<number>,
): { overall: number; groups: Float64Array } {
  const { y, encoding, weights } = data;
  const G = encoding.groups.length;
  const sum = new Float64Array(G);
  const weight = new Float64Array(G);
  let total = 0;
  let totalWeight = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weights[i];
    if (w === 0) continue;
    const l = w * loss.value(y[i], prediction[i]);
    const g = encoding.codes[i];
    sum[g] += l;
    weight[g] += w;
    total += l;
    totalWeight += w;
  }
  return { overall: total / totalWeight, groups: sum.map((s, g) => (weight[g] > 0 ? s / weight[g] : Number.NaN)) };
}

/** Options of {@link BoundedGroupLoss}. */
export interface BoundedGroupLossOptions {
  /**
   * ζ: the largest mean loss any group may have. ExponentiatedGradientRegressor needs it;
   * GridSearchRegressor does not (it trades mean loss against the worst group loss).
   */
  upperBound?: number;
}

/** A loss constraint: binds to data with {@link BoundedGroupLoss.load}. */
export interface LossConstraint {
  readonly name: string;
  readonly loss: RegressionLoss;
  readonly upperBound: number | undefined;
  load(data: LossMomentData): LoadedLossConstraint;
}

/**
 * Bounded group loss: every group's mean loss at most `upperBound` (Fairlearn's `BoundedGroupLoss`).
 * @example
 * const constraint = new BoundedGroupLoss(new SquareLoss(-4, 4), { upperBound: 0.9 });
 * new ExponentiatedGradientRegressor(() => new LinearRegression(), constraint).fit(X, y, { sensitiveFeatures: { race } });
 */
export class BoundedGroupLoss implements LossConstraint {
  readonly name = "bounded_group_loss";
  readonly loss: RegressionLoss;
  readonly upperBound: number | undefined;

  constructor(loss: RegressionLoss, options: BoundedGroupLossOptions = {}) {
    this.loss = loss;
    const bound = options.upperBound;
    if (bound !== undefined && !(Number.isFinite(bound) && bound >= 0)) {
      throw new FairkitError("BAD_ARGUMENT", messages.notFiniteNonNegative("upperBound", bound), {
        argument: "upperBound",
      });
    }
    this.upperBound = bound;
  }

  load(data: LossMomentData): LoadedLossConstraint {
    const { encoding, weights } = data;
    const n = data.y.length;
    const G = encoding.groups.length;
    const groupWeight = new Float64Array(G);
    for (let i = 0; i < n; i++) groupWeight[encoding.codes[i]] += weights[i];
    const labels: ConstraintLabel[] = encoding.groups.map((g) => ({ sign: "+", event: "all", group: g.key }));
    const loss = this.loss;
    const groupLoss = (prediction: Float64Array) => meanLosses(loss, data, prediction).groups;
    return {
      name: this.name,
      kind: "loss",
      loss,
      labels,
      // NaN when no bound was given: only GridSearchRegressor, which never reads it, runs without one.
      bound: new Float64Array(G).fill(this.upperBound ?? Number.NaN),
      basis: encoding.groups.map((_, g) => ({ event: 0, group: g })),
      events: 1,
      groups: G,
      groupLoss,
      // A group without weight cannot be moved by any prediction: no constraint (γ 0).
      gamma: (prediction) => groupLoss(prediction).map((v) => (Number.isNaN(v) ? 0 : v)),
      signedWeights: (lambda) => {
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const g = encoding.codes[i];
          if (groupWeight[g] > 0) out[i] = (n * weights[i] * lambda[g]) / groupWeight[g];
        }
        return out;
      },
      projectLambda: (lambda) => lambda,
    };
  }
}

/** The mean loss, the objective of the regression reductions (Fairlearn's `MeanLoss`), bound to data. */
export function meanLossObjective(loss: RegressionLoss, data: LossMomentData): LoadedObjective<Float64Array> {
  const { weights } = data;
  const n = weights.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i];
  return {
    gamma: (prediction) => meanLosses(loss, data, prediction).overall,
    signedWeights: () => weights.map((w) => (n * w) / total),
  };
}

/** Mean losses of one model or mixture: overall, per group, and the worst group. */
export interface GroupLossSummary {
  /** Weighted mean loss over all rows (the objective). */
  overall: number;
  /** Weighted mean loss per group, in the order of the report's `groups`. */
  groups: number[];
  /** The largest group loss (NaN groups ignored), and its group. */
  worst: number;
  worstGroup: string;
}

/**
 * What bounded group loss did, per group: the bound, the unconstrained model's losses, and the
 * mitigated model's. For a mixture, `mitigated` is the expected loss of the randomised predictor
 * (Σ_t weight_t · loss(h_t), what the constraint bounds and Fairlearn reports) and `averaged` the
 * loss of the deterministic weighted-average prediction that `predict` returns (no larger than
 * `mitigated` for a convex loss when no prediction is clipped, by Jensen's inequality).
 */
export interface GroupLossReport {
  loss: LossKind;
  upperBound: number | undefined;
  /** Group keys, in the order of every `groups` array below. */
  groups: string[];
  /** Weighted row count of each group. */
  weights: number[];
  /** The base learner fitted to the mean loss alone (λ = 0); absent for a model read from JSON. */
  unconstrained?: GroupLossSummary;
  mitigated: GroupLossSummary;
  averaged: GroupLossSummary;
}

/** The mean losses of a mixture (`mixing` weights over `predictions`, one array per model). */
export function lossSummary(
  loss: RegressionLoss,
  data: LossMomentData,
  predictions: readonly ArrayLike<number>[],
  mixing: ArrayLike<number> = [1],
): GroupLossSummary {
  const G = data.encoding.groups.length;
  const groups = new Array<number>(G).fill(0);
  let overall = 0;
  predictions.forEach((p, t) => {
    const m = meanLosses(loss, data, p);
    overall += mixing[t] * m.overall;
    for (let g = 0; g < G; g++) groups[g] += mixing[t] * m.groups[g];
  });
  let worst = Number.NEGATIVE_INFINITY;
  let worstGroup = "";
  groups.forEach((v, g) => {
    if (v > worst) {
      worst = v;
      worstGroup = data.encoding.groups[g].key;
    }
  });
  return { overall, groups, worst, worstGroup };
}
