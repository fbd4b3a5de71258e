/**
 * The Estimator interface: what a model must do to be used by every mitigation in fairkit. Any
 * user model (a wrapped ONNX model, a gradient-boosted tree, a remote service) that implements it
 * works with reweighing, resampling, the reductions and the comparison runner. The Regressor
 * interface is its counterpart for real-valued targets (the reductions with a loss moment).
 */
import { FairkitError, messages } from "../core/errors.js";
import type { Matrix } from "./matrix.js";

/** Options of {@link Estimator.fit}. */
export interface FitOptions {
  /** Non-negative weight per row; omitted means 1 each. */
  sampleWeight?: ArrayLike<number>;
}

/**
 * A binary classifier.
 *
 * @example
 * const model: Estimator = new LogisticRegression();
 * model.fit(X, y, { sampleWeight });
 * model.predictProba(X); // P(y = 1 | x) per row
 * model.predict(X);      // 0/1 per row
 */
export interface Estimator {
  /** Learns from features `X`, 0/1 labels `y` and optional weights. Returns the estimator. */
  fit(X: Matrix, y: ArrayLike<number>, options?: FitOptions): Estimator;
  /** Probability of the positive class, one per row. */
  predictProba(X: Matrix): Float64Array;
  /** 0/1 decision per row. */
  predict(X: Matrix): Uint8Array;
  /** A fresh, unfitted estimator with the same settings (the reductions fit many). */
  clone?(): Estimator;
  /**
   * Optional speed-up: start the next `fit` from `previous`'s solution. Only for learners whose
   * answer does not depend on the starting point (convex losses), so results stay the same.
   */
  warmStartFrom?(previous: Estimator): void;
}

/**
 * A model that always predicts the same label: what the reductions use when every relabelled
 * target is the same (scikit-learn's `DummyClassifier(strategy="constant")`).
 */
export class ConstantEstimator implements Estimator {
  constructor(readonly value: 0 | 1) {}
  fit(): this {
    return this;
  }
  predictProba(X: Matrix): Float64Array {
    return new Float64Array(X.rows).fill(this.value);
  }
  predict(X: Matrix): Uint8Array {
    return new Uint8Array(X.rows).fill(this.value);
  }
  clone(): ConstantEstimator {
    return new ConstantEstimator(this.value);
  }
  toJSON(): { kind: "fairkit.constant_estimator"; schema_version: 1; value: 0 | 1 } {
    return { kind: "fairkit.constant_estimator", schema_version: 1, value: this.value };
  }
}

/** An estimator, or a function making fresh ones: how mitigations that fit many models take one. */
export type EstimatorSource = Estimator | (() => Estimator);

/**
 * A regressor: real-valued predictions, learnt with weights.
 *
 * @example
 * const model: Regressor = new LinearRegression();
 * model.fit(X, y, { sampleWeight });
 * model.predict(X); // ŷ per row
 */
export interface Regressor {
  /** Learns from features `X`, real targets `y` and optional non-negative weights. Returns the regressor. */
  fit(X: Matrix, y: ArrayLike<number>, options?: FitOptions): Regressor;
  /** ŷ per row. */
  predict(X: Matrix): Float64Array;
  /** A fresh, unfitted regressor with the same settings (the reductions fit many). */
  clone?(): Regressor;
}

/** A regressor, or a function making fresh ones. */
export type RegressorSource = Regressor | (() => Regressor);

/** A fresh estimator (or regressor) from a source: calls the factory, or clones the prototype. */
export function freshEstimator<M extends { clone?(): M } = Estimator>(source: M | (() => M)): M {
  if (typeof source === "function") return (source as () => M)();
  const prototype = source as M;
  if (typeof prototype.clone === "function") return prototype.clone();
  throw new FairkitError("BAD_ARGUMENT", messages.notCloneable(), { argument: "estimator" });
}
